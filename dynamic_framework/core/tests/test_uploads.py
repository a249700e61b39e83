"""Uploaded documents are accepted only when their name, the type the browser sent and their content agree."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dynamic_framework.core import uploads
from dynamic_framework.core.uploads import check_upload

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40


def office_open_xml(part: str) -> bytes:
    """A minimal Word or Excel file: [Content_Types].xml first, then the main part (word/ or xl/)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def open_document(mime: str) -> bytes:
    """A minimal OpenDocument file: an uncompressed 'mimetype' entry first, as the standard requires."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mime, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


DOCX = office_open_xml("word/document.xml")
XLSX = office_open_xml("xl/workbook.xml")
ODT = open_document("application/vnd.oasis.opendocument.text")
ODS = open_document("application/vnd.oasis.opendocument.spreadsheet")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(name, data, content_type):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "data", "sent", "stored"),
    [
        ("accounts.pdf", PDF, "application/pdf", "application/pdf"),
        ("Accounts 2025.PDF", PDF, "application/pdf", "application/pdf"),
        ("policy.docx", DOCX, DOCX_TYPE, DOCX_TYPE),
        ("policy.docx", DOCX, "application/octet-stream", DOCX_TYPE),
        ("budget.xlsx", XLSX, XLSX_TYPE, XLSX_TYPE),
        ("policy.odt", ODT, "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text"),
        (
            "budget.ods",
            ODS,
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("certificate.png", PNG, "image/png", "image/png"),
        ("certificate.jpg", JPEG, "image/jpeg", "image/jpeg"),
        ("certificate.jpeg", JPEG, "image/jpeg", "image/jpeg"),
        ("no type sent.pdf", PDF, "", "application/pdf"),
    ],
)
def test_allowed_documents_are_accepted_with_the_type_their_content_shows(name, data, sent, stored):
    checked = check_upload(upload(name, data, sent))
    assert checked.content_type == stored
    assert checked.size == len(data)
    assert len(checked.sha256) == 64
    assert checked.name == name


def test_the_digest_is_the_sha256_of_the_content():
    import hashlib

    assert check_upload(upload("a.pdf", PDF, "application/pdf")).sha256 == hashlib.sha256(PDF).hexdigest()


def _message(exc: ValidationError, field="file") -> str:
    return " ".join(exc.message_dict[field])


@pytest.mark.parametrize(
    ("name", "data", "sent", "expected"),
    [
        ("empty.pdf", b"", "application/pdf", "The selected file is empty"),
        ("program.exe", b"MZ\x90\x00" + b"\x00" * 60, "application/x-msdownload", "must be a PDF, DOCX, ODT, XLSX"),
        ("script.sh", b"#!/bin/sh\necho hi\n", "text/x-sh", "must be a PDF"),
        ("no-extension", PDF, "application/pdf", "must be a PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 60, "application/msword", "must be a PDF"),
        ("renamed.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf", "is not a real PDF file"),
        ("notes.pdf", b"just some text, not a PDF at all", "application/pdf", "is not a real PDF file"),
        ("policy.docx", XLSX, DOCX_TYPE, "is not a real Word (DOCX) file"),
        ("policy.odt", ODS, "application/vnd.oasis.opendocument.text", "is not a real OpenDocument text (ODT) file"),
        ("photo.png", JPEG, "image/png", "is not a real PNG file"),
        ("accounts.pdf", PDF, "text/html", "is not a PDF file"),
        ("photo.jpg", JPEG, "image/png", "is not a JPEG file"),
    ],
)
def test_wrong_empty_and_disguised_files_are_refused_plainly(name, data, sent, expected):
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data, sent))
    assert expected in _message(caught.value)


def test_a_file_over_10mb_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", len(PDF) - 1)
    with pytest.raises(ValidationError) as caught:
        check_upload(upload("big.pdf", PDF, "application/pdf"))
    assert "must be smaller than 10MB" in _message(caught.value)


def test_exactly_10mb_is_allowed_and_one_byte_more_is_not():
    body = PDF + b"0" * (uploads.MAX_UPLOAD_BYTES - len(PDF))
    assert check_upload(upload("limit.pdf", body, "application/pdf")).size == uploads.MAX_UPLOAD_BYTES
    with pytest.raises(ValidationError):
        check_upload(upload("over.pdf", body + b"0", "application/pdf"))


def test_no_file_and_the_field_name_is_used_for_the_error():
    with pytest.raises(ValidationError) as caught:
        check_upload(None, field="accounts")
    assert _message(caught.value, "accounts") == "Select a file"


def test_a_path_in_the_name_is_dropped():
    checked = check_upload(upload("../../etc/accounts.pdf", PDF, "application/pdf"))
    assert checked.name == "accounts.pdf"


def test_the_accept_attribute_lists_every_allowed_extension():
    for extension in ("pdf", "docx", "odt", "xlsx", "ods", "png", "jpg", "jpeg"):
        assert f".{extension}" in uploads.ACCEPT_ATTRIBUTE
