"""The queue of submitted applications: what each row shows, the count summary, who sees what, the filters (kept
in the URL), pagination and a query count that does not grow with the number of rows."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import RoleGrantFactory, provider_organisation, user_with_role
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import Application
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db

QUEUE = "/assessment/"
ROW_REFERENCE = re.compile(r'<a class="govuk-link" href="/assessment/([A-Z0-9-]+)/">')


@pytest.fixture(autouse=True)
def refdata(db):
    from dynamic_framework.core.services import load_reference_data

    load_reference_data()


@pytest.fixture
def manager():
    return user_with_role(Role.FRAMEWORK_MANAGER, full_name="Fran Manager")


@pytest.fixture
def evaluator():
    return user_with_role(Role.EVALUATOR, full_name="Eve Evaluator")


def applicant(name: str):
    org = provider_organisation(name=name)
    return org, q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=org))


def submitted(name: str, *, days_ago: int = 0, **kwargs) -> Application:
    org, admin = applicant(name)
    application = q.submitted_application(org, admin, **kwargs)
    if days_ago:
        Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
        application.refresh_from_db()
    return application


def text(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def references(response) -> list[str]:
    return ROW_REFERENCE.findall(response.content.decode())


def test_queue_lists_submitted_applications_oldest_first_with_what_assessors_need(client, manager, evaluator):
    newer = submitted("Newer Trust", days_ago=2)
    older = submitted("Older Charity", days_ago=12, areas=("durham", "northumbria", "cleveland"))
    services.assign_application(actor=manager, application=older, assessor=evaluator)
    org, admin = applicant("Still Drafting")
    q.draft_application(org, admin)
    client.force_login(manager)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert references(response) == [older.reference, newer.reference]
    page = text(response)
    assert "Still Drafting" not in page
    row = page[page.index(older.reference) : page.index(newer.reference)]
    assert "Older Charity" in row
    assert "Micro" in row and older.organisation.sector_label.lower() in row
    assert "Emotional Wellbeing" in row and "Women" in row and "in 3 areas" in row
    assert "12 days" in row
    assert "Being assessed" in row and "Eve Evaluator" in row
    newer_row = page[page.index(newer.reference) :]
    assert "2 days" in newer_row and "Waiting for an assessor" in newer_row and "Not assigned" in newer_row
    assert '<caption class="govuk-table__caption' in response.content.decode()


def test_queue_summary_counts_open_applications_by_status(client, manager, evaluator):
    submitted("One")
    submitted("Two")
    submitted("Three")
    org, admin = applicant("Four")
    q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    org, admin = applicant("Five")
    q.assigned_application(org, admin, evaluator, manager=manager)
    org, admin = applicant("Six")
    q.qualified_application(org, admin, evaluator, manager)
    client.force_login(manager)
    page = text(client.get(QUEUE))
    assert "3 waiting for an assessor, 1 being assessed, 1 waiting for the applicant." in page
    assert "5 applications" in page  # the decided one is not open


def test_evaluators_see_only_applications_assigned_to_them(client, manager, evaluator):
    mine = submitted("Mine")
    services.assign_application(actor=manager, application=mine, assessor=evaluator)
    submitted("Not assigned")
    someone_else = submitted("Someone else's")
    services.assign_application(actor=manager, application=someone_else, assessor=user_with_role(Role.EVALUATOR))
    client.force_login(evaluator)
    response = client.get(QUEUE)
    assert references(response) == [mine.reference]
    assert "0 waiting for an assessor, 1 being assessed, 0 waiting for the applicant." in text(response)
    assert 'name="assigned_to_me"' not in response.content.decode()  # it is always only theirs


def test_nobody_sees_applications_from_organisations_they_belong_to_or_declared_a_conflict_with(client, manager):
    own = submitted("Own Organisation")
    conflicted = submitted("Conflicted")
    other = submitted("Other")
    RoleGrantFactory(user=manager, role=Role.PROVIDER_STAFF, organisation=own.organisation)
    services.declare_conflict(actor=manager, organisation=conflicted.organisation, reason="Friend")
    client.force_login(manager)
    response = client.get(QUEUE)
    assert references(response) == [other.reference]
    assert "1 waiting for an assessor" in text(response)
    # Not even by searching for them
    assert references(client.get(QUEUE, {"q": own.reference})) == []
    assert references(client.get(QUEUE, {"q": "Conflicted"})) == []


def test_queue_filters_by_status_assignment_and_search(client, manager, evaluator):
    waiting = submitted("Waiting Org", days_ago=5)
    assessing = submitted("Assessing Org", days_ago=4)
    services.assign_application(actor=manager, application=assessing, assessor=evaluator)
    mine = submitted("My Own Org", days_ago=3)
    services.assign_application(actor=manager, application=mine, assessor=manager)
    org, admin = applicant("Asked Org")
    asked = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    org, admin = applicant("Decided Org")
    decided = q.qualified_application(org, admin, evaluator, manager)
    withdrawn = submitted("Withdrawn Org")
    services.withdraw_application(
        actor=withdrawn.submitted_by, application=withdrawn, reason="We are merging with another charity"
    )
    client.force_login(manager)

    def refs(**params):
        return references(client.get(QUEUE, params))

    assert refs() == [waiting.reference, assessing.reference, mine.reference, asked.reference]
    assert refs(status="submitted") == [waiting.reference]
    assert refs(status="in_assessment") == [assessing.reference, mine.reference]
    assert refs(status="clarification") == [asked.reference]
    assert refs(status="decided") == [decided.reference]
    assert refs(status="withdrawn") == [withdrawn.reference]
    assert refs(assigned_to_me="on") == [mine.reference]
    assert refs(q="assessing") == [assessing.reference]
    assert refs(q=decided.reference.lower(), status="decided") == [decided.reference]
    assert refs(q=decided.reference) == []  # decided ones are not open
    # The filters are kept in the form
    body = client.get(QUEUE, {"status": "decided", "q": "Decided", "assigned_to_me": "on"}).content.decode()
    assert re.search(r'<option value="decided" selected', body)
    assert 'value="Decided"' in body
    assert re.search(r'name="assigned_to_me"[^>]*value="on"[^>]*checked', body)
    assert "Clear filters" in body


def test_a_bad_filter_is_shown_as_an_error_and_ignored(client, manager):
    application = submitted("Some Org")
    client.force_login(manager)
    response = client.get(QUEUE, {"status": "nonsense"})
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "Choose a status from the list" in text(response)
    assert references(response) == [application.reference]
    response = client.get(QUEUE, {"q": "x" * 101})
    assert "Organisation or reference must be 100 characters or fewer" in text(response)


def test_queue_is_paginated_keeping_the_filters(client, manager):
    apps = [submitted(f"Paged Org {n:02d}", days_ago=30 - n) for n in range(22)]
    client.force_login(manager)
    response = client.get(QUEUE, {"q": "Paged"})
    assert references(response) == [a.reference for a in apps[:20]]
    body = response.content.decode()
    assert "Showing 1 to 20 of 22" in text(response)
    assert "?q=Paged&amp;page=2" in body
    response = client.get(QUEUE, {"q": "Paged", "page": "2"})
    assert references(response) == [a.reference for a in apps[20:]]
    assert "page 2 of 2" in text(response)
    assert references(client.get(QUEUE, {"q": "Paged", "page": "abc"})) == [a.reference for a in apps[:20]]


@pytest.mark.parametrize("count", [2, 12])
def test_queue_makes_a_fixed_number_of_queries(client, manager, evaluator, count, django_assert_max_num_queries):
    for n in range(count):
        application = submitted(f"Counted Org {n}")
        if n % 2:
            services.assign_application(actor=manager, application=application, assessor=evaluator)
    client.force_login(manager)
    with django_assert_max_num_queries(11):
        response = client.get(QUEUE)
    assert len(references(response)) == count


def test_queue_query_count_does_not_grow_with_rows(client, manager, evaluator):
    """The same number of queries for 2 rows as for 12."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(manager)
    client.get(QUEUE)  # the session and the like, read once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(QUEUE)
        return len(captured)

    for n in range(2):
        submitted(f"First {n}")
    with_two = queries()
    for n in range(10):
        application = submitted(f"More {n}")
        services.assign_application(actor=manager, application=application, assessor=evaluator)
    assert queries() == with_two


def test_queue_is_for_framework_managers_and_evaluators(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")
    for role in (Role.PROVIDER_ADMINISTRATOR, Role.COMMISSIONER, Role.PLATFORM_ADMINISTRATOR):
        client.force_login(user_with_role(role))
        assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {}).status_code == 405
