"""Objects for the statements tests: `from .statements_fixtures import st  # noqa: F401` (or build()).

st.contract   a contract in the North East (region A) from 1 April 2025 to 31 March 2027, lead provider st.lead,
              £120,000 and 100 people in 2025-26, £120,000 and 100 people in 2026-27, service category st.category
              whose referral category has outcomes st.housing and st.job (current) and st.retired (retired)
st.partner_m  st.partner's place: no terms yet (tests give it pass-through etc.)
st.small_m    st.small's place: no terms yet
st.lead_user, st.partner_user, st.small_user (provider administrators), st.commissioner (region A),
st.other_commissioner (region B)
"""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest

APRIL = date(2025, 4, 1)


@pytest.fixture
def st(db):
    return build()


def outcome_category(name="Housing for payments tests", number=90):
    from dynamic_framework.categories.models import DesiredOutcome, ReferralCategory, ServiceCategory

    referral = ReferralCategory.objects.create(hmpps_id=uuid.uuid4(), name=f"{name} (referral)", slug=f"ref-{number}")
    category = ServiceCategory.objects.create(number=number, name=name, slug=f"cat-{number}", kind="need")
    category.referral_categories.add(referral)
    housing = DesiredOutcome.objects.create(
        hmpps_id=uuid.uuid4(), referral_category=referral, description="Has somewhere safe to live"
    )
    job = DesiredOutcome.objects.create(hmpps_id=uuid.uuid4(), referral_category=referral, description="Has a job")
    retired = DesiredOutcome.objects.create(
        hmpps_id=uuid.uuid4(), referral_category=referral, description="Old outcome", retired_on=date(2020, 1, 1)
    )
    return category, housing, job, retired


def build(*, funding_mechanism="contract", reference="PAY-1") -> SimpleNamespace:
    from dynamic_framework.accounts.tests.factories import default_region, user_with_role
    from dynamic_framework.contracts.models import ContractYear, SupplyChainMember
    from dynamic_framework.contracts.tests.factories import AwardFactory, ContractFactory
    from dynamic_framework.geography.models import Region
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    region = default_region()
    world = SimpleNamespace(region=region)
    from dynamic_framework.categories.models import ServiceCategory

    first = reference == "PAY-1"
    suffix = "" if first else f" ({reference})"
    world.lead = ProviderFactory(name=f"Lead Provider Trust{suffix}")
    world.partner = ProviderFactory(name=f"Partner Women's Centre{suffix}")
    world.small = ProviderFactory(name=f"Small Mentoring Charity{suffix}")
    award = AwardFactory(region=region, lead_provider=world.lead, value_pence=240_000_00)
    world.contract = ContractFactory(
        award=award,
        reference=reference,
        title="Housing in Durham",
        start_date=date(2025, 4, 1),
        end_date=date(2027, 3, 31),
        funding_mechanism=funding_mechanism,
    )
    number = 90 + ServiceCategory.objects.filter(number__gte=90).count()
    world.category, world.housing, world.job, world.retired = outcome_category(
        f"Housing for payments tests{suffix}", number
    )
    world.contract.service_categories.add(world.category)
    for year in (2025, 2026):
        ContractYear.objects.create(
            contract=world.contract, financial_year=year, value_pence=120_000_00, expected_people=100
        )
    world.partner_m = SupplyChainMember.objects.create(
        contract=world.contract, organisation=world.partner, joined_on=date(2025, 4, 1), service="Key workers"
    )
    world.small_m = SupplyChainMember.objects.create(
        contract=world.contract, organisation=world.small, joined_on=date(2025, 4, 1), service="Mentoring"
    )
    world.lead_user = user_with_role("provider_administrator", organisation=world.lead)
    world.partner_user = user_with_role("provider_administrator", organisation=world.partner)
    world.small_user = user_with_role("provider_administrator", organisation=world.small)
    world.commissioner = user_with_role("commissioner", regions=[region])
    world.other_commissioner = user_with_role("commissioner", regions=[Region.objects.get(code="B")])
    return world
