"""The "who gets paid if..." simulator in a real browser, with axe-core: the page as it opens (the Transforming
Rehabilitation example and the seed 004 table), with results of one's own set-up, and with errors."""

import pytest

from tests.browser.steps import check

pytestmark = pytest.mark.browser

HEADING = "Who gets paid if targets are missed"


def test_the_simulator_page_opens_on_the_example_shows_results_and_errors(page, live_server, axe):
    problems: list[str] = []

    # As it opens: no sign-in, the example and the charity worker's table.
    page.goto("/")
    page.get_by_role("link", name="Who gets paid if targets are missed").click()
    page.wait_for_url("**/who-gets-paid/")
    check(page, axe, problems, HEADING)
    seed = page.locator("#seed-table tbody tr")
    assert seed.count() == 3
    assert seed.nth(2).locator("td").all_inner_texts()[:4] == ["No", "No", "Yes", "No"]
    assert page.locator("svg.app-chart").is_visible() and page.locator("#years-table").is_visible()

    # One's own set-up: the charity on a protected fixed fee, and a second subcontractor added from its details.
    page.locator("#id_s1-terms-2").check()  # Protected fixed fee
    page.locator("#id_s1-protected_fee").fill("15,000")
    page.get_by_text("Add subcontractor 2").click()
    page.locator("#id_s2-name").fill("Peer mentors")
    page.locator("#id_s2-terms").check()  # Pass-through
    page.locator("#id_s2-share").fill("10")
    page.locator("#id_s2-expected").fill("5")
    page.get_by_role("button", name="Show who gets paid").click()
    page.wait_for_url("**/who-gets-paid/?*")
    check(page, axe, problems, HEADING)
    assert "Your example" in page.content()
    local = page.locator("#combinations-1 tbody tr")
    assert local.count() == 2  # a protected fee has no target of its own: one row for each lead provider result
    assert all("Yes £15,000" in local.nth(i).locator("td").nth(3).inner_text() for i in range(2))
    assert page.locator("#combinations-2").is_visible()
    assert "Peer mentors is paid" in page.locator("#years-table").inner_text()

    # Errors: the summary links to the field.
    page.locator("#id_lead-fee").fill("-5")
    page.locator("#id_s2-share").fill("120")
    page.get_by_role("button", name="Show who gets paid").click()
    check(page, axe, problems, HEADING)
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Amount must be £0 or more" in summary.inner_text()
    assert "Enter the share from 0% to 100%" in summary.inner_text()
    assert page.locator("#combinations-1").count() == 0
    summary.get_by_role("link", name="Enter the share from 0% to 100%").click()
    assert page.evaluate("document.activeElement.id") == "id_s2-share"
    page.screenshot(path="/tmp/simulator-errors.png", full_page=False)

    assert not problems, "\n".join(problems)
