# ruff: noqa: F811 - the fixtures are imported by name from variations_helpers
"""The variation services: each kind's success (the change, the numbered variation with from and to, the audit
event, the lead provider told) and every refusal (a message on the field, nothing saved)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import variations
from dynamic_framework.contracts.models import ContractArea, ContractYear, Variation
from dynamic_framework.contracts.tests.variations_helpers import (  # noqa: F401
    build_contract,
    commissioner,
    contract,
    lead_admin,
    member,
    other_commissioner,
)
from dynamic_framework.core.models import AuditEvent, Notification
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.tests.factories import CommissioningBodyFactory, ProviderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def refused(call, field=None, contains=""):
    """Run `call`, which must raise ValidationError (on `field`, with `contains` in its message), saving nothing."""
    variations_before = Variation.objects.count()
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if field:
        assert hasattr(error, "error_dict") and field in error.error_dict, error
        text = " ".join(error.message_dict[field])
    else:
        text = " ".join(error.messages)
    assert contains in text, text
    assert Variation.objects.count() == variations_before
    assert AuditEvent.objects.count() == events_before
    return text


def areas(contract, day=None):
    day = day or TODAY()
    return sorted(
        row.pcc_area.slug
        for row in ContractArea.objects.filter(contract=contract).select_related("pcc_area")
        if (row.added_on is None or row.added_on <= day) and (row.removed_on is None or row.removed_on >= day)
    )


# Extend ------------------------------------------------------------------------------------------------------


def test_extend_moves_the_end_date_on_and_records_everything(contract, commissioner, lead_admin):
    option = contract.extension_options.get(position=1)
    old_end = contract.end_date
    variation = variations.extend(actor=commissioner, contract=contract, option=option, reason="Good results")
    contract.refresh_from_db()
    option.refresh_from_db()
    assert contract.end_date == variations.add_months(old_end, 12)
    assert option.exercised_at is not None and option.exercised_by == commissioner
    assert variation.number == 1 and variation.kind == "extend" and variation.effective_on == TODAY()
    assert variation.changes["end_date"] == {"from": old_end.isoformat(), "to": contract.end_date.isoformat()}
    assert variation.changes["extension_option"]["to"]["position"] == 1
    event = AuditEvent.objects.filter(action="contracts.variation_extend").get()
    assert event.after["end_date"] == contract.end_date.isoformat() and event.before["end_date"] == old_end.isoformat()
    notice = Notification.objects.get(user=lead_admin)
    assert contract.reference in notice.title and notice.link == f"/contracts/{contract.reference}/variations/"
    assert not Notification.objects.filter(user=commissioner).exists()


def test_variations_are_numbered_in_order(contract, commissioner):
    variations.extend(
        actor=commissioner, contract=contract, option=contract.extension_options.get(position=1), reason="r"
    )
    second = variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=contract.years.first().financial_year,
        value_pence=1,
        reason="r",
        effective_on=TODAY(),
    )
    assert second.number == 2


def test_extend_sets_the_original_end_date_when_missing(contract, commissioner):
    contract.original_end_date = None
    contract.save()
    end = contract.end_date
    variation = variations.extend(
        actor=commissioner, contract=contract, option=contract.extension_options.first(), reason="r"
    )
    contract.refresh_from_db()
    assert contract.original_end_date == end
    assert variation.changes["original_end_date"] == {"from": None, "to": end.isoformat()}


def test_extend_refuses_an_option_taken_up_already(contract, commissioner):
    option = contract.extension_options.get(position=1)
    variations.extend(actor=commissioner, contract=contract, option=option, reason="r")
    refused(
        lambda: variations.extend(actor=commissioner, contract=contract, option=option, reason="again"),
        "option",
        "already taken up",
    )


def test_extend_refuses_after_the_exercise_by_date(contract, commissioner):
    option = contract.extension_options.get(position=1)
    option.exercise_by = TODAY() - timedelta(days=1)
    option.save()
    refused(
        lambda: variations.extend(actor=commissioner, contract=contract, option=option, reason="late"),
        "option",
        "had to be taken up by",
    )


def test_extend_refuses_an_ended_contract(reference_data, commissioner):
    ended = build_contract(start=date(2021, 6, 26), end=TODAY() - timedelta(days=10), reference="ENDED")
    option = ended.extension_options.get(position=2)  # exercise_by is still to come
    refused(lambda: variations.extend(actor=commissioner, contract=ended, option=option, reason="r"), "option", "ended")


def test_extend_can_record_an_option_taken_up_earlier(contract, commissioner):
    day = TODAY() - timedelta(days=20)
    variation = variations.extend(
        actor=commissioner, contract=contract, option=contract.extension_options.first(), reason="r", exercised_on=day
    )
    assert variation.effective_on == day
    assert contract.extension_options.first().exercised_at.date() == day
    refused(
        lambda: variations.extend(
            actor=commissioner,
            contract=contract,
            option=contract.extension_options.get(position=2),
            reason="r",
            exercised_on=TODAY() + timedelta(days=1),
        ),
        "exercised_on",
        "future",
    )


def test_extend_refuses_a_terminated_contract_and_another_contracts_option(contract, commissioner):
    other = build_contract(reference="OTHER")
    refused(
        lambda: variations.extend(
            actor=commissioner, contract=contract, option=other.extension_options.first(), reason="r"
        ),
        "option",
        "not one of this contract's",
    )
    variations.terminate(actor=commissioner, contract=contract, terminated_on=TODAY(), reason="Closed")
    refused(
        lambda: variations.extend(
            actor=commissioner, contract=contract, option=contract.extension_options.first(), reason="r"
        ),
        None,
        "terminated",
    )


def test_only_the_contracts_commissioners_can_vary_it(contract, other_commissioner, lead_admin):
    for actor in (other_commissioner, lead_admin):
        refused(
            lambda actor=actor: variations.extend(
                actor=actor, contract=contract, option=contract.extension_options.first(), reason="r"
            ),
            None,
            "Only commissioners for North East",
        )


def test_a_reason_is_needed(contract, commissioner):
    refused(
        lambda: variations.extend(
            actor=commissioner, contract=contract, option=contract.extension_options.first(), reason="  "
        ),
        "reason",
        "Say why",
    )


# Change the value --------------------------------------------------------------------------------------------


def test_change_value_of_a_year(contract, commissioner):
    year = contract.years.order_by("financial_year").first()
    variation = variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=year.financial_year,
        value_pence=90_000_00,
        expected_people=40,
        reason="Fewer referrals",
        effective_on=TODAY(),
    )
    year.refresh_from_db()
    assert (year.value_pence, year.expected_people) == (90_000_00, 40)
    assert variation.changes == {
        f"year:{year.financial_year}": {
            "from": {"value_pence": 100_000_00, "expected_people": 50},
            "to": {"value_pence": 90_000_00, "expected_people": 40},
        }
    }
    assert "Value for" in variations.describe_changes(variation)[0]


def test_change_value_keeps_the_people_unless_told_and_adds_a_year(contract, commissioner):
    years = variations.contract_financial_years(contract)
    missing = years[-1]
    assert not contract.years.filter(financial_year=missing).exists()
    variation = variations.change_value(
        actor=commissioner, contract=contract, financial_year=missing, value_pence=5, reason="r", effective_on=TODAY()
    )
    assert ContractYear.objects.get(contract=contract, financial_year=missing).value_pence == 5
    assert variation.changes[f"year:{missing}"]["from"] is None
    first = contract.years.order_by("financial_year").first()
    variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=first.financial_year,
        value_pence=7,
        reason="r",
        effective_on=TODAY(),
    )
    first.refresh_from_db()
    assert first.expected_people == 50


def test_change_value_refusals(contract, commissioner):
    year = contract.years.order_by("financial_year").first().financial_year

    def change(**overrides):
        values = {
            "actor": commissioner,
            "contract": contract,
            "financial_year": year,
            "value_pence": 1,
            "reason": "r",
            "effective_on": TODAY(),
            **overrides,
        }
        return lambda: variations.change_value(**values)

    refused(change(value_pence=-1), "value_pence", "less than £0")
    refused(change(value_pence="lots"), "value_pence", "Enter the value")
    refused(change(financial_year=2001), "financial_year", "does not run in 2001-02")
    refused(change(expected_people=-3), "expected_people", "whole number")
    refused(change(value_pence=100_000_00), "value_pence", "already the value")
    refused(change(effective_on=contract.start_date - timedelta(days=1)), "effective_on", "on or after")
    refused(change(effective_on=contract.end_date + timedelta(days=1)), "effective_on", "on or before")
    refused(change(effective_on=None), "effective_on", "Enter the date")


def test_a_change_cannot_take_effect_before_an_earlier_recorded_change_of_the_same_thing(contract, commissioner):
    year = contract.years.order_by("financial_year").first().financial_year
    variations.change_value(
        actor=commissioner, contract=contract, financial_year=year, value_pence=1, reason="r", effective_on=TODAY()
    )
    refused(
        lambda: variations.change_value(
            actor=commissioner,
            contract=contract,
            financial_year=year,
            value_pence=2,
            reason="r",
            effective_on=TODAY() - timedelta(days=5),
        ),
        "effective_on",
        "Variation 1 already changed this",
    )
    # another year is another thing
    variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=year + 1,
        value_pence=2,
        reason="r",
        effective_on=TODAY() - timedelta(days=5),
    )


# Change the end date -------------------------------------------------------------------------------------------


def test_change_end_date_earlier_and_later(contract, commissioner):
    old = contract.end_date
    earlier = old - timedelta(days=100)
    variation = variations.change_end_date(
        actor=commissioner, contract=contract, end_date=earlier, reason="Budget", effective_on=TODAY()
    )
    contract.refresh_from_db()
    assert contract.end_date == earlier and contract.original_end_date == old
    assert variation.changes["end_date"] == {"from": old.isoformat(), "to": earlier.isoformat()}
    last = variations.add_months(old, 18)
    variations.change_end_date(actor=commissioner, contract=contract, end_date=last, reason="r", effective_on=TODAY())
    contract.refresh_from_db()
    assert contract.end_date == last


def test_change_end_date_refusals(contract, commissioner):
    def change(**overrides):
        values = {
            "actor": commissioner,
            "contract": contract,
            "end_date": contract.end_date - timedelta(days=1),
            "reason": "r",
            "effective_on": TODAY(),
            **overrides,
        }
        return lambda: variations.change_end_date(**values)

    refused(change(end_date=contract.start_date - timedelta(days=1)), "end_date", "before the contract started")
    last = variations.add_months(contract.end_date, 18)
    text = refused(change(end_date=last + timedelta(days=1)), "end_date", "the last allowed date")
    assert "original end date" in text and "18 months" in text
    refused(change(end_date=contract.end_date), "end_date", "already the end date")
    refused(change(end_date=None), "end_date", "Enter the new end date")
    refused(change(effective_on=contract.start_date - timedelta(days=1)), "effective_on", "on or after")


def test_change_end_date_without_options_stops_at_the_original_end_date(reference_data, commissioner):
    plain = build_contract(reference="PLAIN")
    plain.extension_options.all().delete()
    refused(
        lambda: variations.change_end_date(
            actor=commissioner,
            contract=plain,
            end_date=plain.end_date + timedelta(days=1),
            reason="r",
            effective_on=TODAY(),
        ),
        "end_date",
        "no options to extend",
    )


# Areas -----------------------------------------------------------------------------------------------------------


def test_add_area(contract, commissioner):
    cleveland = PccArea.objects.get(slug="cleveland")
    variation = variations.add_area(
        actor=commissioner, contract=contract, pcc_area=cleveland, effective_on=TODAY(), reason="New need"
    )
    assert areas(contract) == ["cleveland", "durham", "northumbria"]
    assert variation.changes == {
        f"area:{cleveland.pk}": {"from": None, "to": {"added_on": TODAY().isoformat(), "removed_on": None}}
    }
    assert variations.describe_changes(variation) == [f"Cleveland served from {variations.format_uk_date(TODAY())}"]


def test_add_area_refusals(contract, commissioner):
    def add(slug, **overrides):
        values = {
            "actor": commissioner,
            "contract": contract,
            "pcc_area": PccArea.objects.get(slug=slug),
            "effective_on": TODAY(),
            "reason": "r",
            **overrides,
        }
        return lambda: variations.add_area(**values)

    refused(add("durham"), "pcc_area", "already serves Durham")
    text = refused(add("cumbria"), "pcc_area", "Cumbria is in the North West region")
    assert "only serve areas in its own region" in text
    refused(add("cleveland", effective_on=contract.end_date + timedelta(days=1)), "effective_on", "on or before")
    refused(add("cleveland", pcc_area=None), "pcc_area", "Choose a PCC area")


def test_remove_area_until_a_day_then_add_it_back_later(contract, commissioner):
    durham = PccArea.objects.get(slug="durham")
    last = TODAY() - timedelta(days=10)
    variation = variations.remove_area(
        actor=commissioner, contract=contract, pcc_area=durham, last_day=last, reason="Moved to another contract"
    )
    assert variation.effective_on == last + timedelta(days=1)
    assert areas(contract, last) == ["durham", "northumbria"]
    assert areas(contract, last + timedelta(days=1)) == ["northumbria"]
    assert "Durham served until" in variations.describe_changes(variation)[0]
    refused(
        lambda: variations.add_area(
            actor=commissioner, contract=contract, pcc_area=durham, effective_on=last, reason="r"
        ),
        "effective_on",
        "served until",
    )
    variations.add_area(
        actor=commissioner, contract=contract, pcc_area=durham, effective_on=last + timedelta(days=5), reason="Back"
    )
    assert areas(contract) == ["durham", "northumbria"]


def test_remove_area_refusals(contract, commissioner):
    def remove(slug, **overrides):
        values = {
            "actor": commissioner,
            "contract": contract,
            "pcc_area": PccArea.objects.get(slug=slug),
            "last_day": TODAY(),
            "reason": "r",
            **overrides,
        }
        return lambda: variations.remove_area(**values)

    refused(remove("cleveland"), "pcc_area", "does not serve Cleveland")
    refused(remove("durham", last_day=contract.start_date - timedelta(days=1)), "last_day", "on or after")
    refused(remove("durham", last_day=contract.end_date), "last_day", "ends on")
    refused(remove("durham", last_day=None), "last_day", "Enter the last day")
    variations.remove_area(
        actor=commissioner, contract=contract, pcc_area=PccArea.objects.get(slug="durham"), last_day=TODAY(), reason="r"
    )
    refused(remove("northumbria"), "pcc_area", "terminate the contract instead")


def test_areas_are_recorded_first_for_a_contract_with_none(reference_data, commissioner):
    regional = build_contract(reference="REGIONAL", areas=())
    variation = variations.remove_area(
        actor=commissioner,
        contract=regional,
        pcc_area=PccArea.objects.get(slug="cleveland"),
        last_day=TODAY(),
        reason="Cleveland moves to its own contract",
    )
    assert areas(regional) == ["cleveland", "durham", "northumbria"]
    assert areas(regional, TODAY() + timedelta(days=1)) == ["durham", "northumbria"]
    assert variation.kind == "remove_area"


# Novation ------------------------------------------------------------------------------------------------------------


def test_novate(contract, commissioner, lead_admin):
    new = ProviderFactory(name="New Lead")
    new_admin = user_with_role("provider_administrator", organisation=new)
    old = contract.lead_provider
    variation = variations.novate(
        actor=commissioner, contract=contract, new_lead_provider=new, effective_on=TODAY(), reason="Merger"
    )
    contract.refresh_from_db()
    assert contract.lead_provider == new and contract.lead_provider_as_written == "New Lead"
    assert variation.changes["lead_provider"] == {"from": old.pk, "to": new.pk}
    assert variations.describe_changes(variation) == [f"Lead provider from {old.name} to New Lead"]
    assert (
        Notification.objects.filter(user=lead_admin).exists() and Notification.objects.filter(user=new_admin).exists()
    )


def test_novate_refusals(contract, commissioner, member):
    def novate(organisation, **overrides):
        values = {
            "actor": commissioner,
            "contract": contract,
            "new_lead_provider": organisation,
            "effective_on": TODAY(),
            "reason": "r",
            **overrides,
        }
        return lambda: variations.novate(**values)

    refused(novate(contract.lead_provider), "new_lead_provider", "already the lead provider")
    refused(novate(CommissioningBodyFactory()), "new_lead_provider", "not a provider organisation")
    refused(novate(None), "new_lead_provider", "Choose the organisation")
    refused(novate(member.organisation), "new_lead_provider", "must leave the supply chain")
    refused(
        novate(ProviderFactory(), effective_on=contract.end_date + timedelta(days=1)), "effective_on", "on or before"
    )
    # once it has left (before the day it takes over), it may
    member.left_on = TODAY() - timedelta(days=1)
    member.save()
    variations.novate(
        actor=commissioner, contract=contract, new_lead_provider=member.organisation, effective_on=TODAY(), reason="r"
    )


# Termination --------------------------------------------------------------------------------------------------------


def test_terminate(contract, commissioner, lead_admin):
    variation = variations.terminate(
        actor=commissioner, contract=contract, terminated_on=TODAY(), reason="Provider closed"
    )
    contract.refresh_from_db()
    assert contract.terminated_on == TODAY() and contract.termination_reason == "Provider closed"
    assert variation.changes["terminated_on"] == {"from": None, "to": TODAY().isoformat()}
    assert AuditEvent.objects.filter(action="contracts.variation_terminate").exists()
    assert Notification.objects.filter(user=lead_admin).exists()


def test_terminate_refusals(contract, commissioner):
    def terminate(**overrides):
        values = {"actor": commissioner, "contract": contract, "terminated_on": TODAY(), "reason": "r", **overrides}
        return lambda: variations.terminate(**values)

    refused(terminate(reason=""), "reason", "Say why")
    refused(terminate(terminated_on=contract.start_date - timedelta(days=1)), "terminated_on", "before it started")
    refused(terminate(terminated_on=contract.end_date + timedelta(days=1)), "terminated_on", "ends on")
    refused(terminate(terminated_on=None), "terminated_on", "Enter the last day")
    variations.terminate(actor=commissioner, contract=contract, terminated_on=TODAY(), reason="r")
    refused(terminate(), "terminated_on", "already terminated")
    refused(
        lambda: variations.add_area(
            actor=commissioner,
            contract=contract,
            pcc_area=PccArea.objects.get(slug="cleveland"),
            effective_on=TODAY(),
            reason="r",
        ),
        None,
        "cannot be varied",
    )
