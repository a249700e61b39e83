"""The notices API: /api/v1/notices/, /api/v1/notice-deliveries/ and /api/v1/notice-measures/."""

import json

import pytest
from rest_framework.authtoken.models import Token

from dynamic_framework.contracts import notices
from dynamic_framework.contracts.models import Notice, NoticeDelivery

from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db

NOTICES, DELIVERIES, MEASURES = "/api/v1/notices/", "/api/v1/notice-deliveries/", "/api/v1/notice-measures/"


def call(client, method, path, user=None, data=None):
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"} if user else {}
    body = json.dumps(data) if data is not None else ""
    return client.generic(method, path, body, content_type="application/json", **headers)


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build()


def new(**overrides) -> dict:
    return {
        "kind": "operational_guidance",
        "title": "Referrals move",
        "body": "Use the new address.",
        "contracts": ["NOT-1", "NOT-2"],
        "cascade_required": True,
        **overrides,
    }


def test_a_commissioner_sends_a_notice(client, w):
    response = call(client, "POST", NOTICES, w.commissioner, new())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("N-") and body["public"] is True and body["cascade_required"] is True
    assert [c["reference"] for c in body["contracts"]] == ["NOT-1", "NOT-2"]
    assert body["region"] == {"code": "A", "name": "North East"}
    assert body["sent_by_organisation"]["name"] == "North East Commissioning"
    assert body["cascade_due_on"] and body["sent_at"].endswith("Z")
    assert NoticeDelivery.objects.filter(notice__reference=body["reference"]).count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (new(title=""), "title"),
        (new(body=""), "body"),
        (new(kind="gossip"), "kind"),
        (new(contracts=[]), "contracts"),
        (new(contracts=["NOPE"]), "contracts"),
        (new(contracts=["NOT-B"]), "contracts"),
        (new(cascade_required="perhaps"), "cascade_required"),
        ({**new(), "colour": "red"}, "colour"),
    ],
)
def test_bad_input_answers_400_on_the_field(client, w, data, field):
    response = call(client, "POST", NOTICES, w.commissioner, data)
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Notice.objects.exists()


def test_only_commissioners_send(client, w):
    assert call(client, "POST", NOTICES, None, new()).status_code == 401
    assert call(client, "POST", NOTICES, w.prime_user, new()).status_code == 403


def test_public_list_and_detail(client, w):
    public = w.send(title="Open")
    secret = w.send(title="Closed", public=False, kind="policy_change")
    listed = call(client, "GET", NOTICES).json()
    assert [n["title"] for n in listed["results"]] == ["Open"]
    assert call(client, "GET", NOTICES + "?region=B").json()["results"] == []
    assert call(client, "GET", NOTICES + "?region=ZZ").status_code == 400
    assert call(client, "GET", NOTICES + "?kind=nonsense").json() == {
        "kind": ["Choose one of operational_guidance, policy_change, contract_change"]
    }
    assert call(client, "GET", f"{NOTICES}{public.reference}/").status_code == 200
    assert call(client, "GET", f"{NOTICES}{secret.reference}/").status_code == 404
    assert call(client, "GET", f"{NOTICES}{secret.reference}/", w.sub_users[0]).status_code == 404
    assert call(client, "GET", f"{NOTICES}{secret.reference}/", w.prime_user).json()["title"] == "Closed"
    assert call(client, "GET", f"{NOTICES}{secret.reference}/", w.commissioner).status_code == 200


def test_deliveries_acknowledge_and_forward(client, w, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    lead = w.lead_delivery(notice)
    assert call(client, "GET", DELIVERIES).status_code == 401
    assert call(client, "GET", DELIVERIES, w.commissioner).status_code == 403
    with travel(uk(2026, 3, 10, 9)):
        listed = call(client, "GET", DELIVERIES, w.prime_user).json()["results"]
        (mine,) = listed
        assert mine["as_lead_provider"] and mine["cascade_overdue"] and mine["acknowledgement_overdue"]
        assert [m["name"] for m in mine["still_to_forward"]] == ["Sub A", "Sub B", "Sub C"]
        assert call(client, "POST", f"{DELIVERIES}{lead.pk}/forward/", w.prime_user, {"colour": 1}).status_code == 400
        forwarded = call(client, "POST", f"{DELIVERIES}{lead.pk}/forward/", w.prime_user, {"note": "Read it"})
        assert forwarded.status_code == 201 and forwarded.json()["forwarded_to"] == 3
        again = call(client, "POST", f"{DELIVERIES}{lead.pk}/forward/", w.prime_user, {})
        assert again.status_code == 400 and "already passed" in again.json()["detail"][0]
        ack = call(client, "POST", f"{DELIVERIES}{lead.pk}/acknowledge/", w.prime_user)
        assert ack.status_code == 200 and ack.json()["acknowledged_late"] is True
        assert call(client, "POST", f"{DELIVERIES}{lead.pk}/acknowledge/", w.prime_user).status_code == 400
    # A member sees only its own copy; another organisation's is a 404
    assert call(client, "GET", f"{DELIVERIES}{lead.pk}/", w.sub_users[0]).status_code == 404
    (copy,) = call(client, "GET", DELIVERIES, w.sub_users[0]).json()["results"]
    assert copy["note"] == "Read it" and not copy["as_lead_provider"] and copy["forward_by"] is None
    assert call(client, "POST", f"{DELIVERIES}{copy['id']}/forward/", w.sub_users[0], {}).status_code == 403
    assert call(client, "POST", f"{DELIVERIES}{copy['id']}/acknowledge/", w.sub_users[0]).status_code == 200
    for n in range(10):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(w.send(title=f"Bulk {n}")))
    with django_assert_max_num_queries(8):
        assert len(call(client, "GET", DELIVERIES, w.sub_users[0]).json()["results"]) == 11


def test_measures(client, w):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    delivered = NoticeDelivery.objects.create(
        notice=notice,
        organisation=w.subs[0],
        contract=w.contract,
        forwarded_from=w.lead_delivery(notice),
        delivered_at=uk(2026, 3, 4),
        delivered_by=w.prime_user,
    )
    assert delivered.pk
    assert call(client, "GET", MEASURES).status_code == 401
    assert call(client, "GET", MEASURES, w.prime_user).status_code == 403
    body = call(client, "GET", MEASURES, w.commissioner).json()
    assert body["overall"]["members"] == 3 and body["overall"]["share_reached_within_5_working_days"] == 0.3333
    assert body["overall"]["median_working_days"] == 2
    assert body["by_lead_provider"][0]["name"] == "Prime Partnership"
    assert body["by_region"][0]["code"] == "A"
    assert call(client, "GET", MEASURES + "?region=B", w.commissioner).json()["overall"]["members"] == 0
    assert call(client, "GET", MEASURES + "?region=ZZ", w.commissioner).status_code == 400
