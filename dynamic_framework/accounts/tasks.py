"""Emails, sent in the background through django-tasks.

Tasks receive only database ids. Links are built here, from settings.SITE_URL, and their secret parts
(the invitation token, the password reset token, the email confirmation token) are worked out here too, so the
task queue never holds them.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from .models import Invitation, User
from .tokens import EMAIL_CONFIRMATION_VALID_DAYS, make_email_confirmation_token


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(*, template: str, context: dict, to: str) -> None:
    subject = " ".join(render_to_string(f"accounts/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/emails/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


@task()
def send_invitation_email(*, invitation_id: int) -> bool:
    """Email the invitation link. Does nothing (returns False) if the invitation is no longer pending."""
    invitation = Invitation.objects.with_scope().filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return False
    link = absolute_url(reverse("accounts:invitation", kwargs={"token": invitation.raw_token}))
    _send(
        template="invitation",
        context={"invitation": invitation, "link": link, "site_url": settings.SITE_URL},
        to=invitation.email,
    )
    return True


@task()
def send_password_reset_email(*, user_id: int) -> bool:
    """Email a link to set a new password. Only for an active account that can sign in with a password."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    _send(
        template="password_reset",
        context={
            "user": user,
            "link": absolute_url(path),
            "site_url": settings.SITE_URL,
            "valid_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        to=user.email,
    )
    return True


@task()
def send_email_confirmation_email(*, user_id: int) -> bool:
    """Email a link to confirm the account's email address. Nothing (False) if it is confirmed already."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_confirmed_at is not None:
        return False
    path = reverse("accounts:confirm-email", kwargs={"token": make_email_confirmation_token(user)})
    _send(
        template="email_confirmation",
        context={
            "user": user,
            "link": absolute_url(path),
            "site_url": settings.SITE_URL,
            "valid_days": EMAIL_CONFIRMATION_VALID_DAYS,
        },
        to=user.email,
    )
    return True
