# ruff: noqa: F811 - the fixtures are imported by name from variations_helpers
"""The variations API: the list (public, reasons for the parties), recording each kind (field errors as JSON 400,
who may), the contract as at a date."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dynamic_framework.contracts import variations
from dynamic_framework.contracts.models import Variation
from dynamic_framework.contracts.tests.variations_helpers import (  # noqa: F401
    commissioner,
    contract,
    lead_admin,
    member,
    other_commissioner,
)
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def url(contract, what="variations"):
    return f"/api/v1/contracts/{contract.reference}/{what}/"


def test_record_each_kind(contract, commissioner):
    today = timezone.localdate().isoformat()
    new = ProviderFactory(name="New Lead", slug="new-lead")
    bodies = [
        {"kind": "extend", "option": 1},
        {
            "kind": "change_value",
            "financial_year": contract.years.first().financial_year,
            "value_pence": 5,
            "effective_on": today,
        },
        {
            "kind": "change_end_date",
            "end_date": (contract.end_date + timedelta(days=5)).isoformat(),
            "effective_on": today,
        },
        {"kind": "add_area", "pcc_area": "cleveland", "effective_on": today},
        {"kind": "remove_area", "pcc_area": "durham", "last_day": today},
        {"kind": "novate", "new_lead_provider": "new-lead", "effective_on": today},
        {"kind": "terminate", "terminated_on": today},
    ]
    client = api(commissioner)
    for number, body in enumerate(bodies, start=1):
        response = client.post(url(contract), {**body, "reason": f"Reason {number}"}, format="json")
        assert response.status_code == 201, (body, response.json())
        assert response.json()["number"] == number and response.json()["kind"] == body["kind"]
        assert response.json()["reason"] == f"Reason {number}"
        assert response["Location"] == f"/contracts/{contract.reference}/variations/{number}/"
    contract.refresh_from_db()
    assert contract.lead_provider == new and contract.terminated_on is not None


def test_field_errors_as_json(contract, commissioner):
    client = api(commissioner)

    def post(body):
        response = client.post(url(contract), body, format="json")
        assert response.status_code == 400, response.content
        return response.json()

    assert "kind" in post({})
    assert "kind" in post({"kind": "merge"})
    assert post({"kind": "terminate", "reason": "r", "colour": "red"}) == {
        "colour": ["A terminate variation does not take this field"]
    }
    assert "terminated_on" in post({"kind": "terminate", "reason": "r", "terminated_on": "31/12/2025"})
    last = variations.add_months(contract.end_date, 18) + timedelta(days=1)
    errors = post(
        {
            "kind": "change_end_date",
            "end_date": last.isoformat(),
            "effective_on": timezone.localdate().isoformat(),
            "reason": "r",
        }
    )
    assert "the last allowed date" in errors["end_date"][0]
    assert (
        "less than £0"
        in post(
            {
                "kind": "change_value",
                "financial_year": 2025,
                "value_pence": -1,
                "effective_on": "2026-01-01",
                "reason": "r",
            }
        )["value_pence"][0]
    )
    assert (
        "North West"
        in post(
            {"kind": "add_area", "pcc_area": "cumbria", "effective_on": timezone.localdate().isoformat(), "reason": "r"}
        )["pcc_area"][0]
    )
    assert post({"kind": "add_area", "pcc_area": "atlantis", "effective_on": "2026-01-01", "reason": "r"}) == {
        "pcc_area": ["No PCC area has that slug"]
    }
    assert "option" in post({"kind": "extend", "option": 9, "reason": "r"})
    assert "reason" in post({"kind": "terminate", "terminated_on": timezone.localdate().isoformat(), "reason": ""})
    assert not Variation.objects.exists()


def test_who_may_record(contract, other_commissioner, lead_admin):
    body = {"kind": "terminate", "terminated_on": timezone.localdate().isoformat(), "reason": "r"}
    assert api().post(url(contract), body, format="json").status_code == 401
    for user in (other_commissioner, lead_admin):
        assert api(user).post(url(contract), body, format="json").status_code == 403
    assert api(lead_admin).post("/api/v1/contracts/NO-SUCH/variations/", body, format="json").status_code == 404
    assert not Variation.objects.exists()


def test_the_list_is_public_and_reasons_are_for_the_parties(contract, commissioner, lead_admin):
    variations.add_area(
        actor=commissioner,
        contract=contract,
        pcc_area=PccArea.objects.get(slug="cleveland"),
        effective_on=timezone.localdate(),
        reason="Private reason",
    )
    public = api().get(url(contract)).json()["results"]
    assert public[0]["kind"] == "add_area" and public[0]["description"][0].startswith("Cleveland served from")
    assert public[0]["reason"] is None and public[0]["recorded_by"] is None
    party = api(lead_admin).get(url(contract)).json()["results"]
    assert party[0]["reason"] == "Private reason" and party[0]["recorded_by"] == "Grace Okafor"
    assert api().get("/api/v1/contracts/NO-SUCH/variations/").status_code == 404


def test_as_at(contract, commissioner):
    last = timezone.localdate() - timedelta(days=3)
    variations.remove_area(
        actor=commissioner, contract=contract, pcc_area=PccArea.objects.get(slug="durham"), last_day=last, reason="r"
    )
    before = api().get(url(contract, "as-at"), {"date": last.isoformat()}).json()
    assert [a["slug"] for a in before["areas"]] == ["durham", "northumbria"]
    assert before["variations"] == [] and before["later_variations"] == 1 and before["status"] == "live"
    after = api().get(url(contract, "as-at"), {"date": (last + timedelta(days=1)).isoformat()}).json()
    assert [a["slug"] for a in after["areas"]] == ["northumbria"] and after["variations"][0]["number"] == 1
    assert api().get(url(contract, "as-at")).json()["date"] == timezone.localdate().isoformat()
    bad = api().get(url(contract, "as-at"), {"date": "2023-02-30"})
    assert bad.status_code == 400 and "date" in bad.json()
    assert api().get("/api/v1/contracts/NO-SUCH/as-at/").status_code == 404


def test_the_schema_documents_the_routes(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/contracts/{reference}/variations/" in schema
    assert "/api/v1/contracts/{reference}/as-at/" in schema


def test_the_list_is_paginated_with_a_fixed_number_of_queries(contract, commissioner, django_assert_max_num_queries):
    year = contract.years.first().financial_year
    for value in range(1, 56):
        variations.change_value(
            actor=commissioner,
            contract=contract,
            financial_year=year,
            value_pence=value,
            reason="r",
            effective_on=timezone.localdate(),
        )
    client = api(commissioner)
    client.get(url(contract))
    with django_assert_max_num_queries(10):
        first = client.get(url(contract)).json()
    assert first["count"] == 55 and len(first["results"]) == 50 and first["results"][0]["number"] == 55
    assert [v["number"] for v in client.get(url(contract), {"page": 2}).json()["results"]] == [5, 4, 3, 2, 1]
