"""Permission matrix rows for the bidding pages (dynamic_framework/calloffs/views/bidding.py). Objects: see
calloffs_world.py. The provider users are world.org's members: world.open_bid is theirs (submitted, co_open),
world.other_open_bid is world.other_org's (it names world.org in its supply chain: world.supply_chain_invitation), and
world.co_open_no_bid is open with no bid from world.org yet.

Sealed bids: only the bidding organisation's members ever see a bid's pages; for everyone else each of them is a
404 (not 403), whether or not a bid exists. The bid page itself is a 403 for people who cannot bid at all (not
provider members), whatever the call-off.
"""


def rows(m) -> list:
    Row, url, attr, only, public, redirect, but = m.Row, m.url, m.attr, m.only, m.public, m.redirect, m.but
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]
    administrator = [m.PROVIDER_ADMINISTRATOR]

    def at(name, call_off, **kwargs):
        return url(f"calloffs:{name}", reference=attr(f"{call_off}.reference"), **kwargs)

    def mine(allowed=200):
        return only(members, allowed=allowed, denied=404)

    nobody = only([], denied=404)
    bid_page = at("bid", "co_open")
    closed_bid_page = at("bid", "co_closed")
    invitation = url("calloffs:invitation", pk=attr("supply_chain_invitation.pk"))

    out = [
        # Your bids
        Row("calloffs:your-bids", "GET", url("calloffs:your-bids"), only(members)),
        Row("calloffs:your-bids", "GET", "/bids/?page=99&invitations_page=x", only(members), variant="odd pages"),
        Row("calloffs:your-bids", "POST", url("calloffs:your-bids"), public(405), data={}),
        # The bid page: the bid, a start page, or a plain explanation; 403 for people who cannot bid at all
        Row("calloffs:bid", "GET", bid_page, only(members), variant="their bid"),
        Row("calloffs:bid", "GET", at("bid", "co_open_no_bid"), only(members), variant="start page"),
        Row("calloffs:bid", "GET", closed_bid_page, only(members), variant="after the deadline"),
        Row("calloffs:bid", "GET", at("bid", "co_draft"), nobody, variant="not published"),
        Row("calloffs:bid", "GET", "/opportunities/DFC-NONE-NONE/bid/", nobody, variant="unknown"),
        Row(
            "calloffs:bid",
            "GET",
            lambda w: f"/opportunities/{w.co_open.reference}/bid/?organisation={w.other_org.slug}",
            but(only([]), provider_administrator=404, provider_staff=404),
            variant="another organisation's",
        ),
        Row("calloffs:bid", "POST", bid_page, only(members, allowed=redirect(bid_page)), variant="already started"),
        Row(
            "calloffs:bid",
            "POST",
            at("bid", "co_open_no_bid"),
            only(members, allowed=redirect(at("bid-prices", "co_open_no_bid"))),
            variant="start a bid",
        ),
        Row(
            "calloffs:bid", "POST", closed_bid_page, only(members, allowed=redirect(closed_bid_page)), variant="closed"
        ),
        Row("calloffs:bid", "POST", at("bid", "co_draft"), nobody, variant="not published"),
        Row("calloffs:bid", "PUT", bid_page, public(405)),
        # Submit: administrators only; late or incomplete submissions are shown on the bid page (200)
        Row("calloffs:bid-submit", "GET", at("bid-submit", "co_open"), public(405)),
        Row(
            "calloffs:bid-submit",
            "POST",
            at("bid-submit", "co_open"),
            but(only(administrator, denied=404), provider_staff=403),
            variant="no idempotency key",
            data={},
        ),
        Row(
            "calloffs:bid-submit",
            "POST",
            at("bid-submit", "co_open"),
            but(only(administrator, allowed=redirect(), denied=404), provider_staff=403),
            variant="submit again",
            data={"idempotency_key": "matrix-key"},
        ),
        Row(
            "calloffs:bid-submit",
            "POST",
            at("bid-submit", "co_closed"),
            but(only(administrator, denied=404), provider_staff=403),
            variant="after the deadline",
            data={"idempotency_key": "matrix-key"},
        ),
        Row(
            "calloffs:bid-submit",
            "POST",
            at("bid-submit", "co_open_no_bid"),
            nobody,
            variant="no bid",
            data={"idempotency_key": "matrix-key"},
        ),
        # Receipts
        Row(
            "calloffs:bid-receipt",
            "GET",
            at("bid-receipt", "co_open", receipt=attr("open_bid.latest_submission.receipt")),
            mine(),
            variant="their receipt",
        ),
        Row(
            "calloffs:bid-receipt",
            "GET",
            at("bid-receipt", "co_open", receipt=attr("other_open_bid.latest_submission.receipt")),
            nobody,
            variant="another organisation's receipt",
        ),
        Row(
            "calloffs:bid-receipt",
            "GET",
            at("bid-receipt", "co_closed", receipt=attr("open_bid.latest_submission.receipt")),
            nobody,
            variant="receipt of another call-off",
        ),
        Row(
            "calloffs:bid-receipt",
            "POST",
            at("bid-receipt", "co_open", receipt=attr("open_bid.latest_submission.receipt")),
            public(405),
            data={},
        ),
        # Withdraw
        Row("calloffs:bid-withdraw", "GET", at("bid-withdraw", "co_open"), mine(), variant="submitted bid"),
        Row(
            "calloffs:bid-withdraw",
            "GET",
            at("bid-withdraw", "co_closed"),
            mine(redirect(closed_bid_page)),
            variant="after the deadline",
        ),
        Row("calloffs:bid-withdraw", "GET", at("bid-withdraw", "co_open_no_bid"), nobody, variant="no bid"),
        Row(
            "calloffs:bid-withdraw",
            "POST",
            at("bid-withdraw", "co_open"),
            mine(redirect(bid_page)),
            variant="submitted bid",
            data={},
        ),
        Row("calloffs:bid-withdraw", "POST", at("bid-withdraw", "co_open_no_bid"), nobody, variant="no bid", data={}),
        # The outcome letter: the bidder's members, once the award is approved
        Row("calloffs:outcome", "GET", at("outcome", "co_awarded"), mine(), variant="awarded"),
        Row("calloffs:outcome", "GET", at("outcome", "co_evaluation"), nobody, variant="in evaluation"),
        Row("calloffs:outcome", "GET", at("outcome", "co_open"), nobody, variant="open"),
        Row("calloffs:outcome", "POST", at("outcome", "co_awarded"), public(405), data={}),
        # A subcontractor's invitation: the invited organisation's members
        Row("calloffs:invitation", "GET", invitation, mine()),
        Row("calloffs:invitation", "GET", "/supply-chain-invitations/999999/", nobody, variant="unknown"),
        Row("calloffs:invitation", "POST", invitation, mine(), variant="empty form", data={}),
        Row(
            "calloffs:invitation",
            "POST",
            invitation,
            mine(redirect(invitation)),
            variant="confirm",
            data={"response": "confirm"},
        ),
        Row("calloffs:invitation", "PUT", invitation, public(405)),
    ]
    # The parts of a bid: lots and prices, answers, supply chain
    next_part = {"bid-prices": "bid-answers", "bid-answers": "bid-supply-chain", "bid-supply-chain": "bid"}
    for part, after in next_part.items():
        name = f"calloffs:{part}"
        out += [
            Row(name, "GET", at(part, "co_open"), mine(), variant="their bid"),
            Row(name, "GET", at(part, "co_closed"), mine(redirect(closed_bid_page)), variant="after the deadline"),
            Row(name, "GET", at(part, "co_open_no_bid"), nobody, variant="no bid"),
            Row(name, "GET", at(part, "co_draft"), nobody, variant="not published"),
            Row(name, "POST", at(part, "co_open"), mine(redirect(at(after, "co_open"))), variant="their bid", data={}),
            Row(name, "POST", at(part, "co_open_no_bid"), nobody, variant="no bid", data={}),
            Row(name, "DELETE", at(part, "co_open"), public(405)),
        ]
    return out
