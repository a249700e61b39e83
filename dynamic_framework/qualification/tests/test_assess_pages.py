"""The assessment pages: conflicts of interest, the review page, assigning, assessing a section (and asking the
applicant a question) and the decision. Bad input shows the GOV.UK error summary and saves nothing. (The queue
is in test_assess_queue.py.)"""

import html
import re

import pytest
from django.urls import reverse

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import RoleGrantFactory, provider_organisation, user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.models import OrganisationIdentifier
from dynamic_framework.organisations.tests.factories import CommissioningBodyFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import (
    ApplicationCategory,
    Clarification,
    ConflictOfInterest,
    Qualification,
    SectionAssessment,
)
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def refdata(db):
    from dynamic_framework.core.services import load_reference_data

    load_reference_data()


@pytest.fixture
def org():
    org = provider_organisation(name="Riverside Women's Centre", slug="riverside")
    # (Submitting replaces charity and company numbers with those in the application; other registers stay.)
    OrganisationIdentifier.objects.create(organisation=org, scheme="GB-SC", identifier="SC012345")
    return org


@pytest.fixture
def admin(org):
    return q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=org, full_name="Pat Provider"))


@pytest.fixture
def manager():
    return user_with_role(Role.FRAMEWORK_MANAGER, full_name="Fran Manager", email="fran@example.org")


@pytest.fixture
def evaluator():
    return user_with_role(Role.EVALUATOR, full_name="Eve Evaluator", email="eve@example.org")


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def error_summary(response) -> list[str]:
    """The messages in the GOV.UK error summary (none: [])."""
    body = response.content.decode()
    match = re.search(
        r'<div class="govuk-error-summary".*?<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', body, re.S
    )
    if not match:
        return []
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    ]


def signed_in(client, user):
    client.force_login(user)
    return client


def review_url(application):
    return reverse("qualification:assess", kwargs={"reference": application.reference})


def section_url(application, key):
    return reverse("qualification:assess-section", kwargs={"reference": application.reference, "section_key": key})


def assign_url(application):
    return reverse("qualification:assign", kwargs={"reference": application.reference})


def decide_url(application):
    return reverse("qualification:decide", kwargs={"reference": application.reference})


CONFLICTS = "/assessment/conflicts/"


def test_url_paths():
    assert reverse("qualification:queue") == "/assessment/"
    assert reverse("qualification:conflicts") == CONFLICTS
    assert reverse("qualification:assess", kwargs={"reference": "ABC"}) == "/assessment/ABC/"
    assert reverse("qualification:assign", kwargs={"reference": "ABC"}) == "/assessment/ABC/assign/"
    assert reverse("qualification:decide", kwargs={"reference": "ABC"}) == "/assessment/ABC/decision/"
    assert (
        reverse("qualification:assess-section", kwargs={"reference": "ABC", "section_key": "past_work:women"})
        == "/assessment/ABC/sections/past_work:women/"
    )


# Conflicts of interest --------------------------------------------------------------------------------------


def test_conflicts_page_explains_and_lists_declared_conflicts(client, org, evaluator):
    services.declare_conflict(actor=evaluator, organisation=org, reason="My sister is a trustee")
    response = signed_in(client, evaluator).get(CONFLICTS)
    assert response.status_code == 200
    page = text(response)
    assert "you work or volunteer there" in page
    assert "it has paid you, or you have been paid by it, in the last 3 years" in page
    assert "Any of its applications already assigned to you go back to the queue" in page
    assert "Riverside Women's Centre My sister is a trustee" in page
    assert '<caption class="govuk-table__caption' in response.content.decode()


def test_finding_an_organisation_shows_matching_providers_to_choose_from(client, org, evaluator):
    CommissioningBodyFactory(name="Riverside Police and Crime Commissioner")
    provider_organisation(name="Hillside Housing", slug="hillside")
    response = signed_in(client, evaluator).get(CONFLICTS, {"find": "river"})
    body = response.content.decode()
    assert 'value="riverside"' in body and "GB-SC-SC012345" in body  # the register number tells names apart
    assert "Riverside Police" not in body  # providers only
    assert "Hillside" not in body
    assert 'name="find" value="river"' in body  # kept for the declaration form
    response = client.get(CONFLICTS, {"find": "nothing like it"})
    assert "No provider organisations match ‘nothing like it’" in text(response)
    assert error_summary(response) == []


def test_declaring_a_conflict_saves_it_and_unassigns_its_applications(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, evaluator).post(
        CONFLICTS, {"find": "Riverside", "organisation": "riverside", "reason": "I volunteer there"}
    )
    assert response.status_code == 302 and response["Location"] == CONFLICTS
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.user, conflict.organisation, conflict.reason) == (evaluator, org, "I volunteer there")
    application.refresh_from_db()
    assert application.assigned_to is None
    page = text(client.get(CONFLICTS))
    assert "You declared a conflict of interest with Riverside Women's Centre" in page
    assert "I volunteer there" in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"find": "Riverside", "organisation": "", "reason": ""},
            ["Choose the organisation", "Say what the conflict of interest is"],
        ),
        ({"find": "Riverside", "organisation": "riverside", "reason": "  "}, ["Say what the conflict of interest is"]),
        (
            {"find": "Riverside", "organisation": "someone-else", "reason": "Friend"},
            ["Choose the organisation from the list"],
        ),
        (
            {"find": "Riverside", "organisation": "riverside", "reason": "word " * 201},
            ["This must be 200 words or fewer"],
        ),
        ({}, ["Enter the name of the organisation, then choose it from the list"]),
        (
            {"find": "Nowhere", "organisation": "riverside", "reason": "Friend"},
            ["No provider organisations match ‘Nowhere’: check the spelling, or try part of the name"],
        ),
    ],
)
def test_declaring_a_conflict_with_bad_input_shows_errors_and_saves_nothing(client, org, evaluator, data, expected):
    response = signed_in(client, evaluator).post(CONFLICTS, data)
    assert response.status_code == 200
    assert error_summary(response) == expected
    assert "<title>Error:" in response.content.decode()
    assert not ConflictOfInterest.objects.exists()
    assert not AuditEvent.objects.filter(action="qualification.conflict_declared").exists()
    if data.get("reason", "").strip() and "Riverside" in data.get("find", ""):
        assert data["reason"].strip() in response.content.decode()  # what was typed is kept


def test_declaring_the_same_conflict_twice_shows_the_services_error(client, org, evaluator):
    services.declare_conflict(actor=evaluator, organisation=org, reason="Friend")
    response = signed_in(client, evaluator).post(
        CONFLICTS, {"find": "Riverside", "organisation": "riverside", "reason": "Again"}
    )
    assert error_summary(response) == ["You have already declared a conflict with this organisation"]
    assert ConflictOfInterest.objects.count() == 1


def test_conflicts_page_is_for_assessors_only(client, admin):
    assert client.get(CONFLICTS).status_code == 302
    assert signed_in(client, admin).get(CONFLICTS).status_code == 403
    assert client.post(CONFLICTS, {}).status_code == 403


# The review page ---------------------------------------------------------------------------------------------


def test_review_page_shows_the_organisation_what_they_applied_for_and_every_section(
    client, org, admin, manager, evaluator
):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance", fail="finances")
    response = signed_in(client, evaluator).get(review_url(application))
    assert response.status_code == 200
    body, page = response.content.decode(), text(response)
    # The organisation, with its register numbers linked to the public register
    assert "Riverside Women's Centre" in page and "Registered charity" in page
    assert "Micro" in page and org.sector_label in page
    assert 'href="https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number=SC012345"' in body
    assert "GB-SC-SC012345" in page
    # What they applied for: categories, areas grouped by region, and the version of the questions
    assert "Women" in page and "Emotional Wellbeing" in page
    assert re.search(r"North East\s*</dt>\s*<dd[^>]*>\s*Durham, Northumbria", body)
    assert "Version 1 of the questions" in page
    # Every section, with its answers and assessment
    for key, title in services.assessable_sections(application):
        assert f'id="section-{key.replace(":", "-")}"' in body, key
    assert "Examples of your work: Women" in page and "Examples of your work: Emotional Wellbeing" in page
    assert "We ran a weekly group for two years." in page
    assert "Not enough detail." in page and "By Eve Evaluator on" in page  # the fail and its note
    # Documents link to the document view
    document = application.documents.order_by("pk").first()
    assert reverse("qualification:document", kwargs={"reference": application.reference, "pk": document.pk}) in body
    # The open question
    assert "Can you send us your insurance certificate?" in page
    assert "Waiting for the applicant's answer" in page
    # The assessor assesses; the open question's section waits for the answer
    assert section_url(application, "finances") in body
    assert section_url(application, "insurance") not in body
    assert assign_url(application) not in body and decide_url(application) not in body


def test_review_page_shows_answered_clarifications_and_earlier_assessments(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    clarification = Clarification.objects.get()
    services.answer_clarification(
        actor=admin, clarification=clarification, answer="Here is our certificate", uploaded=q.pdf("cert.pdf")
    )
    services.assess_section(actor=evaluator, application=application, section_key="insurance", outcome="pass")
    response = signed_in(client, manager).get(review_url(application))
    body, page = response.content.decode(), text(response)
    assert "Here is our certificate" in page and "Answered by Pat Provider on" in page
    clarification.refresh_from_db()
    assert (
        reverse("qualification:document", kwargs={"reference": application.reference, "pk": clarification.document_id})
        in body
    )
    assert "Earlier assessments of Insurance (1)" in page
    assert 'class="govuk-details"' in body


def test_framework_manager_sees_the_assignment_link_and_what_is_still_needed(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    response = signed_in(client, manager).get(review_url(application))
    body, page = response.content.decode(), text(response)
    assert assign_url(application) in body and "Change the assessor" in page
    assert "Before you can decide:" in page
    assert "Insurance has not been passed or failed yet" in page
    assert "A question to the applicant has not been answered yet" in page
    assert decide_url(application) not in body
    assert section_url(application, "finances") not in body  # not assigned to them


def test_framework_manager_sees_the_decision_link_when_ready(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    body = signed_in(client, manager).get(review_url(application)).content.decode()
    assert decide_url(application) in body and "Before you can decide" not in body


def test_review_page_of_an_unassigned_application_offers_assignment(client, org, admin, manager):
    application = q.submitted_application(org, admin)
    page = text(signed_in(client, manager).get(review_url(application)))
    assert "Not assigned yet" in page and "Assign an assessor" in page
    assert "Waiting for an assessor" in page


def test_review_page_of_a_decided_application_shows_the_decision(client, org, admin, manager, evaluator):
    application = q.qualified_application(org, admin, evaluator, manager)
    response = signed_in(client, manager).get(review_url(application))
    page = text(response)
    assert "Decided on" in page and "by Fran Manager" in page
    assert "Decision sent" in page
    assert assign_url(application) not in response.content.decode()
    assert decide_url(application) not in response.content.decode()
    # The assessor still sees it, but cannot assess any more
    body = signed_in(client, evaluator).get(review_url(application)).content.decode()
    assert section_url(application, "finances") not in body


def test_review_page_refuses_the_applicant_and_conflicted_or_member_managers(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    staff = user_with_role(Role.PROVIDER_STAFF, organisation=org)
    assert signed_in(client, admin).get(review_url(application)).status_code == 403
    assert signed_in(client, staff).get(review_url(application)).status_code == 403
    other_evaluator = user_with_role(Role.EVALUATOR)
    assert signed_in(client, other_evaluator).get(review_url(application)).status_code == 403
    assert (
        signed_in(client, user_with_role(Role.PLATFORM_ADMINISTRATOR)).get(review_url(application)).status_code == 403
    )
    assert signed_in(client, user_with_role(Role.COMMISSIONER)).get(review_url(application)).status_code == 403
    # A framework manager who declared a conflict
    conflicted = user_with_role(Role.FRAMEWORK_MANAGER)
    services.declare_conflict(actor=conflicted, organisation=org, reason="Trustee")
    assert signed_in(client, conflicted).get(review_url(application)).status_code == 403
    # A framework manager who belongs to the applicant organisation
    member_manager = user_with_role(Role.FRAMEWORK_MANAGER)
    RoleGrantFactory(user=member_manager, role=Role.PROVIDER_STAFF, organisation=org)
    assert signed_in(client, member_manager).get(review_url(application)).status_code == 403
    # The assigned assessor and other framework managers may
    assert signed_in(client, evaluator).get(review_url(application)).status_code == 200
    assert signed_in(client, manager).get(review_url(application)).status_code == 200
    client.logout()
    response = client.get(review_url(application))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_review_page_of_an_unknown_or_unsubmitted_application_is_404(client, org, admin, manager):
    draft = q.draft_application(org, admin)
    signed_in(client, manager)
    assert client.get(review_url(draft)).status_code == 404
    assert client.get("/assessment/NOSUCHREF/").status_code == 404


# Assigning ---------------------------------------------------------------------------------------------------


def test_assign_page_lists_assessors_and_marks_those_with_a_conflict(client, org, admin, manager, evaluator):
    application = q.submitted_application(org, admin)
    conflicted = user_with_role(Role.EVALUATOR, full_name="Connie Conflict", email="connie@example.org")
    services.declare_conflict(actor=conflicted, organisation=org, reason="Sister works there")
    user_with_role(Role.COMMISSIONER, full_name="Cam Commissioner")
    response = signed_in(client, manager).get(assign_url(application))
    assert response.status_code == 200
    body, page = response.content.decode(), text(response)
    assert 'value="eve@example.org"' in body and 'value="fran@example.org"' in body
    assert "Cam Commissioner" not in page
    assert "Connie Conflict" in page
    assert "Has a conflict of interest with Riverside Women's Centre: cannot assess it" in page
    assert "0 open applications" in page


def test_assigning_saves_and_goes_back_to_the_application(client, org, admin, manager, evaluator):
    application = q.submitted_application(org, admin)
    response = signed_in(client, manager).post(assign_url(application), {"assessor": "eve@example.org"})
    assert response.status_code == 302 and response["Location"] == review_url(application)
    application.refresh_from_db()
    assert application.assigned_to == evaluator and application.assigned_by == manager
    assert AuditEvent.objects.filter(action="qualification.application_assigned").count() == 1
    assert "is assigned to Eve Evaluator" in text(client.get(review_url(application)))


@pytest.mark.parametrize("who", ["nobody", "conflicted", "commissioner"])
def test_assigning_badly_shows_errors_and_saves_nothing(client, org, admin, manager, who):
    application = q.submitted_application(org, admin)
    conflicted = user_with_role(Role.EVALUATOR, full_name="Connie Conflict", email="connie@example.org")
    services.declare_conflict(actor=conflicted, organisation=org, reason="Sister works there")
    user_with_role(Role.COMMISSIONER, email="cam@example.org")
    data = {
        "nobody": {},
        "conflicted": {"assessor": "connie@example.org"},
        "commissioner": {"assessor": "cam@example.org"},
    }[who]
    response = signed_in(client, manager).post(assign_url(application), data)
    assert response.status_code == 200
    expected = {
        "nobody": ["Choose an assessor from the list"],
        "conflicted": ["Connie Conflict has a conflict of interest with Riverside Women's Centre: choose someone else"],
        "commissioner": ["Choose an assessor from the list"],
    }[who]
    assert error_summary(response) == expected
    application.refresh_from_db()
    assert application.assigned_to is None
    assert not AuditEvent.objects.filter(action="qualification.application_assigned").exists()


def test_assigning_is_for_framework_managers_without_a_conflict(client, org, admin, manager, evaluator):
    application = q.submitted_application(org, admin)
    assert signed_in(client, evaluator).get(assign_url(application)).status_code == 403
    assert client.post(assign_url(application), {"assessor": "eve@example.org"}).status_code == 403
    services.declare_conflict(actor=manager, organisation=org, reason="Trustee")
    assert signed_in(client, manager).get(assign_url(application)).status_code == 403
    application.refresh_from_db()
    assert application.assigned_to is None


def test_a_decided_application_cannot_be_assigned_from_the_page(client, org, admin, manager, evaluator):
    application = q.qualified_application(org, admin, evaluator, manager)
    response = signed_in(client, manager).get(assign_url(application))
    assert "A decision has already been made on this application" in text(response)
    assert 'name="assessor"' not in response.content.decode()
    response = client.post(assign_url(application), {"assessor": "fran@example.org"})
    assert error_summary(response) == ["A decision has already been made on this application, so it cannot change"]
    application.refresh_from_db()
    assert application.assigned_to == evaluator


# Assessing a section ------------------------------------------------------------------------------------------


def test_section_page_shows_the_answers_and_the_form(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, evaluator).get(section_url(application, "finances"))
    assert response.status_code == 200
    body, page = response.content.decode(), text(response)
    assert "Assess Your finances" in page
    assert "Their answers" in page
    document = application.documents.get(question_key="income_statement")  # a micro charity's income statement
    assert reverse("qualification:document", kwargs={"reference": application.reference, "pk": document.pk}) in body
    assert "Download income_statement.pdf" in page
    for value in ("pass", "fail", "clarification"):
        assert f'value="{value}"' in body
    assert "We send it to the applicant, who answers it in the service" in page
    assert "For a fail: why it fails, written for the applicant" in page


def test_a_case_study_is_assessed_for_one_category(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, evaluator).get(section_url(application, "past_work:women"))
    assert response.status_code == 200
    page = text(response)
    assert "Assess Examples of your work: Women" in page
    assert "We ran a weekly group for two years." in page
    response = client.post(section_url(application, "past_work:women"), {"outcome": "pass"})
    assert response.status_code == 302
    assert response["Location"] == review_url(application) + "#section-past_work-women"
    assert SectionAssessment.objects.get().section_key == "past_work:women"


def test_passing_a_section_saves_it(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, evaluator).post(section_url(application, "finances"), {"outcome": "pass", "note": ""})
    assert response.status_code == 302 and response["Location"] == review_url(application) + "#section-finances"
    assessment = SectionAssessment.objects.get()
    assert (assessment.section_key, assessment.outcome, assessment.assessed_by) == ("finances", "pass", evaluator)
    assert "You marked Your finances as pass" in text(client.get(review_url(application)))


def test_asking_a_clarification_sends_the_question_and_closes_the_form(
    client, org, admin, manager, evaluator, django_capture_on_commit_callbacks
):
    from django.core import mail

    application = q.assigned_application(org, admin, evaluator, manager=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, evaluator).post(
            section_url(application, "insurance"), {"outcome": "clarification", "note": "When does your cover end?"}
        )
    assert response.status_code == 302
    clarification = Clarification.objects.get()
    assert clarification.question == "When does your cover end?" and clarification.section_key == "insurance"
    assert any(admin.email in m.to for m in mail.outbox)
    assert "We have sent your question about Insurance to the applicant" in text(client.get(review_url(application)))
    # Until it is answered the section shows the question and no form
    response = client.get(section_url(application, "insurance"))
    page = text(response)
    assert "When does your cover end?" in page and "Waiting for the applicant's answer" in page
    assert "The applicant has not answered your question about this section yet" in page
    assert 'name="outcome"' not in response.content.decode()
    response = client.post(section_url(application, "insurance"), {"outcome": "pass"})
    assert error_summary(response) == ["The applicant has not answered your question about this section yet"]
    assert SectionAssessment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, ["Select pass, fail or clarification needed"]),
        ({"outcome": "maybe"}, ["Select pass, fail or clarification needed"]),
        ({"outcome": "fail", "note": "  "}, ["Say why the section fails"]),
        ({"outcome": "clarification", "note": ""}, ["Write the question for the applicant"]),
        ({"outcome": "fail", "note": "word " * 501}, ["This must be 500 words or fewer"]),
    ],
)
def test_assessing_with_bad_input_shows_errors_and_saves_nothing(
    client, org, admin, manager, evaluator, data, expected
):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, evaluator).post(section_url(application, "finances"), data)
    assert response.status_code == 200
    assert error_summary(response) == expected
    assert not SectionAssessment.objects.exists() and not Clarification.objects.exists()
    if data.get("outcome") in {"fail", "clarification"}:
        assert re.search(rf'value="{data["outcome"]}"\s+checked', response.content.decode())  # the choice is kept


def test_unknown_section_is_404(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    signed_in(client, evaluator)
    assert client.get(section_url(application, "nothing")).status_code == 404
    assert client.get(section_url(application, "past_work")).status_code == 404
    assert client.get(section_url(application, "past_work:housing")).status_code == 404
    assert client.post(section_url(application, "nothing"), {"outcome": "pass"}).status_code == 404


def test_only_the_assigned_assessor_assesses(client, org, admin, manager, evaluator):
    application = q.assigned_application(org, admin, evaluator, manager=manager)
    assert signed_in(client, manager).get(section_url(application, "finances")).status_code == 403
    assert client.post(section_url(application, "finances"), {"outcome": "pass"}).status_code == 403
    assert signed_in(client, admin).get(section_url(application, "finances")).status_code == 403
    services.declare_conflict(actor=evaluator, organisation=org, reason="Friend")
    assert signed_in(client, evaluator).get(section_url(application, "finances")).status_code == 403
    assert not SectionAssessment.objects.exists()


# The decision ------------------------------------------------------------------------------------------------


def test_decision_page_lists_what_is_still_needed_instead_of_the_form(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, clarify="insurance")
    response = signed_in(client, manager).get(decide_url(application))
    assert response.status_code == 200
    page = text(response)
    assert "You cannot decide yet" in page and "Insurance has not been passed or failed yet" in page
    assert 'name="outcome_women"' not in response.content.decode()
    response = client.post(decide_url(application), {"outcome_women": "qualified"})
    assert error_summary(response)[0].startswith("You cannot decide yet: Insurance has not been passed or failed yet")
    application.refresh_from_db()
    assert application.decided_at is None


def test_decision_page_shows_section_outcomes_and_a_choice_per_category(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, manager).get(decide_url(application))
    body, page = response.content.decode(), text(response)
    assert "How each section was assessed" in page
    assert page.count("Pass") >= len(services.assessable_sections(application))
    for slug in ("women", "emotional-wellbeing"):
        assert f'name="outcome_{slug}" type="radio" value="qualified"' in body
        assert f'name="outcome_{slug}" type="radio" value="not_qualified"' in body
        assert f'name="reasons_{slug}"' in body
    assert "written for the applicant" in page


def test_deciding_qualifies_and_goes_back_to_the_application(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, manager).post(
        decide_url(application),
        {
            "outcome_women": "qualified",
            "outcome_emotional-wellbeing": "not_qualified",
            "reasons_emotional-wellbeing": "Tell us more about your wellbeing work",
        },
    )
    assert response.status_code == 302 and response["Location"] == review_url(application)
    application.refresh_from_db()
    assert application.decided_by == manager
    assert list(Qualification.objects.values_list("category__slug", flat=True)) == ["women"]
    page = text(client.get(review_url(application)))
    assert "Decision sent" in page and "Tell us more about your wellbeing work" in page


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {},
            [
                "Select qualified or not qualified for Emotional Wellbeing",
                "Select qualified or not qualified for Women",
            ],
        ),
        (
            {
                "outcome_women": "qualified",
                "outcome_emotional-wellbeing": "not_qualified",
                "reasons_emotional-wellbeing": " ",
            },
            ["Write the reasons for Emotional Wellbeing"],
        ),
        (
            {"outcome_women": "maybe", "outcome_emotional-wellbeing": "qualified"},
            ["Women cannot be qualified: a section it depends on did not pass"],
        ),
        (
            {
                "outcome_women": "qualified",
                "outcome_emotional-wellbeing": "not_qualified",
                "reasons_emotional-wellbeing": "word " * 501,
            },
            ["This must be 500 words or fewer"],
        ),
    ],
)
def test_deciding_with_bad_input_shows_errors_and_saves_nothing(client, org, admin, manager, evaluator, data, expected):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    response = signed_in(client, manager).post(decide_url(application), data)
    assert response.status_code == 200
    assert error_summary(response) == expected
    application.refresh_from_db()
    assert application.decided_at is None
    assert not Qualification.objects.exists()
    assert set(ApplicationCategory.objects.values_list("outcome", flat=True)) == {""}


def test_categories_that_cannot_be_qualified_say_why_and_offer_only_not_qualified(
    client, org, admin, manager, evaluator
):
    application = q.assessed_application(org, admin, evaluator, manager=manager, fail="past_work:women")
    response = signed_in(client, manager).get(decide_url(application))
    body, page = response.content.decode(), text(response)
    assert "This cannot be qualified: Its example of past work did not pass." in page
    assert 'name="outcome_women" type="radio" value="qualified"' not in body
    assert re.search(r'name="outcome_women" type="radio" value="not_qualified"\s+checked', body)
    assert 'name="outcome_emotional-wellbeing" type="radio" value="qualified"' in body
    # Posting qualified anyway is refused
    response = client.post(
        decide_url(application), {"outcome_women": "qualified", "outcome_emotional-wellbeing": "qualified"}
    )
    assert error_summary(response) == ["Women cannot be qualified: a section it depends on did not pass"]
    assert not Qualification.objects.exists()


def test_a_failed_general_section_blocks_every_category(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager, fail="safeguarding")
    page = text(signed_in(client, manager).get(decide_url(application)))
    assert page.count("This cannot be qualified: These sections did not pass: Keeping people safe") == 2


def test_a_decided_application_cannot_be_decided_again(client, org, admin, manager, evaluator):
    application = q.qualified_application(org, admin, evaluator, manager)
    response = signed_in(client, manager).get(decide_url(application))
    assert "A decision has already been made on this application" in text(response)
    assert 'name="outcome_women"' not in response.content.decode()
    response = client.post(decide_url(application), {"outcome_women": "not_qualified", "reasons_women": "No"})
    assert error_summary(response) == ["A decision has already been made on this application, so it cannot change"]
    assert set(ApplicationCategory.objects.values_list("outcome", flat=True)) == {"qualified"}


def test_deciding_is_for_framework_managers_without_a_conflict(client, org, admin, manager, evaluator):
    application = q.assessed_application(org, admin, evaluator, manager=manager)
    assert signed_in(client, evaluator).get(decide_url(application)).status_code == 403
    assert signed_in(client, admin).get(decide_url(application)).status_code == 403
    services.declare_conflict(actor=manager, organisation=org, reason="Trustee")
    assert signed_in(client, manager).get(decide_url(application)).status_code == 403
    data = {"outcome_women": "qualified", "outcome_emotional-wellbeing": "qualified"}
    assert client.post(decide_url(application), data).status_code == 403
    application.refresh_from_db()
    assert application.decided_at is None


# The account page ----------------------------------------------------------------------------------------------


def test_account_page_links_to_the_queue_for_assessors_only(client, admin, manager, evaluator):
    assert "/assessment/" in signed_in(client, manager).get("/account/").content.decode()
    assert "/assessment/" in signed_in(client, evaluator).get("/account/").content.decode()
    assert "/assessment/" not in signed_in(client, admin).get("/account/").content.decode()
