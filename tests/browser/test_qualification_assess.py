"""Assessing an application in a real browser, with axe-core (WCAG 2.2 AA) on every page and on its error
states: the queue, conflicts of interest, the review page, assigning, assessing a section, asking the applicant a
question and the decision. One test walks the whole assessment (each browser test reloads the database)."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def sign_in_as(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def people(live_reference_data):
    from dynamic_framework.accounts.models import Role
    from dynamic_framework.accounts.tests.factories import provider_organisation, user_with_role
    from dynamic_framework.qualification.tests import factories as q

    org = provider_organisation(name="Riverside Women's Centre", slug="riverside")
    admin = q.confirm_email(user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=org, full_name="Pat Provider"))
    provider_organisation(name="Hillside Housing", slug="hillside")
    manager = user_with_role(Role.FRAMEWORK_MANAGER, full_name="Fran Manager", email="fran@example.org")
    evaluator = user_with_role(Role.EVALUATOR, full_name="Eve Evaluator", email="eve@example.org")
    application = q.submitted_application(org, admin)
    return {"org": org, "admin": admin, "manager": manager, "evaluator": evaluator, "application": application}


def check(page, axe, *, heading: str | None = None, errors: bool = False):
    page.wait_for_load_state("load")  # a form posted back to the same URL: wait for the new page
    assert page.locator("h1").count() == 1
    if heading:
        assert heading in page.locator("h1").inner_text()
    assert (page.locator(".govuk-error-summary").count() == 1) == errors
    axe(page)


def test_assessing_an_application_from_queue_to_decision(make_context, live_server, people, axe):
    from dynamic_framework.qualification import services
    from dynamic_framework.qualification.models import Application, Clarification, Qualification
    from dynamic_framework.qualification.tests import factories as q

    application = people["application"]
    reference = application.reference
    manager_page = make_context().new_page()
    sign_in_as(manager_page.context, live_server, people["manager"])
    evaluator_page = make_context().new_page()
    sign_in_as(evaluator_page.context, live_server, people["evaluator"])

    # The framework manager finds the application in the queue, filters it, and assigns it
    page = manager_page
    page.goto("/account/")
    page.get_by_role("link", name="Applications to assess").click()
    check(page, axe, heading="Applications to assess")
    assert "1 waiting for an assessor" in page.locator("#queue-summary").inner_text()
    page.get_by_label("Status").select_option("submitted")
    page.get_by_label("Organisation or reference").fill("Riverside")
    page.get_by_role("button", name="Apply filters").click()
    assert "status=submitted" in page.url
    check(page, axe)
    page.get_by_role("link", name=reference).click()
    check(page, axe, heading=reference)
    page.get_by_role("link", name="Assign an assessor").click()
    check(page, axe, heading="Assign an assessor")
    page.get_by_role("button", name="Assign").click()
    check(page, axe, errors=True)
    page.get_by_label("Eve Evaluator").check()
    page.get_by_role("button", name="Assign").click()
    assert page.url.endswith(f"/assessment/{reference}/")
    assert "is assigned to Eve Evaluator" in page.locator(".govuk-notification-banner").inner_text()
    check(page, axe)

    # The evaluator looks at their conflicts of interest (they have none with Riverside)
    page = evaluator_page
    page.goto("/assessment/conflicts/")
    check(page, axe, heading="Your conflicts of interest")
    page.get_by_label("Name of the organisation").fill("Hillside")
    page.get_by_role("button", name="Find the organisation").click()
    check(page, axe)
    page.get_by_role("button", name="Declare conflict of interest").click()
    check(page, axe, errors=True)
    page.get_by_label("Hillside Housing").check()
    page.get_by_label("What is the conflict of interest?").fill("My brother is its treasurer")
    page.get_by_role("button", name="Declare conflict of interest").click()
    assert page.locator("#declared-conflicts").inner_text().count("Hillside Housing") == 1
    check(page, axe)

    # ... assesses a section, with a mistake first, and asks the applicant a question about insurance
    page.goto("/assessment/")
    check(page, axe)
    page.get_by_role("link", name=reference).click()
    check(page, axe, heading=reference)
    page.locator("#section-finances").get_by_role("link", name="Assess").click()
    check(page, axe, heading="Assess Your finances")
    page.get_by_label("Fail").check()
    page.get_by_role("button", name="Save assessment").click()
    check(page, axe, errors=True)
    assert "Say why the section fails" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Pass").check()
    page.get_by_role("button", name="Save assessment").click()
    assert "You marked Your finances as pass" in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"/assessment/{reference}/sections/insurance/")
    page.get_by_label("Clarification needed").check()
    page.get_by_label("Note").fill("Please send the certificate for your public liability insurance.")
    page.get_by_role("button", name="Save assessment").click()
    assert "We have sent your question about Insurance" in page.locator(".govuk-notification-banner").inner_text()
    check(page, axe)
    page.goto(f"/assessment/{reference}/sections/insurance/")
    check(page, axe, heading="Assess Insurance")
    assert page.locator("input[name=outcome]").count() == 0

    # The decision page says what is still needed
    page = manager_page
    page.goto(f"/assessment/{reference}/decision/")
    check(page, axe, heading="Decision")
    assert "A question to the applicant has not been answered yet" in page.locator("#problems").inner_text()

    # The applicant answers (their page is tested with the applying pages); the evaluator passes every section
    # except the women's case study, which fails
    services.answer_clarification(
        actor=people["admin"],
        clarification=Clarification.objects.get(),
        answer="Here is the certificate.",
        uploaded=q.pdf("cert.pdf"),
    )
    application = Application.objects.get(pk=application.pk)
    for key, _title in services.assessable_sections(application):
        if key == "past_work:women":
            services.assess_section(
                actor=people["evaluator"],
                application=application,
                section_key=key,
                outcome="fail",
                note="The example is not about women's services.",
            )
        elif key != "finances":
            services.assess_section(actor=people["evaluator"], application=application, section_key=key, outcome="pass")
    page = evaluator_page
    page.goto(f"/assessment/{reference}/")
    assert "Here is the certificate." in page.locator("#section-insurance").inner_text()
    check(page, axe)

    # The framework manager decides: women cannot be qualified; emotional wellbeing is
    page = manager_page
    page.goto(f"/assessment/{reference}/")
    page.get_by_role("button", name="Make the decision").click()
    check(page, axe, heading="Decision")
    assert "This cannot be qualified" in page.locator("main").inner_text()
    page.get_by_role("button", name="Send the decision").click()
    check(page, axe, errors=True)
    page.get_by_label("Qualified", exact=True).check()
    page.get_by_label("Reasons for Women, written for the applicant").fill(
        "Your example of past work was not about a service for women. You can apply again at any time."
    )
    page.get_by_role("button", name="Send the decision").click()
    assert page.url.endswith(f"/assessment/{reference}/")
    assert "Decision sent" in page.locator(".govuk-notification-banner").inner_text()
    check(page, axe)
    assert list(Qualification.objects.values_list("category__slug", flat=True)) == ["emotional-wellbeing"]
