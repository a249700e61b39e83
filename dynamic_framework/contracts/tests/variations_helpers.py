"""What the variations tests share: a live contract in the North East (Durham and Northumbria served), its
commissioner, its lead provider's administrator and a supply chain member. Import the fixtures by name."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts.models import ContractArea, ContractYear, ExtensionOption, SupplyChainMember
from dynamic_framework.contracts.tests.factories import AwardFactory, ContractFactory
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.tests.factories import ProviderFactory


def build_contract(*, start=None, end=None, region_code="A", areas=("durham", "northumbria"), reference="VAR-1"):
    today = timezone.localdate()
    start = start or today - timedelta(days=365)
    end = end or today + timedelta(days=365)
    region = Region.objects.get(code=region_code)
    lead = ProviderFactory(name=f"Lead provider of {reference}")
    award = AwardFactory(region=region, lead_provider=lead)
    contract = ContractFactory(
        award=award,
        reference=reference,
        title=f"Accommodation in the {region.name}",
        pcc_area=None,
        start_date=start,
        end_date=end,
        original_end_date=end,
    )
    for slug in areas:
        ContractArea.objects.create(contract=contract, pcc_area=PccArea.objects.get(slug=slug), added_on=start)
    first = start.year - (1 if start.month < 4 else 0)
    ContractYear.objects.create(contract=contract, financial_year=first, value_pence=100_000_00, expected_people=50)
    ContractYear.objects.create(contract=contract, financial_year=first + 1, value_pence=120_000_00, expected_people=60)
    ExtensionOption.objects.create(contract=contract, position=1, months=12, exercise_by=end - timedelta(days=30))
    ExtensionOption.objects.create(contract=contract, position=2, months=6, exercise_by=end + timedelta(days=300))
    return contract


@pytest.fixture
def contract(reference_data):
    return build_contract()


@pytest.fixture
def commissioner(reference_data):
    return user_with_role("commissioner", regions=[Region.objects.get(code="A")], full_name="Grace Okafor")


@pytest.fixture
def other_commissioner(reference_data):
    return user_with_role("commissioner", regions=[Region.objects.get(code="B")])


@pytest.fixture
def lead_admin(contract):
    return user_with_role("provider_administrator", organisation=contract.lead_provider)


@pytest.fixture
def member(contract):
    return SupplyChainMember.objects.create(
        contract=contract, organisation=ProviderFactory(name="Small Partner"), joined_on=contract.start_date
    )
