"""Bidding: who may lead a bid, prices within the published values, the supply chain, submitting once, the deadline."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Bid, BidSubmission, SupplyChainInvitation
from dynamic_framework.calloffs.tests.factories import pounds, travel
from dynamic_framework.core.models import Notification
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.tests.factories import ProviderFactory


def test_only_qualified_organisations_may_lead_a_bid(world, call_off):
    outsider = ProviderFactory(name="Not Yet Qualified CIC")
    admin = user_with_role("provider_administrator", organisation=outsider)
    with pytest.raises(ValidationError, match="not qualified on the Dynamic Framework"):
        services.start_bid(actor=admin, call_off=call_off, organisation=outsider)
    assert not Bid.objects.filter(organisation=outsider).exists()


def test_a_lot_outside_the_qualified_areas_cannot_be_bid_for(world, reference_data, django_capture_on_commit_callbacks):
    call_off = world.published(lots=(("pcc_area", ["durham"]), ("pcc_area", ["cleveland"])))
    org = world.providers[0]
    durham, cleveland = call_off.lots.order_by("position")
    assert services.eligible_lot_ids(call_off, org) == {durham.pk}
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    content = world.content(call_off, lots=[cleveland])
    with pytest.raises(ValidationError) as caught:
        services.save_bid(actor=world.admin(org), bid=bid, content=content)
    assert f"lot_{cleveland.pk}" in caught.value.message_dict


def test_suspended_qualifications_do_not_count(world, call_off):
    from dynamic_framework.qualification import services as qualification_services
    from dynamic_framework.qualification.models import Qualification

    org = world.providers[0]
    qualification = Qualification.objects.get(organisation=org)
    qualification_services.suspend_qualification(actor=world.manager, qualification=qualification, reason="Checks")
    assert services.eligible_lot_ids(call_off, org) == set()


def test_prices_may_not_exceed_the_published_value(world, call_off):
    org = world.providers[0]
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    lot = call_off.lots.get()
    first, second = lot.years.all()
    with pytest.raises(ValidationError) as caught:
        services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off, prices=(100_001, 50_000)))
    assert (
        "no more than the published value, £100,000"
        in caught.value.message_dict[f"price_{lot.pk}_{first.financial_year}"][0]
    )
    services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off, prices=(100_000, 120_000)))


def test_word_limits_on_answers_are_enforced(world, call_off):
    org = world.providers[0]
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    content = world.content(call_off)
    question = call_off.quality_questions.get()
    content["answers"][str(question.pk)] = "word " * (question.word_limit + 1)
    with pytest.raises(ValidationError) as caught:
        services.save_bid(actor=world.admin(org), bid=bid, content=content)
    assert f"answer_{question.pk}" in caught.value.message_dict


def test_an_incomplete_bid_is_saved_as_a_draft_but_not_submitted(world, call_off):
    org = world.providers[0]
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    services.save_bid(actor=world.admin(org), bid=bid, content={"lots": {}, "answers": {}})
    with pytest.raises(ValidationError) as caught:
        services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="k1")
    assert "lots" in caught.value.message_dict
    assert not BidSubmission.objects.exists()


def test_a_new_subcontractor_by_name_becomes_an_unverified_organisation_and_is_told(world, call_off):
    org, partner = world.providers
    supply_chain = [
        {
            "name": "Tiny Peer Mentors",
            "role": "Peer mentoring",
            "share_type": "percent",
            "share_value": 1000,
            "payment_terms": "fixed_fee",
            "material": False,
        },
        {
            "organisation": partner.pk,
            "role": "Housing advice",
            "share_type": "amount",
            "share_value": pounds(20_000),
            "payment_terms": "payment_by_results",
            "material": True,
        },
    ]
    bid = world.bid(org, call_off, supply_chain=supply_chain)
    new = Organisation.objects.get(name="Tiny Peer Mentors")
    assert new.verified_at is None and new.kind == "provider"
    assert set(bid.supply_chain_invitations.values_list("organisation_id", flat=True)) == {new.pk, partner.pk}
    assert Notification.objects.filter(
        user=world.admin(partner), link__startswith="/supply-chain-invitations/"
    ).exists()


def test_supply_chain_rules(world, call_off):
    org, partner = world.providers
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    bad = [
        {
            "organisation": org.pk,
            "role": "x",
            "share_type": "percent",
            "share_value": 100,
            "payment_terms": "fixed_fee",
        },
        {
            "organisation": partner.pk,
            "role": "",
            "share_type": "percent",
            "share_value": 100,
            "payment_terms": "fixed_fee",
        },
        {"name": "A", "role": "x", "share_type": "ratio", "share_value": 1, "payment_terms": "fixed_fee"},
        {"name": "B", "role": "x", "share_type": "percent", "share_value": 10_001, "payment_terms": "fixed_fee"},
        {"name": "C", "role": "x", "share_type": "percent", "share_value": 100, "payment_terms": "barter"},
    ]
    with pytest.raises(ValidationError) as caught:
        services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off, supply_chain=bad))
    errors = caught.value.message_dict
    assert {f"supply_chain_{n}" for n in range(1, 6)} <= set(errors)
    assert "cannot be in its own supply chain" in errors["supply_chain_1"][0]
    over = [
        {
            "name": f"Partner {n}",
            "role": "x",
            "share_type": "percent",
            "share_value": 6000,
            "payment_terms": "fixed_fee",
        }
        for n in (1, 2)
    ]
    with pytest.raises(ValidationError) as caught:
        services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off, supply_chain=over))
    assert "more than 100%" in caught.value.message_dict["supply_chain"][0]
    assert not Organisation.objects.filter(name__startswith="Partner ").exists()


def test_one_bid_per_organisation_in_the_database(world, call_off):
    org = world.providers[0]
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    assert services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org) == bid
    with pytest.raises(IntegrityError), transaction.atomic():
        Bid.objects.create(call_off=call_off, organisation=org, created_by=world.admin(org))


def test_submitting_again_with_the_same_key_makes_one_submission(world, call_off):
    org = world.providers[0]
    bid = world.bid(org, call_off, key="same-key")
    again = services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="same-key")
    assert again.pk == bid.latest_submission_id
    assert bid.submissions.count() == 1
    third = services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="another-key")
    assert third.number == 2 and bid.submissions.count() == 2


def test_only_an_administrator_submits(world, call_off):
    org = world.providers[0]
    staff = user_with_role("provider_staff", organisation=org)
    bid = services.start_bid(actor=staff, call_off=call_off, organisation=org)
    services.save_bid(actor=staff, bid=bid, content=world.content(call_off), complete=True)
    with pytest.raises(ValidationError, match="administrators can submit"):
        services.submit_bid(actor=staff, bid=bid, idempotency_key="k")


def test_a_bid_one_second_late_is_refused(world, call_off):
    org = world.providers[0]
    bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off), complete=True)
    with travel(call_off.deadline_at - timedelta(seconds=2)):
        on_time = services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="on-time")
    assert on_time.submitted_at < call_off.deadline_at
    import time_machine

    late = time_machine.travel(call_off.deadline_at + timedelta(seconds=1), tick=False)
    with late, pytest.raises(ValidationError, match="The deadline for bids was"):
        services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="late")
    exactly = time_machine.travel(call_off.deadline_at, tick=False)
    with exactly, pytest.raises(ValidationError, match="The deadline for bids was"):
        services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="exactly")
    assert bid.submissions.count() == 1


def test_withdraw_and_submit_again(world, call_off):
    org = world.providers[0]
    bid = world.bid(org, call_off)
    services.withdraw_bid(actor=world.admin(org), bid=bid)
    bid.refresh_from_db()
    assert not bid.is_live
    assert services.counted_bids(call_off) == []
    services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="again")
    bid.refresh_from_db()
    assert bid.is_live
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        other = services.start_bid(
            actor=world.admin(world.providers[1]), call_off=call_off, organisation=world.providers[1]
        )
        services.withdraw_bid(actor=world.admin(world.providers[1]), bid=other)


def test_an_amendment_asks_for_bids_to_be_submitted_again(world, call_off):
    org = world.providers[0]
    bid = world.bid(org, call_off)
    assert not services.needs_reconfirmation(bid)
    services.amend_call_off(
        actor=world.commissioner,
        call_off=call_off,
        summary="The deadline is a week later",
        deadline_at=call_off.deadline_at + timedelta(days=7),
    )
    bid.refresh_from_db()
    assert services.needs_reconfirmation(bid)
    assert Notification.objects.filter(user=world.admin(org), title__contains="has changed").exists()
    services.submit_bid(actor=world.admin(org), bid=bid, idempotency_key="reconfirm")
    bid.refresh_from_db()
    assert not services.needs_reconfirmation(bid)


def test_subcontractors_confirm_or_decline(world, call_off):
    org, partner = world.providers
    supply_chain = [
        {
            "organisation": partner.pk,
            "role": "Housing",
            "share_type": "percent",
            "share_value": 2000,
            "payment_terms": "pass_through",
            "material": True,
        }
    ]
    bid = world.bid(org, call_off, supply_chain=supply_chain)
    invitation = SupplyChainInvitation.objects.get(bid=bid)
    with pytest.raises(ValidationError, match="Only the named organisation"):
        services.respond_to_invitation(actor=world.admin(org), invitation=invitation, confirm=True)
    services.respond_to_invitation(actor=world.admin(partner), invitation=invitation, confirm=True)
    invitation.refresh_from_db()
    assert invitation.confirmed_at and not invitation.declined_at
    services.respond_to_invitation(actor=world.admin(partner), invitation=invitation, confirm=False)
    invitation.refresh_from_db()
    assert invitation.declined_at and not invitation.confirmed_at


def test_questions_close_on_time_and_answers_hide_who_asked(world, call_off):
    org = world.providers[0]
    question = services.ask_question(
        actor=world.admin(org), call_off=call_off, organisation=org, question="Is TUPE likely?"
    )
    services.answer_question(
        actor=world.commissioner,
        question=question,
        published_question="Will staff transfer (TUPE)?",
        answer="No transfer is expected.",
    )
    question.refresh_from_db()
    assert question.published_question == "Will staff transfer (TUPE)?"
    with (
        travel(call_off.questions_close_at + timedelta(seconds=1)),
        pytest.raises(ValidationError, match="Questions closed"),
    ):
        services.ask_question(actor=world.admin(org), call_off=call_off, organisation=org, question="Too late?")
