# ruff: noqa: F811 - the fixtures are imported by name from variations_helpers
"""The contract as it stood on a day, worked back from today's state on a hand-built history of several variations:
days before, on, between and after their dates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dynamic_framework.contracts import variations
from dynamic_framework.contracts.tests.variations_helpers import build_contract, commissioner  # noqa: F401
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(reference_data, commissioner):
    """Started 1000 days ago; its original end date was 10 days ago. Then, in this order:
    1. the first year's value 100,000 -> 80,000 from start+100
    2. Durham served until start+200
    3. novated to New Lead from start+300
    4. a value for a later year added, from start+400
    5. extension option 1 (12 months) taken up 40 days ago
    6. terminated: last day in 30 days."""
    today = timezone.localdate()
    start = today - timedelta(days=1000)
    original_end = today - timedelta(days=10)
    contract = build_contract(start=start, end=original_end, reference="HISTORY")
    option = contract.extension_options.get(position=1)
    option.exercise_by = today - timedelta(days=20)
    option.save()
    first_year = contract.years.order_by("financial_year").first().financial_year
    old_lead = contract.lead_provider
    new_lead = ProviderFactory(name="New Lead")
    later_year = variations.contract_financial_years(contract)[-1]
    days = {
        "start": start,
        "value": start + timedelta(days=100),
        "durham_last": start + timedelta(days=200),
        "novated": start + timedelta(days=300),
        "year_added": start + timedelta(days=400),
        "extended": today - timedelta(days=40),
        "terminated": today + timedelta(days=30),
        "original_end": original_end,
        "today": today,
    }
    variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=first_year,
        value_pence=80_000_00,
        reason="Fewer referrals than expected",
        effective_on=days["value"],
    )
    variations.remove_area(
        actor=commissioner,
        contract=contract,
        pcc_area=PccArea.objects.get(slug="durham"),
        last_day=days["durham_last"],
        reason="Durham moves to a new contract",
    )
    variations.novate(
        actor=commissioner,
        contract=contract,
        new_lead_provider=new_lead,
        effective_on=days["novated"],
        reason="The lead provider merged",
    )
    variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=later_year,
        value_pence=50_000_00,
        reason="Money for the last year",
        effective_on=days["year_added"],
    )
    variations.extend(
        actor=commissioner, contract=contract, option=option, reason="Good results", exercised_on=days["extended"]
    )
    variations.terminate(
        actor=commissioner, contract=contract, terminated_on=days["terminated"], reason="The service is not needed"
    )
    contract.refresh_from_db()
    return {
        "contract": contract,
        "days": days,
        "first_year": first_year,
        "later_year": later_year,
        "old_lead": old_lead,
        "new_lead": new_lead,
        "new_end": variations.add_months(original_end, 12),
    }


def value(snapshot, year):
    return {y.financial_year: y.value_pence for y in snapshot.years}.get(year)


def slugs(snapshot):
    return [area.slug for area in snapshot.areas]


def test_before_the_start_nothing_had_changed(history):
    contract, days = history["contract"], history["days"]
    snapshot = variations.as_at(contract, days["start"] - timedelta(days=1))
    assert snapshot.status == "not_started"
    assert value(snapshot, history["first_year"]) == 100_000_00
    assert value(snapshot, history["later_year"]) is None
    assert snapshot.lead_provider == history["old_lead"]
    assert snapshot.end_date == days["original_end"]
    assert snapshot.terminated_on is None
    assert slugs(snapshot) == []  # areas are served from the start
    assert snapshot.variations == [] and len(snapshot.later_variations) == 6


def test_on_the_first_day_as_signed(history):
    contract, days = history["contract"], history["days"]
    snapshot = variations.as_at(contract, days["start"])
    assert snapshot.status == "live" and snapshot.status_label == "Live"
    assert slugs(snapshot) == ["durham", "northumbria"]
    assert value(snapshot, history["first_year"]) == 100_000_00


def test_on_the_day_a_change_takes_effect_and_the_day_before(history):
    contract, days = history["contract"], history["days"]
    assert value(variations.as_at(contract, days["value"] - timedelta(days=1)), history["first_year"]) == 100_000_00
    on = variations.as_at(contract, days["value"])
    assert value(on, history["first_year"]) == 80_000_00
    assert [v.number for v in on.variations] == [1]


def test_between_variations(history):
    contract, days = history["contract"], history["days"]
    last_durham = variations.as_at(contract, days["durham_last"])
    assert slugs(last_durham) == ["durham", "northumbria"]
    after = variations.as_at(contract, days["durham_last"] + timedelta(days=1))
    assert slugs(after) == ["northumbria"]
    assert after.lead_provider == history["old_lead"]
    novated = variations.as_at(contract, days["novated"])
    assert novated.lead_provider == history["new_lead"]
    assert value(novated, history["later_year"]) is None
    assert value(variations.as_at(contract, days["year_added"]), history["later_year"]) == 50_000_00
    before_extension = variations.as_at(contract, days["extended"] - timedelta(days=1))
    assert before_extension.end_date == days["original_end"]
    assert before_extension.status == "live"
    extended = variations.as_at(contract, days["extended"])
    assert extended.end_date == history["new_end"] and extended.status == "live"


def test_after_the_original_end_date_in_extension(history):
    contract, days = history["contract"], history["days"]
    snapshot = variations.as_at(contract, days["today"])
    assert snapshot.status == "in_extension"
    assert snapshot.end_date == history["new_end"]
    assert snapshot.terminated_on is None and snapshot.termination_reason == ""
    assert [v.number for v in snapshot.variations] == [1, 2, 3, 4, 5]
    assert [v.number for v in snapshot.later_variations] == [6]


def test_after_the_termination(history):
    contract, days = history["contract"], history["days"]
    snapshot = variations.as_at(contract, days["terminated"])
    assert snapshot.status == "terminated"
    assert snapshot.terminated_on == days["terminated"]
    assert snapshot.termination_reason == "The service is not needed"
    assert len(snapshot.variations) == 6
    assert snapshot.total_value_pence == 80_000_00 + 120_000_00 + 50_000_00


def test_a_contract_with_no_variations_and_no_recorded_areas(reference_data):
    contract = build_contract(reference="PLAIN", areas=())
    snapshot = variations.as_at(contract, timezone.localdate())
    assert snapshot.status == "live"
    assert slugs(snapshot) == ["cleveland", "durham", "northumbria"]  # a regional contract: the region's areas
    assert snapshot.variations == []


def test_the_history_in_plain_words(history):
    contract = history["contract"]
    found = list(contract.variations.order_by("number"))
    names = variations.names_for(found)
    words = [variations.describe_changes(v, names) for v in found]
    assert words[1][0].startswith("Durham served until")
    assert words[2] == [f"Lead provider from {history['old_lead'].name} to New Lead"]
    assert "Extension option 1 (12 months) taken up" in words[4]
    assert words[5][0].startswith("Terminated: the last day is")
