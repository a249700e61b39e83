"""Permission matrix rows for the commissioners' call-offs API and providers' questions (dynamic_framework/calloffs/
api.py, the "Call-offs (commissioners) and questions" block). Objects: see calloffs_world.py.

/api/v1/call-offs/...: commissioners only (401 without a token, 403 for every other role); the matrix commissioner
commissions for region A, so world.co_other_region (North West) and unknown references, lots and questions are a 404
for them. Refusals by the services (a call-off in the wrong state, four eyes) are 400.
/api/v1/call-off-questions/...: provider administrators and staff (403 for other roles); another organisation's
question is a 404 for them.
"""

from datetime import timedelta


def _new_call_off() -> dict:
    from django.utils import timezone

    from dynamic_framework.core.time import UK

    deadline = (timezone.now() + timedelta(days=30)).astimezone(UK).replace(microsecond=0)
    return {
        "region": "A",
        "title": "Matrix call-off",
        "summary": "Support for women on probation.",
        "categories": ["women"],
        "funding_mechanism": "grant",
        "funding_reason": "A grant funds core costs.",
        "term_start": (deadline + timedelta(days=60)).date().isoformat(),
        "term_months": 24,
        "questions_close_at": (deadline - timedelta(days=5)).isoformat(),
        "deadline_at": deadline.isoformat(),
        "expected_award_on": (deadline + timedelta(days=14)).date().isoformat(),
    }


def call_off_rows(m) -> list:
    Row, url, attr = m.Row, m.url, m.attr
    co = m.COMMISSIONER
    allowed = m.api_only([co])

    def commissioners(outcome):
        return m.api_only([co], allowed=outcome)

    def detail(call_off):
        return url("api:call-off-detail", reference=attr(f"{call_off}.reference"))

    def action(name, call_off, **kwargs):
        return url(f"api:call-off-{name}", reference=attr(f"{call_off}.reference"), **kwargs)

    years = [{"financial_year": 2031, "max_value_pence": 5_000_000, "expected_people": 10}]
    new_lot = {"kind": "pcc_area", "pcc_areas": ["northumbria"], "years": years}
    new_question = {"question": "How will you reach women?", "word_limit": 300, "weight": 10}
    reason = {"reason": "The need has changed"}
    answer = {"published_question": "Can a bidder use its own centre?", "answer": "Yes."}
    lot = action("lot", "co_draft", lot=attr("co_draft_lot.pk"))
    quality_question = action("quality-question", "co_draft", question=attr("co_draft_quality_question.pk"))
    return [
        # The list and creating ------------------------------------------------------------------------------------
        Row("api:call-off-list", "GET", url("api:call-off-list"), allowed),
        Row("api:call-off-list", "GET", "/api/v1/call-offs/?status=draft", allowed, variant="filtered"),
        Row("api:call-off-list", "GET", "/api/v1/call-offs/?status=maybe", commissioners(400), variant="bad status"),
        Row("api:call-off-list", "POST", url("api:call-off-list"), commissioners(400), variant="nothing sent", data={}),
        Row(
            "api:call-off-list",
            "POST",
            url("api:call-off-list"),
            commissioners(201),
            variant="a new call-off",
            data=_new_call_off(),
        ),
        Row(
            "api:call-off-list",
            "POST",
            url("api:call-off-list"),
            commissioners(400),
            variant="another region",
            data={**_new_call_off(), "region": "B"},
        ),
        Row(
            "api:call-off-list",
            "POST",
            url("api:call-off-list"),
            commissioners(400),
            variant="a bad date",
            data={**_new_call_off(), "deadline_at": "31/12/2030"},
        ),
        # One call-off ---------------------------------------------------------------------------------------------
        Row("api:call-off-detail", "GET", detail("co_draft"), allowed, variant="draft"),
        Row("api:call-off-detail", "GET", detail("co_open"), allowed, variant="open, with bids"),
        Row("api:call-off-detail", "GET", detail("co_closed"), allowed, variant="closed"),
        Row("api:call-off-detail", "GET", detail("co_evaluation"), allowed, variant="in evaluation"),
        Row("api:call-off-detail", "GET", detail("co_awarded"), allowed, variant="awarded"),
        Row("api:call-off-detail", "GET", detail("co_other_region"), commissioners(404), variant="another region"),
        Row("api:call-off-detail", "GET", "/api/v1/call-offs/DFC-NONE-NONE/", commissioners(404), variant="unknown"),
        Row("api:call-off-detail", "PATCH", detail("co_draft"), allowed, variant="draft", data={"title": "Changed"}),
        Row(
            "api:call-off-detail",
            "PATCH",
            detail("co_draft"),
            commissioners(400),
            variant="draft, a word for a number",
            data={"term_months": "two years"},
        ),
        Row(
            "api:call-off-detail",
            "PATCH",
            detail("co_open"),
            commissioners(400),
            variant="published",
            data={"title": "Changed"},
        ),
        Row(
            "api:call-off-detail",
            "PATCH",
            detail("co_other_region"),
            commissioners(404),
            variant="another region",
            data={"title": "Changed"},
        ),
        Row("api:call-off-detail", "PUT", detail("co_draft"), commissioners(405), data={"title": "Changed"}),
        Row("api:call-off-detail", "DELETE", detail("co_draft"), commissioners(405)),
        # Lots -----------------------------------------------------------------------------------------------------
        Row("api:call-off-lots", "POST", action("lots", "co_draft"), commissioners(201), variant="draft", data=new_lot),
        Row(
            "api:call-off-lots",
            "POST",
            action("lots", "co_draft"),
            commissioners(400),
            variant="draft, nothing sent",
            data={},
        ),
        Row(
            "api:call-off-lots",
            "POST",
            action("lots", "co_open"),
            commissioners(400),
            variant="published",
            data=new_lot,
        ),
        Row(
            "api:call-off-lots",
            "POST",
            action("lots", "co_other_region"),
            commissioners(404),
            variant="another region",
            data=new_lot,
        ),
        Row("api:call-off-lots", "GET", action("lots", "co_draft"), commissioners(405)),
        Row("api:call-off-lot", "PATCH", lot, allowed, variant="draft", data={"years": years}),
        Row("api:call-off-lot", "PATCH", lot, commissioners(400), variant="draft, no years", data={"years": []}),
        Row(
            "api:call-off-lot",
            "PATCH",
            action("lot", "co_draft", lot=999999),
            commissioners(404),
            variant="unknown lot",
            data={"years": years},
        ),
        Row("api:call-off-lot", "DELETE", lot, commissioners(204), variant="draft"),
        Row(
            "api:call-off-lot",
            "DELETE",
            action("lot", "co_open", lot=attr("co_draft_lot.pk")),
            commissioners(404),
            variant="another call-off's lot",
        ),
        # Quality questions ----------------------------------------------------------------------------------------
        Row(
            "api:call-off-quality-questions",
            "POST",
            action("quality-questions", "co_draft"),
            commissioners(201),
            variant="draft",
            data=new_question,
        ),
        Row(
            "api:call-off-quality-questions",
            "POST",
            action("quality-questions", "co_draft"),
            commissioners(400),
            variant="draft, nothing sent",
            data={},
        ),
        Row(
            "api:call-off-quality-questions",
            "POST",
            action("quality-questions", "co_open"),
            commissioners(400),
            variant="published",
            data=new_question,
        ),
        Row("api:call-off-quality-question", "PATCH", quality_question, allowed, variant="draft", data={"weight": 60}),
        Row(
            "api:call-off-quality-question",
            "PATCH",
            quality_question,
            commissioners(400),
            variant="draft, a word for a number",
            data={"weight": "heavy"},
        ),
        Row("api:call-off-quality-question", "DELETE", quality_question, commissioners(204), variant="draft"),
        Row(
            "api:call-off-quality-question",
            "DELETE",
            action("quality-question", "co_draft", question=999999),
            commissioners(404),
            variant="unknown question",
        ),
        # Approval -------------------------------------------------------------------------------------------------
        Row("api:call-off-submit-for-approval", "POST", action("submit-for-approval", "co_draft"), allowed),
        Row(
            "api:call-off-submit-for-approval",
            "POST",
            action("submit-for-approval", "co_open"),
            commissioners(400),
            variant="published",
        ),
        Row(
            "api:call-off-submit-for-approval",
            "GET",
            action("submit-for-approval", "co_draft"),
            commissioners(405),
        ),
        Row("api:call-off-approve", "POST", action("approve", "co_awaiting"), allowed, variant="sent by another"),
        Row(
            "api:call-off-approve",
            "POST",
            action("approve", "co_sent_by_me"),
            commissioners(400),
            variant="sent by the same commissioner",
        ),
        Row("api:call-off-approve", "POST", action("approve", "co_draft"), commissioners(400), variant="not sent"),
        Row(
            "api:call-off-approve",
            "POST",
            action("approve", "co_other_region"),
            commissioners(404),
            variant="another region",
        ),
        Row("api:call-off-send-back", "POST", action("send-back", "co_awaiting"), allowed, data=reason),
        Row(
            "api:call-off-send-back",
            "POST",
            action("send-back", "co_awaiting"),
            commissioners(400),
            variant="no reason",
            data={},
        ),
        Row(
            "api:call-off-send-back",
            "POST",
            action("send-back", "co_draft"),
            commissioners(400),
            variant="a draft",
            data=reason,
        ),
        # After publication ----------------------------------------------------------------------------------------
        Row(
            "api:call-off-amend",
            "POST",
            action("amend", "co_open"),
            allowed,
            variant="open",
            data={"summary": "The note is clearer.", "cohort_note": "Women aged 18 and over"},
        ),
        Row("api:call-off-amend", "POST", action("amend", "co_open"), commissioners(400), variant="nothing", data={}),
        Row(
            "api:call-off-amend",
            "POST",
            action("amend", "co_closed"),
            commissioners(400),
            variant="after the deadline",
            data={"summary": "Too late.", "cohort_note": "Changed"},
        ),
        Row("api:call-off-cancel", "POST", action("cancel", "co_open"), allowed, variant="open", data=reason),
        Row(
            "api:call-off-cancel", "POST", action("cancel", "co_open"), commissioners(400), variant="no reason", data={}
        ),
        Row(
            "api:call-off-cancel",
            "POST",
            action("cancel", "co_awarded"),
            commissioners(400),
            variant="awarded",
            data=reason,
        ),
        Row("api:call-off-no-award", "POST", action("no-award", "co_closed"), allowed, variant="closed", data=reason),
        Row(
            "api:call-off-no-award",
            "POST",
            action("no-award", "co_open"),
            commissioners(400),
            variant="before the deadline",
            data=reason,
        ),
        Row("api:call-off-copy", "POST", action("copy", "co_awarded"), commissioners(201), variant="awarded"),
        Row(
            "api:call-off-copy",
            "POST",
            action("copy", "co_other_region"),
            commissioners(404),
            variant="another region",
        ),
        # Providers' questions, for commissioners ------------------------------------------------------------------
        Row("api:call-off-questions", "GET", action("questions", "co_open"), allowed, variant="open"),
        Row(
            "api:call-off-questions",
            "GET",
            action("questions", "co_other_region"),
            commissioners(404),
            variant="another region",
        ),
        Row("api:call-off-questions", "POST", action("questions", "co_open"), commissioners(405), data={}),
        Row(
            "api:call-off-answer",
            "POST",
            action("answer", "co_open", question=attr("open_question.pk")),
            allowed,
            variant="a question",
            data=answer,
        ),
        Row(
            "api:call-off-answer",
            "POST",
            action("answer", "co_open", question=attr("open_question.pk")),
            commissioners(400),
            variant="nothing sent",
            data={},
        ),
        Row(
            "api:call-off-answer",
            "POST",
            action("answer", "co_closed", question=attr("open_question.pk")),
            commissioners(404),
            variant="another call-off's question",
            data=answer,
        ),
    ]


def question_rows(m) -> list:
    Row, url, attr = m.Row, m.url, m.attr
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]

    def members_get(outcome):
        return m.api_only(members, allowed=outcome)

    listing = url("api:call-off-question-list")
    return [
        Row("api:call-off-question-list", "GET", listing, members_get(200)),
        Row(
            "api:call-off-question-list",
            "GET",
            "/api/v1/call-off-questions/?call_off=DFC-MTRX-BIDS",
            members_get(200),
            variant="one call-off",
        ),
        Row("api:call-off-question-list", "POST", listing, members_get(400), variant="nothing sent", data={}),
        Row(
            "api:call-off-question-list",
            "POST",
            listing,
            members_get(201),
            variant="a question",
            data={"call_off": "DFC-MTRX-BIDS", "question": "Can the service run from our existing centre?"},
        ),
        Row(
            "api:call-off-question-list",
            "POST",
            listing,
            members_get(400),
            variant="a call-off not published",
            data={"call_off": "DFC-NONE-NONE", "question": "Is it open?"},
        ),
        Row(
            "api:call-off-question-list",
            "POST",
            listing,
            members_get(400),
            variant="another organisation",
            data={"call_off": "DFC-MTRX-BIDS", "question": "Is it open?", "organisation": "no-such-organisation"},
        ),
        Row(
            "api:call-off-question-detail",
            "GET",
            url("api:call-off-question-detail", pk=attr("open_question.pk")),
            members_get(200),
            variant="their organisation's",
        ),
        Row(
            "api:call-off-question-detail",
            "GET",
            url("api:call-off-question-detail", pk=attr("other_question.pk")),
            members_get(404),
            variant="another organisation's",
        ),
        Row(
            "api:call-off-question-detail",
            "DELETE",
            url("api:call-off-question-detail", pk=attr("open_question.pk")),
            members_get(405),
        ),
    ]


def rows(m) -> list:
    return [*call_off_rows(m), *question_rows(m)]
