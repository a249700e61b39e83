"""The permission matrix: every page and API endpoint, for anonymous visitors and every role.

Each row is (URL name, method, how to build the URL, what each role gets). `test_every_url_is_in_the_matrix`
walks Django's URL resolver and fails for any named page or API route (and any API method) without a row,
so every new page must be added here with the answer each role should get.

Outcomes:
  200, 400, 403, 404, 405, 410 ...   that status code
  SIGN_IN                             302 to the sign-in page, with ?next= back to the page
  redirect(to)                        302 to `to` (a path, or a function of the world giving one)
  401                                 API: no credentials (JSON {"detail": ...})

Pages are requested with a session (`force_login`), API endpoints with `Authorization: Token <key>`.
The users, organisations and invitations ("the world") are created once for the module; each test runs in a
transaction that is rolled back, so a row that changes something does not affect the next one.
"""

import json
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

ANONYMOUS = "anonymous"
PLATFORM_ADMINISTRATOR = "platform_administrator"
FRAMEWORK_MANAGER = "framework_manager"
COMMISSIONER = "commissioner"
EVALUATOR = "evaluator"
PROVIDER_ADMINISTRATOR = "provider_administrator"
PROVIDER_STAFF = "provider_staff"
PROBATION_PRACTITIONER = "probation_practitioner"
ROLES = [
    PLATFORM_ADMINISTRATOR,
    FRAMEWORK_MANAGER,
    COMMISSIONER,
    EVALUATOR,
    PROVIDER_ADMINISTRATOR,
    PROVIDER_STAFF,
    PROBATION_PRACTITIONER,
]
EVERYONE = [ANONYMOUS, *ROLES]


@dataclass(frozen=True)
class Redirect:
    to: Any  # a path, or a function of the world returning one; None: any 302

    def __str__(self):
        return f"302 to {self.to if isinstance(self.to, str) else 'page'}"


class _SignIn:
    def __str__(self):
        return "302 to sign-in"

    __repr__ = __str__


SIGN_IN = _SignIn()


def redirect(to=None) -> Redirect:
    return Redirect(to)


def everyone(outcome) -> dict:
    return dict.fromkeys(EVERYONE, outcome)


def public(outcome=200) -> dict:
    return everyone(outcome)


def signed_in(outcome=200, anonymous=SIGN_IN) -> dict:
    return {ANONYMOUS: anonymous, **dict.fromkeys(ROLES, outcome)}


def only(roles, allowed=200, denied=403, anonymous=SIGN_IN) -> dict:
    return {ANONYMOUS: anonymous, **{role: (allowed if role in roles else denied) for role in ROLES}}


def api_public(outcome=200) -> dict:
    return everyone(outcome)


def api_signed_in(outcome=200) -> dict:
    return signed_in(outcome, anonymous=401)


def api_only(roles, allowed=200, denied=403) -> dict:
    return only(roles, allowed, denied, anonymous=401)


def but(expected: dict, **overrides) -> dict:
    """`expected`, with some roles' outcomes changed."""
    return {**expected, **overrides}


@dataclass
class Row:
    name: str  # the URL name, with its namespace: "organisations:edit"
    method: str
    url: Any  # a path, or a function of the world returning one
    expected: dict
    variant: str = ""  # tells rows for the same URL and method apart: "own organisation"
    data: dict | None = None  # form fields (pages) or JSON (API)
    api: bool = field(init=False)

    def __post_init__(self):
        self.api = self.name.startswith("api:") or self.name == "api-schema"
        assert set(self.expected) == set(EVERYONE), f"{self.name}: an outcome for every role and anonymous"

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}" + (f" [{self.variant}]" if self.variant else "")

    def path(self, world) -> str:
        return self.url(world) if callable(self.url) else self.url


def url(name, **kwargs):
    """A function of the world that reverses `name`; kwargs values may be functions of the world."""

    def build(world):
        return reverse(name, kwargs={k: (v(world) if callable(v) else v) for k, v in kwargs.items()})

    return build


def attr(path: str):
    """`attr("org.slug")`: a function of the world reading that attribute."""

    def get(world):
        value = world
        for part in path.split("."):
            value = getattr(value, part)
        return value

    return get


ORG_MANAGERS = [PLATFORM_ADMINISTRATOR, FRAMEWORK_MANAGER]
TEAM_MANAGERS = [PLATFORM_ADMINISTRATOR, PROVIDER_ADMINISTRATOR]
PROFILE = url("organisations:profile", slug=attr("org.slug"))

# The public, read-only reference data API: (router basename, lookup keyword, world attribute).
REFERENCE_DATA_APIS = [
    ("region", "code", "region.code"),
    ("pcc-area", "slug", "pcc_area.slug"),
    ("delivery-unit", "code", "delivery_unit.code"),
    ("service-category", "slug", "category.slug"),
    ("referral-category", "slug", "referral_category.slug"),
    ("desired-outcome", "hmpps_id", "desired_outcome.hmpps_id"),
]
REFERENCE_DATA_API_ROWS = [
    row
    for basename, lookup, attribute in REFERENCE_DATA_APIS
    for row in [
        Row(f"api:{basename}-list", "GET", url(f"api:{basename}-list"), api_public()),
        Row(f"api:{basename}-list", "POST", url(f"api:{basename}-list"), api_public(405), data={}),
        Row(f"api:{basename}-detail", "GET", url(f"api:{basename}-detail", **{lookup: attr(attribute)}), api_public()),
        Row(
            f"api:{basename}-detail",
            "GET",
            url(f"api:{basename}-detail", **{lookup: "nothing-here"}),
            api_public(404),
            variant="unknown",
        ),
        Row(
            f"api:{basename}-detail",
            "DELETE",
            url(f"api:{basename}-detail", **{lookup: attr(attribute)}),
            api_public(405),
        ),
    ]
]

# Qualification rows live in tests/matrix_rows/, one module per group of pages; each is given this module.
from tests.matrix_rows import rows_for as qualification_rows  # noqa: E402

QUALIFICATION_ROWS = qualification_rows(sys.modules[__name__])

MATRIX = [
    # Core: public pages ------------------------------------------------------------------------------------
    Row("core:start", "GET", "/", public()),
    Row("core:cookies", "GET", "/cookies/", public()),
    Row("core:accessibility", "GET", "/accessibility/", public()),
    Row("core:privacy", "GET", "/privacy/", public()),
    Row("core:api-docs", "GET", "/api/", public()),
    Row("core:notifications", "GET", "/notifications/", signed_in()),
    Row("core:notifications", "GET", "/notifications/?page=99", signed_in(), variant="past the last page"),
    Row("core:notifications-read", "GET", "/notifications/read/", public(405)),
    Row("core:notifications-read", "POST", "/notifications/read/", signed_in(redirect("/notifications/"))),
    Row("api-docs-page", "GET", "/api/docs/", public()),
    Row(
        "set_language",
        "POST",
        "/i18n/setlang/",
        public(redirect("/regions/")),
        data={"language": "cy", "next": "/regions/"},
    ),
    Row("api-schema", "GET", "/api/schema/", api_public()),
    # Geography and categories: public pages ---------------------------------------------------------------
    Row("geography:regions", "GET", "/regions/", public()),
    Row("geography:region", "GET", url("geography:region", slug=attr("region.slug")), public()),
    Row("geography:region", "GET", "/regions/no-such-region/", public(404), variant="unknown"),
    Row("categories:list", "GET", "/service-categories/", public()),
    Row("categories:detail", "GET", url("categories:detail", slug=attr("category.slug")), public()),
    Row("categories:detail", "GET", "/service-categories/no-such-category/", public(404), variant="unknown"),
    # Organisations --------------------------------------------------------------------------------------------
    Row("organisations:directory", "GET", "/organisations/", public()),
    Row("organisations:directory", "GET", "/organisations/?region=no-such-region", public(), variant="bad filter"),
    Row("organisations:profile", "GET", PROFILE, public()),
    Row("organisations:profile", "GET", "/organisations/no-such-organisation/", public(404), variant="unknown"),
    Row(
        "organisations:edit",
        "GET",
        url("organisations:edit", slug=attr("org.slug")),
        only([PLATFORM_ADMINISTRATOR, PROVIDER_ADMINISTRATOR]),
        variant="own organisation",
    ),
    Row(
        "organisations:edit",
        "GET",
        url("organisations:edit", slug=attr("other_org.slug")),
        only([PLATFORM_ADMINISTRATOR]),
        variant="another organisation",
    ),
    Row(
        "organisations:edit",
        "POST",
        url("organisations:edit", slug=attr("org.slug")),
        only([PLATFORM_ADMINISTRATOR, PROVIDER_ADMINISTRATOR]),
        variant="own organisation, empty form",
        data={},
    ),
    Row(
        "organisations:edit",
        "POST",
        url("organisations:edit", slug=attr("other_org.slug")),
        only([PLATFORM_ADMINISTRATOR]),
        variant="another organisation, empty form",
        data={},
    ),
    Row("organisations:sector", "GET", url("organisations:sector", slug=attr("org.slug")), only(ORG_MANAGERS)),
    Row(
        "organisations:sector",
        "POST",
        url("organisations:sector", slug=attr("org.slug")),
        only(ORG_MANAGERS),
        variant="empty form",
        data={},
    ),
    Row("organisations:verify", "GET", url("organisations:verify", slug=attr("org.slug")), public(405)),
    Row(
        "organisations:verify",
        "POST",
        url("organisations:verify", slug=attr("org.slug")),
        only(ORG_MANAGERS, allowed=redirect(PROFILE)),
    ),
    # Insights: public pages, downloads and open data -------------------------------------------------------
    Row("insights:dashboard", "GET", "/insights/", public()),
    Row("insights:dashboard", "GET", "/insights/?region=nowhere", public(), variant="bad filter"),
    Row("insights:dashboard", "POST", "/insights/", public(405), data={}),
    Row("insights:contracts", "GET", "/insights/contracts/?metric=all", public()),
    Row("insights:contracts", "GET", "/insights/contracts/?metric=nothing", public(), variant="unknown figure"),
    Row("insights:download-csv", "GET", "/insights/download/lot-types.csv", public()),
    Row("insights:download-csv", "GET", "/insights/download/contracts.csv?metric=all", public(), variant="contracts"),
    Row(
        "insights:download-csv",
        "GET",
        "/insights/download/lot-types.csv?region=nowhere",
        public(400),
        variant="bad filter",
    ),
    Row("insights:download-csv", "GET", "/insights/download/no-such-table.csv", public(404), variant="unknown"),
    Row("insights:download-json", "GET", "/insights/download/insights.json", public()),
    # Accounts: signing in and out, passwords ----------------------------------------------------------------
    Row("accounts:sign-in", "GET", "/sign-in/", signed_in(redirect("/account/"), anonymous=200)),
    Row(
        "accounts:sign-in",
        "POST",
        "/sign-in/",
        signed_in(redirect("/account/"), anonymous=200),
        variant="empty form",
        data={},
    ),
    Row("accounts:sign-out", "GET", "/sign-out/", public(405)),
    Row("accounts:register", "GET", "/register/", signed_in(redirect("/account/"), anonymous=200)),
    Row(
        "accounts:register",
        "POST",
        "/register/",
        signed_in(redirect("/account/"), anonymous=200),
        variant="empty form",
        data={},
    ),
    Row(
        "accounts:confirm-email",
        "GET",
        url("accounts:confirm-email", token=attr("email_confirmation_token")),
        public(),
        variant="valid link",
    ),
    Row(
        "accounts:confirm-email",
        "GET",
        url("accounts:confirm-email", token=attr("expired_email_confirmation_token")),
        public(410),
        variant="expired link",
    ),
    Row("accounts:confirm-email", "GET", "/confirm-email/not-a-valid-link/", public(404), variant="link not valid"),
    Row(
        "accounts:confirm-email",
        "POST",
        url("accounts:confirm-email", token=attr("email_confirmation_token")),
        public(405),
    ),
    Row("accounts:sign-out", "POST", "/sign-out/", public(redirect("/"))),
    Row("accounts:password-reset", "GET", "/password-reset/", public()),
    Row("accounts:password-reset", "POST", "/password-reset/", public(), variant="empty form", data={}),
    Row("accounts:password-reset-sent", "GET", "/password-reset/sent/", public()),
    Row(
        "accounts:password-reset-confirm",
        "GET",
        "/password-reset/MQ/bad-token/",
        public(),
        variant="link not valid",
    ),
    Row("accounts:password-reset-complete", "GET", "/password-reset/done/", public()),
    # Accounts: your account ---------------------------------------------------------------------------------------
    Row("accounts:your-account", "GET", "/account/", signed_in()),
    Row("accounts:password-change", "GET", "/account/password/", signed_in()),
    Row("accounts:password-change", "POST", "/account/password/", signed_in(), variant="empty form", data={}),
    Row("accounts:send-email-confirmation", "GET", "/account/confirm-email/", public(405)),
    Row("accounts:send-email-confirmation", "POST", "/account/confirm-email/", signed_in(redirect("/account/"))),
    Row("accounts:api-token-create", "GET", "/account/api-token/", public(405)),
    Row(
        "accounts:api-token-create", "POST", "/account/api-token/", signed_in(redirect("/account/")), variant="has one"
    ),
    Row("accounts:api-token-revoke", "GET", "/account/api-token/revoke/", public(405)),
    Row("accounts:api-token-revoke", "POST", "/account/api-token/revoke/", signed_in(redirect("/account/"))),
    # Accounts: teams and invitations -------------------------------------------------------------------------------
    Row("accounts:team", "GET", "/account/team/", only(TEAM_MANAGERS)),
    Row("accounts:invite", "GET", "/account/invite/", only(TEAM_MANAGERS)),
    Row("accounts:invite", "POST", "/account/invite/", only(TEAM_MANAGERS), variant="empty form", data={}),
    Row(
        "accounts:remove-role",
        "GET",
        url("accounts:remove-role", pk=attr("staff_grant.pk")),
        only(TEAM_MANAGERS),
        variant="staff of own organisation",
    ),
    Row(
        "accounts:remove-role",
        "POST",
        url("accounts:remove-role", pk=attr("staff_grant.pk")),
        only(TEAM_MANAGERS, allowed=redirect("/account/team/")),
        variant="staff of own organisation",
    ),
    Row(
        "accounts:remove-role",
        "GET",
        url("accounts:remove-role", pk=attr("other_staff_grant.pk")),
        only([PLATFORM_ADMINISTRATOR]),
        variant="staff of another organisation",
    ),
    Row(
        "accounts:remove-role",
        "POST",
        url("accounts:remove-role", pk=lambda w: w.users[PROVIDER_ADMINISTRATOR].role_grants.get().pk),
        only([PLATFORM_ADMINISTRATOR], allowed=redirect("/account/team/")),
        variant="the provider administrator's own role",
    ),
    Row("accounts:remove-role", "GET", "/account/team/roles/999999/remove/", only([], denied=404), variant="unknown"),
    Row(
        "accounts:revoke-invitation",
        "GET",
        url("accounts:revoke-invitation", pk=attr("invitation.pk")),
        public(405),
    ),
    Row(
        "accounts:revoke-invitation",
        "POST",
        url("accounts:revoke-invitation", pk=attr("invitation.pk")),
        only(TEAM_MANAGERS, allowed=redirect("/account/team/")),
        variant="to own organisation",
    ),
    Row(
        "accounts:revoke-invitation",
        "POST",
        url("accounts:revoke-invitation", pk=attr("other_invitation.pk")),
        only([PLATFORM_ADMINISTRATOR], allowed=redirect("/account/team/")),
        variant="to another organisation",
    ),
    Row(
        "accounts:invitation",
        "GET",
        url("accounts:invitation", token=attr("invitation_token")),
        signed_in(403, anonymous=200),
        variant="for someone else",
    ),
    Row("accounts:invitation", "GET", "/invitations/" + "0" * 64 + "/", public(404), variant="unknown token"),
    # API ----------------------------------------------------------------------------------------------------------
    Row("api:region-list", "GET", "/api/v1/regions.json", api_public(), variant="format suffix"),
    *REFERENCE_DATA_API_ROWS,
    Row("api:organisation-list", "GET", "/api/v1/organisations/", api_public()),
    Row("api:organisation-list", "GET", "/api/v1/organisations/?region=nowhere", api_public(400), variant="bad filter"),
    Row("api:organisation-list", "POST", "/api/v1/organisations/", api_signed_in(405), data={}),
    Row("api:organisation-detail", "GET", url("api:organisation-detail", slug=attr("org.slug")), api_public()),
    Row("api:organisation-detail", "GET", "/api/v1/organisations/nobody/", api_public(404), variant="unknown"),
    Row(
        "api:organisation-detail",
        "PATCH",
        url("api:organisation-detail", slug=attr("org.slug")),
        api_only([PLATFORM_ADMINISTRATOR, PROVIDER_ADMINISTRATOR], allowed=200),
        variant="own organisation",
        data={"website": "https://example.org/changed"},
    ),
    Row(
        "api:organisation-detail",
        "PATCH",
        url("api:organisation-detail", slug=attr("other_org.slug")),
        api_only([PLATFORM_ADMINISTRATOR], allowed=400),
        variant="another organisation, nothing sent",
        data={},
    ),
    Row(
        "api:organisation-detail",
        "PUT",
        url("api:organisation-detail", slug=attr("org.slug")),
        api_signed_in(405),
        data={},
    ),
    Row("api:organisation-detail", "DELETE", url("api:organisation-detail", slug=attr("org.slug")), api_signed_in(405)),
    Row("api:insights-list", "GET", "/api/v1/insights/", api_public()),
    Row("api:insights-list", "GET", "/api/v1/insights/?region=nowhere", api_public(400), variant="bad filter"),
    Row("api:insights-list", "POST", "/api/v1/insights/", api_public(405), data={}),
    Row("api:insights-contracts", "GET", "/api/v1/insights/contracts/?metric=all", api_public()),
    Row(
        "api:insights-contracts",
        "GET",
        "/api/v1/insights/contracts/?metric=nothing",
        api_public(400),
        variant="unknown figure",
    ),
    Row("api:me-list", "GET", "/api/v1/me/", api_signed_in()),
    Row("api:me-list", "POST", "/api/v1/me/", api_signed_in(405), data={}),
    *QUALIFICATION_ROWS,
]


# The world: one of each kind of user, organisations, grants and invitations ------------------------------------


class World(SimpleNamespace):
    """The matrix's objects. Each name is set once: parts added by different modules must not overwrite each other's
    (a supply chain invitation once replaced the accounts invitation of the same name, and rows passed on SQLite
    only because both had the same id there)."""

    def __setattr__(self, name, value):
        if name in self.__dict__:
            raise AttributeError(f"world.{name} is already set: give the new object another name")
        super().__setattr__(name, value)


def build_world():
    from unittest import mock

    from django.core import signing
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from dynamic_framework.accounts import services as account_services
    from dynamic_framework.accounts import tokens as account_tokens
    from dynamic_framework.accounts.tests.factories import UserFactory, user_with_role
    from dynamic_framework.categories.models import DesiredOutcome, ReferralCategory, ServiceCategory
    from dynamic_framework.core.services import load_reference_data
    from dynamic_framework.geography.models import PccArea, ProbationDeliveryUnit, Region
    from dynamic_framework.insights.tests.factories import RoundFactory, award
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    load_reference_data()
    world = World()
    world.org = ProviderFactory(name="Matrix Provider", slug="matrix-provider")
    world.other_org = ProviderFactory(name="Another Provider", slug="another-provider")
    provider_roles = {PROVIDER_ADMINISTRATOR, PROVIDER_STAFF}
    world.users = {
        role: user_with_role(
            role, organisation=world.org if role in provider_roles else None, email=f"{role}@example.org"
        )
        for role in ROLES
    }
    world.tokens = {role: Token.objects.create(user=user).key for role, user in world.users.items()}
    world.staff_grant = user_with_role(PROVIDER_STAFF, organisation=world.org).role_grants.get()
    world.other_staff_grant = user_with_role(PROVIDER_STAFF, organisation=world.other_org).role_grants.get()
    world.invitation = account_services.invite(
        actor="system", email="invited@example.org", role=PROVIDER_STAFF, organisation=world.org
    )
    world.invitation_token = world.invitation.raw_token
    # Email address confirmation links for someone who has not confirmed yet: one valid, one 4 days old.
    world.unconfirmed_user = UserFactory(email="unconfirmed@example.org")
    world.email_confirmation_token = account_tokens.make_email_confirmation_token(world.unconfirmed_user)
    four_days_ago = signing.b62_encode(int(timezone.now().timestamp()) - 4 * 24 * 3600)
    with mock.patch.object(signing.TimestampSigner, "timestamp", lambda self: four_days_ago):
        world.expired_email_confirmation_token = account_tokens.make_email_confirmation_token(world.unconfirmed_user)
    world.other_invitation = account_services.invite(
        actor="system", email="invited.elsewhere@example.org", role=PROVIDER_STAFF, organisation=world.other_org
    )
    world.region = Region.objects.order_by("code").first()
    world.pcc_area = PccArea.objects.order_by("slug").first()
    world.delivery_unit = ProbationDeliveryUnit.objects.order_by("code").first()
    world.category = ServiceCategory.objects.order_by("slug").first()
    world.referral_category = ReferralCategory.objects.order_by("slug").first()
    world.desired_outcome = DesiredOutcome.objects.order_by("hmpps_id").first()
    # A commissioning round with one award, for the insights pages
    world.round = RoundFactory(slug="matrix-round", name="Matrix round", position=0)
    award(world.round, world.org, region=world.region, value=1_000)
    # Frameworks, applications in each state and the register (tests/matrix_rows/world.py)
    from tests.matrix_rows import world as qualification_world

    qualification_world.build(world)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at the end; each test nests a savepoint in it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


# The tests ---------------------------------------------------------------------------------------------------------

SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
CASES = [pytest.param(row, role, id=f"{row.id} as {role}") for row in MATRIX for role in EVERYONE]


def request(client, world, row: Row, role: str, path: str):
    extra = {}
    if role != ANONYMOUS:
        if row.api:
            extra["HTTP_AUTHORIZATION"] = f"Token {world.tokens[role]}"
        else:
            client.force_login(world.users[role], backend=SESSION_BACKEND)
    if row.api:
        body = json.dumps(row.data) if row.data is not None else ""
        return client.generic(row.method, path, body, content_type="application/json", **extra)
    if row.method == "POST":
        return client.post(path, row.data or {}, **extra)
    return client.generic(row.method, path, **extra)


def describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" to {location}" if location else "")


def check(response, expected, world, path: str, row: Row, role: str):
    what = f"{row.method} {path} as {role}: expected {expected}, got {describe(response)}"
    if expected is SIGN_IN:
        assert response.status_code == 302, what
        location = urlsplit(response["Location"])
        assert location.path == reverse("accounts:sign-in"), what
        assert "next=" in location.query, what
    elif isinstance(expected, Redirect):
        assert response.status_code == 302, what
        if expected.to is not None:
            to = expected.to(world) if callable(expected.to) else expected.to
            assert urlsplit(response["Location"]).path == urlsplit(to).path, what
    else:
        assert response.status_code == expected, what
    if row.api and response.status_code in {400, 401, 403, 404, 405}:
        assert response["Content-Type"].startswith("application/json"), what
        if response.status_code != 400:
            assert "detail" in response.json(), what


@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission(world, db, client, row, role):
    path = row.path(world)
    response = request(client, world, row, role, path)
    check(response, row.expected[role], world, path, row, role)


def _allowed_role(row: Row) -> str:
    """The first role (or anonymous) that the row lets through, to show that CSRF protection still applies."""
    for role in EVERYONE:
        outcome = row.expected[role]
        if outcome is not SIGN_IN and outcome not in (403, 404, 405):
            return role
    return ANONYMOUS


CSRF_CASES = [
    pytest.param(row, _allowed_role(row), id=f"{row.id} as {_allowed_role(row)}")
    for row in MATRIX
    if row.method == "POST" and not row.api
]


@pytest.mark.parametrize(("row", "role"), CSRF_CASES)
def test_page_forms_refuse_a_post_without_a_csrf_token(world, db, row, role):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = request(client, world, row, role, row.path(world))
    assert response.status_code == 403, f"{row.id} as {role}: {describe(response)}"


# Completeness ---------------------------------------------------------------------------------------------------------


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _walk(
                pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield pattern, name


def test_every_url_is_in_the_matrix():
    names = {row.name for row in MATRIX}
    methods = {(row.name, row.method) for row in MATRIX}
    missing, unnamed, seen = [], [], set()
    for pattern, name in _walk(get_resolver().url_patterns):
        if name is None:
            unnamed.append(str(pattern.pattern))
            continue
        seen.add(name)
        if name not in names:
            missing.append(name)
        # API routes: every method they answer (HEAD answers as GET does)
        for method in set(getattr(pattern.callback, "actions", None) or {}) - {"head"}:
            if (name, method.upper()) not in methods and name in names:
                missing.append(f"{method.upper()} {name}")
    assert not unnamed, f"URL patterns without a name (name them so the matrix can list them): {unnamed}"
    assert not sorted(set(missing)), "Add rows to tests/test_permission_matrix.py MATRIX for: " + ", ".join(
        sorted(set(missing))
    )
    stale = names - seen
    assert not stale, f"Matrix rows for URL names that no longer exist: {sorted(stale)}"
    ids = [row.id for row in MATRIX]
    duplicates = sorted({row_id for row_id in ids if ids.count(row_id) > 1})
    assert not duplicates, f"Rows with the same name, method and variant (give each a variant): {duplicates}"


def test_every_row_requests_the_url_it_names(world, db):
    wrong = []
    for row in MATRIX:
        path = urlsplit(row.path(world)).path
        view_name = resolve(path).view_name
        if view_name != row.name:
            wrong.append(f"{row.id}: {path} is {view_name}")
    assert not wrong, wrong


def as_table() -> str:
    """The matrix as a Markdown table: `python -m tests.test_permission_matrix`."""
    short = {
        ANONYMOUS: "anon",
        PLATFORM_ADMINISTRATOR: "plat admin",
        FRAMEWORK_MANAGER: "fw manager",
        COMMISSIONER: "commissioner",
        EVALUATOR: "evaluator",
        PROVIDER_ADMINISTRATOR: "prov admin",
        PROVIDER_STAFF: "prov staff",
        PROBATION_PRACTITIONER: "practitioner",
    }
    lines = [
        "| URL name | method | variant | " + " | ".join(short[r] for r in EVERYONE) + " |",
        "|---|---|---|" + "---|" * len(EVERYONE),
    ]
    for row in MATRIX:
        cells = [str(row.expected[role]).replace("302 to sign-in", "sign in") for role in EVERYONE]
        lines.append(f"| {row.name} | {row.method} | {row.variant} | " + " | ".join(cells) + " |")
    legend = ", ".join(f"{v} = {k}" for k, v in short.items())
    return "\n".join(lines) + f"\n\n{legend}"


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dynamic_framework.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()
    print(as_table())
