"""Commissioners recording variations of one contract at the same moment, on PostgreSQL: the contract's row lock
numbers them 1, 2, 3, ... with none lost, and the same extension option is taken up once only."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import variations
from dynamic_framework.contracts.tests.variations_helpers import build_contract
from dynamic_framework.geography.models import Region

AT_ONCE = 6


@pytest.mark.django_db(transaction=True)
def test_variations_at_the_same_moment(live_reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent connections: this test runs in the PostgreSQL half of the suite")
    contract = build_contract(reference="CONCURRENT")
    commissioner = user_with_role("commissioner", regions=[Region.objects.get(code="A")])
    year = contract.years.order_by("financial_year").first().financial_year
    option = contract.extension_options.get(position=1)
    outcomes, lock = [], threading.Lock()
    start = threading.Barrier(2 * AT_ONCE)

    def change(value):
        try:
            start.wait()
            variation = variations.change_value(
                actor=commissioner,
                contract=contract,
                financial_year=year,
                value_pence=value,
                reason="At once",
                effective_on=timezone.localdate(),
            )
            with lock:
                outcomes.append(("value", variation.number))
        finally:
            connections.close_all()

    def extend():
        try:
            start.wait()
            try:
                variation = variations.extend(actor=commissioner, contract=contract, option=option, reason="At once")
                result = ("extended", variation.number)
            except ValidationError as exc:
                result = ("refused", " ".join(exc.messages))
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=(value,)) for value in range(1, AT_ONCE + 1)]
    threads += [threading.Thread(target=extend) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == len(threads), "a request did not finish"

    numbers = sorted(n for kind, n in outcomes if kind in ("value", "extended"))
    assert numbers == list(range(1, AT_ONCE + 2))  # six value changes and one extension, numbered without a gap
    assert sum(kind == "extended" for kind, _ in outcomes) == 1
    refused = [why for kind, why in outcomes if kind == "refused"]
    assert len(refused) == AT_ONCE - 1 and all("already taken up" in why for why in refused)
    contract.refresh_from_db()
    assert contract.end_date == variations.add_months(contract.original_end_date, 12)
    assert contract.variations.count() == AT_ONCE + 1
