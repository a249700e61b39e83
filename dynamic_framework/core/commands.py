"""What the daily management commands share: the `--today YYYY-MM-DD` option that lets tests (and a catch-up run)
act as if it were another day."""

from datetime import date

from django.core.management.base import CommandError


def add_today_argument(parser) -> None:
    parser.add_argument(
        "--today", default="", help="Act as if today were this date (YYYY-MM-DD), for testing. Default: today."
    )


def today_from(options) -> date | None:
    """The --today date, or None for the real today. A date that is not YYYY-MM-DD is a CommandError."""
    text = options["today"]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today: {text!r} is not a date like 2026-03-31") from exc
