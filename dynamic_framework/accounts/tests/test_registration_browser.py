"""Registering a small charity in a real browser, from the start page to a confirmed email address, with zero
axe-core WCAG 2.2 AA violations on every page on the way (with and without errors).

The live server runs in this process: emails land in django.core.mail.outbox (locmem backend) and tasks run
at once (immediate backend), so the test reads the confirmation link from the outbox."""

import re

import pytest
from django.core import mail

from dynamic_framework.accounts.models import User
from dynamic_framework.organisations.models import Organisation

pytestmark = pytest.mark.browser

PASSWORD = "purple elephants dance slowly"


def fill_registration(page, *, organisation_name="Hilltop Women's Group", email="ann@hilltop.example.org"):
    page.get_by_label("Your full name").fill("Ann Lewis")
    page.get_by_label("Your email address").fill(email)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Your organisation's name").fill(organisation_name)
    page.get_by_label("Registered charity").check()
    page.get_by_label("Charity or company number (optional)").fill("1187654")
    page.get_by_label("I am allowed to act for this organisation").check()


def test_register_a_micro_charity_and_confirm_the_email_address(page, live_server, live_reference_data, axe, settings):
    settings.SITE_URL = live_server.url
    mail.outbox.clear()

    page.goto("/")
    page.get_by_role("link", name="Create an account for your organisation").click()
    page.wait_for_url("**/register/")
    assert page.locator("h1").inner_text() == "Create an account for your organisation"
    axe(page)

    # Nothing filled in: the error summary, each field's error, and still accessible.
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 1
    assert "Enter your full name" in summary.inner_text()
    assert page.title().startswith("Error: ")
    axe(page)
    # The summary's links go to their fields.
    summary.get_by_role("link", name="Confirm that you are allowed to act for your organisation").click()
    assert page.evaluate("() => document.activeElement.id") == "id_allowed_to_act"

    fill_registration(page)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/account/")
    assert "Your account has been created and Hilltop Women's Group is registered." in page.content()
    banner = page.get_by_role("region", name="Important").filter(has_text="Confirm your email address")
    assert "We have sent a link to ann@hilltop.example.org" in banner.inner_text()
    assert "Provider administrator" in page.content()
    axe(page)

    organisation = Organisation.objects.get(name="Hilltop Women's Group")
    assert [i.org_id for i in organisation.identifiers.all()] == ["GB-CHC-1187654"]
    assert not organisation.is_verified

    # Asking again at once is refused, plainly.
    page.get_by_role("button", name="Send the link again").click()
    page.wait_for_url("**/account/")
    assert "We sent you a link less than a minute ago" in page.content()
    axe(page)

    [message] = mail.outbox
    assert message.to == ["ann@hilltop.example.org"]
    link = re.search(r"https?://\S+/confirm-email/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Email address confirmed"
    axe(page)
    assert User.objects.get(email="ann@hilltop.example.org").has_confirmed_email

    page.get_by_role("link", name="Go to your account").click()
    page.wait_for_url("**/account/")
    assert "Send the link again" not in page.content()
    axe(page)

    page.goto(link)
    assert page.locator("h1").inner_text() == "Your email address is already confirmed"
    axe(page)

    response = page.goto(link[:-6] + "xxxxx/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "This link is not valid"
    axe(page)


def test_register_page_problems_are_accessible(page, live_server, live_reference_data, axe):
    from dynamic_framework.accounts.tests.factories import UserFactory
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    ProviderFactory(name="Hilltop Women's Group", slug="hilltop-womens-group")
    UserFactory(email="ann@hilltop.example.org")
    page.goto("/register/")
    fill_registration(page)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is already an account with this email address" in summary
    assert "Hilltop Women's Group is already registered" in summary
    assert page.get_by_role("link", name="Reset your password if you have forgotten it").count() == 1
    assert page.get_by_label("Your organisation's name").input_value() == "Hilltop Women's Group"
    assert page.get_by_label("Registered charity").is_checked()
    assert page.get_by_label("Create a password").input_value() == ""
    axe(page)


def test_an_invalid_link_offers_a_new_one_when_signed_out(page, live_server, live_reference_data, axe):
    response = page.goto("/confirm-email/not-a-real-link/")
    assert response.status == 404
    page.get_by_role("button", name="Sign in to get a new link").click()
    page.wait_for_url("**/sign-in/?next=/account/")
    axe(page)
