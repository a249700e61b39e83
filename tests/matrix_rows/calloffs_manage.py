"""Permission matrix rows for the commissioners' call-off pages (calloffs/views/manage.py): only commissioners for
the call-off's region (the matrix commissioner commissions for region A, where every matrix call-off is), everyone
else 403, anonymous to sign in; an unknown reference or object 404 for everyone signed in. Pages that answer only
POST (or only GET) answer 405 to the other method, for everyone.

Objects (calloffs_world.py): world.co_draft (the matrix commissioner's draft, ready to send), world.co_awaiting (sent
by another commissioner, so the matrix commissioner may approve it), world.co_open (with bids and world.open_question),
world.co_closed (deadline passed, no panel), world.co_evaluation (panel formed), world.co_awarded.
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone


def rows(m) -> list:
    com = [m.COMMISSIONER]
    ok = m.only(com)

    def ref(name):
        return m.attr(f"{name}.reference")

    def u(page, call_off, **kwargs):
        return m.url(f"calloffs:{page}", reference=ref(call_off), **kwargs)

    def to(page, call_off):
        return m.redirect(lambda w: reverse(f"calloffs:{page}", kwargs={"reference": getattr(w, call_off).reference}))

    def first_lot(world):
        return world.co_draft.lots.order_by("position").first().pk

    def first_question(world):
        return world.co_draft.quality_questions.order_by("position").first().pk

    unknown = m.only(com, allowed=404, denied=404)  # no such call-off
    unknown_part = m.only(com, allowed=404)  # no such lot or question in a call-off others may not manage
    unknown_ref = "DFC-NONE-NONE"

    year = timezone.now().year + 1

    def day(prefix, value):
        return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}

    create = {
        "title": "Matrix women's services",
        "summary": "A women-only service.",
        "categories": ["women"],
        "region": "A",
        "funding_mechanism": "grant",
        "funding_reason": "A small local service.",
        **day("term_start", date(year, 10, 1)),
        "term_months": "12",
        "cohort_sex": "any",
        "price_weight": "30",
        "social_value_weight": "0",
        "social_value_word_limit": "300",
        "minimum_quality_percent": "50",
        **day("questions_close_on", date(year, 7, 1)),
        "questions_close_time": "12:00",
        **day("deadline_on", date(year, 7, 15)),
        "deadline_time": "12:00",
        **day("expected_award_on", date(year, 8, 1)),
        "standstill_days": "10",
    }
    lot = {"kind": "pcc_area", "pcc_areas": ["northumbria"], "year_1": "2030", "value_1": "545,000"}
    question = {"question": "How will you help?", "word_limit": "300", "weight": "10"}

    return [
        # The list and creating
        m.Row("calloffs:list", "GET", m.url("calloffs:list"), ok),
        m.Row("calloffs:list", "GET", "/call-offs/?status=published", ok, variant="by status"),
        m.Row("calloffs:list", "POST", m.url("calloffs:list"), m.public(405)),
        m.Row("calloffs:create", "GET", m.url("calloffs:create"), ok),
        m.Row("calloffs:create", "POST", m.url("calloffs:create"), ok, variant="empty form"),
        m.Row(
            "calloffs:create",
            "POST",
            m.url("calloffs:create"),
            m.only(com, allowed=m.redirect()),
            variant="valid",
            data=create,
        ),
        # The overview, in every state
        *[
            m.Row("calloffs:detail", "GET", u("detail", name), ok, variant=name)
            for name in ("co_draft", "co_awaiting", "co_open", "co_closed", "co_evaluation", "co_awarded")
        ],
        m.Row("calloffs:detail", "GET", f"/call-offs/{unknown_ref}/", unknown, variant="unknown"),
        m.Row("calloffs:detail", "POST", u("detail", "co_draft"), m.public(405)),
        # Changing a draft
        m.Row("calloffs:edit", "GET", u("edit", "co_draft"), ok),
        m.Row("calloffs:edit", "POST", u("edit", "co_draft"), ok, variant="empty form"),
        m.Row(
            "calloffs:edit",
            "GET",
            u("edit", "co_open"),
            m.only(com, allowed=to("detail", "co_open")),
            variant="published: amend it",
        ),
        m.Row("calloffs:edit", "GET", f"/call-offs/{unknown_ref}/edit/", unknown, variant="unknown"),
        m.Row("calloffs:lots", "GET", u("lots", "co_draft"), ok),
        m.Row("calloffs:lots", "GET", u("lots", "co_open"), ok, variant="published: read only"),
        m.Row("calloffs:lots", "POST", u("lots", "co_draft"), ok, variant="empty form"),
        m.Row(
            "calloffs:lots",
            "POST",
            u("lots", "co_draft"),
            m.only(com, allowed=to("lots", "co_draft")),
            variant="valid",
            data=lot,
        ),
        m.Row("calloffs:lot", "GET", u("lot", "co_draft", pk=first_lot), ok),
        m.Row("calloffs:lot", "POST", u("lot", "co_draft", pk=first_lot), ok, variant="empty form"),
        m.Row(
            "calloffs:lot",
            "POST",
            u("lot", "co_draft", pk=first_lot),
            m.only(com, allowed=to("lots", "co_draft")),
            variant="valid",
            data={"year_1": "2030", "value_1": "1,200,000", "people_1": "40"},
        ),
        m.Row("calloffs:lot", "GET", u("lot", "co_draft", pk=999999), unknown_part, variant="unknown"),
        m.Row("calloffs:remove-lot", "GET", u("remove-lot", "co_draft", pk=first_lot), m.public(405)),
        m.Row(
            "calloffs:remove-lot",
            "POST",
            u("remove-lot", "co_draft", pk=first_lot),
            m.only(com, allowed=to("lots", "co_draft")),
        ),
        m.Row("calloffs:criteria", "GET", u("criteria", "co_draft"), ok),
        m.Row("calloffs:criteria", "GET", u("criteria", "co_awarded"), ok, variant="awarded: read only"),
        m.Row("calloffs:criteria", "POST", u("criteria", "co_draft"), ok, variant="empty form"),
        m.Row(
            "calloffs:criteria",
            "POST",
            u("criteria", "co_draft"),
            m.only(com, allowed=to("criteria", "co_draft")),
            variant="valid",
            data=question,
        ),
        m.Row("calloffs:criterion", "GET", u("criterion", "co_draft", pk=first_question), ok),
        m.Row("calloffs:criterion", "POST", u("criterion", "co_draft", pk=first_question), ok, variant="empty form"),
        m.Row(
            "calloffs:criterion",
            "POST",
            u("criterion", "co_draft", pk=first_question),
            m.only(com, allowed=to("criteria", "co_draft")),
            variant="valid",
            data=question,
        ),
        m.Row("calloffs:criterion", "GET", u("criterion", "co_draft", pk=999999), unknown_part, variant="unknown"),
        m.Row("calloffs:remove-criterion", "GET", u("remove-criterion", "co_draft", pk=first_question), m.public(405)),
        m.Row(
            "calloffs:remove-criterion",
            "POST",
            u("remove-criterion", "co_draft", pk=first_question),
            m.only(com, allowed=to("criteria", "co_draft")),
        ),
        m.Row("calloffs:documents", "GET", u("documents", "co_draft"), ok),
        m.Row("calloffs:documents", "GET", u("documents", "co_closed"), ok, variant="after the deadline"),
        m.Row("calloffs:documents", "POST", u("documents", "co_draft"), ok, variant="empty form"),
        # Approval
        m.Row("calloffs:submit-for-approval", "GET", u("submit-for-approval", "co_draft"), m.public(405)),
        m.Row(
            "calloffs:submit-for-approval",
            "POST",
            u("submit-for-approval", "co_draft"),
            m.only(com, allowed=to("detail", "co_draft")),
        ),
        m.Row(
            "calloffs:submit-for-approval",
            "POST",
            u("submit-for-approval", "co_open"),
            ok,
            variant="published: refused on the page",
        ),
        m.Row("calloffs:approve", "GET", u("approve", "co_awaiting"), ok),
        m.Row(
            "calloffs:approve",
            "POST",
            u("approve", "co_awaiting"),
            m.only(com, allowed=to("detail", "co_awaiting")),
            variant="a second commissioner",
        ),
        m.Row(
            "calloffs:approve",
            "GET",
            u("approve", "co_draft"),
            m.only(com, allowed=to("detail", "co_draft")),
            variant="not waiting for approval",
        ),
        m.Row("calloffs:send-back", "GET", u("send-back", "co_awaiting"), ok),
        m.Row("calloffs:send-back", "POST", u("send-back", "co_awaiting"), ok, variant="no reason"),
        m.Row(
            "calloffs:send-back",
            "POST",
            u("send-back", "co_awaiting"),
            m.only(com, allowed=to("detail", "co_awaiting")),
            variant="with a reason",
            data={"reason": "Add the specification."},
        ),
        # After publication
        m.Row("calloffs:amend", "GET", u("amend", "co_open"), ok),
        m.Row("calloffs:amend", "POST", u("amend", "co_open"), ok, variant="empty form"),
        m.Row(
            "calloffs:amend",
            "GET",
            u("amend", "co_closed"),
            m.only(com, allowed=to("detail", "co_closed")),
            variant="after the deadline",
        ),
        m.Row("calloffs:cancel", "GET", u("cancel", "co_open"), ok),
        m.Row("calloffs:cancel", "POST", u("cancel", "co_open"), ok, variant="no reason"),
        m.Row(
            "calloffs:cancel",
            "POST",
            u("cancel", "co_open"),
            m.only(com, allowed=to("detail", "co_open")),
            variant="with a reason",
            data={"reason": "The funding has ended."},
        ),
        m.Row(
            "calloffs:cancel",
            "GET",
            u("cancel", "co_awarded"),
            m.only(com, allowed=to("detail", "co_awarded")),
            variant="awarded",
        ),
        m.Row("calloffs:no-award", "GET", u("no-award", "co_closed"), ok),
        m.Row("calloffs:no-award", "POST", u("no-award", "co_closed"), ok, variant="no reason"),
        m.Row(
            "calloffs:no-award",
            "POST",
            u("no-award", "co_closed"),
            m.only(com, allowed=to("detail", "co_closed")),
            variant="with a reason",
            data={"reason": "No bid met the minimum quality score."},
        ),
        m.Row(
            "calloffs:no-award",
            "GET",
            u("no-award", "co_open"),
            m.only(com, allowed=to("detail", "co_open")),
            variant="before the deadline",
        ),
        m.Row("calloffs:copy", "GET", u("copy", "co_awarded"), m.public(405)),
        m.Row("calloffs:copy", "POST", u("copy", "co_awarded"), m.only(com, allowed=m.redirect())),
        # Providers' questions
        m.Row("calloffs:questions", "GET", u("questions", "co_open"), ok),
        m.Row("calloffs:questions", "POST", u("questions", "co_open"), m.public(405)),
        m.Row("calloffs:answer", "GET", u("answer", "co_open", pk=m.attr("open_question.pk")), ok),
        m.Row(
            "calloffs:answer", "POST", u("answer", "co_open", pk=m.attr("open_question.pk")), ok, variant="empty form"
        ),
        m.Row(
            "calloffs:answer",
            "POST",
            u("answer", "co_open", pk=m.attr("open_question.pk")),
            m.only(com, allowed=to("questions", "co_open")),
            variant="valid",
            data={"published_question": "Can a provider's own centre be used?", "answer": "Yes."},
        ),
        m.Row("calloffs:answer", "GET", u("answer", "co_open", pk=999999), unknown_part, variant="unknown"),
    ]
