"""The demo's variations on the imported 2021 contracts: made through the services, and a second run makes none."""

from datetime import date

import pytest

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import variations
from dynamic_framework.contracts.models import Contract, Variation
from dynamic_framework.core.demo_contracts_variations import NORTH_EAST, NORTH_WEST, load_variations_demo
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import Region

pytestmark = pytest.mark.django_db


def test_the_demo_variations_load_once(awards_imported):
    grace = user_with_role("commissioner", regions=list(Region.objects.filter(code__in=["A", "C"])), email=NORTH_EAST)
    lines = load_variations_demo(users={NORTH_EAST: grace})
    assert len(lines) == 3
    north_east = Contract.objects.get(reference="2021-L29-north-east")
    assert north_east.end_date == date(2026, 3, 31) and north_east.original_end_date == date(2025, 3, 31)
    extension = north_east.variations.get()
    assert extension.kind == "extend" and extension.recorded_by == grace
    north_west = Contract.objects.get(reference="2021-L36-north-west")
    removal = north_west.variations.get()
    assert removal.recorded_by.email == NORTH_WEST and removal.kind == "remove_area"
    assert "cumbria" not in [a.slug for a in variations.as_at(north_west, date(2023, 7, 1)).areas]
    assert "cumbria" in [a.slug for a in variations.as_at(north_west, date(2023, 6, 30)).areas]
    durham = Contract.objects.get(reference="2021-L26-durham")
    assert durham.years.get(financial_year=2025).value_pence == 420_000_00

    counts = Variation.objects.count(), AuditEvent.objects.count()
    assert load_variations_demo(users={NORTH_EAST: grace}) == []
    assert (Variation.objects.count(), AuditEvent.objects.count()) == counts


def test_without_the_2021_import_nothing_is_made(reference_data):
    assert load_variations_demo(users={}) == []
