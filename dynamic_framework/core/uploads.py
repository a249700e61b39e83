"""Checking uploaded documents: by extension, by the content type the browser sent, and by the content itself.

A file is accepted only when all three agree on one of the allowed types. The content is read with `filetype`
(magic numbers; for Office and OpenDocument files, the ZIP entries that mark each format), so a renamed
executable or a script called report.pdf is refused. Files are never served from where they are stored: see
the views that check permission first and send them as attachments.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # 10 MB


@dataclass(frozen=True)
class AllowedType:
    extensions: tuple[str, ...]
    mime: str
    label: str
    # Content types browsers send for it, besides `mime` (some send a generic type for Office files).
    also_sent_as: tuple[str, ...] = ()


GENERIC = ("application/octet-stream", "application/zip", "application/x-zip-compressed")
ALLOWED_TYPES = (
    AllowedType(("pdf",), "application/pdf", "PDF"),
    AllowedType(
        ("docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)", GENERIC
    ),
    AllowedType(("odt",), "application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)", GENERIC),
    AllowedType(
        ("xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", GENERIC
    ),
    AllowedType(("ods",), "application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (ODS)", GENERIC),
    AllowedType(("png",), "image/png", "PNG"),
    AllowedType(("jpg", "jpeg"), "image/jpeg", "JPEG", ("image/pjpeg",)),
)
BY_EXTENSION = {ext: allowed for allowed in ALLOWED_TYPES for ext in allowed.extensions}
ALLOWED_LABELS = ", ".join(allowed.label for allowed in ALLOWED_TYPES)
#: For <input type="file" accept="...">.
ACCEPT_ATTRIBUTE = ",".join(
    [f".{ext}" for allowed in ALLOWED_TYPES for ext in allowed.extensions] + [a.mime for a in ALLOWED_TYPES]
)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str


def _read_all(uploaded) -> bytes:
    uploaded.seek(0)
    data = b"".join(uploaded.chunks()) if hasattr(uploaded, "chunks") else uploaded.read()
    uploaded.seek(0)
    return data


def check_upload(uploaded, *, field: str = "file") -> CheckedFile:
    """Accept the file or raise ValidationError({field: message}) saying plainly what is wrong."""
    if uploaded is None:
        raise ValidationError({field: _("Select a file")})
    name = PurePath(str(getattr(uploaded, "name", "") or "")).name
    size = getattr(uploaded, "size", None)
    if size is None:
        size = len(_read_all(uploaded))
    if size == 0:
        raise ValidationError({field: _("The selected file is empty")})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError({field: _("The selected file must be smaller than 10MB")})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = BY_EXTENSION.get(extension)
    if allowed is None:
        raise ValidationError({field: _("The selected file must be a PDF, DOCX, ODT, XLSX, ODS, PNG or JPEG")})
    sent = (getattr(uploaded, "content_type", "") or "").split(";")[0].strip().lower()
    if sent and sent != allowed.mime and sent not in allowed.also_sent_as:
        raise ValidationError({field: _("The selected file is not a %(type)s file") % {"type": allowed.label}})
    data = _read_all(uploaded)
    kind = filetype.guess(data)
    if kind is None or kind.mime != allowed.mime:
        raise ValidationError(
            {
                field: _(
                    "The selected file is not a real %(type)s file: it may be damaged, or renamed from another type"
                )
                % {"type": allowed.label}
            }
        )
    return CheckedFile(name=name[:255], content_type=allowed.mime, size=size, sha256=hashlib.sha256(data).hexdigest())
