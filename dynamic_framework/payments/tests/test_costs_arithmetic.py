"""The full-cost-recovery arithmetic (payments/costs.py): rounding, ramp-up years, totals, refusals, aggregates."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dynamic_framework.payments import costs
from dynamic_framework.payments.costs import YearFigures


def year(fy=2026, value=100_000_00, contracted=100, expected=100, staff=0, premises=0, overheads=0, volunteers=0):
    return YearFigures(
        financial_year=fy,
        value_pence=value,
        contracted_people=contracted,
        expected_people=expected,
        staff_pence=staff,
        premises_pence=premises,
        overheads_pence=overheads,
        volunteers_pence=volunteers,
    )


def test_price_per_person_is_rounded_down_and_cost_per_person_up():
    result = costs.check_year(year(value=1000, contracted=3, expected=3, staff=1000))
    assert result.price_per_person_pence == 333  # 333.33p down
    assert result.full_cost_per_person_pence == 334  # 333.33p up
    assert result.contracted_cost_pence == 1000  # exact: not 334 x 3
    assert result.surplus_pence == 0


def test_a_ramp_up_year_pays_for_fewer_people_than_the_organisation_supports():
    # The seed's concern: year one's value and volume are below current delivery.
    first = costs.check_year(year(value=60_000_00, contracted=60, expected=100, staff=80_000_00, premises=20_000_00))
    assert first.ramp_up and first.extra_people == 40
    assert first.price_per_person_pence == 1_000_00
    assert first.full_cost_per_person_pence == 1_000_00
    assert first.contracted_cost_pence == 60_000_00
    assert first.surplus_pence == 0  # the contracted people are paid for at cost...
    assert first.surplus_expected_pence == -40_000_00  # ...but the 40 more it supports are not
    assert first.shortfall_expected and not first.shortfall


def test_a_shortfall_year():
    result = costs.check_year(year(value=90_000_00, contracted=100, expected=100, staff=95_000_00, overheads=10_000_00))
    assert result.total_cost_pence == 105_000_00
    assert result.surplus_pence == -15_000_00 and result.shortfall
    assert not result.ramp_up


def test_the_whole_check_is_in_year_order_with_totals():
    result = costs.check(
        [
            year(fy=2027, value=100_000_00, contracted=100, expected=100, staff=90_000_00),
            year(fy=2026, value=50_000_00, contracted=50, expected=100, staff=90_000_00),
        ]
    )
    assert [y.label for y in result.years] == ["2026-27", "2027-28"]
    assert result.value_pence == 150_000_00
    assert result.total_cost_pence == 180_000_00
    assert result.contracted_people == 150 and result.expected_people == 200
    assert result.price_per_person_pence == 1_000_00
    assert result.full_cost_per_person_pence == 900_00
    assert result.ramp_up_years == ("2026-27",)
    # 2026-27 pays for its 50 contracted people (half the costs), but not for the 50 more the organisation supports
    assert result.shortfall_years == ()
    assert result.years[0].surplus_pence == 50_000_00 - 45_000_00
    assert result.years[0].surplus_expected_pence == 50_000_00 - 90_000_00


def test_shortfall_years_lists_only_years_losing_money():
    result = costs.check([year(fy=2026, value=100, staff=200), year(fy=2027, value=300, staff=200)])
    assert result.shortfall_years == ("2026-27",)
    assert result.surplus_pence == 0


@pytest.mark.parametrize(
    ("figures", "key", "message"),
    [
        ([], "years", "at least one"),
        ([year(fy=y) for y in range(2026, 2037)], "years", "no more than 10"),
        ([year(fy=1999)], "0.financial_year", "from 2000 to 2100"),
        ([year(fy=2101)], "0.financial_year", "from 2000 to 2100"),
        ([year(), year()], "1.financial_year", "more than once"),
        ([year(value=-1)], "0.value_pence", "£0 or more"),
        ([year(staff=-5)], "0.staff_pence", "£0 or more"),
        ([year(value="12")], "0.value_pence", "whole number"),
        ([year(contracted=0)], "0.contracted_people", "at least 1"),
        ([year(expected=0)], "0.expected_people", "at least 1"),
        ([year(expected=2.5)], "0.expected_people", "whole number"),
        ([year(value=costs.MAX_PENCE + 1)], "0.value_pence", "no more than"),
    ],
)
def test_bad_figures_are_refused_with_a_plain_message(figures, key, message):
    found = costs.problems(figures)
    assert any(message in text for text in found[key]), found
    with pytest.raises(ValueError):
        costs.check(figures)


def test_median_rounds_down_and_handles_even_counts():
    assert costs.median_pence([]) is None
    assert costs.median_pence([5, 1, 3]) == 3
    assert costs.median_pence([1, 2]) == 1  # 1.5p down
    assert costs.median_pence([10, 20, 30, 41]) == 25


def test_aggregate_needs_three_organisations():
    one = costs.check([year(staff=100_000_00)])
    hidden = costs.aggregate([one, one])
    assert not hidden.shown and hidden.organisations == 2 and hidden.median_cost_per_person_pence is None
    assert hidden.years == ()


def test_aggregate_median_range_and_shortfalls_per_year():
    checks = [
        costs.check([year(fy=2026, staff=s), year(fy=2027, staff=50_000_00)])
        for s in (80_000_00, 110_000_00, 120_000_00)
    ]
    result = costs.aggregate(checks)
    assert result.shown and result.organisations == 3
    assert result.lowest_cost_per_person_pence == 650_00
    assert result.median_cost_per_person_pence == 800_00
    assert result.highest_cost_per_person_pence == 850_00
    assert [(y.label, y.checks, y.shortfalls) for y in result.years] == [("2026-27", 3, 2), ("2027-28", 3, 0)]
    assert [y.shortfalls_expected for y in result.years] == [2, 0]  # contracted = expected here: the same


people = st.integers(min_value=1, max_value=100_000)
pence = st.integers(min_value=0, max_value=costs.MAX_PENCE // 10)


@st.composite
def year_lists(draw):
    first = draw(st.integers(min_value=costs.FIRST_YEAR, max_value=costs.LAST_YEAR - costs.MAX_YEARS))
    n = draw(st.integers(min_value=1, max_value=costs.MAX_YEARS))
    return [
        YearFigures(
            financial_year=first + i,
            value_pence=draw(pence),
            contracted_people=draw(people),
            expected_people=draw(people),
            staff_pence=draw(pence),
            premises_pence=draw(pence),
            overheads_pence=draw(pence),
            volunteers_pence=draw(pence),
            other_pence=draw(pence),
        )
        for i in range(n)
    ]


@given(year_lists())
def test_surplus_plus_full_cost_is_the_value_and_totals_add_up(figures):
    result = costs.check(figures)
    for y in result.years:
        assert y.surplus_pence + y.contracted_cost_pence == y.figures.value_pence
        assert y.surplus_expected_pence + y.total_cost_pence == y.figures.value_pence
        # rounding: never more than a penny out, in the stated direction
        assert y.figures.value_pence - y.price_per_person_pence * y.figures.contracted_people >= 0
        assert (
            y.figures.value_pence - y.price_per_person_pence * y.figures.contracted_people < y.figures.contracted_people
        )
        assert (
            0
            <= y.full_cost_per_person_pence * y.figures.expected_people - y.total_cost_pence
            < y.figures.expected_people
        )
        assert y.ramp_up == (y.figures.contracted_people < y.figures.expected_people)
        if not y.ramp_up and y.figures.contracted_people == y.figures.expected_people:
            assert y.contracted_cost_pence == y.total_cost_pence
    assert result.value_pence == sum(y.figures.value_pence for y in result.years)
    assert result.surplus_pence + result.contracted_cost_pence == result.value_pence
    assert result.surplus_expected_pence + result.total_cost_pence == result.value_pence
    assert result.surplus_pence == sum(y.surplus_pence for y in result.years)
    assert set(result.shortfall_years) == {y.label for y in result.years if y.shortfall}
