"""Register services: a contract's documents. (Variations, supply chain changes and notices have their own modules:
variations.py, supply_chain.py, notices.py.) Keyword-only arguments; one transaction; an audit event for each write.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dynamic_framework.core import audit
from dynamic_framework.core.uploads import check_upload

from .models import Contract, ContractDocument


def add_document(*, actor, contract: Contract, title: str, uploaded, public: bool) -> ContractDocument:
    """A commissioner of the contract adds a document: public ones show on the public register, the others only to
    the contract's parties. The file is checked by its content (core/uploads.py) and never served directly."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter the document's title")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title must be 200 characters or fewer")})
    if public not in (True, False):
        raise ValidationError({"public": _("Select whether to publish the document on the public register")})
    checked = check_upload(uploaded, field="file")
    if not actor.has_perm("contracts.manage_documents", contract):
        raise PermissionDenied
    document = None
    try:
        with transaction.atomic():
            document = ContractDocument(
                contract=contract,
                title=title,
                content_type=checked.content_type,
                size=checked.size,
                public=public,
                uploaded_by=actor,
            )
            document.file.save(checked.name, uploaded, save=False)
            document.save()
            audit.record(
                actor=actor,
                action="contracts.document_added",
                obj=contract,
                after={"title": title, "name": checked.name, "sha256": checked.sha256, "public": public},
            )
    except Exception:
        if document is not None and document.file:
            document.file.delete(save=False)
        raise
    return document
