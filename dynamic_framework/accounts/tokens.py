"""Email address confirmation links.

A link's token is signed with SECRET_KEY (Django's signing.dumps, a TimestampSigner underneath), so it
cannot be made up or altered, and carries the time it was made, so it expires after
EMAIL_CONFIRMATION_VALID_DAYS. It holds the user's id and a keyed fingerprint of the email address it was
sent to (not the address itself: the link may end up in logs), so a link stops working once the account's
email address changes. Nothing about the token is stored.
"""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .models import User

EMAIL_CONFIRMATION_VALID_DAYS = 3
EMAIL_CONFIRMATION_MAX_AGE = timedelta(days=EMAIL_CONFIRMATION_VALID_DAYS)
_SALT = "dynamic_framework.accounts.email_confirmation"


def _fingerprint(email: str) -> str:
    return salted_hmac(_SALT, (email or "").strip().lower(), algorithm="sha256").hexdigest()[:32]


def make_email_confirmation_token(user: User) -> str:
    """The token for a link confirming `user`'s current email address."""
    return signing.dumps({"u": user.pk, "e": _fingerprint(user.email)}, salt=_SALT)


def _payload_user(payload) -> User | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = User.objects.filter(pk=payload["u"], is_active=True).first()
    if user is None or not constant_time_compare(str(payload.get("e", "")), _fingerprint(user.email)):
        return None
    return user


def read_email_confirmation_token(token: str) -> User:
    """The user a confirmation token is for, or ValidationError with code "expired" or "invalid".

    "invalid" covers a token that was altered or cut short, one for an account that no longer exists or is
    switched off, and one sent to an email address the account no longer has.
    """
    try:
        payload = signing.loads(token or "", salt=_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This link has expired"), code="expired") from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This link is not valid"), code="invalid") from exc
    user = _payload_user(payload)
    if user is None:
        raise ValidationError(_("This link is not valid"), code="invalid")
    return user
