"""Confirming an email address: the signed link (valid, expired, tampered, after an email change, used twice),
sending it again (at most once a minute), invitations, the demo users, and the has_confirmed_email predicate."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from dynamic_framework.accounts import rules as r
from dynamic_framework.accounts import services, tokens
from dynamic_framework.accounts.models import Role, User
from dynamic_framework.accounts.tasks import send_email_confirmation_email
from dynamic_framework.accounts.tests.factories import UserFactory, user_with_role
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.models import AuditEvent

GOOD_PASSWORD = "purple elephants dance slowly"


def html(response) -> str:
    return response.content.decode()


def link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def token_made_ago(user, age: timedelta, monkeypatch) -> str:
    """A token for `user` as it would have been made `age` ago."""
    made_at = int((timezone.now() - age).timestamp())
    with monkeypatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(made_at))
        return tokens.make_email_confirmation_token(user)


def confirmed_events(user):
    return list(AuditEvent.objects.filter(action="accounts.email_confirmed", object_id=str(user.pk)))


@pytest.fixture
def registered(db):
    """Someone who has just registered (so has been sent a link)."""
    mail.outbox.clear()
    user = services.register_provider(
        full_name="Mo Rahman",
        email="mo@littlehelp.example.org",
        password=GOOD_PASSWORD,
        organisation_name="Little Help Project",
        legal_form="registered_charity",
        allowed_to_act=True,
    )
    return user


# The model and the predicate -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_has_confirmed_email_property_and_predicate():
    user = UserFactory()
    assert user.has_confirmed_email is False
    assert not r.has_confirmed_email(user)
    assert not r.has_confirmed_email(AnonymousUser())
    assert not r.has_confirmed_email(None)
    confirmed = UserFactory(email_confirmed=True)
    assert confirmed.has_confirmed_email is True
    assert r.has_confirmed_email(confirmed)
    confirmed.is_active = False
    assert not r.has_confirmed_email(confirmed)


@pytest.mark.django_db
def test_the_predicate_combines_with_role_predicates(provider):
    admin = user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=provider)
    rule = r.is_provider_administrator & r.has_confirmed_email
    assert not rule(admin)
    services.mark_email_confirmed(actor="test", user=admin, how="test")
    assert rule(admin)


# The link ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_link_confirms_the_email_address(client, registered):
    path = link_path(mail.outbox[-1])
    response = client.get(path)
    assert response.status_code == 200
    page = html(response)
    assert "Email address confirmed" in page and "mo@littlehelp.example.org" in page
    registered.refresh_from_db()
    assert registered.has_confirmed_email
    [event] = confirmed_events(registered)
    assert event.actor == registered
    assert event.before == {"email_confirmed_at": None}
    assert event.after["how"] == "link" and event.after["email"] == "mo@littlehelp.example.org"
    assert verify_chain().ok


@pytest.mark.django_db
def test_after_confirming_the_account_page_has_no_banner(client, registered):
    client.force_login(registered)
    assert "Send the link again" in html(client.get("/account/"))
    client.get(link_path(mail.outbox[-1]))
    page = html(client.get("/account/"))
    assert "Send the link again" not in page and "Confirm your email address" not in page


@pytest.mark.django_db
def test_the_link_works_without_signing_in_and_says_where_to_go_next(client, registered):
    page = html(client.get(link_path(mail.outbox[-1])))
    assert 'href="/sign-in/"' in page
    client.force_login(registered)
    mark = User.objects.filter(pk=registered.pk)
    mark.update(email_confirmed_at=None)
    page = html(client.get(link_path(mail.outbox[-1])))
    assert 'href="/account/"' in page


@pytest.mark.django_db
def test_a_link_used_again_says_the_address_is_already_confirmed(client, registered):
    path = link_path(mail.outbox[-1])
    client.get(path)
    response = client.get(path)
    assert response.status_code == 200
    assert "Your email address is already confirmed" in html(response)
    assert len(confirmed_events(registered)) == 1


@pytest.mark.django_db
def test_a_link_within_three_days_works(client, registered, monkeypatch):
    token = token_made_ago(registered, timedelta(days=3) - timedelta(minutes=5), monkeypatch)
    assert client.get(f"/confirm-email/{token}/").status_code == 200
    registered.refresh_from_db()
    assert registered.has_confirmed_email


@pytest.mark.django_db
def test_an_expired_link_offers_a_new_one(client, registered, monkeypatch):
    token = token_made_ago(registered, timedelta(days=3, minutes=1), monkeypatch)
    response = client.get(f"/confirm-email/{token}/")
    assert response.status_code == 410
    page = html(response)
    assert "This link has expired" in page
    assert "Sign in to get a new link" in page and 'href="/sign-in/?next=/account/"' in page
    registered.refresh_from_db()
    assert not registered.has_confirmed_email
    # Signed in, the page has the button that sends a new link.
    client.force_login(registered)
    page = html(client.get(f"/confirm-email/{token}/"))
    assert 'action="/account/confirm-email/"' in page and "Send me a new link" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature altered
        lambda t: t[: len(t) // 2],  # cut short
        lambda t: "x" + t,
        lambda t: "nonsense",
    ],
    ids=["signature altered", "cut short", "payload altered", "nonsense"],
)
def test_a_tampered_link_is_not_valid(client, registered, change):
    token = link_path(mail.outbox[-1]).split("/")[2]
    response = client.get(f"/confirm-email/{change(token)}/")
    assert response.status_code == 404
    page = html(response)
    assert "This link is not valid" in page
    assert "Sign in to get a new link" in page
    registered.refresh_from_db()
    assert not registered.has_confirmed_email


@pytest.mark.django_db
def test_a_token_for_another_user_id_cannot_be_forged(client, registered):
    other = UserFactory()
    forged = signing.dumps({"u": other.pk, "e": "0" * 32}, salt="some other salt")
    assert client.get(f"/confirm-email/{forged}/").status_code == 404
    other.refresh_from_db()
    assert not other.has_confirmed_email


@pytest.mark.django_db
def test_a_link_stops_working_when_the_email_address_changes(client, registered):
    path = link_path(mail.outbox[-1])
    User.objects.filter(pk=registered.pk).update(email="new.address@example.org")
    response = client.get(path)
    assert response.status_code == 404
    assert "the email address on the account has changed" in html(response)
    registered.refresh_from_db()
    assert not registered.has_confirmed_email
    # A link made for the new address works.
    new_token = tokens.make_email_confirmation_token(registered)
    assert client.get(f"/confirm-email/{new_token}/").status_code == 200


@pytest.mark.django_db
def test_a_link_for_a_switched_off_account_is_not_valid(client, registered):
    path = link_path(mail.outbox[-1])
    User.objects.filter(pk=registered.pk).update(is_active=False)
    assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_the_link_answers_get_only(client, registered):
    assert client.post(link_path(mail.outbox[-1])).status_code == 405


@pytest.mark.django_db
def test_read_token_reports_expired_and_invalid_with_codes(registered, monkeypatch):
    with pytest.raises(ValidationError) as exc:
        tokens.read_email_confirmation_token(token_made_ago(registered, timedelta(days=4), monkeypatch))
    assert exc.value.code == "expired"
    with pytest.raises(ValidationError) as exc:
        tokens.read_email_confirmation_token("")
    assert exc.value.code == "invalid"
    assert tokens.read_email_confirmation_token(tokens.make_email_confirmation_token(registered)) == registered


@pytest.mark.django_db
def test_the_token_does_not_show_the_email_address(registered):
    token = tokens.make_email_confirmation_token(registered)
    assert "littlehelp" not in signing.b64_decode(token.split(":")[0].encode()).decode()


# Sending the link again ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_the_link_again_from_your_account(client, registered):
    client.force_login(registered)
    User.objects.filter(pk=registered.pk).update(email_confirmation_sent_at=timezone.now() - timedelta(minutes=2))
    mail.outbox.clear()
    response = client.post("/account/confirm-email/")
    assert response.status_code == 302 and response.url == "/account/"
    [message] = mail.outbox
    assert message.to == ["mo@littlehelp.example.org"]
    assert "We have sent a new link to mo@littlehelp.example.org. It works for 3 days." in html(client.get("/account/"))
    assert client.get(link_path(message)).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.email_confirmation_sent").count() == 2


@pytest.mark.django_db
def test_the_link_is_sent_again_at_most_once_a_minute(client, registered):
    client.force_login(registered)
    mail.outbox.clear()
    response = client.post("/account/confirm-email/", follow=True)
    page = html(response)
    assert "We sent you a link less than a minute ago. Wait" in page and "seconds, then ask for another." in page
    assert mail.outbox == []
    # A minute later it can be sent again.
    User.objects.filter(pk=registered.pk).update(email_confirmation_sent_at=timezone.now() - timedelta(seconds=61))
    client.post("/account/confirm-email/")
    assert len(mail.outbox) == 1
    client.post("/account/confirm-email/")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_wait_is_counted_in_whole_seconds(registered):
    now = timezone.now()
    registered.email_confirmation_sent_at = now - timedelta(seconds=20, milliseconds=500)
    assert services.email_confirmation_wait_seconds(registered, now) == 40
    registered.email_confirmation_sent_at = now - timedelta(minutes=5)
    assert services.email_confirmation_wait_seconds(registered, now) == 0
    registered.email_confirmation_sent_at = None
    assert services.email_confirmation_wait_seconds(registered, now) == 0


@pytest.mark.django_db
def test_no_link_is_sent_to_a_confirmed_address(client):
    user = UserFactory(email_confirmed=True)
    client.force_login(user)
    page = html(client.post("/account/confirm-email/", follow=True))
    assert "Your email address is already confirmed" in page
    assert "Send the link again" not in page
    assert mail.outbox == []
    assert send_email_confirmation_email.call(user_id=user.pk) is False


@pytest.mark.django_db
def test_sending_the_link_needs_a_signed_in_post(client):
    assert client.get("/account/confirm-email/").status_code == 405
    response = client.post("/account/confirm-email/")
    assert response.status_code == 302 and response.url.startswith("/sign-in/?next=")


@pytest.mark.django_db
def test_the_service_refuses_too_soon_with_a_code(registered):
    with pytest.raises(ValidationError) as exc:
        services.send_email_confirmation(actor=registered, user=registered)
    assert exc.value.code == "too_soon"
    assert 0 < exc.value.params["seconds"] <= 60


@pytest.mark.django_db
def test_the_account_page_shows_the_banner_only_until_confirmed(client):
    user = UserFactory()
    client.force_login(user)
    page = html(client.get("/account/"))
    assert "Confirm your email address" in page and 'action="/account/confirm-email/"' in page
    assert 'aria-labelledby="email-confirmation-banner-title"' in page
    client.force_login(UserFactory(email_confirmed=True))
    assert "Confirm your email address" not in html(client.get("/account/"))


# Invitations and demo users -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_accepting_an_invitation_with_a_new_account_confirms_the_email(provider_admin, provider):
    invitation = services.invite(
        actor=provider_admin, email="new.staff@example.org", role=Role.PROVIDER_STAFF, organisation=provider
    )
    accepted = services.accept_invitation(token=invitation.raw_token, full_name="New Staff", password=GOOD_PASSWORD)
    user = User.objects.get(pk=accepted.accepted_by_id)
    assert user.has_confirmed_email
    [event] = confirmed_events(user)
    assert event.after["how"] == "invitation"
    assert verify_chain().ok


@pytest.mark.django_db
def test_accepting_an_invitation_while_signed_in_confirms_the_email(client, platform_admin):
    existing = UserFactory(email="existing@example.org")
    invitation = services.invite(actor=platform_admin, email="existing@example.org", role=Role.EVALUATOR)
    client.force_login(existing)
    response = client.post(f"/invitations/{invitation.raw_token}/")
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.has_confirmed_email
    assert "Confirm your email address" not in html(client.get("/account/"))


@pytest.mark.django_db
def test_accepting_an_invitation_keeps_an_earlier_confirmation(platform_admin):
    confirmed_at = timezone.now() - timedelta(days=30)
    existing = UserFactory(email="existing@example.org", email_confirmed_at=confirmed_at)
    invitation = services.invite(actor=platform_admin, email="existing@example.org", role=Role.EVALUATOR)
    services.accept_invitation(token=invitation.raw_token, user=existing)
    existing.refresh_from_db()
    assert existing.email_confirmed_at == confirmed_at
    assert confirmed_events(existing) == []


@pytest.mark.django_db
def test_demo_users_are_confirmed_once(reference_data):
    from dynamic_framework.core.demo import USERS, load_demo_data

    load_demo_data()
    emails = [demo.email for demo in USERS]
    assert all(u.has_confirmed_email for u in User.objects.filter(email__in=emails))
    assert AuditEvent.objects.filter(action="accounts.email_confirmed").count() == len(USERS)
    # A database from before email confirmation: the next load confirms them, and a further load does nothing.
    User.objects.filter(email__in=emails[:2]).update(email_confirmed_at=None)
    again = load_demo_data()
    assert {key: again[key] for key in ("organisations", "users", "roles")} == {
        "organisations": 0,
        "users": 0,
        "roles": 0,
    }
    assert AuditEvent.objects.filter(action="accounts.email_confirmed").count() == len(USERS) + 2
    load_demo_data()
    assert AuditEvent.objects.filter(action="accounts.email_confirmed").count() == len(USERS) + 2
    assert all(u.has_confirmed_email for u in User.objects.filter(email__in=emails))
