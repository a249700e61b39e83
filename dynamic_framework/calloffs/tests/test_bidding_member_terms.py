"""A subcontractor reads its own terms in the bid that names it, and nothing else of that bid:
sealing.open_member_entry and services.invitation_terms."""

import json

import pytest

from dynamic_framework.calloffs import sealing, services
from dynamic_framework.calloffs.models import SupplyChainInvitation
from dynamic_framework.calloffs.tests.factories import pounds
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(world, call_off):
    lead, sub = world.providers
    third = ProviderFactory(name="Third Party Trust")
    bid = world.bid(
        lead,
        call_off,
        supply_chain=[
            {
                "organisation": third.pk,
                "role": "The third party's secret role",
                "share_type": "amount",
                "share_value": pounds(12_345),
                "payment_terms": "fixed_fee",
                "material": False,
            },
            {
                "organisation": sub.pk,
                "role": "Mentoring for women leaving prison",
                "share_type": "percent",
                "share_value": 2000,
                "payment_terms": "pass_through",
                "material": True,
            },
        ],
    )
    return bid, sub, third


def test_open_member_entry_returns_only_that_members_entry(world, call_off, named):
    bid, sub, third = named
    entry = sealing.open_member_entry(call_off, bid.latest_submission.content, organisation_id=sub.pk)
    assert entry == {
        "organisation": sub.pk,
        "name": sub.name,
        "role": "Mentoring for women leaving prison",
        "share_type": "percent",
        "share_value": 2000,
        "payment_terms": "pass_through",
        "material": True,
    }
    everything = json.dumps(entry)
    for secret in ("Third Party Trust", "secret role", "1234500", "9000000", "women-only centre", "local women"):
        assert secret not in everything
    assert set(entry) == set(sealing.MEMBER_ENTRY_FIELDS)
    assert "lots" not in entry and "answers" not in entry and "supply_chain" not in entry


def test_open_member_entry_gives_nothing_to_an_organisation_not_named(world, call_off, named):
    bid, _sub, _third = named
    lead = world.providers[0]
    content = bid.latest_submission.content
    assert sealing.open_member_entry(call_off, content, organisation_id=lead.pk) is None
    assert sealing.open_member_entry(call_off, content, organisation_id=999_999) is None
    assert sealing.open_member_entry(call_off, "", organisation_id=lead.pk) is None


def test_open_member_entry_needs_the_call_offs_key(world, call_off, named):
    bid, sub, _third = named
    other = world.published()
    with pytest.raises(sealing.SealedError):
        sealing.open_member_entry(other, bid.latest_submission.content, organisation_id=sub.pk)


def test_invitation_terms_come_from_the_latest_submission(world, call_off, named):
    bid, sub, third = named
    invitation = SupplyChainInvitation.objects.get(bid=bid, organisation=sub)
    assert services.invitation_terms(invitation)["share_value"] == 2000
    # The lead changes the share and submits again: the invitation shows what was submitted last
    admin = world.admin(world.providers[0])
    content = services.bid_content(bid, actor=admin)
    content["supply_chain"][1]["share_value"] = 2500
    services.save_bid(actor=admin, bid=bid, content=content)
    assert services.invitation_terms(invitation)["share_value"] == 2000  # saved, not submitted
    services.submit_bid(actor=admin, bid=bid, idempotency_key="again")
    invitation.refresh_from_db()
    assert services.invitation_terms(invitation)["share_value"] == 2500
    assert services.invitation_terms(SupplyChainInvitation.objects.get(bid=bid, organisation=third))["role"] == (
        "The third party's secret role"
    )
