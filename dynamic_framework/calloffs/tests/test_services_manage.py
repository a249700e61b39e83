"""The commissioner's transitions and refusals: create (in their own region only), send for approval (weights must
add up to 100), approve and publish (by a second commissioner), amend (before the deadline), cancel (once), close
with no award (after the deadline), copy (lots and questions kept), answer questions; and the audit events."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Amendment, CallOff
from dynamic_framework.calloffs.tests.factories import CallOffWorld, after_deadline, pounds
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import Region


@pytest.fixture
def world(reference_data):
    return CallOffWorld.build(providers=1)


def _events(call_off, action):
    return AuditEvent.objects.filter(action=action, object_type="calloffs.calloff", object_id=str(call_off.pk))


def _create_kwargs(world, **overrides):
    deadline = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    kwargs = {
        "actor": world.commissioner,
        "region": world.region,
        "title": "Housing support in Durham",
        "summary": "Help to find and keep a home.",
        "categories": list(ServiceCategory.objects.filter(slug="women")),
        "funding_mechanism": "grant",
        "funding_reason": "Small local services.",
        "term_start": (deadline + timedelta(days=60)).date(),
        "term_months": 12,
        "questions_close_at": deadline - timedelta(days=5),
        "deadline_at": deadline,
        "expected_award_on": (deadline + timedelta(days=14)).date(),
    }
    kwargs.update(overrides)
    return kwargs


def test_a_commissioner_cannot_create_a_call_off_outside_their_region(world):
    other = Region.objects.exclude(pk=world.region.pk).first()
    with pytest.raises(ValidationError) as caught:
        services.create_call_off(**_create_kwargs(world, region=other))
    assert "region" in caught.value.message_dict
    assert not CallOff.objects.exists()


def test_questions_closing_after_the_deadline_are_refused_not_a_database_error(world):
    kwargs = _create_kwargs(world)
    kwargs["questions_close_at"] = kwargs["deadline_at"] + timedelta(hours=1)
    with pytest.raises(ValidationError) as caught:
        services.create_call_off(**kwargs)
    assert "questions_close_at" in caught.value.message_dict
    assert not CallOff.objects.exists()


def test_creating_writes_an_audit_event(world):
    call_off = services.create_call_off(**_create_kwargs(world))
    event = _events(call_off, "calloffs.call_off_created").get()
    assert event.actor == world.commissioner
    assert event.after["title"] == "Housing support in Durham"


def test_weights_not_adding_up_to_100_block_sending_for_approval(world):
    call_off = world.draft(price_weight=30, social=5)  # 60 + 30 + 5 = 95
    with pytest.raises(ValidationError) as caught:
        services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    assert "make 95" in caught.value.message_dict["weights"][0]
    call_off.refresh_from_db()
    assert call_off.submitted_for_approval_at is None
    assert not _events(call_off, "calloffs.submitted_for_approval").exists()


def test_the_sender_cannot_publish_but_a_second_commissioner_can(world):
    call_off = world.draft()
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    assert _events(call_off, "calloffs.submitted_for_approval").get().actor == world.commissioner
    with pytest.raises(ValidationError, match="A second commissioner must approve"):
        services.approve_and_publish(actor=world.commissioner, call_off=call_off)
    call_off.refresh_from_db()
    assert call_off.published_at is None
    services.approve_and_publish(actor=world.approver, call_off=call_off)
    call_off.refresh_from_db()
    assert call_off.published_by == world.approver
    assert call_off.status == CallOff.Status.PUBLISHED
    assert _events(call_off, "calloffs.published").get().actor == world.approver


def test_a_commissioner_of_another_region_cannot_approve(world):
    call_off = world.draft()
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    elsewhere = user_with_role("commissioner", regions=[Region.objects.exclude(pk=world.region.pk).first()])
    with pytest.raises(ValidationError, match="Only commissioners for North East"):
        services.approve_and_publish(actor=elsewhere, call_off=call_off)
    call_off.refresh_from_db()
    assert call_off.published_at is None


def test_sending_back_needs_a_reason_and_makes_it_a_draft_again(world):
    call_off = world.draft()
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    with pytest.raises(ValidationError) as caught:
        services.return_to_draft(actor=world.approver, call_off=call_off, reason="  ")
    assert "reason" in caught.value.message_dict
    services.return_to_draft(actor=world.approver, call_off=call_off, reason="Add the specification.")
    call_off.refresh_from_db()
    assert call_off.status == CallOff.Status.DRAFT
    assert _events(call_off, "calloffs.returned_to_draft").get().after == {"reason": "Add the specification."}


def test_an_amendment_changes_the_summary_and_the_lot_values(world):
    call_off = world.published()
    lot = call_off.lots.get()
    years = [
        {
            "financial_year": y.financial_year,
            "max_value_pence": y.max_value_pence + pounds(5_000),
            "expected_people": 50,
        }
        for y in lot.years.all()
    ]
    amendment = services.amend_call_off(
        actor=world.commissioner,
        call_off=call_off,
        summary="The summary and the values changed.",
        call_off_summary="Support for women on probation across County Durham.",
        lot_years={lot.pk: years},
    )
    call_off.refresh_from_db()
    assert call_off.summary == "Support for women on probation across County Durham."
    assert [y.max_value_pence for y in lot.years.all()] == [pounds(105_000), pounds(125_000)]
    assert set(amendment.changes) == {"summary", "lot 1 values"}
    assert _events(call_off, "calloffs.amended").get().after["number"] == 1


def test_a_call_off_cannot_be_amended_after_its_deadline(world):
    call_off = world.published()
    with (
        after_deadline(call_off),
        pytest.raises(ValidationError, match="only be amended while it is open for bids"),
    ):
        services.amend_call_off(
            actor=world.commissioner, call_off=call_off, summary="Later", title="A new title after the deadline"
        )
    assert not Amendment.objects.filter(call_off=call_off).exists()
    call_off.refresh_from_db()
    assert call_off.title != "A new title after the deadline"


def test_a_call_off_cannot_be_cancelled_twice(world):
    call_off = world.published()
    services.cancel_call_off(actor=world.commissioner, call_off=call_off, reason="The money is no longer there.")
    with pytest.raises(ValidationError, match="already ended"):
        services.cancel_call_off(actor=world.approver, call_off=call_off, reason="Again.")
    call_off.refresh_from_db()
    assert call_off.cancelled_by == world.commissioner
    assert call_off.cancelled_reason == "The money is no longer there."
    assert _events(call_off, "calloffs.cancelled").count() == 1


def test_no_award_only_after_the_deadline(world):
    call_off = world.published()
    with pytest.raises(ValidationError, match="only after its deadline"):
        services.close_with_no_award(actor=world.commissioner, call_off=call_off, reason="No bids.")
    with after_deadline(call_off):
        services.close_with_no_award(actor=world.commissioner, call_off=call_off, reason="No bids.")
        call_off.refresh_from_db()
        assert call_off.status == CallOff.Status.NO_AWARD
    assert _events(call_off, "calloffs.closed_with_no_award").count() == 1


def test_a_copy_keeps_the_lots_values_and_questions(world):
    source = world.draft(lots=(("pcc_area", ["durham"]), ("areas", ["northumbria", "cleveland"])))
    copy = services.copy_call_off(actor=world.approver, call_off=source)
    assert copy.pk != source.pk and copy.copied_from == source
    assert copy.status == CallOff.Status.DRAFT
    assert copy.created_by == world.approver

    def lots(call_off):
        return [
            (
                lot.position,
                lot.name,
                lot.kind,
                sorted(a.slug for a in lot.pcc_areas.all()),
                [(y.financial_year, y.max_value_pence, y.expected_people) for y in lot.years.all()],
            )
            for lot in call_off.lots.order_by("position")
        ]

    assert lots(copy) == lots(source)
    assert [(q.question, q.guidance, q.word_limit, q.weight) for q in copy.quality_questions.all()] == [
        (q.question, q.guidance, q.word_limit, q.weight) for q in source.quality_questions.all()
    ]
    assert set(copy.categories.all()) == set(source.categories.all())
    assert _events(copy, "calloffs.copied").get().after["from"] == source.reference


def test_a_question_is_answered_once(world, django_capture_on_commit_callbacks):
    call_off = world.published()
    org = world.providers[0]
    question = services.ask_question(
        actor=world.admin(org), call_off=call_off, organisation=org, question="Can we use our own building?"
    )
    services.answer_question(
        actor=world.commissioner, question=question, published_question="Can a building be shared?", answer="Yes."
    )
    with pytest.raises(ValidationError, match="already been answered"):
        services.answer_question(actor=world.approver, question=question, published_question="Q", answer="No.")
    question.refresh_from_db()
    assert question.answer == "Yes."
    event = AuditEvent.objects.get(action="calloffs.question_answered")
    assert org.name not in str(event.after)
