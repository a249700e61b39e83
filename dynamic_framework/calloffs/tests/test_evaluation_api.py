"""The evaluation API (/api/v1/evaluations/): sealed until the deadline, and then the whole journey, from forming
the panel to the contract, for the same people as the pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import evaluation, services
from dynamic_framework.calloffs.models import ConflictDeclaration, ConsensusScore, PanelMember, Score, ScoreSheet
from dynamic_framework.calloffs.tests.factories import after_deadline, travel
from dynamic_framework.contracts.models import Contract, SupplyChainMember
from dynamic_framework.organisations.tests.factories import ProviderFactory


@pytest.fixture
def subcontractor(world):
    return ProviderFactory(name="Tiny Mentors CIC")


@pytest.fixture
def bids(world, call_off, subcontractor):
    first = world.bid(
        world.providers[0],
        call_off,
        prices=(90_000, 110_000),
        supply_chain=[
            {
                "organisation": subcontractor.pk,
                "role": "Peer mentoring",
                "share_type": "amount",
                "share_value": 1_000_000,
                "payment_terms": "fixed_fee",
                "material": False,
            }
        ],
    )
    second = world.bid(world.providers[1], call_off, prices=(80_000, 100_000))
    return first, second


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def url(name, call_off, **kwargs):
    return reverse(f"api:evaluation-{name}", kwargs={"reference": call_off.reference, **kwargs})


def all_scores(call_off, score, justification="Evidence"):
    return [
        {"question": q.position if q else None, "score": score, "justification": justification}
        for q in services.criteria(call_off)
    ]


def test_every_endpoint_is_404_before_the_deadline_for_everyone(world, call_off, bids):
    first, _second = bids
    people = [None, world.commissioner, world.approver, *world.evaluators, world.manager]
    people += [user_with_role("platform_administrator"), world.admin(world.providers[0])]
    endpoints = [
        ("get", url("detail", call_off)),
        ("get", url("results", call_off)),
        ("get", url("bid", call_off, bid=first.pk)),
        ("post", url("panel", call_off)),
        ("post", url("declaration", call_off, bid=first.pk)),
        ("post", url("scores", call_off, bid=first.pk)),
        ("post", url("consensus", call_off, bid=first.pk)),
        ("post", url("recommend", call_off)),
        ("post", url("approve", call_off)),
        ("post", url("confirm", call_off)),
    ]
    for person in people:
        client = api(person)
        for method, path in endpoints:
            response = getattr(client, method)(path, {}, format="json")
            assert response.status_code == 404, f"{method} {path} as {person}: {response.status_code}"
            assert world.providers[0].name not in response.content.decode()


def test_after_the_deadline_only_the_count_until_the_panel_is_formed(world, call_off, bids):
    first, _second = bids
    with after_deadline(call_off):
        assert api().get(url("detail", call_off)).status_code == 401
        assert api(world.evaluators[0]).get(url("detail", call_off)).status_code == 403
        assert api(world.manager).get(url("detail", call_off)).status_code == 403
        response = api(world.commissioner).get(url("detail", call_off))
        assert response.status_code == 200
        data = response.json()
        assert data["bid_count"] == 2 and "bids" not in data
        assert not any(org.name in response.content.decode() for org in world.providers)
        assert api(world.commissioner).get(url("bid", call_off, bid=first.pk)).status_code == 404
        results = api(world.commissioner).get(url("results", call_off))
        assert results.json()["lots"] == [] and results.json()["bid_count"] == 2


def test_the_whole_evaluation_and_award_through_the_api(world, call_off, bids, subcontractor):
    first, second = bids
    alex, sam = world.evaluators
    commissioner = api(world.commissioner)
    with after_deadline(call_off):
        # The panel
        response = commissioner.post(url("panel", call_off), {"members": ["nobody@example.org"]}, format="json")
        assert response.status_code == 400 and "is not an evaluator" in str(response.json()["members"])
        response = commissioner.post(url("panel", call_off), {"members": [alex.email, sam.email]}, format="json")
        assert response.status_code == 200, response.json()
        assert PanelMember.objects.filter(call_off=call_off).count() == 2
        assert {b["bidder"]["name"] for b in response.json()["bids"]} == {org.name for org in world.providers}
        assert api(alex).post(url("panel", call_off), {"members": [alex.email]}, format="json").status_code == 403

        # Declarations: the bid shows the bidder and its supply chain; Sam has a conflict with the second bid
        bid = api(alex).get(url("bid", call_off, bid=first.pk)).json()
        assert bid["supply_chain"] == [subcontractor.name] and "answers" not in bid
        response = api(sam).post(url("declaration", call_off, bid=second.pk), {"has_conflict": True}, format="json")
        assert response.status_code == 400 and "note" in response.json()
        assert not ConflictDeclaration.objects.exists()
        for user, bid_, conflict in ((alex, first, False), (alex, second, False), (sam, first, False)):
            response = api(user).post(url("declaration", call_off, bid=bid_.pk), {"has_conflict": conflict}, "json")
            assert response.status_code == 200, response.json()
        response = api(sam).post(
            url("declaration", call_off, bid=second.pk), {"has_conflict": True, "note": "My sister works there"}, "json"
        )
        assert response.status_code == 200
        assert "answers" not in response.json()  # removed from that bid
        response = api(sam).post(url("scores", call_off, bid=second.pk), {"scores": all_scores(call_off, 3)}, "json")
        assert response.status_code == 400 and "conflict of interest" in str(response.json())

        # Scores: all or nothing
        bad = all_scores(call_off, 3)
        bad[-1]["justification"] = ""
        response = api(alex).post(url("scores", call_off, bid=first.pk), {"scores": bad}, format="json")
        assert response.status_code == 400 and "scores.1.justification" in response.json()
        assert not Score.objects.exists()
        response = api(alex).post(
            url("scores", call_off, bid=first.pk),
            {"scores": [{"question": 7, "score": 3, "justification": "x"}]},
            "json",
        )
        assert response.status_code == 400 and "scores.0.question" in response.json()
        # Sam submits first for the first bid
        response = api(sam).post(
            url("scores", call_off, bid=first.pk),
            {"scores": all_scores(call_off, 2, "Sam: some gaps"), "submit": True},
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["your_scores_submitted_at"]
        # Alex saves without submitting: sees nothing of Sam's
        response = api(alex).post(
            url("scores", call_off, bid=first.pk), {"scores": all_scores(call_off, 4, "Alex: strong")}, format="json"
        )
        assert response.status_code == 200
        assert "Sam: some gaps" not in response.content.decode()
        assert all("scores" not in answer for answer in response.json()["answers"])
        # Commissioners see no scores before moderation can start
        state = commissioner.get(url("bid", call_off, bid=first.pk)).json()
        assert state["ready_for_moderation"] is False and "Alex: strong" not in str(state)
        response = commissioner.post(
            url("consensus", call_off, bid=first.pk),
            {"scores": [{"question": 1, "score": 3, "reason": "Agreed"}]},
            format="json",
        )
        assert response.status_code == 400 and "Every evaluator must submit" in str(response.json())
        # Alex submits: now sees Sam's
        response = api(alex).post(url("scores", call_off, bid=first.pk), {"submit": True}, format="json")
        assert response.status_code == 200
        assert "Sam: some gaps" in response.content.decode()
        response = api(alex).post(
            url("scores", call_off, bid=second.pk), {"scores": all_scores(call_off, 3), "submit": True}, "json"
        )
        assert response.status_code == 200
        assert ScoreSheet.objects.count() == 3
        # The panel sees the results once every sheet is submitted
        assert api(sam).get(url("results", call_off)).status_code == 200

        # Moderation
        state = commissioner.get(url("bid", call_off, bid=first.pk)).json()
        assert state["ready_for_moderation"] is True and "Alex: strong" in str(state) and "Sam: some gaps" in str(state)
        for bid_, agreed in ((first, 4), (second, 3)):
            consensus = [
                {"question": q.position if q else None, "score": agreed, "reason": "The panel agreed"}
                for q in services.criteria(call_off)
            ]
            response = commissioner.post(url("consensus", call_off, bid=bid_.pk), {"scores": consensus}, "json")
            assert response.status_code == 200, response.json()
        assert ConsensusScore.objects.count() == 4
        results = commissioner.get(url("results", call_off)).json()
        outcome = evaluation.results(call_off)
        (lot,) = outcome.lots
        assert (
            [r["bid"] for r in results["lots"][0]["ranked"]] == [r.bid.pk for r in lot.ranked] == [first.pk, second.pk]
        )
        top = results["lots"][0]["ranked"][0]
        assert top["total"] == evaluation.show(lot.ranked[0].total) and top["price_pence"] == 20_000_000
        assert results["tie_break_rule"] and results["unmoderated"] == []

        # The award: four eyes, standstill, confirmation
        assert commissioner.post(url("recommend", call_off)).status_code == 200
        response = commissioner.post(url("approve", call_off))
        assert response.status_code == 400 and "A second person must approve" in str(response.json())
        response = api(world.approver).post(url("approve", call_off))
        assert response.status_code == 200 and response.json()["award"]["letters"] == 2
        response = commissioner.post(url("confirm", call_off))
        assert response.status_code == 400 and "standstill period ends" in str(response.json())
        assert not Contract.objects.exists()
        call_off.refresh_from_db()
    with travel(call_off.standstill_ends_at + timedelta(minutes=1)):
        response = commissioner.post(url("confirm", call_off))
        assert response.status_code == 200, response.json()
        (reference,) = response.json()["award"]["contracts"]
    contract = Contract.objects.get(reference=reference)
    assert contract.lead_provider == world.providers[0]
    assert SupplyChainMember.objects.get(contract=contract).organisation == subcontractor
