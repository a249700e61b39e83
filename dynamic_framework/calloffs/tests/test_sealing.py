"""Bids are sealed: stored only encrypted, readable by the bidder, and by others only after the deadline."""

import pytest
from cryptography.fernet import Fernet

from dynamic_framework.calloffs import sealing, services
from dynamic_framework.calloffs.models import Bid, BidSubmission
from dynamic_framework.calloffs.tests.factories import after_deadline
from dynamic_framework.core.models import AuditEvent


def test_bid_content_is_stored_only_encrypted(world, call_off):
    bid = world.bid(world.providers[0], call_off)
    raw = Bid.objects.filter(pk=bid.pk).values_list("draft", flat=True).get()
    stored = BidSubmission.objects.filter(bid=bid).values_list("content", flat=True).get()
    for token in (raw, stored):
        assert "women-only" not in token and "9000000" not in token
    assert call_off.sealing_key not in (raw, stored)


def test_the_call_off_key_is_itself_encrypted(call_off):
    with pytest.raises(ValueError):
        Fernet(call_off.sealing_key.encode())  # not a usable key as stored


def test_nobody_but_the_bidder_can_open_a_bid_before_the_deadline(world, call_off):
    bid = world.bid(world.providers[0], call_off)
    content = sealing.open_for_bidder(
        call_off, bid.latest_submission.content, bid=bid, organisation_ids={bid.organisation_id}
    )
    assert content["answers"]
    with pytest.raises(sealing.SealedError):
        sealing.open_for_bidder(
            call_off, bid.latest_submission.content, bid=bid, organisation_ids={world.providers[1].pk}
        )
    with pytest.raises(sealing.SealedError):
        sealing.open_after_deadline(call_off, bid.latest_submission.content)
    with pytest.raises(sealing.SealedError):
        services.bid_content(bid, actor=world.commissioner)
    with after_deadline(call_off):
        assert sealing.open_after_deadline(call_off, bid.latest_submission.content) == content


def test_the_receipt_digest_is_the_sha256_of_what_was_submitted(world, call_off):
    bid = world.bid(world.providers[0], call_off)
    submission = bid.latest_submission
    with after_deadline(call_off):
        content = sealing.open_after_deadline(call_off, submission.content)
    assert sealing.digest(content) == submission.digest
    assert len(submission.digest) == 64


def test_each_call_off_has_its_own_key(world, call_off):
    other = world.published()
    bid = world.bid(world.providers[0], call_off)
    with pytest.raises(sealing.SealedError), after_deadline(other):
        sealing.open_after_deadline(other, bid.latest_submission.content)


def test_a_rotated_service_key_still_opens_old_call_offs(call_off, settings):
    old = sealing.derive_key(settings.SECRET_KEY).decode()
    settings.BID_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    token = sealing.seal(call_off, {"a": 1})
    assert sealing._open(call_off, token) == {"a": 1}


def test_the_audit_log_never_names_a_bidder_or_holds_content(world, call_off):
    org = world.providers[0]
    world.bid(org, call_off)
    for event in AuditEvent.objects.filter(action__startswith="calloffs.bid"):
        text = f"{event.object_repr} {event.before} {event.after}"
        assert org.name not in text
        assert "women-only" not in text
