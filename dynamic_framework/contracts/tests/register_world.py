"""A small register for the register part's tests: contracts in two regions with years, areas, options and members."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.contracts.models import (
    ContractArea,
    ContractYear,
    ExtensionOption,
    FundingMechanism,
    LotType,
    SupplyChainMember,
)
from dynamic_framework.contracts.tests.factories import AwardFactory, CommissioningRoundFactory, ContractFactory
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.tests.factories import ProviderFactory


@dataclass
class RegisterWorld:
    today: date
    lead: object
    sub: object
    live: object  # region A, Durham, women's services, ends in 200 days, an option available
    shared: list  # two contracts of one award in region A (Cleveland, Northumbria)
    regional: object  # region B, whole region, grant, ended
    commissioner: object  # region A
    other_commissioner: object  # region B
    provider: object  # staff of `lead`
    sub_staff: object  # staff of `sub`
    outsider: object  # staff of an unrelated provider


def build() -> RegisterWorld:
    today = timezone.localdate()
    region_a, region_b = Region.objects.get(code="A"), Region.objects.get(code="B")
    lead = ProviderFactory(name="Northern Women's Trust", slug="northern-womens-trust")
    sub = ProviderFactory(name="Small Partner CIC", slug="small-partner-cic")
    round_ = CommissioningRoundFactory(slug="test-round", name="Test round", position=10)
    women = ServiceCategory.objects.get(number=9)
    start, end = today - timedelta(days=300), today + timedelta(days=200)

    award = AwardFactory(round=round_, region=region_a, lead_provider=lead, lot_type=LotType.WOMENS_SERVICES)
    live = ContractFactory(
        award=award,
        reference="T-LIVE",
        title="Women's centre in Durham",
        pcc_area=PccArea.objects.get(slug="durham"),
        start_date=start,
        end_date=end,
        original_end_date=end,
        eligibility="Women aged 18 and over on probation.",
    )
    live.service_categories.set([women])
    ContractArea.objects.create(contract=live, pcc_area=live.pcc_area, added_on=start)
    ContractArea.objects.create(
        contract=live,
        pcc_area=PccArea.objects.get(slug="cumbria"),
        added_on=start,
        removed_on=today - timedelta(days=30),
    )
    ContractYear.objects.create(contract=live, financial_year=2030, value_pence=100_000_00, expected_people=50)
    ContractYear.objects.create(contract=live, financial_year=2031, value_pence=120_000_00, expected_people=60)
    ExtensionOption.objects.create(contract=live, position=1, months=12, exercise_by=end - timedelta(days=60))
    ExtensionOption.objects.create(contract=live, position=2, months=6, exercise_by=today - timedelta(days=1))
    SupplyChainMember.objects.create(
        contract=live,
        organisation=sub,
        service="Peer mentoring",
        joined_on=start,
        share_type="percent",
        share_value=2500,
        payment_terms="pass_through",
        material=True,
    )

    shared_award = AwardFactory(
        round=round_, region=region_a, lead_provider=lead, lot_type=LotType.PERSONAL_WELLBEING, value_pence=300_000_00
    )
    shared = [
        ContractFactory(
            award=shared_award,
            reference=f"T-SHARED-{slug}",
            pcc_area=PccArea.objects.get(slug=slug),
            start_date=start,
            end_date=today + timedelta(days=500),
            original_end_date=today + timedelta(days=500),
        )
        for slug in ("cleveland", "northumbria")
    ]

    other_lead = ProviderFactory(name="Southern Housing Ltd", slug="southern-housing")
    regional = ContractFactory(
        award=AwardFactory(round=round_, region=region_b, lead_provider=other_lead),
        reference="T-ENDED",
        start_date=today - timedelta(days=800),
        end_date=today - timedelta(days=10),
        original_end_date=today - timedelta(days=10),
        funding_mechanism=FundingMechanism.GRANT,
    )
    for area in region_b.pcc_areas.all():
        ContractArea.objects.create(contract=regional, pcc_area=area, added_on=regional.start_date)
    return RegisterWorld(
        today=today,
        lead=lead,
        sub=sub,
        live=live,
        shared=shared,
        regional=regional,
        commissioner=user_with_role("commissioner", regions=[region_a], email="register.com@example.org"),
        other_commissioner=user_with_role("commissioner", regions=[region_b], email="register.com.b@example.org"),
        provider=user_with_role("provider_staff", organisation=lead, email="register.lead@example.org"),
        sub_staff=user_with_role("provider_staff", organisation=sub, email="register.sub@example.org"),
        outsider=user_with_role("provider_staff", email="register.outsider@example.org"),
    )
