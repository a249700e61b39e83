"""Statements on hand-built contracts: every mechanism and subcontract term worked out from a month's figures, the
caps and the other refusals, return and approval, adjustments, and payments recorded against lines."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.contracts import supply_chain as supply_chain_services
from dynamic_framework.contracts.models import ContractYear, SubcontractorPayment
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.payments import services
from dynamic_framework.payments.models import PaymentStatement, StatementLine

from .statements_fixtures import build

APRIL, MAY, JUNE = date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)


def terms(st, mechanism="fixed_fee", **kwargs):
    return services.set_contract_terms(actor=st.commissioner, contract=st.contract, mechanism=mechanism, **kwargs)


def sub(st, member, kind, **kwargs):
    return services.set_subcontract_terms(actor=st.lead_user, member=member, terms=kind, **kwargs)


def enter(st, period=APRIL, figures=None, **kwargs):
    return services.enter_figures(
        actor=st.lead_user, contract=kwargs.get("contract", st.contract), period=period, figures=figures or {}
    )


def approve(st, statement):
    services.submit_statement(actor=st.lead_user, statement=statement)
    return services.approve_statement(actor=st.commissioner, statement=statement)


def lead(started=0, completed=0, outcomes=None, evidence="Case records checked"):
    return {"started": started, "completed": completed, "outcomes": outcomes or {}, "evidence": evidence}


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def line_for(statement, member) -> StatementLine:
    return statement.lines.get(member=member)


# Mechanisms ---------------------------------------------------------------------------------------------------------


def test_fixed_fee_monthly_pays_a_twelfth_of_the_years_value_and_passes_a_share_through(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=2500)
    statement = enter(st, figures={None: lead(started=3)})
    assert (statement.fixed_pence, statement.results_pence, statement.received_pence) == (10_000_00, 0, 10_000_00)
    line = line_for(statement, st.partner_m)
    assert (line.fixed_part_pence, line.due_pence) == (2_500_00, 2_500_00)
    assert line.reason == "25% of the lead provider's fixed payment"
    assert statement.prime_keeps_pence == 7_500_00
    assert statement.supply_chain_due_pence + statement.prime_keeps_pence == statement.received_pence


def test_quarterly_fee_is_paid_at_the_end_of_the_quarter(st):
    terms(st, instalments="quarterly")
    assert enter(st, APRIL).received_pence == 0
    assert enter(st, JUNE).received_pence == 30_000_00


@pytest.mark.django_db
def test_grant_is_paid_in_advance_with_no_conditions():
    world = build(funding_mechanism="grant", reference="GRANT-1")
    services.set_contract_terms(
        actor=world.commissioner, contract=world.contract, mechanism="grant", instalments="quarterly"
    )
    april = services.enter_figures(actor=world.lead_user, contract=world.contract, period=APRIL, figures={})
    june = services.enter_figures(actor=world.lead_user, contract=world.contract, period=JUNE, figures={})
    assert (april.received_pence, june.received_pence) == (30_000_00, 0)


@pytest.mark.django_db
def test_a_grant_may_only_use_the_grant_mechanism_and_a_contract_may_not():
    world = build(funding_mechanism="grant", reference="GRANT-2")
    with pytest.raises(ValidationError) as excinfo:
        services.set_contract_terms(actor=world.commissioner, contract=world.contract, mechanism="fixed_fee")
    assert "choose a grant" in errors_of(excinfo)["mechanism"][0]
    other = build(reference="CONTRACT-2")
    with pytest.raises(ValidationError) as excinfo:
        services.set_contract_terms(actor=other.commissioner, contract=other.contract, mechanism="grant")
    assert errors_of(excinfo)["mechanism"] == ["Only a grant agreement is paid as a grant: choose another way to pay"]


def test_fee_per_person_started(st):
    terms(st, "per_person_started", per_start_pence=250_00)
    assert enter(st, figures={None: lead(started=7)}).received_pence == 1_750_00


def test_fee_per_person_completed(st):
    terms(st, "per_person_completed", per_completion_pence=400_00)
    assert enter(st, figures={None: lead(started=9, completed=3)}).received_pence == 1_200_00


def test_outcome_payments_use_the_contracts_outcomes(st):
    terms(st, "outcomes", outcome_fees={st.housing.pk: 500_00, st.job.pk: 300_00})
    statement = enter(st, figures={None: lead(outcomes={st.housing.pk: 2, st.job.pk: 1})})
    assert statement.results_pence == 1_300_00
    assert statement.figures.get(member=None).outcomes.count() == 2


def test_outcome_fees_for_retired_or_other_outcomes_are_refused(st):
    with pytest.raises(ValidationError) as excinfo:
        terms(st, "outcomes", outcome_fees={st.retired.pk: 500_00})
    assert "outcomes no longer used cannot be added" in errors_of(excinfo)["outcome_fees"][0]


def test_hybrid_90_10_pays_the_fixed_share_in_instalments_and_results_fees(st):
    terms(st, "hybrid", fixed_share_bp=9000, per_completion_pence=1_000_00)
    statement = enter(st, figures={None: lead(started=4, completed=2)})
    assert (statement.fixed_pence, statement.results_pence) == (9_000_00, 2_000_00)


def test_pass_through_passes_on_the_members_share_of_its_results_and_the_fixed_payment(st):
    terms(st, "hybrid", fixed_share_bp=9000, per_start_pence=100_00)
    sub(st, st.partner_m, "pass_through", share_bp=2500)
    statement = enter(st, figures={None: lead(started=2), st.partner_m: lead(started=4)})
    line = line_for(statement, st.partner_m)
    assert (line.fixed_part_pence, line.results_part_pence) == (2_250_00, 100_00)  # 25% of £9,000 and of £400
    assert statement.received_pence == 9_600_00
    assert statement.prime_keeps_pence == 9_600_00 - 2_350_00


def test_protected_fee_is_paid_whatever_the_results_in_the_contracts_instalments(st):
    terms(st, "per_person_started", per_start_pence=100_00, target_measure="started", target_count=50)
    sub(st, st.small_m, "protected_fixed_fee", protected_yearly_pence=12_000_00)
    statement = enter(st, figures={None: lead(started=1)})
    assert statement.prime_reached_target is False and statement.received_pence == 0
    line = line_for(statement, st.small_m)
    assert line.due_pence == 1_000_00 and line.reason == "A protected fee: paid whatever the results"
    assert statement.prime_keeps_pence == -1_000_00  # the lead provider carries the risk


def test_payment_by_results_conditional_on_the_lead_provider_the_transforming_rehabilitation_rule(st):
    terms(st, "per_person_started", per_start_pence=100_00, target_measure="started", target_count=10)
    sub(
        st,
        st.partner_m,
        "payment_by_results",
        per_start_pence=80_00,
        target_measure="started",
        target_count=2,
        conditional_on_prime=True,
    )
    sub(st, st.small_m, "payment_by_results", per_start_pence=80_00, target_measure="started", target_count=2)
    missed = enter(st, figures={None: lead(started=1), st.partner_m: lead(started=3), st.small_m: lead(started=3)})
    assert missed.prime_reached_target is False
    assert line_for(missed, st.partner_m).due_pence == 0
    assert "depends on the lead provider's" in line_for(missed, st.partner_m).reason
    assert line_for(missed, st.small_m).due_pence == 240_00  # not conditional: the lead provider pays from its pocket
    reached = enter(
        st, MAY, figures={None: lead(started=5), st.partner_m: lead(started=3), st.small_m: lead(started=3)}
    )
    assert reached.prime_reached_target is True
    assert line_for(reached, st.partner_m).due_pence == 240_00
    assert reached.received_pence == 1_100_00


def test_a_contract_starting_mid_year_pays_its_year_over_the_months_it_runs(st):
    st.contract.start_date = date(2025, 10, 1)
    st.contract.save()
    terms(st)
    assert enter(st, date(2025, 10, 1)).received_pence == 20_000_00  # six months left in the year


# Terms refused ------------------------------------------------------------------------------------------------------


def test_pass_through_shares_may_not_exceed_100_percent(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=7000)
    with pytest.raises(ValidationError) as excinfo:
        sub(st, st.small_m, "pass_through", share_bp=4000)
    assert "would add up to 110%" in errors_of(excinfo)["share_bp"][0]


def test_engine_refusals_become_field_messages(st):
    with pytest.raises(ValidationError) as excinfo:
        terms(st, "hybrid", fixed_share_bp=10000, per_start_pence=1)
    assert errors_of(excinfo)["fixed_share_bp"] == [
        "The fixed share of a hybrid must be more than 0% and less than 100%"
    ]
    with pytest.raises(ValidationError) as excinfo:
        terms(st, "fixed_fee", target_measure="started", target_count=3)
    assert "no target" in errors_of(excinfo)["target_measure"][0]
    with pytest.raises(ValidationError) as excinfo:
        terms(st, "per_person_started", per_start_pence=-5)
    assert errors_of(excinfo)["per_start_pence"] == ["Enter the fee per person who starts as £0 or more"]
    with pytest.raises(ValidationError) as excinfo:
        sub(st, st.partner_m, "payment_by_results")
    assert errors_of(excinfo)["terms"] == ["Payment by results needs at least one fee"]


def test_only_the_right_people_set_terms(st):
    with pytest.raises(ValidationError, match="Only a commissioner"):
        services.set_contract_terms(actor=st.lead_user, contract=st.contract, mechanism="fixed_fee")
    with pytest.raises(ValidationError, match="Only a commissioner"):
        services.set_contract_terms(actor=st.other_commissioner, contract=st.contract, mechanism="fixed_fee")
    with pytest.raises(ValidationError, match="Only the lead provider"):
        services.set_subcontract_terms(actor=st.partner_user, member=st.partner_m, terms="pass_through", share_bp=1)


# Figures refused ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, message",
    [
        (-3, "Enter the people who started as 0 or more"),
        ("-3", "Enter the people who started as 0 or more"),
        ("lots", "Enter the people who started as a whole number, like 12"),
        (2.5, "Enter the people who started as a whole number, like 12"),
    ],
)
def test_negative_or_non_numeric_figures_are_refused_and_nothing_is_saved(st, value, message):
    terms(st)
    with pytest.raises(ValidationError) as excinfo:
        enter(st, figures={None: lead(started=value)})
    assert errors_of(excinfo)["lead_started"] == [message]
    assert not PaymentStatement.objects.exists()


def test_figures_need_an_evidence_note(st):
    terms(st)
    with pytest.raises(ValidationError) as excinfo:
        enter(st, figures={None: lead(started=2, evidence="")})
    assert "Say where the figures come from" in errors_of(excinfo)["lead_evidence"][0]


def test_months_outside_the_contract_are_refused(st):
    terms(st)
    with pytest.raises(ValidationError) as excinfo:
        enter(st, date(2025, 3, 1))
    assert errors_of(excinfo)["period"] == ["The contract starts on 1 April 2025: choose April 2025 or later"]
    st.contract.terminated_on, st.contract.termination_reason = date(2025, 9, 1), "Provider withdrew"
    st.contract.save()
    with pytest.raises(ValidationError) as excinfo:
        enter(st, date(2025, 9, 1))
    assert errors_of(excinfo)["period"] == [
        "The contract was terminated: its last day was 31 August 2025: choose August 2025 or earlier"
    ]
    future = services.month_start(services.today() + timedelta(days=40))
    st.contract.terminated_on = None
    st.contract.end_date = date(2030, 3, 31)
    st.contract.save()
    with pytest.raises(ValidationError) as excinfo:
        enter(st, future)
    assert errors_of(excinfo)["period"] == ["You can enter figures only for a month that has started"]


def test_the_volume_cap_counts_every_month_of_the_financial_year(st):
    terms(st)
    enter(st, APRIL, figures={None: lead(started=60)})
    enter(st, MAY, figures={None: lead(started=40)})
    with pytest.raises(ValidationError) as excinfo:
        enter(st, JUNE, figures={None: lead(started=1)})
    assert errors_of(excinfo)["lead_started"] == [
        "These figures take the people who started in 2025-26 to 101: the contract is for 100 people that year"
    ]
    assert not PaymentStatement.objects.filter(period=JUNE).exists()
    enter(st, date(2026, 4, 1), figures={None: lead(started=5)})  # a new year starts again


def test_the_value_cap_refuses_payments_above_the_years_value(st):
    terms(st, "per_person_started", per_start_pence=2_000_00)
    enter(st, APRIL, figures={None: lead(started=50)})  # £100,000
    with pytest.raises(ValidationError) as excinfo:
        enter(st, MAY, figures={None: lead(started=11)})  # £22,000 more
    assert errors_of(excinfo)["__all__"] == [
        "This month's payments take what the lead provider receives in 2025-26 to £122,000, more than the year's "
        "value of £120,000"
    ]


def test_figures_for_a_member_not_in_the_supply_chain_that_month(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=1000)
    st.partner_m.joined_on = date(2025, 6, 1)
    st.partner_m.save()
    with pytest.raises(ValidationError) as excinfo:
        enter(st, APRIL, figures={st.partner_m: lead(started=1)})
    assert errors_of(excinfo)[f"member_{st.partner_m.pk}_started"] == [
        "Partner Women's Centre was not in the supply chain in April 2025"
    ]
    other = build(reference="OTHER-1")
    with pytest.raises(ValidationError) as excinfo:
        enter(st, APRIL, figures={other.partner_m.pk: lead(started=1)})
    assert errors_of(excinfo)["figures"] == ["Figures can only be entered for this contract's supply chain"]


def test_empty_figures_for_a_member_not_there_that_month_are_ignored(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=1000)
    st.partner_m.joined_on = date(2025, 6, 1)
    st.partner_m.save()
    blank = {"started": "", "completed": "", "outcomes": {}, "evidence": ""}
    statement = enter(st, APRIL, figures={None: lead(started=1), st.partner_m: blank})
    assert list(statement.figures.values_list("member", flat=True)) == [None]
    assert not statement.lines.exists()


def test_figures_for_a_member_without_terms_are_refused(st):
    terms(st)
    with pytest.raises(ValidationError) as excinfo:
        enter(st, APRIL, figures={st.small_m: lead(started=1)})
    assert errors_of(excinfo)[f"member_{st.small_m.pk}_started"] == [
        "Set how Small Mentoring Charity is paid before entering its figures"
    ]


def test_no_terms_or_no_value_for_the_year(st):
    with pytest.raises(ValidationError) as excinfo:
        enter(st)
    assert errors_of(excinfo)["__all__"] == [
        "The commissioner has not set how this contract pays yet, so no statement can be worked out"
    ]
    terms(st)
    ContractYear.objects.filter(contract=st.contract, financial_year=2025).delete()
    with pytest.raises(ValidationError) as excinfo:
        enter(st)
    assert errors_of(excinfo)["period"] == [
        "The contract has no value recorded for 2025-26, so its payments cannot be worked out"
    ]


def test_only_the_lead_provider_enters_figures(st):
    terms(st)
    with pytest.raises(ValidationError, match="Only the lead provider"):
        services.enter_figures(actor=st.partner_user, contract=st.contract, period=APRIL, figures={})


# Submitting, returning, approving ----------------------------------------------------------------------------------


def test_submit_return_resubmit_approve_with_audit_events(st):
    terms(st)
    statement = enter(st, figures={None: lead(started=2)})
    assert statement.status == "draft"
    services.submit_statement(actor=st.lead_user, statement=statement)
    statement.refresh_from_db()
    assert statement.status == "waiting"
    with pytest.raises(ValidationError, match="waiting for the commissioner"):
        enter(st, figures={None: lead(started=3)})
    with pytest.raises(ValidationError, match="Only a commissioner"):
        services.approve_statement(actor=st.lead_user, statement=statement)
    with pytest.raises(ValidationError) as excinfo:
        services.return_statement(actor=st.commissioner, statement=statement, reason=" ")
    assert errors_of(excinfo)["reason"] == ["Say why you are sending the statement back"]
    services.return_statement(actor=st.commissioner, statement=statement, reason="Check the May starts")
    statement.refresh_from_db()
    assert statement.status == "returned" and statement.return_reason == "Check the May starts"
    enter(st, figures={None: lead(started=3)})
    approve(st, statement)
    statement.refresh_from_db()
    assert statement.status == "approved" and statement.approved_by == st.commissioner
    actions = list(AuditEvent.objects.filter(object_type="payments.paymentstatement").values_list("action", flat=True))
    assert actions == [
        "payments.statement_entered",
        "payments.statement_submitted",
        "payments.statement_returned",
        "payments.statement_entered",
        "payments.statement_submitted",
        "payments.statement_approved",
    ]


def test_an_approved_statement_cannot_be_edited(st):
    terms(st)
    statement = approve(st, enter(st, figures={None: lead(started=2)}))
    with pytest.raises(ValidationError) as excinfo:
        enter(st, figures={None: lead(started=3)})
    assert errors_of(excinfo)["period"] == [
        "The statement for April 2025 was approved: it cannot be changed, only corrected by an adjustment"
    ]
    with pytest.raises(ValidationError, match="already approved"):
        services.return_statement(actor=st.commissioner, statement=statement, reason="Too late")


def test_submitting_works_the_statement_out_again_with_the_terms_of_now(st):
    terms(st)
    statement = enter(st)
    terms(st, "hybrid", fixed_share_bp=5000, per_start_pence=1)
    services.submit_statement(actor=st.lead_user, statement=statement)
    statement.refresh_from_db()
    assert statement.fixed_pence == 5_000_00


# Adjustments --------------------------------------------------------------------------------------------------------


def test_an_adjustment_pays_the_difference_and_its_lines_may_be_negative(st):
    terms(st, "hybrid", fixed_share_bp=9000, per_start_pence=100_00)
    sub(st, st.partner_m, "pass_through", share_bp=5000)
    original = approve(st, enter(st, figures={None: lead(started=2), st.partner_m: lead(started=6)}))
    assert original.results_pence == 800_00
    with pytest.raises(ValidationError, match="Only an approved statement"):
        services.create_adjustment(actor=st.lead_user, statement=enter(st, MAY), figures={})
    adjustment = services.create_adjustment(
        actor=st.lead_user, statement=original, figures={None: lead(started=4), st.partner_m: lead(started=2)}
    )
    assert adjustment.adjusts == original and adjustment.period == APRIL
    assert (adjustment.fixed_pence, adjustment.results_pence) == (0, -200_00)  # £600 instead of £800
    line = line_for(adjustment, st.partner_m)
    assert (line.fixed_part_pence, line.results_part_pence, line.due_pence) == (0, -200_00, -200_00)
    assert line.adjustment
    assert adjustment.supply_chain_due_pence + adjustment.prime_keeps_pence == adjustment.received_pence
    approve(st, adjustment)
    # A second adjustment is the difference from the original and the first adjustment together.
    second = services.create_adjustment(
        actor=st.lead_user, statement=original, figures={None: lead(started=4), st.partner_m: lead(started=3)}
    )
    assert second.results_pence == 100_00 and line_for(second, st.partner_m).due_pence == 50_00
    # The volume cap counts the approved correction, not the original's figures.
    months = services._current_by_month(services._year_statements(st.contract, 2025))
    assert months[APRIL]["started"] == 6 and months[APRIL]["received"] == 9_000_00 + 600_00
    events = AuditEvent.objects.filter(action="payments.adjustment_entered").count()
    assert events == 2


def test_an_adjustment_waiting_for_the_commissioner_blocks_another(st):
    terms(st)
    original = approve(st, enter(st))
    adjustment = services.create_adjustment(actor=st.lead_user, statement=original, figures={None: lead(started=1)})
    services.submit_statement(actor=st.lead_user, statement=adjustment)
    with pytest.raises(ValidationError, match="waiting for the commissioner"):
        services.create_adjustment(actor=st.lead_user, statement=original, figures={})


# Payments against lines ---------------------------------------------------------------------------------------------


def test_a_payment_recorded_against_a_line_feeds_the_late_payment_measure(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=2500)
    statement = approve(st, enter(st))
    line = line_for(statement, st.partner_m)
    with pytest.raises(ValidationError, match="Only the lead provider"):
        services.record_line_payment(actor=st.commissioner, line=line, paid_on=None)
    invoiced = date(2025, 5, 5)
    payment = services.record_line_payment(
        actor=st.lead_user, line=line, invoiced_on=invoiced, paid_on=invoiced + timedelta(days=45)
    )
    assert payment.amount_pence == 2_500_00 and payment.member == st.partner_m
    line.refresh_from_db()
    assert line.payment == payment
    late = supply_chain_services.with_days(SubcontractorPayment.objects.filter(pk=payment.pk)).get()
    assert late.late is True
    timeliness = supply_chain_services.member_timeliness([st.partner_m])
    assert timeliness[st.partner_m.pk]["late"] == 1
    with pytest.raises(ValidationError, match="already recorded"):
        services.record_line_payment(actor=st.lead_user, line=line, paid_on=None)


def test_a_payment_is_invoiced_on_the_approval_date_unless_another_is_given(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=2500)
    statement = approve(st, enter(st))
    payment = services.record_line_payment(actor=st.lead_user, line=line_for(statement, st.partner_m), paid_on=None)
    assert payment.invoiced_on == services.today() and payment.paid_on is None


def test_payments_only_against_approved_statements(st):
    terms(st)
    sub(st, st.partner_m, "pass_through", share_bp=2500)
    statement = enter(st)
    with pytest.raises(ValidationError, match="approved statements only"):
        services.record_line_payment(actor=st.lead_user, line=line_for(statement, st.partner_m), paid_on=None)


# Conservation on stored statements -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_stored_statements_add_up_for_random_terms_and_figures():
    """For random terms and figures, what is stored adds up: the supply chain's lines plus what the lead provider
    keeps equal what it receives (the database's check constraints hold too)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as strategies

    world = build(reference="PROP-1")
    services.set_contract_terms(
        actor=world.commissioner,
        contract=world.contract,
        mechanism="hybrid",
        fixed_share_bp=7000,
        per_start_pence=123_45,
        per_completion_pence=67_89,
        target_measure="started",
        target_count=3,
    )

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        share=strategies.integers(1, 6000),
        protected=strategies.integers(0, 50_000_00),
        conditional=strategies.booleans(),
        counts=strategies.lists(strategies.integers(0, 4), min_size=6, max_size=6),
        month=strategies.integers(4, 12),
    )
    def check(share, protected, conditional, counts, month):
        services.set_subcontract_terms(
            actor=world.lead_user, member=world.partner_m, terms="pass_through", share_bp=share
        )
        if protected:
            services.set_subcontract_terms(
                actor=world.lead_user,
                member=world.small_m,
                terms="protected_fixed_fee",
                protected_yearly_pence=protected,
            )
        else:
            services.set_subcontract_terms(
                actor=world.lead_user,
                member=world.small_m,
                terms="payment_by_results",
                per_completion_pence=99_99,
                conditional_on_prime=conditional,
            )
        PaymentStatement.objects.filter(contract=world.contract).delete()
        a, b, c, d, e, f = counts
        statement = services.enter_figures(
            actor=world.lead_user,
            contract=world.contract,
            period=date(2025, month, 1),
            figures={
                None: lead(started=a, completed=b),
                world.partner_m: lead(started=c, completed=d),
                world.small_m: lead(started=e, completed=f),
            },
        )
        lines = list(statement.lines.all())
        assert sum(line.due_pence for line in lines) == statement.supply_chain_due_pence
        assert statement.supply_chain_due_pence + statement.prime_keeps_pence == statement.received_pence
        assert all(line.due_pence >= 0 for line in lines)

    check()
