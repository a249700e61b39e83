"""The evaluation and award pages: sealed until the deadline (404 for everyone), only the number of bids until the
panel is formed, conflicts of interest, independent scoring (nobody sees another evaluator's scores before
submitting their own), moderation only when everyone has submitted, the results as evaluation.results() works them
out, four-eyes approval, the standstill and the contract with the winning bid's supply chain."""

import html as html_module
from datetime import timedelta

import pytest
from django.urls import reverse

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import evaluation, services
from dynamic_framework.calloffs.models import (
    AwardLetter,
    ConflictDeclaration,
    ConsensusScore,
    PanelMember,
    Score,
    ScoreSheet,
)
from dynamic_framework.calloffs.tests.factories import after_deadline, evaluate, travel
from dynamic_framework.contracts.models import Contract, SupplyChainMember
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.tests.factories import ProviderFactory

PAGES = ["evaluation", "panel", "results", "recommend", "approve-award", "confirm-award", "letters"]
BID_PAGES = ["declare", "score", "moderate"]
POST_ONLY = {"recommend", "confirm-award"}
GET_ONLY = {"evaluation", "results", "letters"}


def body(response) -> str:
    return html_module.unescape(response.content.decode())


def page(name, call_off, **kwargs):
    return reverse(f"calloffs:{name}", kwargs={"reference": call_off.reference, **kwargs})


def key(question) -> str:
    return str(question.pk) if question is not None else "social-value"


def score_data(call_off, score=3, justification="Clear evidence of women-only delivery.", action="save") -> dict:
    data = {"action": action}
    for question in services.criteria(call_off):
        data[f"answer-{key(question)}-score"] = str(score)
        data[f"answer-{key(question)}-justification"] = justification
    return data


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def subcontractor(world):
    return ProviderFactory(name="Tiny Mentors CIC")


@pytest.fixture
def bids(world, call_off, subcontractor):
    """The first bid names a subcontractor in its supply chain; the second is cheaper."""
    first = world.bid(
        world.providers[0],
        call_off,
        prices=(90_000, 110_000),
        supply_chain=[
            {
                "organisation": subcontractor.pk,
                "role": "Peer mentoring",
                "share_type": "percent",
                "share_value": 1500,
                "payment_terms": "pass_through",
                "material": True,
            }
        ],
    )
    second = world.bid(world.providers[1], call_off, prices=(80_000, 100_000))
    return first, second


def form_panel(world, call_off):
    services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)


def score_and_submit(evaluator, call_off, bid, score=3, justification="Evidence"):
    services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=bid, has_conflict=False)
    for question in services.criteria(call_off):
        services.score_answer(
            actor=evaluator, call_off=call_off, bid=bid, question=question, score=score, justification=justification
        )
    services.submit_score_sheet(actor=evaluator, call_off=call_off, bid=bid)


# Sealed until the deadline --------------------------------------------------------------------------------------------


def test_every_page_is_404_before_the_deadline_for_everyone(world, call_off, bids, client):
    first, _second = bids
    platform_admin = user_with_role("platform_administrator")
    people = [None, world.commissioner, world.approver, *world.evaluators, world.manager, platform_admin]
    people += [world.admin(org) for org in world.providers]
    names = {org.name for org in world.providers}
    for person in people:
        client.logout()
        if person is not None:
            client.force_login(person)
        for name in PAGES:
            url = page(name, call_off)
            methods = ("post",) if name in POST_ONLY else ("get",) if name in GET_ONLY else ("get", "post")
            for method in methods:
                response = getattr(client, method)(url)
                assert response.status_code == 404, f"{method} {url} as {person}: {response.status_code}"
                assert not any(name in body(response) for name in names)
        for name in BID_PAGES:
            for method in ("get", "post"):
                response = getattr(client, method)(page(name, call_off, bid=first.pk))
                assert response.status_code == 404, f"{method} {name} as {person}"
                assert world.providers[0].name not in body(response)


def test_an_unknown_reference_or_bid_is_404(world, call_off, bids, client):
    with after_deadline(call_off):
        form_panel(world, call_off)
        as_user(client, world.commissioner)
        assert client.get(reverse("calloffs:evaluation", kwargs={"reference": "DFC-NONE-NONE"})).status_code == 404
        assert client.get(page("moderate", call_off, bid=999_999)).status_code == 404
        as_user(client, world.evaluators[0])
        assert client.get(page("declare", call_off, bid=999_999)).status_code == 404


# Only the number of bids until the panel is formed --------------------------------------------------------------------


def test_commissioners_see_only_the_number_of_bids_until_the_panel_is_formed(world, call_off, bids, client):
    first, _second = bids
    names = [org.name for org in world.providers]
    with after_deadline(call_off):
        as_user(client, world.commissioner)
        for name in ("evaluation", "panel", "results", "approve-award", "letters"):
            response = client.get(page(name, call_off))
            assert response.status_code == 200, name
            text = body(response)
            assert not any(n in text for n in names), f"{name} names a bidder before the panel is formed"
        overview = body(client.get(page("evaluation", call_off)))
        assert "2 bids received by the deadline" in overview
        assert "Form the evaluation panel" in overview
        assert client.get(page("moderate", call_off, bid=first.pk)).status_code == 404


def test_forming_the_panel(world, call_off, bids, client):
    outsider = user_with_role("provider_administrator")
    with after_deadline(call_off):
        as_user(client, world.commissioner)
        form = body(client.get(page("panel", call_off)))
        for evaluator in world.evaluators:
            assert evaluator.email in form
        assert outsider.email not in form
        response = client.post(page("panel", call_off), {})
        assert response.status_code == 200
        assert "Choose at least one evaluator" in body(response)
        assert not PanelMember.objects.filter(call_off=call_off).exists()
        response = client.post(page("panel", call_off), {"members": [str(outsider.pk)]})
        assert "Choose evaluators from the list" in body(response)
        response = client.post(page("panel", call_off), {"members": [str(u.pk) for u in world.evaluators]})
        assert response.status_code == 302 and response["Location"] == page("evaluation", call_off)
        assert set(PanelMember.objects.filter(call_off=call_off).values_list("user_id", flat=True)) == {
            u.pk for u in world.evaluators
        }
        overview = body(client.get(page("evaluation", call_off)))
        for org in world.providers:
            assert org.name in overview
        assert overview.count("Not declared yet") == 4  # two evaluators, two bids
        # Someone added later
        later = user_with_role("evaluator", email="later@example.org")
        assert later.email in body(client.get(page("panel", call_off)))
        response = client.post(page("panel", call_off), {"members": [str(later.pk)]})
        assert response.status_code == 302
        assert PanelMember.objects.filter(call_off=call_off, user=later).exists()


def test_who_may_see_the_evaluation(world, call_off, bids, client):
    first, _second = bids
    elsewhere = user_with_role("commissioner", regions=[Region.objects.get(code="B")])
    not_on_panel = user_with_role("evaluator")
    with after_deadline(call_off):
        form_panel(world, call_off)
        client.logout()
        response = client.get(page("evaluation", call_off))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
        for person in (elsewhere, not_on_panel, world.manager, world.admin(world.providers[0])):
            as_user(client, person)
            for name in ("evaluation", "panel", "results", "letters", "approve-award"):
                assert client.get(page(name, call_off)).status_code == 403, (name, person)
            assert client.get(page("declare", call_off, bid=first.pk)).status_code == 403
        # Evaluators see only their own pages, commissioners only theirs
        as_user(client, world.evaluators[0])
        assert client.get(page("evaluation", call_off)).status_code == 200
        assert client.get(page("panel", call_off)).status_code == 403
        assert client.get(page("moderate", call_off, bid=first.pk)).status_code == 403
        as_user(client, world.commissioner)
        assert client.get(page("declare", call_off, bid=first.pk)).status_code == 403
        assert client.get(page("score", call_off, bid=first.pk)).status_code == 403


# Conflicts of interest ------------------------------------------------------------------------------------------------


def test_declaring_shows_the_bidder_and_its_supply_chain_and_a_conflict_removes_the_evaluator(
    world, call_off, bids, subcontractor, client
):
    first, _second = bids
    evaluator = world.evaluators[0]
    with after_deadline(call_off):
        form_panel(world, call_off)
        as_user(client, evaluator)
        overview = body(client.get(page("evaluation", call_off)))
        assert "Declare any conflict of interest" in overview
        text = body(client.get(page("declare", call_off, bid=first.pk)))
        assert world.providers[0].name in text and subcontractor.name in text
        assert "Do you have a conflict of interest with any of these organisations?" in text
        assert "women-only centre with trauma-informed staff" not in text  # not the bid itself, yet
        # Yes without saying what: refused, nothing stored
        response = client.post(page("declare", call_off, bid=first.pk), {"has_conflict": "yes", "note": " "})
        assert response.status_code == 200 and "Say what the conflict of interest is" in body(response)
        response = client.post(page("declare", call_off, bid=first.pk), {})
        assert "Say whether you have a conflict of interest" in body(response)
        assert not ConflictDeclaration.objects.exists()
        # Before declaring, scoring sends them to the declaration
        response = client.get(page("score", call_off, bid=first.pk))
        assert response["Location"] == page("declare", call_off, bid=first.pk)
        response = client.post(
            page("declare", call_off, bid=first.pk), {"has_conflict": "yes", "note": "I volunteer for Tiny Mentors"}
        )
        assert response.status_code == 302 and response["Location"] == page("evaluation", call_off)
        overview = body(client.get(page("evaluation", call_off)))
        assert "You are removed from this bid" in overview
        assert "Conflict of interest: not scoring" in overview
        assert [m.user for m in services.evaluators_for(call_off, first)] == []
        response = client.get(page("score", call_off, bid=first.pk))
        assert response.status_code == 302 and response["Location"] == page("evaluation", call_off)
        # A second declaration is refused with the service's message
        response = client.post(page("declare", call_off, bid=first.pk), {"has_conflict": "no"})
        assert "You have already made your declaration" in body(response)
        assert ConflictDeclaration.objects.get().has_conflict is True
        # The commissioner sees the conflict in the progress; moderation does not wait for them
        score_and_submit(world.evaluators[1], call_off, first)
        as_user(client, world.commissioner)
        overview = body(client.get(page("evaluation", call_off)))
        assert "Conflict of interest: not scoring" in overview
        moderation = body(client.get(page("moderate", call_off, bid=first.pk)))
        assert "Record the score the panel agreed" in moderation


def test_no_conflict_leads_to_scoring(world, call_off, bids, client):
    first, _second = bids
    with after_deadline(call_off):
        form_panel(world, call_off)
        as_user(client, world.evaluators[0])
        response = client.post(page("declare", call_off, bid=first.pk), {"has_conflict": "no", "note": ""})
        assert response.status_code == 302 and response["Location"] == page("score", call_off, bid=first.pk)
        declaration = ConflictDeclaration.objects.get()
        assert declaration.has_conflict is False and declaration.note == ""


# Scoring --------------------------------------------------------------------------------------------------------------


def test_scoring_shows_the_answers_guidance_and_scale_and_saves_then_submits(world, call_off, bids, client):
    first, _second = bids
    evaluator = world.evaluators[0]
    question = call_off.quality_questions.get()
    with after_deadline(call_off):
        form_panel(world, call_off)
        services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=first, has_conflict=False)
        as_user(client, evaluator)
        text = body(client.get(page("score", call_off, bid=first.pk)))
        assert "We run a women-only centre with trauma-informed staff." in text
        assert "We employ local women with lived experience." in text  # social value has a weight
        assert question.guidance in text
        assert "4: Excellent: a strong, well-evidenced answer that adds value" in text
        assert "Submit my scores" in text
        url = page("score", call_off, bid=first.pk)
        # A score without a reason (and a good row next to it): refused, nothing stored
        data = score_data(call_off)
        data["answer-social-value-justification"] = ""
        response = client.post(url, data)
        assert response.status_code == 200 and "Write why you gave this score" in body(response)
        assert "Clear evidence of women-only delivery." in body(response)  # what was typed is kept
        assert not Score.objects.exists()
        data = score_data(call_off)
        data[f"answer-{question.pk}-score"] = "9"
        assert "Choose a score from 0 to 4" in body(client.post(url, data))
        assert not Score.objects.exists()
        # Save one answer only
        response = client.post(
            url,
            {"action": "save", f"answer-{question.pk}-score": "2", f"answer-{question.pk}-justification": "Some"},
        )
        assert response.status_code == 302
        assert Score.objects.get().score == 2
        assert "You have scored 1 of 2 answers" in body(client.get(url))
        # Submitting needs every answer
        response = client.post(
            url,
            {"action": "submit", f"answer-{question.pk}-score": "2", f"answer-{question.pk}-justification": "Some"},
        )
        assert response.status_code == 200 and "Choose a score from 0 to 4" in body(response)
        assert not ScoreSheet.objects.exists()
        response = client.post(url, score_data(call_off, score=4, action="submit"))
        assert response.status_code == 302
        assert ScoreSheet.objects.filter(bid=first).count() == 1
        assert set(Score.objects.values_list("score", flat=True)) == {4}
        text = body(client.get(url))
        assert "They are final" in text and "Submit my scores" not in text
        response = client.post(url, score_data(call_off, score=1))
        assert "they cannot change" in body(response)
        assert set(Score.objects.values_list("score", flat=True)) == {4}
        assert "Scores submitted" in body(client.get(page("evaluation", call_off)))


def test_other_evaluators_scores_are_hidden_until_you_submit_your_own(world, call_off, bids, client):
    first, _second = bids
    alex, sam = world.evaluators
    with after_deadline(call_off):
        form_panel(world, call_off)
        # Sam submits first
        score_and_submit(sam, call_off, first, score=1, justification="Sam thinks the evidence is thin")
        # Alex, not yet submitted, sees nothing of Sam's: not the reasons, not the scores, not the name
        services.declare_bid_conflict(actor=alex, call_off=call_off, bid=first, has_conflict=False)
        as_user(client, alex)
        url = page("score", call_off, bid=first.pk)
        text = body(client.get(url))
        assert "Sam thinks the evidence is thin" not in text
        assert sam.email not in text and (not sam.full_name or sam.full_name not in text)
        assert "Other evaluators' scores" not in text
        overview = body(client.get(page("evaluation", call_off)))
        assert "Sam thinks the evidence is thin" not in overview and sam.email not in overview
        # Alex saves (not submitted): Sam, who has submitted, still does not see Alex's unsubmitted scores
        client.post(url, score_data(call_off, score=3, justification="Alex sees strong evidence"))
        as_user(client, sam)
        text = body(client.get(url))
        assert "Alex sees strong evidence" not in text
        assert "No other evaluator has submitted their scores yet" in text
        # Alex submits: now each sees the other's
        as_user(client, alex)
        client.post(url, score_data(call_off, score=3, justification="Alex sees strong evidence", action="submit"))
        text = body(client.get(url))
        assert "Sam thinks the evidence is thin" in text
        as_user(client, sam)
        assert "Alex sees strong evidence" in body(client.get(url))


def test_the_commissioner_sees_progress_but_not_scores_before_moderation(world, call_off, bids, client):
    first, _second = bids
    alex, sam = world.evaluators
    with after_deadline(call_off):
        form_panel(world, call_off)
        score_and_submit(sam, call_off, first, score=1, justification="Sam thinks the evidence is thin")
        services.declare_bid_conflict(actor=alex, call_off=call_off, bid=first, has_conflict=False)
        services.score_answer(
            actor=alex,
            call_off=call_off,
            bid=first,
            question=call_off.quality_questions.get(),
            score=3,
            justification="Alex draft",
        )
        as_user(client, world.commissioner)
        overview = body(client.get(page("evaluation", call_off)))
        assert "Scores submitted" in overview and "Scoring: 1 of 2 answers scored" in overview
        assert "Sam thinks the evidence is thin" not in overview and "Alex draft" not in overview


# Moderation -----------------------------------------------------------------------------------------------------------


def test_moderation_is_refused_until_every_evaluator_has_submitted(world, call_off, bids, client):
    first, _second = bids
    alex, sam = world.evaluators
    question = call_off.quality_questions.get()
    with after_deadline(call_off):
        form_panel(world, call_off)
        score_and_submit(sam, call_off, first, score=2, justification="Sam: satisfactory")
        as_user(client, world.commissioner)
        url = page("moderate", call_off, bid=first.pk)
        text = body(client.get(url))
        assert "Moderation starts when every evaluator" in text
        assert "Sam: satisfactory" not in text  # no scores shown yet
        assert "Not declared yet" in text
        data = {"criterion": key(question), f"agree-{question.pk}-score": "3", f"agree-{question.pk}-reason": "Agreed"}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Every evaluator must submit their scores for this bid before moderation" in body(response)
        assert not ConsensusScore.objects.exists()
        # Alex declares and scores but has not submitted: still refused (by the service too)
        services.declare_bid_conflict(actor=alex, call_off=call_off, bid=first, has_conflict=False)
        assert "Every evaluator must submit" in body(client.post(url, data))
        assert not ConsensusScore.objects.exists()
        for q in services.criteria(call_off):
            services.score_answer(
                actor=alex, call_off=call_off, bid=first, question=q, score=4, justification="Alex: excellent"
            )
        services.submit_score_sheet(actor=alex, call_off=call_off, bid=first)
        text = body(client.get(url))
        assert "Sam: satisfactory" in text and "Alex: excellent" in text  # side by side
        # Bad input: no reason; an unknown answer is 404
        response = client.post(url, {**data, f"agree-{question.pk}-reason": ""})
        assert "Write the reason for the agreed score" in body(response)
        assert client.post(url, {**data, "criterion": "nonsense"}).status_code == 404
        assert "Choose an answer" in body(client.post(url, {}))
        assert not ConsensusScore.objects.exists()
        response = client.post(url, data)
        assert response.status_code == 302
        consensus = ConsensusScore.objects.get()
        assert (consensus.question, consensus.score, consensus.reason) == (question, 3, "Agreed")
        assert "Agreed: 3 out of 4" in body(client.get(page("evaluation", call_off)))


# Results --------------------------------------------------------------------------------------------------------------


def test_the_results_page_shows_what_evaluation_results_works_out(world, call_off, bids, client):
    first, second = bids
    with after_deadline(call_off):
        form_panel(world, call_off)
        as_user(client, world.commissioner)
        text = body(client.get(page("results", call_off)))
        assert "Bids not moderated yet" in text
        assert world.providers[0].name in text and world.providers[1].name in text
        # Panel members see the results only once every sheet is submitted
        as_user(client, world.evaluators[0])
        assert client.get(page("results", call_off)).status_code == 403
    with after_deadline(call_off, seconds=120):
        for evaluator in world.evaluators:
            for bid in (first, second):
                score_and_submit(evaluator, call_off, bid, score=3 if bid == first else 1)
        assert client.get(page("results", call_off)).status_code == 200
        for bid, agreed in ((first, 3), (second, 1)):  # the second: 25% of the quality marks, below 50%
            for question in services.criteria(call_off):
                services.record_consensus(
                    actor=world.commissioner, call_off=call_off, bid=bid, question=question, score=agreed, reason="A"
                )
        outcome = evaluation.results(call_off)
        as_user(client, world.commissioner)
        text = body(client.get(page("results", call_off)))
    (lot,) = outcome.lots
    (winner,) = lot.ranked
    assert winner.bid.pk == first.pk
    for value in (winner.quality, winner.social_value, winner.price, winner.total):
        assert evaluation.show(value) in text
    assert "£200,000" in text
    assert evaluation.show(winner.total) == "82.50"  # 45 + 7.50 + 30 (the only compliant bid is the lowest)
    (excluded,) = lot.excluded
    assert excluded.excluded in text and "below the minimum of 50%" in text
    assert "lowest price ÷ this bid's price × the price weight" in text
    assert "Tie-break rule" in text and "then the bid submitted first" in text
    assert "Bids not moderated yet" not in text
    assert "<caption" in text


# The award ------------------------------------------------------------------------------------------------------------


def test_recommend_approve_with_four_eyes_then_confirm_after_the_standstill(
    world, call_off, bids, subcontractor, client
):
    first, second = bids
    with after_deadline(call_off):
        form_panel(world, call_off)
        as_user(client, world.commissioner)
        # Not yet moderated: the service's message on the page
        response = client.post(page("recommend", call_off))
        assert response.status_code == 200
        assert "Record the agreed scores for every bid before recommending an award" in body(response)
        assert client.get(page("recommend", call_off)).status_code == 405
        for evaluator in world.evaluators:
            for bid in (first, second):
                score_and_submit(evaluator, call_off, bid, score=4 if bid == first else 3)
        for bid in (first, second):
            for question in services.criteria(call_off):
                services.record_consensus(
                    actor=world.commissioner,
                    call_off=call_off,
                    bid=bid,
                    question=question,
                    score=4 if bid == first else 3,
                    reason="Well evidenced" if bid == first else "Some gaps",
                )
        assert "Recommend the award" in body(client.get(page("evaluation", call_off)))
        response = client.post(page("recommend", call_off))
        assert response.status_code == 302
        call_off.refresh_from_db()
        assert call_off.award_recommended_by == world.commissioner
        # Four eyes: the recommender cannot approve
        text = body(client.get(page("approve-award", call_off)))
        assert "You recommended this award, so you cannot approve it" in text
        response = client.post(page("approve-award", call_off))
        assert response.status_code == 200
        assert "A second person must approve the award: you recommended it" in body(response)
        call_off.refresh_from_db()
        assert call_off.award_approved_at is None and not AwardLetter.objects.exists()
        # The second commissioner sees the winner and the letters that will be sent
        as_user(client, world.approver)
        text = body(client.get(page("approve-award", call_off)))
        assert world.providers[0].name in text
        assert "The letter to " + world.providers[1].name in text
        assert "We intend to award this lot to you" in text
        response = client.post(page("approve-award", call_off))
        assert response.status_code == 302
        call_off.refresh_from_db()
        assert call_off.award_approved_by == world.approver
        assert AwardLetter.objects.filter(call_off=call_off).count() == 2
        # During the standstill: confirmation refused with the service's message, and the end in UK time shown
        overview = body(client.get(page("evaluation", call_off)))
        from dynamic_framework.core.time import format_uk_datetime

        assert format_uk_datetime(call_off.standstill_ends_at) in overview
        response = client.post(page("confirm-award", call_off))
        assert response.status_code == 200
        assert "The standstill period ends at" in body(response)
        assert "the award can be confirmed after that" in body(response)
        call_off.refresh_from_db()
        assert call_off.awarded_at is None and not Contract.objects.exists()
        letters = body(client.get(page("letters", call_off)))
        assert "2 letters sent" in letters and "Your bid ranked first" in letters and "Some gaps" in letters
    with travel(call_off.standstill_ends_at + timedelta(minutes=1)):
        as_user(client, world.commissioner)
        assert "Confirm the award" in body(client.get(page("evaluation", call_off)))
        response = client.post(page("confirm-award", call_off))
        assert response.status_code == 302
        call_off.refresh_from_db()
        assert call_off.awarded_by == world.commissioner
        contract = Contract.objects.get(round__slug=f"call-off-{call_off.reference.lower()}")
        assert contract.lead_provider == world.providers[0]
        assert list(SupplyChainMember.objects.filter(contract=contract).values_list("organisation", flat=True)) == [
            subcontractor.pk
        ]
        overview = body(client.get(page("evaluation", call_off)))
        assert contract.reference in overview
        assert f"/insights/contracts/?round=call-off-{call_off.reference.lower()}" in overview
        assert "Award confirmed. 1 contract is in the contract register." in overview
        # Once awarded, the pages that changed things only explain
        assert "The award was approved on" in body(client.get(page("approve-award", call_off)))
        assert "already been confirmed" in body(client.post(page("confirm-award", call_off)))


def test_the_letters_page_lists_every_letter(world, call_off, bids, client):
    with after_deadline(call_off):
        evaluate(world, call_off)
        services.recommend_award(actor=world.commissioner, call_off=call_off)
        as_user(client, world.commissioner)
        assert "No letters have been sent yet" in body(client.get(page("letters", call_off)))
        services.approve_award(actor=world.approver, call_off=call_off)
        text = body(client.get(page("letters", call_off)))
    for letter in AwardLetter.objects.filter(call_off=call_off).select_related("bid__organisation"):
        assert letter.bid.organisation.name in text
        assert letter.body.splitlines()[0] in text


# Query counts: the overview and the letters do not grow with the number of bids ---------------------------------------


def _with_bids(count):
    from dynamic_framework.calloffs.tests.factories import CallOffWorld

    many = CallOffWorld.build(providers=count)
    call_off = many.published()
    for org in many.providers:
        many.bid(org, call_off)
    return many, call_off


@pytest.mark.parametrize("count", [2, 11])
def test_the_overview_and_letters_make_a_fixed_number_of_queries(
    reference_data, count, client, django_assert_max_num_queries
):
    many, call_off = _with_bids(count)
    with after_deadline(call_off):
        evaluate(many, call_off)
        services.recommend_award(actor=many.commissioner, call_off=call_off)
        services.approve_award(actor=many.approver, call_off=call_off)
        as_user(client, many.commissioner)
        with django_assert_max_num_queries(14):
            overview = client.get(page("evaluation", call_off))
        assert overview.status_code == 200 and body(overview).count("Scores submitted") == 2 * count
        with django_assert_max_num_queries(8):
            letters = client.get(page("letters", call_off))
        assert letters.status_code == 200 and f"{count} letters sent" in body(letters)
        as_user(client, many.evaluators[0])
        with django_assert_max_num_queries(14):
            assert client.get(page("evaluation", call_off)).status_code == 200


def test_social_value_is_scored_only_when_it_has_a_weight(world, client):
    call_off = world.published(social=0, price_weight=40)
    bid = world.bid(world.providers[0], call_off)
    with after_deadline(call_off):
        form_panel(world, call_off)
        services.declare_bid_conflict(actor=world.evaluators[0], call_off=call_off, bid=bid, has_conflict=False)
        as_user(client, world.evaluators[0])
        text = body(client.get(page("score", call_off, bid=bid.pk)))
        assert "Question 1" in text and "Social value" not in text
        assert 'name="answer-social-value-score"' not in text
        question = call_off.quality_questions.get()
        response = client.post(
            page("score", call_off, bid=bid.pk),
            {
                "action": "submit",
                f"answer-{question.pk}-score": "3",
                f"answer-{question.pk}-justification": "Good",
            },
        )
        assert response.status_code == 302
        assert ScoreSheet.objects.filter(bid=bid).exists()
