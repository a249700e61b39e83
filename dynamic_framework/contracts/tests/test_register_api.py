"""The register API: the list with the page's filters, one contract, the pipeline."""

import pytest
from rest_framework.authtoken.models import Token

from . import register_world as rw

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_world(reference_data):
    return rw.build()


def as_user(client, user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def test_the_list_is_public_and_filtered(client, register_world, django_assert_max_num_queries):
    from dynamic_framework.contracts.tests.factories import ContractFactory

    for n in range(5):
        ContractFactory(reference=f"T-MORE-{n}")
    with django_assert_max_num_queries(14):  # the same whatever the number of contracts
        response = client.get("/api/v1/contracts/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 9
    live = next(c for c in body["results"] if c["reference"] == "T-LIVE")
    assert live["status"] == "live" and live["value_pence"] == 220_000_00 and live["pcc_area"] == "durham"
    assert live["lead_provider"] == {"slug": "northern-womens-trust", "name": "Northern Women's Trust"}
    assert "commissioner" not in live
    shared = next(c for c in body["results"] if c["reference"] == "T-SHARED-cleveland")
    assert shared["value_shared_by"] == 2 and shared["value_pence"] == 300_000_00
    refs = {c["reference"] for c in client.get("/api/v1/contracts/", {"status": "ended"}).json()["results"]}
    assert refs == {"T-ENDED"}
    refs = {c["reference"] for c in client.get("/api/v1/contracts/", {"ends_before": "2000-01-01"}).json()["results"]}
    assert refs == set()


@pytest.mark.parametrize("params", [{"region": "Z"}, {"status": "asleep"}, {"ends_after": "31/03/2025"}])
def test_bad_filters_answer_400_with_the_fields_message(client, register_world, params):
    response = client.get("/api/v1/contracts/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_one_contract_shows_non_public_facts_only_to_parties(client, register_world):
    w = register_world
    body = client.get("/api/v1/contracts/T-LIVE/").json()
    assert [y["label"] for y in body["years"]] == ["2030-31", "2031-32"]
    assert {a["pcc_area"] for a in body["areas"]} == {"durham", "cumbria"}
    assert [(o["months"], o["exercised"]) for o in body["extension_options"]] == [(12, False), (6, False)]
    assert body["supply_chain"][0]["name"] == "Small Partner CIC"
    assert body["commissioner"] is None and body["status"] == "live"
    from dynamic_framework.organisations.tests.factories import CommissioningBodyFactory

    w.live.commissioner = CommissioningBodyFactory(name="HMPPS North East")
    w.live.save()
    assert client.get("/api/v1/contracts/T-LIVE/", **as_user(client, w.outsider)).json()["commissioner"] is None
    body = client.get("/api/v1/contracts/T-LIVE/", **as_user(client, w.provider)).json()
    assert body["commissioner"] == {"name": "HMPPS North East"}
    assert client.get("/api/v1/contracts/NOPE/").status_code == 404


def test_the_pipeline_is_for_commissioners(client, register_world):
    w = register_world
    assert client.get("/api/v1/contracts/pipeline/").status_code == 401
    assert client.get("/api/v1/contracts/pipeline/", **as_user(client, w.provider)).status_code == 403
    headers = as_user(client, w.commissioner)
    body = client.get("/api/v1/contracts/pipeline/", **headers).json()
    assert [c["reference"] for c in body["results"]] == ["T-LIVE"]
    assert [o["months"] for o in body["results"][0]["available_extension_options"]] == [12]
    body = client.get("/api/v1/contracts/pipeline/", {"months": 18, "region": "A,B"}, **headers).json()
    assert {c["reference"] for c in body["results"]} == {"T-LIVE", "T-SHARED-cleveland", "T-SHARED-northumbria"}
    assert client.get("/api/v1/contracts/pipeline/", {"months": 7}, **headers).status_code == 400


def test_the_schema_has_no_warnings_for_the_register(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/contracts/" in schema["paths"] and "/api/v1/contracts/pipeline/" in schema["paths"]
    mine = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(name in message for name in ("api.register", "[ContractViewSet", "[PipelineViewSet", "Register"))
    ]
    assert not mine, mine
