"""The sealed-bid guarantee for the bidding pages and the bids API, in the permission matrix's world
(tests/matrix_rows/calloffs_world.py), before co_open's deadline.

- world.open_bid is world.org's: for every role but world.org's members (the provider administrator and staff
  users), every bidding URL and API endpoint answers 403 or 404 (or asks anonymous visitors to sign in), and no
  response says "Matrix Provider" or shows anything of the bid (its answers, prices, receipt or digest).
- world.other_open_bid is world.other_org's: nobody in the world is its member, so no response names it or shows
  its receipt or digest, except what world.org (named in its supply chain) may know: on the invitation page and on
  "Your bids", world.org's members see who named them and their own terms, never the rest of the bid.
"""

import json

import pytest
from django.db import transaction
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.test_permission_matrix import (
    ANONYMOUS,
    EVERYONE,
    PROVIDER_ADMINISTRATOR,
    PROVIDER_STAFF,
    build_world,
)

MEMBERS = {PROVIDER_ADMINISTRATOR, PROVIDER_STAFF}
ANSWER = "We run a women-only centre with trauma-informed staff."


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def bidding_requests(w, bid) -> list[tuple[str, str, dict | None, bool]]:
    """(method, path, data, is_api) for every bidding URL about `bid` and its call-off."""
    ref = w.co_open.reference

    def page(name, **kwargs):
        return reverse(f"calloffs:{name}", kwargs={"reference": ref, **kwargs})

    receipt = page("bid-receipt", receipt=bid.latest_submission.receipt)
    api = f"/api/v1/bids/{bid.pk}/"
    out = [("GET", reverse("calloffs:your-bids"), None, False)]
    for name in ("bid", "bid-prices", "bid-answers", "bid-supply-chain", "bid-withdraw", "outcome"):
        out.append(("GET", page(name), None, False))
        out.append(("GET", page(name) + f"?organisation={bid.organisation.slug}", None, False))
    for name in ("bid", "bid-prices", "bid-answers", "bid-supply-chain", "bid-withdraw", "bid-submit"):
        out.append(("POST", page(name) + f"?organisation={bid.organisation.slug}", {}, False))
    out.append(("POST", page("bid-submit"), {"idempotency_key": "sealed"}, False))
    out.append(("GET", receipt, None, False))
    out.append(("GET", reverse("calloffs:invitation", kwargs={"pk": w.supply_chain_invitation.pk}), None, False))
    out += [
        ("GET", "/api/v1/bids/", None, True),
        ("GET", api, None, True),
        ("PATCH", api, {"answers": {}}, True),
        ("POST", api + "submit/", None, True),
        ("POST", api + "withdraw/", None, True),
        ("POST", "/api/v1/bids/", {"call_off": ref}, True),
    ]
    return out


def request(client, w, role, method, path, data, api):
    if api:
        extra = {}
        if role != ANONYMOUS:
            extra["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get(user=w.users[role]).key}"
        body = json.dumps(data) if data is not None else ""
        return client.generic(method, path, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **extra)
    if role != ANONYMOUS:
        client.force_login(w.users[role])
    if method == "POST":
        return client.post(path, data or {})
    return client.get(path)


def answered(client, w, role, method, path, data, api):
    """Each request in a savepoint that is rolled back, so one cannot change what the next sees."""
    with transaction.atomic():
        response = request(client, w, role, method, path, data, api)
        transaction.set_rollback(True)
    return response


def body_of(response, path) -> str:
    """The response, without the URL that was asked for (pages echo it, e.g. in the language switch's "next")."""
    return response.content.decode().replace(path, "")


def secrets_of(bid) -> list[str]:
    return [bid.organisation.name, bid.latest_submission.receipt, bid.latest_submission.digest]


@pytest.mark.parametrize("role", [r for r in EVERYONE if r not in MEMBERS])
def test_nobody_but_the_bidders_members_sees_anything_of_a_bid(matrix_world, db, client, role):
    w = matrix_world
    bid = w.open_bid
    assert w.co_open.open_for_bids()
    problems = []
    for method, path, data, api in bidding_requests(w, bid):
        response = answered(client, w, role, method, path, data, api)
        allowed = {401} if role == ANONYMOUS and api else {302} if role == ANONYMOUS else {403, 404}
        if response.status_code not in allowed:
            problems.append(f"{method} {path}: {response.status_code}")
        if role == ANONYMOUS and not api and response.status_code == 302:
            assert response["Location"].startswith("/sign-in/"), path
        body = body_of(response, path)
        for secret in [*secrets_of(bid), ANSWER, "£90,000", "9000000"]:
            if secret in body:
                problems.append(f"{method} {path} shows {secret!r}")
    assert not problems, problems


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_nobody_sees_another_organisations_bid(matrix_world, db, client, role):
    """world.other_org's bid: world.org's members see only their own bid's pages, and on the invitation and Your
    bids pages the lead's name and their own terms (they are in its supply chain)."""
    w = matrix_world
    bid = w.other_open_bid
    invitation_page = reverse("calloffs:invitation", kwargs={"pk": w.supply_chain_invitation.pk})
    may_know_the_lead = {invitation_page, reverse("calloffs:your-bids")}
    problems = []
    for method, path, data, api in bidding_requests(w, bid):
        response = answered(client, w, role, method, path, data, api)
        body = body_of(response, path)
        # Its own receipt, and anything naming other_org as the bidder, are 404 for world.org's members too
        about_it = path.startswith(f"/api/v1/bids/{bid.pk}/") or "/receipts/" in path or "organisation=another" in path
        if about_it and response.status_code not in {302, 401, 403, 404}:
            problems.append(f"{method} {path}: {response.status_code}")
        secrets = secrets_of(bid)
        if role in MEMBERS and path in may_know_the_lead:
            secrets = secrets[1:]  # the lead's name, not its receipt or digest
        for secret in secrets:
            if secret in body:
                problems.append(f"{method} {path} as {role} shows {secret!r}")
    assert not problems, problems


def test_the_invitation_shows_the_subcontractor_only_its_own_part(matrix_world, db, client):
    w = matrix_world
    client.force_login(w.users[PROVIDER_ADMINISTRATOR])
    body = client.get(reverse("calloffs:invitation", kwargs={"pk": w.supply_chain_invitation.pk})).content.decode()
    assert w.other_org.name in body  # who named them
    assert "Mentoring for women leaving prison" in body and "20% of the value" in body
    for secret in [ANSWER, "£90,000", "£110,000", w.other_open_bid.latest_submission.digest]:
        assert secret not in body
