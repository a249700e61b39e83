"""The supply chain invitations API: a named partner sees its own terms only, and confirms or declines."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def partner_invitation(world, call_off):
    lead, partner = world.providers
    supply_chain = [
        {
            "organisation": partner.pk,
            "role": "Peer mentoring in Consett",
            "share_type": "percent",
            "share_value": 1500,
            "payment_terms": "payment_by_results",
            "material": False,
        },
    ]
    bid = world.bid(lead, call_off, prices=(87_654, 98_765), supply_chain=supply_chain)
    return bid.supply_chain_invitations.get()


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_the_partner_sees_its_own_terms_and_nothing_else_of_the_bid(world, partner_invitation):
    partner = partner_invitation.organisation
    response = client_for(world.admin(partner)).get(f"/api/v1/supply-chain-invitations/{partner_invitation.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["lead_provider"] == world.providers[0].name
    assert data["terms"]["role"] == "Peer mentoring in Consett"
    assert data["terms"]["share_value"] == 1500
    text = response.content.decode()
    assert "8765400" not in text and "trauma-informed" not in text  # the lead's prices and answers


def test_the_partner_confirms_then_declines(world, partner_invitation):
    client = client_for(world.admin(partner_invitation.organisation))
    url = f"/api/v1/supply-chain-invitations/{partner_invitation.pk}/respond/"
    assert client.post(url, {"confirm": True}, format="json").json()["confirmed_at"]
    declined = client.post(url, {"confirm": False}, format="json").json()
    assert declined["declined_at"] and declined["confirmed_at"] is None
    assert client.post(url, {}, format="json").status_code == 400


def test_the_lead_cannot_answer_for_its_partner(world, partner_invitation):
    lead_client = client_for(world.admin(world.providers[0]))
    assert lead_client.get(f"/api/v1/supply-chain-invitations/{partner_invitation.pk}/").status_code == 404
    assert lead_client.get("/api/v1/supply-chain-invitations/").json()["count"] == 0
