"""Signing in (with throttling), signing out, resetting and changing a password."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from dynamic_framework.accounts.tests.factories import PASSWORD, UserFactory
from dynamic_framework.core.models import AuditEvent

NEW_PASSWORD = "purple elephants dance slowly"
SIGN_IN = "/sign-in/"


@pytest.fixture
def user(db):
    return UserFactory(email="someone@example.org", full_name="Sally Someone")


def sign_in(client, email, password, **extra):
    return client.post(SIGN_IN, {"username": email, "password": password, **extra})


def test_urls_keep_their_names():
    assert reverse("accounts:sign-in") == "/sign-in/"
    assert reverse("accounts:sign-out") == "/sign-out/"
    assert reverse("accounts:your-account") == "/account/"
    assert reverse("accounts:invitation", kwargs={"token": "abc"}) == "/invitations/abc/"


@pytest.mark.django_db
def test_sign_in_page(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'autocomplete="email"' in html and 'type="password"' in html
    assert reverse("accounts:password-reset") in html


@pytest.mark.django_db
def test_sign_in_success_goes_to_your_account(client, user):
    response = sign_in(client, "  SomeOne@Example.org ", PASSWORD)
    assert response.status_code == 302 and response.url == "/account/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["someone@example.org", "nobody@example.org"])
def test_sign_in_failure_does_not_say_which_was_wrong(client, user, email):
    response = sign_in(client, email, "wrong password entirely")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a correct email address and password" in html
    assert 'href="#id_username"' in html  # the error summary links to the first field
    assert "<title>Error:" in html
    assert 'value="' + email + '"' in html  # what was typed is kept (not the password)
    assert "wrong password entirely" not in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_inactive_account_gets_the_same_answer(client, user):
    user.is_active = False
    user.save()
    response = sign_in(client, "someone@example.org", PASSWORD)
    assert "Enter a correct email address and password" in response.content.decode()


@pytest.mark.django_db
def test_empty_sign_in_form_shows_field_errors(client):
    html = client.post(SIGN_IN, {}).content.decode()
    assert "Enter your email address" in html and "Enter your password" in html
    assert "govuk-error-summary" in html


@pytest.mark.django_db
def test_lockout_after_five_failures(client, user):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert sign_in(client, "someone@example.org", "wrong password entirely").status_code == 200
    response = sign_in(client, "SOMEONE@example.org", "wrong password entirely")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    # Even the right password is refused while locked out.
    response = sign_in(client, "someone@example.org", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_success_resets_the_failure_count(client, user):
    for _ in range(4):
        sign_in(client, "someone@example.org", "wrong password entirely")
    assert sign_in(client, "someone@example.org", PASSWORD).status_code == 302
    client.post("/sign-out/")
    for _ in range(4):
        assert sign_in(client, "someone@example.org", "wrong password entirely").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/account/team/", "/account/team/"),
        ("/regions/?page=2", "/regions/?page=2"),
        ("https://evil.example.com/", "/account/"),
        ("//evil.example.com/", "/account/"),
        ("javascript:alert(1)", "/account/"),
    ],
)
def test_next_is_followed_only_when_safe(client, user, next_url, expected):
    response = sign_in(client, "someone@example.org", PASSWORD, next=next_url)
    assert response.status_code == 302
    assert response.url == expected


@pytest.mark.django_db
def test_next_is_carried_through_the_sign_in_page(client):
    html = client.get(SIGN_IN + "?next=/account/team/").content.decode()
    assert 'name="next" value="/account/team/"' in html


@pytest.mark.django_db
def test_signed_in_users_are_sent_on_from_the_sign_in_page(client, user):
    client.force_login(user)
    assert client.get(SIGN_IN).url == "/account/"


@pytest.mark.django_db
def test_sign_out_needs_post(client, user):
    client.force_login(user)
    assert client.get("/sign-out/").status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response.url == "/"
    assert "_auth_user_id" not in client.session
    assert "You have signed out" in client.get("/").content.decode()


@pytest.mark.django_db
def test_sign_out_needs_the_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post("/sign-out/").status_code == 403
    assert "_auth_user_id" in client.session


# Password reset --------------------------------------------------------------------------------------------------


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_password_reset_end_to_end(client, user, settings):
    settings.SITE_URL = "https://df.example.gov.uk"
    response = client.post("/password-reset/", {"email": "SOMEONE@example.org"})
    assert response.status_code == 302 and response.url == "/password-reset/sent/"
    [message] = mail.outbox
    assert message.to == ["someone@example.org"]
    assert "https://df.example.gov.uk/password-reset/" in message.body
    assert "2 hours" in message.body

    link = reset_link(message)
    response = client.get(link)
    assert response.status_code == 302  # Django swaps the token for a session marker
    form_url = response.url
    page = client.get(form_url)
    assert page.status_code == 200 and "Choose a new password" in page.content.decode()

    # Bad input: errors next to the fields, nothing changed.
    page = client.post(form_url, {"new_password1": "short", "new_password2": "different"})
    html = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in html
    assert "The passwords do not match" in html
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/password-reset/done/"
    assert "Your password has been reset" in client.get(response.url).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="accounts.password_changed", object_id=str(user.pk)).count() == 1

    # The link works once.
    response = client.get(link)
    assert "This link does not work" in response.content.decode()
    assert sign_in(client, "someone@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_resetting_the_password_lifts_a_lockout(client, user):
    for _ in range(5):
        sign_in(client, "someone@example.org", "wrong password entirely")
    assert sign_in(client, "someone@example.org", PASSWORD).status_code == 429
    client.post("/password-reset/", {"email": "someone@example.org"})
    form_url = client.get(reset_link(mail.outbox[-1])).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, "someone@example.org", NEW_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_password_reset_says_the_same_whether_or_not_the_account_exists(client, user):
    known = client.post("/password-reset/", {"email": "someone@example.org"})
    unknown = client.post("/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    assert len(mail.outbox) == 1
    assert client.get(known.url).status_code == 200


@pytest.mark.django_db
def test_password_reset_form_errors(client):
    html = client.post("/password-reset/", {"email": "not an email"}).content.decode()
    assert "Enter an email address in the correct format" in html
    assert 'value="not an email"' in html
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_bad_reset_link_shows_a_clear_page(client):
    response = client.get("/password-reset/MQ/bad-token/")
    assert response.status_code == 200
    assert "This link does not work" in response.content.decode()


# Changing your password ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_change_password(client, user):
    client.force_login(user)
    page = client.post(
        "/account/password/",
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your current password is not correct" in page.content.decode()
    page = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "someone@example.org", "new_password2": "someone@example.org"},
    )
    html = page.content.decode()
    assert 'href="#id_new_password1"' in html  # validator errors sit on the new password
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/account/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    # Still signed in (the session hash was updated).
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password_changed").count() == 1


@pytest.mark.django_db
def test_change_password_needs_sign_in(client):
    response = client.get("/account/password/")
    assert response.status_code == 302 and response.url == "/sign-in/?next=/account/password/"
