"""Permission matrix rows for assessing applications (qualification/views/assess.py): the queue, conflicts of
interest, the review page, assigning, assessing a section and the decision.

Who is who (see world.py): the evaluator user is assigned world.in_assessment, world.decided and world.ready; the
framework manager user assigned them and has no conflicts; the provider administrator and staff belong to world.org,
the applicant of world.in_assessment and world.decided. Nobody is assigned world.other_application.
"""


def rows(m) -> list:
    fm, ev = m.FRAMEWORK_MANAGER, m.EVALUATOR
    assessors = [fm, ev]

    def review(attribute):
        return m.url("qualification:assess", reference=m.attr(f"{attribute}.reference"))

    def section(attribute, key):
        return m.url("qualification:assess-section", reference=m.attr(f"{attribute}.reference"), section_key=key)

    def assign(attribute):
        return m.url("qualification:assign", reference=m.attr(f"{attribute}.reference"))

    def decide(attribute):
        return m.url("qualification:decide", reference=m.attr(f"{attribute}.reference"))

    not_found = m.only([], denied=404)
    return [
        # The queue --------------------------------------------------------------------------------------------
        m.Row("qualification:queue", "GET", "/assessment/", m.only(assessors)),
        m.Row(
            "qualification:queue",
            "GET",
            "/assessment/?status=decided&assigned_to_me=on&q=Matrix",
            m.only(assessors),
            variant="filtered",
        ),
        m.Row("qualification:queue", "GET", "/assessment/?status=nonsense", m.only(assessors), variant="bad filter"),
        m.Row("qualification:queue", "POST", "/assessment/", m.public(405), data={}),
        # Conflicts of interest ------------------------------------------------------------------------------------
        m.Row("qualification:conflicts", "GET", "/assessment/conflicts/", m.only(assessors)),
        m.Row(
            "qualification:conflicts",
            "GET",
            "/assessment/conflicts/?find=Another",
            m.only(assessors),
            variant="find an organisation",
        ),
        m.Row(
            "qualification:conflicts",
            "POST",
            "/assessment/conflicts/",
            m.only(assessors),
            variant="empty form",
            data={},
        ),
        m.Row(
            "qualification:conflicts",
            "POST",
            "/assessment/conflicts/",
            m.only(assessors, allowed=m.redirect("/assessment/conflicts/")),
            variant="declare a conflict",
            data={"find": "Another Provider", "organisation": "another-provider", "reason": "I volunteer there"},
        ),
        # The review page: the assigned assessor and framework managers, never the applicant ------------------------
        m.Row(
            "qualification:assess", "GET", review("in_assessment"), m.only(assessors), variant="assigned to evaluator"
        ),
        m.Row("qualification:assess", "GET", review("other_application"), m.only([fm]), variant="not assigned"),
        m.Row("qualification:assess", "GET", review("decided"), m.only(assessors), variant="decided"),
        m.Row("qualification:assess", "GET", review("draft"), not_found, variant="not submitted"),
        m.Row("qualification:assess", "GET", "/assessment/NOSUCHREF/", not_found, variant="unknown"),
        m.Row("qualification:assess", "POST", review("in_assessment"), m.public(405), data={}),
        # Assigning: framework managers ----------------------------------------------------------------------------
        m.Row("qualification:assign", "GET", assign("other_application"), m.only([fm])),
        m.Row("qualification:assign", "GET", assign("decided"), m.only([fm]), variant="decided"),
        m.Row("qualification:assign", "GET", "/assessment/NOSUCHREF/assign/", not_found, variant="unknown"),
        m.Row("qualification:assign", "POST", assign("other_application"), m.only([fm]), variant="empty form", data={}),
        m.Row(
            "qualification:assign",
            "POST",
            assign("other_application"),
            m.only([fm], allowed=m.redirect(review("other_application"))),
            variant="assign the evaluator",
            data={"assessor": "evaluator@example.org"},
        ),
        # Assessing a section: the assigned assessor only ---------------------------------------------------------
        m.Row("qualification:assess-section", "GET", section("in_assessment", "finances"), m.only([ev])),
        m.Row(
            "qualification:assess-section",
            "GET",
            section("in_assessment", "insurance"),
            m.only([ev]),
            variant="question open",
        ),
        m.Row(
            "qualification:assess-section",
            "GET",
            section("in_assessment", "past_work:women"),
            m.only([ev]),
            variant="a case study",
        ),
        m.Row(
            "qualification:assess-section",
            "GET",
            section("in_assessment", "no_such_section"),
            m.only([ev], allowed=404),
            variant="unknown section",
        ),
        m.Row(
            "qualification:assess-section",
            "GET",
            section("other_application", "finances"),
            m.only([]),
            variant="not assigned",
        ),
        m.Row("qualification:assess-section", "GET", section("decided", "finances"), m.only([ev]), variant="decided"),
        m.Row(
            "qualification:assess-section",
            "GET",
            "/assessment/NOSUCHREF/sections/finances/",
            not_found,
            variant="unknown",
        ),
        m.Row(
            "qualification:assess-section",
            "POST",
            section("in_assessment", "finances"),
            m.only([ev]),
            variant="empty form",
            data={},
        ),
        m.Row(
            "qualification:assess-section",
            "POST",
            section("ready", "finances"),
            m.only([ev], allowed=m.redirect(review("ready"))),
            variant="pass",
            data={"outcome": "pass", "note": ""},
        ),
        # The decision: framework managers without a conflict -------------------------------------------------------
        m.Row("qualification:decide", "GET", decide("ready"), m.only([fm])),
        m.Row("qualification:decide", "GET", decide("in_assessment"), m.only([fm]), variant="not ready"),
        m.Row("qualification:decide", "GET", decide("decided"), m.only([fm]), variant="decided"),
        m.Row("qualification:decide", "GET", "/assessment/NOSUCHREF/decision/", not_found, variant="unknown"),
        m.Row("qualification:decide", "POST", decide("ready"), m.only([fm]), variant="empty form", data={}),
        m.Row(
            "qualification:decide",
            "POST",
            decide("in_assessment"),
            m.only([fm]),
            variant="not ready",
            data={"outcome_women": "qualified", "outcome_emotional-wellbeing": "qualified"},
        ),
        m.Row(
            "qualification:decide",
            "POST",
            decide("ready"),
            m.only([fm], allowed=m.redirect(review("ready"))),
            variant="qualified",
            data={"outcome_women": "qualified", "outcome_emotional-wellbeing": "qualified"},
        ),
    ]
