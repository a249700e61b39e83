"""Permission matrix rows for the bids API (the Bids block of dynamic_framework/calloffs/api.py). Objects: see
calloffs_world.py. Listing and starting bids need a provider organisation (403 otherwise); one bid's routes are a
404 for anyone whose organisation did not make it, so nobody learns whether an organisation has bid.

(The matrix sends no Idempotency-Key header, so "submit" answers 400 to the bidder's members here; submitting with
the header is tested in dynamic_framework/calloffs/tests/test_bidding_api.py.)
"""


def rows(m) -> list:
    Row, url, attr, api_only, api_signed_in = m.Row, m.url, m.attr, m.api_only, m.api_signed_in
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]

    def mine(allowed=200):
        return api_only(members, allowed=allowed, denied=404)

    nobody = api_only([], denied=404)
    own = url("api:bid-detail", pk=attr("open_bid.pk"))
    theirs = url("api:bid-detail", pk=attr("other_open_bid.pk"))
    return [
        Row("api:bid-list", "GET", url("api:bid-list"), api_only(members)),
        Row(
            "api:bid-list", "POST", url("api:bid-list"), api_only(members, allowed=400), variant="nothing sent", data={}
        ),
        Row(
            "api:bid-list",
            "POST",
            url("api:bid-list"),
            api_only(members, allowed=201),
            variant="start a bid",
            data={"call_off": "DFC-MTRX-BIDS"},
        ),
        Row(
            "api:bid-list",
            "POST",
            url("api:bid-list"),
            api_only(members, allowed=400),
            variant="a call-off not published",
            data={"call_off": "DFC-NONE-NONE"},
        ),
        Row("api:bid-detail", "GET", own, mine(), variant="their bid"),
        Row("api:bid-detail", "GET", theirs, nobody, variant="another organisation's bid"),
        Row("api:bid-detail", "GET", "/api/v1/bids/999999/", nobody, variant="unknown"),
        Row("api:bid-detail", "PATCH", own, mine(), variant="their bid, nothing changed", data={}),
        Row(
            "api:bid-detail",
            "PATCH",
            own,
            mine(400),
            variant="their bid, an unknown question",
            data={"answers": {"999999": "An answer"}},
        ),
        Row("api:bid-detail", "PATCH", theirs, nobody, variant="another organisation's bid", data={}),
        Row("api:bid-detail", "PUT", own, api_signed_in(405), data={}),
        Row("api:bid-detail", "DELETE", own, api_signed_in(405)),
        Row("api:bid-submit", "POST", url("api:bid-submit", pk=attr("open_bid.pk")), mine(400), variant="their bid"),
        Row(
            "api:bid-submit",
            "POST",
            url("api:bid-submit", pk=attr("other_open_bid.pk")),
            nobody,
            variant="another organisation's bid",
        ),
        Row("api:bid-submit", "GET", url("api:bid-submit", pk=attr("open_bid.pk")), api_signed_in(405)),
        Row("api:bid-withdraw", "POST", url("api:bid-withdraw", pk=attr("open_bid.pk")), mine(), variant="their bid"),
        Row(
            "api:bid-withdraw",
            "POST",
            url("api:bid-withdraw", pk=attr("closed_bid.pk")),
            mine(400),
            variant="after the deadline",
        ),
        Row(
            "api:bid-withdraw",
            "POST",
            url("api:bid-withdraw", pk=attr("other_open_bid.pk")),
            nobody,
            variant="another organisation's bid",
        ),
        Row("api:bid-withdraw", "GET", url("api:bid-withdraw", pk=attr("open_bid.pk")), api_signed_in(405)),
    ]
