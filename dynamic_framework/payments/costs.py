"""The full-cost-recovery check: pure arithmetic, integer pence, no database (see ADR 0018).

A provider enters, for each financial year, what a call-off pays (its value), the people it pays for (the contracted
volume), the people the organisation actually expects to support (often more in ramp-up years, when the call-off's
volume starts low but the organisation already supports more people), and its own full costs: staff, premises,
management and overheads, volunteers' support and any other direct costs.

Rounding (every division, stated on the page too):

- price per person implied by the call-off = value / contracted people, ROUNDED DOWN to the penny (the call-off
  pays no more than this for each person);
- full cost per person = total costs / people actually expected, ROUNDED UP to the penny (a cost is never
  understated);
- full cost of delivering the contracted volume = total costs x contracted people / people actually expected,
  worked out exactly and then ROUNDED UP to the penny (not the rounded cost per person times the people);
- surplus or shortfall for the contracted volume = value - full cost of the contracted volume (no division; a
  negative figure is a shortfall), so surplus + full cost = value exactly, every year;
- surplus or shortfall for the people actually expected = value - total costs (no division);
- over all years, the same rules on the sums (price per person down, cost per person up); the totals are the sums
  of the years;
- the median of several figures (the commissioners' aggregate): the middle one, or for an even number the two
  middle ones added and halved, ROUNDED DOWN to the penny.
"""

from dataclasses import dataclass, field

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_YEARS = 10
#: No single figure may be more than £1 billion (in pence) or a billion people: bigger is a typing mistake.
MAX_PENCE = 100_000_000_000
MAX_PEOPLE = 1_000_000_000

COST_FIELDS = ("staff_pence", "premises_pence", "overheads_pence", "volunteers_pence", "other_pence")
MONEY_FIELDS = ("value_pence", *COST_FIELDS)
PEOPLE_FIELDS = ("contracted_people", "expected_people")
YEAR_FIELDS = ("financial_year", *MONEY_FIELDS[:1], *PEOPLE_FIELDS, *COST_FIELDS)

ROUNDING_RULES = (
    "Price per person: the call-off's value divided by the contracted people, rounded down to the penny.",
    "Full cost per person: your total costs divided by the people you actually expect to support, rounded up to the "
    "penny.",
    "Full cost of the contracted people: your total costs times the contracted people divided by the people you "
    "actually expect to support, rounded up to the penny.",
    "Surplus or shortfall: the value minus that full cost, so the two always add up to the value. No rounding.",
    "Over all years: the same rules applied to the totals; the totals are the sums of the years.",
)


def floor_div(numerator: int, denominator: int) -> int:
    return numerator // denominator


def ceil_div(numerator: int, denominator: int) -> int:
    return -((-numerator) // denominator)


def median_pence(values) -> int | None:
    """The middle value; for an even number, the two middle ones added and halved, rounded down to the penny."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return floor_div(ordered[middle - 1] + ordered[middle], 2)


def year_label(financial_year: int) -> str:
    return f"{financial_year}-{(financial_year + 1) % 100:02d}"


@dataclass(frozen=True)
class YearFigures:
    """What the provider enters for one financial year (2026 means 2026-27). Money in pence."""

    financial_year: int
    value_pence: int
    contracted_people: int
    expected_people: int
    staff_pence: int = 0
    premises_pence: int = 0
    overheads_pence: int = 0
    volunteers_pence: int = 0
    other_pence: int = 0

    @property
    def total_cost_pence(self) -> int:
        return sum(getattr(self, name) for name in COST_FIELDS)


@dataclass(frozen=True)
class YearResult:
    figures: YearFigures
    label: str
    total_cost_pence: int
    price_per_person_pence: int
    full_cost_per_person_pence: int
    contracted_cost_pence: int
    surplus_pence: int  # for the contracted volume; negative is a shortfall
    surplus_expected_pence: int  # supporting the people actually expected; negative is a shortfall
    ramp_up: bool  # the contracted volume is below the people actually expected
    extra_people: int  # people expected beyond the contracted volume

    @property
    def shortfall(self) -> bool:
        return self.surplus_pence < 0

    @property
    def shortfall_expected(self) -> bool:
        return self.surplus_expected_pence < 0


@dataclass(frozen=True)
class CheckResult:
    years: tuple[YearResult, ...]
    value_pence: int
    total_cost_pence: int
    contracted_people: int
    expected_people: int
    price_per_person_pence: int
    full_cost_per_person_pence: int
    contracted_cost_pence: int
    surplus_pence: int
    surplus_expected_pence: int
    ramp_up_years: tuple[str, ...] = field(default=())
    shortfall_years: tuple[str, ...] = field(default=())

    @property
    def shortfall(self) -> bool:
        return self.surplus_pence < 0


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def problems(years) -> dict[str, list[str]]:
    """What is wrong with the figures, in plain English: {"years": [...]} for the whole list, {"<i>.<field>": [...]}
    for one figure of the i-th year (counting from 0). Empty when the figures can be checked."""
    errors: dict[str, list[str]] = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    years = list(years)
    if not years:
        add("years", "Enter the figures for at least one financial year")
    if len(years) > MAX_YEARS:
        add("years", f"Enter no more than {MAX_YEARS} years")
    seen = {}
    for i, year in enumerate(years):
        fy = year.financial_year
        if not _is_int(fy):
            add(f"{i}.financial_year", "Enter the year as a whole number, like 2026 for 2026-27")
        elif not FIRST_YEAR <= fy <= LAST_YEAR:
            add(f"{i}.financial_year", f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}")
        elif fy in seen:
            add(f"{i}.financial_year", f"{year_label(fy)} is entered more than once")
        else:
            seen[fy] = i
        for name in MONEY_FIELDS:
            value = getattr(year, name)
            if not _is_int(value):
                add(f"{i}.{name}", "Enter an amount in pence as a whole number")
            elif value < 0:
                add(f"{i}.{name}", "Enter an amount of £0 or more")
            elif value > MAX_PENCE:
                add(f"{i}.{name}", "Enter an amount of no more than £1,000,000,000")
        for name in PEOPLE_FIELDS:
            value = getattr(year, name)
            if not _is_int(value):
                add(f"{i}.{name}", "Enter the number of people as a whole number")
            elif value < 1:
                add(f"{i}.{name}", "Enter at least 1 person: a cost or price per person needs people")
            elif value > MAX_PEOPLE:
                add(f"{i}.{name}", "Enter no more than 1,000,000,000 people")
    return errors


def check_year(figures: YearFigures) -> YearResult:
    total = figures.total_cost_pence
    contracted_cost = ceil_div(total * figures.contracted_people, figures.expected_people)
    return YearResult(
        figures=figures,
        label=year_label(figures.financial_year),
        total_cost_pence=total,
        price_per_person_pence=floor_div(figures.value_pence, figures.contracted_people),
        full_cost_per_person_pence=ceil_div(total, figures.expected_people),
        contracted_cost_pence=contracted_cost,
        surplus_pence=figures.value_pence - contracted_cost,
        surplus_expected_pence=figures.value_pence - total,
        ramp_up=figures.contracted_people < figures.expected_people,
        extra_people=max(0, figures.expected_people - figures.contracted_people),
    )


def check(years) -> CheckResult:
    """The check, year by year (in year order) and in total. Raises ValueError if problems(years) finds any."""
    years = list(years)
    found = problems(years)
    if found:
        raise ValueError(found)
    results = tuple(check_year(y) for y in sorted(years, key=lambda y: y.financial_year))
    value = sum(r.figures.value_pence for r in results)
    total = sum(r.total_cost_pence for r in results)
    contracted = sum(r.figures.contracted_people for r in results)
    expected = sum(r.figures.expected_people for r in results)
    contracted_cost = sum(r.contracted_cost_pence for r in results)
    return CheckResult(
        years=results,
        value_pence=value,
        total_cost_pence=total,
        contracted_people=contracted,
        expected_people=expected,
        price_per_person_pence=floor_div(value, contracted),
        full_cost_per_person_pence=ceil_div(total, expected),
        contracted_cost_pence=contracted_cost,
        surplus_pence=sum(r.surplus_pence for r in results),
        surplus_expected_pence=sum(r.surplus_expected_pence for r in results),
        ramp_up_years=tuple(r.label for r in results if r.ramp_up),
        shortfall_years=tuple(r.label for r in results if r.shortfall),
    )


@dataclass(frozen=True)
class AggregateYear:
    financial_year: int
    label: str
    checks: int
    shortfalls: int  # for the contracted people
    shortfalls_expected: int  # supporting everyone the organisation expects
    ramp_ups: int


@dataclass(frozen=True)
class Aggregate:
    """Anonymous figures over several organisations' checks (one check per organisation)."""

    organisations: int
    shown: bool  # at least `minimum` organisations: otherwise no figures are given
    minimum: int
    median_cost_per_person_pence: int | None = None
    lowest_cost_per_person_pence: int | None = None
    highest_cost_per_person_pence: int | None = None
    median_price_per_person_pence: int | None = None
    years: tuple[AggregateYear, ...] = ()


def aggregate(results, *, minimum: int = 3) -> Aggregate:
    """Figures over checks from different organisations (a list of CheckResult, one per organisation): the median and
    range of the full cost per person (over all years of each check), and per financial year how many checks found a
    shortfall for the contracted volume. With fewer than `minimum` checks, nothing but their number."""
    results = list(results)
    if len(results) < minimum:
        return Aggregate(organisations=len(results), shown=False, minimum=minimum)
    costs = [r.full_cost_per_person_pence for r in results]
    by_year: dict[int, list[YearResult]] = {}
    for result in results:
        for year in result.years:
            by_year.setdefault(year.figures.financial_year, []).append(year)
    return Aggregate(
        organisations=len(results),
        shown=True,
        minimum=minimum,
        median_cost_per_person_pence=median_pence(costs),
        lowest_cost_per_person_pence=min(costs),
        highest_cost_per_person_pence=max(costs),
        median_price_per_person_pence=median_pence(r.price_per_person_pence for r in results),
        years=tuple(
            AggregateYear(
                financial_year=fy,
                label=year_label(fy),
                checks=len(rows),
                shortfalls=sum(1 for r in rows if r.shortfall),
                shortfalls_expected=sum(1 for r in rows if r.shortfall_expected),
                ramp_ups=sum(1 for r in rows if r.ramp_up),
            )
            for fy, rows in sorted(by_year.items())
        ),
    )
