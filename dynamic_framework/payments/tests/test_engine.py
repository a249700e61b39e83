"""The payments arithmetic: every mechanism and subcontract term, the rounding rule, conservation and the seed 004
table ("unless the Prime succeeds then Tier 2/3 don't get paid")."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dynamic_framework.payments.engine import (
    BASIS_POINTS,
    LEAD,
    ContractTerms,
    EngineError,
    Figures,
    Measure,
    Mechanism,
    Rates,
    Subcontract,
    SubcontractTerms,
    Target,
    instalment_for_month,
    settle,
    share_of,
    split_into_instalments,
)

PBR = ContractTerms(
    mechanism=Mechanism.OUTCOMES, rates=Rates(per_outcome_pence={"housing": 500_00}), target=Target(Measure.OUTCOMES, 1)
)


# Instalments and the rounding rule ----------------------------------------------------------------------------------


def test_monthly_instalments_round_down_and_the_last_takes_the_pennies_left_over():
    # £100,000.01 a year: £8,333.33 a month, and March takes the 5p left over
    assert split_into_instalments(100_000_01, 12) == [833_333] * 11 + [833_338]
    assert sum(split_into_instalments(100_000_01, 12)) == 100_000_01


def test_quarterly_fee_is_paid_at_the_end_of_each_quarter_and_a_grant_at_the_start():
    year = 120_000_00
    fee = [instalment_for_month(year, month=m, every_months=3) for m in range(1, 13)]
    assert fee == [0, 0, 30_000_00, 0, 0, 30_000_00, 0, 0, 30_000_00, 0, 0, 30_000_00]
    grant = [instalment_for_month(year, month=m, every_months=3, in_advance=True) for m in range(1, 13)]
    assert grant == [30_000_00, 0, 0, 30_000_00, 0, 0, 30_000_00, 0, 0, 30_000_00, 0, 0]


def test_a_part_year_is_paid_over_the_months_the_agreement_runs():
    # Starts in October (month 7): six monthly instalments of the part-year value, nothing before.
    amounts = [instalment_for_month(60_000_00, month=m, first_month=7) for m in range(1, 13)]
    assert amounts == [0] * 6 + [10_000_00] * 6
    # Quarterly from month 2 to month 8: periods 2-4, 5-7, 8 (the last one short).
    quarterly = [instalment_for_month(300, month=m, first_month=2, last_month=8, every_months=3) for m in range(1, 13)]
    assert quarterly == [0, 0, 0, 100, 0, 0, 100, 100, 0, 0, 0, 0]


def test_share_rounds_down_and_bad_instalment_schedules_are_refused():
    assert share_of(999, 3333) == 332  # 332.9667 rounded down: the lead provider keeps the fraction
    with pytest.raises(EngineError, match="monthly or quarterly"):
        instalment_for_month(100, month=1, every_months=2)
    with pytest.raises(EngineError, match="between April"):
        instalment_for_month(100, month=13)
    with pytest.raises(EngineError, match="at least one instalment"):
        split_into_instalments(100, 0)


@given(total=st.integers(0, 10**12), count=st.integers(1, 12))
def test_instalments_always_add_up_to_the_year(total, count):
    parts = split_into_instalments(total, count)
    assert sum(parts) == total
    assert max(parts) - min(parts) < count  # no instalment is more than a few pence off the others


@given(
    total=st.integers(0, 10**11),
    first=st.integers(1, 12),
    length=st.integers(0, 11),
    every=st.sampled_from([1, 3]),
    in_advance=st.booleans(),
)
def test_a_years_instalments_add_up_whatever_the_months(total, first, length, every, in_advance):
    last = min(12, first + length)
    paid = [
        instalment_for_month(
            total, month=m, first_month=first, last_month=last, every_months=every, in_advance=in_advance
        )
        for m in range(1, 13)
    ]
    assert sum(paid) == total
    assert all(paid[m - 1] == 0 for m in range(1, 13) if not first <= m <= last)


# Contract mechanisms -------------------------------------------------------------------------------------------------


def test_fixed_fee_pays_its_instalment_whatever_the_figures():
    terms = ContractTerms(mechanism=Mechanism.FIXED_FEE)
    result = settle(terms=terms, fixed_pence=10_000_00, figures={LEAD: Figures(started=0)})
    assert (result.fixed_pence, result.results_pence, result.received_pence) == (10_000_00, 0, 10_000_00)
    assert result.prime_reached_target is None


def test_per_person_started_and_completed_and_outcome_fees():
    started = ContractTerms(mechanism=Mechanism.PER_PERSON_STARTED, rates=Rates(per_start_pence=250_00))
    assert settle(terms=started, fixed_pence=0, figures={LEAD: Figures(started=7)}).received_pence == 1_750_00
    completed = ContractTerms(mechanism=Mechanism.PER_PERSON_COMPLETED, rates=Rates(per_completion_pence=400_00))
    assert settle(terms=completed, fixed_pence=0, figures={LEAD: Figures(started=9, completed=3)}).received_pence == (
        1_200_00
    )
    outcomes = ContractTerms(mechanism=Mechanism.OUTCOMES, rates=Rates(per_outcome_pence={"a": 100_00, "b": 30_00}))
    figures = {LEAD: Figures(outcomes={"a": 2, "b": 5, "retired": 4})}  # an outcome with no fee pays nothing
    assert settle(terms=outcomes, fixed_pence=0, figures=figures).received_pence == 350_00


def test_hybrid_pays_its_fixed_share_and_results_fees():
    terms = ContractTerms(mechanism=Mechanism.HYBRID, fixed_share_bp=9_000, rates=Rates(per_completion_pence=1_000_00))
    assert terms.fixed_yearly_pence(120_000_00) == 108_000_00  # 90/10
    fixed = instalment_for_month(terms.fixed_yearly_pence(120_000_00), month=1)
    result = settle(terms=terms, fixed_pence=fixed, figures={LEAD: Figures(started=4, completed=2)})
    assert (result.fixed_pence, result.results_pence) == (9_000_00, 2_000_00)


def test_grant_has_no_conditions_and_is_paid_in_advance():
    terms = ContractTerms(mechanism=Mechanism.GRANT)
    assert terms.in_advance and not terms.has_results and terms.fixed_yearly_pence(1_000) == 1_000
    with pytest.raises(EngineError, match="no target"):
        ContractTerms(mechanism=Mechanism.GRANT, target=Target(Measure.STARTED, 1))


def test_a_missed_target_pays_no_results_fees_but_keeps_the_fixed_share():
    terms = ContractTerms(
        mechanism=Mechanism.HYBRID,
        fixed_share_bp=9_000,
        rates=Rates(per_start_pence=100_00),
        target=Target(Measure.STARTED, 10),
    )
    missed = settle(terms=terms, fixed_pence=900_00, figures={LEAD: Figures(started=9)})
    assert (missed.prime_reached_target, missed.results_pence, missed.received_pence) == (False, 0, 900_00)
    reached = settle(terms=terms, fixed_pence=900_00, figures={LEAD: Figures(started=10)})
    assert (reached.prime_reached_target, reached.results_pence) == (True, 1_000_00)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"mechanism": Mechanism.HYBRID, "fixed_share_bp": 10_000, "rates": Rates(per_start_pence=1)},
            "less than 100%",
        ),
        ({"mechanism": Mechanism.HYBRID, "fixed_share_bp": 5_000}, "at least one results fee"),
        ({"mechanism": Mechanism.FIXED_FEE, "fixed_share_bp": 5_000}, "Only a hybrid"),
        ({"mechanism": Mechanism.FIXED_FEE, "rates": Rates(per_start_pence=1)}, "no results fees"),
        ({"mechanism": Mechanism.PER_PERSON_STARTED}, "fee per person who starts"),
        ({"mechanism": Mechanism.PER_PERSON_COMPLETED}, "fee per person who completes"),
        ({"mechanism": Mechanism.OUTCOMES, "rates": Rates(per_outcome_pence={"a": 0})}, "at least one outcome"),
        ({"mechanism": "barter"}, "Choose how the contract pays"),
    ],
)
def test_contract_terms_that_make_no_sense_are_refused(kwargs, message):
    with pytest.raises(EngineError, match=message):
        ContractTerms(**kwargs)


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Figures(started=-1), "0 or more"),
        (lambda: Figures(completed=1.5), "whole number"),
        (lambda: Figures(outcomes={"a": "3"}), "whole number"),
        (lambda: Rates(per_start_pence=-5), "£0 or more"),
        (lambda: Target(Measure.STARTED, -1), "0 or more"),
        (lambda: Subcontract(key="a", terms=SubcontractTerms.PASS_THROUGH, share_bp=10_001), "no more than 100%"),
        (lambda: Subcontract(key="a", terms=SubcontractTerms.PASS_THROUGH), "more than 0%"),
        (lambda: Subcontract(key="a", terms=SubcontractTerms.PAYMENT_BY_RESULTS), "at least one fee"),
        (lambda: Subcontract(key="a", terms=SubcontractTerms.PROTECTED_FIXED_FEE, share_bp=5), "Only a pass-through"),
        (lambda: Subcontract(key=LEAD, terms=SubcontractTerms.PROTECTED_FIXED_FEE), "lead provider's own key"),
    ],
)
def test_bad_figures_and_subcontract_terms_are_refused(build, message):
    with pytest.raises(EngineError, match=message):
        build()


def test_pass_through_shares_over_100_percent_and_unknown_deliverers_are_refused():
    terms = ContractTerms(mechanism=Mechanism.FIXED_FEE)
    subs = [
        Subcontract(key="a", terms=SubcontractTerms.PASS_THROUGH, share_bp=6_000),
        Subcontract(key="b", terms=SubcontractTerms.PASS_THROUGH, share_bp=4_001),
    ]
    with pytest.raises(EngineError, match="more than 100%"):
        settle(terms=terms, fixed_pence=100, figures={}, subcontracts=subs)
    with pytest.raises(EngineError, match="not in the supply chain: c"):
        settle(terms=terms, fixed_pence=100, figures={"c": Figures()})
    with pytest.raises(EngineError, match="only one set of terms"):
        settle(terms=terms, fixed_pence=100, figures={}, subcontracts=[subs[0], subs[0]])


# Subcontract terms ---------------------------------------------------------------------------------------------------


def test_pass_through_is_back_to_back_with_the_lead_providers_payment():
    terms = ContractTerms(mechanism=Mechanism.HYBRID, fixed_share_bp=8_000, rates=Rates(per_start_pence=100_00))
    sub = Subcontract(key="charity", terms=SubcontractTerms.PASS_THROUGH, share_bp=2_500)
    result = settle(
        terms=terms,
        fixed_pence=1_000_01,
        figures={LEAD: Figures(started=3), "charity": Figures(started=2)},
        subcontracts=[sub],
    )
    charity = result.member("charity")
    assert charity.fixed_part_pence == 250_00  # 25% of £1,000.01 is £250.0025, rounded down
    assert charity.results_part_pence == 50_00  # 25% of the £200 its two starts earned
    assert result.prime_keeps_pence == 1_000_01 + 500_00 - 300_00


def test_protected_fixed_fee_is_paid_even_when_the_lead_provider_is_paid_nothing():
    sub = Subcontract(key="charity", terms=SubcontractTerms.PROTECTED_FIXED_FEE, protected_pence=2_000_00)
    result = settle(terms=PBR, fixed_pence=0, figures={}, subcontracts=[sub], prime_reached_target=False)
    assert result.received_pence == 0
    assert result.member("charity").due_pence == 2_000_00
    assert result.prime_keeps_pence == -2_000_00  # the lead provider carries the risk


def test_payment_by_results_against_the_members_own_target():
    sub = Subcontract(
        key="charity",
        terms=SubcontractTerms.PAYMENT_BY_RESULTS,
        rates=Rates(per_completion_pence=300_00),
        target=Target(Measure.COMPLETED, 2),
    )
    terms = ContractTerms(mechanism=Mechanism.PER_PERSON_COMPLETED, rates=Rates(per_completion_pence=500_00))
    one = settle(terms=terms, fixed_pence=0, figures={"charity": Figures(completed=1)}, subcontracts=[sub])
    assert (one.member("charity").reached_target, one.member("charity").due_pence) == (False, 0)
    assert one.prime_keeps_pence == 500_00
    two = settle(terms=terms, fixed_pence=0, figures={"charity": Figures(completed=2)}, subcontracts=[sub])
    assert (two.member("charity").reached_target, two.member("charity").due_pence) == (True, 600_00)


# The seed 004 table --------------------------------------------------------------------------------------------------

SEED_004 = [
    # prime achieves target, Tier 2/3 achieves target -> prime paid, Tier 2/3 paid (under the conditional rule)
    (True, True, True, True),
    (True, False, True, False),
    (False, True, False, False),
]


@pytest.mark.parametrize("prime_achieves, sub_achieves, prime_paid, sub_paid", SEED_004)
def test_seed_004_table_under_the_transforming_rehabilitation_rule(prime_achieves, sub_achieves, prime_paid, sub_paid):
    sub = Subcontract(
        key="tier2",
        terms=SubcontractTerms.PAYMENT_BY_RESULTS,
        rates=Rates(per_outcome_pence={"housing": 300_00}),
        target=Target(Measure.OUTCOMES, 1),
        conditional_on_prime=True,
    )
    result = settle(
        terms=PBR,
        fixed_pence=0,
        figures={LEAD: Figures(outcomes={"housing": 2}), "tier2": Figures(outcomes={"housing": 2})},
        subcontracts=[sub],
        prime_reached_target=prime_achieves,
        member_reached_target={"tier2": sub_achieves},
    )
    assert (result.received_pence > 0) is prime_paid
    assert (result.member("tier2").due_pence > 0) is sub_paid


@pytest.mark.parametrize("prime_achieves, sub_achieves", [(True, True), (True, False), (False, True)])
def test_protected_terms_change_the_seed_004_table(prime_achieves, sub_achieves):
    """Not conditional on the prime: Tier 2/3 is paid whenever it reaches its own target. A protected fee: always."""
    own = Subcontract(
        key="tier2",
        terms=SubcontractTerms.PAYMENT_BY_RESULTS,
        rates=Rates(per_outcome_pence={"housing": 300_00}),
        target=Target(Measure.OUTCOMES, 1),
    )
    protected = Subcontract(key="tier3", terms=SubcontractTerms.PROTECTED_FIXED_FEE, protected_pence=100_00)
    result = settle(
        terms=PBR,
        fixed_pence=0,
        figures={"tier2": Figures(outcomes={"housing": 2})},
        subcontracts=[own, protected],
        prime_reached_target=prime_achieves,
        member_reached_target={"tier2": sub_achieves},
    )
    assert (result.member("tier2").due_pence > 0) is sub_achieves
    assert result.member("tier3").due_pence == 100_00


# Conservation, for random terms and figures -------------------------------------------------------------------------

OUTCOME_KEYS = ["a", "b", "c"]
counts = st.integers(0, 500)
pence = st.integers(0, 5_000_00)
figures_strategy = st.builds(
    Figures, started=counts, completed=counts, outcomes=st.dictionaries(st.sampled_from(OUTCOME_KEYS), counts)
)
rates_strategy = st.builds(
    Rates,
    per_start_pence=pence,
    per_completion_pence=pence,
    per_outcome_pence=st.dictionaries(st.sampled_from(OUTCOME_KEYS), pence),
)
targets = st.none() | st.builds(Target, measure=st.sampled_from(list(Measure)), count=st.integers(0, 300))


@st.composite
def contract_terms(draw):
    mechanism = draw(st.sampled_from(list(Mechanism)))
    if mechanism in (Mechanism.FIXED_FEE, Mechanism.GRANT):
        return ContractTerms(mechanism=mechanism)
    rates = draw(rates_strategy)
    rates = Rates(
        per_start_pence=rates.per_start_pence or 1,
        per_completion_pence=rates.per_completion_pence or 1,
        per_outcome_pence={**rates.per_outcome_pence, "a": rates.per_outcome_pence.get("a") or 1},
    )
    fixed = draw(st.integers(1, BASIS_POINTS - 1)) if mechanism == Mechanism.HYBRID else 0
    return ContractTerms(mechanism=mechanism, rates=rates, fixed_share_bp=fixed, target=draw(targets))


@st.composite
def supply_chains(draw):
    subs = []
    left = BASIS_POINTS
    for index in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(list(SubcontractTerms)))
        key = f"m{index}"
        if kind == SubcontractTerms.PASS_THROUGH:
            if left < 1:
                continue
            share = draw(st.integers(1, left))
            left -= share
            subs.append(Subcontract(key=key, terms=kind, share_bp=share))
        elif kind == SubcontractTerms.PROTECTED_FIXED_FEE:
            subs.append(Subcontract(key=key, terms=kind, protected_pence=draw(pence)))
        else:
            rates = draw(rates_strategy)
            if not rates.any:
                rates = Rates(per_start_pence=1)
            subs.append(
                Subcontract(
                    key=key, terms=kind, rates=rates, target=draw(targets), conditional_on_prime=draw(st.booleans())
                )
            )
    return subs


def prime_ok(result) -> bool:
    return result.prime_reached_target is not False


@settings(max_examples=300, deadline=None)
@given(
    terms=contract_terms(),
    year_value=st.integers(0, 10**10),
    month=st.integers(1, 12),
    subs=supply_chains(),
    data=st.data(),
)
def test_supply_chain_due_plus_what_the_lead_provider_keeps_is_what_it_receives(terms, year_value, month, subs, data):
    fixed = instalment_for_month(terms.fixed_yearly_pence(year_value), month=month, in_advance=terms.in_advance)
    keys = [LEAD, *(sub.key for sub in subs)]
    figures = {key: data.draw(figures_strategy) for key in keys if data.draw(st.booleans())}
    result = settle(terms=terms, fixed_pence=fixed, figures=figures, subcontracts=subs)

    assert result.supply_chain_due_pence + result.prime_keeps_pence == result.received_pence
    assert all(member.due_pence >= 0 for member in result.members)
    pass_through = [m for m in result.members if m.terms == SubcontractTerms.PASS_THROUGH]
    # Pass-through can never give away more than the lead provider was paid.
    assert sum(m.due_pence for m in pass_through) <= result.received_pence
    if len(pass_through) == len(result.members):
        assert result.prime_keeps_pence >= 0
    # Every pass-through share is rounded down: never more than the exact share.
    for member, sub in zip(result.members, subs, strict=True):
        if sub.terms == SubcontractTerms.PASS_THROUGH:
            assert member.fixed_part_pence * BASIS_POINTS <= fixed * sub.share_bp
        if sub.terms == SubcontractTerms.PAYMENT_BY_RESULTS and sub.conditional_on_prime and not prime_ok(result):
            assert member.due_pence == 0
    if result.prime_reached_target is False:
        assert result.results_pence == 0


@settings(max_examples=200, deadline=None)
@given(year_value=st.integers(0, 10**10), share=st.integers(1, BASIS_POINTS), every=st.sampled_from([1, 3]))
def test_a_years_pass_through_is_within_a_penny_per_instalment_of_the_exact_share(year_value, share, every):
    terms = ContractTerms(mechanism=Mechanism.FIXED_FEE)
    sub = Subcontract(key="m", terms=SubcontractTerms.PASS_THROUGH, share_bp=share)
    due = 0
    instalments = 0
    for month in range(1, 13):
        fixed = instalment_for_month(year_value, month=month, every_months=every)
        if fixed or month % every == 0:
            instalments += 1
        due += settle(terms=terms, fixed_pence=fixed, figures={}, subcontracts=[sub]).member("m").due_pence
    exact = year_value * share / BASIS_POINTS
    assert exact - instalments <= due <= exact
