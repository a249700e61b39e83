"""Permission matrix rows for the public Opportunities pages: the list, the Atom feed, email alerts (no account), one
opportunity, its documents and asking a question.

Public once published, for everyone, and a 404 before publication for everyone, commissioners included (they have
their own pages); a draft's document only for commissioners for its region (the matrix commissioner commissions for
region A). Asking: provider members only. See calloffs_world.py for the objects.
"""


def rows(m) -> list:
    Row, url, attr, public, only = m.Row, m.url, m.attr, m.public, m.only
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]

    def opportunity(name):
        return url("calloffs:opportunity", reference=attr(f"{name}.reference"))

    def ask(name):
        return url("calloffs:ask", reference=attr(f"{name}.reference"))

    confirm = url("calloffs:alerts-confirm", token=attr("alert_confirm_token"))
    unsubscribe = url("calloffs:alerts-unsubscribe", token=attr("alert_unsubscribe_token"))
    public_document = url("calloffs:document", reference=attr("co_documents.reference"), pk=attr("public_document.pk"))
    draft_document = url(
        "calloffs:document", reference=attr("co_draft_with_document.reference"), pk=attr("draft_document.pk")
    )
    return [
        # The list
        Row("calloffs:opportunities", "GET", "/opportunities/", public()),
        Row(
            "calloffs:opportunities",
            "GET",
            "/opportunities/?category=women&region=A&pcc_area=durham&funding=grant&status=open",
            public(),
            variant="filtered",
        ),
        Row(
            "calloffs:opportunities",
            "GET",
            "/opportunities/?category=nothing&region=Z&status=maybe&page=zz",
            public(),
            variant="bad filter",
        ),
        Row("calloffs:opportunities", "POST", "/opportunities/", public(405), data={}),
        # The Atom feed
        Row("calloffs:feed", "GET", "/opportunities/feed.atom", public()),
        Row(
            "calloffs:feed", "GET", "/opportunities/feed.atom?status=open&pcc_area=durham", public(), variant="filtered"
        ),
        Row("calloffs:feed", "GET", "/opportunities/feed.atom?region=Z", public(400), variant="bad filter"),
        Row("calloffs:feed", "POST", "/opportunities/feed.atom", public(405), data={}),
        # Email alerts: no account needed
        Row("calloffs:alerts", "GET", "/opportunities/alerts/", public()),
        Row("calloffs:alerts", "POST", "/opportunities/alerts/", public(), variant="empty form", data={}),
        Row(
            "calloffs:alerts",
            "POST",
            "/opportunities/alerts/",
            public(),
            variant="valid",
            data={"email": "someone@example.org", "categories": ["women"], "pcc_areas": ["durham"]},
        ),
        Row("calloffs:alerts-confirm", "GET", confirm, public(), variant="valid link"),
        Row(
            "calloffs:alerts-confirm",
            "GET",
            url("calloffs:alerts-confirm", token=attr("expired_alert_confirm_token")),
            public(410),
            variant="older than 7 days",
        ),
        Row(
            "calloffs:alerts-confirm",
            "GET",
            "/opportunities/alerts/confirm/not-a-link/",
            public(404),
            variant="malformed",
        ),
        Row(
            "calloffs:alerts-confirm",
            "GET",
            url("calloffs:alerts-confirm", token=attr("alert_unsubscribe_token")),
            public(404),
            variant="an unsubscribe link",
        ),
        Row("calloffs:alerts-confirm", "POST", confirm, public(405), data={}),
        Row("calloffs:alerts-unsubscribe", "GET", unsubscribe, public()),
        Row("calloffs:alerts-unsubscribe", "POST", unsubscribe, public(m.redirect(unsubscribe)), data={}),
        Row(
            "calloffs:alerts-unsubscribe",
            "GET",
            "/opportunities/alerts/unsubscribe/not-a-link/",
            public(404),
            variant="malformed",
        ),
        Row(
            "calloffs:alerts-unsubscribe",
            "POST",
            "/opportunities/alerts/unsubscribe/not-a-link/",
            public(404),
            variant="malformed",
            data={},
        ),
        # One opportunity: public once published, in every status; 404 before
        Row("calloffs:opportunity", "GET", opportunity("co_open"), public(), variant="open"),
        Row("calloffs:opportunity", "GET", opportunity("co_closed"), public(), variant="closed"),
        Row("calloffs:opportunity", "GET", opportunity("co_evaluation"), public(), variant="in evaluation"),
        Row("calloffs:opportunity", "GET", opportunity("co_awarded"), public(), variant="awarded"),
        Row("calloffs:opportunity", "GET", opportunity("co_documents"), public(), variant="with a document"),
        Row("calloffs:opportunity", "GET", opportunity("co_draft"), public(404), variant="draft"),
        Row("calloffs:opportunity", "GET", opportunity("co_awaiting"), public(404), variant="awaiting approval"),
        Row("calloffs:opportunity", "GET", "/opportunities/DFC-NONE-NONE/", public(404), variant="unknown"),
        Row("calloffs:opportunity", "POST", opportunity("co_open"), public(405), data={}),
        # Documents
        Row("calloffs:document", "GET", public_document, public(), variant="published"),
        Row(
            "calloffs:document",
            "GET",
            draft_document,
            only([m.COMMISSIONER], denied=404, anonymous=404),
            variant="draft",
        ),
        Row(
            "calloffs:document",
            "GET",
            url("calloffs:document", reference=attr("co_documents.reference"), pk=attr("draft_document.pk")),
            public(404),
            variant="another call-off's document",
        ),
        Row(
            "calloffs:document",
            "GET",
            url("calloffs:document", reference=attr("co_documents.reference"), pk=999999),
            public(404),
            variant="unknown",
        ),
        Row("calloffs:document", "POST", public_document, public(405), data={}),
        # Asking a question: provider members; 404 before publication
        Row("calloffs:ask", "GET", ask("co_open"), only(members), variant="open"),
        Row("calloffs:ask", "GET", ask("co_closed"), only(members), variant="questions closed"),
        Row("calloffs:ask", "GET", ask("co_draft"), public(404), variant="draft"),
        Row("calloffs:ask", "POST", ask("co_open"), only(members), variant="empty form", data={}),
        Row(
            "calloffs:ask",
            "POST",
            ask("co_open"),
            only(members, allowed=m.redirect(ask("co_open"))),
            variant="a question",
            data={"question": "Can the service run from our existing centre?"},
        ),
        Row(
            "calloffs:ask",
            "POST",
            ask("co_closed"),
            only(members),
            variant="questions closed",
            data={"question": "Is it too late?"},
        ),
        Row("calloffs:ask", "POST", ask("co_draft"), public(404), variant="draft", data={"question": "Hello?"}),
    ]
