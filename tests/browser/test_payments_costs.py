"""The full-cost-recovery check in a real browser, with axe-core on every page: someone signed out tries the check
(an error first, then the results with a ramp-up year) -> a provider starts from a published lot, saves and shares
its check, sees its list and changes it -> the commissioner sees the anonymous aggregate for the call-off's lots."""

import pytest

from tests.browser.steps import check, sign_in

pytestmark = pytest.mark.browser


def fill_year(page, i, year, value, contracted, expected, staff, premises="0", overheads="0", volunteers="0"):
    for name, text in (
        ("financial_year", year),
        ("value", value),
        ("contracted_people", contracted),
        ("expected_people", expected),
        ("staff", staff),
        ("premises", premises),
        ("overheads", overheads),
        ("volunteers", volunteers),
    ):
        if text is not None:
            page.locator(f"#y{i}-{name}").fill(text)


def test_check_save_share_and_the_commissioners_aggregate(page, live_server, live_reference_data, axe):
    from dynamic_framework.payments import services_costs as services
    from dynamic_framework.payments.models import CostCheck
    from dynamic_framework.payments.tests.costs_fixtures import build, years

    cw = build()
    problems: list[str] = []

    # Signed out: the check, with a mistake first.
    page.goto("/cost-check/")
    check(page, axe, problems, "Will this contract pay its way?")
    fill_year(page, 0, "2026", "60,000", "60", "100", "-70000")
    page.get_by_role("button", name="Check the figures").click()
    check(page, axe, problems, "Will this contract pay its way?")
    assert page.locator(".govuk-error-summary").is_visible()
    fill_year(page, 0, "2026", "60,000", "60", "100", "70,000", "10000", "15000", "5000")
    page.get_by_role("button", name="Add another year").click()
    fill_year(page, 3, "2027", "120000", "100", "", "70000", "10000", "15000", "5000")
    page.get_by_role("button", name="Check the figures").click()
    check(page, axe, problems, "Will this contract pay its way?")
    table = page.locator("#results-table").inner_text()
    assert "Ramp-up year" in table and "Shortfall £40,000.00" in table
    assert not CostCheck.objects.exists()

    # A provider starts from the published lot, saves and shares its check.
    sign_in(page, cw.admins[0])
    page.goto(f"/opportunities/{cw.call_off.reference}/")
    page.get_by_role("link", name="Check whether this lot would pay your full costs").first.click()
    check(page, axe, problems, "Will this contract pay its way?")
    assert page.locator("#y0-value").input_value() == "100000"
    page.locator("#y0-expected_people").fill("60")
    page.locator("#y0-staff").fill("95,000")
    page.locator("#y1-staff").fill("95,000")
    page.get_by_label("Name this check").fill("Durham: our full costs")
    page.get_by_label("Share this check anonymously with commissioners").check()
    page.get_by_role("button", name="Save this check").click()
    page.wait_for_url("**/cost-checks/*/")
    check(page, axe, problems, "Durham: our full costs")
    assert "Yes, anonymously" in page.content()
    saved = CostCheck.objects.get()
    assert saved.is_shared and saved.lot == cw.lot

    page.goto("/cost-checks/")
    check(page, axe, problems, "Your cost checks")
    page.goto(f"/cost-checks/{saved.pk}/edit/")
    check(page, axe, problems, "Change Durham: our full costs")
    page.locator("#y0-value").fill("lots")
    page.get_by_role("button", name="Save the changes").click()
    check(page, axe, problems, "Change Durham: our full costs")
    assert page.locator(".govuk-error-summary").is_visible()
    page.goto(f"/cost-checks/{saved.pk}/sharing/")
    check(page, axe, problems, "Stop sharing this check")

    # Two more organisations share: the commissioner sees the aggregate, with no names.
    for i in (1, 2):
        services.save_check(
            actor=cw.admins[i], organisation=cw.orgs[i], title="x", lot=cw.lot, share=True, years=years()
        )
    sign_in(page, cw.commissioner)
    page.goto(f"/call-offs/{cw.call_off.reference}/lots/")
    page.get_by_role("link", name="See what providers' full costs are").click()
    check(page, axe, problems, "What providers' full costs are")
    text = page.content()
    assert "Middle (median) full cost per person" in text
    assert cw.orgs[0].name not in text

    assert not problems, "\n".join(problems)
