"""Payment statements in a real browser, with axe-core on every page: the commissioner sets how the contract pays
and the lead provider how it pays a subcontractor -> the lead provider enters a month's delivery (with an error
first), checks it and sends it -> the commissioner approves it -> the subcontractor sees its amount (and only its
own line) -> the lead provider records the payment -> the late payment is flagged."""

from datetime import date, timedelta

import pytest

from tests.browser.steps import check, fill_date, sign_in

pytestmark = pytest.mark.browser


def test_month_entered_approved_seen_paid_and_flagged_late(page, live_server, live_reference_data, axe):
    from dynamic_framework.contracts.models import SubcontractorPayment
    from dynamic_framework.payments import services
    from dynamic_framework.payments.models import PaymentStatement
    from dynamic_framework.payments.tests.statements_fixtures import build

    st = build()
    services.set_subcontract_terms(
        actor=st.lead_user, member=st.small_m, terms="protected_fixed_fee", protected_yearly_pence=6_000_00
    )
    problems: list[str] = []

    # The commissioner sets how the contract pays: a 90/10 hybrid.
    sign_in(page, st.commissioner)
    page.goto("/contracts/PAY-1/")
    check(page, axe, problems, "Housing in Durham")
    page.get_by_role("link", name="See the payment terms").click()
    check(page, axe, problems, "Payment terms")
    page.get_by_role("link", name="Set how the contract pays").click()
    check(page, axe, problems, "How the contract pays the lead provider")
    page.get_by_label("A fixed share plus results fees (hybrid)").check()
    page.get_by_label("Monthly").check()
    page.get_by_label("Fixed share of a hybrid").fill("90")
    page.get_by_label("Fee per person who starts").fill("100")
    page.get_by_role("button", name="Save the terms").click()
    page.wait_for_url("**/payment-terms/")
    check(page, axe, problems, "Payment terms")

    # The lead provider passes 25% through to its partner.
    sign_in(page, st.lead_user)
    page.goto("/contracts/PAY-1/payment-terms/")
    page.get_by_role("link", name="Set terms for Partner Women's Centre").click()
    check(page, axe, problems, "How Partner Women's Centre is paid")
    page.get_by_label("A share of what the lead provider is paid (pass-through)").check()
    page.get_by_label("Pass-through share").fill("25")
    page.get_by_role("button", name="Save the terms").click()
    page.wait_for_url("**/payment-terms/")

    # It enters April's delivery: a mistake first, then the figures with their evidence.
    page.goto("/contracts/PAY-1/statements/")
    check(page, axe, problems, "Payment statements")
    page.get_by_role("link", name="Enter a month's delivery figures").click()
    check(page, axe, problems, "Enter a month's delivery figures")
    page.get_by_label("Which month are the figures for?").select_option(label="April 2025")
    page.locator("#id_lead_started").fill("two")
    page.get_by_role("button", name="Continue").click()
    check(page, axe, problems, "Enter a month's delivery figures")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter the people who started as a whole number, like 12" in page.content()
    page.locator("#id_lead_started").fill("2")
    page.locator("#id_lead_evidence").fill("Case records checked on 2 May")
    page.locator(f"#id_member_{st.partner_m.pk}_started").fill("4")
    page.locator(f"#id_member_{st.partner_m.pk}_evidence").fill("The centre's attendance register")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/statements/*/")
    check(page, axe, problems, "Check the statement for April 2025 before you send it")
    assert "£9,600.00" in page.content()  # £9,000 instalment + 6 starts at £100
    page.get_by_role("button", name="Send to the commissioner").click()
    check(page, axe, problems, "Payment statement for April 2025")
    statement = PaymentStatement.objects.get()
    assert statement.submitted_at is not None

    # The commissioner approves it.
    sign_in(page, st.commissioner)
    page.goto(f"/statements/{statement.pk}/")
    check(page, axe, problems, "Payment statement for April 2025")
    page.get_by_role("link", name="Approve or send back").click()
    check(page, axe, problems, "Approve or send back the statement for April 2025")
    page.get_by_role("button", name="Confirm the decision").click()
    check(page, axe, problems, "Approve or send back the statement for April 2025")  # the error
    page.get_by_label("Approve the statement").check()
    page.get_by_role("button", name="Confirm the decision").click()
    page.wait_for_url(f"**/statements/{statement.pk}/")
    check(page, axe, problems, "Payment statement for April 2025")
    assert "Approved" in page.content()

    # The subcontractor sees its amount, and only its own line.
    sign_in(page, st.partner_user)
    page.goto("/your-payment-statements/")
    check(page, axe, problems, "Your payment statements")
    assert "£2,350.00" in page.content()  # 25% of £9,000 and of £400
    page.get_by_role("link", name=f"Statement {statement.pk}").click()
    check(page, axe, problems, "Payment statement for April 2025")
    assert "Small Mentoring Charity" not in page.content()

    # The lead provider records the payment: invoiced 45 days ago, not paid yet.
    sign_in(page, st.lead_user)
    page.goto(f"/statements/{statement.pk}/")
    page.get_by_role("link", name="Record the payment to Partner Women's Centre").click()
    check(page, axe, problems, "Record the payment to Partner Women's Centre")
    fill_date(page, "invoiced_on", date.today() - timedelta(days=45))
    page.get_by_role("button", name="Record the payment").click()
    page.wait_for_url(f"**/statements/{statement.pk}/")
    check(page, axe, problems, "Payment statement for April 2025")
    assert SubcontractorPayment.objects.get(member=st.partner_m).amount_pence == 2_350_00
    assert page.locator(".govuk-tag--red", has_text="Late").count() == 1

    # An approved statement is corrected only by an adjustment.
    page.get_by_role("link", name="Correct this statement with an adjustment").click()
    check(page, axe, problems, "Correct the statement for April 2025")
    page.locator(f"#id_member_{st.partner_m.pk}_started").fill("3")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/statements/*/")
    check(page, axe, problems, "Adjustment to the statement for April 2025")
    assert "-£25.00" in page.content()  # 25% of £100 less

    # The late payment is flagged on the commissioner's summary.
    sign_in(page, st.commissioner)
    page.goto("/supply-chain-payments/")
    check(page, axe, problems, "Payments to subcontractors")
    assert "1 late" in page.locator("tr", has_text="Lead Provider Trust").inner_text()

    assert not problems, "\n".join(problems)
