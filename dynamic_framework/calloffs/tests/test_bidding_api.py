"""The bids API: a provider's own bids (list, detail with content), starting one, saving the draft, submitting with
an Idempotency-Key header (required; the same key gives the same receipt), withdrawing; anyone else's bid is a 404."""

import json
from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Bid, BidSubmission
from dynamic_framework.calloffs.tests.factories import pounds, travel

pytestmark = pytest.mark.django_db

BIDS = "/api/v1/bids/"


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def call(client, method, path, user=None, data=None, **headers):
    body = json.dumps(data) if data is not None else ""
    extra = {**(auth(user) if user else {}), **headers}
    return client.generic(method, path, body, content_type="application/json", **extra)


@pytest.fixture
def org(world):
    return world.providers[0]


@pytest.fixture
def admin(world, org):
    return world.admin(org)


def test_start_save_submit_and_withdraw_through_the_api(client, world, call_off, org, admin):
    response = call(client, "POST", BIDS, admin, {"call_off": call_off.reference})
    assert response.status_code == 201, response.json()
    bid_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert response.json()["content"] == {}
    # Starting again gives back the same bid
    assert call(client, "POST", BIDS, admin, {"call_off": call_off.reference}).json()["id"] == bid_id
    detail = f"{BIDS}{bid_id}/"
    content = world.content(call_off)
    response = call(client, "PATCH", detail, admin, {"lots": content["lots"]})
    assert response.status_code == 200, response.json()
    assert response.json()["content"]["lots"] == content["lots"]
    assert [lot["name"] for lot in response.json()["lots_priced"]] == ["Durham"]
    response = call(
        client, "PATCH", detail, admin, {"answers": content["answers"], "social_value": content["social_value"]}
    )
    assert response.json()["content"]["lots"] == content["lots"]  # other parts kept
    # Submitting needs an Idempotency-Key header
    response = call(client, "POST", f"{detail}submit/", admin)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    first = call(client, "POST", f"{detail}submit/", admin, HTTP_IDEMPOTENCY_KEY="key-1")
    again = call(client, "POST", f"{detail}submit/", admin, HTTP_IDEMPOTENCY_KEY="key-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["receipt"] == again.json()["receipt"]
    assert len(first.json()["digest"]) == 64
    assert BidSubmission.objects.filter(bid_id=bid_id).count() == 1
    response = call(client, "GET", detail, admin)
    assert response.json()["status"] == "submitted"
    assert response.json()["latest_submission"]["receipt"] == first.json()["receipt"]
    response = call(client, "POST", f"{detail}withdraw/", admin)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert call(client, "POST", f"{detail}withdraw/", admin).status_code == 400  # nothing to withdraw now


def test_the_list_has_only_the_callers_bids_without_content(client, world, call_off, org, admin):
    world.bid(org, call_off)
    world.bid(world.providers[1], call_off)
    response = call(client, "GET", BIDS, admin)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["organisation"]["slug"] for r in results] == [org.slug]
    assert "content" not in results[0]
    assert results[0]["latest_submission"]["digest"]


def test_someone_elses_bid_is_a_404_for_everyone(client, world, call_off, org, admin):
    other_bid = world.bid(world.providers[1], call_off)
    path = f"{BIDS}{other_bid.pk}/"
    for user in (
        admin,
        world.commissioner,
        world.manager,
        world.evaluators[0],
        user_with_role("platform_administrator"),
    ):
        for method, suffix, data in (
            ("GET", "", None),
            ("PATCH", "", {"answers": {}}),
            ("POST", "submit/", None),
            ("POST", "withdraw/", None),
        ):
            response = call(client, method, path + suffix, user, data, HTTP_IDEMPOTENCY_KEY="k")
            assert response.status_code == 404, (user, method, suffix)
            assert other_bid.organisation.name not in response.content.decode()
    other_bid.refresh_from_db()
    assert other_bid.is_live and other_bid.submissions.count() == 1


def test_people_without_a_provider_organisation_cannot_list_or_start_bids(client, world, call_off):
    assert call(client, "GET", BIDS).status_code == 401
    for user in (world.commissioner, world.manager):
        assert call(client, "GET", BIDS, user).status_code == 403
        assert call(client, "POST", BIDS, user, {"call_off": call_off.reference}).status_code == 403
    assert not Bid.objects.exists()


def test_bad_content_answers_400_and_saves_nothing(client, world, call_off, org, admin):
    bid = services.start_bid(actor=admin, call_off=call_off, organisation=org)
    lot = call_off.lots.get()
    year = lot.years.first()
    response = call(
        client,
        "PATCH",
        f"{BIDS}{bid.pk}/",
        admin,
        {"lots": {str(lot.pk): {"years": {str(year.financial_year): pounds(100_001)}}}},
    )
    assert response.status_code == 400
    assert "no more than the published value" in response.json()[f"price_{lot.pk}_{year.financial_year}"][0]
    assert call(client, "PATCH", f"{BIDS}{bid.pk}/", admin, {"prices": {}}).status_code == 400
    assert services.bid_content(bid, actor=admin) == {}
    assert call(client, "POST", BIDS, admin, {"call_off": "DFC-NONE-NONE"}).status_code == 400


def test_staff_cannot_submit_and_a_late_submission_is_refused(client, world, call_off, org, admin):
    bid = services.start_bid(actor=admin, call_off=call_off, organisation=org)
    services.save_bid(actor=admin, bid=bid, content=world.content(call_off), complete=True)
    staff = user_with_role("provider_staff", organisation=org)
    response = call(client, "POST", f"{BIDS}{bid.pk}/submit/", staff, HTTP_IDEMPOTENCY_KEY="staff")
    assert response.status_code == 403
    with travel(call_off.deadline_at + timedelta(seconds=1)):
        response = call(client, "POST", f"{BIDS}{bid.pk}/submit/", admin, HTTP_IDEMPOTENCY_KEY="late")
    assert response.status_code == 400
    assert "The deadline for bids was" in response.json()["non_field_errors"][0]
    assert not BidSubmission.objects.exists()


@pytest.mark.parametrize("count", [2, 8])
def test_the_list_makes_the_same_number_of_queries_however_many_bids(
    client, world, org, admin, count, django_assert_max_num_queries
):
    for _i in range(count):
        world.bid(org, world.published())
    with django_assert_max_num_queries(10):
        response = call(client, "GET", BIDS, admin)
    assert len(response.json()["results"]) == count


def test_the_schema_documents_the_bids_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schema = response.content.decode()
    assert "/api/v1/bids/{id}/submit/" in schema
    assert "Idempotency-Key" in schema
