"""Permission matrix rows for the evaluation and award pages (calloffs/views/evaluation.py).

Who is who (see calloffs_world.py): the commissioner user commissions region A, where every call-off is; the
evaluator user is on the panels of world.co_evaluation (formed, nobody has declared yet) and world.co_awarded
(everyone declared and submitted, the award confirmed). world.co_closed has passed its deadline with no panel yet,
and world.co_open is still open: before the deadline every page is 404 for everyone (the bids are sealed). Pages
that only change something answer GET with 405, and pages that only show something answer POST with 405.
"""


def rows(m) -> list:
    co, ev = m.COMMISSIONER, m.EVALUATOR

    def ref(attribute):
        return m.attr(f"{attribute}.reference")

    def at(name, call_off):
        return m.url(f"calloffs:{name}", reference=ref(call_off))

    def bid_page(name, call_off, bid):
        return m.url(f"calloffs:{name}", reference=ref(call_off), bid=m.attr(f"{bid}.pk"))

    def redirect_to(name, call_off, bid=None):
        return m.redirect(bid_page(name, call_off, bid) if bid else at(name, call_off))

    sealed = m.public(404)
    unknown = "/evaluation/DFC-NONE-NONE/"
    rows_ = [
        # The overview -------------------------------------------------------------------------------------------------
        m.Row("calloffs:evaluation", "GET", at("evaluation", "co_open"), sealed, variant="before the deadline"),
        m.Row("calloffs:evaluation", "GET", at("evaluation", "co_closed"), m.only([co]), variant="no panel yet"),
        m.Row("calloffs:evaluation", "GET", at("evaluation", "co_evaluation"), m.only([co, ev]), variant="panel"),
        m.Row("calloffs:evaluation", "GET", at("evaluation", "co_awarded"), m.only([co, ev]), variant="awarded"),
        m.Row("calloffs:evaluation", "GET", unknown, sealed, variant="unknown"),
        m.Row("calloffs:evaluation", "POST", at("evaluation", "co_evaluation"), m.public(405), data={}),
        # The panel ----------------------------------------------------------------------------------------------------
        m.Row("calloffs:panel", "GET", at("panel", "co_open"), sealed, variant="before the deadline"),
        m.Row("calloffs:panel", "GET", at("panel", "co_closed"), m.only([co]), variant="no panel yet"),
        m.Row("calloffs:panel", "GET", at("panel", "co_evaluation"), m.only([co]), variant="panel formed"),
        m.Row("calloffs:panel", "GET", at("panel", "co_awarded"), m.only([co]), variant="awarded: read only"),
        m.Row("calloffs:panel", "POST", at("panel", "co_open"), sealed, variant="before the deadline, empty", data={}),
        m.Row("calloffs:panel", "POST", at("panel", "co_closed"), m.only([co]), variant="empty form", data={}),
        m.Row(
            "calloffs:panel",
            "POST",
            at("panel", "co_awarded"),
            m.only([co], allowed=redirect_to("evaluation", "co_awarded")),
            variant="awarded: the panel cannot change",
            data={},
        ),
        # Declaring conflicts of interest ------------------------------------------------------------------------------
        m.Row(
            "calloffs:declare",
            "GET",
            bid_page("declare", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
        ),
        m.Row(
            "calloffs:declare",
            "GET",
            bid_page("declare", "co_closed", "closed_bid"),
            m.only([]),
            variant="no panel yet",
        ),
        m.Row(
            "calloffs:declare",
            "GET",
            bid_page("declare", "co_evaluation", "evaluation_bid"),
            m.only([ev]),
            variant="on the panel",
        ),
        m.Row(
            "calloffs:declare",
            "GET",
            bid_page("declare", "co_awarded", "awarded_bid"),
            m.only([ev]),
            variant="already declared",
        ),
        m.Row(
            "calloffs:declare",
            "POST",
            bid_page("declare", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data={"has_conflict": "no"},
        ),
        m.Row(
            "calloffs:declare",
            "POST",
            bid_page("declare", "co_evaluation", "evaluation_bid"),
            m.only([ev]),
            variant="empty form",
            data={},
        ),
        m.Row(
            "calloffs:declare",
            "POST",
            bid_page("declare", "co_evaluation", "evaluation_bid"),
            m.only([ev], allowed=redirect_to("score", "co_evaluation", "evaluation_bid")),
            variant="no conflict",
            data={"has_conflict": "no"},
        ),
        m.Row(
            "calloffs:declare",
            "POST",
            bid_page("declare", "co_evaluation", "other_evaluation_bid"),
            m.only([ev], allowed=redirect_to("evaluation", "co_evaluation")),
            variant="a conflict",
            data={"has_conflict": "yes", "note": "I volunteer there"},
        ),
        # Scoring ------------------------------------------------------------------------------------------------------
        m.Row("calloffs:score", "GET", bid_page("score", "co_open", "open_bid"), sealed, variant="before the deadline"),
        m.Row(
            "calloffs:score",
            "GET",
            bid_page("score", "co_evaluation", "evaluation_bid"),
            m.only([ev], allowed=redirect_to("declare", "co_evaluation", "evaluation_bid")),
            variant="not declared yet",
        ),
        m.Row(
            "calloffs:score",
            "GET",
            bid_page("score", "co_awarded", "awarded_bid"),
            m.only([ev]),
            variant="submitted",
        ),
        m.Row(
            "calloffs:score",
            "POST",
            bid_page("score", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data={},
        ),
        m.Row(
            "calloffs:score",
            "POST",
            bid_page("score", "co_evaluation", "evaluation_bid"),
            m.only([ev], allowed=redirect_to("declare", "co_evaluation", "evaluation_bid")),
            variant="not declared yet",
            data={"action": "save"},
        ),
        m.Row(
            "calloffs:score",
            "POST",
            bid_page("score", "co_awarded", "awarded_bid"),
            m.only([ev]),
            variant="submitted: refused",
            data={"action": "submit"},
        ),
        # Moderation ---------------------------------------------------------------------------------------------------
        m.Row(
            "calloffs:moderate",
            "GET",
            bid_page("moderate", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
        ),
        m.Row(
            "calloffs:moderate",
            "GET",
            bid_page("moderate", "co_closed", "closed_bid"),
            m.but(m.only([]), **{co: 404}),
            variant="no panel yet: bids are not shown",
        ),
        m.Row(
            "calloffs:moderate",
            "GET",
            bid_page("moderate", "co_evaluation", "evaluation_bid"),
            m.only([co]),
            variant="waiting for the evaluators",
        ),
        m.Row(
            "calloffs:moderate",
            "GET",
            bid_page("moderate", "co_awarded", "awarded_bid"),
            m.only([co]),
            variant="moderated",
        ),
        m.Row(
            "calloffs:moderate",
            "POST",
            bid_page("moderate", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data={},
        ),
        m.Row(
            "calloffs:moderate",
            "POST",
            bid_page("moderate", "co_evaluation", "evaluation_bid"),
            m.only([co]),
            variant="waiting: refused",
            data={"criterion": "social-value", "agree-social-value-score": "3", "agree-social-value-reason": "Agreed"},
        ),
        m.Row(
            "calloffs:moderate",
            "POST",
            bid_page("moderate", "co_awarded", "awarded_bid"),
            m.only([co]),
            variant="awarded: refused",
            data={"criterion": "social-value", "agree-social-value-score": "3", "agree-social-value-reason": "Agreed"},
        ),
        m.Row(
            "calloffs:moderate",
            "POST",
            bid_page("moderate", "co_awarded", "awarded_bid"),
            m.but(m.only([]), **{co: 404}),
            variant="unknown answer",
            data={"criterion": "nonsense"},
        ),
        # Results ------------------------------------------------------------------------------------------------------
        m.Row("calloffs:results", "GET", at("results", "co_open"), sealed, variant="before the deadline"),
        m.Row("calloffs:results", "GET", at("results", "co_closed"), m.only([co]), variant="no panel yet"),
        m.Row(
            "calloffs:results",
            "GET",
            at("results", "co_evaluation"),
            m.only([co]),
            variant="scores not all submitted",
        ),
        m.Row("calloffs:results", "GET", at("results", "co_awarded"), m.only([co, ev]), variant="awarded"),
        m.Row("calloffs:results", "POST", at("results", "co_awarded"), m.public(405), data={}),
        # Recommending, approving and confirming -----------------------------------------------------------------------
        m.Row("calloffs:recommend", "GET", at("recommend", "co_evaluation"), m.public(405)),
        m.Row("calloffs:recommend", "POST", at("recommend", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "calloffs:recommend",
            "POST",
            at("recommend", "co_evaluation"),
            m.only([co]),
            variant="not moderated: refused",
        ),
        m.Row("calloffs:recommend", "POST", at("recommend", "co_awarded"), m.only([co]), variant="awarded: refused"),
        m.Row("calloffs:approve-award", "GET", at("approve-award", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "calloffs:approve-award",
            "GET",
            at("approve-award", "co_evaluation"),
            m.only([co]),
            variant="nothing recommended",
        ),
        m.Row("calloffs:approve-award", "GET", at("approve-award", "co_awarded"), m.only([co]), variant="approved"),
        m.Row(
            "calloffs:approve-award",
            "POST",
            at("approve-award", "co_open"),
            sealed,
            variant="before the deadline",
            data={},
        ),
        m.Row(
            "calloffs:approve-award",
            "POST",
            at("approve-award", "co_evaluation"),
            m.only([co]),
            variant="nothing recommended: refused",
            data={},
        ),
        m.Row("calloffs:confirm-award", "GET", at("confirm-award", "co_awarded"), m.public(405)),
        m.Row("calloffs:confirm-award", "POST", at("confirm-award", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "calloffs:confirm-award",
            "POST",
            at("confirm-award", "co_evaluation"),
            m.only([co]),
            variant="not approved: refused",
        ),
        m.Row(
            "calloffs:confirm-award",
            "POST",
            at("confirm-award", "co_awarded"),
            m.only([co]),
            variant="already confirmed: refused",
        ),
        # Letters ------------------------------------------------------------------------------------------------------
        m.Row("calloffs:letters", "GET", at("letters", "co_open"), sealed, variant="before the deadline"),
        m.Row("calloffs:letters", "GET", at("letters", "co_closed"), m.only([co]), variant="none sent"),
        m.Row("calloffs:letters", "GET", at("letters", "co_awarded"), m.only([co]), variant="sent"),
        m.Row("calloffs:letters", "POST", at("letters", "co_awarded"), m.public(405), data={}),
    ]
    return rows_
