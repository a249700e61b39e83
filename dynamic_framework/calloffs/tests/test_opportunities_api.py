"""The opportunities API (public, read-only): the list with the page's filters (bad values answer 400 with field
errors), pagination and query counts, and one opportunity with everything on its public page: values in pence,
times ISO 8601 in UTC, documents with download URLs, amendments, answers without who asked, winners once awarded."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from dynamic_framework.calloffs.tests.factories import pounds, travel

# The call-offs in each status, built once per test by the pages tests' fixtures
from dynamic_framework.calloffs.tests.test_opportunities_pages import states, world  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = "/api/v1/opportunities/"


def detail(client, call_off):
    response = client.get(f"{LIST}{call_off.reference}/")
    assert response.status_code == 200, response.content
    return response.json()


def utc(text: str) -> datetime:
    assert text.endswith("Z"), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_list_is_public_paginated_and_open_ones_come_first(client, world):  # noqa: F811
    sooner = world.published(deadline_in_days=12)
    later = world.published(deadline_in_days=30)
    with travel(timezone.now() - timedelta(days=40)):
        closed = world.published()
    world.draft()
    response = client.get(LIST)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [r["reference"] for r in data["results"]] == [sooner.reference, later.reference, closed.reference]
    first = data["results"][0]
    assert first["status"] == "open"
    assert first["status_label"] == "Open for bids"
    assert first["funding_mechanism"] == "grant"
    assert first["region"] == {"code": "A", "name": "North East"}
    assert first["categories"] == [{"slug": "women", "name": "Women"}]
    assert first["lots"] == [{"position": 1, "name": "Durham", "kind": "pcc_area", "pcc_areas": ["durham"]}]
    assert first["total_value_pence"] == pounds(220_000)
    assert utc(first["deadline_at"]) == sooner.deadline_at
    assert first["page_url"] == f"http://testserver/opportunities/{sooner.reference}/"
    assert first["api_url"] == f"http://testserver/api/v1/opportunities/{sooner.reference}/"
    assert data["results"][2]["status"] == "closed"


def test_the_list_takes_the_page_filters(client, world, reference_data):  # noqa: F811
    durham = world.published(lots=(("pcc_area", ["durham"]),))
    contract = world.published(lots=(("pcc_area", ["northumbria"]),), funding="contract")

    def refs(query):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        return {r["reference"] for r in response.json()["results"]}

    assert refs("pcc_area=durham") == {durham.reference}
    assert refs("funding=contract") == {contract.reference}
    assert refs("category=women&region=A&status=open") == {durham.reference, contract.reference}
    assert refs("category=accommodation") == set()


def test_bad_filters_answer_400_with_field_errors(client, world):  # noqa: F811
    response = client.get(f"{LIST}?category=nothing&region=Z&pcc_area=nowhere&funding=loan&status=maybe")
    assert response.status_code == 400
    errors = response.json()
    assert errors == {
        "category": ["Choose a service category from the list"],
        "region": ["Choose a probation region from the list"],
        "pcc_area": ["Choose a Police and Crime Commissioner area from the list"],
        "funding": ["Choose grant or contract"],
        "status": ["Choose a status from the list"],
    }


def test_the_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lots = (("pcc_area", ["durham"]), ("pcc_area", ["northumbria"]))
    for _number in range(2):
        world.published(lots=lots)
    with CaptureQueriesContext(connection) as two:
        assert client.get(LIST).json()["count"] == 2
    for _number in range(10):
        world.published(lots=lots)
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get(LIST).json()["count"] == 12


def test_one_opportunity_has_everything_on_its_page(client, states):  # noqa: F811
    call_off = states["open"]
    data = detail(client, call_off)
    assert data["reference"] == call_off.reference
    assert data["status"] == "open"
    assert data["funding_reason"].startswith("A grant suits")
    assert data["cohort"]["sex"] == "women"
    assert data["cohort"]["min_age"] == 18
    assert data["cohort"]["text"] == "Women on probation aged 18 or over"
    assert data["term"] == {"start": call_off.term_start.isoformat(), "months": 24, "extension_months": [12]}
    (lot,) = data["lots"]
    years = list(call_off.lots.get().years.all())
    assert lot["years"] == [
        {
            "financial_year": y.financial_year,
            "label": y.label,
            "max_value_pence": y.max_value_pence,
            "expected_people": y.expected_people,
        }
        for y in years
    ]
    assert lot["total_value_pence"] == pounds(220_000)
    criteria = data["criteria"]
    assert criteria["quality_questions"][0]["weight"] == 60
    assert criteria["quality_questions"][0]["word_limit"] == 300
    assert (criteria["quality_weight"], criteria["price_weight"], criteria["social_value_weight"]) == (60, 30, 10)
    assert criteria["minimum_quality_percent"] == 50
    assert [s["score"] for s in criteria["score_scale"]] == [0, 1, 2, 3, 4]
    assert criteria["tie_break_rule"].startswith("If two bids for a lot have the same total score")
    timetable = data["timetable"]
    assert utc(timetable["deadline_at"]) == call_off.deadline_at
    assert utc(timetable["questions_close_at"]) == call_off.questions_close_at
    assert utc(timetable["published_at"]) == call_off.published_at
    assert timetable["expected_award_on"] == call_off.expected_award_on.isoformat()
    (document,) = data["documents"]
    assert document["title"] == "Service specification"
    assert document["download_url"] == (
        f"http://testserver/opportunities/{call_off.reference}/documents/{states['document'].pk}/"
    )
    assert client.get(document["download_url"]).status_code == 200
    assert [a["number"] for a in data["amendments"]] == [1, 2]
    assert "deadline_at" in data["amendments"][0]["changes"]
    assert data["questions_and_answers"] == [
        {
            "question": "Can the service run from a provider's existing centre?",
            "answer": "Yes, if the centre is women-only.",
            "answered_at": data["questions_and_answers"][0]["answered_at"],
        }
    ]
    assert data["winners"] == []
    assert data["cancelled_reason"] is None


def test_the_timetable_is_in_utc_even_in_summer(client, world):  # noqa: F811
    """Stored UTC, given in UTC (Z), never in UK summer time."""
    call_off = world.published()
    text = detail(client, call_off)["deadline_at"]
    assert text == call_off.deadline_at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def test_status_reasons_and_winners_only_once_awarded(client, world, states):  # noqa: F811
    winner, loser = world.providers
    assert detail(client, states["cancelled"])["status"] == "cancelled"
    assert detail(client, states["cancelled"])["cancelled_reason"] == "The budget was withdrawn."
    assert detail(client, states["no_award"])["no_award_reason"] == "No bids met the minimum quality score."
    assert detail(client, states["evaluation"])["status"] == "closed"
    standstill = detail(client, states["standstill"])
    assert (standstill["status"], standstill["winners"]) == ("closed", [])
    awarded = detail(client, states["awarded"])
    assert awarded["status"] == "awarded"
    assert awarded["winners"] == [{"lot": 1, "organisation": {"slug": winner.slug, "name": winner.name}}]
    assert loser.name not in str(awarded)


def test_unpublished_and_unknown_opportunities_are_404(client, world, states):  # noqa: F811
    assert client.get(f"{LIST}{states['draft'].reference}/").status_code == 404
    assert client.get(f"{LIST}DFC-NOPE-NOPE/").status_code == 404
    client.force_login(world.commissioner)
    assert client.get(f"{LIST}{states['draft'].reference}/").status_code == 404


def test_the_api_is_read_only(client, world):  # noqa: F811
    call_off = world.published()
    assert client.post(LIST, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{LIST}{call_off.reference}/").status_code == 405


def test_the_schema_documents_the_endpoints(client, reference_data):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/opportunities/"]["get"]
    assert operation["tags"] == ["Opportunities"]
    assert operation["summary"]
    assert {p["name"] for p in operation["parameters"]} >= {"category", "region", "pcc_area", "funding", "status"}
    assert schema["paths"]["/api/v1/opportunities/{reference}/"]["get"]["summary"] == "One opportunity, by reference"
