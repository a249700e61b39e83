"""The supply chain API: members with terms, changes (propose, decide, withdraw), payments, the summary."""

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from dynamic_framework.contracts import supply_chain as services
from dynamic_framework.contracts.models import SubcontractorPayment, SupplyChainChange

from .supply_chain_fixtures import ADD_TERMS


@pytest.fixture
def api():
    def as_user(user):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return as_user


def test_members_with_terms(api, sc):
    response = api(sc.lead_user).get("/api/v1/contracts/SC-1/supply-chain/")
    assert response.status_code == 200
    data = {m["organisation"]["slug"]: m for m in response.json()}
    assert data[sc.partner.slug]["terms"]["share_value"] == 2500
    assert data[sc.small.slug]["payments"]["payments"] == 0
    mine = {m["organisation"]["slug"]: m for m in api(sc.small_user).get("/api/v1/contracts/SC-1/supply-chain/").json()}
    assert "terms" in mine[sc.small.slug] and "terms" not in mine[sc.partner.slug]
    assert api(sc.newcomer_user).get("/api/v1/contracts/SC-1/supply-chain/").status_code == 403
    assert api(None).get("/api/v1/contracts/SC-1/supply-chain/").status_code == 401
    assert api(sc.lead_user).get("/api/v1/contracts/NOPE/supply-chain/").status_code == 404


def propose_body(sc, **overrides):
    body = {
        "contract": "SC-1",
        "kind": "remove",
        "member": sc.material.pk,
        "effective_on": (sc.today + timedelta(days=30)).isoformat(),
        "reason": "Closing.",
    }
    body.update(overrides)
    return body


def test_propose_decide_and_list(api, sc):
    response = api(sc.lead_user).post("/api/v1/supply-chain-changes/", propose_body(sc), format="json")
    assert response.status_code == 201, response.json()
    change = response.json()
    assert (change["status"], change["needs_approval"], change["title"]) == (
        "waiting",
        True,
        "Remove Partner Women's Centre",
    )
    url = f"/api/v1/supply-chain-changes/{change['id']}/decide/"
    assert api(sc.lead_user).post(url, {"approve": True, "reason": "x"}, format="json").status_code == 403
    response = api(sc.commissioner).post(url, {"approve": False, "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(sc.commissioner).post(url, {"approve": True, "reason": "Fine."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "applied"
    response = api(sc.commissioner).post(url, {"approve": True, "reason": "Again."}, format="json")
    assert response.status_code == 400 and response.json() == {"detail": ["This change has already been decided"]}
    assert [c["id"] for c in api(sc.partner_user).get("/api/v1/supply-chain-changes/").json()["results"]] == [
        change["id"]
    ]
    assert api(sc.small_user).get("/api/v1/supply-chain-changes/").json()["results"] == []
    assert api(sc.small_user).get(f"/api/v1/supply-chain-changes/{change['id']}/").status_code == 404


def test_propose_refusals_are_field_errors(api, sc):
    client = api(sc.lead_user)
    body = propose_body(sc, kind="add", member=None, organisation=sc.lead.slug, terms={**ADD_TERMS, "share_value": 0})
    response = client.post("/api/v1/supply-chain-changes/", body, format="json")
    assert response.status_code == 400
    assert response.json()["organisation"] == ["The lead provider cannot be a member of its own supply chain"]
    assert "share_value" in response.json()
    response = client.post("/api/v1/supply-chain-changes/", propose_body(sc, colour="red"), format="json")
    assert response.json() == {"colour": ["This route does not take this field"]}
    response = client.post("/api/v1/supply-chain-changes/", propose_body(sc, organisation="nobody"), format="json")
    assert response.json() == {"organisation": ["No organisation has that slug"]}
    response = api(sc.small_user).post("/api/v1/supply-chain-changes/", propose_body(sc), format="json")
    assert response.status_code == 403
    response = api(sc.newcomer_user).post("/api/v1/supply-chain-changes/", propose_body(sc), format="json")
    assert response.status_code == 400 and "contract" in response.json()


def test_add_through_the_api(api, sc):
    body = propose_body(sc, kind="add", member=None, organisation=sc.newcomer.slug, terms=ADD_TERMS)
    response = api(sc.lead_user).post("/api/v1/supply-chain-changes/", body, format="json")
    assert response.status_code == 201 and response.json()["status"] == "applied"


def test_withdraw(api, sc):
    change = services.propose_change(
        actor=sc.lead_user,
        contract=sc.contract,
        kind="remove",
        member=sc.material,
        effective_on=sc.today + timedelta(days=3),
        reason="Closing.",
    )
    url = f"/api/v1/supply-chain-changes/{change.pk}/withdraw/"
    assert api(sc.commissioner).post(url, {}, format="json").status_code == 403
    response = api(sc.lead_user).post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api(sc.lead_user).post(url, {}, format="json").json() == {
        "detail": ["This change has already been withdrawn"]
    }
    assert SupplyChainChange.objects.get().withdrawn_at is not None


def test_payments(api, sc):
    client = api(sc.lead_user)
    body = {
        "member": sc.minor.pk,
        "invoiced_on": (sc.today - timedelta(days=40)).isoformat(),
        "amount_pence": 500_00,
        "invoice_reference": "INV-9",
    }
    response = client.post("/api/v1/subcontractor-payments/", body, format="json")
    assert response.status_code == 201, response.json()
    payment = response.json()
    assert (payment["days"], payment["late"], payment["paid_on"]) == (40, True, None)
    response = client.post("/api/v1/subcontractor-payments/", {**body, "amount_pence": -1}, format="json")
    assert response.json() == {"amount_pence": ["Enter the amount invoiced, more than £0"]}
    assert api(sc.small_user).post("/api/v1/subcontractor-payments/", body, format="json").status_code == 403
    url = f"/api/v1/subcontractor-payments/{payment['id']}/mark-paid/"
    response = client.post(url, {"paid_on": (sc.today + timedelta(days=1)).isoformat()}, format="json")
    assert response.json() == {"paid_on": ["The date paid must be today or in the past"]}
    response = client.post(url, {"paid_on": sc.today.isoformat()}, format="json")
    assert response.status_code == 200 and response.json()["days"] == 40
    assert [p["id"] for p in api(sc.small_user).get("/api/v1/subcontractor-payments/").json()["results"]] == [
        payment["id"]
    ]
    assert api(sc.partner_user).get("/api/v1/subcontractor-payments/").json()["results"] == []
    assert (
        api(sc.commissioner).get(f"/api/v1/subcontractor-payments/?member={sc.minor.pk}").json()["results"][0]["late"]
    )
    assert api(sc.commissioner).get("/api/v1/subcontractor-payments/?member=x").status_code == 400
    assert SubcontractorPayment.objects.count() == 1


def test_summary(api, sc):
    SubcontractorPayment.objects.create(
        member=sc.minor,
        invoiced_on=sc.today - timedelta(days=10),
        paid_on=sc.today,
        amount_pence=1,
        recorded_by=sc.lead_user,
    )
    response = api(sc.commissioner).get("/api/v1/supply-chain-payment-summary/")
    assert response.status_code == 200
    row = next(r for r in response.json() if r["organisation"]["slug"] == sc.lead.slug)
    assert (row["payments"], row["paid_on_time"], row["share_on_time"], row["median_days"]) == (1, 1, 100.0, 10)
    assert api(sc.commissioner).get("/api/v1/supply-chain-payment-summary/?region=B").status_code == 400
    assert api(sc.lead_user).get("/api/v1/supply-chain-payment-summary/").status_code == 403


def test_members_query_count_does_not_grow(api, sc, django_assert_max_num_queries):
    from dynamic_framework.contracts.models import SupplyChainMember
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    for number in range(10):
        SupplyChainMember.objects.create(contract=sc.contract, organisation=ProviderFactory(name=f"Extra {number}"))
    client = api(sc.commissioner)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/contracts/SC-1/supply-chain/").status_code == 200
