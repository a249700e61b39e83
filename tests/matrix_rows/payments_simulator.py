"""Permission matrix rows for payments: simulator (the public "who gets paid if..." page and its API; no objects)."""

from urllib.parse import urlencode

GOOD = urlencode(
    {
        "results": "completed",
        "lead-mechanism": "hybrid",
        "lead-value": "100000",
        "lead-fixed_share": "90",
        "lead-fee": "500",
        "lead-target": "50",
        "lead-expected": "40",
        "s1-terms": "protected_fixed_fee",
        "s1-protected_fee": "30000",
    }
)
BAD = urlencode({"results": "hugs", "lead-mechanism": "hybrid", "lead-value": "-5", "s1-share": "120"})


def rows(m) -> list:
    from dynamic_framework.payments import simulator

    page = "/who-gets-paid/"
    return [
        m.Row("payments:who-gets-paid", "GET", page, m.public(), variant="the example"),
        m.Row("payments:who-gets-paid", "GET", f"{page}?{GOOD}", m.public(), variant="a set-up"),
        m.Row("payments:who-gets-paid", "GET", f"{page}?{BAD}", m.public(), variant="bad input"),
        m.Row("payments:who-gets-paid", "POST", page, m.public(405), data={}),
        m.Row("api:simulator-list", "POST", "/api/v1/simulator/", m.api_public(), data=simulator.example_json()),
        m.Row("api:simulator-list", "POST", "/api/v1/simulator/", m.api_public(400), variant="empty", data={}),
        m.Row("api:simulator-list", "GET", "/api/v1/simulator/", m.api_public(405)),
    ]
