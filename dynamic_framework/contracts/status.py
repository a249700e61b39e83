"""A contract's status on a day, from its dates and recorded actions (never a stored free-text status).

- terminated    terminated_on is set and the day is on or after it
- not started   the day is before the start date
- ended         the day is after the end date
- in extension  an extension option has been taken up and the day is after the original end date
- live          otherwise

Contracts from the HMPPS register that have no published start or end date use the days the register started
and stopped taking referrals (referrals_opened_on, referrals_closed_at) instead; a contract with neither is live.

`status_of(contract, on=day)` works on one contract (without a query when the queryset came from
`with_status_facts()`); `status_q(status, on=day)` is the same rule as a database filter, for the register's
status filter. The two must agree: tests/test_register_status.py checks both on the same cases.
"""

from datetime import date, datetime, time

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ExtensionOption


class Status:
    NOT_STARTED = "not_started"
    LIVE = "live"
    IN_EXTENSION = "in_extension"
    ENDED = "ended"
    TERMINATED = "terminated"

    choices = [
        (NOT_STARTED, _("Not started")),
        (LIVE, _("Live")),
        (IN_EXTENSION, _("In extension")),
        (ENDED, _("Ended")),
        (TERMINATED, _("Terminated")),
    ]
    labels = dict(choices)
    # GOV.UK tag colours
    tag_classes = {
        NOT_STARTED: "govuk-tag--grey",
        LIVE: "govuk-tag--green",
        IN_EXTENSION: "govuk-tag--turquoise",
        ENDED: "govuk-tag--grey",
        TERMINATED: "govuk-tag--red",
    }
    descriptions = {
        NOT_STARTED: _("The service has not started yet."),
        LIVE: _("The service is being delivered."),
        IN_EXTENSION: _("The service is being delivered in an extension: an option to extend was taken up."),
        ENDED: _("The service has ended."),
        TERMINATED: _("The contract was ended early (terminated)."),
    }


def today() -> date:
    """Today in the UK."""
    return timezone.localdate()


def _start(contract) -> date | None:
    return contract.start_date or contract.referrals_opened_on


def _end(contract) -> date | None:
    if contract.end_date:
        return contract.end_date
    if contract.referrals_closed_at:
        return timezone.localtime(contract.referrals_closed_at).date()
    return None


def extension_exercised(contract) -> bool:
    """Whether an extension option of the contract has been taken up (from the annotation if there is one)."""
    annotated = getattr(contract, "extension_exercised", None)
    if annotated is not None:
        return bool(annotated)
    cache = getattr(contract, "_prefetched_objects_cache", {})
    if "extension_options" in cache:
        return any(o.exercised_at is not None for o in cache["extension_options"])
    return contract.extension_options.filter(exercised_at__isnull=False).exists()


def status_of(contract, *, on: date | None = None) -> str:
    day = on or today()
    if contract.terminated_on and day >= contract.terminated_on:
        return Status.TERMINATED
    start, end = _start(contract), _end(contract)
    if start and day < start:
        return Status.NOT_STARTED
    if end and day > end:
        return Status.ENDED
    if contract.original_end_date and day > contract.original_end_date and extension_exercised(contract):
        return Status.IN_EXTENSION
    return Status.LIVE


def exercised_subquery():
    return Exists(ExtensionOption.objects.filter(contract=OuterRef("pk"), exercised_at__isnull=False))


def with_status_facts(qs: QuerySet) -> QuerySet:
    """Annotate what the status needs beyond the contract's own columns (whether an option was taken up)."""
    return qs.annotate(
        extension_exercised=exercised_subquery(),
        status_start=Coalesce("start_date", "referrals_opened_on"),
    )


def _uk_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def status_q(status: str, *, on: date | None = None) -> Q:
    """The filter for contracts with `status` on the day. The queryset must come from with_status_facts()."""
    day = on or today()
    terminated = Q(terminated_on__isnull=False, terminated_on__lte=day)
    not_started = Q(status_start__isnull=False, status_start__gt=day)
    ended = Q(end_date__isnull=False, end_date__lt=day) | Q(
        end_date__isnull=True, referrals_closed_at__isnull=False, referrals_closed_at__lt=_uk_midnight(day)
    )
    in_extension = Q(original_end_date__isnull=False, original_end_date__lt=day, extension_exercised=True)
    if status == Status.TERMINATED:
        return terminated
    if status == Status.NOT_STARTED:
        return ~terminated & not_started
    if status == Status.ENDED:
        return ~terminated & ~not_started & ended
    if status == Status.IN_EXTENSION:
        return ~terminated & ~not_started & ~ended & in_extension
    if status == Status.LIVE:
        return ~terminated & ~not_started & ~ended & ~in_extension
    raise ValueError(f"unknown status {status!r}")
