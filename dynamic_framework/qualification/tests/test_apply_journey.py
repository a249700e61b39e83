"""A provider's applications, starting one, the task list, and the organisation and scope sections."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dynamic_framework.accounts.tests.factories import RoleGrantFactory, user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import selectors, services
from dynamic_framework.qualification.models import Application
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("&#39;", "'")


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def charity(framework):
    """A micro charity whose income the service does not know yet."""
    return ProviderFactory(name="Riverside Women's Group", slug="riverside", latest_income_pence=None, income_year="")


@pytest.fixture
def admin(charity):
    return q.confirm_email(user_with_role("provider_administrator", organisation=charity, full_name="Jo Bloggs"))


@pytest.fixture
def staff(charity):
    return user_with_role("provider_staff", organisation=charity)


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def app_url(application, rest=""):
    return f"/applications/{application.reference}/{rest}"


# Your applications ------------------------------------------------------------------------------------------------


def test_applications_need_a_provider_role(client, framework):
    response = client.get("/applications/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=/applications/")
    client.force_login(user_with_role("commissioner"))
    assert client.get("/applications/").status_code == 403
    client.force_login(user_with_role("framework_manager"))
    assert client.get("/applications/").status_code == 403


def test_applications_list_with_none_yet_offers_to_start(as_admin, charity):
    page = text(as_admin.get("/applications/"))
    assert "Riverside Women's Group has not applied yet." in page
    assert 'href="/applications/start/"' in page and "Start a new application" in page


def test_applications_list_shows_each_application(client, charity, admin, staff):
    assessor, manager = user_with_role("evaluator"), user_with_role("framework_manager")
    decided = q.qualified_application(charity, admin, assessor, manager)
    draft = services.start_application(actor=admin, organisation=charity, framework=decided.framework)
    client.force_login(staff)
    page = text(client.get("/applications/"))
    assert f'href="/applications/{decided.reference}/"' in page and f'href="/applications/{draft.reference}/"' in page
    assert "Decision sent" in page and "Not submitted yet" in page
    assert "Women: Qualified" in page and "Emotional Wellbeing: Qualified" in page
    assert "No types of service chosen yet" in page
    assert "<caption" in page
    # one application in progress: no button to start another
    assert "Start a new application" not in page


def test_applications_list_tells_them_about_a_question_waiting(client, charity, admin):
    assessor = user_with_role("evaluator")
    application = q.assessed_application(charity, admin, assessor, clarify="insurance")
    client.force_login(admin)
    page = text(client.get("/applications/"))
    clarification = application.clarifications.get()
    assert "The assessor has asked you a question" in page
    assert f'href="/applications/{application.reference}/questions/{clarification.pk}/"' in page
    assert "Waiting for the applicant's answer" in page


def test_applications_list_offers_no_start_while_the_framework_is_closed(as_admin, framework):
    services.close_framework(actor="system", framework=framework, reason="Reviewing the questions.")
    page = text(as_admin.get("/applications/"))
    assert "Start a new application" not in page
    assert "not open for new applications at the moment" in page


def test_applications_of_someone_in_two_organisations_are_grouped(client, charity, admin, framework):
    other = ProviderFactory(name="Another Charity", slug="another-charity")
    RoleGrantFactory(user=admin, role="provider_staff", organisation=other)
    mine = services.start_application(actor=admin, organisation=charity, framework=framework)
    client.force_login(admin)
    page = text(client.get("/applications/"))
    assert '<h2 class="govuk-heading-m">Another Charity</h2>' in page
    assert '<h2 class="govuk-heading-m">Riverside Women\'s Group</h2>' in page
    assert "Applications from Riverside Women's Group" in page
    assert mine.reference in page
    assert "Start a new application for Another Charity" in page
    assert 'href="/applications/start/?organisation=another-charity"' in page
    assert "Start a new application for Riverside" not in page


def _withdrawn_applications(org, actor, framework, n):
    for _ in range(n):
        application = services.start_application(actor=actor, organisation=org, framework=framework)
        services.withdraw_application(actor=actor, application=application)


def test_applications_list_makes_the_same_queries_however_many_there_are(
    client, charity, admin, framework, django_assert_max_num_queries
):
    client.force_login(admin)
    counts = []
    for n in (2, 10):
        _withdrawn_applications(charity, admin, framework, n)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(14):
            response = client.get("/applications/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert text(response).count("Withdrawn") == 12


def test_applications_list_is_paginated(client, charity, admin, framework):
    _withdrawn_applications(charity, admin, framework, 22)
    client.force_login(admin)
    first, second = text(client.get("/applications/")), text(client.get("/applications/?page=2"))
    assert first.count(">Withdrawn<") == 20 and second.count(">Withdrawn<") == 2
    assert 'href="?page=2"' in first
    assert client.get("/applications/?page=99").status_code == 200


# Starting an application ---------------------------------------------------------------------------------------


def test_before_you_start(as_admin, charity):
    page = text(as_admin.get("/applications/start/"))
    assert "Before you start" in page
    assert "You are applying for Riverside Women's Group" in page
    assert "an hour or two" in page and "come back at any time" in page
    # its income is not known yet: the size is asked first
    assert "We ask for your latest annual income first" in page
    assert Application.objects.count() == 0


def test_before_you_start_shows_what_a_known_size_will_need(client, framework):
    org = ProviderFactory(latest_income_pence=50_000_00)  # £50,000: small
    client.force_login(user_with_role("provider_staff", organisation=org))
    page = text(client.get("/applications/start/"))
    assert "What a small organisation is asked" in page
    assert "Your latest accounts or a statement of your income and spending" in page


def test_starting_an_application(as_admin, charity):
    response = as_admin.post("/applications/start/", {"organisation": charity.slug})
    application = Application.objects.get(organisation=charity)
    assert response.status_code == 302 and response["Location"] == app_url(application)
    assert application.question_set == services.current_question_set(application.framework)
    # again: they are taken to the one in progress
    response = as_admin.post("/applications/start/", {})
    assert response["Location"] == app_url(application)
    response = as_admin.get("/applications/start/", follow=True)
    assert "already has an application in progress" in text(response)
    assert Application.objects.count() == 1


def test_starting_while_the_framework_is_closed_says_so(as_admin, framework):
    services.close_framework(actor="system", framework=framework, reason="Reviewing.")
    response = as_admin.post("/applications/start/", {})
    assert response.status_code == 200
    assert "The framework is not open for applications at the moment" in text(response)
    assert "There is a problem" in text(response) and "<title>Error: Before you start" in text(response)
    assert Application.objects.count() == 0


def test_starting_for_one_of_two_organisations(client, charity, admin):
    other = ProviderFactory(name="Another Charity", slug="another-charity")
    RoleGrantFactory(user=admin, role="provider_administrator", organisation=other)
    client.force_login(admin)
    page = text(client.get("/applications/start/"))
    assert "Which organisation are you applying for?" in page and 'value="another-charity"' in page
    response = client.post("/applications/start/", {"organisation": "not-mine"})
    assert "Select the organisation you are applying for" in text(response)
    assert Application.objects.count() == 0
    page = text(client.get("/applications/start/?organisation=another-charity"))
    assert "You are applying for Another Charity" in page
    client.post("/applications/start/", {"organisation": "another-charity"})
    assert Application.objects.get().organisation == other


def test_only_provider_members_can_start(client, framework):
    client.force_login(user_with_role("framework_manager"))
    assert client.get("/applications/start/").status_code == 403
    assert client.post("/applications/start/").status_code == 403


# The task list ---------------------------------------------------------------------------------------------------


def test_task_list_of_a_new_application(as_admin, charity, admin, framework):
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    page = text(as_admin.get(app_url(application)))
    assert "govuk-task-list" in page
    assert f'href="{app_url(application, "sections/organisation/")}"' in page
    assert f'href="{app_url(application, "sections/scope/")}"' in page
    # questions depend on size, so they wait for the organisation section
    assert f'href="{app_url(application, "sections/eligibility/")}"' not in page
    assert "Cannot start yet" in page
    assert "Fill in “Your organisation” first: the size of your organisation decides the questions" in page
    assert "Start with your organisation: your latest annual income decides which questions we ask" in page
    assert "Check your answers and submit" in page and "check-your-answers" not in page
    assert "Welsh language" not in page


def test_task_list_after_the_organisation_section(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    page = text(as_admin.get(app_url(application)))
    count = application.question_set.parsed.count("micro")
    assert f"this application has {count.base} questions" in page
    assert "As a micro organisation (income under £10,000)" in page
    assert f'href="{app_url(application, "sections/eligibility/")}"' in page
    assert "Completed" in page and "Not yet started" in page
    # examples of past work wait for the types of service
    assert "Choose the types of service you are applying for first" in page
    assert "You have completed 1 of 9 sections." in page


def test_task_list_counts_categories_and_wales(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    services.save_scope(
        actor=admin, application=application, categories=["women", "accommodation"], pcc_areas=["gwent", "durham"]
    )
    page = text(as_admin.get(app_url(application)))
    count = application.question_set.parsed.count("micro")
    assert f"this application has {count.base + 2 + count.wales} questions" in page
    assert "Welsh language" in page
    assert f'href="{app_url(application, "sections/welsh_language/")}"' in page


def test_task_list_when_every_section_is_complete(client, charity, admin, staff, django_assert_max_num_queries):
    application = q.complete_application(charity, admin)
    client.force_login(staff)
    with django_assert_max_num_queries(14):
        page = text(client.get(app_url(application)))
    assert f'href="{app_url(application, "check-your-answers/")}"' in page
    assert "Incomplete" not in page and "Cannot start yet" not in page
    assert "You have completed 9 of 9 sections." in page


def test_task_list_makes_the_same_queries_with_more_categories_and_areas(client, charity, admin):
    application = q.complete_application(charity, admin, categories=("women",), areas=("durham",))
    client.force_login(admin)
    with CaptureQueriesContext(connection) as few:
        client.get(app_url(application))
    other = ProviderFactory()
    other_admin = user_with_role("provider_administrator", organisation=other)
    many = q.complete_application(
        other,
        other_admin,
        categories=("women", "accommodation", "finance-benefits-and-debt", "emotional-wellbeing"),
        areas=[a.slug for a in PccArea.objects.filter(region__code__in=["A", "B"])],
    )
    client.force_login(other_admin)
    with CaptureQueriesContext(connection) as more:
        client.get(app_url(many))
    assert len(few) == len(more)


def test_a_draft_seen_by_a_framework_manager_is_read_only(client, charity, admin):
    application = q.draft_application(charity, admin)
    client.force_login(user_with_role("framework_manager"))
    page = text(client.get(app_url(application)))
    assert "This application has not been submitted yet." in page
    assert "govuk-task-list" not in page
    assert client.get(app_url(application, "sections/organisation/")).status_code == 403


# Section pages in general ---------------------------------------------------------------------------------------------


def test_section_pages_that_do_not_exist_or_apply_are_not_found(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    assert as_admin.get(app_url(application, "sections/nothing/")).status_code == 404
    assert as_admin.get(app_url(application, "sections/welsh_language/")).status_code == 404
    assert as_admin.get("/applications/DFQ-NOPE-NOPE/sections/organisation/").status_code == 404


def test_a_section_that_cannot_start_yet_goes_back_to_the_task_list(as_admin, charity, admin, framework):
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    response = as_admin.get(app_url(application, "sections/finances/"))
    assert response.status_code == 302 and response["Location"] == app_url(application)
    assert "the size of your organisation decides the questions" in text(as_admin.get(app_url(application)))


def test_sections_of_a_submitted_application_are_read_only(as_admin, charity, admin):
    application = q.submitted_application(charity, admin)
    response = as_admin.get(app_url(application, "sections/finances/"))
    assert response["Location"] == app_url(application)
    response = as_admin.post(app_url(application, "sections/insurance/"), {"public_liability": "No"})
    assert response["Location"] == app_url(application)


def test_members_of_another_organisation_cannot_see_sections(client, charity, admin):
    application = q.draft_application(charity, admin)
    client.force_login(user_with_role("provider_administrator"))
    assert client.get(app_url(application)).status_code == 403
    assert client.get(app_url(application, "sections/organisation/")).status_code == 403


# Your organisation ----------------------------------------------------------------------------------------------------


def test_organisation_section_is_prefilled_from_the_record(as_admin, charity, admin, framework):
    charity.address = "2 River Road\nDurham"
    charity.latest_income_pence = 8_500_00
    charity.income_year = "2024-25"
    charity.save()
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    page = text(as_admin.get(app_url(application, "sections/organisation/")))
    assert 'value="Riverside Women\'s Group"' in page
    assert 'value="registered_charity" checked' in page
    assert 'value="8,500"' in page and 'value="2024-25"' in page
    assert "2 River Road" in page
    assert "these details are saved to your organisation's public record" in page
    assert "puts your organisation in the micro size band (income under £10,000)" in page
    assert "Smaller organisations answer fewer questions" in page
    for code in ("registered_charity", "community_interest_company", "private_company"):
        assert f'value="{code}"' in page


def test_organisation_section_saves_and_decides_the_size(as_admin, charity, admin, framework):
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    raw = {**q.organisation_raw(charity, income="2,500,000"), "action": "continue"}
    response = as_admin.post(app_url(application, "sections/organisation/"), raw)
    assert response.status_code == 302 and response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.size_band == "large"
    assert application.organisation_details["income_pence"] == 2_500_000_00
    charity.refresh_from_db()
    assert charity.latest_income_pence is None, "the public record changes only when the application is submitted"


def test_organisation_section_errors_keep_what_was_typed_and_save_nothing(as_admin, charity, admin, framework):
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    before = dict(application.organisation_details)
    events = AuditEvent.objects.count()
    raw = {
        **q.organisation_raw(charity),
        "income": "lots",
        "address": "",
        "name": "Riverside Renamed",
        "action": "continue",
    }
    response = as_admin.post(app_url(application, "sections/organisation/"), raw)
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error: " in page
    assert 'href="#id_income"' in page and 'href="#id_address"' in page
    assert "Enter your organisation's address" in page
    assert 'value="lots"' in page and 'value="Riverside Renamed"' in page
    application.refresh_from_db()
    assert application.organisation_details == before
    assert AuditEvent.objects.count() == events


def test_organisation_section_save_for_later_checks_only_what_was_given(as_admin, charity, admin, framework):
    application = services.start_application(actor=admin, organisation=charity, framework=framework)
    raw = {"name": "Riverside Women's Group", "income": "9000", "income_year": "2025-26", "action": "later"}
    response = as_admin.post(app_url(application, "sections/organisation/"), raw)
    assert response["Location"] == app_url(application)
    application.refresh_from_db()
    assert application.size_band == "micro"
    page = text(as_admin.get(app_url(application)))
    assert "Your answers have been saved" in page
    assert "Incomplete" in page


# Services and areas -------------------------------------------------------------------------------------------------


def test_scope_section_lists_categories_and_areas_by_region(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    page = text(as_admin.get(app_url(application, "sections/scope/")))
    assert page.count('name="categories"') == 14
    assert "A need people have" in page and "A group of people" in page
    assert page.count('name="pcc_areas"') == PccArea.objects.count()
    assert page.count('name="whole_region"') == 12
    assert page.count("<legend") == 13  # the categories, and one for each region
    assert "All areas in North East" in page
    assert "If you choose an area in Wales, we will also ask you about the Welsh language" in page


def test_scope_section_saves_with_a_whole_region(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    data = {"categories": ["women", "accommodation"], "whole_region": ["A"], "pcc_areas": ["gwent"]}
    response = as_admin.post(app_url(application, "sections/scope/"), {**data, "action": "continue"})
    assert response["Location"] == app_url(application)
    assert set(application.pcc_areas.values_list("slug", flat=True)) == {
        *PccArea.objects.filter(region__code="A").values_list("slug", flat=True),
        "gwent",
    }
    assert set(application.category_choices.values_list("category__slug", flat=True)) == {"women", "accommodation"}
    # shown again as chosen, area by area
    page = text(as_admin.get(app_url(application, "sections/scope/")))
    assert 'id="area-durham" name="pcc_areas" type="checkbox" value="durham" checked' in page


def test_scope_section_errors(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    response = as_admin.post(
        app_url(application, "sections/scope/"), {"categories": ["women"], "pcc_areas": ["atlantis"]}
    )
    page = text(response)
    assert response.status_code == 200
    assert "Select areas from the list" in page and 'href="#region-' in page
    assert 'value="women" checked' in page
    assert not application.category_choices.exists()
    response = as_admin.post(app_url(application, "sections/scope/"), {"action": "continue"})
    page = text(response)
    assert "Select at least one type of service" in page and 'href="#categories"' in page
    assert "Select at least one area" in page


def test_the_welsh_section_appears_only_with_a_welsh_area(as_admin, charity, admin):
    application = q.draft_application(charity, admin)
    services.save_scope(actor=admin, application=application, categories=["women"], pcc_areas=["durham"])
    assert "Welsh language" not in text(as_admin.get(app_url(application)))
    assert as_admin.get(app_url(application, "sections/welsh_language/")).status_code == 404
    as_admin.post(
        app_url(application, "sections/scope/"), {"categories": ["women"], "pcc_areas": ["durham", "north-wales"]}
    )
    assert "Welsh language" in text(as_admin.get(app_url(application)))
    page = text(as_admin.get(app_url(application, "sections/welsh_language/")))
    assert "Do any of your staff or volunteers speak Welsh?" in page


def test_selectors_for_several_organisations(charity, admin, framework):
    other = ProviderFactory(name="Another Charity")
    other_admin = user_with_role("provider_administrator", organisation=other)
    mine = services.start_application(actor=admin, organisation=charity, framework=framework)
    theirs = services.start_application(actor=other_admin, organisation=other, framework=framework)
    assert list(selectors.applications_for_organisations([charity.pk, other.pk])) == [theirs, mine]
    assert selectors.open_application(framework, charity) == mine
    assert selectors.organisations_with_open_application(framework, [charity.pk, other.pk]) == {charity.pk, other.pk}
    services.withdraw_application(actor=admin, application=mine)
    assert selectors.open_application(framework, charity) is None
    assert selectors.organisations_with_open_application(framework, [charity.pk]) == set()
