"""Permission matrix rows for the framework's public pages and the provider's application journey
(qualification/views/apply.py). See tests/matrix_rows/__init__.py and world.py for the objects they use.

world.org's members (the provider administrator and provider staff users) see its applications; the framework
manager sees every application; the evaluator sees the two assigned to them (world.in_assessment, world.decided);
platform administrators, commissioners and practitioners see none. Only the provider administrator submits and
withdraws.
"""


def rows(m) -> list:
    from dynamic_framework.qualification import selectors

    admin, staff = m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF
    members = [admin, staff]
    manager, evaluator = m.FRAMEWORK_MANAGER, m.EVALUATOR
    url, attr, Row, redirect = m.url, m.attr, m.Row, m.redirect

    def app_url(name, which, **kwargs):
        return url(name, reference=attr(f"{which}.reference"), **kwargs)

    def page_of(which):
        return app_url("qualification:application", which)

    def open_application(world):
        """The page of world.org's application in progress in the framework the service shows."""
        application = selectors.open_application(selectors.the_framework(), world.org)
        return f"/applications/{application.reference}/"

    def section(which, key):
        return app_url("qualification:section", which, section_key=key)

    organisation_data = {
        "name": "Matrix Provider",
        "legal_form": "registered_charity",
        "income": "8500",
        "income_year": "2025-26",
        "address": "1 High Street, Durham",
        "contact_email": "hello@matrix.example",
        "action": "continue",
    }
    return [
        # Public pages ------------------------------------------------------------------------------------------
        Row("qualification:framework", "GET", url("qualification:framework"), m.public()),
        Row("qualification:framework", "POST", url("qualification:framework"), m.public(405), data={}),
        Row("qualification:what-you-will-need", "GET", url("qualification:what-you-will-need"), m.public()),
        Row(
            "qualification:what-you-will-need",
            "GET",
            "/framework/what-you-will-need/?size_band=micro",
            m.public(),
            variant="micro",
        ),
        Row(
            "qualification:what-you-will-need",
            "GET",
            "/framework/what-you-will-need/?size_band=enormous",
            m.public(),
            variant="bad size band",
        ),
        Row("qualification:glossary", "GET", url("qualification:glossary"), m.public()),
        # Your applications and starting one -----------------------------------------------------------------
        Row("qualification:applications", "GET", url("qualification:applications"), m.only(members)),
        Row("qualification:applications", "GET", "/applications/?page=99", m.only(members), variant="past the end"),
        Row(
            "qualification:start",
            "GET",
            url("qualification:start"),
            m.only(members, allowed=redirect(open_application)),
            variant="one in progress",
        ),
        Row(
            "qualification:start",
            "POST",
            url("qualification:start"),
            m.only(members, allowed=redirect(open_application)),
            variant="one in progress",
            data={},
        ),
        # One application ------------------------------------------------------------------------------------------
        Row("qualification:application", "GET", page_of("draft"), m.only([manager, *members]), variant="draft"),
        Row(
            "qualification:application",
            "GET",
            page_of("in_assessment"),
            m.only([manager, evaluator, *members]),
            variant="assigned to the evaluator",
        ),
        Row(
            "qualification:application",
            "GET",
            page_of("decided"),
            m.only([manager, evaluator, *members]),
            variant="decided (assessed by the evaluator)",
        ),
        Row(
            "qualification:application",
            "GET",
            page_of("other_application"),
            m.only([manager]),
            variant="another organisation's",
        ),
        Row(
            "qualification:application",
            "GET",
            "/applications/DFQ-NONE-HERE/",
            m.only([], denied=404),
            variant="unknown",
        ),
        # Sections ----------------------------------------------------------------------------------------------
        Row(
            "qualification:section",
            "GET",
            section("draft", "organisation"),
            m.only(members),
            variant="organisation",
        ),
        Row(
            "qualification:section",
            "POST",
            section("draft", "organisation"),
            m.only(members),
            variant="organisation, empty form",
            data={},
        ),
        Row(
            "qualification:section",
            "POST",
            section("draft", "organisation"),
            m.only(members, allowed=redirect(page_of("draft"))),
            variant="organisation, valid",
            data=organisation_data,
        ),
        Row("qualification:section", "GET", section("draft", "scope"), m.only(members), variant="scope"),
        Row(
            "qualification:section",
            "POST",
            section("draft", "scope"),
            m.only(members),
            variant="scope, empty form",
            data={},
        ),
        Row(
            "qualification:section",
            "POST",
            section("draft", "scope"),
            m.only(members, allowed=redirect(page_of("draft"))),
            variant="scope, valid",
            data={"categories": ["women"], "whole_region": ["A"], "action": "continue"},
        ),
        Row(
            "qualification:section",
            "GET",
            section("draft", "eligibility"),
            m.only(members),
            variant="questions",
        ),
        Row(
            "qualification:section",
            "POST",
            section("draft", "eligibility"),
            m.only(members),
            variant="questions, empty form",
            data={},
        ),
        Row(
            "qualification:section",
            "POST",
            section("draft", "eligibility"),
            m.only(members, allowed=redirect(page_of("draft"))),
            variant="questions, saved for later",
            data={"tax": "no", "action": "later"},
        ),
        Row(
            "qualification:section",
            "GET",
            section("draft", "past_work"),
            m.only(members, allowed=redirect(page_of("draft"))),
            variant="cannot start yet",
        ),
        Row(
            "qualification:section",
            "GET",
            section("draft", "welsh_language"),
            m.only(members, allowed=404),
            variant="not in Wales",
        ),
        Row(
            "qualification:section",
            "GET",
            section("draft", "no_such_section"),
            m.only(members, allowed=404),
            variant="unknown",
        ),
        Row(
            "qualification:section",
            "GET",
            section("in_assessment", "insurance"),
            m.only(members, allowed=redirect(page_of("in_assessment"))),
            variant="submitted",
        ),
        # Documents -----------------------------------------------------------------------------------------------
        Row(
            "qualification:document",
            "GET",
            app_url("qualification:document", "in_assessment", pk=attr("document.pk")),
            m.only([manager, evaluator, *members]),
        ),
        Row(
            "qualification:document",
            "GET",
            app_url("qualification:document", "draft", pk=attr("document.pk")),
            m.only([manager, *members], allowed=404),
            variant="of another application",
        ),
        Row(
            "qualification:remove-document",
            "GET",
            app_url("qualification:remove-document", "draft", question_key="income_statement"),
            m.public(405),
        ),
        Row(
            "qualification:remove-document",
            "POST",
            app_url("qualification:remove-document", "draft", question_key="income_statement"),
            m.only(members, allowed=redirect(section("draft", "finances"))),
            variant="nothing to remove",
        ),
        Row(
            "qualification:remove-document",
            "POST",
            app_url("qualification:remove-document", "draft", question_key="no_such_question"),
            m.only(members, allowed=404),
            variant="unknown question",
        ),
        Row(
            "qualification:remove-document",
            "POST",
            app_url("qualification:remove-document", "in_assessment", question_key="income_statement"),
            m.only(members, allowed=redirect(page_of("in_assessment"))),
            variant="submitted",
        ),
        # Check your answers, submit, submitted ------------------------------------------------------------------
        Row("qualification:check-answers", "GET", app_url("qualification:check-answers", "draft"), m.only(members)),
        Row(
            "qualification:check-answers",
            "POST",
            app_url("qualification:check-answers", "draft"),
            m.only([admin]),
            variant="empty form, sections not finished",
            data={},
        ),
        Row(
            "qualification:check-answers",
            "GET",
            app_url("qualification:check-answers", "in_assessment"),
            m.only(members, allowed=redirect(page_of("in_assessment"))),
            variant="submitted",
        ),
        Row(
            "qualification:check-answers",
            "POST",
            app_url("qualification:check-answers", "in_assessment"),
            m.but(
                m.only(members, allowed=redirect(page_of("in_assessment"))),
                **{admin: redirect(app_url("qualification:submitted", "in_assessment"))},
            ),
            variant="submitted already (a second click)",
            data={},
        ),
        Row(
            "qualification:submitted",
            "GET",
            app_url("qualification:submitted", "in_assessment"),
            m.only(members),
        ),
        Row(
            "qualification:submitted",
            "GET",
            app_url("qualification:submitted", "draft"),
            m.only(members, allowed=redirect(page_of("draft"))),
            variant="not submitted",
        ),
        # Withdrawing ----------------------------------------------------------------------------------------------
        Row("qualification:withdraw", "GET", app_url("qualification:withdraw", "draft"), m.only([admin])),
        Row(
            "qualification:withdraw",
            "POST",
            app_url("qualification:withdraw", "draft"),
            m.only([admin], allowed=redirect("/applications/")),
            variant="no reason given",
            data={},
        ),
        Row(
            "qualification:withdraw",
            "GET",
            app_url("qualification:withdraw", "decided"),
            m.only([admin], allowed=redirect(page_of("decided"))),
            variant="decided",
        ),
        Row(
            "qualification:withdraw",
            "GET",
            app_url("qualification:withdraw", "other_application"),
            m.only([]),
            variant="another organisation's",
        ),
        # Answering the assessor's question -----------------------------------------------------------------------
        Row(
            "qualification:clarification",
            "GET",
            app_url("qualification:clarification", "in_assessment", pk=attr("clarification.pk")),
            m.only(members),
        ),
        Row(
            "qualification:clarification",
            "POST",
            app_url("qualification:clarification", "in_assessment", pk=attr("clarification.pk")),
            m.only(members),
            variant="empty form",
            data={},
        ),
        Row(
            "qualification:clarification",
            "POST",
            app_url("qualification:clarification", "in_assessment", pk=attr("clarification.pk")),
            m.only(members, allowed=redirect(page_of("in_assessment"))),
            variant="answered",
            data={"answer": "We will have it before we start."},
        ),
        Row(
            "qualification:clarification",
            "GET",
            app_url("qualification:clarification", "draft", pk=attr("clarification.pk")),
            m.only(members, allowed=404),
            variant="of another application",
        ),
    ]
