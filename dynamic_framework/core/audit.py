"""Writing and verifying the audit log.

Every service function that changes state calls `record()` inside its own transaction, so the change
and its event are committed together or not at all.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 7_244_019  # any constant shared by all writers of the audit chain


def _normalise(data):
    """Make data exactly what the JSON column will give back (dates as ISO strings, etc.)."""
    if data is None:
        return None
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def canonical_json(data) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)


def event_payload(event: AuditEvent) -> dict:
    occurred_at = event.occurred_at.astimezone(UTC) if event.occurred_at else None
    return {
        "occurred_at": occurred_at.isoformat(timespec="microseconds") if occurred_at else None,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
    }


def compute_hash(previous_hash: str, event: AuditEvent) -> str:
    digest = hashlib.sha256()
    digest.update(previous_hash.encode("ascii"))
    digest.update(canonical_json(event_payload(event)).encode("utf-8"))
    return digest.hexdigest()


def _object_type(obj) -> str:
    if obj is None:
        return ""
    meta = getattr(obj, "_meta", None)
    return meta.label_lower if meta else type(obj).__name__.lower()


def record(*, actor, action: str, obj=None, before=None, after=None, object_type: str = "", object_id=""):
    """Append one event to the audit chain. Must be called inside the service's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the transaction of the change it records.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=user,
        actor_label=(user.email if user else (actor if isinstance(actor, str) and actor else "system")),
        action=action,
        object_type=object_type or _object_type(obj),
        object_id=str(object_id or (getattr(obj, "pk", "") if obj is not None else "")),
        object_repr=(str(obj)[:255] if obj is not None else ""),
        before=_normalise(before),
        after=_normalise(after),
        previous_hash=last or GENESIS_HASH,
    )
    event.hash = compute_hash(event.previous_hash, event)
    event.save()
    return event


@dataclass
class VerifyResult:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(*, batch_size: int = 2000) -> VerifyResult:
    """Recompute the chain from the first event and report the first event that does not match."""
    previous = GENESIS_HASH
    checked = 0
    with transaction.atomic():
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
            if event.previous_hash != previous:
                return VerifyResult(checked, event.id, "its previous hash does not match the event before it")
            expected = compute_hash(previous, event)
            if event.hash != expected:
                return VerifyResult(checked, event.id, "its content does not match its hash")
            previous = event.hash
            checked += 1
    return VerifyResult(checked)
