"""Supply chains in a real browser, with axe-core on every page: the lead provider proposes removing a material
subcontractor (with an error first) -> the commissioner approves it -> the subcontractor sees it on its own page; the
lead provider records a late payment -> the Late flag shows on the commissioner's per-provider summary."""

from datetime import timedelta

import pytest

from tests.browser.steps import check, fill_date, sign_in

pytestmark = pytest.mark.browser


def test_removal_approved_and_a_late_payment(page, live_server, live_reference_data, axe):
    from dynamic_framework.contracts.models import SubcontractorPayment, SupplyChainChange
    from dynamic_framework.contracts.tests.supply_chain_fixtures import build

    sc = build()
    problems: list[str] = []

    # The lead provider proposes removing its material subcontractor.
    sign_in(page, sc.lead_user)
    page.goto("/contracts/SC-1/supply-chain/")
    check(page, axe, problems, "Supply chain")
    page.get_by_role("button", name="Propose a change to the supply chain").click()
    check(page, axe, problems, "Propose a change to the supply chain")
    page.get_by_label("Remove a member").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/changes/new/remove/")
    check(page, axe, problems, "Remove a member")
    page.get_by_role("button", name="Propose the change").last.click()
    check(page, axe, problems, "Remove a member")  # the errors
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Partner Women's Centre").check()
    fill_date(page, "effective_on", sc.today + timedelta(days=30))
    page.get_by_label("Why is the supply chain changing?").fill("The centre is closing its Durham office.")
    page.get_by_role("button", name="Propose the change").last.click()
    page.wait_for_url("**/supply-chain-changes/*/")
    check(page, axe, problems, "Remove Partner Women's Centre")
    assert "Waiting for the commissioner" in page.content()
    change = SupplyChainChange.objects.get()

    # Adding: finding an organisation by name.
    page.goto("/contracts/SC-1/supply-chain/changes/new/add/")
    page.get_by_label("The organisation's name").fill("Newcomer")
    page.get_by_role("button", name="Find the organisation").click()
    check(page, axe, problems, "Add a member")
    assert page.get_by_label("Newcomer Housing").is_visible()

    # The commissioner approves it, with reasons.
    sign_in(page, sc.commissioner)
    page.goto(f"/supply-chain-changes/{change.pk}/")
    check(page, axe, problems, "Remove Partner Women's Centre")
    page.get_by_label("Approve the change").check()
    page.get_by_label("Your reasons").fill("Its women will move to the Newcomer service; no one loses support.")
    page.get_by_role("button", name="Record the decision").click()
    check(page, axe, problems, "Remove Partner Women's Centre")
    assert "Agreed" in page.content()

    # The subcontractor sees it on its own page.
    sign_in(page, sc.partner_user)
    page.goto("/your-subcontracts/")
    check(page, axe, problems, "Your subcontracts")
    text = page.content()
    assert "Remove Partner Women" in text and "Agreed" in text
    last_day = sc.today + timedelta(days=29)
    assert f"{last_day.day} {last_day:%B %Y}" in text

    # The lead provider records a late payment to its other subcontractor.
    sign_in(page, sc.lead_user)
    page.goto(f"/contracts/SC-1/supply-chain/{sc.minor.pk}/payments/")
    check(page, axe, problems, "Payments to Small Mentoring Charity")
    fill_date(page, "invoiced_on", sc.today - timedelta(days=45))
    page.get_by_label("Amount invoiced, in pounds").fill("1,200")
    page.get_by_role("button", name="Record the payment").click()
    check(page, axe, problems, "Payments to Small Mentoring Charity")
    assert SubcontractorPayment.objects.filter(member=sc.minor, paid_on__isnull=True).count() == 1
    assert page.locator(".govuk-tag--red", has_text="Late").count() >= 1

    # The commissioner sees the flag on the per-provider summary.
    sign_in(page, sc.commissioner)
    page.goto("/supply-chain-payments/")
    check(page, axe, problems, "Payments to subcontractors")
    row = page.locator("tr", has_text="Lead Provider Trust")
    assert "1 late" in row.inner_text()

    assert not problems, "\n".join(problems)
