"""The commissioners' call-offs API (/api/v1/call-offs/): create, read, change a draft, lots and quality questions,
approval with four eyes, send back, amend, cancel, no award and copy; only their regions' call-offs; bad input
answers 400 with field errors (never a 500) and stores nothing; nothing about bids before the deadline."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Amendment, CallOff, Lot, QualityQuestion
from dynamic_framework.calloffs.tests.factories import after_deadline, pounds
from dynamic_framework.core.time import UK
from dynamic_framework.geography.models import Region

pytestmark = pytest.mark.django_db

CALL_OFFS = "/api/v1/call-offs/"


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def call(client, method, path, user=None, data=None, raw=None, **headers):
    body = raw if raw is not None else (json.dumps(data) if data is not None else "")
    extra = {**(auth(user) if user else {}), **headers}
    return client.generic(method, path, body, content_type="application/json", **extra)


def detail(call_off) -> str:
    return f"{CALL_OFFS}{call_off.reference}/"


def new_call_off(**overrides) -> dict:
    """Everything services.create_call_off takes, as the API takes it."""
    deadline = (timezone.now() + timedelta(days=30)).astimezone(UK).replace(microsecond=0)
    data = {
        "region": "A",
        "title": "Housing support for young adults",
        "summary": "Help young adults on probation in Durham find and keep a home.",
        "categories": ["accommodation", "women"],
        "co_commissioner": "hmpps-north-east",
        "funding_mechanism": "contract",
        "funding_reason": "A contract suits a regional service with set outcomes.",
        "term_start": (deadline + timedelta(days=60)).date().isoformat(),
        "term_months": 36,
        "extension_months": [12, 12],
        "cohort_sex": "any",
        "cohort_min_age": 18,
        "cohort_max_age": 25,
        "cohort_note": "Young adults leaving custody",
        "price_weight": 30,
        "social_value_weight": 10,
        "social_value_question": "How will you employ local people?",
        "social_value_word_limit": 250,
        "minimum_quality_percent": 40,
        "questions_close_at": (deadline - timedelta(days=5)).isoformat(),
        "deadline_at": deadline.isoformat(),
        "expected_award_on": (deadline + timedelta(days=14)).date().isoformat(),
        "standstill_days": 10,
    }
    return {**data, **overrides}


def test_a_commissioner_creates_a_call_off_with_every_field(client, world):
    data = new_call_off()
    response = call(client, "POST", CALL_OFFS, world.commissioner, data)
    assert response.status_code == 201, response.json()
    body = response.json()
    call_off = CallOff.objects.get(reference=body["reference"])
    assert call_off.created_by == world.commissioner
    assert body["status"] == "draft"
    assert body["region"] == {"code": "A", "name": "North East"}
    assert [c["slug"] for c in body["categories"]] == ["accommodation", "women"]
    assert body["co_commissioner"]["slug"] == "hmpps-north-east"
    assert body["term"] == {"start": data["term_start"], "months": 36, "extension_months": [12, 12]}
    assert body["cohort"] == {"sex": "any", "min_age": 18, "max_age": 25, "note": "Young adults leaving custody"}
    assert body["criteria"]["price_weight"] == 30
    assert body["criteria"]["social_value_word_limit"] == 250
    assert body["criteria"]["minimum_quality_percent"] == 40
    # Times come back in UTC; the same moment as sent
    assert body["timetable"]["deadline_at"].endswith("Z")
    assert call_off.deadline_at == timezone.datetime.fromisoformat(data["deadline_at"])
    assert body["timetable"]["standstill_days"] == 10
    assert body["readiness"]["lots"] == "Add at least one lot"
    assert body["readiness"]["quality_questions"] == "Add at least one quality question"
    assert body["recorded"]["created_by"]["email"] == world.commissioner.email
    assert body["bids_received"] is None and body["evaluation_url"] is None and body["opportunity_url"] is None


def test_the_optional_fields_can_be_left_out(client, world):
    data = new_call_off()
    for optional in ("co_commissioner", "extension_months", "cohort_sex", "cohort_min_age", "cohort_max_age"):
        del data[optional]
    response = call(client, "POST", CALL_OFFS, world.commissioner, data)
    assert response.status_code == 201, response.json()
    assert response.json()["co_commissioner"] is None
    assert response.json()["cohort"]["sex"] == "any"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deadline_at": "2026-13-45T10:00:00+01:00"}, "deadline_at"),
        ({"deadline_at": "next Tuesday"}, "deadline_at"),
        ({"deadline_at": "2030-06-01T12:00:00"}, "deadline_at"),  # no offset: ambiguous
        ({"deadline_at": "0001-01-01T00:00:00+01:00"}, "deadline_at"),
        ({"deadline_at": 1767225600}, "deadline_at"),
        ({"term_start": "01/06/2030"}, "term_start"),
        ({"term_start": "9999-12-31"}, "term_start"),
        ({"expected_award_on": "2030-02-30"}, "expected_award_on"),
        ({"region": "Z"}, "region"),
        ({"region": "B"}, "region"),  # not a region they commission for
        ({"categories": ["women", "no-such-category"]}, "categories"),
        ({"categories": []}, "categories"),
        ({"categories": "women"}, "categories"),
        ({"co_commissioner": "no-such-body"}, "co_commissioner"),
        ({"co_commissioner": "durham-pcc-is-not-a-slug"}, "co_commissioner"),
        ({"term_months": "three years"}, "term_months"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 10**30}, "term_months"),
        ({"price_weight": "thirty"}, "price_weight"),
        ({"price_weight": 30.5}, "price_weight"),
        ({"cohort_min_age": 30, "cohort_max_age": 20}, "cohort_max_age"),
        ({"extension_months": ["twelve"]}, "extension_months"),
        ({"funding_mechanism": "loan"}, "funding_mechanism"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"cohort_note": "x" * 301}, "cohort_note"),
        ({"status": "published"}, "status"),  # not a field that can be set
    ],
)
def test_bad_input_answers_400_on_the_field_and_creates_nothing(client, world, overrides, field):
    response = call(client, "POST", CALL_OFFS, world.commissioner, new_call_off(**overrides))
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert isinstance(response.json()[field], (list, dict)) and response.json()[field]
    assert not CallOff.objects.exists()


@pytest.mark.parametrize("missing", ["region", "title", "categories", "deadline_at", "term_start", "term_months"])
def test_a_missing_field_answers_400(client, world, missing):
    data = new_call_off()
    del data[missing]
    response = call(client, "POST", CALL_OFFS, world.commissioner, data)
    assert response.status_code == 400
    assert missing in response.json()
    assert not CallOff.objects.exists()


def test_a_body_that_is_not_a_json_object_answers_400(client, world):
    for raw in ("[1, 2]", '"text"', "{not json"):
        response = call(client, "POST", CALL_OFFS, world.commissioner, raw=raw)
        assert response.status_code == 400, raw
        assert response["Content-Type"].startswith("application/json")
    assert not CallOff.objects.exists()


def test_questions_closing_after_the_deadline_is_refused_by_the_service(client, world):
    data = new_call_off()
    data["questions_close_at"] = (timezone.datetime.fromisoformat(data["deadline_at"]) + timedelta(hours=1)).isoformat()
    response = call(client, "POST", CALL_OFFS, world.commissioner, data)
    assert response.status_code == 400
    assert response.json() == {"questions_close_at": ["Questions must close on or before the deadline for bids"]}


def test_only_commissioners_and_only_their_regions(client, world):
    mine = world.draft()
    other_region = Region.objects.get(code="B")
    elsewhere_commissioner = user_with_role("commissioner", regions=[other_region])
    theirs = services.create_call_off(
        actor=elsewhere_commissioner,
        region=other_region,
        **{
            k: v
            for k, v in services.public_snapshot(mine).items()
            if k in services.EDITABLE_FIELDS and k not in ("reference",)
        },
        categories=list(mine.categories.all()),
    )
    assert call(client, "GET", CALL_OFFS).status_code == 401
    assert call(client, "GET", detail(mine)).status_code == 401
    for user in (
        world.manager,
        world.evaluators[0],
        world.admin(world.providers[0]),
        user_with_role("platform_administrator"),
    ):
        for method, path, data in (
            ("GET", CALL_OFFS, None),
            ("POST", CALL_OFFS, new_call_off()),
            ("GET", detail(mine), None),
            ("PATCH", detail(mine), {"title": "Changed"}),
            ("POST", f"{detail(mine)}copy/", None),
        ):
            response = call(client, method, path, user, data)
            assert response.status_code == 403, (user, method, path)
            assert "detail" in response.json()
    references = [r["reference"] for r in call(client, "GET", CALL_OFFS, world.commissioner).json()["results"]]
    assert references == [mine.reference]
    for method, suffix, data in (
        ("GET", "", None),
        ("PATCH", "", {"title": "Changed"}),
        ("POST", "submit-for-approval/", None),
        ("POST", "lots/", {"kind": "region", "years": []}),
        ("GET", "questions/", None),
        ("POST", "copy/", None),
    ):
        response = call(client, method, detail(theirs) + suffix, world.commissioner, data)
        assert response.status_code == 404, (method, suffix)
    theirs.refresh_from_db()
    assert theirs.title == mine.title and not theirs.submitted_for_approval_at and not theirs.lots.exists()
    assert CallOff.objects.count() == 2


def test_the_list_filters_by_status(client, world):
    draft = world.draft()
    published = world.published()
    response = call(client, "GET", f"{CALL_OFFS}?status=published", world.commissioner)
    assert [r["reference"] for r in response.json()["results"]] == [published.reference]
    assert response.json()["results"][0]["status_label"] == "Open for bids"
    response = call(client, "GET", f"{CALL_OFFS}?status=draft", world.commissioner)
    assert [r["reference"] for r in response.json()["results"]] == [draft.reference]
    response = call(client, "GET", f"{CALL_OFFS}?status=maybe", world.commissioner)
    assert response.status_code == 400
    assert "status" in response.json()


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_makes_the_same_number_of_queries_however_many(client, world, count, django_assert_max_num_queries):
    for _i in range(count):
        world.draft(lots=())
    with django_assert_max_num_queries(9):
        response = call(client, "GET", CALL_OFFS, world.commissioner)
    assert response.json()["count"] == count


def test_change_a_draft_but_not_its_region_nor_once_sent(client, world):
    call_off = world.draft()
    response = call(
        client,
        "PATCH",
        detail(call_off),
        world.commissioner,
        {"title": "A better title", "categories": ["women", "accommodation"], "co_commissioner": "hmpps-north-east"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["title"] == "A better title"
    assert {c["slug"] for c in response.json()["categories"]} == {"women", "accommodation"}
    response = call(client, "PATCH", detail(call_off), world.commissioner, {"co_commissioner": None})
    assert response.json()["co_commissioner"] is None
    assert response.json()["title"] == "A better title"  # the rest unchanged
    assert call(client, "PATCH", detail(call_off), world.commissioner, {"region": "B"}).status_code == 400
    response = call(client, "PATCH", detail(call_off), world.commissioner, {"term_months": "long"})
    assert response.status_code == 400 and "term_months" in response.json()
    response = call(client, "PATCH", detail(call_off), world.commissioner, {"categories": []})
    assert response.json() == {"categories": ["Select at least one service category"]}
    call_off.refresh_from_db()
    assert call_off.categories.count() == 2
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    response = call(client, "PATCH", detail(call_off), world.commissioner, {"title": "Too late"})
    assert response.status_code == 400
    assert "waiting for approval" in response.json()["detail"][0]
    assert call(client, "PUT", detail(call_off), world.commissioner, {"title": "x"}).status_code == 405
    assert call(client, "DELETE", detail(call_off), world.commissioner).status_code == 405


def test_lots_added_changed_and_removed(client, world):
    call_off = world.draft(lots=())
    lots = f"{detail(call_off)}lots/"
    years = [
        {"financial_year": 2031, "max_value_pence": pounds(545_000), "expected_people": 40},
        {"financial_year": 2032, "max_value_pence": pounds(1_200_000)},
    ]
    response = call(
        client, "POST", lots, world.commissioner, {"kind": "pcc_area", "pcc_areas": ["durham"], "years": years}
    )
    assert response.status_code == 201, response.json()
    lot = response.json()
    assert lot["name"] == "Durham" and lot["pcc_areas"] == ["durham"]
    assert [y["label"] for y in lot["years"]] == ["2031-32", "2032-33"]
    assert lot["total_value_pence"] == pounds(1_745_000)
    # Overlapping, unknown or outside the region; bad values
    for data, field in (
        ({"kind": "pcc_area", "pcc_areas": ["durham"], "years": years}, "pcc_areas"),
        ({"kind": "areas", "pcc_areas": ["durham", "no-such-area"], "years": years}, "pcc_areas"),
        ({"kind": "areas", "pcc_areas": ["cumbria"], "years": years}, "pcc_areas"),
        ({"kind": "pcc_area", "pcc_areas": ["northumbria"], "years": []}, "years"),
        (
            {
                "kind": "pcc_area",
                "pcc_areas": ["northumbria"],
                "years": [{"financial_year": 2031, "max_value_pence": "lots"}],
            },
            "years",
        ),
        ({"kind": "pcc_area", "pcc_areas": ["northumbria"], "years": [{"financial_year": 2031}]}, "years"),
        ({"kind": "county", "pcc_areas": ["northumbria"], "years": years}, "kind"),
        ({"pcc_areas": ["northumbria"], "years": years}, "kind"),
    ):
        response = call(client, "POST", lots, world.commissioner, data)
        assert response.status_code == 400, data
        assert field in response.json(), (data, response.json())
    assert call_off.lots.count() == 1
    one = f"{lots}{lot['id']}/"
    response = call(client, "PATCH", one, world.commissioner, {"years": years[:1]})
    assert response.status_code == 200
    assert response.json()["total_value_pence"] == pounds(545_000)
    response = call(
        client, "PATCH", one, world.commissioner, {"years": [{"financial_year": 2031, "max_value_pence": -5}]}
    )
    assert response.status_code == 400 and "years" in response.json()
    assert call(client, "PATCH", f"{lots}999999/", world.commissioner, {"years": years}).status_code == 404
    other = world.draft()
    other_lot = other.lots.get()
    assert call(client, "DELETE", f"{lots}{other_lot.pk}/", world.commissioner).status_code == 404
    assert Lot.objects.filter(pk=other_lot.pk).exists()
    assert call(client, "DELETE", one, world.commissioner).status_code == 204
    assert not call_off.lots.exists()


def test_quality_questions_added_changed_and_removed(client, world):
    call_off = world.draft(questions=())
    questions = f"{detail(call_off)}quality-questions/"
    response = call(
        client,
        "POST",
        questions,
        world.commissioner,
        {"question": "How will you reach young adults?", "guidance": "Evidence", "word_limit": 400, "weight": 50},
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["position"], created["word_limit"], created["weight"]) == (1, 400, 50)
    response = call(client, "POST", questions, world.commissioner, {"question": "", "word_limit": 0, "weight": "heavy"})
    assert response.status_code == 400
    assert set(response.json()) == {"weight"}  # the type is checked first
    response = call(client, "POST", questions, world.commissioner, {"question": "", "word_limit": 0, "weight": 500})
    assert set(response.json()) == {"question", "word_limit", "weight"}
    one = f"{questions}{created['id']}/"
    response = call(client, "PATCH", one, world.commissioner, {"weight": 60})
    assert response.status_code == 200
    assert response.json()["weight"] == 60 and response.json()["question"] == "How will you reach young adults?"
    detail_body = call(client, "GET", detail(call_off), world.commissioner).json()
    assert detail_body["criteria"]["total_weight"] == 100
    assert "weights" not in detail_body["readiness"]
    assert call(client, "PATCH", one, world.commissioner, {"weight": 0}).status_code == 400
    assert call(client, "DELETE", f"{questions}999999/", world.commissioner).status_code == 404
    assert call(client, "DELETE", one, world.commissioner).status_code == 204
    assert not QualityQuestion.objects.filter(call_off=call_off).exists()


def test_submit_approve_with_four_eyes_and_send_back(client, world):
    unready = world.draft(questions=())
    response = call(client, "POST", f"{detail(unready)}submit-for-approval/", world.commissioner)
    assert response.status_code == 400
    assert set(response.json()) >= {"weights", "quality_questions"}
    call_off = world.draft()
    response = call(client, "POST", f"{detail(call_off)}submit-for-approval/", world.commissioner)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "awaiting_approval"
    assert response.json()["recorded"]["submitted_for_approval_by"]["email"] == world.commissioner.email
    # The sender cannot approve it
    response = call(client, "POST", f"{detail(call_off)}approve/", world.commissioner)
    assert response.status_code == 400
    assert response.json() == {"detail": ["A second commissioner must approve the call-off: you sent it for approval"]}
    # Sent back with a reason
    assert call(client, "POST", f"{detail(call_off)}send-back/", world.approver, {"reason": " "}).status_code == 400
    assert call(client, "POST", f"{detail(call_off)}send-back/", world.approver, {}).status_code == 400
    response = call(client, "POST", f"{detail(call_off)}send-back/", world.approver, {"reason": "Fix the title"})
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    call(client, "POST", f"{detail(call_off)}submit-for-approval/", world.commissioner)
    response = call(client, "POST", f"{detail(call_off)}approve/", world.approver)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "published"
    assert response.json()["recorded"]["published_by"]["email"] == world.approver.email
    assert response.json()["opportunity_url"].endswith(f"/api/v1/opportunities/{call_off.reference}/")
    response = call(client, "POST", f"{detail(call_off)}approve/", world.approver)
    assert response.json() == {"detail": ["This call-off is already published"]}


def test_amend_with_fields_and_lot_values_then_bidders_must_reconfirm(client, world, call_off):
    bid = world.bid(world.providers[0], call_off)
    lot = call_off.lots.get()
    new_deadline = (call_off.deadline_at + timedelta(days=7)).astimezone(UK)
    years = [
        {"financial_year": y.financial_year, "max_value_pence": y.max_value_pence + pounds(5_000)}
        for y in lot.years.all()
    ]
    amend = f"{detail(call_off)}amend/"
    response = call(client, "POST", amend, world.commissioner, {"summary": "Nothing", "title": call_off.title})
    assert response.status_code == 400 and response.json() == {"detail": ["Nothing has changed"]}
    response = call(client, "POST", amend, world.commissioner, {"deadline_at": new_deadline.isoformat()})
    assert response.status_code == 400 and "summary" in response.json()
    response = call(
        client, "POST", amend, world.commissioner, {"summary": "More", "lots": [{"id": 999999, "years": years}]}
    )
    assert response.status_code == 400 and "lots.0.id" in response.json()
    response = call(
        client, "POST", amend, world.commissioner, {"summary": "Later", "deadline_at": "2030-01-01T10:00:00"}
    )
    assert response.status_code == 400 and "deadline_at" in response.json()
    assert not Amendment.objects.exists()
    response = call(
        client,
        "POST",
        amend,
        world.commissioner,
        {
            "summary": "The deadline is a week later and each year is worth £5,000 more.",
            "deadline_at": new_deadline.isoformat(),
            "lots": [{"id": lot.pk, "years": years}],
        },
    )
    assert response.status_code == 200, response.json()
    amendment = response.json()["amendments"][0]
    assert amendment["number"] == 1
    assert set(amendment["changes"]) == {"deadline_at", "lot 1 values"}
    assert response.json()["lots"][0]["years"][0]["max_value_pence"] == years[0]["max_value_pence"]
    call_off.refresh_from_db()
    assert call_off.deadline_at == new_deadline
    assert services.needs_reconfirmation(bid)


def test_cancel_no_award_and_copy(client, world, call_off):
    draft = world.draft()
    response = call(client, "POST", f"{detail(call_off)}no-award/", world.commissioner, {"reason": "None good"})
    assert response.status_code == 400
    assert response.json() == {"detail": ["A call-off can be closed with no award only after its deadline"]}
    with after_deadline(call_off):
        response = call(client, "POST", f"{detail(call_off)}no-award/", world.commissioner, {"reason": ""})
        assert response.json() == {"reason": ["Say why there is no award: this is published"]}
        response = call(client, "POST", f"{detail(call_off)}no-award/", world.commissioner, {"reason": "No bids"})
        assert response.status_code == 200
        assert response.json()["status"] == "no_award"
        assert response.json()["recorded"]["no_award_reason"] == "No bids"
    response = call(client, "POST", f"{detail(draft)}cancel/", world.commissioner, {"reason": "Not needed now"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["recorded"]["cancelled_reason"] == "Not needed now"
    response = call(client, "POST", f"{detail(draft)}cancel/", world.commissioner, {"reason": "Again"})
    assert response.json() == {"detail": ["This call-off has already ended"]}
    response = call(client, "POST", f"{detail(call_off)}copy/", world.approver)
    assert response.status_code == 201
    copy = response.json()
    assert copy["reference"] != call_off.reference
    assert copy["status"] == "draft"
    assert copy["recorded"]["copied_from"] == call_off.reference
    assert [lot["name"] for lot in copy["lots"]] == ["Durham"]
    assert len(copy["quality_questions"]) == 1


def test_nothing_about_bids_before_the_deadline_then_only_how_many(client, world, call_off):
    bids = [world.bid(org, call_off) for org in world.providers]
    names = [org.name for org in world.providers] + [org.slug for org in world.providers]
    names += [world.admin(org).email for org in world.providers]
    for path in (detail(call_off), CALL_OFFS, f"{detail(call_off)}questions/"):
        text = call(client, "GET", path, world.commissioner).content.decode()
        assert not any(name in text for name in names), path
        assert "bid" not in text.replace("bids_received", "").replace("Open for bids", "").lower(), path
    body = call(client, "GET", detail(call_off), world.commissioner).json()
    assert body["bids_received"] is None and body["evaluation_url"] is None
    with after_deadline(call_off):
        response = call(client, "GET", detail(call_off), world.commissioner)
        assert response.json()["bids_received"] == len(bids)
        assert response.json()["evaluation_url"].endswith(f"/api/v1/evaluations/{call_off.reference}/")
        assert not any(name in response.content.decode() for name in names)


def test_the_detail_lists_documents_with_download_links(client, world):
    from dynamic_framework.qualification.tests.factories import pdf

    call_off = world.draft()
    document = services.add_document(
        actor=world.commissioner, call_off=call_off, title="Specification", uploaded=pdf("spec.pdf")
    )
    body = call(client, "GET", detail(call_off), world.commissioner).json()
    (listed,) = body["documents"]
    assert listed["title"] == "Specification" and listed["sha256"] == document.sha256
    assert listed["download_url"].endswith(f"/opportunities/{call_off.reference}/documents/{document.pk}/")
    client.force_login(world.commissioner)
    assert client.get(listed["download_url"]).status_code == 200


def test_the_schema_documents_the_commissioners_and_questions_routes(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/call-offs/",
        "/api/v1/call-offs/{reference}/lots/{lot}/",
        "/api/v1/call-offs/{reference}/quality-questions/{question}/",
        "/api/v1/call-offs/{reference}/approve/",
        "/api/v1/call-offs/{reference}/questions/{question}/answer/",
        "/api/v1/call-off-questions/",
    ):
        assert path in schema, path
    assert "Approve and publish (a second commissioner)" in schema
