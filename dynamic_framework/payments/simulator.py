"""The risk simulator ("who gets paid if..."): a lead provider and up to 5 subcontractors with their terms, and what
each is paid for every combination of who reaches their target, and in an expected, a good and a bad year.

Pure Python, no Django, no database: a Setup (integer pence, basis points, whole numbers of results) goes in, and
the engine (payments/engine.py) does every sum. The page (views/simulator.py, forms_simulator.py) and the API
(api/simulator.py) build a Setup from what they are sent and show what this module gives back.

One kind of result for the whole set-up (people who start, people who complete, or outcomes achieved): every fee is
per result and every target counts results. The lead provider's target counts the whole supply chain's results
(its own and its subcontractors'), as the engine does; a subcontractor's target counts its own results.

Whole years: the lead provider's fixed payment is the fixed part of its yearly value (engine
ContractTerms.fixed_yearly_pence, rounded down to the penny), and a protected fee is its yearly amount.

A good or bad year left empty is worked out from the expected year: good is expected plus 25%, bad is expected less
50%, each rounded down to a whole result (GOOD_YEAR_BP, BAD_YEAR_BP). The page and the API say when they did that.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import product

from . import engine
from .engine import LEAD, ContractTerms, EngineError, Figures, Measure, Mechanism, Rates, Subcontract, Target

MAX_SUBCONTRACTORS = 5
MAX_PENCE = 1_000_000_000_00  # £1 billion: the most any amount may be
MAX_RESULTS = 1_000_000  # the most results or a target may count
MAX_NAME = 80
GOOD_YEAR_BP = 12_500  # a good year left empty: the expected year's results plus 25%
BAD_YEAR_BP = 5_000  # a bad year left empty: the expected year's results less 50%
YEARS = ("expected", "good", "bad")
YEAR_LABELS = {"expected": "Expected year", "good": "Good year", "bad": "Bad year"}


class ResultKind(StrEnum):
    """What counts as a result: the engine's measures."""

    STARTED = "started"
    COMPLETED = "completed"
    OUTCOMES = "outcomes"


RESULT_LABELS = {
    ResultKind.STARTED: "people who start",
    ResultKind.COMPLETED: "people who complete",
    ResultKind.OUTCOMES: "outcomes achieved",
}
ONE_RESULT = {
    ResultKind.STARTED: "person who starts",
    ResultKind.COMPLETED: "person who completes",
    ResultKind.OUTCOMES: "outcome achieved",
}


class LeadMechanism(StrEnum):
    FIXED_FEE = "fixed_fee"
    GRANT = "grant"
    PAYMENT_BY_RESULTS = "payment_by_results"
    HYBRID = "hybrid"


class MemberTerms(StrEnum):
    PASS_THROUGH = "pass_through"
    PROTECTED_FIXED_FEE = "protected_fixed_fee"
    PAYMENT_BY_RESULTS = "payment_by_results"


# Plain English for each choice: the page's radios and the API's schema use these.
LEAD_MECHANISMS = {
    LeadMechanism.FIXED_FEE: (
        "Fixed fee",
        "The lead provider is paid the yearly value in instalments, whatever the results.",
    ),
    LeadMechanism.GRANT: (
        "Grant",
        "The yearly value is paid in instalments, in advance, with no conditions about results.",
    ),
    LeadMechanism.PAYMENT_BY_RESULTS: (
        "Payment by results",
        "The lead provider is paid a fee for each result, and only if it reaches its target (if it has one).",
    ),
    LeadMechanism.HYBRID: (
        "Hybrid",
        "A fixed share of the yearly value whatever the results (for example 90%), plus a fee for each result.",
    ),
}
MEMBER_TERMS = {
    MemberTerms.PASS_THROUGH: (
        "Pass-through (back-to-back)",
        "The subcontractor gets a share of what the lead provider is paid: a share of its fixed payment, and the "
        "same share of what the lead provider is paid for this subcontractor's results. If the lead provider is "
        "not paid, neither is the subcontractor.",
    ),
    MemberTerms.PROTECTED_FIXED_FEE: (
        "Protected fixed fee",
        "You are paid whatever happens: a fixed amount for the year, even if no one reaches a target. The lead "
        "provider carries the risk.",
    ),
    MemberTerms.PAYMENT_BY_RESULTS: (
        "Payment by results",
        "The subcontractor is paid its own fee for each of its own results, if it reaches its own target (if it "
        "has one).",
    ),
}
CONDITIONAL_TEXT = (
    "Conditional on the lead provider: you are paid only if the lead provider also reaches its target. This is how "
    "payment by results worked under Transforming Rehabilitation."
)


@dataclass(frozen=True)
class YearResults:
    """Results in the expected, good and bad years; None: work it out from the expected year."""

    expected: int = 0
    good: int | None = None
    bad: int | None = None

    def year(self, key: str) -> tuple[int, bool]:
        """(results, worked out from the expected year?)"""
        value = getattr(self, key)
        if value is not None:
            return value, False
        bp = GOOD_YEAR_BP if key == "good" else BAD_YEAR_BP
        return self.expected * bp // engine.BASIS_POINTS, True  # rounded down to a whole result


@dataclass(frozen=True)
class LeadSetup:
    mechanism: str
    yearly_value_pence: int = 0  # fixed fee, grant and hybrid
    fixed_share_bp: int = 0  # hybrid
    fee_pence: int = 0  # payment by results and hybrid: per result
    target: int | None = None  # payment by results and hybrid: results of the whole supply chain
    results: YearResults = field(default_factory=YearResults)  # its own results


@dataclass(frozen=True)
class MemberSetup:
    terms: str
    name: str = ""
    share_bp: int = 0  # pass-through
    protected_fee_pence: int = 0  # protected fixed fee: for the year
    fee_pence: int = 0  # payment by results: per result
    target: int | None = None  # payment by results: its own results
    conditional_on_prime: bool = False  # payment by results: the Transforming Rehabilitation rule
    results: YearResults = field(default_factory=YearResults)


@dataclass(frozen=True)
class Setup:
    result_kind: str
    lead: LeadSetup
    members: tuple[MemberSetup, ...] = ()


class SetupError(ValueError):
    """Bad set-up. errors: field path -> messages, where a path is like "lead_provider.fee_pence",
    "subcontractors.0.share_bp" or "subcontractors" (the API's field names)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items()))
        self.errors = errors


# Which field an engine refusal is about (the engine's messages are plain English: shown as they are).
LEAD_ENGINE_FIELDS = [
    ("results fee", "fee_pence"),
    ("fixed share", "fixed_share_bp"),
    ("fee per person", "fee_pence"),
    ("fee for at least one outcome", "fee_pence"),
    ("fee for outcome", "fee_pence"),
    ("target", "target"),
    ("year's value", "yearly_value_pence"),
]
MEMBER_ENGINE_FIELDS = [
    ("pass-through share", "share_bp"),
    ("at least one fee", "fee_pence"),
    ("fee per person", "fee_pence"),
    ("fee for outcome", "fee_pence"),
    ("protected fee", "protected_fee_pence"),
    ("target", "target"),
]


def _engine_field(message: str, table, default: str) -> str:
    lowered = message.lower()
    for words, name in table:
        if words in lowered:
            return name
    return default


def member_name(member: MemberSetup, index: int) -> str:
    return member.name.strip() or f"Subcontractor {index + 1}"


def member_key(index: int) -> str:
    return f"s{index + 1}"


# Building the engine's terms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A checked set-up, as the engine's terms."""

    setup: Setup
    measure: Measure
    terms: ContractTerms
    fixed_pence: int  # the lead provider's fixed payment for a year
    subcontracts: tuple[Subcontract, ...]
    names: tuple[str, ...]

    def figures(self, year: str) -> dict[str, Figures]:
        out = {LEAD: self._figures(self.setup.lead.results.year(year)[0])}
        for index, member in enumerate(self.setup.members):
            out[member_key(index)] = self._figures(member.results.year(year)[0])
        return out

    def _figures(self, count: int) -> Figures:
        if self.measure == Measure.STARTED:
            return Figures(started=count)
        if self.measure == Measure.COMPLETED:
            return Figures(completed=count)
        return Figures(outcomes={"outcome": count})

    def rates(self, fee_pence: int) -> Rates:
        return _rates(self.measure, fee_pence)

    def settle(self, year: str = "expected", *, subcontracts=None, prime=None, members=None) -> engine.Settlement:
        return engine.settle(
            terms=self.terms,
            fixed_pence=self.fixed_pence,
            figures=self.figures(year),
            subcontracts=self.subcontracts if subcontracts is None else subcontracts,
            prime_reached_target=prime,
            member_reached_target=members,
        )


def _rates(measure: Measure, fee_pence: int) -> Rates:
    if measure == Measure.STARTED:
        return Rates(per_start_pence=fee_pence)
    if measure == Measure.COMPLETED:
        return Rates(per_completion_pence=fee_pence)
    return Rates(per_outcome_pence={"outcome": fee_pence})


ENGINE_MECHANISM = {
    Measure.STARTED: Mechanism.PER_PERSON_STARTED,
    Measure.COMPLETED: Mechanism.PER_PERSON_COMPLETED,
    Measure.OUTCOMES: Mechanism.OUTCOMES,
}


def _check_whole(errors, path: str, value, *, largest: int, what: str, money: bool = False) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        errors.setdefault(path, []).append(f"Enter {what} as a whole number")
    elif value < 0:
        errors.setdefault(path, []).append(f"Enter {what} as {'£0' if money else '0'} or more")
    elif value > largest:
        limit = f"£{largest // 100:,}" if money else f"{largest:,}"
        errors.setdefault(path, []).append(f"Enter {what} of no more than {limit}")


def _check_results(errors, prefix: str, results: YearResults) -> None:
    for year in YEARS:
        what = f"the {YEAR_LABELS[year].lower()}'s results"
        _check_whole(errors, f"{prefix}.results.{year}", getattr(results, year), largest=MAX_RESULTS, what=what)


def tidy(setup: Setup) -> Setup:
    """The set-up without what does not apply to the terms chosen (a fee for a fixed fee, a share for a protected
    fee...): the page keeps every field whatever the choice, so what does not apply is left out, not refused."""
    lead = setup.lead
    fixed = lead.mechanism in (LeadMechanism.FIXED_FEE, LeadMechanism.GRANT, LeadMechanism.HYBRID)
    results = lead.mechanism in (LeadMechanism.PAYMENT_BY_RESULTS, LeadMechanism.HYBRID)
    lead = replace(
        lead,
        yearly_value_pence=lead.yearly_value_pence if fixed else 0,
        fixed_share_bp=lead.fixed_share_bp if lead.mechanism == LeadMechanism.HYBRID else 0,
        fee_pence=lead.fee_pence if results else 0,
        target=lead.target if results else None,
    )
    members = []
    for member in setup.members:
        pbr = member.terms == MemberTerms.PAYMENT_BY_RESULTS
        members.append(
            replace(
                member,
                share_bp=member.share_bp if member.terms == MemberTerms.PASS_THROUGH else 0,
                protected_fee_pence=member.protected_fee_pence
                if member.terms == MemberTerms.PROTECTED_FIXED_FEE
                else 0,
                fee_pence=member.fee_pence if pbr else 0,
                target=member.target if pbr else None,
                conditional_on_prime=bool(member.conditional_on_prime) if pbr else False,
            )
        )
    return replace(setup, lead=lead, members=tuple(members))


def build(setup: Setup) -> Scenario:
    """Check the set-up and turn it into the engine's terms. Raises SetupError with every problem found."""
    errors: dict[str, list[str]] = {}
    if len(setup.members) > MAX_SUBCONTRACTORS:
        raise SetupError({"subcontractors": [f"Enter no more than {MAX_SUBCONTRACTORS} subcontractors"]})
    setup = tidy(setup)
    try:
        measure = Measure(setup.result_kind)
    except ValueError:
        errors["result_kind"] = ["Choose what counts as a result: people who start, people who complete or outcomes"]
        measure = Measure.OUTCOMES

    lead = setup.lead
    _check_whole(
        errors,
        "lead_provider.yearly_value_pence",
        lead.yearly_value_pence,
        largest=MAX_PENCE,
        what="the yearly value",
        money=True,
    )
    _check_whole(errors, "lead_provider.fee_pence", lead.fee_pence, largest=MAX_PENCE, what="the fee", money=True)
    _check_whole(errors, "lead_provider.target", lead.target, largest=MAX_RESULTS, what="the target")
    _check_whole(
        errors, "lead_provider.fixed_share_bp", lead.fixed_share_bp, largest=engine.BASIS_POINTS, what="the fixed share"
    )
    _check_results(errors, "lead_provider", lead.results)
    for index, member in enumerate(setup.members):
        prefix = f"subcontractors.{index}"
        if not isinstance(member.name, str) or len(member.name) > MAX_NAME:
            errors.setdefault(f"{prefix}.name", []).append(f"Enter a name of no more than {MAX_NAME} characters")
        _check_whole(errors, f"{prefix}.share_bp", member.share_bp, largest=engine.BASIS_POINTS, what="the share")
        _check_whole(
            errors,
            f"{prefix}.protected_fee_pence",
            member.protected_fee_pence,
            largest=MAX_PENCE,
            what="the protected fee",
            money=True,
        )
        _check_whole(errors, f"{prefix}.fee_pence", member.fee_pence, largest=MAX_PENCE, what="the fee", money=True)
        _check_whole(errors, f"{prefix}.target", member.target, largest=MAX_RESULTS, what="the target")
        _check_results(errors, prefix, member.results)
    if lead.mechanism not in set(LeadMechanism):
        errors["lead_provider.mechanism"] = ["Choose how the contract pays the lead provider"]
    for index, member in enumerate(setup.members):
        if member.terms not in set(MemberTerms):
            errors[f"subcontractors.{index}.terms"] = ["Choose how the lead provider pays this subcontractor"]
    if errors:
        raise SetupError(errors)

    terms = None
    fixed_pence = 0
    mechanism = LeadMechanism(lead.mechanism)
    fixed = mechanism in (LeadMechanism.FIXED_FEE, LeadMechanism.GRANT, LeadMechanism.HYBRID)
    if fixed and not lead.yearly_value_pence:
        errors["lead_provider.yearly_value_pence"] = ["Enter the contract's yearly value"]
    has_results = mechanism in (LeadMechanism.PAYMENT_BY_RESULTS, LeadMechanism.HYBRID)
    try:
        if mechanism == LeadMechanism.FIXED_FEE:
            terms = ContractTerms(mechanism=Mechanism.FIXED_FEE)
        elif mechanism == LeadMechanism.GRANT:
            terms = ContractTerms(mechanism=Mechanism.GRANT)
        else:
            terms = ContractTerms(
                mechanism=Mechanism.HYBRID if mechanism == LeadMechanism.HYBRID else ENGINE_MECHANISM[measure],
                rates=_rates(measure, lead.fee_pence),
                fixed_share_bp=lead.fixed_share_bp if mechanism == LeadMechanism.HYBRID else 0,
                target=Target(measure, lead.target) if has_results and lead.target is not None else None,
            )
        fixed_pence = terms.fixed_yearly_pence(lead.yearly_value_pence)
    except EngineError as exc:
        path = "lead_provider." + _engine_field(str(exc), LEAD_ENGINE_FIELDS, "mechanism")
        errors.setdefault(path, []).append(str(exc))

    subcontracts = []
    for index, member in enumerate(setup.members):
        prefix = f"subcontractors.{index}"
        kind = MemberTerms(member.terms)
        try:
            if kind == MemberTerms.PASS_THROUGH:
                sub = Subcontract(
                    key=member_key(index), terms=engine.SubcontractTerms.PASS_THROUGH, share_bp=member.share_bp
                )
            elif kind == MemberTerms.PROTECTED_FIXED_FEE:
                if not member.protected_fee_pence:
                    errors[f"{prefix}.protected_fee_pence"] = ["Enter the protected fee for the year"]
                    continue
                sub = Subcontract(
                    key=member_key(index),
                    terms=engine.SubcontractTerms.PROTECTED_FIXED_FEE,
                    protected_pence=member.protected_fee_pence,
                )
            else:
                sub = Subcontract(
                    key=member_key(index),
                    terms=engine.SubcontractTerms.PAYMENT_BY_RESULTS,
                    rates=_rates(measure, member.fee_pence),
                    target=Target(measure, member.target) if member.target is not None else None,
                    conditional_on_prime=bool(member.conditional_on_prime),
                )
        except EngineError as exc:
            path = f"{prefix}." + _engine_field(str(exc), MEMBER_ENGINE_FIELDS, "terms")
            errors.setdefault(path, []).append(str(exc))
            continue
        subcontracts.append(sub)
    if errors:
        raise SetupError(errors)

    scenario = Scenario(
        setup=setup,
        measure=measure,
        terms=terms,
        fixed_pence=fixed_pence,
        subcontracts=tuple(subcontracts),
        names=tuple(member_name(m, i) for i, m in enumerate(setup.members)),
    )
    try:
        scenario.settle()  # the checks across the supply chain (pass-through shares adding up to more than 100%)
    except EngineError as exc:
        pass_through = [
            f"subcontractors.{i}.share_bp" for i, m in enumerate(setup.members) if m.terms == MemberTerms.PASS_THROUGH
        ]
        raise SetupError({"subcontractors": [str(exc)], **{path: [str(exc)] for path in pass_through}}) from exc
    return scenario


# Who gets paid if... ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Combination:
    prime_reaches: bool | None  # None: the lead provider has no target
    member_reaches: bool | None  # None: this subcontractor has no target of its own
    prime_received_pence: int
    member_paid_pence: int
    prime_keeps_pence: int
    reason: str

    @property
    def prime_paid(self) -> bool:
        return self.prime_received_pence > 0

    @property
    def member_paid(self) -> bool:
        return self.member_paid_pence > 0


@dataclass(frozen=True)
class Alternative:
    """What the subcontractor would be paid in each combination under other terms."""

    label: str
    explanation: str
    paid_pence: tuple[int, ...]  # one for each combination, in the same order


@dataclass(frozen=True)
class MemberCombinations:
    index: int
    name: str
    terms: str
    rows: tuple[Combination, ...]
    alternatives: tuple[Alternative, ...]  # payment by results only: conditional, not conditional, protected


def _options(has_target: bool) -> list[bool | None]:
    return [True, False] if has_target else [None]


def combinations(scenario: Scenario) -> list[MemberCombinations]:
    """For each subcontractor: the lead provider reaches its target yes/no x the subcontractor reaches its own
    target yes/no (in that order: yes-yes, yes-no, no-yes, no-no), with the expected year's results. Someone with
    no target has one row instead of two. The other subcontractors are as in the expected year."""
    prime_has_target = scenario.terms.target is not None
    out = []
    for index, sub in enumerate(scenario.subcontracts):
        key = sub.key
        pairs = list(product(_options(prime_has_target), _options(sub.target is not None)))

        def run(subcontracts, prime, mine, key=key):
            return scenario.settle(subcontracts=subcontracts, prime=prime, members={} if mine is None else {key: mine})

        rows = []
        for prime, mine in pairs:
            result = run(scenario.subcontracts, prime, mine)
            due = result.member(key)
            rows.append(
                Combination(
                    prime_reaches=prime,
                    member_reaches=mine,
                    prime_received_pence=result.received_pence,
                    member_paid_pence=due.due_pence,
                    prime_keeps_pence=result.prime_keeps_pence,
                    reason=due.reason,
                )
            )
        alternatives = []
        if sub.terms == engine.SubcontractTerms.PAYMENT_BY_RESULTS:
            expected_fee = sub.rates.earned(scenario.figures("expected").get(key, Figures()))
            others = list(scenario.subcontracts)
            options = [
                (
                    "Conditional on the lead provider",
                    "Paid for its own results only if the lead provider also reaches its target (the Transforming "
                    "Rehabilitation rule).",
                    replace(sub, conditional_on_prime=True),
                ),
                (
                    "Not conditional on the lead provider",
                    "Paid for its own results when it reaches its own target, whatever happens to the lead provider.",
                    replace(sub, conditional_on_prime=False),
                ),
            ]
            if expected_fee:
                protected = Subcontract(
                    key=key, terms=engine.SubcontractTerms.PROTECTED_FIXED_FEE, protected_pence=expected_fee
                )
                options.append(
                    (
                        "Protected fixed fee",
                        f"A protected fee of what its expected year's results earn ({_pounds(expected_fee)}), paid "
                        "whatever happens.",
                        protected,
                    )
                )
            for label, explanation, alternative in options:
                others[index] = alternative
                paid = tuple(run(tuple(others), prime, mine).member(key).due_pence for prime, mine in pairs)
                alternatives.append(Alternative(label=label, explanation=explanation, paid_pence=paid))
        out.append(
            MemberCombinations(
                index=index,
                name=scenario.names[index],
                terms=scenario.setup.members[index].terms,
                rows=tuple(rows),
                alternatives=tuple(alternatives),
            )
        )
    return out


def _pounds(pence: int) -> str:
    from dynamic_framework.core.money import format_pence  # pure: no Django settings needed

    return format_pence(pence)


# Expected, good and bad years --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberYear:
    name: str
    results: int
    worked_out: bool  # results worked out from the expected year
    reached_target: bool | None
    paid_pence: int
    reason: str


@dataclass(frozen=True)
class Year:
    key: str
    label: str
    prime_results: int
    prime_worked_out: bool
    prime_reached_target: bool | None
    prime_received_pence: int
    members: tuple[MemberYear, ...]
    prime_keeps_pence: int

    @property
    def supply_chain_pence(self) -> int:
        return sum(m.paid_pence for m in self.members)


def years(scenario: Scenario) -> list[Year]:
    """What everyone is paid in the expected, good and bad years, from each year's results (no "what if")."""
    out = []
    for key in YEARS:
        result = scenario.settle(key)
        prime_results, prime_worked_out = scenario.setup.lead.results.year(key)
        members = []
        for index, member in enumerate(scenario.setup.members):
            count, worked_out = member.results.year(key)
            due = result.member(member_key(index))
            members.append(
                MemberYear(
                    name=scenario.names[index],
                    results=count,
                    worked_out=worked_out,
                    reached_target=due.reached_target,
                    paid_pence=due.due_pence,
                    reason=due.reason,
                )
            )
        out.append(
            Year(
                key=key,
                label=YEAR_LABELS[key],
                prime_results=prime_results,
                prime_worked_out=prime_worked_out,
                prime_reached_target=result.prime_reached_target,
                prime_received_pence=result.received_pence,
                members=tuple(members),
                prime_keeps_pence=result.prime_keeps_pence,
            )
        )
    return out


# The Transforming Rehabilitation example (seed 004) -----------------------------------------------------------

SEED_004_ROWS = ((True, True), (True, False), (False, True))  # the rows of the charity worker's table, in order


def transforming_rehabilitation_example() -> Setup:
    """The page's default: a lead provider paid by results against a target, and one local charity paid by results
    against its own target, conditional on the lead provider's (seed 004)."""
    return Setup(
        result_kind=ResultKind.OUTCOMES,
        lead=LeadSetup(
            mechanism=LeadMechanism.PAYMENT_BY_RESULTS,
            fee_pence=1_000_00,
            target=100,
            results=YearResults(expected=90, good=110, bad=50),
        ),
        members=(
            MemberSetup(
                name="Local charity",
                terms=MemberTerms.PAYMENT_BY_RESULTS,
                fee_pence=800_00,
                target=20,
                conditional_on_prime=True,
                results=YearResults(expected=25, good=30, bad=20),
            ),
        ),
    )


@dataclass(frozen=True)
class SeedRow:
    prime_reaches: bool
    prime_paid: bool
    member_reaches: bool
    member_paid: bool
    not_conditional_paid: bool
    protected_paid: bool


def seed_table(setup: Setup | None = None) -> list[SeedRow]:
    """The charity worker's table worked out by the simulator for the example (the first subcontractor), with
    what protected terms would change: its rows are SEED_004_ROWS."""
    scenario = build(setup or transforming_rehabilitation_example())
    member = combinations(scenario)[0]
    by_pair = {(row.prime_reaches, row.member_reaches): i for i, row in enumerate(member.rows)}
    alternatives = {a.label: a.paid_pence for a in member.alternatives}
    out = []
    for pair in SEED_004_ROWS:
        i = by_pair[pair]
        row = member.rows[i]
        out.append(
            SeedRow(
                prime_reaches=pair[0],
                prime_paid=row.prime_paid,
                member_reaches=pair[1],
                member_paid=row.member_paid,
                not_conditional_paid=alternatives["Not conditional on the lead provider"][i] > 0,
                protected_paid=alternatives["Protected fixed fee"][i] > 0,
            )
        )
    return out


def year_table(years_: list[Year]) -> list[tuple[str, tuple[int, ...]]]:
    """The rows of the years' data table (and chart): what the lead provider receives, what each subcontractor is
    paid and what the lead provider keeps, in pence, one value for each year in YEARS order."""
    rows = [("Lead provider receives", tuple(y.prime_received_pence for y in years_))]
    for index, member in enumerate(years_[0].members if years_ else ()):
        rows.append((f"{member.name} is paid", tuple(y.members[index].paid_pence for y in years_)))
    rows.append(("Lead provider keeps", tuple(y.prime_keeps_pence for y in years_)))
    return rows


# JSON (the API's answer) ---------------------------------------------------------------------------------------


def as_json(scenario: Scenario) -> dict:
    """The combinations and the years as JSON: money integer pence; null for a target there is not."""
    return {
        "result_kind": scenario.measure.value,
        "combinations": [
            {
                "subcontractor": member.index + 1,
                "name": member.name,
                "terms": member.terms,
                "conditional_on_prime": scenario.setup.members[member.index].conditional_on_prime,
                "rows": [
                    {
                        "lead_provider_reaches_target": row.prime_reaches,
                        "subcontractor_reaches_target": row.member_reaches,
                        "lead_provider_paid_pence": row.prime_received_pence,
                        "subcontractor_paid_pence": row.member_paid_pence,
                        "lead_provider_keeps_pence": row.prime_keeps_pence,
                        "reason": row.reason,
                    }
                    for row in member.rows
                ],
                "other_terms": [
                    {"terms": a.label, "explanation": a.explanation, "subcontractor_paid_pence": list(a.paid_pence)}
                    for a in member.alternatives
                ],
            }
            for member in combinations(scenario)
        ],
        "years": [
            {
                "year": year.key,
                "label": year.label,
                "lead_provider": {
                    "results": year.prime_results,
                    "worked_out": year.prime_worked_out,
                    "reached_target": year.prime_reached_target,
                    "received_pence": year.prime_received_pence,
                    "keeps_pence": year.prime_keeps_pence,
                },
                "subcontractors": [
                    {
                        "name": m.name,
                        "results": m.results,
                        "worked_out": m.worked_out,
                        "reached_target": m.reached_target,
                        "paid_pence": m.paid_pence,
                        "reason": m.reason,
                    }
                    for m in year.members
                ],
            }
            for year in years(scenario)
        ],
    }


def setup_from_json(data: dict) -> Setup:
    """A Setup from the API's checked JSON (field names as in SetupError's paths)."""

    def results(value) -> YearResults:
        value = value or {}
        return YearResults(expected=value.get("expected") or 0, good=value.get("good"), bad=value.get("bad"))

    lead = data["lead_provider"]
    return Setup(
        result_kind=data["result_kind"],
        lead=LeadSetup(
            mechanism=lead["mechanism"],
            yearly_value_pence=lead.get("yearly_value_pence") or 0,
            fixed_share_bp=lead.get("fixed_share_bp") or 0,
            fee_pence=lead.get("fee_pence") or 0,
            target=lead.get("target"),
            results=results(lead.get("results")),
        ),
        members=tuple(
            MemberSetup(
                terms=m["terms"],
                name=m.get("name") or "",
                share_bp=m.get("share_bp") or 0,
                protected_fee_pence=m.get("protected_fee_pence") or 0,
                fee_pence=m.get("fee_pence") or 0,
                target=m.get("target"),
                conditional_on_prime=bool(m.get("conditional_on_prime")),
                results=results(m.get("results")),
            )
            for m in data.get("subcontractors") or ()
        ),
    )


def example_json() -> dict:
    """The Transforming Rehabilitation example as the API's request."""
    setup = transforming_rehabilitation_example()

    def results(r: YearResults) -> dict:
        return {"expected": r.expected, "good": r.good, "bad": r.bad}

    lead = setup.lead
    return {
        "result_kind": setup.result_kind.value,
        "lead_provider": {
            "mechanism": lead.mechanism.value,
            "fee_pence": lead.fee_pence,
            "target": lead.target,
            "results": results(lead.results),
        },
        "subcontractors": [
            {
                "name": m.name,
                "terms": m.terms.value,
                "fee_pence": m.fee_pence,
                "target": m.target,
                "conditional_on_prime": m.conditional_on_prime,
                "results": results(m.results),
            }
            for m in setup.members
        ],
    }
