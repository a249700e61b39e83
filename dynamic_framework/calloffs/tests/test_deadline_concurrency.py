"""Many bids submitted at once around the deadline, on PostgreSQL: every on-time bid is stored once, every late one
is refused, repeated requests make one submission, and nothing is lost."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import BidSubmission, CallOff
from dynamic_framework.calloffs.tests.factories import CallOffWorld

ON_TIME, LATE, DUPLICATED = 8, 6, 4


@pytest.mark.django_db(transaction=True)
def test_bids_around_the_deadline(live_reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent connections: this test runs in the PostgreSQL half of the suite")
    world = CallOffWorld.build(providers=ON_TIME + LATE + DUPLICATED)
    call_off = world.published()
    bids = {}
    for org in world.providers:
        bid = services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
        services.save_bid(actor=world.admin(org), bid=bid, content=world.content(call_off), complete=True)
        bids[org.pk] = bid
    deadline = (timezone.now() + timedelta(seconds=4)).replace(microsecond=0)
    CallOff.objects.filter(pk=call_off.pk).update(deadline_at=deadline, questions_close_at=deadline)

    on_time = world.providers[:ON_TIME]
    late = world.providers[ON_TIME : ON_TIME + LATE]
    duplicated = world.providers[ON_TIME + LATE :]
    outcomes, lock = [], threading.Lock()
    start = threading.Barrier(ON_TIME + LATE + 2 * DUPLICATED)

    def submit(org, at, key):
        try:
            start.wait()
            delay = (at - timezone.now()).total_seconds()
            if delay > 0:
                time.sleep(delay)
            try:
                submission = services.submit_bid(actor=world.admin(org), bid=bids[org.pk], idempotency_key=key)
                result = ("stored", org.pk, submission.pk)
            except ValidationError as exc:
                result = ("refused", org.pk, " ".join(exc.messages))
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=(o, deadline - timedelta(seconds=1.5), f"k{o.pk}")) for o in on_time
    ]
    threads += [threading.Thread(target=submit, args=(o, deadline + timedelta(seconds=0.5), f"k{o.pk}")) for o in late]
    for org in duplicated:  # the same request twice, at the same moment
        threads += [
            threading.Thread(target=submit, args=(org, deadline - timedelta(seconds=1), f"dup{org.pk}"))
            for _ in range(2)
        ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == len(threads), "a request did not finish"

    stored = {pk for kind, pk, _ in outcomes if kind == "stored"}
    refused = {pk: why for kind, pk, why in outcomes if kind == "refused"}
    assert stored == {o.pk for o in on_time} | {o.pk for o in duplicated}
    assert set(refused) == {o.pk for o in late}
    assert all("The deadline for bids was" in why for why in refused.values())
    for org in [*on_time, *duplicated]:
        submissions = BidSubmission.objects.filter(bid=bids[org.pk])
        assert submissions.count() == 1, org
        assert submissions.get().submitted_at < deadline
    assert not BidSubmission.objects.filter(bid__organisation__in=late).exists()
    duplicate_results = [sid for kind, pk, sid in outcomes if kind == "stored" and pk in {o.pk for o in duplicated}]
    assert len(duplicate_results) == 2 * DUPLICATED and len(set(duplicate_results)) == DUPLICATED
    assert len(services.counted_bids(CallOff.objects.get(pk=call_off.pk))) == ON_TIME + DUPLICATED
