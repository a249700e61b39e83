"""Variations: every recorded change to a contract after it was signed, and the contract as it stood on any day.

    extend(actor=, contract=, option=, reason=, exercised_on=None, effective_on=None)
    change_value(actor=, contract=, financial_year=, value_pence=, expected_people=KEEP, reason=, effective_on=)
    change_end_date(actor=, contract=, end_date=, reason=, effective_on=)
    add_area(actor=, contract=, pcc_area=, effective_on=, reason=)
    remove_area(actor=, contract=, pcc_area=, last_day=, reason=)
    novate(actor=, contract=, new_lead_provider=, effective_on=, reason=)
    terminate(actor=, contract=, terminated_on=, reason=)
    as_at(contract, day) -> ContractAsAt

Each service takes keyword arguments only, runs in one transaction with the contract's row locked, changes the
contract, writes a Variation (numbered 1, 2, ... for the contract) whose `changes` says what changed from what to
what (JSON values: dates as ISO strings, money in pence, organisations and areas by id), writes an audit event and
tells the lead provider's people in the service, all in that transaction. Bad input raises ValidationError with a
plain-English message on the field, and nothing is saved. Only commissioners for the contract's region may vary it.

`as_at` works back from the contract as it is now, undoing the variations that took effect after the day, newest
first; areas come from their added_on and removed_on. For that to be exact, a variation may not take effect before
an earlier-recorded variation of the same thing (its end date, one year's value, its lead provider): record the
change that came first first.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_framework.accounts.models import PROVIDER_ROLES, RoleGrant, User
from dynamic_framework.accounts.rules import commissioner_region_ids
from dynamic_framework.core import audit
from dynamic_framework.core.notifications import notify
from dynamic_framework.core.time import UK, format_uk_date
from dynamic_framework.qualification.models import add_months

from .models import Contract, ContractArea, ContractYear, ExtensionOption, SupplyChainMember, Variation

Kind = Variation.Kind
KEEP = object()  # change_value: leave the expected number of people as it is
MAX_VALUE_PENCE = 10**13  # £100 billion: anything larger is a typing mistake
MAX_REASON = 5000


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _today() -> date:
    return timezone.localdate()


# Checks shared by every variation -----------------------------------------------------------------------------


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("region", "lead_provider", "pcc_area")
        .get(pk=contract.pk)
    )


def _require_commissioner(actor, contract: Contract) -> None:
    if contract.region_id not in commissioner_region_ids(actor):
        raise ValidationError(
            _("Only commissioners for %(region)s can vary this contract") % {"region": contract.region.name}
        )


def _reason(reason) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise ValidationError({"reason": _("Say why the contract is changing")})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": _("The reason must be %(limit)s characters or fewer") % {"limit": MAX_REASON}})
    return text


def _require_date(value, field_name: str, what: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError({field_name: _("Enter %(what)s") % {"what": what}})
    return value


def _not_terminated(contract: Contract) -> None:
    if contract.terminated_on:
        raise ValidationError(
            _("This contract was terminated on %(day)s: it cannot be varied any more")
            % {"day": format_uk_date(contract.terminated_on)}
        )


def _start(actor, contract: Contract, reason) -> tuple[Contract, str]:
    """What every variation but a termination checks first, inside its transaction: the contract locked, the actor
    one of its commissioners, a reason given, and the contract not terminated. Returns the locked contract and the
    cleaned reason."""
    locked = _lock(contract)
    _require_commissioner(actor, locked)
    reason = _reason(reason)
    _not_terminated(locked)
    return locked, reason


def _within_contract(contract: Contract, day: date, field_name: str, *, until: date | None = None) -> None:
    """`day` on or after the start date and on or before the end date (or `until`)."""
    last = until or contract.end_date
    if contract.start_date and day < contract.start_date:
        raise ValidationError(
            {
                field_name: _("This must be on or after the day the contract started, %(day)s")
                % {"day": format_uk_date(contract.start_date)}
            }
        )
    if last and day > last:
        raise ValidationError(
            {
                field_name: _("This must be on or before the contract's end date, %(day)s")
                % {"day": format_uk_date(last)}
            }
        )


def _not_before_earlier_change(contract: Contract, keys: set[str], effective_on: date, field_name: str) -> None:
    """Refuse a change that would take effect before an already recorded change of the same thing (so that the
    history reads in order, and as_at is exact)."""
    for variation in contract.variations.filter(effective_on__gt=effective_on).order_by("-number"):
        if keys & set(variation.changes):
            raise ValidationError(
                {
                    field_name: _(
                        "Variation %(number)s already changed this from %(day)s: a later change cannot take effect "
                        "before it. Choose %(day)s or later"
                    )
                    % {"number": variation.number, "day": format_uk_date(variation.effective_on)}
                }
            )


def lead_provider_users(organisation_ids) -> list:
    grants = RoleGrant.objects.active().filter(organisation_id__in=list(organisation_ids), role__in=PROVIDER_ROLES)
    return list(User.objects.filter(pk__in=grants.values("user_id"), is_active=True))


def _record(*, actor, contract: Contract, kind: str, effective_on: date, reason: str, changes: dict, tell=()):
    last = contract.variations.order_by("-number").values_list("number", flat=True).first() or 0
    variation = Variation.objects.create(
        contract=contract,
        number=last + 1,
        kind=kind,
        effective_on=effective_on,
        reason=reason,
        changes=audit._normalise(changes),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=f"contracts.variation_{kind}",
        obj=contract,
        before={key: change["from"] for key, change in variation.changes.items()},
        after={
            "variation": variation.number,
            "kind": kind,
            "effective_on": _d(effective_on),
            "reason": reason,
            **{key: change["to"] for key, change in variation.changes.items()},
        },
    )
    link = f"/contracts/{contract.reference}/variations/"
    notify(
        users=lead_provider_users({contract.lead_provider_id, *tell}),
        title=_("Contract %(reference)s has changed: %(kind)s")
        % {"reference": contract.reference, "kind": describe_kind(kind)},
        body=_("Variation %(number)s, from %(day)s: %(what)s")
        % {
            "number": variation.number,
            "day": format_uk_date(effective_on),
            "what": "; ".join(describe_changes(variation)),
        },
        link=link,
    )
    return variation


# Plain words for the history --------------------------------------------------------------------------------

KIND_WORDS = {
    Kind.EXTEND: _("Extended"),
    Kind.CHANGE_VALUE: _("Value changed"),
    Kind.CHANGE_END_DATE: _("End date changed"),
    Kind.ADD_AREA: _("Area added"),
    Kind.REMOVE_AREA: _("Area removed"),
    Kind.NOVATE: _("Lead provider changed (novation)"),
    Kind.TERMINATE: _("Terminated"),
}


def describe_kind(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind)).lower()


def _date_words(value) -> str:
    return format_uk_date(date.fromisoformat(value)) if value else _("none")


def _money_words(pence) -> str:
    from dynamic_framework.core.money import format_pence

    return format_pence(pence) if pence is not None else _("not given")


def describe_changes(variation: Variation, names: dict | None = None) -> list[str]:
    """What a variation changed, in plain words: one line a change. `names` maps ("organisation", id) and
    ("area", id) to names (looked up when not given)."""
    names = names if names is not None else names_for([variation])
    lines = []
    for key, change in sorted(variation.changes.items()):
        old, new = change.get("from"), change.get("to")
        if key == "end_date":
            lines.append(_("End date from %(old)s to %(new)s") % {"old": _date_words(old), "new": _date_words(new)})
        elif key == "extension_option":
            lines.append(
                _("Extension option %(position)s (%(months)s months) taken up")
                % {"position": new.get("position"), "months": new.get("months")}
            )
        elif key.startswith("year:"):
            label = f"{key[5:]}-{(int(key[5:]) + 1) % 100:02d}"
            old, new = old or {}, new or {}
            lines.append(
                _("Value for %(year)s from %(old)s to %(new)s")
                % {
                    "year": label,
                    "old": _money_words(old.get("value_pence")),
                    "new": _money_words(new.get("value_pence")),
                }
            )
            if old.get("expected_people") != new.get("expected_people"):
                lines.append(
                    _("Expected people in %(year)s from %(old)s to %(new)s")
                    % {
                        "year": label,
                        "old": old.get("expected_people") if old.get("expected_people") is not None else _("not given"),
                        "new": new.get("expected_people") if new.get("expected_people") is not None else _("not given"),
                    }
                )
        elif key.startswith("area:"):
            area = names.get(("area", int(key[5:])), "?")
            if new and new.get("removed_on"):
                lines.append(_("%(area)s served until %(day)s") % {"area": area, "day": _date_words(new["removed_on"])})
            elif new:
                lines.append(
                    _("%(area)s served from %(day)s") % {"area": area, "day": _date_words(new.get("added_on"))}
                )
        elif key == "lead_provider":
            lines.append(
                _("Lead provider from %(old)s to %(new)s")
                % {"old": names.get(("organisation", old), "?"), "new": names.get(("organisation", new), "?")}
            )
        elif key == "terminated_on":
            lines.append(_("Terminated: the last day is %(day)s") % {"day": _date_words(new)})
    return lines


def names_for(variations) -> dict:
    """The names describe_changes needs for these variations, in two queries at most."""
    from dynamic_framework.geography.models import PccArea
    from dynamic_framework.organisations.models import Organisation

    organisations, areas = set(), set()
    for variation in variations:
        for key, change in variation.changes.items():
            if key == "lead_provider":
                organisations.update(v for v in (change.get("from"), change.get("to")) if v)
            elif key.startswith("area:"):
                areas.add(int(key[5:]))
    names = {}
    if organisations:
        names.update(
            {
                ("organisation", pk): n
                for pk, n in Organisation.objects.filter(pk__in=organisations).values_list("pk", "name")
            }
        )
    if areas:
        names.update({("area", pk): n for pk, n in PccArea.objects.filter(pk__in=areas).values_list("pk", "name")})
    return names


# The services ----------------------------------------------------------------------------------------------------


def last_allowed_end(contract: Contract) -> date | None:
    """The latest end date the contract may have: its original end date plus every extension option's months."""
    base = contract.original_end_date or contract.end_date
    if base is None:
        return None
    months = sum(contract.extension_options.values_list("months", flat=True))
    return add_months(base, months)


def extend(*, actor, contract, option, reason, exercised_on=None, effective_on=None) -> Variation:
    """Take up an extension option: the end date moves on by the option's months. The option is taken up on
    `exercised_on` (today unless recording one taken up earlier), which must be on or before its exercise_by date
    and while the contract is running; the change takes effect then too unless `effective_on` says otherwise."""
    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        if not isinstance(option, ExtensionOption):
            raise ValidationError({"option": _("Choose which extension option to take up")})
        option = ExtensionOption.objects.select_for_update(of=("self",)).filter(pk=option.pk, contract=locked).first()
        if option is None:
            raise ValidationError({"option": _("That extension option is not one of this contract's")})
        if option.exercised_at:
            raise ValidationError(
                {
                    "option": _("Extension option %(position)s was already taken up on %(day)s")
                    % {"position": option.position, "day": format_uk_date(option.exercised_at)}
                }
            )
        today = _today()
        exercised_on = today if exercised_on is None else _require_date(exercised_on, "exercised_on", _("the day"))
        if exercised_on > today:
            raise ValidationError({"exercised_on": _("The day it was taken up cannot be in the future")})
        if exercised_on > option.exercise_by:
            raise ValidationError(
                {
                    "option": _("Extension option %(position)s had to be taken up by %(day)s: it can no longer be used")
                    % {"position": option.position, "day": format_uk_date(option.exercise_by)}
                }
            )
        if locked.end_date is None:
            raise ValidationError({"option": _("This contract has no end date to extend")})
        if exercised_on > locked.end_date:
            raise ValidationError(
                {
                    "option": _("The contract ended on %(day)s: an extension must be taken up before it ends")
                    % {"day": format_uk_date(locked.end_date)}
                }
            )
        effective_on = (
            exercised_on
            if effective_on is None
            else _require_date(effective_on, "effective_on", _("the date the change takes effect"))
        )
        _within_contract(locked, effective_on, "effective_on")
        _not_before_earlier_change(locked, {"end_date"}, effective_on, "effective_on")

        new_end = add_months(locked.end_date, option.months)
        changes = {
            "end_date": {"from": _d(locked.end_date), "to": _d(new_end)},
            "extension_option": {
                "from": None,
                "to": {"id": option.pk, "position": option.position, "months": option.months},
            },
        }
        fields = ["end_date"]
        if locked.original_end_date is None:
            changes["original_end_date"] = {"from": None, "to": _d(locked.end_date)}
            locked.original_end_date = locked.end_date
            fields.append("original_end_date")
        locked.end_date = new_end
        locked.save(update_fields=fields)
        now = timezone.now()
        option.exercised_at = now if exercised_on == today else datetime.combine(exercised_on, time(12, 0), tzinfo=UK)
        option.exercised_by = actor
        option.save(update_fields=["exercised_at", "exercised_by"])
        return _record(
            actor=actor, contract=locked, kind=Kind.EXTEND, effective_on=effective_on, reason=reason, changes=changes
        )


def financial_year_dates(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def contract_financial_years(contract: Contract) -> list[int]:
    """The financial years (by the year they start) the contract's dates touch."""
    if not contract.start_date or not contract.end_date:
        return []
    first = contract.start_date.year - (1 if contract.start_date.month < 4 else 0)
    last = contract.end_date.year - (1 if contract.end_date.month < 4 else 0)
    return list(range(first, last + 1))


def change_value(
    *, actor, contract, financial_year, value_pence, reason, effective_on, expected_people=KEEP
) -> Variation:
    """Change the value (and, if given, the expected number of people) of one financial year (2026 is 2026-27). A
    year the contract has no value for yet is added, if the contract runs in it."""
    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        errors = {}
        if not isinstance(financial_year, int) or isinstance(financial_year, bool):
            errors["financial_year"] = _("Enter the financial year as the year it starts, like 2026 for 2026-27")
        elif financial_year not in contract_financial_years(locked):
            years = contract_financial_years(locked)
            errors["financial_year"] = (
                _("The contract does not run in %(year)s: it runs from %(first)s to %(last)s")
                % {
                    "year": f"{financial_year}-{(financial_year + 1) % 100:02d}",
                    "first": f"{years[0]}-{(years[0] + 1) % 100:02d}",
                    "last": f"{years[-1]}-{(years[-1] + 1) % 100:02d}",
                }
                if years
                else _("The contract has no start and end dates, so its years are not known")
            )
        if not isinstance(value_pence, int) or isinstance(value_pence, bool):
            errors["value_pence"] = _("Enter the value in pounds, like 250,000")
        elif value_pence < 0:
            errors["value_pence"] = _("The value cannot be less than £0")
        elif value_pence > MAX_VALUE_PENCE:
            errors["value_pence"] = _("The value must be less than £100 billion")
        if (
            expected_people is not KEEP
            and expected_people is not None
            and (not isinstance(expected_people, int) or isinstance(expected_people, bool) or expected_people < 0)
        ):
            errors["expected_people"] = _("Enter the number of people as a whole number, 0 or more")
        if not isinstance(effective_on, date):
            errors["effective_on"] = _("Enter the date the change takes effect")
        if errors:
            raise ValidationError(errors)
        _within_contract(locked, effective_on, "effective_on")
        key = f"year:{financial_year}"
        _not_before_earlier_change(locked, {key}, effective_on, "effective_on")
        year = (
            ContractYear.objects.select_for_update(of=("self",))
            .filter(contract=locked, financial_year=financial_year)
            .first()
        )
        before = {"value_pence": year.value_pence, "expected_people": year.expected_people} if year else None
        people = (year.expected_people if year else None) if expected_people is KEEP else expected_people
        after = {"value_pence": value_pence, "expected_people": people}
        if before == after:
            raise ValidationError({"value_pence": _("That is already the value for this year: nothing would change")})
        if year is None:
            ContractYear.objects.create(
                contract=locked, financial_year=financial_year, value_pence=value_pence, expected_people=people
            )
        else:
            year.value_pence, year.expected_people = value_pence, people
            year.save(update_fields=["value_pence", "expected_people"])
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.CHANGE_VALUE,
            effective_on=effective_on,
            reason=reason,
            changes={key: {"from": before, "to": after}},
        )


def change_end_date(*, actor, contract, end_date, reason, effective_on) -> Variation:
    """Move the end date (earlier, or later up to the last allowed date: the original end date plus every extension
    option's months). To take up an extension option, use extend()."""
    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        end_date = _require_date(end_date, "end_date", _("the new end date"))
        effective_on = _require_date(effective_on, "effective_on", _("the date the change takes effect"))
        if locked.start_date and end_date < locked.start_date:
            raise ValidationError(
                {
                    "end_date": _("The end date cannot be before the contract started, %(day)s")
                    % {"day": format_uk_date(locked.start_date)}
                }
            )
        if end_date == locked.end_date:
            raise ValidationError({"end_date": _("That is already the end date: nothing would change")})
        last_allowed = last_allowed_end(locked)
        if last_allowed and end_date > last_allowed:
            options = list(locked.extension_options.values_list("months", flat=True))
            raise ValidationError(
                {
                    "end_date": _(
                        "The end date cannot be after %(last)s, the last allowed date: the original end date "
                        "(%(original)s) plus all the extension options (%(months)s months). A later date needs a "
                        "new contract"
                    )
                    % {
                        "last": format_uk_date(last_allowed),
                        "original": format_uk_date(locked.original_end_date or locked.end_date),
                        "months": sum(options),
                    }
                    if options
                    else _(
                        "The end date cannot be after %(last)s, the original end date: this contract has no options "
                        "to extend it. A later date needs a new contract"
                    )
                    % {"last": format_uk_date(last_allowed)}
                }
            )
        _within_contract(locked, effective_on, "effective_on", until=max(end_date, locked.end_date or end_date))
        if effective_on > end_date:
            raise ValidationError({"effective_on": _("The change must take effect on or before the new end date")})
        _not_before_earlier_change(locked, {"end_date"}, effective_on, "effective_on")
        changes = {"end_date": {"from": _d(locked.end_date), "to": _d(end_date)}}
        fields = ["end_date"]
        if locked.original_end_date is None and locked.end_date is not None:
            changes["original_end_date"] = {"from": None, "to": _d(locked.end_date)}
            locked.original_end_date = locked.end_date
            fields.append("original_end_date")
        locked.end_date = end_date
        locked.save(update_fields=fields)
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.CHANGE_END_DATE,
            effective_on=effective_on,
            reason=reason,
            changes=changes,
        )


def implicit_areas(contract: Contract):
    """The PCC areas a contract serves when no areas have been recorded: its own, or its region's."""
    from dynamic_framework.geography.models import PccArea

    if contract.pcc_area_id:
        return PccArea.objects.filter(pk=contract.pcc_area_id)
    return PccArea.objects.filter(region_id=contract.region_id)


def _ensure_areas(contract: Contract) -> None:
    """Record the areas a contract serves from its start, if none are recorded yet (before changing them)."""
    if not contract.areas.exists():
        ContractArea.objects.bulk_create(
            [
                ContractArea(contract=contract, pcc_area=area, added_on=contract.start_date)
                for area in implicit_areas(contract)
            ]
        )


def _pcc_area(value, field_name: str):
    from dynamic_framework.geography.models import PccArea

    if not isinstance(value, PccArea):
        raise ValidationError({field_name: _("Choose a PCC area")})
    return value


def add_area(*, actor, contract, pcc_area, effective_on, reason) -> Variation:
    """The contract serves another PCC area of its region from `effective_on`."""
    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        area = _pcc_area(pcc_area, "pcc_area")
        effective_on = _require_date(effective_on, "effective_on", _("the first day the area is served"))
        if area.region_id != locked.region_id:
            raise ValidationError(
                {
                    "pcc_area": _(
                        "%(area)s is in the %(area_region)s region, and this contract is for %(region)s. A contract "
                        "can only serve areas in its own region: %(area)s needs a contract of its region"
                    )
                    % {"area": area.name, "area_region": area.region.name, "region": locked.region.name}
                }
            )
        _within_contract(locked, effective_on, "effective_on")
        _ensure_areas(locked)
        rows = list(ContractArea.objects.select_for_update(of=("self",)).filter(contract=locked, pcc_area=area))
        if any(row.removed_on is None for row in rows):
            raise ValidationError({"pcc_area": _("The contract already serves %(area)s") % {"area": area.name}})
        overlapping = [row for row in rows if row.removed_on >= effective_on]
        if overlapping:
            raise ValidationError(
                {
                    "effective_on": _("%(area)s was served until %(day)s: add it from the day after or later")
                    % {"area": area.name, "day": format_uk_date(max(r.removed_on for r in overlapping))}
                }
            )
        row = ContractArea.objects.create(contract=locked, pcc_area=area, added_on=effective_on)
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.ADD_AREA,
            effective_on=effective_on,
            reason=reason,
            changes={f"area:{area.pk}": {"from": None, "to": {"added_on": _d(row.added_on), "removed_on": None}}},
        )


def remove_area(*, actor, contract, pcc_area, last_day, reason) -> Variation:
    """The contract stops serving a PCC area after `last_day` (e.g. "Cumbria until June 2023")."""
    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        area = _pcc_area(pcc_area, "pcc_area")
        last_day = _require_date(last_day, "last_day", _("the last day the area is served"))
        _ensure_areas(locked)
        served = list(
            ContractArea.objects.select_for_update(of=("self",)).filter(contract=locked, removed_on__isnull=True)
        )
        row = next((r for r in served if r.pcc_area_id == area.pk), None)
        if row is None:
            raise ValidationError({"pcc_area": _("The contract does not serve %(area)s") % {"area": area.name}})
        if len(served) == 1:
            raise ValidationError(
                {
                    "pcc_area": _(
                        "%(area)s is the only area the contract serves. Removing it would end the contract: "
                        "terminate the contract instead"
                    )
                    % {"area": area.name}
                }
            )
        _within_contract(locked, last_day, "last_day")
        if locked.end_date and last_day >= locked.end_date:
            raise ValidationError(
                {
                    "last_day": _("The contract ends on %(day)s anyway: the last day must be before then")
                    % {"day": format_uk_date(locked.end_date)}
                }
            )
        if row.added_on and last_day < row.added_on:
            raise ValidationError(
                {
                    "last_day": _("%(area)s has been served only since %(day)s: the last day cannot be before that")
                    % {"area": area.name, "day": format_uk_date(row.added_on)}
                }
            )
        before = {"added_on": _d(row.added_on), "removed_on": None}
        row.removed_on = last_day
        row.save(update_fields=["removed_on"])
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.REMOVE_AREA,
            effective_on=last_day + timedelta(days=1),
            reason=reason,
            changes={
                f"area:{area.pk}": {"from": before, "to": {"added_on": before["added_on"], "removed_on": _d(last_day)}}
            },
        )


def novate(*, actor, contract, new_lead_provider, effective_on, reason) -> Variation:
    """Another provider takes over the contract (novation) from `effective_on`."""
    from dynamic_framework.organisations.models import Organisation

    with transaction.atomic():
        locked, reason = _start(actor, contract, reason)
        if not isinstance(new_lead_provider, Organisation):
            raise ValidationError({"new_lead_provider": _("Choose the organisation taking the contract over")})
        if new_lead_provider.kind != Organisation.Kind.PROVIDER:
            raise ValidationError(
                {"new_lead_provider": _("%(name)s is not a provider organisation") % {"name": new_lead_provider.name}}
            )
        if new_lead_provider.pk == locked.lead_provider_id:
            raise ValidationError(
                {"new_lead_provider": _("%(name)s is already the lead provider") % {"name": new_lead_provider.name}}
            )
        effective_on = _require_date(effective_on, "effective_on", _("the date the new provider takes over"))
        _within_contract(locked, effective_on, "effective_on")
        in_chain = SupplyChainMember.objects.filter(contract=locked, organisation=new_lead_provider).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=effective_on)
        )
        if in_chain.exists():
            raise ValidationError(
                {
                    "new_lead_provider": _(
                        "%(name)s is in this contract's supply chain. A lead provider cannot also be its own "
                        "subcontractor: it must leave the supply chain (a supply chain change) before it takes the "
                        "contract over"
                    )
                    % {"name": new_lead_provider.name}
                }
            )
        _not_before_earlier_change(locked, {"lead_provider"}, effective_on, "effective_on")
        old = locked.lead_provider_id
        changes = {
            "lead_provider": {"from": old, "to": new_lead_provider.pk},
            "lead_provider_as_written": {"from": locked.lead_provider_as_written, "to": new_lead_provider.name},
        }
        locked.lead_provider = new_lead_provider
        locked.lead_provider_as_written = new_lead_provider.name
        locked.save(update_fields=["lead_provider", "lead_provider_as_written"])
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.NOVATE,
            effective_on=effective_on,
            reason=reason,
            changes=changes,
            tell=[old],
        )


def terminate(*, actor, contract, terminated_on, reason) -> Variation:
    """End the contract early: `terminated_on` is its last day. The reason is kept with the contract."""
    with transaction.atomic():
        locked = _lock(contract)
        _require_commissioner(actor, locked)
        reason = _reason(reason)
        if locked.terminated_on:
            raise ValidationError(
                {
                    "terminated_on": _("This contract was already terminated on %(day)s")
                    % {"day": format_uk_date(locked.terminated_on)}
                }
            )
        terminated_on = _require_date(terminated_on, "terminated_on", _("the last day of the contract"))
        if locked.start_date and terminated_on < locked.start_date:
            raise ValidationError(
                {
                    "terminated_on": _("The contract cannot end before it started, %(day)s")
                    % {"day": format_uk_date(locked.start_date)}
                }
            )
        if locked.end_date and terminated_on > locked.end_date:
            raise ValidationError(
                {
                    "terminated_on": _(
                        "The contract ends on %(day)s anyway: a termination must be on or before its end date"
                    )
                    % {"day": format_uk_date(locked.end_date)}
                }
            )
        _not_before_earlier_change(locked, {"end_date", "lead_provider"}, terminated_on, "terminated_on")
        changes = {
            "terminated_on": {"from": None, "to": _d(terminated_on)},
            "termination_reason": {"from": "", "to": reason},
        }
        locked.terminated_on, locked.termination_reason = terminated_on, reason
        locked.save(update_fields=["terminated_on", "termination_reason"])
        return _record(
            actor=actor,
            contract=locked,
            kind=Kind.TERMINATE,
            effective_on=terminated_on,
            reason=reason,
            changes=changes,
        )


# The contract as it stood on a day ---------------------------------------------------------------------------


@dataclass
class YearAsAt:
    financial_year: int
    value_pence: int | None
    expected_people: int | None

    @property
    def label(self) -> str:
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}"


@dataclass
class ContractAsAt:
    contract: Contract
    day: date
    lead_provider: object
    start_date: date | None
    end_date: date | None
    original_end_date: date | None
    terminated_on: date | None
    termination_reason: str
    years: list[YearAsAt]
    areas: list
    status: str
    status_label: str
    variations: list[Variation] = field(default_factory=list)  # effective on or before the day, oldest first
    later_variations: list[Variation] = field(default_factory=list)  # effective after it (undone here)

    @property
    def total_value_pence(self) -> int:
        return sum(y.value_pence or 0 for y in self.years)


def _status_on(snapshot, day: date) -> tuple[str, str]:
    """The register's status rule (status.py) applied to the contract as it stood."""
    from .status import Status, status_of

    code = status_of(snapshot, on=day)
    return code, str(Status.labels[code])


def as_at(contract: Contract, day: date) -> ContractAsAt:
    """The contract as it stood on `day`: its current state with every variation effective after `day` undone,
    newest first, and the areas served that day."""
    from dynamic_framework.geography.models import PccArea
    from dynamic_framework.organisations.models import Organisation

    variations = list(contract.variations.select_related("recorded_by").order_by("number"))
    state = {
        "lead_provider": contract.lead_provider_id,
        "end_date": _d(contract.end_date),
        "original_end_date": _d(contract.original_end_date),
        "terminated_on": _d(contract.terminated_on),
        "termination_reason": contract.termination_reason,
    }
    years = {
        y.financial_year: {"value_pence": y.value_pence, "expected_people": y.expected_people}
        for y in contract.years.all()
    }
    later = [v for v in variations if v.effective_on > day]
    for variation in sorted(later, key=lambda v: v.number, reverse=True):
        for key, change in variation.changes.items():
            if key.startswith("year:"):
                year = int(key[5:])
                if change.get("from") is None:
                    years.pop(year, None)
                else:
                    years[year] = dict(change["from"])
            elif key in state:
                state[key] = change.get("from")
    lead = (
        contract.lead_provider
        if state["lead_provider"] == contract.lead_provider_id
        else (Organisation.objects.filter(pk=state["lead_provider"]).first())
    )
    rows = list(contract.areas.select_related("pcc_area"))
    if rows:
        areas = sorted(
            {
                row.pcc_area
                for row in rows
                if (row.added_on is None or row.added_on <= day) and (row.removed_on is None or row.removed_on >= day)
            },
            key=lambda a: a.name,
        )
    else:
        areas = list(implicit_areas(contract).order_by("name")) if contract.region_id else list(PccArea.objects.none())

    def as_date(value):
        return date.fromisoformat(value) if value else None

    snapshot = copy.copy(contract)
    snapshot.lead_provider_id = state["lead_provider"]
    snapshot.end_date = as_date(state["end_date"])
    snapshot.original_end_date = as_date(state["original_end_date"])
    snapshot.terminated_on = as_date(state["terminated_on"])
    snapshot.termination_reason = state["termination_reason"] or ""
    undone = {v.changes["extension_option"]["to"]["id"] for v in later if "extension_option" in v.changes}
    snapshot.extension_exercised = any(
        option.exercised_at is not None and option.pk not in undone for option in contract.extension_options.all()
    )
    status, label = _status_on(snapshot, day)
    return ContractAsAt(
        contract=contract,
        day=day,
        lead_provider=lead,
        start_date=contract.start_date,
        end_date=snapshot.end_date,
        original_end_date=snapshot.original_end_date,
        terminated_on=snapshot.terminated_on,
        termination_reason=snapshot.termination_reason,
        years=[
            YearAsAt(year, values["value_pence"], values["expected_people"]) for year, values in sorted(years.items())
        ],
        areas=areas,
        status=status,
        status_label=label,
        variations=[v for v in variations if v.effective_on <= day],
        later_variations=later,
    )
