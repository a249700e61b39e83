"""Sealed bids: bid content is stored only encrypted, with a key of the call-off's own.

Each call-off gets a random Fernet key when it is created. That key is itself stored encrypted with the service's
bid key (settings.BID_ENCRYPTION_KEYS; by default derived from SECRET_KEY), so the database alone never reveals a
bid. The service opens bid content in two cases only:

- for the bidder's own organisation (so it can see and change its draft and see what it submitted), and
- for anyone allowed, once the call-off's deadline has passed on the server clock.

Everything else gets `SealedError`. Views, the API, exports and the audit log go through `open_for_bidder` or
`open_after_deadline`; there is no other way to read a bid.
"""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone


class SealedError(PermissionError):
    """Bid content was asked for before the deadline by someone other than the bidder."""


def derive_key(secret: str) -> bytes:
    """A Fernet key derived from a secret (used when BID_ENCRYPTION_KEYS is not set)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"dynamic-framework", info=b"bid sealing")
    return base64.urlsafe_b64encode(hkdf.derive(secret.encode("utf-8")))


def _service_key() -> MultiFernet:
    keys = [k.strip() for k in getattr(settings, "BID_ENCRYPTION_KEYS", []) if k.strip()]
    if not keys:
        keys = [derive_key(settings.SECRET_KEY).decode("ascii")]
    return MultiFernet([Fernet(key.encode("ascii") if isinstance(key, str) else key) for key in keys])


def new_sealing_key() -> str:
    """A new call-off key, encrypted with the service's key, for CallOff.sealing_key."""
    return _service_key().encrypt(Fernet.generate_key()).decode("ascii")


def _call_off_fernet(call_off) -> Fernet:
    return Fernet(_service_key().decrypt(call_off.sealing_key.encode("ascii")))


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder).encode(
        "utf-8"
    )


def digest(content: dict) -> str:
    """SHA-256 of the canonical JSON of the content: shown on the bidder's receipt."""
    return hashlib.sha256(canonical(content)).hexdigest()


def seal(call_off, content: dict) -> str:
    return _call_off_fernet(call_off).encrypt(canonical(content)).decode("ascii")


def _open(call_off, token: str) -> dict:
    if not token:
        return {}
    try:
        return json.loads(_call_off_fernet(call_off).decrypt(token.encode("ascii")))
    except InvalidToken as exc:  # pragma: no cover - a corrupted or foreign token
        raise SealedError("the bid content cannot be opened with this call-off's key") from exc


def open_for_bidder(call_off, token: str, *, bid, organisation_ids: set[int]) -> dict:
    """The bidder's own content, at any time. `organisation_ids`: the organisations the reader belongs to."""
    if bid.organisation_id not in organisation_ids:
        raise SealedError("only the bidder can read its bid before the deadline")
    return _open(call_off, token)


def open_after_deadline(call_off, token: str, *, now=None) -> dict:
    """Anyone's content, once the deadline has passed."""
    if (now or timezone.now()) < call_off.deadline_at:
        raise SealedError("bids are sealed until the deadline")
    return _open(call_off, token)


#: What a supply chain member may read of the bid that names it: its own entry, and nothing else.
MEMBER_ENTRY_FIELDS = ("organisation", "name", "role", "share_type", "share_value", "payment_terms", "material")


def open_member_entry(call_off, token: str, *, organisation_id: int) -> dict | None:
    """The supply chain entry for `organisation_id` in a bid's content, and nothing else of it: never the lead's
    prices or answers, nor any other member. None when the bid does not name that organisation.

    For a subcontractor reading the terms it was named on. The caller checks that the reader belongs to
    `organisation_id`; the content itself is opened here only to pick out that one entry."""
    wanted = int(organisation_id)
    content = _open(call_off, token)
    for entry in content.get("supply_chain") or []:
        if isinstance(entry, dict) and entry.get("organisation") == wanted:
            return {key: entry.get(key) for key in MEMBER_ENTRY_FIELDS}
    return None
