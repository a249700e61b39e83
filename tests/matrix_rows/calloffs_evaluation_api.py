"""Permission matrix rows for the evaluation API (calloffs/api.py, the Evaluation block): /api/v1/evaluations/.

The same people as the evaluation pages (see calloffs_evaluation.py for who is who in the world): before the
deadline every endpoint is 404 for everyone, with or without a token; after it, 401 without one, and 403 for anyone
but the region's commissioners and, where it says so, the evaluators on the panel. Refusals by the services are 400
with the reason.
"""


def rows(m) -> list:
    co, ev = m.COMMISSIONER, m.EVALUATOR
    sealed = m.api_public(404)

    def detail(call_off):
        return m.url("api:evaluation-detail", reference=m.attr(f"{call_off}.reference"))

    def action(name, call_off):
        return m.url(f"api:evaluation-{name}", reference=m.attr(f"{call_off}.reference"))

    def bid_action(name, call_off, bid):
        return m.url(f"api:evaluation-{name}", reference=m.attr(f"{call_off}.reference"), bid=m.attr(f"{bid}.pk"))

    one_score = {"scores": [{"question": 1, "score": 3, "justification": "Clear evidence"}]}
    return [
        # Where it stands ----------------------------------------------------------------------------------------------
        m.Row("api:evaluation-detail", "GET", detail("co_open"), sealed, variant="before the deadline"),
        m.Row("api:evaluation-detail", "GET", detail("co_closed"), m.api_only([co]), variant="no panel yet"),
        m.Row("api:evaluation-detail", "GET", detail("co_evaluation"), m.api_only([co, ev]), variant="panel"),
        m.Row("api:evaluation-detail", "GET", "/api/v1/evaluations/DFC-NONE-NONE/", sealed, variant="unknown"),
        m.Row("api:evaluation-detail", "DELETE", detail("co_evaluation"), m.api_public(405)),
        # The panel ----------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-panel",
            "POST",
            action("panel", "co_open"),
            sealed,
            variant="before the deadline",
            data={"members": ["evaluator@example.org"]},
        ),
        m.Row(
            "api:evaluation-panel",
            "POST",
            action("panel", "co_closed"),
            m.api_only([co], allowed=400),
            variant="nothing sent",
            data={},
        ),
        m.Row(
            "api:evaluation-panel",
            "POST",
            action("panel", "co_closed"),
            m.api_only([co]),
            variant="an evaluator",
            data={"members": ["evaluator@example.org"]},
        ),
        m.Row(
            "api:evaluation-panel",
            "POST",
            action("panel", "co_closed"),
            m.api_only([co], allowed=400),
            variant="not an evaluator",
            data={"members": ["framework_manager@example.org"]},
        ),
        # A bid --------------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-bid", "GET", bid_action("bid", "co_open", "open_bid"), sealed, variant="before the deadline"
        ),
        m.Row(
            "api:evaluation-bid",
            "GET",
            bid_action("bid", "co_closed", "closed_bid"),
            m.but(m.api_only([]), **{co: 404}),
            variant="no panel yet: bids are not shown",
        ),
        m.Row(
            "api:evaluation-bid",
            "GET",
            bid_action("bid", "co_evaluation", "evaluation_bid"),
            m.api_only([co, ev]),
            variant="panel",
        ),
        m.Row(
            "api:evaluation-bid",
            "GET",
            bid_action("bid", "co_awarded", "awarded_bid"),
            m.api_only([co, ev]),
            variant="awarded",
        ),
        # Declarations -------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-declaration",
            "POST",
            bid_action("declaration", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data={"has_conflict": False},
        ),
        m.Row(
            "api:evaluation-declaration",
            "POST",
            bid_action("declaration", "co_evaluation", "evaluation_bid"),
            m.api_only([ev], allowed=400),
            variant="nothing sent",
            data={},
        ),
        m.Row(
            "api:evaluation-declaration",
            "POST",
            bid_action("declaration", "co_evaluation", "evaluation_bid"),
            m.api_only([ev]),
            variant="no conflict",
            data={"has_conflict": False},
        ),
        m.Row(
            "api:evaluation-declaration",
            "POST",
            bid_action("declaration", "co_evaluation", "evaluation_bid"),
            m.api_only([ev], allowed=400),
            variant="a conflict without saying what",
            data={"has_conflict": True, "note": ""},
        ),
        # Scores -------------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-scores",
            "POST",
            bid_action("scores", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data=one_score,
        ),
        m.Row(
            "api:evaluation-scores",
            "POST",
            bid_action("scores", "co_evaluation", "evaluation_bid"),
            m.api_only([ev], allowed=400),
            variant="not declared yet",
            data=one_score,
        ),
        m.Row(
            "api:evaluation-scores",
            "POST",
            bid_action("scores", "co_awarded", "awarded_bid"),
            m.api_only([ev], allowed=400),
            variant="submitted: refused",
            data=one_score,
        ),
        # Moderation ---------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-consensus",
            "POST",
            bid_action("consensus", "co_open", "open_bid"),
            sealed,
            variant="before the deadline",
            data={"scores": []},
        ),
        m.Row(
            "api:evaluation-consensus",
            "POST",
            bid_action("consensus", "co_evaluation", "evaluation_bid"),
            m.api_only([co], allowed=400),
            variant="waiting for the evaluators",
            data={"scores": [{"question": 1, "score": 3, "reason": "Agreed"}]},
        ),
        # Results ------------------------------------------------------------------------------------------------------
        m.Row("api:evaluation-results", "GET", action("results", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "api:evaluation-results",
            "GET",
            action("results", "co_evaluation"),
            m.api_only([co]),
            variant="scores not all submitted",
        ),
        m.Row(
            "api:evaluation-results", "GET", action("results", "co_awarded"), m.api_only([co, ev]), variant="awarded"
        ),
        # The award ----------------------------------------------------------------------------------------------------
        m.Row(
            "api:evaluation-recommend", "POST", action("recommend", "co_open"), sealed, variant="before the deadline"
        ),
        m.Row(
            "api:evaluation-recommend",
            "POST",
            action("recommend", "co_evaluation"),
            m.api_only([co], allowed=400),
            variant="not moderated: refused",
        ),
        m.Row("api:evaluation-approve", "POST", action("approve", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "api:evaluation-approve",
            "POST",
            action("approve", "co_evaluation"),
            m.api_only([co], allowed=400),
            variant="nothing recommended: refused",
        ),
        m.Row("api:evaluation-confirm", "POST", action("confirm", "co_open"), sealed, variant="before the deadline"),
        m.Row(
            "api:evaluation-confirm",
            "POST",
            action("confirm", "co_awarded"),
            m.api_only([co], allowed=400),
            variant="already confirmed: refused",
        ),
    ]
