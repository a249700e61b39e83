"""The accounts pages in a real browser: zero axe-core WCAG 2.2 AA violations, with and without errors, and
the sign-in, invitation and password reset journeys."""

import re

import pytest
from django.conf import settings
from django.core import mail

from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import PASSWORD, UserFactory, provider_organisation, user_with_role

pytestmark = pytest.mark.browser

NEW_PASSWORD = "purple elephants dance slowly"


def sign_in_as(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def world(live_reference_data):
    provider = provider_organisation(name="Browser Provider", slug="browser-provider")
    admin = user_with_role(Role.PLATFORM_ADMINISTRATOR, full_name="Ada Admin")
    provider_admin = user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=provider, full_name="Pat Provider")
    staff = user_with_role(Role.PROVIDER_STAFF, organisation=provider, full_name="Sam Staff")
    services.invite(actor=provider_admin, email="pending@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    services.invite(actor=admin, email="evaluator@example.org", role=Role.EVALUATOR)
    return {"provider": provider, "admin": admin, "provider_admin": provider_admin, "staff": staff}


@pytest.mark.parametrize("path", ["/sign-in/", "/password-reset/", "/password-reset/sent/", "/password-reset/MQ/x/"])
def test_public_account_pages_are_accessible(page, live_server, live_reference_data, axe, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    axe(page)


def test_sign_in_errors_and_lockout_are_accessible(page, live_server, live_reference_data, axe):
    UserFactory(email="someone@example.org")
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    axe(page)
    for attempt in range(5):
        page.get_by_label("Email address").fill("someone@example.org")
        page.get_by_label("Password", exact=True).fill("wrong password entirely")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        if attempt < 4:
            assert page.get_by_label("Email address").input_value() == "someone@example.org"
            assert "Enter a correct email address and password" in page.locator(".govuk-error-summary").inner_text()
            axe(page)
    assert "Too many attempts to sign in" in page.locator("h1").inner_text()
    axe(page)


def test_sign_in_and_out_without_javascript(make_context, live_server, live_reference_data):
    UserFactory(email="someone@example.org", full_name="Sally Someone")
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/account/team/")
    assert "/sign-in/" in page.url
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/team/")  # came back (and is refused: no role)
    page.goto("/account/")
    assert "Sally Someone" in page.content()
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_load_state()
    assert "You have signed out" in page.content()


def test_signed_in_pages_are_accessible(context, live_server, world, axe):
    sign_in_as(context, live_server, world["admin"])
    page = context.new_page()
    for path in ["/account/", "/account/password/", "/account/team/", "/account/invite/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1
        axe(page)
    page.goto(f"/account/team/roles/{world['staff'].role_grants.get().pk}/remove/")
    axe(page)
    # Notifications, with one unread
    from dynamic_framework.core.notifications import notify

    notify(
        users=[world["admin"]],
        title="A new opportunity matches what you are qualified for",
        link="/opportunities/",
        email=False,
    )
    page.goto("/notifications/")
    assert "A new opportunity" in page.locator("main").inner_text()
    axe(page)
    page.get_by_role("button", name="Mark them all as read").click()
    page.wait_for_load_state()
    axe(page)
    # The form with errors.
    page.goto("/account/invite/")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Commissioner").check()
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.get_by_label("Email address").input_value() == "not an email"
    axe(page)
    page.goto("/account/password/")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    axe(page)
    # Creating an API token shows it once.
    page.goto("/account/")
    page.get_by_role("button", name="Create an API token").click()
    page.wait_for_load_state()
    assert "Your new API token" in page.locator("h1").inner_text()
    axe(page)


def test_provider_admin_team_and_invite_pages_are_accessible(context, live_server, world, axe):
    sign_in_as(context, live_server, world["provider_admin"])
    page = context.new_page()
    page.goto("/account/team/")
    assert "pending@example.org" in page.content()
    axe(page)
    page.goto("/account/invite/")
    axe(page)
    page.get_by_label("Email address").fill("new.staff@example.org")
    page.get_by_label("Provider staff").check()
    page.get_by_label("Organisation").select_option(label="Browser Provider (Provider)")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/team/")
    assert "Invitation sent to new.staff@example.org" in page.content()
    axe(page)
    page.get_by_role("button", name="Cancel the invitation to new.staff@example.org").click()
    page.wait_for_load_state()
    assert "has been cancelled" in page.content()


def test_accepting_an_invitation_in_the_browser(page, live_server, world, axe):
    mail.outbox.clear()
    services.invite(actor=world["admin"], email="invitee@example.org", role=Role.EVALUATOR)
    token = re.search(r"/invitations/([0-9a-f]{64})/", mail.outbox[-1].body).group(1)
    page.goto(f"/invitations/{token}/")
    axe(page)
    page.get_by_role("button", name="Create account and accept").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    axe(page)
    page.get_by_label("Full name").fill("Ivy Invitee")
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and accept").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/")
    assert "Evaluator" in page.content()
    axe(page)
    page.goto(f"/invitations/{token}/")
    assert "already been accepted" in page.locator("h1").inner_text()
    axe(page)
    page.goto("/invitations/" + "0" * 64 + "/")
    axe(page)


def test_invitation_pages_for_existing_accounts_are_accessible(context, live_server, world, axe):
    mail.outbox.clear()
    existing = UserFactory(email="existing@example.org")
    services.invite(actor=world["admin"], email="existing@example.org", role=Role.EVALUATOR)
    link = "/invitations/" + re.search(r"/invitations/([0-9a-f]{64})/", mail.outbox[-1].body).group(1) + "/"
    page = context.new_page()
    page.goto(link)
    assert "Sign in to accept" in page.locator("h1").inner_text()
    axe(page)
    sign_in_as(context, live_server, world["staff"])
    page.goto(link)
    assert "someone else" in page.locator("h1").inner_text()
    axe(page)
    sign_in_as(context, live_server, existing)
    page.goto(link)
    axe(page)
    page.get_by_role("button", name="Accept invitation").click()
    page.wait_for_load_state()
    assert page.url.endswith("/account/")


def test_password_reset_in_the_browser(page, live_server, live_reference_data, axe, settings):
    UserFactory(email="someone@example.org")
    settings.SITE_URL = live_server.url
    page.goto("/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    page.get_by_label("Email address").fill("someone@example.org")
    page.get_by_role("button", name="Send me a link").click()
    page.wait_for_load_state()
    assert "Check your email" in page.locator("h1").inner_text()
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert "Choose a new password" in page.locator("h1").inner_text()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm new password").fill("short")
    page.get_by_role("button", name="Save new password").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    axe(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    page.wait_for_load_state()
    assert "Your password has been reset" in page.content()
    axe(page)
