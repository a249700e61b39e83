"""The simulator module (payments/simulator.py): the seed 004 table from the page's own default scenario, how
protected terms change it, the combinations, the expected/good/bad years, the set-up's field errors and the chart."""

import pytest

from dynamic_framework.payments import simulator
from dynamic_framework.payments.simulator import (
    LeadMechanism,
    LeadSetup,
    MemberSetup,
    MemberTerms,
    Setup,
    SetupError,
    YearResults,
)
from dynamic_framework.payments.simulator_chart import years_chart

# The charity worker's table (seed 004): prime achieves target, prime paid, Tier 2/3 achieves target, Tier 2/3 paid.
SEED_004 = [(True, True, True, True), (True, True, False, False), (False, False, True, False)]


def test_the_default_scenario_reproduces_the_seed_004_table():
    rows = simulator.seed_table()
    assert [(r.prime_reaches, r.prime_paid, r.member_reaches, r.member_paid) for r in rows] == SEED_004


def test_protected_terms_change_the_subcontractors_column():
    rows = simulator.seed_table()
    # Not conditional on the lead provider: paid whenever it reaches its own target.
    assert [r.not_conditional_paid for r in rows] == [True, False, True]
    # A protected fixed fee: paid whatever happens.
    assert [r.protected_paid for r in rows] == [True, True, True]


def test_the_default_scenarios_combinations_in_pounds():
    scenario = simulator.build(simulator.transforming_rehabilitation_example())
    (member,) = simulator.combinations(scenario)
    assert member.name == "Local charity"
    cells = [
        (r.prime_reaches, r.member_reaches, r.prime_received_pence, r.member_paid_pence, r.prime_keeps_pence)
        for r in member.rows
    ]
    # Expected year: 90 + 25 = 115 outcomes at £1,000 for the lead provider, 25 at £800 for the charity.
    assert cells == [
        (True, True, 115_000_00, 20_000_00, 95_000_00),
        (True, False, 115_000_00, 0, 115_000_00),
        (False, True, 0, 0, 0),
        (False, False, 0, 0, 0),
    ]
    assert "depends on the lead provider" in member.rows[2].reason
    alternatives = {a.label: a.paid_pence for a in member.alternatives}
    assert alternatives == {
        "Conditional on the lead provider": (20_000_00, 0, 0, 0),
        "Not conditional on the lead provider": (20_000_00, 0, 20_000_00, 0),
        "Protected fixed fee": (20_000_00,) * 4,
    }


def test_the_default_scenarios_years_show_the_bad_year_under_the_conditional_rule():
    scenario = simulator.build(simulator.transforming_rehabilitation_example())
    years = simulator.years(scenario)
    assert [y.key for y in years] == ["expected", "good", "bad"]
    assert [(y.prime_received_pence, y.members[0].paid_pence, y.prime_keeps_pence) for y in years] == [
        (115_000_00, 20_000_00, 95_000_00),
        (140_000_00, 24_000_00, 116_000_00),
        (0, 0, 0),  # 70 outcomes: the lead provider misses its 100, so the charity's 20 (its target) earn nothing
    ]
    assert years[2].members[0].reached_target is True and years[2].prime_reached_target is False
    assert simulator.year_table(years) == [
        ("Lead provider receives", (115_000_00, 140_000_00, 0)),
        ("Local charity is paid", (20_000_00, 24_000_00, 0)),
        ("Lead provider keeps", (95_000_00, 116_000_00, 0)),
    ]


def hybrid_with(*members, lead_results=YearResults(expected=40)):
    return Setup(
        result_kind="completed",
        lead=LeadSetup(
            mechanism=LeadMechanism.HYBRID,
            yearly_value_pence=100_000_00,
            fixed_share_bp=9_000,
            fee_pence=500_00,
            target=50,
            results=lead_results,
        ),
        members=members,
    )


def test_good_and_bad_years_left_empty_are_worked_out_from_the_expected_year():
    protected = MemberSetup(terms=MemberTerms.PROTECTED_FIXED_FEE, protected_fee_pence=30_000_00)
    share = MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=2_500, results=YearResults(expected=15))
    scenario = simulator.build(hybrid_with(protected, share, lead_results=YearResults(expected=41)))
    years = simulator.years(scenario)
    # 41 +25% = 51.25 -> 51; 41 -50% = 20.5 -> 20 (rounded down); 15 -> 18 and 7.
    assert [(y.prime_results, y.prime_worked_out) for y in years] == [(41, False), (51, True), (20, True)]
    assert [y.members[1].results for y in years] == [15, 18, 7]
    expected, good, bad = years
    # Expected: 56 completions reach the target of 50: £90,000 fixed + 56 x £500.
    assert expected.prime_received_pence == 90_000_00 + 28_000_00
    assert expected.members[0].paid_pence == 30_000_00  # protected
    assert expected.members[1].paid_pence == 22_500_00 + 15 * 500_00 // 4  # 25% of the fixed, 25% of its results
    # Bad: 27 completions miss the target; the fixed share is still paid, and passed through.
    assert bad.prime_received_pence == 90_000_00 and bad.members[1].paid_pence == 22_500_00
    assert bad.prime_keeps_pence == 90_000_00 - 30_000_00 - 22_500_00
    for year in years:
        assert year.supply_chain_pence + year.prime_keeps_pence == year.prime_received_pence


def test_a_protected_fee_can_leave_the_lead_provider_with_less_than_nothing():
    setup = Setup(
        result_kind="outcomes",
        lead=LeadSetup(mechanism=LeadMechanism.PAYMENT_BY_RESULTS, fee_pence=100_00, target=10),
        members=(MemberSetup(terms=MemberTerms.PROTECTED_FIXED_FEE, protected_fee_pence=5_000_00),),
    )
    scenario = simulator.build(setup)
    (member,) = simulator.combinations(scenario)
    assert [(r.prime_reaches, r.member_reaches) for r in member.rows] == [(True, None), (False, None)]
    assert [r.member_paid_pence for r in member.rows] == [5_000_00, 5_000_00]
    assert member.rows[1].prime_keeps_pence == -5_000_00
    assert member.alternatives == ()
    chart = years_chart("c", "Title", "Description", ["Expected year", "Good year", "Bad year"],
                        simulator.year_table(simulator.years(scenario)))  # fmt: skip
    assert 'role="img"' in chart and "-£5,000" in chart and "#d4351c" in chart  # a loss, drawn left of zero


def test_fields_that_do_not_apply_are_left_out():
    setup = Setup(
        result_kind="started",
        lead=LeadSetup(mechanism=LeadMechanism.FIXED_FEE, yearly_value_pence=10_000_00, fee_pence=5_00, target=3),
        members=(MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=1_000, fee_pence=7, conditional_on_prime=True),),
    )
    scenario = simulator.build(setup)
    assert scenario.terms.target is None and not scenario.terms.rates.any
    assert simulator.years(scenario)[0].members[0].paid_pence == 1_000_00


@pytest.mark.parametrize(
    "setup, errors",
    [
        (
            hybrid_with(lead_results=YearResults(expected=-1)),
            {"lead_provider.results.expected": ["Enter the expected year's results as 0 or more"]},
        ),
        (
            Setup(result_kind="hugs", lead=LeadSetup(mechanism="barter")),
            {
                "result_kind": ["Choose what counts as a result: people who start, people who complete or outcomes"],
                "lead_provider.mechanism": ["Choose how the contract pays the lead provider"],
            },
        ),
        (
            Setup(result_kind="outcomes", lead=LeadSetup(mechanism=LeadMechanism.PAYMENT_BY_RESULTS)),
            {"lead_provider.fee_pence": ["Enter a fee for at least one outcome"]},
        ),
        (
            Setup(result_kind="started", lead=LeadSetup(mechanism=LeadMechanism.PAYMENT_BY_RESULTS)),
            {"lead_provider.fee_pence": ["Enter the fee per person who starts"]},
        ),
        (
            Setup(result_kind="started", lead=LeadSetup(mechanism=LeadMechanism.GRANT)),
            {"lead_provider.yearly_value_pence": ["Enter the contract's yearly value"]},
        ),
        (
            Setup(
                result_kind="started",
                lead=LeadSetup(
                    mechanism=LeadMechanism.HYBRID, yearly_value_pence=100, fixed_share_bp=10_000, fee_pence=1
                ),
            ),
            {"lead_provider.fixed_share_bp": ["The fixed share of a hybrid must be more than 0% and less than 100%"]},
        ),
        (
            Setup(
                result_kind="started",
                lead=LeadSetup(mechanism=LeadMechanism.HYBRID, yearly_value_pence=100, fixed_share_bp=5_000),
            ),
            {"lead_provider.fee_pence": ["A hybrid needs at least one results fee as well as its fixed share"]},
        ),
        (
            hybrid_with(MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=10_001)),
            {"subcontractors.0.share_bp": ["Enter the share of no more than 10,000"]},
        ),
        (
            hybrid_with(MemberSetup(terms=MemberTerms.PASS_THROUGH)),
            {"subcontractors.0.share_bp": ["A pass-through share must be more than 0% and no more than 100%"]},
        ),
        (
            hybrid_with(MemberSetup(terms=MemberTerms.PAYMENT_BY_RESULTS)),
            {"subcontractors.0.fee_pence": ["Payment by results needs at least one fee"]},
        ),
        (
            hybrid_with(MemberSetup(terms=MemberTerms.PROTECTED_FIXED_FEE)),
            {"subcontractors.0.protected_fee_pence": ["Enter the protected fee for the year"]},
        ),
        (
            hybrid_with(
                MemberSetup(terms="maybe"), MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=1, name="x" * 81)
            ),
            {
                "subcontractors.0.terms": ["Choose how the lead provider pays this subcontractor"],
                "subcontractors.1.name": ["Enter a name of no more than 80 characters"],
            },
        ),
        (
            hybrid_with(*[MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=1)] * 6),
            {"subcontractors": ["Enter no more than 5 subcontractors"]},
        ),
        (
            hybrid_with(MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=1, fee_pence="12")),
            {},  # a fee does not apply to pass-through: left out, so not refused
        ),
        (
            Setup(result_kind="started", lead=LeadSetup(mechanism=LeadMechanism.FIXED_FEE, yearly_value_pence=10**13)),
            {"lead_provider.yearly_value_pence": ["Enter the yearly value of no more than £1,000,000,000"]},
        ),
    ],
)
def test_bad_set_ups_are_refused_with_a_message_for_each_field(setup, errors):
    if not errors:
        simulator.build(setup)
        return
    with pytest.raises(SetupError) as caught:
        simulator.build(setup)
    assert caught.value.errors == errors


def test_pass_through_shares_adding_up_to_more_than_100_percent_are_refused_on_each_share():
    members = (
        MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=6_000),
        MemberSetup(terms=MemberTerms.PROTECTED_FIXED_FEE, protected_fee_pence=1),
        MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=4_001),
    )
    with pytest.raises(SetupError) as caught:
        simulator.build(hybrid_with(*members))
    message = ["The pass-through shares add up to more than 100% of the lead provider's payment"]
    assert caught.value.errors == {
        "subcontractors": message,
        "subcontractors.0.share_bp": message,
        "subcontractors.2.share_bp": message,
    }


def test_several_subcontractors_each_have_their_rows_against_the_lead_provider():
    members = (
        MemberSetup(terms=MemberTerms.PAYMENT_BY_RESULTS, fee_pence=100_00, target=5, results=YearResults(6)),
        MemberSetup(
            terms=MemberTerms.PAYMENT_BY_RESULTS, fee_pence=100_00, target=5, conditional_on_prime=True,
            results=YearResults(2),
        ),
        MemberSetup(terms=MemberTerms.PASS_THROUGH, share_bp=1_000, name="Mentors"),
    )  # fmt: skip
    scenario = simulator.build(hybrid_with(*members))
    combos = simulator.combinations(scenario)
    assert [c.name for c in combos] == ["Subcontractor 1", "Subcontractor 2", "Mentors"]
    assert [len(c.rows) for c in combos] == [4, 4, 2]
    first, second, _third = combos
    assert [r.member_paid_pence for r in first.rows] == [600_00, 0, 600_00, 0]  # not conditional
    assert [r.member_paid_pence for r in second.rows] == [200_00, 0, 0, 0]  # conditional on the lead provider
    json = simulator.as_json(scenario)
    assert [len(c["rows"]) for c in json["combinations"]] == [4, 4, 2]
    assert json["years"][0]["subcontractors"][2]["name"] == "Mentors"


# Any set-up: refused with field errors, or everything adds up -----------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

amounts = st.one_of(st.integers(-5, 10**7), st.sampled_from([0, simulator.MAX_PENCE, simulator.MAX_PENCE + 1]))
shares = st.integers(-1, 10_001)
counts = st.integers(-1, 300)
maybe_counts = st.none() | counts
year_results = st.builds(YearResults, expected=counts, good=maybe_counts, bad=maybe_counts)
members = st.builds(
    MemberSetup,
    terms=st.sampled_from([*MemberTerms, "maybe"]),
    name=st.text(max_size=90),
    share_bp=shares,
    protected_fee_pence=amounts,
    fee_pence=amounts,
    target=maybe_counts,
    conditional_on_prime=st.booleans(),
    results=year_results,
)
set_ups = st.builds(
    Setup,
    result_kind=st.sampled_from(["started", "completed", "outcomes", "hugs"]),
    lead=st.builds(
        LeadSetup,
        mechanism=st.sampled_from([*LeadMechanism, "barter"]),
        yearly_value_pence=amounts,
        fixed_share_bp=shares,
        fee_pence=amounts,
        target=maybe_counts,
        results=year_results,
    ),
    members=st.lists(members, max_size=6).map(tuple),
)


plausible_members = st.builds(
    MemberSetup,
    terms=st.sampled_from(list(MemberTerms)),
    share_bp=st.integers(1, 3_000),
    protected_fee_pence=st.integers(1, 10**7),
    fee_pence=st.integers(1, 10**6),
    target=st.none() | st.integers(0, 100),
    conditional_on_prime=st.booleans(),
    results=st.builds(YearResults, expected=st.integers(0, 200), good=st.none() | st.integers(0, 300)),
)
plausible_set_ups = st.builds(
    Setup,
    result_kind=st.sampled_from(["started", "completed", "outcomes"]),
    lead=st.builds(
        LeadSetup,
        mechanism=st.sampled_from(list(LeadMechanism)),
        yearly_value_pence=st.integers(1, 10**9),
        fixed_share_bp=st.integers(1, 9_999),
        fee_pence=st.integers(1, 10**6),
        target=st.none() | st.integers(0, 300),
        results=st.builds(YearResults, expected=st.integers(0, 200)),
    ),
    members=st.lists(plausible_members, max_size=3).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(setup=set_ups)
def test_any_set_up_is_refused_with_field_errors_or_adds_up(setup):
    check_set_up(setup)


@settings(max_examples=100, deadline=None)
@given(setup=plausible_set_ups)
def test_plausible_set_ups_add_up(setup):
    assert check_set_up(setup)


def check_set_up(setup) -> bool:
    """True when the set-up was accepted and everything added up."""
    try:
        scenario = simulator.build(setup)
    except SetupError as exc:
        assert exc.errors and all(isinstance(m, str) and m for ms in exc.errors.values() for m in ms)
        return False
    for year in simulator.years(scenario):
        assert year.supply_chain_pence + year.prime_keeps_pence == year.prime_received_pence
        assert all(m.paid_pence >= 0 for m in year.members)
    for member in simulator.combinations(scenario):
        assert len(member.rows) in (1, 2, 4)
        for row in member.rows:
            assert row.member_paid_pence >= 0
            if row.prime_reaches is False and scenario.subcontracts[member.index].conditional_on_prime:
                assert row.member_paid_pence == 0  # the Transforming Rehabilitation rule
    assert simulator.as_json(scenario)["years"][0]["year"] == "expected"
    return True
