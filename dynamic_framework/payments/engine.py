"""The arithmetic of payments: what a lead provider is paid for a period, and what each supply chain member is owed.

Pure Python, no Django, no floats: every amount is integer pence, every share is basis points (10_000 is 100%).

How a contract pays the lead provider (ContractTerms.mechanism):
  fixed_fee             the year's value in instalments (monthly or quarterly, paid at the end of each period)
  grant                 the year's value in instalments paid at the start of each period, with no conditions
  per_person_started    a fee for each person who starts the service
  per_person_completed  a fee for each person who completes it
  outcomes              an amount for each desired outcome achieved (keys are the categories' outcome ids)
  hybrid                a fixed share of the year's value in instalments (e.g. 90%), plus results fees (any of the
                        three above) for the rest

A contract may set a target: results fees are then paid only in a period whose figures (for the whole supply chain)
reach it. That is how payment by results worked under Transforming Rehabilitation: no target, no payment.

How a subcontract pays a supply chain member (Subcontract.terms):
  pass_through          back-to-back: share_bp of the lead provider's fixed payment for the period, and share_bp of
                        what the lead provider is paid for the people and outcomes this member delivered. When the
                        lead provider is not paid (its target missed), neither is the member.
  protected_fixed_fee   a fixed amount for the period whatever the results (the caller works out the instalment
                        with instalment_for_month): the lead provider carries the risk.
  payment_by_results    the member's own fees for its own figures, paid when it reaches its own target (if it has
                        one). When conditional_on_prime is set (the "Transforming Rehabilitation rule"), it is paid
                        only if the lead provider also reached its target.

Rounding rule (the only divisions): an instalment is the year's amount divided by the number of instalments, rounded
down to the penny, and the last instalment of the year takes the pennies left over, so the year adds up exactly. A
share (share_bp of an amount) is rounded down to the penny; the lead provider keeps the fraction.

Conservation: for every settlement, what the supply chain is due plus what the lead provider keeps equals what the
lead provider receives. settle() works out what the lead provider keeps from its parts (the fixed payment and each
member's results it keeps, less the protected and results fees it pays out of its own pocket), and checks the
identity, so a mistake here raises instead of paying someone the wrong amount.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from dynamic_framework.core.money import percent_text

BASIS_POINTS = 10_000
LEAD = "lead"  # the key of the lead provider's own figures in settle()'s figures mapping


class EngineError(ValueError):
    """Terms or figures the engine cannot work with. The message is plain English, fit to show a user."""


class Mechanism(StrEnum):
    FIXED_FEE = "fixed_fee"
    GRANT = "grant"
    PER_PERSON_STARTED = "per_person_started"
    PER_PERSON_COMPLETED = "per_person_completed"
    OUTCOMES = "outcomes"
    HYBRID = "hybrid"


class SubcontractTerms(StrEnum):
    PASS_THROUGH = "pass_through"
    PROTECTED_FIXED_FEE = "protected_fixed_fee"
    PAYMENT_BY_RESULTS = "payment_by_results"


class Measure(StrEnum):
    STARTED = "started"
    COMPLETED = "completed"
    OUTCOMES = "outcomes"


@dataclass(frozen=True)
class Figures:
    """What was delivered in a period: people who started, people who completed, outcomes achieved by outcome key."""

    started: int = 0
    completed: int = 0
    outcomes: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self):
        for name, value in (("people who started", self.started), ("people who completed", self.completed)):
            _check_count(value, name)
        for key, value in self.outcomes.items():
            _check_count(value, f"outcome {key}")

    @property
    def outcomes_total(self) -> int:
        return sum(self.outcomes.values())

    def measure(self, measure: Measure) -> int:
        if measure == Measure.STARTED:
            return self.started
        if measure == Measure.COMPLETED:
            return self.completed
        return self.outcomes_total

    def __add__(self, other: Figures) -> Figures:
        outcomes = dict(self.outcomes)
        for key, value in other.outcomes.items():
            outcomes[key] = outcomes.get(key, 0) + value
        return Figures(
            started=self.started + other.started, completed=self.completed + other.completed, outcomes=outcomes
        )


@dataclass(frozen=True)
class Target:
    """Reached when the period's figures for `measure` are at least `count`."""

    measure: Measure
    count: int

    def __post_init__(self):
        if self.measure not in set(Measure):
            raise EngineError("Choose what the target counts: people who started, people who completed or outcomes")
        _check_count(self.count, "the target")

    def reached(self, figures: Figures) -> bool:
        return figures.measure(self.measure) >= self.count


@dataclass(frozen=True)
class Rates:
    """Results fees in pence: per person started, per person completed, and per outcome (by outcome key)."""

    per_start_pence: int = 0
    per_completion_pence: int = 0
    per_outcome_pence: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self):
        _check_pence(self.per_start_pence, "the fee per person who starts")
        _check_pence(self.per_completion_pence, "the fee per person who completes")
        for key, value in self.per_outcome_pence.items():
            _check_pence(value, f"the fee for outcome {key}")

    @property
    def any(self) -> bool:
        return bool(self.per_start_pence or self.per_completion_pence or any(self.per_outcome_pence.values()))

    def earned(self, figures: Figures) -> int:
        """What these rates pay for these figures (no division, so no rounding)."""
        total = figures.started * self.per_start_pence + figures.completed * self.per_completion_pence
        for key, count in figures.outcomes.items():
            total += count * self.per_outcome_pence.get(key, 0)
        return total


@dataclass(frozen=True)
class ContractTerms:
    """How the contract pays the lead provider. fixed_share_bp is only for hybrids (fixed fees and grants are 100%
    fixed, results mechanisms 0%)."""

    mechanism: Mechanism
    rates: Rates = field(default_factory=Rates)
    fixed_share_bp: int = 0
    target: Target | None = None

    def __post_init__(self):
        if self.mechanism not in set(Mechanism):
            raise EngineError("Choose how the contract pays")
        if self.mechanism == Mechanism.HYBRID:
            if not 0 < self.fixed_share_bp < BASIS_POINTS:
                raise EngineError("The fixed share of a hybrid must be more than 0% and less than 100%")
            if not self.rates.any:
                raise EngineError("A hybrid needs at least one results fee as well as its fixed share")
        elif self.fixed_share_bp:
            raise EngineError("Only a hybrid has a fixed share")
        if self.mechanism in (Mechanism.FIXED_FEE, Mechanism.GRANT):
            if self.rates.any:
                raise EngineError("A fixed fee or a grant has no results fees")
            if self.target is not None:
                raise EngineError("A fixed fee or a grant has no target: its instalments have no conditions")
        if self.mechanism == Mechanism.PER_PERSON_STARTED and not self.rates.per_start_pence:
            raise EngineError("Enter the fee per person who starts")
        if self.mechanism == Mechanism.PER_PERSON_COMPLETED and not self.rates.per_completion_pence:
            raise EngineError("Enter the fee per person who completes")
        if self.mechanism == Mechanism.OUTCOMES and not any(self.rates.per_outcome_pence.values()):
            raise EngineError("Enter a fee for at least one outcome")

    @property
    def fixed_bp(self) -> int:
        """The share of the year's value paid in instalments."""
        if self.mechanism in (Mechanism.FIXED_FEE, Mechanism.GRANT):
            return BASIS_POINTS
        return self.fixed_share_bp

    @property
    def has_results(self) -> bool:
        return self.mechanism not in (Mechanism.FIXED_FEE, Mechanism.GRANT)

    @property
    def in_advance(self) -> bool:
        """Grants are paid at the start of each instalment period, fees at the end."""
        return self.mechanism == Mechanism.GRANT

    def fixed_yearly_pence(self, yearly_value_pence: int) -> int:
        """The part of the year's value paid in instalments (rounded down to the penny)."""
        _check_pence(yearly_value_pence, "the year's value")
        return share_of(yearly_value_pence, self.fixed_bp)


@dataclass(frozen=True)
class Subcontract:
    """A supply chain member's terms. `key` identifies the member in settle()'s figures and results."""

    key: str
    terms: SubcontractTerms
    share_bp: int = 0  # pass_through
    protected_pence: int = 0  # protected_fixed_fee: the amount for the period being settled
    rates: Rates = field(default_factory=Rates)  # payment_by_results
    target: Target | None = None  # payment_by_results
    conditional_on_prime: bool = False  # payment_by_results: the Transforming Rehabilitation rule

    def __post_init__(self):
        if self.key == LEAD:
            raise EngineError(f"{LEAD!r} is the lead provider's own key")
        if self.terms not in set(SubcontractTerms):
            raise EngineError("Choose how the subcontract pays")
        if self.terms == SubcontractTerms.PASS_THROUGH:
            if not 0 < self.share_bp <= BASIS_POINTS:
                raise EngineError("A pass-through share must be more than 0% and no more than 100%")
        elif self.share_bp:
            raise EngineError("Only a pass-through subcontract has a share")
        _check_pence(self.protected_pence, "the protected fee")
        if self.terms != SubcontractTerms.PROTECTED_FIXED_FEE and self.protected_pence:
            raise EngineError("Only a protected fixed fee has a fixed amount")
        if self.terms == SubcontractTerms.PAYMENT_BY_RESULTS:
            if not self.rates.any:
                raise EngineError("Payment by results needs at least one fee")
        elif self.rates.any or self.target is not None or self.conditional_on_prime:
            raise EngineError("Only payment by results has fees, a target or a condition on the lead provider")


@dataclass(frozen=True)
class MemberDue:
    key: str
    terms: SubcontractTerms
    fixed_part_pence: int  # pass-through: its share of the lead provider's fixed payment; protected: the fee
    results_part_pence: int  # pass-through: its share of the results it earned the lead provider; PbR: its fees
    reached_target: bool | None  # payment_by_results with a target: whether it reached it; otherwise None
    paid_for_results: bool  # whether its results were paid (False when a target or the lead provider's missed)
    reason: str  # one plain-English sentence saying why it gets what it gets

    @property
    def due_pence(self) -> int:
        return self.fixed_part_pence + self.results_part_pence


@dataclass(frozen=True)
class Settlement:
    fixed_pence: int  # the lead provider's fixed payment for the period (instalment)
    results_pence: int  # its results fees for the period (0 when its target was missed)
    prime_reached_target: bool | None  # None when the contract has no target
    members: tuple[MemberDue, ...]
    prime_keeps_pence: int  # may be negative: protected fees are paid whatever the lead provider receives

    @property
    def received_pence(self) -> int:
        return self.fixed_pence + self.results_pence

    @property
    def supply_chain_due_pence(self) -> int:
        return sum(member.due_pence for member in self.members)

    def member(self, key: str) -> MemberDue:
        for member in self.members:
            if member.key == key:
                return member
        raise KeyError(key)


def share_of(amount_pence: int, share_bp: int) -> int:
    """share_bp of an amount, rounded down to the penny (the rounding rule for every share)."""
    if amount_pence < 0 or share_bp < 0:
        raise EngineError("Amounts and shares cannot be negative")
    return amount_pence * share_bp // BASIS_POINTS


def split_into_instalments(total_pence: int, count: int) -> list[int]:
    """total split into `count` instalments: each rounded down to the penny, the last takes the pennies left over."""
    _check_pence(total_pence, "the amount")
    if count < 1:
        raise EngineError("There must be at least one instalment")
    each = total_pence // count
    return [each] * (count - 1) + [total_pence - each * (count - 1)]


def instalment_for_month(
    yearly_pence: int,
    *,
    month: int,
    first_month: int = 1,
    last_month: int = 12,
    every_months: int = 1,
    in_advance: bool = False,
) -> int:
    """What is paid in `month` (1 is April, 12 is March) of a financial year, when the year's amount is paid in
    instalments every `every_months` months (1 monthly, 3 quarterly) over the months the agreement runs in that year
    (first_month to last_month). Instalment periods are counted from first_month; each is paid in its last month,
    or its first month when paid in advance (grants). A month with no instalment pays 0."""
    if every_months not in (1, 3):
        raise EngineError("Instalments are monthly or quarterly")
    if not 1 <= first_month <= last_month <= 12:
        raise EngineError("The months an agreement runs in a year must be between April (1) and March (12)")
    if not 1 <= month <= 12:
        raise EngineError("The month must be between April (1) and March (12)")
    if not first_month <= month <= last_month:
        return 0
    months = last_month - first_month + 1
    periods = [
        list(range(start, min(start + every_months, last_month + 1)))
        for start in range(first_month, last_month + 1, every_months)
    ]
    amounts = split_into_instalments(yearly_pence, len(periods))
    assert sum(len(period) for period in periods) == months
    for period, amount in zip(periods, amounts, strict=True):
        pay_month = period[0] if in_advance else period[-1]
        if month == pay_month:
            return amount
    return 0


def settle(
    *,
    terms: ContractTerms,
    fixed_pence: int,
    figures: Mapping[str, Figures],
    subcontracts: Sequence[Subcontract] = (),
    prime_reached_target: bool | None = None,
    member_reached_target: Mapping[str, bool] | None = None,
) -> Settlement:
    """Settle one period.

    fixed_pence: the lead provider's fixed payment for the period (an instalment from instalment_for_month of
    terms.fixed_yearly_pence(year value), or the whole fixed part when settling a whole year).
    figures: what was delivered, by who delivered it: LEAD for the lead provider's own work, and each member's key.
    prime_reached_target / member_reached_target: to say who reached their target instead of working it out from
    the figures (the simulator's "what if"); None works it out.
    """
    _check_pence(fixed_pence, "the fixed payment")
    if fixed_pence and not terms.fixed_bp:
        raise EngineError("This contract has no fixed payment")
    keys = [sub.key for sub in subcontracts]
    if len(set(keys)) != len(keys):
        raise EngineError("Each supply chain member can have only one set of terms")
    unknown = set(figures) - {LEAD, *keys}
    if unknown:
        raise EngineError(f"Figures for someone not in the supply chain: {', '.join(sorted(unknown))}")
    pass_through_bp = sum(sub.share_bp for sub in subcontracts if sub.terms == SubcontractTerms.PASS_THROUGH)
    if pass_through_bp > BASIS_POINTS:
        raise EngineError("The pass-through shares add up to more than 100% of the lead provider's payment")

    empty = Figures()
    total = empty
    for one in figures.values():
        total = total + one

    if terms.target is None:
        prime_reached = None if prime_reached_target is None else bool(prime_reached_target)
    else:
        prime_reached = terms.target.reached(total) if prime_reached_target is None else bool(prime_reached_target)
    results_paid = terms.has_results and prime_reached is not False
    # What the lead provider is paid for each deliverer's figures: the sum is its results fees (rates are linear).
    earned_by = {key: terms.rates.earned(one) if results_paid else 0 for key, one in figures.items()}
    results_pence = sum(earned_by.values())

    member_reached_target = member_reached_target or {}
    members = []
    keeps = fixed_pence + results_pence
    for sub in subcontracts:
        own = figures.get(sub.key, empty)
        if sub.terms == SubcontractTerms.PASS_THROUGH:
            fixed_part = share_of(fixed_pence, sub.share_bp)
            results_part = share_of(earned_by.get(sub.key, 0), sub.share_bp)
            paid = results_paid
            reached = None
            share = percent_label(sub.share_bp)
            if not terms.has_results:
                reason = f"{share} of the lead provider's fixed payment"
            elif results_paid:
                reason = f"{share} of what the lead provider is paid for this member's work" + (
                    f", and {share} of its fixed payment" if terms.fixed_bp else ""
                )
            elif terms.fixed_bp:
                reason = (
                    f"{share} of the lead provider's fixed payment only: the lead provider missed its target, "
                    "so it has no results fees to pass on"
                )
            else:
                reason = "The lead provider missed its target, so it has no results fees to pass on"
        elif sub.terms == SubcontractTerms.PROTECTED_FIXED_FEE:
            fixed_part, results_part, paid, reached = sub.protected_pence, 0, True, None
            reason = "A protected fee: paid whatever the results"
        else:
            if sub.target is None:
                reached = member_reached_target.get(sub.key)
            else:
                reached = member_reached_target.get(sub.key, sub.target.reached(own))
            own_ok = reached is not False
            prime_ok = prime_reached is not False
            paid = own_ok and (prime_ok or not sub.conditional_on_prime)
            fixed_part, results_part = 0, sub.rates.earned(own) if paid else 0
            if paid:
                reason = "Paid for its own results"
            elif not own_ok:
                reason = "It missed its own target, so its results are not paid"
            else:
                reason = "It reached its target, but its pay depends on the lead provider's, which missed its target"
        members.append(
            MemberDue(
                key=sub.key,
                terms=sub.terms,
                fixed_part_pence=fixed_part,
                results_part_pence=results_part,
                reached_target=reached,
                paid_for_results=paid,
                reason=reason,
            )
        )
        keeps -= fixed_part + results_part

    settlement = Settlement(
        fixed_pence=fixed_pence,
        results_pence=results_pence,
        prime_reached_target=prime_reached,
        members=tuple(members),
        prime_keeps_pence=keeps,
    )
    # Worked out independently of `keeps` above: the lead provider keeps the fraction of the fixed payment and of
    # each deliverer's results not passed on, and pays protected and results fees from what it keeps.
    kept_fixed = fixed_pence - sum(m.fixed_part_pence for m in members if m.terms == SubcontractTerms.PASS_THROUGH)
    kept_results = results_pence - sum(
        m.results_part_pence for m in members if m.terms == SubcontractTerms.PASS_THROUGH
    )
    paid_out = sum(m.due_pence for m in members if m.terms != SubcontractTerms.PASS_THROUGH)
    if kept_fixed + kept_results - paid_out != settlement.prime_keeps_pence or (
        settlement.supply_chain_due_pence + settlement.prime_keeps_pence != settlement.received_pence
    ):
        raise AssertionError("settlement does not add up")  # pragma: no cover - a bug, never bad input
    return settlement


def percent_label(bp: int) -> str:
    """Basis points as a percentage for a sentence: 2500 -> '25%', 1250 -> '12.5%', 0 -> '0%'."""
    return f"{percent_text(bp) or 0}%"


def _check_count(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EngineError(f"Enter {name} as a whole number")
    if value < 0:
        raise EngineError(f"Enter {name} as 0 or more")


def _check_pence(value, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EngineError(f"Enter {name} as an amount in pounds and pence")
    if value < 0:
        raise EngineError(f"Enter {name} as £0 or more")
