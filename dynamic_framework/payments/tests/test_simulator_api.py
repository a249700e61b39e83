"""POST /api/v1/simulator/: public, the page's sums as JSON, field errors as JSON (400) for bad input."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dynamic_framework.payments import simulator

pytestmark = pytest.mark.django_db

URL = "/api/v1/simulator/"


@pytest.fixture
def api():
    return APIClient()


def post(api, body):
    return api.post(URL, body, format="json")


def test_the_transforming_rehabilitation_example_gives_the_seed_004_rows(api):
    response = post(api, simulator.example_json())
    assert response.status_code == 200
    data = response.json()
    (member,) = data["combinations"]
    assert member["name"] == "Local charity" and member["conditional_on_prime"] is True
    rows = [
        (
            r["lead_provider_reaches_target"],
            r["lead_provider_paid_pence"] > 0,
            r["subcontractor_reaches_target"],
            r["subcontractor_paid_pence"] > 0,
        )
        for r in member["rows"]
    ]
    assert rows[:3] == [(True, True, True, True), (True, True, False, False), (False, False, True, False)]
    assert {o["terms"]: o["subcontractor_paid_pence"] for o in member["other_terms"]}[
        "Not conditional on the lead provider"
    ] == [20_000_00, 0, 20_000_00, 0]
    assert [
        (y["year"], y["lead_provider"]["received_pence"], y["subcontractors"][0]["paid_pence"]) for y in data["years"]
    ] == [
        ("expected", 115_000_00, 20_000_00),
        ("good", 140_000_00, 24_000_00),
        ("bad", 0, 0),
    ]
    assert data == simulator.as_json(simulator.build(simulator.transforming_rehabilitation_example()))


def test_a_minimal_set_up_with_worked_out_years(api):
    body = {
        "result_kind": "started",
        "lead_provider": {"mechanism": "fixed_fee", "yearly_value_pence": 50_000_00},
        "subcontractors": [{"terms": "pass_through", "share_bp": 2_000, "results": {"expected": 10}}],
    }
    data = post(api, body).json()
    assert [row["subcontractor_paid_pence"] for row in data["combinations"][0]["rows"]] == [10_000_00]
    assert data["combinations"][0]["rows"][0]["lead_provider_reaches_target"] is None
    good = data["years"][1]["subcontractors"][0]
    assert (good["results"], good["worked_out"]) == (12, True)


def example_with(change):
    body = copy.deepcopy(simulator.example_json())
    change(body)
    return body


def set_in(path, value):
    def change(body):
        node = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


@pytest.mark.parametrize(
    "change, errors",
    [
        (
            set_in(["lead_provider", "fee_pence"], -100),
            {"lead_provider": {"fee_pence": ["Enter the fee as 0 pence or more"]}},
        ),
        (
            set_in(["lead_provider", "fee_pence"], "a lot"),
            {"lead_provider": {"fee_pence": ["Enter the fee in pence, as a whole number"]}},
        ),
        (
            set_in(["lead_provider", "fee_pence"], 0),
            {"lead_provider": {"fee_pence": ["Enter a fee for at least one outcome"]}},
        ),
        (
            set_in(["subcontractors", 0, "fee_pence"], 0),
            {"subcontractors": {"0": {"fee_pence": ["Payment by results needs at least one fee"]}}},
        ),
        (
            set_in(["subcontractors", 0, "results", "expected"], 2.5),
            {
                "subcontractors": {
                    "0": {"results": {"expected": ["Enter the expected year's results as a whole number"]}}
                }
            },
        ),
        (
            set_in(["subcontractors"], [{"terms": "pass_through", "share_bp": 10_001}]),
            {"subcontractors": {"0": {"share_bp": ["Enter the share of no more than 10,000"]}}},
        ),
        (
            set_in(["lead_provider", "mechanism"], "barter"),
            {
                "lead_provider": {
                    "mechanism": [
                        "Choose how the contract pays the lead provider: fixed_fee, grant, payment_by_results or hybrid"
                    ]
                }
            },
        ),
        (
            set_in(["subcontractors"], [{"terms": "pass_through", "share_bp": 100}] * 6),
            {"subcontractors": ["Enter no more than 5 subcontractors"]},
        ),
        (set_in(["colour"], "blue"), {"colour": ["This route does not take this field"]}),
        (
            set_in(["lead_provider", "fixed_share_bp"], 5000),  # not a hybrid: left out, not refused
            None,
        ),
    ],
)
def test_bad_input_answers_400_with_field_errors(api, change, errors):
    response = post(api, example_with(change))
    if errors is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.json()
    assert response.json() == errors


def test_pass_through_shares_over_100_percent_in_total(api):
    body = {
        "result_kind": "started",
        "lead_provider": {"mechanism": "grant", "yearly_value_pence": 10_000_00},
        "subcontractors": [
            {"terms": "pass_through", "share_bp": 6_000},
            {"terms": "protected_fixed_fee", "protected_fee_pence": 1_00},
            {"terms": "pass_through", "share_bp": 4_001},
        ],
    }
    response = post(api, body)
    assert response.status_code == 400
    message = ["The pass-through shares add up to more than 100% of the lead provider's payment"]
    assert response.json() == {
        "subcontractors": {"non_field_errors": message, "0": {"share_bp": message}, "2": {"share_bp": message}}
    }


@pytest.mark.parametrize("body", [[], "hello", {"lead_provider": []}, {"subcontractors": {"a": 1}}])
def test_bodies_that_are_not_a_set_up(api, body):
    response = post(api, body)
    assert response.status_code == 400
    assert isinstance(response.json(), dict)


def test_get_is_not_allowed_and_the_schema_documents_the_route_with_examples(api):
    assert api.get(URL).status_code == 405
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/simulator/" in schema
    assert "The Transforming Rehabilitation example" in schema and "Pass-through shares over 100%" in schema


def test_the_schema_has_no_warnings_for_the_simulator(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/simulator/"]["post"]
    assert operation["security"] == [{}]  # public: no token needed
    names = ("Simulator", "payments/api/simulator.py")
    mine = [m for m in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache] if any(n in m for n in names)]
    assert not mine, mine
    components = schema["components"]["schemas"]
    assert {"SimulatorSetupRequest", "SimulatorLeadProviderRequest", "SimulatorSubcontractorRequest"} <= set(components)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def _mutations():
    paths = [
        ["result_kind"],
        ["lead_provider", "mechanism"],
        ["lead_provider", "fee_pence"],
        ["lead_provider", "target"],
        ["lead_provider", "results"],
        ["lead_provider", "results", "good"],
        ["subcontractors"],
        ["subcontractors", 0, "terms"],
        ["subcontractors", 0, "share_bp"],
        ["subcontractors", 0, "conditional_on_prime"],
        ["subcontractors", 0, "results", "expected"],
    ]
    return st.lists(st.tuples(st.sampled_from(paths), json_values), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_mutations())
def test_odd_bodies_answer_200_or_400_never_500(api, changes):
    body = copy.deepcopy(simulator.example_json())
    for path, value in changes:
        node = body
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    response = post(api, body)
    assert response.status_code in (200, 400), response.content
    assert isinstance(response.json(), dict)
