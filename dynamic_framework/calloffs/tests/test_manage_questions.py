"""Providers' questions, for commissioners: unanswered first, answered with the question as it will be published,
and never who asked (neither the organisation nor the person)."""

import html

import pytest
from django.urls import reverse

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.tests.factories import CallOffWorld, after_deadline
from dynamic_framework.geography.models import Region


@pytest.fixture
def world(reference_data):
    return CallOffWorld.build(providers=1)


@pytest.fixture
def asked(world):
    """A published call-off with two questions from the provider, the first asked first."""
    call_off = world.published()
    org = world.providers[0]
    admin = world.admin(org)
    admin.full_name = "Priya Questioner"
    admin.save()
    first = services.ask_question(
        actor=admin, call_off=call_off, organisation=org, question="Can the service run from our centre in Consett?"
    )
    second = services.ask_question(
        actor=admin, call_off=call_off, organisation=org, question="Is travel paid for separately?"
    )
    return call_off, first, second


def body(response) -> str:
    return html.unescape(response.content.decode())


def _url(name, call_off, **kwargs):
    return reverse(f"calloffs:{name}", kwargs={"reference": call_off.reference, **kwargs})


def _assert_nobody_named(text, world):
    org = world.providers[0]
    admin = world.admin(org)
    for identifying in (org.name, org.slug, admin.email, admin.full_name):
        assert identifying not in text, identifying


def test_the_questions_page_never_shows_who_asked(client, world, asked):
    call_off, first, second = asked
    client.force_login(world.commissioner)
    text = body(client.get(_url("questions", call_off)))
    assert first.question in text and second.question in text
    assert "2 questions asked, 2 not answered yet" in text
    _assert_nobody_named(text, world)
    text = body(client.get(_url("detail", call_off)))
    assert "2 not answered yet" in text
    _assert_nobody_named(text, world)


def test_the_question_list_makes_the_same_number_of_queries_for_few_or_many(
    client, world, asked, django_assert_max_num_queries
):
    call_off, first, _second = asked
    client.force_login(world.commissioner)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(_url("questions", call_off))
    org = world.providers[0]
    for number in range(10):
        services.ask_question(
            actor=world.admin(org), call_off=call_off, organisation=org, question=f"Question number {number}?"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        text = body(client.get(_url("questions", call_off)))
    assert "Question number 9?" in text


def test_answering_a_question_publishes_it_and_unanswered_come_first(client, world, asked):
    call_off, first, second = asked
    client.force_login(world.commissioner)
    response = client.get(_url("answer", call_off, pk=first.pk))
    text = body(response)
    assert "Remove anything from the question that identifies who asked" in text
    assert f">{first.question}</textarea>" in text  # the box starts with the question as asked
    _assert_nobody_named(text, world)

    response = client.post(_url("answer", call_off, pk=first.pk), {"published_question": "", "answer": ""})
    text = body(response)
    assert "Enter the question as it will be published" in text and "Enter the answer" in text
    first.refresh_from_db()
    assert first.answered_at is None

    response = client.post(
        _url("answer", call_off, pk=first.pk),
        {"published_question": "Can the service run from a provider's own centre?", "answer": "Yes, in Durham."},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.published_question == "Can the service run from a provider's own centre?"
    assert first.answered_by == world.commissioner

    text = body(client.get(_url("questions", call_off)))
    assert text.index(second.question) < text.index(first.question)  # unanswered first
    assert "Yes, in Durham." in text
    # Answered already: back to the list.
    assert client.get(_url("answer", call_off, pk=first.pk)).status_code == 302


def test_answers_cannot_be_published_after_the_deadline(client, world, asked):
    call_off, first, _second = asked
    with after_deadline(call_off):
        client.force_login(world.commissioner)
        response = client.post(
            _url("answer", call_off, pk=first.pk), {"published_question": "A question?", "answer": "An answer."}
        )
        assert "Answers can only be published before the deadline" in body(response)
    first.refresh_from_db()
    assert first.answered_at is None


def test_question_pages_are_for_the_regions_commissioners_only(client, world, asked):
    call_off, first, _second = asked
    client.force_login(user_with_role("commissioner", regions=[Region.objects.exclude(code="A").first()]))
    assert client.get(_url("questions", call_off)).status_code == 403
    assert client.get(_url("answer", call_off, pk=first.pk)).status_code == 403
    client.force_login(world.admin(world.providers[0]))
    assert client.get(_url("questions", call_off)).status_code == 403
    client.force_login(world.commissioner)
    assert client.get(_url("answer", call_off, pk=999999)).status_code == 404
    other = world.published()
    assert client.get(_url("answer", other, pk=first.pk)).status_code == 404
