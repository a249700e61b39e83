"""Payment terms and monthly payment statements (the statements part of issue 7, ADR 0016): every write, and the reads
the pages and the API share. The arithmetic is engine.py's; this module turns the stored terms and figures into the
engine's inputs, checks them against the contract (its dates, its yearly volumes and values) and stores the results.

Terms. The commissioner sets how the contract pays the lead provider (set_contract_terms); the lead provider sets how
it pays each supply chain member (set_subcontract_terms). Grant agreements pay by the grant mechanism only.

Statements. For each month (period: its first day) the lead provider enters what was delivered, by itself and by
each supply chain member, with a note of its evidence (enter_figures: a draft, worked out straight away so that the
provider sees what it will be paid), then submits it (submit_statement); a commissioner of the contract's region
approves it (approve_statement) or sends it back with a reason (return_statement). An approved statement cannot be
changed: an adjustment statement corrects it (create_adjustment). The adjustment's figures are the corrected figures
for the month; its amounts are the difference between what the corrected figures pay and what was approved for that
month before (the statement and any approved adjustments to it), so they may be negative. Once approved, the lead
provider records the payments it makes against each line (record_line_payment), which creates a
contracts.SubcontractorPayment: the supply chain payment timeliness measure counts it.

Money for a month. The fixed payment is the instalment for the month (engine.instalment_for_month) of the fixed
part of the financial year's value (ContractYear.value_pence), over the months the contract runs in that year,
monthly or quarterly, in advance for grants. A protected fee is its yearly amount paid the same way over the months
the member is in the supply chain that year. Members count in a month when they were in the supply chain on any day of
it. Caps: the people who started in a financial year (every month's current figures) may not exceed the year's
expected people, and what the lead provider receives in a year may not exceed the year's value.

Each function takes keyword arguments only, runs in one transaction, records its audit event in it and raises
ValidationError (field names matching the forms and the API, messages in plain English) writing nothing.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.categories.models import DesiredOutcome
from dynamic_framework.contracts import supply_chain as supply_chain_services
from dynamic_framework.contracts.models import Contract, ContractYear, FundingMechanism, SupplyChainMember
from dynamic_framework.core import audit
from dynamic_framework.core.money import format_pence
from dynamic_framework.core.notifications import notify
from dynamic_framework.core.time import format_uk_date

from . import engine
from .models import (
    ContractOutcomeFee,
    ContractPaymentTerms,
    DeliveryFigures,
    DeliveryOutcome,
    PaymentStatement,
    StatementLine,
    SubcontractOutcomeFee,
    SubcontractPaymentTerms,
)

MAX_PENCE = 10**12  # £10 billion: anything larger is a typing mistake
MAX_COUNT = 1_000_000  # people or outcomes in a month
MEASURES = {"started", "completed", "outcomes"}
LEAD_KEY = "lead"


def today() -> date:
    """Today in the UK."""
    return timezone.localdate()


# Months and financial years -----------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=monthrange(day.year, day.month)[1])


def financial_year(day: date) -> int:
    """2026 for any day from April 2026 to March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def month_number(day: date) -> int:
    """The month of the financial year: 1 is April, 12 is March (the engine's months)."""
    return (day.month - 4) % 12 + 1


def month_label(day: date) -> str:
    return f"{day:%B %Y}"


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _months_in_year(first_day: date | None, last_day: date | None, year: int) -> tuple[int, int] | None:
    """The first and last months (1 April .. 12 March) of financial year `year` that the span first_day..last_day
    touches, or None when it touches none."""
    year_start, year_end = date(year, 4, 1), date(year + 1, 3, 31)
    start = max(first_day or year_start, year_start)
    end = min(last_day or year_end, year_end)
    if start > end:
        return None
    return month_number(start), month_number(end)


def last_day(contract: Contract) -> date | None:
    return supply_chain_services.contract_last_day(contract)


def member_present(member: SupplyChainMember, period: date) -> bool:
    """In the supply chain on at least one day of the month."""
    return (member.joined_on is None or member.joined_on <= month_end(period)) and (
        member.left_on is None or member.left_on >= period
    )


# Terms as the engine's inputs ---------------------------------------------------------------------------------------


def _target(measure: str, count) -> engine.Target | None:
    if not measure:
        return None
    return engine.Target(engine.Measure(measure), count)


def contract_engine_terms(terms: ContractPaymentTerms) -> engine.ContractTerms:
    return engine.ContractTerms(
        mechanism=engine.Mechanism(terms.mechanism),
        rates=engine.Rates(
            per_start_pence=terms.per_start_pence,
            per_completion_pence=terms.per_completion_pence,
            per_outcome_pence={str(fee.outcome_id): fee.amount_pence for fee in terms.outcome_fees.all()},
        ),
        fixed_share_bp=terms.fixed_share_bp,
        target=_target(terms.target_measure, terms.target_count),
    )


def subcontract_engine_terms(terms: SubcontractPaymentTerms, *, protected_pence: int = 0) -> engine.Subcontract:
    return engine.Subcontract(
        key=str(terms.member_id),
        terms=engine.SubcontractTerms(terms.terms),
        share_bp=terms.share_bp,
        protected_pence=protected_pence,
        rates=engine.Rates(
            per_start_pence=terms.per_start_pence,
            per_completion_pence=terms.per_completion_pence,
            per_outcome_pence={str(fee.outcome_id): fee.amount_pence for fee in terms.outcome_fees.all()},
        ),
        target=_target(terms.target_measure, terms.target_count),
        conditional_on_prime=terms.conditional_on_prime,
    )


def contract_outcomes(contract: Contract, *, current_only: bool = False):
    """The desired outcomes of the contract's service categories (through their referral categories)."""
    outcomes = DesiredOutcome.objects.filter(
        referral_category__framework_categories__contracts=contract
    ).select_related("referral_category")
    if current_only:
        outcomes = outcomes.filter(retired_on__isnull=True)
    return outcomes.distinct().order_by("referral_category__name", "description")


# Plain-English checks -------------------------------------------------------------------------------------------------


def _pence(value, errors, field, name, *, required=False) -> int:
    if value in (None, ""):
        if required:
            errors.setdefault(field, []).append(f"Enter {name}")
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(field, []).append(f"Enter {name} as an amount in pounds and pence")
        return 0
    if value < 0:
        errors.setdefault(field, []).append(f"Enter {name} as £0 or more")
        return 0
    if value > MAX_PENCE:
        errors.setdefault(field, []).append(f"Check {name}: it is too large")
        return 0
    return value


def _count(value, errors, field, name) -> int:
    """A whole number of people or outcomes: an int, or text of one (from a form or JSON)."""
    if value in (None, ""):
        return 0
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.startswith("-") and text[1:].isdigit():
            errors.setdefault(field, []).append(f"Enter {name} as 0 or more")
            return 0
        if not text.isdigit():
            errors.setdefault(field, []).append(f"Enter {name} as a whole number, like 12")
            return 0
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(field, []).append(f"Enter {name} as a whole number, like 12")
        return 0
    if value < 0:
        errors.setdefault(field, []).append(f"Enter {name} as 0 or more")
        return 0
    if value > MAX_COUNT:
        errors.setdefault(field, []).append(f"Check {name}: it is too large")
        return 0
    return value


def _engine_field(message: str, default: str) -> str:
    """Which field an engine message is about."""
    text = message.lower()
    for words, field in (
        ("fixed share", "fixed_share_bp"),
        ("pass-through share", "share_bp"),
        ("only a pass-through", "share_bp"),
        ("per person who starts", "per_start_pence"),
        ("per person who completes", "per_completion_pence"),
        ("outcome", "outcome_fees"),
        ("target", "target_measure"),
        ("protected", "protected_yearly_pence"),
    ):
        if words in text:
            return field
    return default


def _require(actor, perm: str, obj, message: str) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm, obj)):
        raise ValidationError(message)


def _target_fields(target_measure, target_count, errors) -> tuple[str, int | None]:
    measure = (target_measure or "").strip()
    if not measure:
        if target_count not in (None, "", 0):
            errors.setdefault("target_measure", []).append("Choose what the target counts, or leave the number empty")
        return "", None
    if measure not in MEASURES:
        errors.setdefault("target_measure", []).append(
            "Choose what the target counts: people who started, people who completed or outcomes"
        )
        return "", None
    if target_count in (None, ""):
        errors.setdefault("target_count", []).append("Enter the number the month's figures must reach")
        return measure, None
    count = _count(target_count, errors, "target_count", "the target")
    if count == 0 and "target_count" not in errors:
        errors.setdefault("target_count", []).append("Enter a target of 1 or more")
    return measure, count


def _outcome_fees(contract, fees, errors, *, kept=frozenset()) -> dict[int, int]:
    """{outcome id: pence}; outcomes must be current outcomes of the contract's categories (or ones already in the
    terms, `kept`, which may have been retired since)."""
    allowed = {o.pk for o in contract_outcomes(contract, current_only=True)} | set(kept)
    result = {}
    for key, amount in (fees or {}).items():
        outcome_id = getattr(key, "pk", key)
        try:
            outcome_id = int(outcome_id)
        except (TypeError, ValueError):
            outcome_id = None
        if outcome_id not in allowed:
            errors.setdefault("outcome_fees", []).append(
                "Choose outcomes from this contract's service categories (outcomes no longer used cannot be added)"
            )
            continue
        pence = _pence(amount, errors, "outcome_fees", "the fee for each outcome")
        if pence:
            result[outcome_id] = pence
    return result


def contract_terms_snapshot(terms: ContractPaymentTerms) -> dict:
    return {
        "contract": terms.contract.reference,
        "mechanism": terms.mechanism,
        "instalments": terms.instalments,
        "fixed_share_bp": terms.fixed_share_bp,
        "per_start_pence": terms.per_start_pence,
        "per_completion_pence": terms.per_completion_pence,
        "outcome_fees": {str(f.outcome_id): f.amount_pence for f in terms.outcome_fees.all()},
        "target_measure": terms.target_measure,
        "target_count": terms.target_count,
    }


def subcontract_terms_snapshot(terms: SubcontractPaymentTerms) -> dict:
    return {
        "contract": terms.member.contract.reference,
        "member": terms.member_id,
        "organisation": terms.member.organisation.name,
        "terms": terms.terms,
        "share_bp": terms.share_bp,
        "protected_yearly_pence": terms.protected_yearly_pence,
        "per_start_pence": terms.per_start_pence,
        "per_completion_pence": terms.per_completion_pence,
        "outcome_fees": {str(f.outcome_id): f.amount_pence for f in terms.outcome_fees.all()},
        "target_measure": terms.target_measure,
        "target_count": terms.target_count,
        "conditional_on_prime": terms.conditional_on_prime,
    }


# The services: terms ------------------------------------------------------------------------------------------------


def set_contract_terms(
    *,
    actor,
    contract: Contract,
    mechanism: str,
    instalments: str = "monthly",
    fixed_share_bp=0,
    per_start_pence=0,
    per_completion_pence=0,
    outcome_fees: Mapping | None = None,
    target_measure: str = "",
    target_count=None,
) -> ContractPaymentTerms:
    """The commissioner sets (or changes) how the contract pays its lead provider. Statements already approved keep
    their amounts; drafts are worked out again when submitted."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update(of=("self",)).select_related("lead_provider").get(pk=contract.pk)
        _require(
            actor,
            "payments.set_contract_terms",
            contract,
            "Only a commissioner of the contract's region can set how the contract pays",
        )
        existing = ContractPaymentTerms.objects.filter(contract=contract).prefetch_related("outcome_fees").first()
        errors: dict[str, list[str]] = {}
        mechanism = (mechanism or "").strip()
        if mechanism not in set(engine.Mechanism):
            errors["mechanism"] = ["Choose how the contract pays"]
        elif contract.funding_mechanism == FundingMechanism.GRANT and mechanism != engine.Mechanism.GRANT:
            errors["mechanism"] = [
                "A grant agreement is paid in scheduled instalments with no conditions: choose a grant"
            ]
        elif contract.funding_mechanism != FundingMechanism.GRANT and mechanism == engine.Mechanism.GRANT:
            errors["mechanism"] = ["Only a grant agreement is paid as a grant: choose another way to pay"]
        if instalments not in ("monthly", "quarterly"):
            errors["instalments"] = ["Choose monthly or quarterly instalments"]
        share = _count(fixed_share_bp, errors, "fixed_share_bp", "the fixed share")
        start = _pence(per_start_pence, errors, "per_start_pence", "the fee per person who starts")
        completion = _pence(per_completion_pence, errors, "per_completion_pence", "the fee per person who completes")
        kept = {f.outcome_id for f in existing.outcome_fees.all()} if existing else set()
        fees = _outcome_fees(contract, outcome_fees, errors, kept=kept)
        measure, count = _target_fields(target_measure, target_count, errors)
        if not errors:
            try:
                engine.ContractTerms(
                    mechanism=engine.Mechanism(mechanism),
                    rates=engine.Rates(
                        per_start_pence=start,
                        per_completion_pence=completion,
                        per_outcome_pence={str(k): v for k, v in fees.items()},
                    ),
                    fixed_share_bp=share,
                    target=_target(measure, count),
                )
            except engine.EngineError as exc:
                errors[_engine_field(str(exc), "mechanism")] = [str(exc)]
        if errors:
            raise ValidationError(errors)
        before = contract_terms_snapshot(existing) if existing else None
        terms = existing or ContractPaymentTerms(contract=contract)
        terms.contract = contract
        terms.mechanism = mechanism
        terms.instalments = instalments
        terms.fixed_share_bp = share
        terms.per_start_pence = start
        terms.per_completion_pence = completion
        terms.target_measure = measure
        terms.target_count = count
        terms.set_at = timezone.now()
        terms.set_by = actor
        terms.save()
        terms.outcome_fees.all().delete()
        ContractOutcomeFee.objects.bulk_create(
            [ContractOutcomeFee(terms=terms, outcome_id=k, amount_pence=v) for k, v in sorted(fees.items())]
        )
        terms = ContractPaymentTerms.objects.prefetch_related("outcome_fees").get(pk=terms.pk)
        terms.contract = contract
        audit.record(
            actor=actor,
            action="payments.contract_terms_set",
            obj=terms,
            before=before,
            after=contract_terms_snapshot(terms),
        )
    return terms


def pass_through_total(contract: Contract, *, on: date, leaving_out=None) -> int:
    """The pass-through shares (basis points) of the members in the supply chain on or after `on`."""
    qs = SubcontractPaymentTerms.objects.filter(member__contract=contract, terms="pass_through").filter(
        Q(member__left_on__isnull=True) | Q(member__left_on__gte=on)
    )
    if leaving_out is not None:
        qs = qs.exclude(member=leaving_out)
    return sum(qs.values_list("share_bp", flat=True))


def set_subcontract_terms(
    *,
    actor,
    member: SupplyChainMember,
    terms: str,
    share_bp=0,
    protected_yearly_pence=0,
    per_start_pence=0,
    per_completion_pence=0,
    outcome_fees: Mapping | None = None,
    target_measure: str = "",
    target_count=None,
    conditional_on_prime: bool = False,
) -> SubcontractPaymentTerms:
    """The lead provider sets (or changes) how it pays one supply chain member."""
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update(of=("self",)).select_related("lead_provider").get(pk=member.contract_id)
        )
        member = SupplyChainMember.objects.select_related("organisation").get(pk=member.pk)
        member.contract = contract
        _require(
            actor,
            "payments.set_subcontract_terms",
            contract,
            f"Only the lead provider's people ({contract.lead_provider.name}) can set its subcontracts' terms",
        )
        existing = SubcontractPaymentTerms.objects.filter(member=member).prefetch_related("outcome_fees").first()
        errors: dict[str, list[str]] = {}
        if not supply_chain_services.is_current(member, today()):
            errors["member"] = ["This organisation has left the supply chain: its terms cannot be changed"]
        terms = (terms or "").strip()
        if terms not in set(engine.SubcontractTerms):
            errors["terms"] = ["Choose how the subcontract pays"]
        share = _count(share_bp, errors, "share_bp", "the share")
        protected = _pence(protected_yearly_pence, errors, "protected_yearly_pence", "the protected fee for a year")
        start = _pence(per_start_pence, errors, "per_start_pence", "the fee per person who starts")
        completion = _pence(per_completion_pence, errors, "per_completion_pence", "the fee per person who completes")
        kept = {f.outcome_id for f in existing.outcome_fees.all()} if existing else set()
        fees = _outcome_fees(contract, outcome_fees, errors, kept=kept)
        measure, count = _target_fields(target_measure, target_count, errors)
        conditional = bool(conditional_on_prime)
        if (
            terms == engine.SubcontractTerms.PROTECTED_FIXED_FEE
            and not protected
            and "protected_yearly_pence" not in (errors)
        ):
            errors["protected_yearly_pence"] = ["Enter the protected fee for a year, more than £0"]
        if not errors:
            try:
                engine.Subcontract(
                    key=str(member.pk),
                    terms=engine.SubcontractTerms(terms),
                    share_bp=share,
                    protected_pence=protected,
                    rates=engine.Rates(
                        per_start_pence=start,
                        per_completion_pence=completion,
                        per_outcome_pence={str(k): v for k, v in fees.items()},
                    ),
                    target=_target(measure, count),
                    conditional_on_prime=conditional,
                )
            except engine.EngineError as exc:
                errors[_engine_field(str(exc), "terms")] = [str(exc)]
        if not errors and terms == engine.SubcontractTerms.PASS_THROUGH:
            total = pass_through_total(contract, on=today(), leaving_out=member) + share
            if total > engine.BASIS_POINTS:
                errors["share_bp"] = [
                    f"The pass-through shares of the supply chain would add up to {engine.percent_label(total)}: "
                    "together they cannot be more than 100% of what the lead provider is paid"
                ]
        if errors:
            raise ValidationError(errors)
        before = subcontract_terms_snapshot(existing) if existing else None
        row = existing or SubcontractPaymentTerms(member=member)
        row.terms = terms
        row.share_bp = share
        row.protected_yearly_pence = protected
        row.per_start_pence = start
        row.per_completion_pence = completion
        row.target_measure = measure
        row.target_count = count
        row.conditional_on_prime = conditional
        row.set_at = timezone.now()
        row.set_by = actor
        row.save()
        row.outcome_fees.all().delete()
        SubcontractOutcomeFee.objects.bulk_create(
            [SubcontractOutcomeFee(terms=row, outcome_id=k, amount_pence=v) for k, v in sorted(fees.items())]
        )
        row = SubcontractPaymentTerms.objects.prefetch_related("outcome_fees").get(pk=row.pk)
        row.member = member
        audit.record(
            actor=actor,
            action="payments.subcontract_terms_set",
            obj=row,
            before=before,
            after=subcontract_terms_snapshot(row),
        )
    return row


# Working out a month --------------------------------------------------------------------------------------------------


@dataclass
class EnteredFigures:
    """One deliverer's figures, checked: member None for the lead provider's own work."""

    member: SupplyChainMember | None
    started: int
    completed: int
    outcomes: dict[int, int]
    evidence: str

    @property
    def key(self) -> str:
        return LEAD_KEY if self.member is None else str(self.member.pk)

    def engine_figures(self) -> engine.Figures:
        return engine.Figures(
            started=self.started,
            completed=self.completed,
            outcomes={str(k): v for k, v in self.outcomes.items() if v},
        )


def field_prefix(member) -> str:
    """The prefix of a deliverer's fields in forms, the API and error messages: lead_ or member_<pk>_."""
    return "lead_" if member is None else f"member_{getattr(member, 'pk', member)}_"


def _check_period(contract: Contract, period, errors) -> date | None:
    if not isinstance(period, date):
        errors["period"] = ["Enter the month the figures are for"]
        return None
    period = month_start(period)
    if contract.start_date is None:
        errors["period"] = ["The contract has no start date recorded, so no month can be paid yet"]
        return None
    ends = last_day(contract)
    if month_end(period) < contract.start_date:
        errors["period"] = [
            f"The contract starts on {format_uk_date(contract.start_date)}: "
            f"choose {month_label(month_start(contract.start_date))} or later"
        ]
    elif ends is not None and period > ends:
        what = "was terminated: its last day was" if contract.terminated_on else "ends on"
        errors["period"] = [
            f"The contract {what} {format_uk_date(ends)}: choose {month_label(month_start(ends))} or earlier"
        ]
    elif period > today():
        errors["period"] = ["You can enter figures only for a month that has started"]
    return period


def _contract_year(contract: Contract, period: date, errors) -> ContractYear | None:
    year = financial_year(period)
    row = ContractYear.objects.filter(contract=contract, financial_year=year).first()
    if row is None or row.value_pence is None:
        errors.setdefault("period", []).append(
            f"The contract has no value recorded for {year_label(year)}, so its payments cannot be worked out"
        )
        return None
    return row


def _load_terms(contract: Contract, errors) -> ContractPaymentTerms | None:
    terms = ContractPaymentTerms.objects.filter(contract=contract).prefetch_related("outcome_fees").first()
    if terms is None:
        errors.setdefault("__all__", []).append(
            "The commissioner has not set how this contract pays yet, so no statement can be worked out"
        )
    return terms


def _members_with_terms(contract: Contract, period: date) -> list[SupplyChainMember]:
    members = (
        SupplyChainMember.objects.filter(contract=contract, subcontract_terms__isnull=False)
        .select_related("organisation", "subcontract_terms")
        .prefetch_related("subcontract_terms__outcome_fees")
        .order_by("organisation__name", "pk")
    )
    return [m for m in members if member_present(m, period)]


def _blank(values) -> bool:
    """Nothing entered: no counts (or only zeros and empty boxes) and no evidence."""
    values = values or {}
    counts = [values.get("started"), values.get("completed"), *(values.get("outcomes") or {}).values()]
    return all(v in (None, "", 0, "0") for v in counts) and not (values.get("evidence") or "").strip()


def _check_figures(contract: Contract, period: date | None, figures: Mapping, errors) -> list[EnteredFigures]:
    """figures: {None or "lead" or a member (or its pk): {"started", "completed", "outcomes": {outcome: count},
    "evidence"}}."""
    members = {m.pk: m for m in SupplyChainMember.objects.filter(contract=contract).select_related("organisation")}
    outcomes = {o.pk: o for o in contract_outcomes(contract)}
    with_terms = set(
        SubcontractPaymentTerms.objects.filter(member__contract=contract).values_list("member_id", flat=True)
    )
    checked: list[EnteredFigures] = []
    seen = set()
    for key, values in (figures or {}).items():
        if key in (None, LEAD_KEY, ""):
            member = None
        else:
            pk = getattr(key, "pk", key)
            try:
                pk = int(pk)
            except (TypeError, ValueError):
                pk = None
            member = members.get(pk)
            if member is None:
                errors.setdefault("figures", []).append("Figures can only be entered for this contract's supply chain")
                continue
            member.contract = contract
            if _blank(values):
                continue  # a form's empty boxes for a member: nothing entered, nothing to check
            if period is not None and not member_present(member, period):
                errors.setdefault(f"{field_prefix(member)}started", []).append(
                    f"{member.organisation.name} was not in the supply chain in {month_label(period)}"
                )
                continue
            if member.pk not in with_terms:
                errors.setdefault(f"{field_prefix(member)}started", []).append(
                    f"Set how {member.organisation.name} is paid before entering its figures"
                )
                continue
        if (member.pk if member else None) in seen:
            continue
        seen.add(member.pk if member else None)
        prefix = field_prefix(member)
        who = "" if member is None else f" by {member.organisation.name}"
        values = values or {}
        started = _count(values.get("started"), errors, f"{prefix}started", f"the people who started{who}")
        completed = _count(values.get("completed"), errors, f"{prefix}completed", f"the people who completed{who}")
        counts = {}
        for outcome_key, count in (values.get("outcomes") or {}).items():
            outcome_id = getattr(outcome_key, "pk", outcome_key)
            try:
                outcome_id = int(outcome_id)
            except (TypeError, ValueError):
                outcome_id = None
            if outcome_id not in outcomes:
                errors.setdefault(f"{prefix}outcomes", []).append(
                    "Outcomes must be outcomes of this contract's service categories"
                )
                continue
            number = _count(count, errors, f"{prefix}outcome_{outcome_id}", f"the outcomes achieved{who}")
            if number:
                counts[outcome_id] = number
        evidence = (values.get("evidence") or "").strip()
        if len(evidence) > 2000:
            errors.setdefault(f"{prefix}evidence", []).append("The evidence note must be 2,000 characters or fewer")
        if (started or completed or counts) and not evidence:
            errors.setdefault(f"{prefix}evidence", []).append(
                f"Say where the figures{who} come from (for example, the case records checked)"
            )
        checked.append(EnteredFigures(member, started, completed, counts, evidence))
    if not any(f.member is None for f in checked):
        checked.insert(0, EnteredFigures(None, 0, 0, {}, ""))
    return checked


def _settle(
    contract: Contract, terms: ContractPaymentTerms, year: ContractYear, period: date, entered: list[EnteredFigures]
) -> tuple[engine.Settlement, list[SupplyChainMember]]:
    contract_terms = contract_engine_terms(terms)
    fy, month = financial_year(period), month_number(period)
    runs = _months_in_year(contract.start_date, last_day(contract), fy)
    fixed = 0
    if contract_terms.fixed_bp and runs:
        fixed = engine.instalment_for_month(
            contract_terms.fixed_yearly_pence(year.value_pence),
            month=month,
            first_month=runs[0],
            last_month=runs[1],
            every_months=terms.every_months,
            in_advance=contract_terms.in_advance,
        )
    members = _members_with_terms(contract, period)
    subs = []
    for member in members:
        sub = member.subcontract_terms
        protected = 0
        if sub.terms == engine.SubcontractTerms.PROTECTED_FIXED_FEE and runs:
            own = _months_in_year(member.joined_on, member.left_on, fy)
            if own:
                first, last_ = max(own[0], runs[0]), min(own[1], runs[1])
                if first <= last_:
                    protected = engine.instalment_for_month(
                        sub.protected_yearly_pence,
                        month=month,
                        first_month=first,
                        last_month=last_,
                        every_months=terms.every_months,
                        in_advance=contract_terms.in_advance,
                    )
        subs.append(subcontract_engine_terms(sub, protected_pence=protected))
    settlement = engine.settle(
        terms=contract_terms,
        fixed_pence=fixed,
        figures={f.key: f.engine_figures() for f in entered},
        subcontracts=subs,
    )
    return settlement, members


def _chain(original: PaymentStatement) -> list[PaymentStatement]:
    return [original, *original.adjustments.order_by("pk")]


def _year_statements(contract: Contract, year: int) -> list[PaymentStatement]:
    return list(
        PaymentStatement.objects.filter(
            contract=contract, period__gte=date(year, 4, 1), period__lte=date(year + 1, 3, 1)
        )
        .prefetch_related("figures")
        .order_by("period", "pk")
    )


def _current_by_month(statements: list[PaymentStatement]) -> dict[date, dict]:
    """For each month: the people who started in it (the latest approved version's figures, else the original's)
    and what the lead provider receives for it (what was approved, else the original's amounts)."""
    months: dict[date, dict] = {}
    for statement in statements:
        month = months.setdefault(statement.period, {"started": 0, "received": 0, "approved": False})
        started = sum(f.started for f in statement.figures.all())
        if statement.adjusts_id is None:
            month["started"], month["received"] = started, statement.received_pence
            month["approved"] = statement.is_approved
        elif statement.is_approved:
            month["started"] = started
            month["received"] += statement.received_pence
    return months


def _check_caps(contract, year: ContractYear, period: date, entered, settlement, errors) -> None:
    months = _current_by_month(_year_statements(contract, year.financial_year))
    months.pop(period, None)
    started = sum(f.started for f in entered)
    total_started = started + sum(m["started"] for m in months.values())
    if year.expected_people is not None and total_started > year.expected_people:
        errors.setdefault("lead_started", []).append(
            f"These figures take the people who started in {year.label} to {total_started:,}: the contract is for "
            f"{year.expected_people:,} people that year"
        )
    total_received = settlement.received_pence + sum(m["received"] for m in months.values())
    if total_received > year.value_pence:
        errors.setdefault("__all__", []).append(
            f"This month's payments take what the lead provider receives in {year.label} to "
            f"{format_pence(total_received)}, more than the year's value of {format_pence(year.value_pence)}"
        )


def _store(statement: PaymentStatement, entered: list[EnteredFigures], settlement, members, *, previous=None) -> None:
    """Store the figures and the amounts: the settlement's, or for an adjustment the difference from `previous`
    (what was approved for the month: {"fixed", "results", "keeps", "lines": {member id: (fixed, results)}})."""
    statement.figures.all().delete()
    for one in entered:
        row = DeliveryFigures.objects.create(
            statement=statement, member=one.member, started=one.started, completed=one.completed, evidence=one.evidence
        )
        DeliveryOutcome.objects.bulk_create(
            [DeliveryOutcome(figures=row, outcome_id=k, count=v) for k, v in sorted(one.outcomes.items()) if v]
        )
    previous = previous or {"fixed": 0, "results": 0, "keeps": 0, "lines": {}}
    statement.prime_reached_target = settlement.prime_reached_target
    statement.fixed_pence = settlement.fixed_pence - previous["fixed"]
    statement.results_pence = settlement.results_pence - previous["results"]
    statement.received_pence = statement.fixed_pence + statement.results_pence
    statement.prime_keeps_pence = settlement.prime_keeps_pence - previous["keeps"]
    statement.supply_chain_due_pence = statement.received_pence - statement.prime_keeps_pence
    statement.updated_at = timezone.now()
    statement.save()
    statement.lines.all().delete()
    by_member = {m.pk: m for m in members}
    lines = []
    for due in settlement.members:
        member = by_member[int(due.key)]
        old_fixed, old_results = previous["lines"].pop(member.pk, (0, 0))
        fixed, results = due.fixed_part_pence - old_fixed, due.results_part_pence - old_results
        lines.append(
            StatementLine(
                statement=statement,
                member=member,
                terms=due.terms,
                adjustment=statement.adjusts_id is not None,
                fixed_part_pence=fixed,
                results_part_pence=results,
                due_pence=fixed + results,
                reason=due.reason,
            )
        )
    for member_id, (old_fixed, old_results) in previous["lines"].items():  # members no longer due anything
        lines.append(
            StatementLine(
                statement=statement,
                member_id=member_id,
                terms=SubcontractPaymentTerms.objects.filter(member_id=member_id)
                .values_list("terms", flat=True)
                .first()
                or "pass_through",
                adjustment=True,
                fixed_part_pence=-old_fixed,
                results_part_pence=-old_results,
                due_pence=-(old_fixed + old_results),
                reason="No longer due anything for this month under the corrected figures",
            )
        )
    StatementLine.objects.bulk_create(lines)
    if statement.supply_chain_due_pence != sum(line.due_pence for line in lines):
        raise AssertionError("statement lines do not add up")  # pragma: no cover - a bug, never bad input


def statement_snapshot(statement: PaymentStatement) -> dict:
    return {
        "contract": statement.contract.reference,
        "period": statement.period,
        "adjusts": statement.adjusts_id,
        "figures": [
            {
                "member": f.member_id,
                "started": f.started,
                "completed": f.completed,
                "outcomes": {str(o.outcome_id): o.count for o in f.outcomes.all()},
                "evidence": f.evidence,
            }
            for f in statement.figures.all()
        ],
        "fixed_pence": statement.fixed_pence,
        "results_pence": statement.results_pence,
        "received_pence": statement.received_pence,
        "supply_chain_due_pence": statement.supply_chain_due_pence,
        "prime_keeps_pence": statement.prime_keeps_pence,
        "lines": [{"member": line.member_id, "due_pence": line.due_pence} for line in statement.lines.all()],
    }


def _lock_contract(contract: Contract) -> Contract:
    contract = (
        Contract.objects.select_for_update(of=("self",)).select_related("lead_provider", "region").get(pk=contract.pk)
    )
    return contract


def _work_out(contract, period, figures, errors, *, previous=None):
    """Check and settle: (terms, year, entered, settlement, members); raises ValidationError."""
    period = _check_period(contract, period, errors)
    terms = _load_terms(contract, errors)
    year = _contract_year(contract, period, errors) if period is not None and "period" not in errors else None
    entered = _check_figures(contract, period, figures, errors)
    if errors:
        raise ValidationError(errors)
    try:
        settlement, members = _settle(contract, terms, year, period, entered)
    except engine.EngineError as exc:
        raise ValidationError({"__all__": [str(exc)]}) from exc
    _check_caps(contract, year, period, entered, settlement, errors)
    if errors:
        raise ValidationError(errors)
    return period, settlement, members, entered


def _statement_link(statement: PaymentStatement) -> str:
    try:
        return reverse("payments:statement", kwargs={"pk": statement.pk})
    except Exception:  # noqa: BLE001 - the pages may not be mounted in some tests
        return ""


# The services: statements ---------------------------------------------------------------------------------------------


def _require_enterer(actor, contract):
    _require(
        actor,
        "payments.enter_statement",
        contract,
        f"Only the lead provider's people ({contract.lead_provider.name}) can enter the month's figures",
    )


def enter_figures(*, actor, contract: Contract, period: date, figures: Mapping) -> PaymentStatement:
    """The lead provider enters (or changes) a month's delivery figures: a draft statement, worked out at once."""
    with transaction.atomic():
        contract = _lock_contract(contract)
        _require_enterer(actor, contract)
        errors: dict[str, list[str]] = {}
        existing = None
        if isinstance(period, date):
            existing = (
                PaymentStatement.objects.select_for_update(of=("self",))
                .filter(contract=contract, period=month_start(period), adjusts__isnull=True)
                .order_by("pk")
                .first()
            )
            if existing is not None and existing.is_approved:
                raise ValidationError(
                    {
                        "period": [
                            f"The statement for {month_label(existing.period)} was approved: it cannot be changed, "
                            "only corrected by an adjustment"
                        ]
                    }
                )
            if existing is not None and existing.submitted_at is not None:
                raise ValidationError(
                    {
                        "period": [
                            f"The statement for {month_label(existing.period)} is waiting for the commissioner: it "
                            "can be changed only if the commissioner sends it back"
                        ]
                    }
                )
        period, settlement, members, entered = _work_out(contract, period, figures, errors)
        before = statement_snapshot(existing) if existing else None
        statement = existing or PaymentStatement(contract=contract, period=period, entered_by=actor)
        statement.contract = contract
        statement.save()
        _store(statement, entered, settlement, members)
        audit.record(
            actor=actor,
            action="payments.statement_entered",
            obj=statement,
            before=before,
            after=statement_snapshot(statement),
        )
    return statement


def approved_so_far(original: PaymentStatement) -> dict:
    """What was approved for the original's month: its amounts plus its approved adjustments'."""
    result = {"fixed": 0, "results": 0, "keeps": 0, "lines": {}}
    for statement in _chain(original):
        if not statement.is_approved:
            continue
        result["fixed"] += statement.fixed_pence
        result["results"] += statement.results_pence
        result["keeps"] += statement.prime_keeps_pence
        for line in statement.lines.all():
            fixed, results = result["lines"].get(line.member_id, (0, 0))
            result["lines"][line.member_id] = (fixed + line.fixed_part_pence, results + line.results_part_pence)
    return result


def create_adjustment(*, actor, statement: PaymentStatement, figures: Mapping) -> PaymentStatement:
    """The lead provider corrects an approved statement: a linked adjustment statement with the corrected figures
    (or changes the one it has not submitted yet). Its amounts are the difference from what was approved."""
    with transaction.atomic():
        contract = _lock_contract(statement.contract)
        _require_enterer(actor, contract)
        original = PaymentStatement.objects.select_for_update(of=("self",)).get(pk=statement.pk)
        if original.adjusts_id is not None:
            original = PaymentStatement.objects.select_for_update(of=("self",)).get(pk=original.adjusts_id)
        if not original.is_approved:
            raise ValidationError(
                "Only an approved statement is corrected by an adjustment: change this one's figures instead"
            )
        open_adjustment = original.adjustments.filter(approved_at__isnull=True).first()
        if open_adjustment is not None and open_adjustment.submitted_at is not None:
            raise ValidationError(
                "An adjustment to this statement is waiting for the commissioner: wait for the decision first"
            )
        errors: dict[str, list[str]] = {}
        period, settlement, members, entered = _work_out(contract, original.period, figures, errors)
        before = statement_snapshot(open_adjustment) if open_adjustment else None
        adjustment = open_adjustment or PaymentStatement(
            contract=contract, period=original.period, adjusts=original, entered_by=actor
        )
        adjustment.contract = contract
        adjustment.save()
        _store(adjustment, entered, settlement, members, previous=approved_so_far(original))
        audit.record(
            actor=actor,
            action="payments.adjustment_entered",
            obj=adjustment,
            before=before,
            after=statement_snapshot(adjustment),
        )
    return adjustment


def _lock_statement(statement: PaymentStatement) -> PaymentStatement:
    locked = (
        PaymentStatement.objects.select_for_update(of=("self",))
        .select_related("contract__lead_provider", "contract__region", "adjusts")
        .get(pk=statement.pk)
    )
    return locked


def _figures_mapping(statement: PaymentStatement) -> dict:
    return {
        (f.member_id or LEAD_KEY): {
            "started": f.started,
            "completed": f.completed,
            "outcomes": {o.outcome_id: o.count for o in f.outcomes.all()},
            "evidence": f.evidence,
        }
        for f in statement.figures.prefetch_related("outcomes")
    }


def submit_statement(*, actor, statement: PaymentStatement) -> PaymentStatement:
    """The lead provider sends a draft to the commissioner. It is worked out again (with today's terms and the
    other months' figures) so that the commissioner approves what the contract says now."""
    with transaction.atomic():
        statement = _lock_statement(statement)
        contract = _lock_contract(statement.contract)
        statement.contract = contract
        _require_enterer(actor, contract)
        if statement.submitted_at is not None:
            raise ValidationError("This statement was already sent to the commissioner")
        errors: dict[str, list[str]] = {}
        figures = _figures_mapping(statement)
        period, settlement, members, entered = _work_out(contract, statement.period, figures, errors)
        before = statement_snapshot(statement)
        previous = approved_so_far(statement.adjusts) if statement.adjusts_id else None
        _store(statement, entered, settlement, members, previous=previous)
        statement.submitted_at, statement.submitted_by = timezone.now(), actor
        statement.save(update_fields=["submitted_at", "submitted_by"])
        audit.record(
            actor=actor,
            action="payments.statement_submitted",
            obj=statement,
            before=before,
            after=statement_snapshot(statement),
        )
        notify(
            users=supply_chain_services.region_commissioners(contract.region_id),
            title=f"A payment statement waits for your approval: {contract.reference}, {month_label(statement.period)}",
            body=f"{contract.lead_provider.name} sent its figures for {month_label(statement.period)}.",
            link=_statement_link(statement),
        )
    return statement


def _require_decider(actor, statement):
    _require(
        actor,
        "payments.decide_statement",
        statement.contract,
        "Only a commissioner of the contract's region can approve or send back its payment statements",
    )
    if statement.submitted_at is None:
        raise ValidationError("This statement has not been sent to the commissioner yet")
    if statement.approved_at is not None:
        raise ValidationError("This statement was already approved: it cannot be changed")


def approve_statement(*, actor, statement: PaymentStatement) -> PaymentStatement:
    """A commissioner of the contract's region approves a statement waiting for it. The value and volume caps are
    checked again, in case another month was approved in the meantime."""
    with transaction.atomic():
        statement = _lock_statement(statement)
        contract = _lock_contract(statement.contract)
        statement.contract = contract
        _require_decider(actor, statement)
        if (
            statement.adjusts_id is not None
            and statement.adjusts.adjustments.filter(approved_at__isnull=False, pk__gt=statement.pk).exists()
        ):  # pragma: no cover - only one open adjustment at a time
            raise ValidationError("A later adjustment was approved first")
        before = statement_snapshot(statement)
        statement.approved_at, statement.approved_by = timezone.now(), actor
        statement.save(update_fields=["approved_at", "approved_by"])
        audit.record(
            actor=actor,
            action="payments.statement_approved",
            obj=statement,
            before=before,
            after=statement_snapshot(statement),
        )
        member_orgs = set(statement.lines.values_list("member__organisation_id", flat=True))
        notify(
            users=supply_chain_services.organisation_users({contract.lead_provider_id} | member_orgs),
            title=f"Payment statement approved: {contract.reference}, {month_label(statement.period)}",
            body="The commissioner approved the statement. See what each organisation is due.",
            link=_statement_link(statement),
        )
    return statement


def return_statement(*, actor, statement: PaymentStatement, reason: str) -> PaymentStatement:
    """A commissioner sends a statement back to the lead provider with a reason; it becomes a draft again."""
    with transaction.atomic():
        statement = _lock_statement(statement)
        contract = statement.contract
        _require_decider(actor, statement)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": ["Say why you are sending the statement back"]})
        if len(reason) > 2000:
            raise ValidationError({"reason": ["The reason must be 2,000 characters or fewer"]})
        before = statement_snapshot(statement)
        statement.submitted_at = statement.submitted_by = None
        statement.returned_at, statement.returned_by, statement.return_reason = timezone.now(), actor, reason
        statement.save(update_fields=["submitted_at", "submitted_by", "returned_at", "returned_by", "return_reason"])
        audit.record(
            actor=actor,
            action="payments.statement_returned",
            obj=statement,
            before=before,
            after={**statement_snapshot(statement), "reason": reason},
        )
        notify(
            users=supply_chain_services.organisation_users({contract.lead_provider_id}),
            title=f"Payment statement sent back: {contract.reference}, {month_label(statement.period)}",
            body=reason,
            link=_statement_link(statement),
        )
    return statement


def record_line_payment(
    *,
    actor,
    line: StatementLine,
    paid_on: date | None = None,
    invoiced_on: date | None = None,
    invoice_reference: str = "",
):
    """The lead provider records that it paid a member what an approved statement says it is due. It is a
    contracts.SubcontractorPayment (invoiced on the approval date unless another date is given), so the payment
    timeliness measure counts it."""
    with transaction.atomic():
        line = (
            StatementLine.objects.select_for_update(of=("self",))
            .select_related("statement__contract__lead_provider", "member__organisation")
            .get(pk=line.pk)
        )
        statement = line.statement
        _require(
            actor,
            "payments.record_statement_payment",
            statement.contract,
            f"Only the lead provider's people ({statement.contract.lead_provider.name}) can record its payments",
        )
        if not statement.is_approved:
            raise ValidationError("Payments are recorded against approved statements only")
        if line.payment_id is not None:
            raise ValidationError("A payment was already recorded against this line")
        if line.due_pence <= 0:
            raise ValidationError("Nothing is due on this line, so there is no payment to record")
        invoiced_on = invoiced_on or timezone.localtime(statement.approved_at).date()
        payment = supply_chain_services.record_payment(
            actor=actor,
            member=line.member,
            invoiced_on=invoiced_on,
            amount_pence=line.due_pence,
            paid_on=paid_on,
            invoice_reference=invoice_reference or f"Statement {statement.pk}, {month_label(statement.period)}",
        )
        line.payment = payment
        line.save(update_fields=["payment"])
        audit.record(
            actor=actor,
            action="payments.statement_payment_recorded",
            obj=line,
            after={"statement": statement.pk, "member": line.member_id, "payment": payment.pk, "paid_on": paid_on},
        )
    return payment


# Reads for the pages and the API --------------------------------------------------------------------------------------


def statements_for_contract(contract: Contract):
    return (
        PaymentStatement.objects.filter(contract=contract)
        .select_related("adjusts")
        .order_by("-period", "adjusts_id", "pk")
    )


def statement_detail(pk) -> PaymentStatement | None:
    return (
        PaymentStatement.objects.select_related(
            "contract__lead_provider",
            "contract__region",
            "adjusts",
            "entered_by",
            "submitted_by",
            "approved_by",
            "returned_by",
        )
        .prefetch_related(
            "figures__member__organisation",
            "figures__outcomes__outcome",
            "lines__member__organisation",
            "lines__payment",
            "adjustments",
        )
        .filter(pk=pk)
        .first()
    )


STATUS_LABELS = {
    "draft": ("Draft", "govuk-tag--grey"),
    "returned": ("Sent back", "govuk-tag--orange"),
    "waiting": ("Waiting for approval", "govuk-tag--yellow"),
    "approved": ("Approved", "govuk-tag--green"),
}

ROUNDING_RULE = (
    "Instalments are the year's amount divided by the number of instalments, rounded down to the penny; the last "
    "instalment of the year takes the pennies left over, so the year adds up exactly. A share (such as a 25% "
    "pass-through) is rounded down to the penny, and the lead provider keeps the fraction of a penny. What the "
    "supply chain is due plus what the lead provider keeps always equals what the lead provider receives."
)
