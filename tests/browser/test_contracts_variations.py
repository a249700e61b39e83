"""A commissioner records a variation through the pages ("Cumbria until June 2023"-style: an area served until a
day), with an error first, then reads the history and the contract as it stood before and after, in a real
browser with axe-core on every page; the public sees the history without the reason."""

from datetime import timedelta

import pytest

from tests.browser.steps import check, fill_date, sign_in

pytestmark = pytest.mark.browser


def test_a_commissioner_records_a_variation_and_reads_the_history(page, live_server, live_reference_data, axe):
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.contracts.tests.variations_helpers import build_contract
    from dynamic_framework.core.time import format_uk_date
    from dynamic_framework.geography.models import Region

    contract = build_contract(reference="BROWSER-1")
    commissioner = user_with_role("commissioner", regions=[Region.objects.get(code="A")], full_name="Grace Okafor")
    last_day = timezone.localdate() - timedelta(days=7)
    problems: list[str] = []
    base = f"/contracts/{contract.reference}"

    sign_in(page, commissioner)
    page.goto(f"{base}/variations/")
    check(page, axe, problems, "Variations")
    page.get_by_role("button", name="Record a variation").click()
    page.wait_for_url(f"**{base}/variations/new/")
    check(page, axe, problems, "What is changing?")
    page.get_by_role("button", name="Continue").click()
    check(page, axe, problems, "What is changing?")
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Remove an area").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"**{base}/variations/new/remove_area/")
    check(page, axe, problems, "Remove an area")

    # No reason: the error, with the rest kept
    page.get_by_label("Which area will it stop serving?").select_option(label="Durham")
    fill_date(page, "last_day", last_day)
    page.get_by_role("button", name="Continue").click()
    check(page, axe, problems, "Remove an area")
    summary = page.locator(".govuk-error-summary")
    assert "Say why the contract is changing" in summary.inner_text()
    page.locator("#id_reason").fill("Durham moves to its own contract.")
    page.get_by_role("button", name="Continue").click()
    check(page, axe, problems, "Check the variation before you record it")
    assert f"Durham served until {format_uk_date(last_day)}" in page.content()
    page.get_by_role("button", name="Record the variation").click()
    page.wait_for_url(f"**{base}/variations/1/")
    check(page, axe, problems, "Variation 1")
    assert "Variation 1 recorded" in page.locator(".govuk-panel").inner_text()
    assert f"Durham served until {format_uk_date(last_day)}" in page.content()

    page.goto(f"{base}/variations/")
    check(page, axe, problems, "Variations")
    assert "Durham moves to its own contract." in page.content()

    page.goto(f"{base}/as-at/")
    check(page, axe, problems, "The contract on")
    fill_date(page, "date", last_day)
    page.get_by_role("button", name="Show the contract on this date").click()
    page.wait_for_url("**as-at/?date_day=*")
    check(page, axe, problems, f"The contract on {format_uk_date(last_day)}")
    assert page.locator(".govuk-summary-list").get_by_text("Durham").count() == 1
    fill_date(page, "date", last_day + timedelta(days=1))
    page.get_by_role("button", name="Show the contract on this date").click()
    page.wait_for_load_state("load")
    check(page, axe, problems, f"The contract on {format_uk_date(last_day + timedelta(days=1))}")
    assert page.locator(".govuk-summary-list").get_by_text("Durham", exact=True).count() == 0
    page.locator("#id_date").fill("31")
    page.locator("#id_date_month").fill("2")
    page.get_by_role("button", name="Show the contract on this date").click()
    page.wait_for_load_state("load")
    check(page, axe, problems, "The contract as it stood on a date")
    assert "must be a real date" in page.locator(".govuk-error-summary").inner_text()

    # The public: what changed, not why
    page.context.clear_cookies()
    page.goto(f"{base}/variations/")
    check(page, axe, problems, "Variations")
    assert "Durham served until" in page.content() and "Durham moves to its own contract." not in page.content()
    assert not problems, "\n".join(problems)


def test_every_kind_of_variation_form_passes_axe_with_and_without_errors(page, live_server, live_reference_data, axe):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.contracts.forms_variations import KIND_TITLES
    from dynamic_framework.contracts.tests.variations_helpers import build_contract
    from dynamic_framework.geography.models import Region

    contract = build_contract(reference="BROWSER-2")
    commissioner = user_with_role("commissioner", regions=[Region.objects.get(code="A")])
    problems: list[str] = []
    sign_in(page, commissioner)
    for kind, title in KIND_TITLES.items():
        page.goto(f"/contracts/{contract.reference}/variations/new/{kind}/")
        check(page, axe, problems, str(title))
        page.get_by_role("button", name="Continue").click()
        check(page, axe, problems, str(title))
        if not page.locator(".govuk-error-summary").is_visible():
            problems.append(f"{kind}: no error summary after sending an empty form")
    assert not problems, "\n".join(problems)
