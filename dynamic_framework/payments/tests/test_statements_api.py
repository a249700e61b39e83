"""The payment statements API: terms (read, set), statements (enter, submit, approve, return, adjust), lines and
payments against them; field errors as JSON with 400; a subcontractor sees only its own lines."""

import pytest
from rest_framework.test import APIClient

from dynamic_framework.contracts.models import SubcontractorPayment
from dynamic_framework.payments.models import PaymentStatement


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return as_user


def test_terms_set_and_read_by_the_right_people(api, st):
    url = "/api/v1/contracts/PAY-1/payment-terms/"
    assert api(st.lead_user).post(url, {"mechanism": "fixed_fee"}, format="json").status_code == 403
    bad = api(st.commissioner).post(url, {"mechanism": "hybrid", "fixed_share_bp": 10000}, format="json")
    assert bad.status_code == 400 and "fixed_share_bp" in bad.json()
    unknown = api(st.commissioner).post(url, {"mechanism": "fixed_fee", "colour": "red"}, format="json")
    assert unknown.status_code == 400 and unknown.json()["colour"] == ["This route does not take this field"]
    good = api(st.commissioner).post(url, {"mechanism": "fixed_fee", "instalments": "quarterly"}, format="json")
    assert good.status_code == 200 and good.json()["contract_terms"]["instalments"] == "quarterly"
    sub = api(st.lead_user).post(
        "/api/v1/subcontract-payment-terms/",
        {"member": st.partner_m.pk, "terms": "pass_through", "share_bp": 2500},
        format="json",
    )
    assert sub.status_code == 200 and sub.json()["share_bp"] == 2500
    too_much = api(st.lead_user).post(
        "/api/v1/subcontract-payment-terms/",
        {"member": st.small_m.pk, "terms": "pass_through", "share_bp": 8000},
        format="json",
    )
    assert too_much.status_code == 400 and "would add up to 105%" in too_much.json()["share_bp"][0]
    mine = api(st.small_user).get(url).json()
    assert mine["contract_terms"] is None and [s["member"] for s in mine["subcontracts"]] == [st.small_m.pk]
    assert api(None).get(url).status_code == 401
    assert api(st.lead_user).get("/api/v1/contracts/NOPE/payment-terms/").status_code == 404


def test_a_statement_through_the_api(api, st):
    api(st.commissioner).post(
        "/api/v1/contracts/PAY-1/payment-terms/",
        {"mechanism": "per_person_started", "per_start_pence": 100_00},
        format="json",
    )
    api(st.lead_user).post(
        "/api/v1/subcontract-payment-terms/",
        {"member": st.partner_m.pk, "terms": "pass_through", "share_bp": 5000},
        format="json",
    )
    body = {
        "contract": "PAY-1",
        "period": "2025-04",
        "figures": [{"started": "x"}, {"member": st.partner_m.pk, "started": 4, "evidence": "Register"}],
    }
    bad = api(st.lead_user).post("/api/v1/payment-statements/", body, format="json")
    assert bad.status_code == 400
    assert bad.json()["lead_started"] == ["Enter the people who started as a whole number, like 12"]
    body["figures"][0] = {"started": 1, "evidence": "Case notes"}
    made = api(st.lead_user).post("/api/v1/payment-statements/", body, format="json")
    assert made.status_code == 201
    data = made.json()
    assert data["status"] == "draft" and data["amounts"]["received_pence"] == 500_00
    assert data["lines"][0]["due_pence"] == 200_00
    pk = data["id"]
    assert api(st.commissioner).post(f"/api/v1/payment-statements/{pk}/approve/").status_code == 400
    assert api(st.lead_user).post(f"/api/v1/payment-statements/{pk}/submit/").json()["status"] == "waiting"
    assert api(st.lead_user).post(f"/api/v1/payment-statements/{pk}/approve/").status_code == 403
    back = api(st.commissioner).post(f"/api/v1/payment-statements/{pk}/return/", {"reason": ""}, format="json")
    assert back.status_code == 400 and back.json()["reason"] == ["Say why you are sending the statement back"]
    api(st.commissioner).post(f"/api/v1/payment-statements/{pk}/approve/")
    assert PaymentStatement.objects.get(pk=pk).is_approved

    # The subcontractor sees its own line only, without the lead provider's figures.
    theirs = api(st.partner_user).get("/api/v1/payment-statements/").json()["results"]
    assert len(theirs) == 1 and theirs[0]["amounts"] is None and theirs[0]["figures"] is None
    assert api(st.small_user).get(f"/api/v1/payment-statements/{pk}/").status_code == 404
    lines = api(st.partner_user).get("/api/v1/payment-statement-lines/").json()["results"]
    assert [line["due_pence"] for line in lines] == [200_00]

    paid = api(st.lead_user).post(
        f"/api/v1/payment-statement-lines/{lines[0]['id']}/payment/",
        {"invoiced_on": "2025-05-01", "paid_on": "2025-05-20"},
        format="json",
    )
    assert paid.status_code == 200 and paid.json()["payment"] == SubcontractorPayment.objects.get().pk

    adjusted = api(st.lead_user).post(
        f"/api/v1/payment-statements/{pk}/adjust/",
        {
            "figures": [
                {"started": 1, "evidence": "Case notes"},
                {"member": st.partner_m.pk, "started": 2, "evidence": "Register rechecked"},
            ]
        },
        format="json",
    )
    assert adjusted.status_code == 200
    adjustment = PaymentStatement.objects.get(adjusts_id=pk)
    assert adjustment.received_pence == -200_00


def test_the_schema_has_no_warnings_for_statements(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/payment-statements/{id}/approve/" in schema["paths"]
    assert "/api/v1/contracts/{reference}/payment-terms/" in schema["paths"]
    names = (
        "api.statements",
        "payments.api.statements",
        "[ContractTermsViewSet",
        "[SubcontractTermsViewSet",
        "[StatementViewSet",
        "[LineViewSet",
    )
    mine = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(name in message for name in names)
    ]
    assert not mine, mine


def _approve_months(st, months):
    from datetime import date

    from dynamic_framework.payments import services

    for month in months:
        statement = services.enter_figures(
            actor=st.lead_user, contract=st.contract, period=date(2025, month, 1), figures={}
        )
        services.submit_statement(actor=st.lead_user, statement=statement)
        services.approve_statement(actor=st.commissioner, statement=statement)


@pytest.mark.parametrize("who", ["commissioner", "lead_user", "partner_user"])
def test_the_statement_and_line_lists_take_the_same_queries_for_one_month_or_six(api, st, who):
    """No query per statement or per line: the lists cost the same however many months there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dynamic_framework.payments import services

    services.set_contract_terms(actor=st.commissioner, contract=st.contract, mechanism="fixed_fee")
    services.set_subcontract_terms(actor=st.lead_user, member=st.partner_m, terms="pass_through", share_bp=2500)
    services.set_subcontract_terms(
        actor=st.lead_user, member=st.small_m, terms="protected_fixed_fee", protected_yearly_pence=6_000_00
    )
    client = api(getattr(st, who))
    urls = ["/api/v1/payment-statements/", "/api/v1/payment-statement-lines/"]

    def cost():
        answers = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            answers.append((len(queries), response.json()["count"]))
        return answers

    _approve_months(st, [4])
    cost()  # the first request also loads the user's roles, cached for the ones after
    one = cost()
    _approve_months(st, [5, 6, 7, 8, 9])
    six = cost()
    assert [queries for queries, _ in six] == [queries for queries, _ in one]
    lines_each = {"commissioner": 2, "lead_user": 2, "partner_user": 1}[who]
    assert [count for _, count in six] == [6, 6 * lines_each]
