"""Evaluation: conflicts, independent scoring, moderation, the published price formula, exclusions, ranking, award."""

from datetime import timedelta
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.calloffs import evaluation, services
from dynamic_framework.calloffs.models import AwardLetter, ScoreSheet
from dynamic_framework.calloffs.tests.factories import after_deadline, evaluate, travel
from dynamic_framework.contracts.models import Contract


@pytest.fixture
def two_bids(world, call_off):
    first = world.bid(world.providers[0], call_off, prices=(90_000, 110_000))  # £200,000
    second = world.bid(world.providers[1], call_off, prices=(80_000, 100_000))  # £180,000, the lowest
    return first, second


def test_nothing_happens_before_the_deadline(world, call_off, two_bids):
    with pytest.raises(ValidationError, match="only be done after the deadline"):
        services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)


def test_the_panel_is_evaluators_and_each_declares_per_bid(world, call_off, two_bids):
    first, _second = two_bids
    with after_deadline(call_off):
        with pytest.raises(ValidationError, match="is not an evaluator"):
            services.form_panel(actor=world.commissioner, call_off=call_off, members=[world.manager])
        services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)
        question = call_off.quality_questions.get()
        evaluator = world.evaluators[0]
        with pytest.raises(ValidationError, match="Declare whether you have a conflict"):
            services.score_answer(
                actor=evaluator, call_off=call_off, bid=first, question=question, score=3, justification="Good"
            )
        services.declare_bid_conflict(
            actor=evaluator, call_off=call_off, bid=first, has_conflict=True, note="I volunteer there"
        )
        with pytest.raises(ValidationError, match="declared a conflict of interest"):
            services.score_answer(
                actor=evaluator, call_off=call_off, bid=first, question=question, score=3, justification="Good"
            )
        with pytest.raises(ValidationError, match="already made your declaration"):
            services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=first, has_conflict=False)
        assert [m.user for m in services.evaluators_for(call_off, first)] == []
        outsider = world.commissioner
        with pytest.raises(ValidationError, match="not on this call-off's evaluation panel"):
            services.declare_bid_conflict(actor=outsider, call_off=call_off, bid=first, has_conflict=False)


def test_scores_are_on_the_scale_justified_and_final_once_submitted(world, call_off, two_bids):
    first, _second = two_bids
    evaluator = world.evaluators[0]
    with after_deadline(call_off):
        services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)
        services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=first, has_conflict=False)
        question = call_off.quality_questions.get()
        with pytest.raises(ValidationError) as caught:
            services.score_answer(
                actor=evaluator, call_off=call_off, bid=first, question=question, score=5, justification=""
            )
        assert "justification" in caught.value.message_dict
        services.score_answer(
            actor=evaluator, call_off=call_off, bid=first, question=question, score=2, justification="Some evidence"
        )
        with pytest.raises(ValidationError, match="Score every answer"):
            services.submit_score_sheet(actor=evaluator, call_off=call_off, bid=first)
        services.score_answer(
            actor=evaluator, call_off=call_off, bid=first, question=None, score=3, justification="Local jobs"
        )
        services.submit_score_sheet(actor=evaluator, call_off=call_off, bid=first)
        assert ScoreSheet.objects.filter(bid=first).count() == 1
        with pytest.raises(ValidationError, match="cannot change"):
            services.score_answer(
                actor=evaluator, call_off=call_off, bid=first, question=question, score=4, justification="x"
            )


def test_moderation_waits_for_every_evaluator(world, call_off, two_bids):
    first, _second = two_bids
    with after_deadline(call_off):
        services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)
        question = call_off.quality_questions.get()
        services.declare_bid_conflict(actor=world.evaluators[0], call_off=call_off, bid=first, has_conflict=False)
        with pytest.raises(ValidationError, match="Every panel member must declare"):
            services.record_consensus(
                actor=world.commissioner, call_off=call_off, bid=first, question=question, score=3, reason="Agreed"
            )
        services.declare_bid_conflict(actor=world.evaluators[1], call_off=call_off, bid=first, has_conflict=False)
        with pytest.raises(ValidationError, match="Every evaluator must submit"):
            services.record_consensus(
                actor=world.commissioner, call_off=call_off, bid=first, question=question, score=3, reason="Agreed"
            )


def test_the_published_price_formula_and_ranking(world, call_off, two_bids):
    first, second = two_bids
    with after_deadline(call_off):
        evaluate(world, call_off, scores={first.pk: 4, second.pk: 3})
        results = evaluation.results(call_off)
    (lot,) = results.lots
    by_bid = {r.bid.pk: r for r in lot.ranked}
    # Quality 60 and social value 10: 4/4 of the weight for the first bid, 3/4 for the second.
    assert by_bid[first.pk].quality == 60 and by_bid[first.pk].social_value == 10
    assert by_bid[second.pk].quality == 45 and by_bid[second.pk].social_value == Fraction(15, 2)
    # Price 30: the lowest price scores 30; the other lowest / its price x 30 = 180,000 / 200,000 x 30 = 27.
    assert by_bid[second.pk].price == 30
    assert by_bid[first.pk].price == 27
    assert [r.bid.pk for r in lot.ranked] == [first.pk, second.pk]  # 97 beats 82.5
    assert evaluation.show(by_bid[second.pk].total) == "82.50"


def test_a_bid_below_the_minimum_quality_is_excluded_and_does_not_set_the_lowest_price(world, call_off, two_bids):
    first, second = two_bids
    with after_deadline(call_off):
        evaluate(world, call_off, scores={first.pk: 3, second.pk: 1})  # 25% of the quality marks < 50%
        results = evaluation.results(call_off)
    (lot,) = results.lots
    assert [r.bid.pk for r in lot.ranked] == [first.pk]
    (excluded,) = lot.excluded
    assert excluded.bid.pk == second.pk and "below the minimum of 50%" in excluded.excluded
    assert lot.ranked[0].price == 30  # the only compliant bid is the lowest


def test_ties_are_broken_by_the_published_rule(world, call_off):
    first = world.bid(world.providers[0], call_off, prices=(90_000, 110_000))
    second = world.bid(world.providers[1], call_off, prices=(90_000, 110_000))
    with after_deadline(call_off):
        evaluate(world, call_off)
        results = evaluation.results(call_off)
    (lot,) = results.lots
    assert lot.ranked[0].total == lot.ranked[1].total
    assert [r.bid.pk for r in lot.ranked] == [first.pk, second.pk]  # equal on everything: submitted first wins


def test_an_unconfirmed_bid_after_an_amendment_is_excluded(world, call_off, two_bids):
    first, second = two_bids
    services.amend_call_off(
        actor=world.commissioner, call_off=call_off, summary="Clearer wording", title=call_off.title + " (revised)"
    )
    services.submit_bid(actor=world.admin(world.providers[1]), bid=second, idempotency_key="after-amendment")
    with after_deadline(call_off):
        evaluate(world, call_off)
        results = evaluation.results(call_off)
    (lot,) = results.lots
    assert [r.bid.pk for r in lot.ranked] == [second.pk]
    assert "submitted before the call-off changed" in lot.excluded[0].excluded


def test_award_four_eyes_letters_standstill_and_contract(world, call_off, two_bids):
    first, second = two_bids
    with after_deadline(call_off):
        services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)
        with pytest.raises(ValidationError, match="Record the agreed scores"):
            services.recommend_award(actor=world.commissioner, call_off=call_off)
        for evaluator in world.evaluators:
            for bid in (first, second):
                services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=bid, has_conflict=False)
                for question in services.criteria(call_off):
                    services.score_answer(
                        actor=evaluator,
                        call_off=call_off,
                        bid=bid,
                        question=question,
                        score=4 if bid == first else 3,
                        justification="Evidence",
                    )
                services.submit_score_sheet(actor=evaluator, call_off=call_off, bid=bid)
        for bid in (first, second):
            for question in services.criteria(call_off):
                services.record_consensus(
                    actor=world.commissioner,
                    call_off=call_off,
                    bid=bid,
                    question=question,
                    score=4 if bid == first else 3,
                    reason="Agreed",
                )
        services.recommend_award(actor=world.commissioner, call_off=call_off)
        with pytest.raises(ValidationError, match="A second person must approve"):
            services.approve_award(actor=world.commissioner, call_off=call_off)
        services.approve_award(actor=world.approver, call_off=call_off)
        call_off.refresh_from_db()
        assert call_off.status == "standstill"
        letters = {letter.bid_id: letter.body for letter in AwardLetter.objects.filter(call_off=call_off)}
        assert "We intend to award this lot to you" in letters[first.pk]
        assert "ranked 2 of 2" in letters[second.pk] and "The winning bid's scores" in letters[second.pk]
        with pytest.raises(ValidationError, match="standstill period ends"):
            services.confirm_award(actor=world.commissioner, call_off=call_off)
    ends = call_off.standstill_ends_at
    with travel(ends + timedelta(minutes=1)):
        services.confirm_award(actor=world.commissioner, call_off=call_off)
    call_off.refresh_from_db()
    assert call_off.status == "awarded"
    contract = Contract.objects.get(round__slug=f"call-off-{call_off.reference.lower()}")
    assert contract.lead_provider == first.organisation
    assert contract.award.value_pence == 20_000_000
    assert contract.pcc_area.slug == "durham" and contract.lot_type == "womens_services"
    assert contract.start_date == call_off.term_start
    assert contract.allows_female is True and contract.allows_male is False


def test_standstill_ends_at_midnight_uk_after_the_last_calendar_day():
    from datetime import datetime

    from dynamic_framework.core.time import UK

    approved = datetime(2026, 3, 20, 15, 0, tzinfo=UK)
    end = services.standstill_end(approved, 10)
    assert end == datetime(2026, 3, 31, 0, 0, tzinfo=UK)  # 10 whole days: 21 to 30 March
    assert end.utcoffset() == timedelta(hours=1)  # British Summer Time has started by then
    assert services.standstill_end(approved, 0) == approved


def test_no_award_and_cancel(world, call_off, two_bids):
    with pytest.raises(ValidationError, match="only after its deadline"):
        services.close_with_no_award(actor=world.commissioner, call_off=call_off, reason="No good bids")
    with after_deadline(call_off):
        services.close_with_no_award(actor=world.commissioner, call_off=call_off, reason="No compliant bids")
        call_off.refresh_from_db()
        assert call_off.status == "no_award"
        with pytest.raises(ValidationError, match="already ended"):
            services.cancel_call_off(actor=world.commissioner, call_off=call_off, reason="x")
