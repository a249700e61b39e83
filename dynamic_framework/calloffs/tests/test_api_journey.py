"""The whole call-off competition through the API only, each person with their own token: a commissioner creates a
call-off with lots and quality questions and sends it for approval, a second commissioner approves it, a provider
asks a question and the commissioner answers it, two qualified providers bid with supply chains, and after the
deadline the panel scores, the commissioner moderates, the award is recommended, approved by a second person and,
after the standstill, confirmed: the contract is in the register with the winning bid's supply chain and in the
insights for its round. The clock is moved with time-machine (factories.travel)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dynamic_framework.calloffs.models import Bid, CallOff, ClarificationQuestion
from dynamic_framework.calloffs.tests.factories import pounds, travel
from dynamic_framework.contracts.models import Contract, SupplyChainMember
from dynamic_framework.core.time import UK
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def token_client(user=None) -> APIClient:
    """An API client that sends the user's token (as a program calling the API would), or none."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def ok(response, status=200) -> dict:
    assert response.status_code == status, (response.status_code, response.content.decode()[:2000])
    return response.json() if response.content else {}


def test_the_whole_competition_through_the_api(world, django_capture_on_commit_callbacks):
    commissioner, approver = token_client(world.commissioner), token_client(world.approver)
    alex, sam = world.evaluators
    panel = {alex.email: token_client(alex), sam.email: token_client(sam)}
    winner_org, runner_up_org = world.providers
    winner, runner_up = token_client(world.admin(winner_org)), token_client(world.admin(runner_up_org))
    public = token_client()
    mentors = ProviderFactory(name="Tiny Mentors CIC")
    bidder_words = [winner_org.name, runner_up_org.name, winner_org.slug, runner_up_org.slug, mentors.name]

    # A commissioner creates the call-off ------------------------------------------------------------------------
    deadline = (timezone.now() + timedelta(days=20)).astimezone(UK).replace(second=0, microsecond=0)
    term_start = (deadline + timedelta(days=60)).date()
    created = ok(
        commissioner.post(
            "/api/v1/call-offs/",
            {
                "region": "A",
                "title": "Women's centre services in County Durham",
                "summary": "Support for women on probation in a women-only space.",
                "categories": ["women"],
                "funding_mechanism": "grant",
                "funding_reason": "A grant suits a local women's centre: it funds core costs with light reporting.",
                "term_start": term_start.isoformat(),
                "term_months": 24,
                "extension_months": [12],
                "cohort_sex": "women",
                "cohort_min_age": 18,
                "price_weight": 30,
                "social_value_weight": 10,
                "social_value_question": "How will your service benefit the local community?",
                "minimum_quality_percent": 50,
                "questions_close_at": (deadline - timedelta(days=5)).isoformat(),
                "deadline_at": deadline.isoformat(),
                "expected_award_on": (deadline + timedelta(days=14)).date().isoformat(),
                "standstill_days": 10,
            },
            format="json",
        ),
        201,
    )
    reference = created["reference"]
    call_off_url = f"/api/v1/call-offs/{reference}/"
    assert created["status"] == "draft" and created["readiness"]

    # Lots: one for Durham (added, changed), one for Northumbria (added, then removed)
    first_year = term_start.year if term_start.month >= 4 else term_start.year - 1
    durham = ok(
        commissioner.post(
            f"{call_off_url}lots/",
            {
                "kind": "pcc_area",
                "pcc_areas": ["durham"],
                "years": [
                    {"financial_year": first_year, "max_value_pence": pounds(90_000), "expected_people": 40},
                    {"financial_year": first_year + 1, "max_value_pence": pounds(110_000), "expected_people": 60},
                ],
            },
            format="json",
        ),
        201,
    )
    ok(
        commissioner.patch(
            f"{call_off_url}lots/{durham['id']}/",
            {
                "years": [
                    {"financial_year": first_year, "max_value_pence": pounds(100_000), "expected_people": 40},
                    {"financial_year": first_year + 1, "max_value_pence": pounds(120_000), "expected_people": 60},
                ]
            },
            format="json",
        )
    )
    northumbria = ok(
        commissioner.post(
            f"{call_off_url}lots/",
            {
                "kind": "pcc_area",
                "pcc_areas": ["northumbria"],
                "years": [{"financial_year": first_year, "max_value_pence": pounds(50_000)}],
            },
            format="json",
        ),
        201,
    )
    assert commissioner.delete(f"{call_off_url}lots/{northumbria['id']}/").status_code == 204

    # Quality questions: 40 + 20 with price 30 and social value 10 make 100
    questions = f"{call_off_url}quality-questions/"
    q1 = ok(
        commissioner.post(
            questions,
            {
                "question": "How will you work with women with complex needs?",
                "guidance": "Trauma-informed, women-only delivery with evidence.",
                "word_limit": 300,
                "weight": 30,
            },
            format="json",
        ),
        201,
    )
    ok(commissioner.patch(f"{questions}{q1['id']}/", {"weight": 40}, format="json"))
    ok(
        commissioner.post(
            questions,
            {"question": "How will you work with local partners?", "word_limit": 200, "weight": 20},
            format="json",
        ),
        201,
    )
    ok(commissioner.patch(call_off_url, {"cohort_note": "Women aged 18 and over"}, format="json"))
    draft = ok(commissioner.get(call_off_url))
    assert draft["readiness"] == {} and draft["criteria"]["total_weight"] == 100
    assert [lot["name"] for lot in draft["lots"]] == ["Durham"]
    assert draft["lots"][0]["total_value_pence"] == pounds(220_000)

    # Four eyes: sent by one commissioner, approved by another ---------------------------------------------------
    assert ok(commissioner.post(f"{call_off_url}submit-for-approval/"))["status"] == "awaiting_approval"
    refused = commissioner.post(f"{call_off_url}approve/")
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["A second commissioner must approve the call-off: you sent it for approval"]}
    with django_capture_on_commit_callbacks(execute=True):
        published = ok(approver.post(f"{call_off_url}approve/"))
    assert published["status"] == "published"
    opportunity = ok(public.get(f"/api/v1/opportunities/{reference}/"))
    assert opportunity["status"] == "open"

    # A provider asks a question; the commissioner answers it without knowing who asked -------------------------
    asked = ok(
        runner_up.post(
            "/api/v1/call-off-questions/",
            {"call_off": reference, "question": "Can Bidder's own centre in Consett be used?"},
            format="json",
        ),
        201,
    )
    listed = ok(commissioner.get(f"{call_off_url}questions/"))
    assert [q["question"] for q in listed["results"]] == ["Can Bidder's own centre in Consett be used?"]
    assert not any(word in str(listed) for word in bidder_words)
    ok(
        commissioner.post(
            f"{call_off_url}questions/{asked['id']}/answer/",
            {
                "published_question": "Can a bidder's own centre be used?",
                "answer": "Yes, if it is a women-only space.",
            },
            format="json",
        )
    )
    assert (
        ok(runner_up.get("/api/v1/call-off-questions/"))["results"][0]["answer"] == "Yes, if it is a women-only space."
    )
    answers = ok(public.get(f"/api/v1/opportunities/{reference}/"))["questions_and_answers"]
    assert answers == [
        {
            "question": "Can a bidder's own centre be used?",
            "answer": "Yes, if it is a women-only space.",
            "answered_at": answers[0]["answered_at"],
        }
    ]
    assert ClarificationQuestion.objects.get(pk=asked["id"]).organisation == runner_up_org

    # Two qualified providers bid, with supply chains ------------------------------------------------------------
    lot_id = str(durham["id"])
    question_ids = [str(q["id"]) for q in opportunity_questions(commissioner, call_off_url)]

    def bid(client, prices, supply_chain, key):
        started = ok(client.post("/api/v1/bids/", {"call_off": reference}, format="json"), 201)
        bid_url = f"/api/v1/bids/{started['id']}/"
        ok(
            client.patch(
                bid_url,
                {"lots": {lot_id: {"years": {str(first_year): prices[0], str(first_year + 1): prices[1]}}}},
                format="json",
            )
        )
        ok(
            client.patch(
                bid_url,
                {
                    "answers": dict.fromkeys(question_ids, "We run a women-only centre with trauma-informed staff."),
                    "social_value": "We employ local women with lived experience.",
                    "supply_chain": supply_chain,
                },
                format="json",
            )
        )
        receipt = ok(client.post(f"{bid_url}submit/", HTTP_IDEMPOTENCY_KEY=key), 201)
        again = ok(client.post(f"{bid_url}submit/", HTTP_IDEMPOTENCY_KEY=key))
        assert again["receipt"] == receipt["receipt"] and len(receipt["digest"]) == 64
        return started["id"]

    winning_bid = bid(
        winner,
        (pounds(90_000), pounds(110_000)),
        [
            {
                "organisation": mentors.pk,
                "role": "Peer mentoring",
                "share_type": "percent",
                "share_value": 1500,
                "payment_terms": "fixed_fee",
                "material": True,
            }
        ],
        "winner-1",
    )
    losing_bid = bid(
        runner_up,
        (pounds(95_000), pounds(115_000)),
        [
            {
                "name": "Brand New Peer Support",
                "role": "Drop-in sessions",
                "share_type": "amount",
                "share_value": pounds(10_000),
                "payment_terms": "payment_by_results",
                "material": False,
            }
        ],
        "runner-up-1",
    )
    assert Organisation.objects.filter(name="Brand New Peer Support").exists()

    # Sealed until the deadline: nothing about bids for the commissioners, the evaluation API a 404
    for client in (commissioner, approver):
        response = client.get(call_off_url)
        assert response.json()["bids_received"] is None
        assert not any(word in response.content.decode() for word in bidder_words)
        assert client.get(f"/api/v1/evaluations/{reference}/").status_code == 404

    # After the deadline: the number of bids, then the panel, scores and moderation --------------------------------
    call_off = CallOff.objects.get(reference=reference)
    with travel(call_off.deadline_at + timedelta(minutes=1)):
        state = ok(commissioner.get(call_off_url))
        assert state["status"] == "closed" and state["bids_received"] == 2
        assert not any(word in str(state) for word in bidder_words)
        evaluation = f"/api/v1/evaluations/{reference}/"
        assert ok(commissioner.get(evaluation))["bid_count"] == 2
        formed = ok(commissioner.post(f"{evaluation}panel/", {"members": [alex.email, sam.email]}, format="json"))
        assert {b["id"] for b in formed["bids"]} == {winning_bid, losing_bid}
        criteria = [q["position"] for q in ok(commissioner.get(call_off_url))["quality_questions"]] + [None]
        for email, client in panel.items():
            for bid_id in (winning_bid, losing_bid):
                ok(client.post(f"{evaluation}bids/{bid_id}/declaration/", {"has_conflict": False}, format="json"))
                score = 4 if bid_id == winning_bid else 3
                scored = ok(
                    client.post(
                        f"{evaluation}bids/{bid_id}/scores/",
                        {
                            "scores": [
                                {"question": position, "score": score, "justification": f"{email}: evidenced"}
                                for position in criteria
                            ],
                            "submit": True,
                        },
                        format="json",
                    )
                )
                assert scored["your_scores_submitted_at"]
        for bid_id, agreed in ((winning_bid, 4), (losing_bid, 3)):
            ok(
                commissioner.post(
                    f"{evaluation}bids/{bid_id}/consensus/",
                    {
                        "scores": [
                            {"question": position, "score": agreed, "reason": "The panel agreed"}
                            for position in criteria
                        ]
                    },
                    format="json",
                )
            )
        results = ok(commissioner.get(f"{evaluation}results/"))
        assert [r["bid"] for r in results["lots"][0]["ranked"]] == [winning_bid, losing_bid]

        # The award: recommended, approved by a second person, letters and the standstill
        ok(commissioner.post(f"{evaluation}recommend/"))
        assert commissioner.post(f"{evaluation}approve/").status_code == 400  # four eyes
        approved = ok(approver.post(f"{evaluation}approve/"))
        assert approved["award"]["letters"] == 2 and approved["award"]["standstill_ends_at"]
        refused = commissioner.post(f"{evaluation}confirm/")
        assert refused.status_code == 400
        assert ok(commissioner.get(call_off_url))["status"] == "standstill"
    assert not Contract.objects.exists()

    # After the standstill: confirmed, the contract in the register and the insights -----------------------------
    call_off.refresh_from_db()
    with travel(call_off.standstill_ends_at + timedelta(minutes=1)):
        confirmed = ok(commissioner.post(f"{evaluation}confirm/"))
        (contract_reference,) = confirmed["award"]["contracts"]
        assert ok(commissioner.get(call_off_url))["status"] == "awarded"
        opportunity = ok(public.get(f"/api/v1/opportunities/{reference}/"))
        assert opportunity["winners"] == [
            {"lot": 1, "organisation": {"slug": winner_org.slug, "name": winner_org.name}}
        ]
        round_slug = f"call-off-{reference.lower()}"
        insights = ok(public.get("/api/v1/insights/", {"round": round_slug}))
        contracts = ok(public.get("/api/v1/insights/contracts/", {"round": round_slug}))

    contract = Contract.objects.get(reference=contract_reference)
    assert contract.lead_provider == winner_org
    assert contract.round.slug == round_slug
    assert Bid.objects.get(pk=winning_bid).lot_awards.get().contract == contract
    assert [m.organisation for m in SupplyChainMember.objects.filter(contract=contract)] == [mentors]
    assert contract_reference in str(insights)
    (listed_contract,) = contracts["results"]
    assert listed_contract["reference"] == contract_reference
    assert listed_contract["lead_provider"]["slug"] == winner_org.slug
    assert [m["name"] for m in listed_contract["supply_chain"]] == [mentors.name]
    assert listed_contract["award"]["value_pence"] == pounds(200_000)


def opportunity_questions(client, call_off_url) -> list[dict]:
    return client.get(call_off_url).json()["quality_questions"]
