"""Documents, check your answers, submitting (once), the confirmation, the application's status page,
withdrawing, and answering the assessor's questions."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import selectors, services
from dynamic_framework.qualification.models import ApplicationDocument
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("&#39;", "'")


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def charity(framework):
    return ProviderFactory(name="Riverside Women's Group", slug="riverside", latest_income_pence=None, income_year="")


@pytest.fixture
def admin(charity):
    return q.confirm_email(user_with_role("provider_administrator", organisation=charity, full_name="Jo Bloggs"))


@pytest.fixture
def staff(charity):
    return user_with_role("provider_staff", organisation=charity)


@pytest.fixture
def assessor(framework):
    return user_with_role("evaluator")


@pytest.fixture
def manager(framework):
    return user_with_role("framework_manager")


def app_url(application, rest=""):
    return f"/applications/{application.reference}/{rest}"


DECLARATION = {"declared": "on", "declaration_name": "Jo Bloggs", "declaration_role": "Chair of trustees"}


# Documents ---------------------------------------------------------------------------------------------------------


def test_a_document_is_sent_as_an_attachment(client, charity, admin):
    application = q.complete_application(charity, admin)
    document = application.documents.get(question_key="income_statement")
    client.force_login(admin)
    response = client.get(app_url(application, f"documents/{document.pk}/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="income_statement.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == q.PDF_BYTES


def test_only_people_who_may_see_the_application_get_its_documents(client, charity, admin, staff, assessor, manager):
    application = q.assigned_application(charity, admin, assessor, manager=manager)
    path = app_url(application, f"documents/{application.documents.first().pk}/")
    for user in (admin, staff, assessor, manager):
        client.force_login(user)
        assert client.get(path).status_code == 200, user
    for role in ("platform_administrator", "commissioner", "provider_administrator", "evaluator"):
        client.force_login(user_with_role(role))
        assert client.get(path).status_code == 403, role
    client.logout()
    assert client.get(path)["Location"].startswith("/sign-in/?next=")


def test_a_document_of_another_application_is_not_found(client, charity, admin, framework):
    other = ProviderFactory()
    theirs = q.complete_application(other, user_with_role("provider_administrator", organisation=other))
    mine = q.draft_application(charity, admin)
    client.force_login(admin)
    assert client.get(app_url(mine, f"documents/{theirs.documents.first().pk}/")).status_code == 404
    assert client.get(app_url(mine, "documents/999999/")).status_code == 404


# Check your answers ----------------------------------------------------------------------------------------------


def test_check_your_answers_shows_every_answer_with_change_links(client, charity, admin):
    application = q.complete_application(charity, admin)
    client.force_login(admin)
    page = text(client.get(app_url(application, "check-your-answers/")))
    assert "Check your answers before you submit" in page
    for title in ("Your organisation", "Services and areas", "Who can join", "Examples of your work"):
        assert title in page
    assert "Durham; Northumbria" in page
    assert "Emotional Wellbeing; Women" in page
    assert "A short, honest answer." in page  # the factory's answers
    assert f'href="{app_url(application, "sections/safeguarding/")}"' in page
    assert "your answer to: Who is responsible for safeguarding in your organisation?" in page
    document = application.documents.get(question_key="income_statement")
    assert f'href="{app_url(application, f"documents/{document.pk}/")}"' in page
    # the declaration names the organisation
    assert "I confirm that the information I have given is true and complete" in page
    assert "allowed to apply on behalf of Riverside Women's Group" in page
    assert 'name="declaration_name"' in page and 'name="declaration_role"' in page
    assert "Accept and submit" in page
    assert "Incomplete" not in page


def test_check_your_answers_flags_what_is_incomplete(client, charity, admin):
    application = q.draft_application(charity, admin)
    client.force_login(admin)
    page = text(client.get(app_url(application, "check-your-answers/")))
    assert "You need to finish every section before you can submit." in page
    assert "Finish “Services and areas”" in page
    assert "Complete this section" in page
    assert "Not answered yet" in page
    response = client.post(app_url(application, "check-your-answers/"), DECLARATION)
    assert response.status_code == 200
    assert "Complete every section before you submit: Services and areas" in text(response)
    assert refreshed(application).submitted_at is None


def refreshed(application):
    application.refresh_from_db()
    return application


def test_staff_check_answers_but_an_administrator_submits(client, charity, admin, staff):
    application = q.complete_application(charity, admin)
    client.force_login(staff)
    page = text(client.get(app_url(application, "check-your-answers/")))
    assert "An administrator of Riverside Women's Group must submit the application" in page
    assert 'name="declaration_name"' not in page
    assert client.post(app_url(application, "check-your-answers/"), DECLARATION).status_code == 403
    assert refreshed(application).submitted_at is None


def test_the_declaration_must_be_made(client, charity, admin):
    application = q.complete_application(charity, admin)
    client.force_login(admin)
    response = client.post(app_url(application, "check-your-answers/"), {"declaration_name": "Jo"})
    page = text(response)
    assert response.status_code == 200
    assert 'href="#id_declared"' in page and 'href="#id_declaration_role"' in page
    assert "Confirm that the information you have given is true" in page
    assert 'value="Jo"' in page
    assert refreshed(application).submitted_at is None


def test_submitting(client, charity, admin, django_capture_on_commit_callbacks):
    application = q.complete_application(charity, admin)
    client.force_login(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(app_url(application, "check-your-answers/"), DECLARATION)
    assert response.status_code == 302 and response["Location"] == app_url(application, "submitted/")
    application = refreshed(application)
    assert application.submitted_by == admin and application.declaration_role == "Chair of trustees"
    charity.refresh_from_db()
    assert charity.latest_income_pence == 8_500_00, "the organisation's record is updated on submission"
    assert len(mail.outbox) == 1 and application.reference in mail.outbox[0].body
    # check your answers is done with: back to the application
    assert client.get(app_url(application, "check-your-answers/"))["Location"] == app_url(application)


def test_a_second_click_does_not_submit_twice(client, charity, admin, django_capture_on_commit_callbacks):
    application = q.complete_application(charity, admin)
    client.force_login(admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(app_url(application, "check-your-answers/"), DECLARATION)
        second = client.post(app_url(application, "check-your-answers/"), DECLARATION)
    assert first["Location"] == second["Location"] == app_url(application, "submitted/")
    assert AuditEvent.objects.filter(action="qualification.application_submitted").count() == 1
    assert len(mail.outbox) == 1
    submitted_at = refreshed(application).submitted_at
    # the service answers a repeated submission with the application already submitted
    again = services.submit_application(
        actor=admin, application=application, declaration_name="Jo", declaration_role="Chair", declared=True
    )
    assert again.submitted_at == submitted_at


def test_two_clicks_at_the_same_moment_submit_once(client, charity, admin, monkeypatch):
    """The second request loaded the application before the first one submitted it: the service finds it
    submitted, by the same person, and says so by returning it; the page goes on to the confirmation."""
    application = q.complete_application(charity, admin)
    stale = selectors.application(application.reference).first()
    q.confirm_email(admin)
    services.submit_application(
        actor=admin,
        application=application,
        declared=True,
        **{"declaration_name": "Jo Bloggs", "declaration_role": "Chair"},
    )
    monkeypatch.setattr(selectors, "application", lambda reference: type("Q", (), {"first": lambda self: stale})())
    client.force_login(admin)
    response = client.post(app_url(application, "check-your-answers/"), DECLARATION)
    assert response["Location"] == app_url(application, "submitted/")
    assert AuditEvent.objects.filter(action="qualification.application_submitted").count() == 1
    assert refreshed(application).declaration_role == "Chair"


def test_an_unconfirmed_email_address_stops_submission_with_a_clear_message(client, charity):
    unconfirmed = user_with_role("provider_administrator", organisation=charity)
    assert not unconfirmed.has_confirmed_email
    application = q.complete_application(charity, unconfirmed)
    client.force_login(unconfirmed)
    page = text(client.get(app_url(application, "check-your-answers/")))
    assert "You need to confirm your email address before you submit" in page
    response = client.post(app_url(application, "check-your-answers/"), DECLARATION)
    assert f"Confirm your email address before you submit: use the link we emailed to {unconfirmed.email}" in text(
        response
    )
    assert refreshed(application).submitted_at is None


# Submitted, and the application's page ----------------------------------------------------------------------------


def test_the_confirmation_page(client, charity, admin):
    application = q.submitted_application(charity, admin)
    client.force_login(admin)
    page = text(client.get(app_url(application, "submitted/")))
    assert "govuk-panel--confirmation" in page and "Application submitted" in page
    assert f"<strong>{application.reference}</strong>" in page
    assert "We have sent an email confirming this" in page
    assert "What happens next" in page


def test_the_confirmation_page_of_a_draft_goes_to_the_application(client, charity, admin):
    application = q.draft_application(charity, admin)
    client.force_login(admin)
    assert client.get(app_url(application, "submitted/"))["Location"] == app_url(application)


def test_a_submitted_application_page(client, charity, admin, staff):
    application = q.submitted_application(charity, admin)
    client.force_login(staff)
    page = text(client.get(app_url(application)))
    assert "Waiting for an assessor" in page
    assert "by Jo Bloggs (Chair)" in page
    assert "What happens next" in page and "Your application is waiting for an assessor" in page
    assert "A short, honest answer." in page  # the answers, read only
    assert "govuk-summary-list__row--no-actions" in page and "your answer to:" not in page
    assert "Women: not decided yet" not in page and "Not decided yet" in page
    assert "Withdraw this application" not in page  # staff cannot withdraw
    client.force_login(admin)
    assert f'href="{app_url(application, "withdraw/")}"' in text(client.get(app_url(application)))


def test_a_decided_application_shows_the_decision_and_reasons(client, charity, admin, assessor, manager):
    application = q.assessed_application(charity, admin, assessor, manager=manager)
    services.decide_application(
        actor=manager,
        application=application,
        decisions={
            "women": ("not_qualified", "Your example did not show work with women."),
            "emotional-wellbeing": ("qualified", ""),
        },
    )
    client.force_login(admin)
    page = text(client.get(app_url(application)))
    assert "Decision sent" in page
    assert "Not qualified" in page and "Your example did not show work with women." in page
    assert "Qualified" in page
    assert "Withdraw this application" not in page


def test_an_open_question_is_shown_with_a_link_to_answer_it(client, charity, admin, assessor):
    application = q.assessed_application(charity, admin, assessor, clarify="insurance")
    clarification = application.clarifications.get()
    client.force_login(admin)
    page = text(client.get(app_url(application)))
    assert "Waiting for the applicant's answer" in page
    assert "Can you send us your insurance certificate?" in page
    assert f'href="{app_url(application, f"questions/{clarification.pk}/")}"' in page
    assert "Answer the question about Insurance" in page


def test_assessors_and_framework_managers_are_sent_on_to_assess(client, charity, admin, assessor, manager):
    application = q.assigned_application(charity, admin, assessor, manager=manager)
    for user in (assessor, manager):
        client.force_login(user)
        page = text(client.get(app_url(application)))
        assert f'href="/assessment/{application.reference}/"' in page
        assert "Your applications" not in page.split("<main", 1)[1]


# Withdrawing --------------------------------------------------------------------------------------------------------


def test_withdrawing(client, charity, admin):
    application = q.submitted_application(charity, admin)
    client.force_login(admin)
    page = text(client.get(app_url(application, "withdraw/")))
    assert f"Are you sure you want to withdraw application {application.reference}?" in page
    response = client.post(app_url(application, "withdraw/"), {"reason": "We are merging with another charity."})
    assert response["Location"] == "/applications/"
    application = refreshed(application)
    assert application.withdrawn_by == admin and application.withdrawn_reason == "We are merging with another charity."
    page = text(client.get("/applications/"))
    assert f"Application {application.reference} has been withdrawn" in page
    assert "Start a new application" in page
    # withdrawn already
    assert client.get(app_url(application, "withdraw/"))["Location"] == app_url(application)


def test_withdrawing_refuses_a_long_reason(client, charity, admin):
    application = q.draft_application(charity, admin)
    client.force_login(admin)
    response = client.post(app_url(application, "withdraw/"), {"reason": "word " * 501})
    assert "This must be 500 words or fewer" in text(response) and 'href="#id_reason"' in text(response)
    assert refreshed(application).withdrawn_at is None


def test_only_an_administrator_withdraws_and_not_after_a_decision(client, charity, admin, staff, assessor, manager):
    application = q.qualified_application(charity, admin, assessor, manager)
    client.force_login(staff)
    assert client.get(app_url(application, "withdraw/")).status_code == 403
    client.force_login(admin)
    response = client.post(app_url(application, "withdraw/"), {})
    assert response["Location"] == app_url(application)
    assert refreshed(application).withdrawn_at is None
    assert "A decision has been made on this application, so it cannot be withdrawn" in text(
        client.get(app_url(application))
    )


# Answering the assessor's question ---------------------------------------------------------------------------------


@pytest.fixture
def asked(charity, admin, assessor):
    application = q.assessed_application(charity, admin, assessor, clarify="insurance")
    return application, application.clarifications.get()


def test_the_question_page_shows_the_question_and_the_answers_it_is_about(client, asked, staff):
    application, clarification = asked
    client.force_login(staff)
    page = text(client.get(app_url(application, f"questions/{clarification.pk}/")))
    assert "A question about “Insurance”" in page
    assert "Can you send us your insurance certificate?" in page
    assert "What you told us in “Insurance”" in page
    assert "Do you have public liability insurance of at least £1 million?" in page
    assert "Who is responsible for safeguarding" not in page
    assert 'name="answer"' in page and 'name="document" type="file"' in page
    assert 'enctype="multipart/form-data"' in page


def test_answering_needs_an_answer_and_a_good_file(client, asked, admin):
    application, clarification = asked
    client.force_login(admin)
    path = app_url(application, f"questions/{clarification.pk}/")
    response = client.post(path, {"answer": ""})
    assert "Enter your answer" in text(response) and 'href="#id_answer"' in text(response)
    bad = SimpleUploadedFile("certificate.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(path, {"answer": "Here it is.", "document": bad})
    assert "The selected file is not a real PDF file" in text(response)
    assert 'href="#id_document"' in text(response)
    assert "Here it is." in text(response)
    clarification.refresh_from_db()
    assert clarification.answered_at is None
    assert not ApplicationDocument.objects.filter(question_key__startswith="clarification").exists()


def test_answering_the_question(client, asked, staff):
    application, clarification = asked
    client.force_login(staff)
    path = app_url(application, f"questions/{clarification.pk}/")
    response = client.post(path, {"answer": "Attached.", "document": q.pdf("certificate.pdf")})
    assert response["Location"] == app_url(application)
    clarification.refresh_from_db()
    assert clarification.answered_by == staff and clarification.answer == "Attached."
    assert clarification.document.original_name == "certificate.pdf"
    assert "Your answer has been sent to the assessor" in text(client.get(app_url(application)))
    # afterwards the page is read-only, with the answer
    page = text(client.get(path))
    assert "Attached." in page and 'name="answer"' not in page
    assert f'href="{app_url(application, f"documents/{clarification.document_id}/")}"' in page
    assert client.post(path, {"answer": "Again."}).status_code == 200
    clarification.refresh_from_db()
    assert clarification.answer == "Attached."


def test_a_question_about_an_example_of_past_work(client, charity, admin, assessor):
    application = q.assessed_application(charity, admin, assessor, clarify="past_work:women")
    clarification = application.clarifications.get()
    client.force_login(admin)
    page = text(client.get(app_url(application, f"questions/{clarification.pk}/")))
    assert "A question about “Examples of your work: Women”" in page
    assert "shows you can provide women services" in page
    assert "shows you can provide emotional wellbeing services" not in page


def test_only_the_applicants_answer_questions(client, asked, assessor, manager):
    application, clarification = asked
    path = app_url(application, f"questions/{clarification.pk}/")
    for user in (assessor, manager, user_with_role("provider_administrator")):
        client.force_login(user)
        assert client.get(path).status_code == 403
        assert client.post(path, {"answer": "Not mine to answer."}).status_code == 403
    clarification.refresh_from_db()
    assert clarification.answered_at is None


def test_a_question_of_another_application_is_not_found(client, asked, framework):
    application, clarification = asked
    mine_org = ProviderFactory()
    mine_admin = user_with_role("provider_administrator", organisation=mine_org)
    mine = q.draft_application(mine_org, mine_admin)
    client.force_login(mine_admin)
    assert client.get(app_url(mine, f"questions/{clarification.pk}/")).status_code == 404
