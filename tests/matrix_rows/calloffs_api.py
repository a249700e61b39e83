"""Permission matrix rows for the call-offs API, one block per group of routes (see dynamic_framework/calloffs/api.py).
The objects are in calloffs_world.py."""


def opportunities_rows(m) -> list:
    """Opportunities: public and read-only; a call-off not yet published is a 404 for everyone."""
    Row, url, attr, api_public = m.Row, m.url, m.attr, m.api_public

    def detail(name):
        return url("api:opportunity-detail", reference=attr(f"{name}.reference"))

    return [
        Row("api:opportunity-list", "GET", url("api:opportunity-list"), api_public()),
        Row(
            "api:opportunity-list",
            "GET",
            "/api/v1/opportunities/?category=women&region=A&pcc_area=durham&funding=grant&status=open",
            api_public(),
            variant="filtered",
        ),
        Row(
            "api:opportunity-list",
            "GET",
            "/api/v1/opportunities/?status=maybe&region=Z",
            api_public(400),
            variant="bad filter",
        ),
        Row("api:opportunity-list", "POST", url("api:opportunity-list"), api_public(405), data={}),
        Row("api:opportunity-detail", "GET", detail("co_open"), api_public(), variant="open"),
        Row("api:opportunity-detail", "GET", detail("co_closed"), api_public(), variant="closed"),
        Row("api:opportunity-detail", "GET", detail("co_evaluation"), api_public(), variant="in evaluation"),
        Row("api:opportunity-detail", "GET", detail("co_awarded"), api_public(), variant="awarded"),
        Row("api:opportunity-detail", "GET", detail("co_documents"), api_public(), variant="with a document"),
        Row("api:opportunity-detail", "GET", detail("co_draft"), api_public(404), variant="draft"),
        Row("api:opportunity-detail", "GET", detail("co_awaiting"), api_public(404), variant="awaiting approval"),
        Row(
            "api:opportunity-detail", "GET", "/api/v1/opportunities/DFC-NONE-NONE/", api_public(404), variant="unknown"
        ),
        Row("api:opportunity-detail", "PUT", detail("co_open"), api_public(405), data={}),
        Row("api:opportunity-detail", "PATCH", detail("co_open"), api_public(405), data={}),
        Row("api:opportunity-detail", "DELETE", detail("co_open"), api_public(405)),
    ]


def rows(m) -> list:
    return [*opportunities_rows(m)]
