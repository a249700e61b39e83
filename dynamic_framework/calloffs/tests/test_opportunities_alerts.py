"""Email alerts without an account: the form, double opt-in (nothing sent until confirmed), the confirmation link
(7 days, idempotent), unsubscribing, which subscriptions get an alert when a call-off is published, and the audit
events (the subscription's id and choices, never the email address)."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.calloffs import services, tasks
from dynamic_framework.calloffs.models import AlertSubscription
from dynamic_framework.calloffs.tests.factories import CallOffWorld, travel
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import PccArea

pytestmark = pytest.mark.django_db

ALERTS = "/opportunities/alerts/"
EMAIL = "jo.bloggs@small-charity.example"


def text(response) -> str:
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def subscribe(email=EMAIL, categories=(), areas=(), confirmed=False):
    subscription = services.subscribe_to_alerts(
        actor=None,
        email=email,
        categories=list(ServiceCategory.objects.filter(slug__in=categories)),
        pcc_areas=list(PccArea.objects.filter(slug__in=areas)),
    )
    if confirmed:
        services.confirm_alerts(actor=None, subscription=subscription)
    return subscription


def confirm_url(subscription) -> str:
    return reverse("calloffs:alerts-confirm", kwargs={"token": tasks.alert_token(subscription, "confirm")})


def unsubscribe_url(subscription) -> str:
    return reverse("calloffs:alerts-unsubscribe", kwargs={"token": tasks.alert_token(subscription, "unsubscribe")})


# The form --------------------------------------------------------------------------------------------------------


def test_the_page_says_in_plain_english_what_you_get_and_how_to_stop(client, reference_data):
    response = client.get(ALERTS)
    assert response.status_code == 200
    page = text(response)
    assert "You do not need an account" in page
    assert "One email for each new opportunity that matches your choices" in page
    assert "Nothing else is sent until you open it" in page
    assert "Every alert has a link to stop them" in page
    assert "Select none to hear about every kind of service" in page
    assert "Select none to hear about opportunities everywhere" in page
    # Areas are grouped by region
    body = response.content.decode()
    assert re.search(r"<legend[^>]*>\s*North East\s*</legend>", body)
    assert body.count('name="pcc_areas"') == PccArea.objects.count()


def test_subscribing_sends_only_the_confirmation_email(client, reference_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ALERTS, {"email": EMAIL, "categories": ["women"], "pcc_areas": ["durham", "kent"]})
    assert response.status_code == 200
    assert "Check your email" in text(response)
    assert EMAIL in text(response)
    subscription = AlertSubscription.objects.get()
    assert subscription.email == EMAIL
    assert subscription.confirmed_at is None
    assert [c.slug for c in subscription.categories.all()] == ["women"]
    assert sorted(a.slug for a in subscription.pcc_areas.all()) == ["durham", "kent"]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Confirm your opportunity alerts"
    assert "/opportunities/alerts/confirm/" in link_in(message)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your email address"),
        ({"email": "not an email"}, "Enter an email address in the correct format, like name@example.org"),
        ({"email": EMAIL, "categories": ["nothing"]}, "Choose service categories from the list"),
        ({"email": EMAIL, "pcc_areas": ["nowhere"]}, "Choose areas from the list"),
    ],
)
def test_bad_input_is_shown_with_what_was_typed_and_nothing_stored(client, reference_data, data, message):
    response = client.post(ALERTS, data)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert message in page
    if "email" in data:
        assert f'value="{data["email"]}"' in response.content.decode()
    assert not AlertSubscription.objects.exists()
    assert not mail.outbox


def test_an_area_error_links_to_the_first_area_checkbox_and_keeps_the_ticks(client, reference_data):
    response = client.post(ALERTS, {"email": EMAIL, "pcc_areas": ["durham", "nowhere"]})
    body = response.content.decode()
    assert 'href="#id_pcc_areas"' in body
    assert 'id="id_pcc_areas"' in body
    assert re.search(r'value="durham" checked', body)


# Confirming ------------------------------------------------------------------------------------------------------


def test_the_link_confirms_once_and_again_changes_nothing(client, reference_data):
    subscription = subscribe(categories=["women"], areas=["durham"])
    response = client.get(confirm_url(subscription))
    assert response.status_code == 200
    page = text(response)
    assert "Your alerts are on" in page
    assert "Women" in page and "Durham" in page
    subscription.refresh_from_db()
    first = subscription.confirmed_at
    assert first is not None
    again = client.get(confirm_url(subscription))
    assert again.status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at == first
    assert AuditEvent.objects.filter(action="calloffs.alerts_confirmed").count() == 1


def test_a_link_older_than_7_days_does_not_work(client, reference_data):
    subscription = subscribe()
    url = confirm_url(subscription)
    with travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(url)
    assert response.status_code == 410
    assert "This link no longer works" in text(response)
    subscription.refresh_from_db()
    assert subscription.confirmed_at is None
    with travel(timezone.now() + timedelta(days=6)):
        assert client.get(url).status_code == 200


def test_a_malformed_or_wrong_link_is_a_404(client, reference_data):
    subscription = subscribe()
    assert client.get("/opportunities/alerts/confirm/not-a-token/").status_code == 404
    # An unsubscribe link is not a confirmation link, and the other way round
    token = tasks.alert_token(subscription, "unsubscribe")
    assert client.get(f"/opportunities/alerts/confirm/{token}/").status_code == 404
    token = tasks.alert_token(subscription, "confirm")
    assert client.get(f"/opportunities/alerts/unsubscribe/{token}/").status_code == 404
    subscription.delete()
    assert client.get(confirm_url(subscription)).status_code == 404


def test_a_stopped_subscription_cannot_be_started_again_with_its_link(client, reference_data):
    subscription = subscribe()
    services.unsubscribe_alerts(actor=None, subscription=subscription)
    response = client.get(confirm_url(subscription))
    assert response.status_code == 410
    assert "These alerts have been stopped" in text(response)


def test_confirming_new_choices_replaces_the_old_ones(reference_data):
    old = subscribe(categories=["women"], confirmed=True)
    other = subscribe(email="someone.else@example.org", confirmed=True)
    new = subscribe(email=EMAIL.upper().replace("EXAMPLE", "example"), categories=["accommodation"])
    old.refresh_from_db()
    assert old.unsubscribed_at is None  # not until the new ones are confirmed
    services.confirm_alerts(actor=None, subscription=new)
    old.refresh_from_db()
    other.refresh_from_db()
    assert old.unsubscribed_at is not None
    assert other.unsubscribed_at is None


# Unsubscribing ---------------------------------------------------------------------------------------------------


def test_unsubscribing_asks_first_then_stops_the_alerts(client, reference_data):
    subscription = subscribe(confirmed=True)
    url = unsubscribe_url(subscription)
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop my alerts" in text(page)
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None  # a GET (a mail scanner following links) changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == url
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    done = client.get(url)
    assert "Your alerts have stopped" in text(done)
    assert client.post(url).status_code == 302  # again: still stopped, no second event
    assert AuditEvent.objects.filter(action="calloffs.alerts_unsubscribed").count() == 1


def test_a_bad_unsubscribe_link_is_a_404(client, reference_data):
    assert client.get("/opportunities/alerts/unsubscribe/nonsense/").status_code == 404
    assert client.post("/opportunities/alerts/unsubscribe/nonsense/").status_code == 404


# The audit log ---------------------------------------------------------------------------------------------------


def test_audit_events_keep_the_choices_and_never_the_email_address(reference_data):
    subscription = subscribe(categories=["women"], areas=["durham"], confirmed=True)
    services.unsubscribe_alerts(actor=None, subscription=subscription)
    events = list(AuditEvent.objects.filter(action__startswith="calloffs.alerts_").order_by("id"))
    assert [e.action for e in events] == [
        "calloffs.alerts_subscribed",
        "calloffs.alerts_confirmed",
        "calloffs.alerts_unsubscribed",
    ]
    assert events[0].after == {"subscription": subscription.pk, "categories": ["women"], "pcc_areas": ["durham"]}
    for event in events:
        assert event.object_type == "calloffs.alertsubscription"
        assert event.object_id == str(subscription.pk)
        for value in (event.object_repr, str(event.after), str(event.before), event.actor_label):
            assert EMAIL not in value
            assert "small-charity" not in value


# Alerts when a call-off is published ---------------------------------------------------------------------------------


def test_only_confirmed_matching_subscriptions_get_an_alert(client, reference_data, django_capture_on_commit_callbacks):
    world = CallOffWorld.build()
    wanted = {
        "everything@example.org": subscribe("everything@example.org", confirmed=True),
        "women-durham@example.org": subscribe(
            "women-durham@example.org", categories=["women"], areas=["durham"], confirmed=True
        ),
        "women-anywhere@example.org": subscribe("women-anywhere@example.org", categories=["women"], confirmed=True),
        "north-east@example.org": subscribe(
            "north-east@example.org", areas=["durham", "northumbria", "cleveland"], confirmed=True
        ),
    }
    subscribe("unconfirmed@example.org", categories=["women"])
    stopped = subscribe("stopped@example.org", confirmed=True)
    services.unsubscribe_alerts(actor=None, subscription=stopped)
    subscribe("housing@example.org", categories=["accommodation"], confirmed=True)
    subscribe("kent@example.org", areas=["kent"], confirmed=True)
    subscribe("women-kent@example.org", categories=["women"], areas=["kent"], confirmed=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_off = world.published()
    alerts = [m for m in mail.outbox if "/opportunities/alerts/unsubscribe/" in m.body]  # not the notifications
    # The subject is plain text: "Women's", not "Women&#39;s" (the subject template was HTML-escaped before)
    assert all(m.subject == f"New opportunity: {call_off.title}" for m in alerts)
    assert "'" in call_off.title
    recipients = sorted(address for m in alerts for address in m.to)
    assert recipients == sorted(wanted)  # one each, and no one else
    message = next(m for m in alerts if m.to == ["women-durham@example.org"])
    assert f"/opportunities/{call_off.reference}/" in message.body
    assert "Bids by" in message.body
    # The unsubscribe link in the alert works
    unsubscribe = next(line for line in message.body.splitlines() if "/alerts/unsubscribe/" in line).split()[-1]
    assert client.post(path_of(unsubscribe)).status_code == 302
    wanted["women-durham@example.org"].refresh_from_db()
    assert wanted["women-durham@example.org"].unsubscribed_at is not None


def test_the_email_address_is_checked_by_the_service_too(reference_data):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.subscribe_to_alerts(actor=None, email="nobody at all")
    assert "email" in caught.value.message_dict
    assert not AlertSubscription.objects.exists()
