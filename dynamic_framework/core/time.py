"""Times are stored in UTC and shown in UK time (Europe/London, GMT or BST)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

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
