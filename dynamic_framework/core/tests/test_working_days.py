from datetime import date

import pytest

from dynamic_framework.core.time import add_working_days, is_working_day, working_days_between


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2026, 12, 2))  # a Wednesday
    assert not is_working_day(date(2026, 12, 5))  # a Saturday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day moved to Monday
    assert not is_working_day(date(2026, 4, 3))  # Good Friday


def test_five_working_days_after_a_monday_is_the_next_monday():
    assert add_working_days(date(2026, 11, 30), 5) == date(2026, 12, 7)


def test_working_days_skip_christmas():
    # Wednesday 23 December 2026: 24th, 29th, 30th, 31st, then 2 January 2027 is a Saturday and 1 January a bank
    # holiday, so the fifth working day is Monday 4 January 2027.
    assert add_working_days(date(2026, 12, 23), 5) == date(2027, 1, 4)
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5


def test_counting_is_the_inverse_of_adding():
    for count in range(0, 30):
        start = date(2026, 3, 27)
        assert working_days_between(start, add_working_days(start, count)) == count


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
