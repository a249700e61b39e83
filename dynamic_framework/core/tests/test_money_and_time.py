from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamic_framework.core.money import (
    MoneyError,
    format_pence,
    format_pence_short,
    parse_pounds,
    percent_text,
    pounds_text,
)
from dynamic_framework.core.time import format_uk_date, format_uk_datetime, to_uk


@pytest.mark.parametrize(
    ("text", "pence"),
    [("1500", 150000), ("£1,500.50", 150050), ("0.01", 1), ("2,593,567", 259356700), (" 12.5 ", 1250), ("0", 0)],
)
def test_parse_pounds(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize(
    "text", ["", "abc", "-5", "1.234", "NaN", "Infinity", "£", "1e3x", "1e999999", "100,000,000,000", "1e20"]
)
def test_parse_pounds_rejects_bad_input(text):
    with pytest.raises(MoneyError):
        parse_pounds(text)


def test_parse_pounds_takes_amounts_up_to_its_limit():
    assert parse_pounds("99,999,999,999.99") == 9_999_999_999_999


@pytest.mark.parametrize(
    ("pence", "text"), [(0, "£0"), (150000, "£1,500"), (150050, "£1,500.50"), (1, "£0.01"), (-250, "-£2.50")]
)
def test_format_pence(pence, text):
    assert format_pence(pence) == text


def test_format_pence_short():
    assert format_pence_short(1_250_151_900) == "£12.5m"
    assert format_pence_short(54_499_200) == "£545k"
    assert format_pence_short(99_00) == "£99"


@given(st.integers(min_value=0, max_value=10**13 - 1))  # up to the limit: £100bn less a penny
def test_format_then_parse_round_trips(pence):
    assert parse_pounds(format_pence(pence, show_pence=True)) == pence


def test_uk_time_follows_british_summer_time():
    winter = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    summer = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)
    assert to_uk(winter).hour == 12
    assert to_uk(summer).hour == 13
    assert format_uk_datetime(summer) == "15 July 2026 at 1pm"
    assert format_uk_datetime(datetime(2026, 7, 15, 11, 0, tzinfo=UTC)) == "15 July 2026 at midday"
    assert format_uk_datetime(datetime(2026, 11, 23, 19, 13, tzinfo=UTC)) == "23 November 2026 at 7:13pm"
    assert format_uk_date(date(2025, 3, 31)) == "31 March 2025"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="Naive"):
        to_uk(datetime(2026, 1, 1, 12, 0))


@pytest.mark.parametrize(
    ("pence", "text"), [(None, ""), (0, "0"), (9_000_000, "90000"), (12_345, "123.45"), (5, "0.05")]
)
def test_pounds_text_is_what_a_form_box_shows(pence, text):
    assert pounds_text(pence) == text


@pytest.mark.parametrize(("bp", "text"), [(None, ""), (0, ""), (1_500, "15"), (1_250, "12.5"), (1_234, "12.34")])
def test_percent_text_drops_trailing_zeros(bp, text):
    assert percent_text(bp) == text


@given(st.integers(min_value=0, max_value=10**13 - 1))
def test_pounds_text_parses_back(pence):
    assert parse_pounds(pounds_text(pence)) == pence
