"""Permission matrix rows for the qualification API: frameworks and the register (public, read-only) and applications
(signed in; someone else's application is a 404, never a 403, so references are not confirmed to outsiders).

Who sees which application (see world.py): world.decided and world.in_assessment are world.org's, assessed by the
evaluator user; world.draft is world.org's draft; world.other_application is another organisation's, submitted
and not assigned. Framework managers see every submitted application but no other organisation's drafts.
"""


def rows(m) -> list:
    Row, url, attr = m.Row, m.url, m.attr
    api_public, api_signed_in, api_only = m.api_public, m.api_signed_in, m.api_only
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]
    framework = url("api:framework-detail", slug=attr("framework.slug"))
    entry = url("api:register-detail", slug=attr("org.slug"))

    def application(name):
        return url("api:application-detail", reference=attr(f"{name}.reference"))

    out = [
        # Frameworks
        Row("api:framework-list", "GET", url("api:framework-list"), api_public()),
        Row("api:framework-list", "POST", url("api:framework-list"), api_public(405), data={}),
        Row("api:framework-detail", "GET", framework, api_public()),
        Row("api:framework-detail", "GET", "/api/v1/frameworks/no-such-framework/", api_public(404), variant="unknown"),
        Row("api:framework-detail", "PUT", framework, api_public(405), data={}),
        Row("api:framework-detail", "PATCH", framework, api_public(405), data={}),
        Row("api:framework-detail", "DELETE", framework, api_public(405)),
        # The register
        Row("api:register-list", "GET", url("api:register-list"), api_public()),
        Row(
            "api:register-list",
            "GET",
            "/api/v1/register/?category=women&region=A&sector=voluntary_and_community",
            api_public(),
            variant="filtered",
        ),
        Row("api:register-list", "GET", "/api/v1/register/?category=nothing", api_public(400), variant="bad filter"),
        Row("api:register-list", "POST", url("api:register-list"), api_public(405), data={}),
        Row("api:register-detail", "GET", entry, api_public()),
        Row(
            "api:register-detail",
            "GET",
            url("api:register-detail", slug=attr("never_qualified.slug")),
            api_public(404),
            variant="never qualified",
        ),
        Row("api:register-detail", "GET", "/api/v1/register/nobody-at-all/", api_public(404), variant="unknown"),
        Row("api:register-detail", "PUT", entry, api_public(405), data={}),
        Row("api:register-detail", "DELETE", entry, api_public(405)),
        # Applications
        Row("api:application-list", "GET", url("api:application-list"), api_signed_in()),
        Row("api:application-list", "POST", url("api:application-list"), api_signed_in(405), data={}),
        Row(
            "api:application-detail",
            "GET",
            application("decided"),
            api_only([*members, m.FRAMEWORK_MANAGER, m.EVALUATOR], denied=404),
            variant="decided, assessed by the evaluator",
        ),
        Row(
            "api:application-detail",
            "GET",
            application("in_assessment"),
            api_only([*members, m.FRAMEWORK_MANAGER, m.EVALUATOR], denied=404),
            variant="in assessment, assigned to the evaluator",
        ),
        Row(
            "api:application-detail",
            "GET",
            application("draft"),
            api_only(members, denied=404),
            variant="a draft",
        ),
        Row(
            "api:application-detail",
            "GET",
            application("other_application"),
            api_only([m.FRAMEWORK_MANAGER], denied=404),
            variant="another organisation's, not assigned",
        ),
        Row(
            "api:application-detail",
            "GET",
            "/api/v1/applications/NOSUCHREF/",
            api_signed_in(404),
            variant="unknown",
        ),
        Row("api:application-detail", "PUT", application("decided"), api_signed_in(405), data={}),
        Row("api:application-detail", "PATCH", application("decided"), api_signed_in(405), data={}),
        Row("api:application-detail", "DELETE", application("decided"), api_signed_in(405)),
    ]
    return out
