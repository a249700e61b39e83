"""Contracts made from a call-off's award carry the register's facts: funding mechanism, years, areas served,
extension options, eligibility and the supply chain's terms from the winning bid."""

from datetime import timedelta

import pytest

from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.tests.factories import CallOffWorld, after_deadline, evaluate, pounds, travel
from dynamic_framework.contracts.models import Contract
from dynamic_framework.contracts.status import Status, status_of
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return CallOffWorld.build(providers=1)


def award(world, call_off, bid):
    with after_deadline(call_off):
        evaluate(world, call_off)
        services.recommend_award(actor=world.commissioner, call_off=call_off)
        services.approve_award(actor=world.approver, call_off=call_off)
    call_off.refresh_from_db()
    with travel(call_off.standstill_ends_at + timedelta(minutes=1)):
        services.confirm_award(actor=world.commissioner, call_off=call_off)


def test_a_multi_area_grant_lot_makes_contracts_sharing_the_awards_values(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_off = world.published(lots=(("areas", ["durham", "northumbria"]),), funding="grant")
    lead = world.providers[0]
    sub = ProviderFactory(name="Small Partner CIC")
    bid = world.bid(
        lead,
        call_off,
        prices=(90_000, 110_000),
        supply_chain=[
            {
                "organisation": sub.pk,
                "role": "Mentoring for women leaving prison",
                "share_type": "percent",
                "share_value": 2000,
                "payment_terms": "pass_through",
                "material": True,
            }
        ],
    )
    award(world, call_off, bid)
    contracts = list(Contract.objects.filter(award__round__slug=f"call-off-{call_off.reference.lower()}"))
    assert len(contracts) == 2
    first_year = call_off.term_start.year if call_off.term_start.month >= 4 else call_off.term_start.year - 1
    for contract in contracts:
        assert contract.funding_mechanism == "grant"
        assert contract.original_end_date == contract.end_date
        assert contract.eligibility.startswith("Women aged 18 and over on probation")
        assert [(y.financial_year, y.value_pence, y.expected_people) for y in contract.years.all()] == [
            (first_year, pounds(90_000), 40),
            (first_year + 1, pounds(110_000), 60),
        ]
        assert [a.pcc_area.slug for a in contract.areas.all()] == [contract.pcc_area.slug]
        assert contract.areas.get().added_on == call_off.term_start
        options = list(contract.extension_options.all())
        assert [(o.months, o.exercise_by) for o in options] == [(12, contract.end_date)]
        member = contract.supply_chain.get()
        assert member.organisation == sub
        assert member.service == "Mentoring for women leaving prison"
        assert (member.share_type, member.share_value, member.payment_terms) == ("percent", 2000, "pass_through")
        assert member.material is True and member.joined_on == call_off.term_start
        assert status_of(contract, on=call_off.term_start - timedelta(days=1)) == Status.NOT_STARTED
        assert status_of(contract, on=call_off.term_start) == Status.LIVE


def test_a_whole_region_contract_lot_serves_every_area_of_the_region(
    reference_data, django_capture_on_commit_callbacks
):
    from dynamic_framework.geography.models import PccArea

    world = CallOffWorld.build(
        providers=1, areas=tuple(PccArea.objects.filter(region__code="A").values_list("slug", flat=True))
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_off = world.published(lots=(("region", []),), funding="contract")
    bid = world.bid(world.providers[0], call_off)
    award(world, call_off, bid)
    contract = Contract.objects.get(award__round__slug=f"call-off-{call_off.reference.lower()}")
    assert contract.funding_mechanism == "contract"
    assert contract.pcc_area is None
    assert sorted(a.pcc_area.slug for a in contract.areas.all()) == sorted(
        contract.region.pcc_areas.values_list("slug", flat=True)
    )
