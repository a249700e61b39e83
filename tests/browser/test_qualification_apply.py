"""Applying to join the framework in a real browser: a micro charity reads about the framework, starts an
application, fills in every section (with plain form posts: nothing here needs JavaScript), checks its answers,
submits, and answers the assessor's question. axe-core checks every page on the way, error pages included.

One test, one database load (each browser test pays for reloading the data the live server needs)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

CATEGORIES = ("women", "emotional-wellbeing")
AREAS = ("durham", "northumbria")


def _signed_in(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def _answer(page, question, pdf_path):
    """Fill in one question the way a person would, by its field names."""
    key = question.key
    if question.kind in {"text", "long_text"}:
        page.fill(f"#{key}", "Sam Jones, Project Manager" if question.kind == "text" else "We check references.")
    elif question.kind in {"yes_no", "yes_no_explain"}:
        answer = "yes" if question.explain_when == "no" else "no"
        page.check(f"input[name='{key}'][value='{answer}']")
    elif question.kind in {"choice", "checklist"}:
        page.locator(f"input[name='{key}']").first.check()
    elif question.kind == "date":
        page.fill(f"#{key}__day", "31")
        page.fill(f"#{key}__month", "3")
        page.fill(f"#{key}__year", "2027")
    elif question.kind == "file":
        page.set_input_files(f"#{key}", str(pdf_path))


def test_a_micro_charity_applies_and_answers_a_question(page, context, live_server, live_reference_data, axe, tmp_path):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.organisations.tests.factories import ProviderFactory
    from dynamic_framework.qualification import services
    from dynamic_framework.qualification.models import Application
    from dynamic_framework.qualification.tests import factories as q

    pdf_path = tmp_path / "accounts.pdf"
    pdf_path.write_bytes(q.PDF_BYTES)
    not_a_pdf = tmp_path / "report.pdf"
    not_a_pdf.write_bytes(b"MZ\x90\x00 this is a program, not a document")
    problems = []

    def check(label):
        try:
            axe(page)
        except AssertionError as error:
            problems.append(f"{label}: {error}")
        if page.locator("h1").count() != 1:
            problems.append(f"{label}: {page.locator('h1').count()} h1 elements")

    # The public pages
    for path in (
        "/framework/",
        "/framework/what-you-will-need/",
        "/framework/what-you-will-need/?size_band=micro",
        "/framework/what-you-will-need/?size_band=enormous",
        "/framework/glossary/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        check(path)
    assert "There is a problem" in page.goto("/framework/what-you-will-need/?size_band=enormous").text()

    charity = ProviderFactory(
        name="Tiny Steps Women's Group", slug="tiny-steps", latest_income_pence=None, income_year="", address=""
    )
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=charity, full_name="Jo Bloggs"))
    _signed_in(context, live_server, admin)

    page.goto("/applications/")
    check("your applications, none yet")
    page.get_by_role("button", name="Start a new application").click()
    assert "Before you start" in page.locator("h1").inner_text()
    check("before you start")
    page.get_by_role("button", name="Start your application").click()
    application = Application.objects.get(organisation=charity)
    assert page.url.endswith(f"/applications/{application.reference}/")
    check("task list, new")
    assert page.locator(".govuk-task-list__status--cannot-start-yet").count() >= 1

    # Your organisation: first a mistake, then the real answers
    page.get_by_role("link", name="Your organisation").click()
    check("organisation section")
    page.fill("#id_income", "a lot")
    page.get_by_role("button", name="Save and continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check("organisation section with errors")
    page.fill("#id_name", "Tiny Steps Women's Group")
    page.check("input[name='legal_form'][value='registered_charity']")
    page.fill("#id_charity_number", "")
    page.fill("#id_income", "8,500")
    page.fill("#id_income_year", "2025-26")
    page.fill("#id_address", "1 High Street\nDurham\nDH1 1AA")
    page.fill("#id_contact_email", "hello@tinysteps.example")
    page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith(f"/applications/{application.reference}/")
    application.refresh_from_db()
    assert application.size_band == "micro"
    check("task list, organisation done")

    # Services and areas
    page.get_by_role("link", name="Services and areas").click()
    check("services and areas")
    for slug in CATEGORIES:
        page.check(f"input[name='categories'][value='{slug}']")
    for slug in AREAS:
        page.check(f"#area-{slug}")
    page.get_by_role("button", name="Save and continue").click()
    assert page.url.endswith(f"/applications/{application.reference}/")

    # Every section of questions, then the examples of past work
    application.refresh_from_db()
    content = application.question_set.parsed
    for section in content.sections_for(in_wales=False):
        if section.kind not in {"questions", "case_studies"}:
            continue
        page.goto(f"/applications/{application.reference}/sections/{section.key}/")
        check(f"section {section.key}")
        if section.kind == "case_studies":
            for slug in CATEGORIES:
                page.fill(f"#case_study-{slug}", "We ran a weekly group for women leaving prison for two years.")
        else:
            questions = section.questions_for("micro", in_wales=False)
            if any(question.kind == "file" for question in questions):
                # A renamed program is refused, with a GOV.UK error
                for question in questions:
                    if question.kind == "file":
                        page.set_input_files(f"#{question.key}", str(not_a_pdf))
                page.get_by_role("button", name="Save and continue").click()
                assert "not a real PDF file" in page.locator(".govuk-error-summary").inner_text()
                check(f"section {section.key} with an upload refused")
            for question in questions:
                _answer(page, question, pdf_path)
        page.get_by_role("button", name="Save and continue").click()
        if page.locator(".govuk-error-summary").count():
            problems.append(f"section {section.key}: " + page.locator(".govuk-error-summary").inner_text())
            break
        assert page.url.endswith(f"/applications/{application.reference}/"), page.url
    assert not problems, "\n\n".join(problems)
    check("task list, every section done")

    # The document can be downloaded again from its section
    page.goto(f"/applications/{application.reference}/sections/finances/")
    check("finances, with the document sent")
    with page.expect_download() as download:
        page.get_by_role("link", name="accounts.pdf").click()
    assert download.value.suggested_filename == "accounts.pdf"

    # Check your answers, declare and submit
    page.goto(f"/applications/{application.reference}/")
    page.get_by_role("link", name="Check your answers and submit").click()
    check("check your answers")
    page.get_by_role("button", name="Accept and submit").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check("check your answers, declaration missing")
    page.check("#id_declared")
    page.fill("#id_declaration_name", "Jo Bloggs")
    page.fill("#id_declaration_role", "Chair of trustees")
    page.get_by_role("button", name="Accept and submit").click()
    assert page.url.endswith(f"/applications/{application.reference}/submitted/")
    assert application.reference in page.locator(".govuk-panel").inner_text()
    check("submitted")
    page.get_by_role("link", name="See your application and its progress").click()
    check("application, submitted")
    page.goto(f"/applications/{application.reference}/withdraw/")
    check("withdraw")

    # The assessor asks a question; the charity answers it in the service
    application.refresh_from_db()
    assessor = user_with_role("evaluator")
    manager = user_with_role("framework_manager")
    services.assign_application(actor=manager, application=application, assessor=assessor)
    services.assess_section(
        actor=assessor,
        application=application,
        section_key="insurance",
        outcome="clarification",
        note="Can you tell us when you will get public liability insurance?",
    )
    page.goto("/applications/")
    check("your applications, a question waiting")
    page.get_by_role("link", name=f"Answer the question about application {application.reference}").click()
    check("the assessor's question")
    page.get_by_role("button", name="Send your answer").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check("the assessor's question, no answer given")
    page.fill("#id_answer", "Before we start delivering any service.")
    page.get_by_role("button", name="Send your answer").click()
    assert page.url.endswith(f"/applications/{application.reference}/")
    check("application, question answered")
    assert not problems, "\n\n".join(problems)
    assert application.clarifications.get().answered_at is not None
