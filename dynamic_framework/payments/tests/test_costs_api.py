"""The cost check API: the stateless check (anyone) and the commissioners' aggregate."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dynamic_framework.payments import services_costs as services
from dynamic_framework.payments.models import CostCheck

from .costs_fixtures import years

CHECK = "/api/v1/cost-check/"
SHARED = "/api/v1/shared-cost-checks/"


def test_the_routes_are_where_the_docs_say():
    assert reverse("api:cost-check-list") == CHECK
    assert reverse("api:shared-cost-checks-list") == SHARED


def test_anyone_can_check_and_nothing_is_saved(cw):
    response = APIClient().post(CHECK, {"years": years()}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    first = body["years"][0]
    assert first["label"] == "2026-27" and first["ramp_up"] and first["extra_people"] == 40
    assert first["price_per_person_pence"] == 1_000_00 and first["full_cost_per_person_pence"] == 1_000_00
    assert first["surplus_pence"] == 0 and first["surplus_expected_pence"] == -40_000_00
    assert body["surplus_pence"] == 20_000_00 and body["ramp_up_years"] == ["2026-27"]
    assert any("rounded down" in rule for rule in body["rounding"])
    assert not CostCheck.objects.exists()


def test_expected_people_defaults_to_the_contracted_people(db):
    row = {"financial_year": 2026, "value_pence": 1000, "contracted_people": 3, "staff_pence": 1000}
    body = APIClient().post(CHECK, {"years": [row]}, format="json").json()
    assert body["years"][0]["expected_people"] == 3 and body["years"][0]["price_per_person_pence"] == 333


@pytest.mark.parametrize(
    ("body", "key", "message"),
    [
        ({"years": []}, "years", "at least one"),
        ({"years": "many"}, "years", "Send a list"),
        ({"years": [years()[0]] * 11}, "years", "no more than 10"),
        ({"years": [{**years()[0], "staff_pence": -1}]}, "years.0.staff_pence", "£0 or more"),
        ({"years": [{**years()[0], "value_pence": "lots"}]}, "years.0.value_pence", "valid integer"),
        ({"years": [{**years()[0], "expected_people": 0}]}, "years.0.expected_people", "at least 1"),
        ({"years": [{**years()[0], "financial_year": 1850}]}, "years.0.financial_year", "from 2000 to 2100"),
        ({"years": [years()[0], years()[0]]}, "years.1.financial_year", "more than once"),
        ({"years": [{**years()[0], "colour": "red"}]}, "years.0.colour", "does not take"),
        ({"years": [years()[0]], "save": True}, "save", "does not take"),
        ({"years": [7]}, "years.0", "as an object"),
    ],
)
def test_bad_figures_answer_400_with_field_messages(db, body, key, message):
    response = APIClient().post(CHECK, body, format="json")
    assert response.status_code == 400
    assert any(message in text for text in response.json()[key]), response.json()


def test_the_aggregate_is_for_commissioners_and_framework_managers(cw):
    client = APIClient()
    params = {"category": cw.category.slug, "region": cw.region.code}
    assert client.get(SHARED, params).status_code in (401, 403)
    client.force_authenticate(cw.admins[0])
    assert client.get(SHARED, params).status_code == 403
    client.force_authenticate(cw.manager)
    assert client.get(SHARED, params).status_code == 200


def test_the_aggregate(cw):
    client = APIClient()
    client.force_authenticate(cw.commissioner)
    for i, staff in enumerate((70_000_00, 90_000_00)):
        services.save_check(
            actor=cw.admins[i],
            organisation=cw.orgs[i],
            title="x",
            lot=cw.lot,
            share=True,
            years=years(staff_pence=staff),
        )
    body = client.get(SHARED, {"lot": cw.lot.pk}).json()
    assert body == {
        "organisations": 2,
        "shown": False,
        "minimum": 3,
        "median_cost_per_person_pence": None,
        "lowest_cost_per_person_pence": None,
        "highest_cost_per_person_pence": None,
        "median_price_per_person_pence": None,
        "years": [],
    }
    services.save_check(
        actor=cw.admins[2], organisation=cw.orgs[2], title="x", lot=cw.lot, share=True, years=years(staff_pence=1)
    )
    body = client.get(SHARED, {"category": cw.category.slug, "region": cw.region.code}).json()
    assert body["shown"] and body["organisations"] == 3 and body["median_cost_per_person_pence"] == 1_000_00
    assert [y["shortfalls"] for y in body["years"]] == [1, 0]


@pytest.mark.parametrize(
    ("params", "key"),
    [({}, "category"), ({"category": "women"}, "region"), ({"lot": "x"}, "lot"), ({"colour": "red"}, "colour")],
)
def test_the_aggregate_refuses_bad_parameters(cw, params, key):
    client = APIClient()
    client.force_authenticate(cw.commissioner)
    response = client.get(SHARED, params)
    assert response.status_code == 400 and key in response.json()


def test_the_schema_has_no_warnings_for_the_cost_check(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "post" in schema["paths"][CHECK] and "get" in schema["paths"][SHARED]
    mine = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if any(
            name in message for name in ("api.costs", "CostCheck", "SavedCheck", "SharedCosts", "CostYear", "Aggregate")
        )
    ]
    assert not mine, mine


def test_members_read_their_saved_checks(cw, django_assert_max_num_queries):
    mine = services.save_check(actor=cw.staff, organisation=cw.orgs[0], title="Ours", lot=cw.lot, years=years())
    theirs = services.save_check(actor=cw.admins[1], organisation=cw.orgs[1], title="Theirs", years=years())
    client = APIClient()
    client.force_authenticate(cw.admins[0])
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/cost-checks/").json()
    assert [c["title"] for c in body["results"]] == ["Ours"]
    one = client.get(f"/api/v1/cost-checks/{mine.pk}/").json()
    assert one["lot"]["call_off"] == cw.call_off.reference and one["category"] == cw.category.slug
    assert one["result"]["ramp_up_years"] == ["2026-27"] and one["shared"] is False
    assert client.get(f"/api/v1/cost-checks/{theirs.pk}/").status_code == 404
    client.force_authenticate(cw.commissioner)
    assert client.get("/api/v1/cost-checks/").status_code == 403
