"""Emails for call-offs that are not notifications to people with accounts: opportunity alerts."""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from .models import AlertSubscription, CallOff

ALERT_SALT = "calloffs.alerts"


def alert_token(subscription: AlertSubscription, purpose: str) -> str:
    return signing.dumps({"id": subscription.pk, "p": purpose}, salt=ALERT_SALT)


def read_alert_token(token: str, purpose: str, max_age=None) -> int | None:
    try:
        data = signing.loads(token, salt=ALERT_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return data.get("id") if data.get("p") == purpose else None


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def matching_subscriptions(call_off: CallOff):
    """Confirmed subscriptions whose categories and areas (each: any, when none chosen) match the call-off."""
    categories = set(call_off.categories.values_list("pk", flat=True))
    areas = set(call_off.lots.values_list("pcc_areas", flat=True))
    out = []
    for subscription in AlertSubscription.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).prefetch_related("categories", "pcc_areas"):
        wanted_categories = {c.pk for c in subscription.categories.all()}
        wanted_areas = {a.pk for a in subscription.pcc_areas.all()}
        if (not wanted_categories or wanted_categories & categories) and (not wanted_areas or wanted_areas & areas):
            out.append(subscription)
    return out


@task()
def send_opportunity_alerts(*, call_off_id: int) -> int:
    call_off = CallOff.objects.select_related("region").filter(pk=call_off_id, published_at__isnull=False).first()
    if call_off is None:
        return 0
    sent = 0
    for subscription in matching_subscriptions(call_off):
        context = {
            "call_off": call_off,
            "link": absolute_url(reverse("calloffs:opportunity", kwargs={"reference": call_off.reference})),
            "unsubscribe": absolute_url(
                reverse("calloffs:alerts-unsubscribe", kwargs={"token": alert_token(subscription, "unsubscribe")})
            ),
            "site_url": settings.SITE_URL,
        }
        subject = " ".join(render_to_string("calloffs/emails/opportunity_alert_subject.txt", context).split())
        body = render_to_string("calloffs/emails/opportunity_alert.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email])
        sent += 1
    return sent


@task()
def send_alert_confirmation(*, subscription_id: int) -> bool:
    subscription = AlertSubscription.objects.filter(pk=subscription_id, unsubscribed_at__isnull=True).first()
    if subscription is None:
        return False
    context = {
        "link": absolute_url(
            reverse("calloffs:alerts-confirm", kwargs={"token": alert_token(subscription, "confirm")})
        ),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("calloffs/emails/alert_confirmation_subject.txt", context).split())
    body = render_to_string("calloffs/emails/alert_confirmation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email])
    return True
