"""The payment terms and statements pages: who sees what (a subcontractor only its own line), the forms and their
error summaries, the CSVs, the contract page's section and query counts."""

import csv
import io
from datetime import date

from django.urls import reverse

from dynamic_framework.contracts.models import SubcontractorPayment
from dynamic_framework.payments import services
from dynamic_framework.payments.models import ContractPaymentTerms, PaymentStatement

APRIL = date(2025, 4, 1)


def setup_statement(st, *, approve=False):
    services.set_contract_terms(
        actor=st.commissioner, contract=st.contract, mechanism="hybrid", fixed_share_bp=9000, per_start_pence=100_00
    )
    services.set_subcontract_terms(actor=st.lead_user, member=st.partner_m, terms="pass_through", share_bp=2500)
    services.set_subcontract_terms(
        actor=st.lead_user, member=st.small_m, terms="protected_fixed_fee", protected_yearly_pence=6_000_00
    )
    statement = services.enter_figures(
        actor=st.lead_user,
        contract=st.contract,
        period=APRIL,
        figures={None: {"started": 2, "evidence": "Case notes"}, st.partner_m: {"started": 4, "evidence": "Register"}},
    )
    if approve:
        services.submit_statement(actor=st.lead_user, statement=statement)
        services.approve_statement(actor=st.commissioner, statement=statement)
    return statement


def text(response) -> str:
    return response.content.decode()


def test_the_commissioner_sets_the_contract_terms_with_error_messages(client, st):
    client.force_login(st.commissioner)
    url = reverse("payments:contract-terms", kwargs={"reference": st.contract.reference})
    page = client.get(url)
    assert page.status_code == 200 and "A fixed share plus results fees (hybrid)" in text(page)
    bad = client.post(url, {"mechanism": "hybrid", "instalments": "monthly", "fixed_share": "100", "per_start": "5"})
    assert bad.status_code == 200
    assert "There is a problem" in text(bad)
    assert "The fixed share of a hybrid must be more than 0% and less than 100%" in text(bad)
    assert not ContractPaymentTerms.objects.exists()
    bad = client.post(url, {"mechanism": "per_person_started", "instalments": "monthly", "per_start": "lots"})
    assert "Enter the fee per person who starts in pounds, like 250 or 1,500.50" in text(bad)
    good = client.post(
        url,
        {"mechanism": "outcomes", "instalments": "monthly", f"outcome_{st.housing.pk}": "500", "target_measure": ""},
    )
    assert good.status_code == 302
    terms = ContractPaymentTerms.objects.get()
    assert terms.outcome_fees.get().amount_pence == 500_00
    page = client.get(reverse("payments:terms", kwargs={"reference": st.contract.reference}))
    assert "Outcome payments" in text(page) and "Transforming Rehabilitation rule" in text(page)


def test_the_lead_provider_sets_a_subcontracts_terms(client, st):
    client.force_login(st.lead_user)
    url = reverse("payments:member-terms", kwargs={"reference": st.contract.reference, "member_pk": st.partner_m.pk})
    bad = client.post(url, {"terms": "pass_through", "share": "101"})
    assert "A pass-through share must be more than 0% and no more than 100%" in text(bad)
    assert client.post(url, {"terms": "pass_through", "share": "25"}).status_code == 302
    assert st.partner_m.subcontract_terms.share_bp == 2500
    client.force_login(st.partner_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("payments:terms", kwargs={"reference": st.contract.reference})).status_code == 403


def test_entering_figures_checking_and_submitting(client, st):
    services.set_contract_terms(
        actor=st.commissioner, contract=st.contract, mechanism="per_person_started", per_start_pence=100_00
    )
    client.force_login(st.lead_user)
    url = reverse("payments:statement-new", kwargs={"reference": st.contract.reference})
    page = client.get(url)
    assert page.status_code == 200 and "April 2025" in text(page)
    bad = client.post(url, {"period": "2025-04-01", "lead_started": "-2", "lead_evidence": "x"})
    assert "Enter the people who started as 0 or more" in text(bad)
    assert 'href="#id_lead_started"' in text(bad)
    assert not PaymentStatement.objects.exists()
    good = client.post(url, {"period": "2025-04-01", "lead_started": "3", "lead_evidence": "Case records"})
    statement = PaymentStatement.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("payments:statement", kwargs={"pk": statement.pk})
    check = client.get(good["Location"])
    assert "Check the statement for April 2025 before you send it" in text(check)
    assert "£300.00" in text(check) and "rounded down to the penny" in text(check)
    sent = client.post(reverse("payments:statement-submit", kwargs={"pk": statement.pk}))
    assert sent.status_code == 302
    statement.refresh_from_db()
    assert statement.submitted_at is not None
    again = client.post(reverse("payments:statement-submit", kwargs={"pk": statement.pk}))
    assert again.status_code == 400 and "already sent" in text(again)


def test_the_commissioner_approves_or_sends_back(client, st):
    statement = setup_statement(st)
    services.submit_statement(actor=st.lead_user, statement=statement)
    client.force_login(st.commissioner)
    url = reverse("payments:statement-decide", kwargs={"pk": statement.pk})
    bad = client.post(url, {"decision": "return", "reason": ""})
    assert "Say why you are sending the statement back" in text(bad)
    assert client.post(url, {"decision": "approve"}).status_code == 302
    statement.refresh_from_db()
    assert statement.is_approved
    assert client.get(url).status_code == 403  # decided already
    client.force_login(st.lead_user)
    assert client.get(url).status_code == 403


def test_a_subcontractor_sees_only_its_own_line(client, st):
    statement = setup_statement(st, approve=True)
    client.force_login(st.partner_user)
    page = client.get(reverse("payments:statement", kwargs={"pk": statement.pk}))
    assert page.status_code == 200
    body = text(page)
    assert "Partner Women&#39;s Centre" in body or "Partner Women's Centre" in body
    assert "Small Mentoring Charity" not in body
    assert "What the lead provider receives" not in body
    assert "Case notes" not in body  # the lead provider's own evidence
    own = client.get(reverse("payments:your-statements"))
    assert own.status_code == 200 and "£2,350.00" in text(own) and "Small Mentoring Charity" not in text(own)
    rows = list(
        csv.reader(io.StringIO(text(client.get(reverse("payments:statement-csv", kwargs={"pk": statement.pk})))))
    )
    assert [r[4] for r in rows[1:]] == ["Partner Women's Centre"]
    assert client.get(reverse("payments:statements", kwargs={"reference": st.contract.reference})).status_code == 403


def test_recording_a_payment_against_a_line(client, st):
    statement = setup_statement(st, approve=True)
    line = statement.lines.get(member=st.partner_m)
    client.force_login(st.lead_user)
    url = reverse("payments:line-payment", kwargs={"pk": statement.pk, "line_pk": line.pk})
    assert client.get(url).status_code == 200
    bad = client.post(url, {"paid_on_day": "1", "paid_on_month": "1", "paid_on_year": "2099"})
    assert "The date paid must be today or in the past" in text(bad)
    response = client.post(
        url,
        {
            "invoiced_on_day": "5",
            "invoiced_on_month": "5",
            "invoiced_on_year": "2025",
            "paid_on_day": "30",
            "paid_on_month": "6",
            "paid_on_year": "2025",
        },
    )
    assert response.status_code == 302
    payment = SubcontractorPayment.objects.get()
    assert payment.amount_pence == 2_350_00
    page = client.get(reverse("payments:statement", kwargs={"pk": statement.pk}))
    assert "Late" in text(page)
    assert client.get(url).status_code == 403  # recorded already


def test_statements_list_query_count_and_csv(client, st, django_assert_max_num_queries):
    setup_statement(st, approve=True)
    for month in (5, 6, 7):
        services.enter_figures(actor=st.lead_user, contract=st.contract, period=date(2025, month, 1), figures={})
    client.force_login(st.commissioner)
    url = reverse("payments:statements", kwargs={"reference": st.contract.reference})
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200 and "July 2025" in text(page)
    rows = list(
        csv.reader(
            io.StringIO(
                text(client.get(reverse("payments:statements-csv", kwargs={"reference": st.contract.reference})))
            )
        )
    )
    assert rows[0][0] == "Contract" and len(rows) == 5
    assert rows[-1][1] == "2025-04" and rows[-1][7] == "9600.00"


def test_statement_page_query_count(client, st, django_assert_max_num_queries):
    statement = setup_statement(st, approve=True)
    client.force_login(st.commissioner)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("payments:statement", kwargs={"pk": statement.pk}))
    assert page.status_code == 200 and "Small Mentoring Charity" in text(page)


def test_adjusting_an_approved_statement_from_its_page(client, st):
    statement = setup_statement(st, approve=True)
    client.force_login(st.lead_user)
    url = reverse("payments:statement-adjust", kwargs={"pk": statement.pk})
    form = client.get(url)
    assert form.status_code == 200 and 'value="2"' in text(form)
    response = client.post(
        url,
        {
            "lead_started": "2",
            "lead_evidence": "Case notes",
            f"member_{st.partner_m.pk}_started": "3",
            f"member_{st.partner_m.pk}_evidence": "Register rechecked",
        },
    )
    adjustment = PaymentStatement.objects.get(adjusts=statement)
    assert response.status_code == 302 and adjustment.results_pence == -100_00
    assert "Adjustment to the statement for April 2025" in text(client.get(response["Location"]))


def test_the_contract_page_links_to_terms_and_statements(client, st):
    setup_statement(st)
    page_url = reverse("contracts:contract", kwargs={"reference": st.contract.reference})
    client.force_login(st.commissioner)
    body = text(client.get(page_url))
    assert "Payment terms and statements" in body and reverse("payments:terms", kwargs={"reference": "PAY-1"}) in body
    client.force_login(st.partner_user)
    body = text(client.get(page_url))
    assert reverse("payments:your-statements") in body and "See the payment statements" not in body
    client.logout()
    assert "Payment terms and statements" not in text(client.get(page_url))


def test_your_payment_statements_is_paginated_with_fixed_queries(client, st, django_assert_max_num_queries):
    setup_statement(st, approve=True)
    for month in (5, 6, 7):
        statement = services.enter_figures(
            actor=st.lead_user, contract=st.contract, period=date(2025, month, 1), figures={}
        )
        services.submit_statement(actor=st.lead_user, statement=statement)
        services.approve_statement(actor=st.commissioner, statement=statement)
    line = PaymentStatement.objects.get(period=APRIL).lines.get(member=st.partner_m)
    services.record_line_payment(actor=st.lead_user, line=line, invoiced_on=date(2025, 5, 1), paid_on=date(2025, 5, 9))
    client.force_login(st.partner_user)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("payments:your-statements"))
    assert page.status_code == 200 and text(page).count("Paid on time") == 1
    assert "Pass-through: 25% of what the lead provider is paid" in text(page)
    assert "Protected fixed fee" not in text(page)  # another member's terms
    assert "July 2025" in text(page)
