"""A contract's status from its dates and recorded actions, in Python (status_of) and in the database (status_q)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import UserFactory
from dynamic_framework.contracts import status
from dynamic_framework.contracts.models import Contract, ExtensionOption
from dynamic_framework.contracts.status import Status, status_of
from dynamic_framework.contracts.tests.factories import ContractFactory

START, END = date(2024, 4, 1), date(2025, 3, 31)


def contract(**fields) -> Contract:
    values = {"start_date": START, "end_date": END, "original_end_date": END, **fields}
    c = Contract(**values)
    c.extension_exercised = False  # as with_status_facts() annotates it
    return c


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (START - timedelta(days=1), Status.NOT_STARTED),
        (START, Status.LIVE),
        (END, Status.LIVE),
        (END + timedelta(days=1), Status.ENDED),
    ],
)
def test_from_the_dates(day, expected):
    assert status_of(contract(), on=day) == expected


def test_in_extension_once_an_option_is_taken_up_and_the_original_end_has_passed():
    extended = contract(end_date=END + timedelta(days=365))
    extended.extension_exercised = True
    assert status_of(extended, on=END) == Status.LIVE
    assert status_of(extended, on=END + timedelta(days=1)) == Status.IN_EXTENSION
    assert status_of(extended, on=END + timedelta(days=366)) == Status.ENDED
    # A later end date without an option taken up (a change of end date) is not an extension
    moved = contract(end_date=END + timedelta(days=365))
    assert status_of(moved, on=END + timedelta(days=1)) == Status.LIVE


def test_terminated_on_and_after_the_day():
    ended_early = contract(terminated_on=date(2024, 10, 1), termination_reason="Provider closed")
    assert status_of(ended_early, on=date(2024, 9, 30)) == Status.LIVE
    assert status_of(ended_early, on=date(2024, 10, 1)) == Status.TERMINATED
    assert status_of(ended_early, on=END + timedelta(days=10)) == Status.TERMINATED


def test_hmpps_register_contracts_without_dates_use_the_referral_dates():
    closes = datetime(2023, 12, 31, 23, 59, tzinfo=ZoneInfo("UTC"))
    c = contract(start_date=None, end_date=None, original_end_date=None, referrals_opened_on=date(2021, 1, 1))
    c.referrals_closed_at = closes
    assert status_of(c, on=date(2020, 12, 31)) == Status.NOT_STARTED
    assert status_of(c, on=date(2023, 12, 31)) == Status.LIVE
    assert status_of(c, on=date(2024, 1, 1)) == Status.ENDED
    assert status_of(contract(start_date=None, end_date=None), on=date(2030, 1, 1)) == Status.LIVE


def test_the_default_day_is_today_in_the_uk():
    today = timezone.localdate()
    assert status_of(contract(start_date=today, end_date=today, original_end_date=today)) == Status.LIVE
    assert status_of(contract(start_date=today + timedelta(days=1), end_date=today + timedelta(days=2))) == (
        Status.NOT_STARTED
    )


def test_without_the_annotation_it_reads_the_options(reference_data):
    c = ContractFactory(start_date=START, end_date=END + timedelta(days=100), original_end_date=END)
    option = ExtensionOption.objects.create(contract=c, position=1, months=3, exercise_by=END)
    c = Contract.objects.get(pk=c.pk)
    assert status_of(c, on=END + timedelta(days=1)) == Status.LIVE
    option.exercised_at, option.exercised_by = timezone.now(), UserFactory()
    option.save()
    c = Contract.objects.get(pk=c.pk)
    assert status_of(c, on=END + timedelta(days=1)) == Status.IN_EXTENSION


def test_the_database_filter_agrees_with_status_of(reference_data):
    user = UserFactory()
    made = {
        "not-started": ContractFactory(start_date=date(2030, 1, 1), end_date=date(2031, 1, 1)),
        "live": ContractFactory(start_date=START, end_date=date(2030, 1, 1), original_end_date=date(2030, 1, 1)),
        "ended": ContractFactory(start_date=START, end_date=END, original_end_date=END),
        "terminated": ContractFactory(
            start_date=START, end_date=date(2030, 1, 1), terminated_on=date(2025, 1, 1), termination_reason="Closed"
        ),
        "extension": ContractFactory(start_date=START, end_date=date(2030, 1, 1), original_end_date=END),
        "moved": ContractFactory(start_date=START, end_date=date(2030, 1, 1), original_end_date=END),
        "no-dates": ContractFactory(),
        "closed": ContractFactory(
            referrals_opened_on=date(2021, 1, 1), referrals_closed_at=datetime(2023, 1, 1, tzinfo=ZoneInfo("UTC"))
        ),
    }
    ExtensionOption.objects.create(
        contract=made["extension"],
        position=1,
        months=12,
        exercise_by=END,
        exercised_at=timezone.now(),
        exercised_by=user,
    )
    ExtensionOption.objects.create(contract=made["moved"], position=1, months=12, exercise_by=END)
    day = date(2026, 6, 1)
    qs = status.with_status_facts(Contract.objects.all())
    by_python = {c.pk: status_of(c, on=day) for c in qs}
    assert by_python[made["extension"].pk] == Status.IN_EXTENSION
    assert by_python[made["moved"].pk] == Status.LIVE
    assert by_python[made["closed"].pk] == Status.ENDED
    for code, _label in Status.choices:
        in_db = set(qs.filter(status.status_q(code, on=day)).values_list("pk", flat=True))
        assert in_db == {pk for pk, s in by_python.items() if s == code}, code
