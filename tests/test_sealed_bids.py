"""Sealed bids: before the deadline, no page, API endpoint, feed or download shows a bid's content or who bid, to
anyone but the bidder's own organisation, whatever their role.

The permission matrix's world (every page and API route, every role) is built, and then one more open call-off in
region A with two bids whose content carries marker strings: an answer, a price, and (for the second) a supply
chain partner. The bidders are organisations nobody in the matrix belongs to, with names that appear nowhere else on
call-off pages. Every GET in the matrix, and every call-off URL of the new call-off, is requested as every role, and
no response may contain a marker, a receipt, a digest or a bidder's name (on call-off pages and API endpoints; the
directory and the register name qualified organisations in their own right).
"""

import pytest
from django.db import transaction
from django.urls import reverse

from tests.test_permission_matrix import EVERYONE, MATRIX, Row, build_world
from tests.test_permission_matrix import request as matrix_request

ANSWER = "SEALED-ANSWER-MARKER-7f3a: trauma-informed delivery in Consett and Stanley"
SOCIAL = "SEALED-SOCIAL-MARKER-19c2"
PRICE_POUNDS = 91_234  # shown as £91,234 if it ever leaked
BIDDERS = ("Quietwater Sealed Bidder Trust", "Larkspur Sealed Bidder CIC")
CALL_OFF_PREFIXES = (
    "/opportunities",
    "/call-offs",
    "/evaluation",
    "/bids",
    "/supply-chain-invitations",
    "/api/v1/opportunities",
    "/api/v1/call-offs",
    "/api/v1/bids",
    "/api/v1/evaluations",
    "/insights",
)


def _build():
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.tests.factories import CallOffWorld
    from dynamic_framework.organisations.tests.factories import ProviderFactory
    from dynamic_framework.qualification.tests import factories as q

    world = build_world()
    sealed = CallOffWorld(
        region=world.co_open.region,
        commissioner=world.other_commissioner,
        approver=world.users["commissioner"],
        evaluators=[world.users["evaluator"]],
        manager=world.users["framework_manager"],
    )
    for name in BIDDERS:
        org = ProviderFactory(name=name)
        admin = q.confirm_email(user_with_role("provider_administrator", organisation=org))
        q.qualify_directly(org, manager=world.users["framework_manager"], categories=["women"])
        sealed.providers.append(org)
        sealed.admins[org.pk] = admin
    call_off = sealed.published()
    bids, receipts = [], []
    for index, org in enumerate(sealed.providers):
        admin = sealed.admin(org)
        content = sealed.content(call_off, prices=(PRICE_POUNDS, PRICE_POUNDS + 1))
        content["answers"] = dict.fromkeys(content["answers"], ANSWER)
        content["social_value"] = SOCIAL
        if index == 1:
            content["supply_chain"] = [
                {
                    "organisation": world.org.pk,  # the matrix's provider users are told: they may see the lead's name
                    "role": "SEALED-ROLE-MARKER mentoring",
                    "share_type": "percent",
                    "share_value": 1234,
                    "payment_terms": "pass_through",
                    "material": True,
                }
            ]
        bid = services.start_bid(actor=admin, call_off=call_off, organisation=org)
        services.save_bid(actor=admin, bid=bid, content=content, complete=True)
        submission = services.submit_bid(actor=admin, bid=bid, idempotency_key=f"sealed-{index}")
        bids.append(bid)
        receipts += [submission.receipt, submission.digest]
    world.sealed_call_off = call_off
    world.sealed_bids = bids
    world.sealed_content = [ANSWER.split(":")[0], SOCIAL, f"{PRICE_POUNDS:,}", str(PRICE_POUNDS * 100)]
    world.sealed_secrets = [*world.sealed_content, *receipts]
    world.sealed_invitation = bids[1].supply_chain_invitations.get()
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _call_off_rows(world) -> list[Row]:
    """Every call-off URL of the sealed call-off (and its bids), as GET rows."""
    from tests.test_permission_matrix import public

    reference = world.sealed_call_off.reference
    names = [
        ("calloffs:opportunity", {"reference": reference}),
        ("calloffs:detail", {"reference": reference}),
        ("calloffs:questions", {"reference": reference}),
        ("calloffs:lots", {"reference": reference}),
        ("calloffs:criteria", {"reference": reference}),
        ("calloffs:documents", {"reference": reference}),
        ("calloffs:amend", {"reference": reference}),
        ("calloffs:evaluation", {"reference": reference}),
        ("calloffs:panel", {"reference": reference}),
        ("calloffs:results", {"reference": reference}),
        ("calloffs:letters", {"reference": reference}),
        ("calloffs:bid", {"reference": reference}),
        ("calloffs:outcome", {"reference": reference}),
        ("calloffs:opportunities", {}),
        ("calloffs:feed", {}),
        ("calloffs:list", {}),
        ("calloffs:your-bids", {}),
    ]
    rows = [Row(name, "GET", reverse(name, kwargs=kwargs), public(), variant="sealed") for name, kwargs in names]
    for bid in world.sealed_bids:
        for name in ("calloffs:declare", "calloffs:score", "calloffs:moderate"):
            rows.append(
                Row(
                    name,
                    "GET",
                    reverse(name, kwargs={"reference": reference, "bid": bid.pk}),
                    public(),
                    variant="sealed",
                )
            )
    rows.append(
        Row(
            "calloffs:invitation",
            "GET",
            reverse("calloffs:invitation", kwargs={"pk": world.sealed_invitation.pk}),
            public(),
        )
    )
    for path in (
        "/api/v1/opportunities/",
        f"/api/v1/opportunities/{reference}/",
        "/api/v1/bids/",
        f"/api/v1/evaluations/{reference}/",
        f"/api/v1/evaluations/{reference}/results/",
    ):
        rows.append(Row("api-schema", "GET", path, public(), variant=path))  # any api name: `api` is what matters
    for row in rows[-5:]:
        row.api = True
    return rows


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


PARTNER_ROLES = {"provider_administrator", "provider_staff"}
PARTNER_PATHS = ("/bids/", "/supply-chain-invitations/", "/api/v1/bids/")


def _leaks(world, text: str, path: str, role: str) -> list[str]:
    found = [secret for secret in world.sealed_secrets if secret and secret in text]
    if path.startswith(CALL_OFF_PREFIXES):
        found += [name for name in BIDDERS if name in text]
    if role in PARTNER_ROLES and path.startswith(PARTNER_PATHS):
        # world.org is the second bid's named partner: it may see who named it (and its own terms), nothing else
        found = [f for f in found if f != BIDDERS[1]]
    return found


GET_ROWS = [row for row in MATRIX if row.method == "GET"]


@pytest.mark.parametrize("role", EVERYONE)
def test_no_matrix_page_or_endpoint_shows_a_sealed_bid(world, db, client, role):
    leaks = []
    for row in GET_ROWS:
        path = row.path(world)
        response = matrix_request(client, world, row, role, path)
        found = _leaks(world, _body(response), path, role)
        if found:
            leaks.append(f"{path}: {found}")
        client.logout()
    assert not leaks, f"as {role}, before the deadline:\n" + "\n".join(leaks)


@pytest.mark.parametrize("role", EVERYONE)
def test_no_page_of_the_sealed_call_off_shows_its_bids(world, db, client, role):
    leaks = []
    for row in _call_off_rows(world):
        path = row.path(world)
        response = matrix_request(client, world, row, role, path)
        found = _leaks(world, _body(response), path, role)
        if found:
            leaks.append(f"{path} ({response.status_code}): {found}")
        client.logout()
    assert not leaks, f"as {role}, before the deadline:\n" + "\n".join(leaks)


def test_the_invited_partner_sees_only_its_own_terms(world, db, client):
    client.force_login(world.users["provider_administrator"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("calloffs:invitation", kwargs={"pk": world.sealed_invitation.pk}))
    assert response.status_code == 200
    text = _body(response)
    assert "SEALED-ROLE-MARKER" in text and BIDDERS[1] in text
    assert not [s for s in world.sealed_secrets if s in text]


def test_the_bidder_itself_sees_its_bid(world, db, client):
    from dynamic_framework.accounts.models import Role, RoleGrant

    bid = world.sealed_bids[0]
    admin = RoleGrant.objects.get(organisation=bid.organisation, role=Role.PROVIDER_ADMINISTRATOR).user
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("calloffs:bid-answers", kwargs={"reference": world.sealed_call_off.reference}))
    assert response.status_code == 200 and ANSWER.split(":")[0] in _body(response)


def test_the_audit_log_holds_no_sealed_content_or_bidder_names(world, db):
    """It does hold each submission's receipt and digest: the hash chain then attests what was submitted when."""
    from dynamic_framework.core.models import AuditEvent

    for event in AuditEvent.objects.filter(action__startswith="calloffs."):
        text = f"{event.object_repr} {event.before} {event.after}"
        assert not [s for s in world.sealed_content if s in text], event.action
        if event.action.startswith("calloffs.bid") or event.action.startswith("calloffs.supply_chain"):
            assert not [n for n in BIDDERS if n in text], event.action
