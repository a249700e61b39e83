"""Times are stored in UTC and shown in UK time (Europe/London, GMT or BST)."""

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone

UK = ZoneInfo("Europe/London")


def to_uk(value: datetime) -> datetime:
    if timezone.is_naive(value):
        raise ValueError("Naive datetimes are not allowed: store times in UTC")
    return value.astimezone(UK)


def format_uk_datetime(value: datetime | None) -> str:
    """'23 November 2026 at 7:13pm' in UK time."""
    if value is None:
        return ""
    local = to_uk(value)
    hour = local.strftime("%I").lstrip("0") or "12"
    minute = local.strftime("%M")
    ampm = local.strftime("%p").lower()
    clock = f"{hour}{ampm}" if minute == "00" else f"{hour}:{minute}{ampm}"
    if clock == "12pm":
        clock = "midday"
    elif clock == "12am":
        clock = "midnight"
    return f"{local.day} {local:%B %Y} at {clock}"


def format_uk_date(value: date | datetime | None) -> str:
    """'23 November 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_uk(value).date()
    return f"{value.day} {value:%B %Y}"


def uk_now() -> datetime:
    return timezone.now().astimezone(UK)


# Working days: Monday to Friday, not bank holidays in England and Wales (the `holidays` package's UK calendar for
# England, which England and Wales share; Wales has no extra bank holidays).
@functools.cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The working day `count` working days after `day` (count >= 0; 0 is `day` itself, moved on to a working day)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    while not is_working_day(current):
        current += timedelta(days=1)
    for _step in range(count):
        current += timedelta(days=1)
        while not is_working_day(current):
            current += timedelta(days=1)
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` `end` is: working days in (start, end]. 0 when end <= start."""
    if end <= start:
        return 0
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
