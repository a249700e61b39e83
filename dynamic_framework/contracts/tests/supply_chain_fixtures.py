"""Objects for the supply chain tests: `from .supply_chain_fixtures import sc  # noqa: F401`.

sc.contract     a live contract in the North East (region A): lead provider sc.lead, value £400,000 over two years,
                from 200 days ago to 400 days ahead
sc.material     sc.partner's place in it: material, 25% pass-through
sc.minor        sc.small's place in it: not material, £20,000 fixed fee
sc.newcomer     a provider not in the supply chain
sc.lead_user, sc.partner_user, sc.small_user, sc.newcomer_user: provider administrators of each
sc.commissioner (region A), sc.other_commissioner (region B only)
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest


@pytest.fixture
def sc(db):
    return build()


def build() -> SimpleNamespace:
    """The objects (needs the geography reference data, which it loads if missing)."""
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import default_region, user_with_role
    from dynamic_framework.contracts.models import ContractYear, SupplyChainMember
    from dynamic_framework.contracts.tests.factories import AwardFactory, ContractFactory
    from dynamic_framework.geography.models import Region
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    region = default_region()
    region_b = Region.objects.get(code="B")
    today = timezone.localdate()
    world = SimpleNamespace(today=today, region=region)
    world.lead = ProviderFactory(name="Lead Provider Trust")
    world.partner = ProviderFactory(name="Partner Women's Centre")
    world.small = ProviderFactory(name="Small Mentoring Charity")
    world.newcomer = ProviderFactory(name="Newcomer Housing")
    award = AwardFactory(region=region, lead_provider=world.lead, value_pence=500_000_00)
    start, end = today - timedelta(days=200), today + timedelta(days=400)
    world.start, world.end = start, end
    world.contract = ContractFactory(
        award=award, reference="SC-1", title="Women's services in Durham", start_date=start, end_date=end
    )
    for offset, year in enumerate((start.year, start.year + 1)):
        ContractYear.objects.create(contract=world.contract, financial_year=year, value_pence=200_000_00)
    world.material = SupplyChainMember.objects.create(
        contract=world.contract,
        organisation=world.partner,
        service="Women's centre key workers",
        share_type="percent",
        share_value=2500,
        payment_terms="pass_through",
        material=True,
        joined_on=start,
    )
    world.minor = SupplyChainMember.objects.create(
        contract=world.contract,
        organisation=world.small,
        service="Peer mentoring",
        share_type="amount",
        share_value=20_000_00,
        payment_terms="fixed_fee",
        material=False,
        joined_on=start,
    )
    world.lead_user = user_with_role("provider_administrator", organisation=world.lead)
    world.lead_staff = user_with_role("provider_staff", organisation=world.lead)
    world.partner_user = user_with_role("provider_administrator", organisation=world.partner)
    world.small_user = user_with_role("provider_administrator", organisation=world.small)
    world.newcomer_user = user_with_role("provider_administrator", organisation=world.newcomer)
    world.commissioner = user_with_role("commissioner", regions=[region])
    world.other_commissioner = user_with_role("commissioner", regions=[region_b])
    return world


ADD_TERMS = {
    "service": "Housing advice",
    "share_type": "percent",
    "share_value": 1000,
    "payment_terms": "fixed_fee",
    "material": False,
}
