"""Providers' questions through the API: a provider member asks about a published call-off for their own
organisation (/api/v1/call-off-questions/) and sees their organisations' questions with the answers; commissioners
list a call-off's questions (the text and time only, never who asked) and publish an answer, which then shows in
the public opportunity."""

import json
from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import ClarificationQuestion
from dynamic_framework.calloffs.tests.factories import after_deadline, travel

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/call-off-questions/"


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def call(client, method, path, user=None, data=None):
    body = json.dumps(data) if data is not None else ""
    return client.generic(method, path, body, content_type="application/json", **(auth(user) if user else {}))


def commissioners_questions(call_off) -> str:
    return f"/api/v1/call-offs/{call_off.reference}/questions/"


@pytest.fixture
def org(world):
    return world.providers[0]


@pytest.fixture
def admin(world, org):
    admin = world.admin(org)
    admin.full_name = "Priya Questioner"
    admin.save()
    return admin


def identifying(world, org, admin) -> list[str]:
    return [org.name, org.slug, admin.email, admin.full_name]


def test_ask_then_the_commissioner_answers_without_knowing_who_asked(client, world, call_off, org, admin):
    response = call(
        client, "POST", QUESTIONS, admin, {"call_off": call_off.reference, "question": "Can we use our centre?"}
    )
    assert response.status_code == 201, response.json()
    asked = response.json()
    assert asked["organisation"] == {"slug": org.slug, "name": org.name}
    assert asked["call_off"]["reference"] == call_off.reference
    assert asked["answered"] is False and asked["answer"] is None
    question = ClarificationQuestion.objects.get(pk=asked["id"])
    assert (question.organisation, question.asked_by) == (org, admin)

    response = call(client, "GET", commissioners_questions(call_off), world.commissioner)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert set(row) == {"id", "question", "asked_at", "answered", "published_question", "answer", "answered_at"}
    assert row["question"] == "Can we use our centre?"
    text = response.content.decode()
    assert not any(word in text for word in identifying(world, org, admin))

    answer = f"{commissioners_questions(call_off)}{row['id']}/answer/"
    response = call(client, "POST", answer, world.commissioner, {"published_question": "", "answer": ""})
    assert response.status_code == 400
    assert set(response.json()) == {"published_question"}  # checked in order by the service
    response = call(client, "POST", answer, world.commissioner, {"published_question": "Can bidders use a centre?"})
    assert response.status_code == 400 and "answer" in response.json()
    response = call(
        client,
        "POST",
        answer,
        world.commissioner,
        {"published_question": "Can bidders use their own centre?", "answer": "Yes, if it is women-only."},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["answered"] is True
    assert not any(word in response.content.decode() for word in identifying(world, org, admin))
    response = call(client, "POST", answer, world.commissioner, {"published_question": "Again", "answer": "Again"})
    assert response.json() == {"detail": ["This question has already been answered"]}

    # The asker sees the answer; everyone sees it on the public opportunity, without who asked
    mine = call(client, "GET", QUESTIONS, admin).json()["results"]
    assert [(q["published_question"], q["answer"]) for q in mine] == [
        ("Can bidders use their own centre?", "Yes, if it is women-only.")
    ]
    public = client.get(f"/api/v1/opportunities/{call_off.reference}/")
    assert public.json()["questions_and_answers"][0]["answer"] == "Yes, if it is women-only."
    assert public.json()["questions_and_answers"][0]["question"] == "Can bidders use their own centre?"
    assert not any(word in public.content.decode() for word in identifying(world, org, admin))


def test_a_provider_sees_only_its_own_organisations_questions(client, world, call_off, org, admin):
    other = world.providers[1]
    theirs = services.ask_question(
        actor=world.admin(other), call_off=call_off, organisation=other, question="Is travel paid?"
    )
    mine = services.ask_question(actor=admin, call_off=call_off, organisation=org, question="Can we use our centre?")
    staff = user_with_role("provider_staff", organisation=org)
    for user in (admin, staff):
        results = call(client, "GET", QUESTIONS, user).json()["results"]
        assert [q["id"] for q in results] == [mine.pk]
        assert call(client, "GET", f"{QUESTIONS}{mine.pk}/", user).status_code == 200
        assert call(client, "GET", f"{QUESTIONS}{theirs.pk}/", user).status_code == 404
    assert call(client, "GET", f"{QUESTIONS}?call_off={call_off.reference}", admin).json()["count"] == 1
    assert call(client, "GET", f"{QUESTIONS}?call_off=DFC-NONE-NONE", admin).json()["count"] == 0
    # Staff may ask too
    response = call(client, "POST", QUESTIONS, staff, {"call_off": call_off.reference, "question": "And parking?"})
    assert response.status_code == 201


def test_only_provider_members_ask_and_only_for_their_own_organisation(client, world, call_off, org, admin):
    data = {"call_off": call_off.reference, "question": "Can we use our centre?"}
    assert call(client, "POST", QUESTIONS, None, data).status_code == 401
    assert call(client, "GET", QUESTIONS).status_code == 401
    for user in (world.commissioner, world.manager, world.evaluators[0], user_with_role("platform_administrator")):
        assert call(client, "POST", QUESTIONS, user, data).status_code == 403
        assert call(client, "GET", QUESTIONS, user).status_code == 403
    other = world.providers[1]
    response = call(client, "POST", QUESTIONS, admin, {**data, "organisation": other.slug})
    assert response.status_code == 400 and "organisation" in response.json()
    assert not ClarificationQuestion.objects.exists()


def test_bad_questions_answer_400_and_store_nothing(client, world, call_off, org, admin):
    draft = world.draft()
    for data, field in (
        ({}, "call_off"),
        ({"call_off": call_off.reference}, "question"),
        ({"call_off": call_off.reference, "question": "   "}, "question"),
        ({"call_off": call_off.reference, "question": "word " * 301}, "question"),
        ({"call_off": draft.reference, "question": "Before it is published?"}, "call_off"),
        ({"call_off": "DFC-NONE-NONE", "question": "Anything?"}, "call_off"),
        ({"call_off": call_off.reference, "question": "Hello", "asked_by": "someone"}, "asked_by"),
    ):
        response = call(client, "POST", QUESTIONS, admin, data)
        assert response.status_code == 400, data
        assert field in response.json(), (data, response.json())
    assert call(client, "POST", QUESTIONS, admin, ["a list"]).status_code == 400
    with travel(call_off.questions_close_at + timedelta(minutes=1)):
        response = call(client, "POST", QUESTIONS, admin, {"call_off": call_off.reference, "question": "Late?"})
        assert response.status_code == 400
        assert response.json()["detail"][0].startswith("Questions closed at")
    assert not ClarificationQuestion.objects.exists()


def test_the_commissioners_routes_refuse_others_and_answers_close_at_the_deadline(client, world, call_off, admin):
    question = services.ask_question(
        actor=admin, call_off=call_off, organisation=world.providers[0], question="Can we use our centre?"
    )
    answer = f"{commissioners_questions(call_off)}{question.pk}/answer/"
    good = {"published_question": "Can bidders use a centre?", "answer": "Yes."}
    assert call(client, "GET", commissioners_questions(call_off)).status_code == 401
    for user in (admin, world.manager, world.evaluators[0]):
        assert call(client, "GET", commissioners_questions(call_off), user).status_code == 403
        assert call(client, "POST", answer, user, good).status_code == 403
    assert (
        call(client, "POST", f"{commissioners_questions(call_off)}999999/answer/", world.commissioner, good).status_code
        == 404
    )
    other_call_off = world.published()
    wrong = f"{commissioners_questions(other_call_off)}{question.pk}/answer/"
    assert call(client, "POST", wrong, world.commissioner, good).status_code == 404
    with after_deadline(call_off):
        response = call(client, "POST", answer, world.commissioner, good)
        assert response.json() == {"detail": ["Answers can only be published before the deadline"]}
    question.refresh_from_db()
    assert question.answered_at is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_lists_make_the_same_number_of_queries_however_many(
    client, world, call_off, org, admin, count, django_assert_max_num_queries
):
    for index in range(count):
        services.ask_question(actor=admin, call_off=call_off, organisation=org, question=f"Question {index}?")
    with django_assert_max_num_queries(10):
        response = call(client, "GET", QUESTIONS, admin)
    assert response.json()["count"] == count
    with django_assert_max_num_queries(10):
        response = call(client, "GET", commissioners_questions(call_off), world.commissioner)
    assert response.json()["count"] == count
