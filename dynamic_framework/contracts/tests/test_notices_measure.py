"""The 5-working-day cascade measure on hand-built cases (contracts/notices.py cascade_measure)."""

from datetime import date

import pytest

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import notices
from dynamic_framework.contracts.models import NoticeDelivery, SupplyChainMember
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.tests.factories import ProviderFactory

from .factories import AwardFactory, ContractFactory
from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build()


def reach(w, notice, sub, when, contract=None):
    """A delivery to `sub` made at `when` (as forward_notice would make it, at a chosen time)."""
    contract = contract or w.contract
    lead = notice.deliveries.get(contract=contract, forwarded_from__isnull=True)
    return NoticeDelivery.objects.create(
        notice=notice,
        organisation=sub,
        contract=contract,
        forwarded_from=lead,
        delivered_at=when,
        delivered_by=w.prime_user,
    )


def test_three_members_two_in_time_one_late(w, django_assert_num_queries):
    # Sent Monday 2 March 2026; reached Wednesday (2 working days), Friday (4) and Wednesday 11 March (7)
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    reach(w, notice, w.subs[0], uk(2026, 3, 4, 15))
    reach(w, notice, w.subs[1], uk(2026, 3, 6, 9))
    reach(w, notice, w.subs[2], uk(2026, 3, 11, 11))
    with django_assert_num_queries(3):
        measure = notices.cascade_measure()
    row = measure.overall
    assert (row.notices, row.members, row.reached_in_time, row.reached_late, row.not_reached) == (1, 3, 2, 1, 0)
    assert row.percent == 67 and row.median_days == 4 and row.median_text == "4"
    assert [(r.label, r.percent) for r in measure.by_lead_provider] == [("Prime Partnership", 67)]
    assert [(r.label, r.percent, r.median_text) for r in measure.by_region] == [("North East", 67, "4")]


def test_never_reached_counts_as_not_reached_and_is_left_out_of_the_median(w):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    reach(w, notice, w.subs[0], uk(2026, 3, 2, 16))  # same day: 0 working days
    reach(w, notice, w.subs[1], uk(2026, 3, 9, 17))  # the 5th working day: still in time
    row = notices.cascade_measure().overall
    assert (row.members, row.reached_in_time, row.not_reached) == (3, 2, 1)
    assert row.percent == 67 and row.median_days == 2.5 and row.median_text == "2.5"


def test_working_days_skip_weekends_and_bank_holidays(w):
    # Sent Thursday 2 April 2026. Good Friday (3rd) and Easter Monday (6th) are bank holidays in England and Wales.
    with travel(uk(2026, 4, 2, 10)):
        notice = w.send()
    reach(w, notice, w.subs[0], uk(2026, 4, 7, 10))  # 1 working day
    reach(w, notice, w.subs[1], uk(2026, 4, 13, 10))  # 5 working days
    reach(w, notice, w.subs[2], uk(2026, 4, 14, 10))  # 6: late
    row = notices.cascade_measure().overall
    assert sorted(row.days) == [1, 5, 6]
    assert (row.reached_in_time, row.reached_late, row.percent, row.median_text) == (2, 1, 67, "5")


def test_uk_dates_decide_the_day(w):
    # 11:30pm UTC on Friday 5 June 2026 is 12:30am on Saturday in UK summer time
    with travel(uk(2026, 6, 1, 10)):
        notice = w.send()
    reach(w, notice, w.subs[0], uk(2026, 6, 6, 0, 30))  # Saturday in the UK: still 4 working days
    row = notices.cascade_measure().overall
    assert row.days == [4]


def test_only_members_current_when_sent_and_only_cascade_required_notices(w):
    w.members[2].left_on = date(2026, 2, 27)
    w.members[2].save()
    SupplyChainMember.objects.create(contract=w.contract, organisation=ProviderFactory(), joined_on=date(2026, 3, 5))
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
        w.send(cascade_required=False)
    with travel(uk(2026, 3, 6, 10)):
        notices.forward_notice(actor=w.prime_user, delivery=notice.deliveries.get(forwarded_from__isnull=True))
    row = notices.cascade_measure().overall
    # Sub A and Sub B; not Sub C (left before) nor the member that joined after; not the other notice
    assert (row.notices, row.members, row.reached_in_time, row.days) == (1, 2, 2, [4, 4])


def test_per_lead_provider_and_per_region(w, django_assert_num_queries):
    region_b = Region.objects.get(code="B")
    other_lead = ProviderFactory(name="Another Lead")
    b_contract = ContractFactory(
        award=AwardFactory(region=region_b, lead_provider=other_lead), reference="NOT-B2", end_date=date(2028, 1, 1)
    )
    b_sub = ProviderFactory(name="Sub in B")
    SupplyChainMember.objects.create(contract=b_contract, organisation=b_sub)
    both = user_with_role(Role.COMMISSIONER, regions=[Region.objects.get(code="A"), region_b])
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send([w.contract, b_contract], actor=both)
    reach(w, notice, w.subs[0], uk(2026, 3, 3))
    reach(w, notice, b_sub, uk(2026, 3, 20), contract=b_contract)  # 14 working days
    with django_assert_num_queries(3):
        measure = notices.cascade_measure()
    rows = {r.label: r for r in measure.by_lead_provider}
    assert (rows["Prime Partnership"].members, rows["Prime Partnership"].percent) == (3, 33)
    assert (rows["Another Lead"].members, rows["Another Lead"].percent, rows["Another Lead"].median_text) == (
        1,
        0,
        "14",
    )
    regions = {r.label: r for r in measure.by_region}
    assert set(regions) == {"North East", "North West"}
    assert measure.overall.members == 4 and measure.overall.percent == 25
    only_a = notices.cascade_measure(regions=[Region.objects.get(code="A")])
    assert [r.label for r in only_a.by_region] == ["North East"] and only_a.overall.members == 3


def test_no_notices_no_figures(w):
    measure = notices.cascade_measure()
    assert measure.overall.members == 0 and measure.overall.percent is None and measure.overall.median_days is None
    assert measure.by_lead_provider == [] and measure.by_region == []
