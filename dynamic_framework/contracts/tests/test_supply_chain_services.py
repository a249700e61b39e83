"""The supply chain change services: propose (each kind, each refusal), decide, withdraw; who is told; audit."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.contracts import supply_chain as services
from dynamic_framework.contracts.models import SupplyChainChange, SupplyChainMember
from dynamic_framework.core.models import AuditEvent, Notification

from .supply_chain_fixtures import ADD_TERMS


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def notified(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def propose(sc, **kwargs):
    values = {
        "actor": sc.lead_user,
        "contract": sc.contract,
        "effective_on": sc.today + timedelta(days=30),
        "reason": "The service is changing.",
    }
    values.update(kwargs)
    return services.propose_change(**values)


# Adding ----------------------------------------------------------------------------------------------------------


def test_adding_an_organisation_applies_at_once_and_tells_it(sc):
    day = sc.today + timedelta(days=30)
    change = propose(sc, kind="add", organisation=sc.newcomer, terms=ADD_TERMS, effective_on=day)
    assert change.applied_at is not None and not change.needs_approval
    member = SupplyChainMember.objects.get(contract=sc.contract, organisation=sc.newcomer)
    assert member.joined_on == day and member.left_on is None
    assert (member.service, member.share_type, member.share_value) == ("Housing advice", "percent", 1000)
    assert notified(sc.newcomer_user) == ["Supply chain change: Add Newcomer Housing"]
    assert notified(sc.commissioner) == []
    event = AuditEvent.objects.get(action="contracts.supply_chain_change_proposed")
    assert event.after["kind"] == "add" and event.actor == sc.lead_user


def test_provider_staff_of_the_lead_may_propose(sc):
    change = propose(sc, actor=sc.lead_staff, kind="add", organisation=sc.newcomer, terms=ADD_TERMS)
    assert change.applied_at is not None


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("lead", "The lead provider cannot be a member of its own supply chain"),
        ("partner", "Partner Women's Centre is already in this supply chain"),
    ],
)
def test_adding_the_lead_or_a_current_member_is_refused(sc, who, message):
    organisation = sc.lead if who == "lead" else sc.partner
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=organisation, terms=ADD_TERMS)
    assert errors_of(excinfo)["organisation"] == [message]
    assert not SupplyChainChange.objects.exists()


def test_a_member_that_has_left_may_rejoin(sc):
    sc.minor.left_on = sc.today - timedelta(days=1)
    sc.minor.save()
    change = propose(sc, kind="add", organisation=sc.small, terms=ADD_TERMS)
    assert change.applied_at is not None
    assert SupplyChainMember.objects.filter(contract=sc.contract, organisation=sc.small).count() == 2


def test_shares_over_100_percent_are_refused(sc):
    terms = {**ADD_TERMS, "share_value": 7600}  # 25% + 76% = 101%
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=sc.newcomer, terms=terms)
    assert errors_of(excinfo)["share_value"] == [
        "The percentage shares of the supply chain would add up to 101%, more than 100%"
    ]
    terms["share_value"] = 7500  # exactly 100%
    assert propose(sc, kind="add", organisation=sc.newcomer, terms=terms).applied_at


def test_a_member_that_has_left_does_not_count_in_the_shares(sc):
    sc.material.left_on = sc.today - timedelta(days=1)
    sc.material.save()
    terms = {**ADD_TERMS, "share_value": 10_000}
    assert propose(sc, kind="add", organisation=sc.newcomer, terms=terms).applied_at


def test_an_amount_above_the_contract_value_is_refused(sc):
    terms = {**ADD_TERMS, "share_type": "amount", "share_value": 400_000_01}
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=sc.newcomer, terms=terms)
    assert errors_of(excinfo)["share_value"] == ["The share cannot be more than the contract's total value (£400,000)"]


def test_terms_are_checked_field_by_field(sc):
    terms = {"service": "", "share_type": "shares", "share_value": None, "payment_terms": "cash", "material": None}
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=sc.newcomer, terms=terms, reason="  ")
    errors = errors_of(excinfo)
    assert errors == {
        "service": ["Say what the organisation will do, for example 'peer mentoring for women'"],
        "share_type": ["Say whether the share is a percentage of the value or an amount in pounds"],
        "payment_terms": ["Choose how the organisation will be paid"],
        "material": ["Say whether the organisation is a material subcontractor"],
        "reason": ["Say why the supply chain is changing"],
    }


@pytest.mark.parametrize(
    ("share_type", "value", "message"),
    [
        ("percent", 0, "Enter the share: a percentage more than 0, or an amount more than £0"),
        ("percent", 10_001, "A share cannot be more than 100%"),
        ("amount", -5, "Enter the share: a percentage more than 0, or an amount more than £0"),
    ],
)
def test_share_values_must_make_sense(sc, share_type, value, message):
    with pytest.raises(ValidationError) as excinfo:
        propose(
            sc,
            kind="add",
            organisation=sc.newcomer,
            terms={**ADD_TERMS, "share_type": share_type, "share_value": value},
        )
    assert errors_of(excinfo)["share_value"] == [message]


def test_the_date_must_be_in_the_future_and_in_the_contract(sc):
    for day, message in [
        (sc.today - timedelta(days=1), "The date the change takes effect must be today or in the future"),
        (
            sc.end + timedelta(days=1),
            "The date the change takes effect must be on or before the contract's last day",
        ),
        (None, "Enter the date the change takes effect"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            propose(sc, kind="add", organisation=sc.newcomer, terms=ADD_TERMS, effective_on=day)
        assert errors_of(excinfo)["effective_on"][0].startswith(message)


def test_the_date_must_be_after_the_contract_starts(sc):
    sc.contract.start_date = sc.today + timedelta(days=10)
    sc.contract.save()
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=sc.newcomer, terms=ADD_TERMS, effective_on=sc.today + timedelta(days=5))
    assert errors_of(excinfo)["effective_on"][0].startswith(
        "The date the change takes effect must be on or after the contract starts"
    )


def test_a_terminated_contract_ends_the_day_before(sc):
    sc.contract.terminated_on = sc.today + timedelta(days=10)
    sc.contract.termination_reason = "Ended early."
    sc.contract.save()
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="add", organisation=sc.newcomer, terms=ADD_TERMS, effective_on=sc.today + timedelta(days=10))
    assert "effective_on" in errors_of(excinfo)


def test_only_the_lead_providers_people_may_propose(sc):
    for actor in (sc.partner_user, sc.commissioner, sc.newcomer_user):
        with pytest.raises(ValidationError) as excinfo:
            propose(sc, actor=actor, kind="add", organisation=sc.newcomer, terms=ADD_TERMS)
        assert excinfo.value.messages == [
            "Only the lead provider's people (Lead Provider Trust) can change this supply chain"
        ]


def test_an_unknown_kind_is_refused(sc):
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="merge")
    assert errors_of(excinfo) == {"kind": ["Choose what kind of change this is"]}


# Removing ---------------------------------------------------------------------------------------------------------


def test_removing_a_minor_member_applies_at_once_its_last_day_the_day_before(sc):
    day = sc.today + timedelta(days=30)
    change = propose(sc, kind="remove", member=sc.minor, effective_on=day)
    sc.minor.refresh_from_db()
    assert change.applied_at and sc.minor.left_on == day - timedelta(days=1)
    assert notified(sc.small_user) == ["Supply chain change: Remove Small Mentoring Charity"]
    assert notified(sc.partner_user) == []


def test_removing_a_material_subcontractor_waits_for_the_commissioner(sc):
    change = propose(sc, kind="remove", member=sc.material)
    sc.material.refresh_from_db()
    assert change.needs_approval and change.applied_at is None and sc.material.left_on is None
    assert services.change_status(change) == "waiting"
    assert notified(sc.partner_user) == ["Supply chain change: Remove Partner Women's Centre"]
    body = Notification.objects.get(user=sc.partner_user).body
    assert "needs the commissioner's approval" in body and "The service is changing." in body
    assert notified(sc.commissioner) == ["Approve or refuse a supply chain change: Remove Partner Women's Centre"]
    assert notified(sc.other_commissioner) == []


def test_a_member_that_has_left_cannot_be_removed_again(sc):
    sc.minor.left_on = sc.today + timedelta(days=3)
    sc.minor.save()
    for kind in ("remove", "change_terms"):
        with pytest.raises(ValidationError) as excinfo:
            propose(sc, kind=kind, member=sc.minor, terms=ADD_TERMS)
        assert errors_of(excinfo)["member"][0].startswith("Small Mentoring Charity has left this supply chain")


def test_a_member_of_another_contract_is_refused(sc):
    from dynamic_framework.contracts.tests.factories import SupplyChainMemberFactory

    elsewhere = SupplyChainMemberFactory()
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="remove", member=elsewhere)
    assert errors_of(excinfo)["member"] == ["Choose a member of this contract's supply chain"]


def test_removal_needs_a_member(sc):
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="remove")
    assert errors_of(excinfo)["member"] == ["Choose the member of the supply chain this change is about"]


def test_a_member_must_have_joined_before_it_leaves(sc):
    sc.minor.joined_on = sc.today + timedelta(days=30)
    sc.minor.save()
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="remove", member=sc.minor, effective_on=sc.today + timedelta(days=30))
    assert errors_of(excinfo)["effective_on"][0].startswith("Small Mentoring Charity joins on")


def test_only_one_change_about_a_member_waits_at_a_time(sc):
    propose(sc, kind="remove", member=sc.material)
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="replace", member=sc.material, organisation=sc.newcomer, terms=ADD_TERMS)
    assert errors_of(excinfo)["member"] == [
        "A change about Partner Women's Centre is already waiting for the commissioner's decision"
    ]


# Replacing and changing terms ----------------------------------------------------------------------------------------


def test_replacing_a_minor_member(sc):
    day = sc.today + timedelta(days=10)
    change = propose(sc, kind="replace", member=sc.minor, organisation=sc.newcomer, terms=ADD_TERMS, effective_on=day)
    sc.minor.refresh_from_db()
    assert change.applied_at and sc.minor.left_on == day - timedelta(days=1)
    new = SupplyChainMember.objects.get(contract=sc.contract, organisation=sc.newcomer)
    assert new.joined_on == day
    assert (
        notified(sc.small_user)
        == notified(sc.newcomer_user)
        == ["Supply chain change: Replace Small Mentoring Charity by Newcomer Housing"]
    )


def test_replacing_counts_the_shares_without_the_member_replaced(sc):
    terms = {**ADD_TERMS, "share_value": 10_000}  # only possible once the 25% member has gone
    change = propose(sc, kind="replace", member=sc.material, organisation=sc.newcomer, terms=terms)
    assert change.needs_approval


def test_replacing_by_the_lead_is_refused(sc):
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="replace", member=sc.minor, organisation=sc.lead, terms=ADD_TERMS)
    assert errors_of(excinfo)["organisation"] == ["The lead provider cannot be a member of its own supply chain"]


def test_changing_terms_keeps_the_old_ones(sc):
    terms = {**ADD_TERMS, "service": "Peer mentoring and groups", "share_type": "amount", "share_value": 30_000_00}
    change = propose(sc, kind="change_terms", member=sc.minor, terms=terms)
    sc.minor.refresh_from_db()
    assert (sc.minor.service, sc.minor.share_value, sc.minor.left_on) == ("Peer mentoring and groups", 30_000_00, None)
    assert change.terms["previous"]["share_value"] == 20_000_00
    assert notified(sc.small_user) == ["Supply chain change: Change the terms of Small Mentoring Charity"]


def test_changing_terms_of_a_material_member_needs_no_approval(sc):
    change = propose(sc, kind="change_terms", member=sc.material, terms={**ADD_TERMS, "share_value": 3000})
    assert change.applied_at and not change.needs_approval


def test_changing_terms_over_100_percent_is_refused(sc):
    sc.minor.share_type, sc.minor.share_value = "percent", 100
    sc.minor.save()
    with pytest.raises(ValidationError) as excinfo:
        propose(sc, kind="change_terms", member=sc.material, terms={**ADD_TERMS, "share_value": 10_000})
    assert errors_of(excinfo)["share_value"] == [
        "The percentage shares of the supply chain would add up to 101%, more than 100%"
    ]


# Deciding ------------------------------------------------------------------------------------------------------------


@pytest.fixture
def waiting(sc):
    return propose(sc, kind="remove", member=sc.material, effective_on=sc.today + timedelta(days=20))


def test_the_commissioner_approves_a_removal(sc, waiting):
    Notification.objects.all().delete()
    change = services.decide_change(actor=sc.commissioner, change=waiting, approve=True, reason="Agreed: no harm.")
    sc.material.refresh_from_db()
    assert change.approved and change.applied_at and sc.material.left_on == sc.today + timedelta(days=19)
    assert services.change_status(change) == "applied"
    assert (
        notified(sc.partner_user)
        == notified(sc.lead_user)
        == ["Supply chain change approved: Remove Partner Women's Centre"]
    )
    assert AuditEvent.objects.filter(action="contracts.supply_chain_change_approved").count() == 1


def test_the_commissioner_refuses_with_a_reason(sc, waiting):
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=waiting, approve=False, reason="")
    assert errors_of(excinfo)["reason"] == [
        "Say why you refuse the change: the lead provider and the subcontractor are told"
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=waiting, approve=True, reason=" ")
    assert errors_of(excinfo)["reason"] == ["Say why you approve the change"]
    change = services.decide_change(actor=sc.commissioner, change=waiting, approve=False, reason="Keep them.")
    sc.material.refresh_from_db()
    assert change.approved is False and change.applied_at is None and sc.material.left_on is None
    assert services.change_status(change) == "refused"
    assert "Supply chain change refused: Remove Partner Women's Centre" in notified(sc.partner_user)


def test_deciding_twice_is_refused(sc, waiting):
    services.decide_change(actor=sc.commissioner, change=waiting, approve=False, reason="No.")
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=waiting, approve=True, reason="Yes after all.")
    assert excinfo.value.messages == ["This change has already been decided"]


def test_a_change_that_needs_no_decision_is_refused(sc):
    change = propose(sc, kind="remove", member=sc.minor)
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=change, approve=True, reason="Fine.")
    assert excinfo.value.messages == ["This change did not need the commissioner's approval: it was applied"]


def test_only_the_contracts_commissioners_decide(sc, waiting):
    for actor in (sc.other_commissioner, sc.lead_user, sc.partner_user):
        with pytest.raises(ValidationError) as excinfo:
            services.decide_change(actor=actor, change=waiting, approve=True, reason="Fine.")
        assert excinfo.value.messages == ["Only commissioners for North East can decide this change"]


def test_a_late_decision_takes_effect_on_the_day_of_the_decision(sc, waiting):
    SupplyChainChange.objects.filter(pk=waiting.pk).update(effective_on=sc.today - timedelta(days=5))
    waiting.refresh_from_db()
    change = services.decide_change(actor=sc.commissioner, change=waiting, approve=True, reason="Late, but agreed.")
    sc.material.refresh_from_db()
    assert services.takes_effect_on(change) == sc.today
    assert sc.material.left_on == sc.today - timedelta(days=1)


def test_approving_a_replacement_adds_the_new_member(sc):
    change = propose(sc, kind="replace", member=sc.material, organisation=sc.newcomer, terms=ADD_TERMS)
    assert not SupplyChainMember.objects.filter(organisation=sc.newcomer).exists()
    services.decide_change(actor=sc.commissioner, change=change, approve=True, reason="A good replacement.")
    new = SupplyChainMember.objects.get(organisation=sc.newcomer)
    assert new.joined_on == change.effective_on and new.material is False


def test_approval_is_refused_when_the_change_can_no_longer_be_made(sc):
    change = propose(sc, kind="replace", member=sc.material, organisation=sc.newcomer, terms=ADD_TERMS)
    propose(sc, kind="add", organisation=sc.newcomer, terms={**ADD_TERMS, "share_value": 500})
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=change, approve=True, reason="Fine.")
    assert excinfo.value.messages == [
        "This change can no longer be made: Newcomer Housing is already in this supply chain"
    ]
    change.refresh_from_db()
    assert change.decided_at is None


# Withdrawing ---------------------------------------------------------------------------------------------------------


def test_the_lead_withdraws_a_waiting_change(sc, waiting):
    change = services.withdraw_change(actor=sc.lead_user, change=waiting)
    assert change.withdrawn_at and services.change_status(change) == "withdrawn"
    assert "Supply chain change withdrawn: Remove Partner Women's Centre" in notified(sc.commissioner)
    with pytest.raises(ValidationError) as excinfo:
        services.withdraw_change(actor=sc.lead_user, change=waiting)
    assert excinfo.value.messages == ["This change has already been withdrawn"]
    with pytest.raises(ValidationError) as excinfo:
        services.decide_change(actor=sc.commissioner, change=waiting, approve=True, reason="Fine.")
    assert excinfo.value.messages == ["The lead provider withdrew this change: there is nothing to decide"]


def test_withdrawing_is_refused_once_decided_or_applied(sc, waiting):
    applied = propose(sc, kind="remove", member=sc.minor)
    with pytest.raises(ValidationError) as excinfo:
        services.withdraw_change(actor=sc.lead_user, change=applied)
    assert excinfo.value.messages == ["This change has been made: propose another change to undo it"]
    services.decide_change(actor=sc.commissioner, change=waiting, approve=False, reason="No.")
    with pytest.raises(ValidationError) as excinfo:
        services.withdraw_change(actor=sc.lead_user, change=waiting)
    assert excinfo.value.messages == ["The commissioner has already decided this change"]


def test_only_the_lead_withdraws(sc, waiting):
    with pytest.raises(ValidationError):
        services.withdraw_change(actor=sc.partner_user, change=waiting)
    with pytest.raises(ValidationError):
        services.withdraw_change(actor=sc.commissioner, change=waiting)
