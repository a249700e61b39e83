"""The framework managers' page for the framework itself: details, open and close, extension options."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.core.time import format_uk_date
from dynamic_framework.qualification.models import Framework, FrameworkExtension, add_months
from dynamic_framework.qualification.tests import factories

pytestmark = pytest.mark.django_db

MANAGE = "/framework/manage/"


@pytest.fixture
def framework(reference_data):
    return factories.the_framework()


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="manager@example.org", full_name="Morgan Manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def error_summary(response) -> list[tuple[str, str]]:
    """(href, message) of each item of the GOV.UK error summary."""
    body = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', body, re.S)
    if not match:
        return []
    items = re.findall(r"<li>\s*(?:<a href=\"([^\"]*)\">)?\s*(.*?)\s*(?:</a>)?\s*</li>", match.group(1), re.S)
    return [(href, html.unescape(message)) for href, message in items]


def details(framework, **changes) -> dict:
    data = {
        "name": framework.name,
        "purpose": framework.purpose,
        "starts_on_day": str(framework.starts_on.day),
        "starts_on_month": str(framework.starts_on.month),
        "starts_on_year": str(framework.starts_on.year),
        "ends_on_day": str(framework.ends_on.day),
        "ends_on_month": str(framework.ends_on.month),
        "ends_on_year": str(framework.ends_on.year),
        "confirmation_interval_months": str(framework.confirmation_interval_months),
    }
    data.update(changes)
    return data


def test_url_names():
    assert reverse("qualification:manage") == MANAGE
    assert reverse("qualification:manage-open") == "/framework/manage/open/"
    assert reverse("qualification:manage-close") == "/framework/manage/close/"
    assert reverse("qualification:manage-extend", kwargs={"pk": 3}) == "/framework/manage/extensions/3/exercise/"


def test_only_framework_managers_see_the_page(client, framework):
    response = client.get(MANAGE)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    for role in ("platform_administrator", "commissioner", "evaluator", "provider_administrator"):
        client.force_login(user_with_role(role))
        assert client.get(MANAGE).status_code == 403
        assert client.post(reverse("qualification:manage-open")).status_code == 403


def test_the_page_shows_status_dates_extensions_and_the_details(manager_client, framework):
    response = manager_client.get(MANAGE)
    assert response.status_code == 200
    page = text(response)
    assert "Manage the framework" in page
    assert "Open for applications" in page and 'data-status="open"' in page
    assert format_uk_date(framework.effective_end) in page
    assert "Close it to new applications" in page
    assert 'name="starts_on_day" type="text" value="15"' in response.content.decode()
    assert 'name="ends_on_year" type="text" value="2027"' in response.content.decode()
    assert "Options to extend the framework" in page
    assert "Questions and guidance" in page and reverse("qualification:questions") in page


def test_saving_the_details(manager_client, framework):
    response = manager_client.post(
        MANAGE, details(framework, name="Rehabilitation Dynamic Framework", ends_on_day="1", ends_on_month="7")
    )
    assert response.status_code == 302 and response["Location"] == MANAGE
    framework.refresh_from_db()
    assert framework.name == "Rehabilitation Dynamic Framework"
    assert framework.ends_on.isoformat() == "2027-07-01"
    assert "The framework&#39;s details are saved" in manager_client.get(MANAGE).content.decode()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, ("#id_name", "Enter the framework's name")),
        ({"purpose": ""}, ("#id_purpose", "Say what the framework is for")),
        ({"starts_on_day": "", "starts_on_month": "", "starts_on_year": ""}, ("#id_starts_on", "Enter the start date")),
        ({"ends_on_month": ""}, ("#id_ends_on", "The end date must include a month")),
        (
            {"ends_on_day": "31", "ends_on_month": "2"},
            ("#id_ends_on", "The end date must be a real date, like 15 6 2027"),
        ),
        ({"ends_on_year": "27"}, ("#id_ends_on", "The end date must be a real date, like 15 6 2027")),
        ({"ends_on_year": "2019"}, ("#id_ends_on", "The end date must be after the start date")),
        (
            {"confirmation_interval_months": "often"},
            ("#id_confirmation_interval_months", "Enter the number of months as a whole number, like 12"),
        ),
        (
            {"confirmation_interval_months": "40"},
            ("#id_confirmation_interval_months", "Enter a number of months from 1 to 36"),
        ),
    ],
)
def test_bad_details_are_shown_and_nothing_is_saved(manager_client, framework, changes, expected):
    data = details(framework, name=changes.pop("name", "A new name"), **changes)
    response = manager_client.post(MANAGE, data)
    assert response.status_code == 200
    assert expected in error_summary(response)
    body = response.content.decode()
    assert "govuk-form-group--error" in body
    assert "<title>Error:" in body
    if data["name"]:
        assert 'value="A new name"' in body  # what was typed is kept
    framework.refresh_from_db()
    assert framework.name == "Probation Services Dynamic Framework"
    assert not AuditEvent.objects.filter(action="qualification.framework_updated").exists()


def test_the_date_boxes_keep_what_was_typed(manager_client, framework):
    response = manager_client.post(MANAGE, details(framework, ends_on_day="31", ends_on_month="2"))
    body = response.content.decode()
    assert 'id="id_ends_on" name="ends_on_day" type="text" value="31"' in body
    assert 'name="ends_on_month" type="text" value="2"' in body
    assert 'id="id_ends_on-group-error"' in body


def test_opening_an_open_framework_shows_a_message(manager_client, framework):
    response = manager_client.post(reverse("qualification:manage-open"), follow=True)
    assert response.redirect_chain == [(MANAGE, 302)]
    assert "The framework is already open for applications" in text(response)
    assert manager_client.get(reverse("qualification:manage-open")).status_code == 405


def test_closing_needs_a_reason_then_reopening(manager_client, framework):
    close = reverse("qualification:manage-close")
    page = text(manager_client.get(close))
    assert "Applications already submitted are still assessed" in page
    response = manager_client.post(close, {"reason": "  "})
    assert response.status_code == 200
    assert error_summary(response) == [("#id_reason", "Say why the framework is closing to new applications")]
    assert Framework.objects.get(pk=framework.pk).closed_at is None

    response = manager_client.post(close, {"reason": "The questions are being reviewed."}, follow=True)
    assert response.redirect_chain == [(MANAGE, 302)]
    framework.refresh_from_db()
    assert framework.closed_at is not None and framework.closed_reason == "The questions are being reviewed."
    page = text(response)
    assert "Closed to new applications" in page and "The questions are being reviewed." in page
    assert "Open it again for applications" in page
    # Closing again: the page says it is not open.
    response = manager_client.get(close, follow=True)
    assert "The framework is not open for applications" in text(response)

    response = manager_client.post(reverse("qualification:manage-open"), follow=True)
    assert "The framework is open for applications" in text(response)
    framework.refresh_from_db()
    assert framework.closed_at is None and framework.is_open


def _extensions(framework, *exercise_by):
    framework.extensions.all().delete()
    return [
        FrameworkExtension.objects.create(framework=framework, position=i, months=12, exercise_by=day)
        for i, day in enumerate(exercise_by, start=1)
    ]


def test_using_the_next_extension(manager_client, framework, manager):
    today = timezone.localdate()
    first, second = _extensions(framework, today + timedelta(days=10), today + timedelta(days=400))
    page = text(manager_client.get(MANAGE))
    assert "Use option 1: extend by 12 months" in page
    assert reverse("qualification:manage-extend", kwargs={"pk": first.pk}) in page

    response = manager_client.post(reverse("qualification:manage-extend", kwargs={"pk": second.pk}), follow=True)
    assert "Use the earlier extensions first" in text(response)
    second.refresh_from_db()
    assert second.exercised_at is None

    response = manager_client.post(reverse("qualification:manage-extend", kwargs={"pk": first.pk}), follow=True)
    assert response.redirect_chain == [(MANAGE, 302)]
    new_end = format_uk_date(add_months(framework.ends_on, 12))
    page = text(response)
    assert f"The framework is extended by 12 months: it now ends on {new_end}" in page
    assert f"{format_uk_date(today)} by Morgan Manager" in page
    assert "Use option 2: extend by 12 months" in page

    response = manager_client.post(reverse("qualification:manage-extend", kwargs={"pk": first.pk}), follow=True)
    assert "This extension has already been used" in text(response)


def test_an_extension_past_its_date_cannot_be_used(manager_client, framework):
    (late,) = _extensions(framework, timezone.localdate() - timedelta(days=1))
    page = text(manager_client.get(MANAGE))
    assert "No extension option can be used now" in page
    response = manager_client.post(reverse("qualification:manage-extend", kwargs={"pk": late.pk}), follow=True)
    assert response.status_code == 200
    assert "The last date to use this extension has passed" in text(response)


def test_unknown_extension_is_404_and_get_is_405(manager_client, framework):
    assert manager_client.post(reverse("qualification:manage-extend", kwargs={"pk": 999999})).status_code == 404
    extension = framework.extensions.first()
    assert manager_client.get(reverse("qualification:manage-extend", kwargs={"pk": extension.pk})).status_code == 405


def test_the_page_makes_a_fixed_number_of_queries(manager_client, framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert manager_client.get(MANAGE).status_code == 200


def test_your_account_links_framework_managers_to_the_page(client, manager, framework):
    client.force_login(manager)
    assert MANAGE in client.get(reverse("accounts:your-account")).content.decode()
    client.force_login(user_with_role("provider_administrator"))
    assert MANAGE not in client.get(reverse("accounts:your-account")).content.decode()
