"""Small hand-built worlds for the insights tests: regions, PCC areas, rounds, awards, contracts and supply chains,
written straight to the database (no audit events, no reference data files), so each test states its case.
"""

import itertools
from datetime import date

import factory
from factory.django import DjangoModelFactory

from dynamic_framework.contracts.models import Award, CommissioningRound, Contract, LotType, SupplyChainMember
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.classification import LegalForm
from dynamic_framework.organisations.tests.factories import OrganisationFactory, SpecialismFactory

_letters = itertools.cycle("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.LazyFunction(lambda: next(_letters))
    name = factory.LazyAttribute(lambda o: f"Region {o.code}")
    slug = factory.LazyAttribute(lambda o: f"region-{o.code.lower()}")
    nation = Region.Nation.ENGLAND


class PccAreaFactory(DjangoModelFactory):
    class Meta:
        model = PccArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    region = factory.SubFactory(RegionFactory)


class RoundFactory(DjangoModelFactory):
    class Meta:
        model = CommissioningRound
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-round-{n}")
    name = factory.Sequence(lambda n: f"Test round {n}")
    position = 0


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    round = factory.SubFactory(RoundFactory)
    reference = factory.Sequence(lambda n: f"test-award-{n}")
    line_number = factory.Sequence(lambda n: n + 1)
    region = factory.SubFactory(RegionFactory)
    lot_type = LotType.ACCOMMODATION
    lead_provider = factory.SubFactory(OrganisationFactory)
    value_pence = 100_000_00


class ContractFactory(DjangoModelFactory):
    """A contract of an award (by default its own award); pass award=None for one with no award."""

    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"test-contract-{n:04d}")
    award = factory.SubFactory(AwardFactory)
    round = factory.LazyAttribute(lambda o: o.award.round if o.award else RoundFactory())
    lot_type = factory.LazyAttribute(lambda o: o.award.lot_type if o.award else LotType.ACCOMMODATION)
    region = factory.LazyAttribute(lambda o: o.award.region if o.award else RegionFactory())
    lead_provider = factory.LazyAttribute(lambda o: o.award.lead_provider if o.award else OrganisationFactory())
    hmpps_reference = factory.Sequence(lambda n: f"PRJ_T{n:04d}")
    start_date = date(2021, 6, 26)
    end_date = date(2025, 3, 31)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = SupplyChainMember

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SubFactory(OrganisationFactory)


def charity(name: str, **kwargs):
    """A voluntary organisation (registered charity) with a slug from its name."""
    slug = name.lower().replace(" ", "-").replace("'", "")
    kwargs.setdefault("legal_form", LegalForm.REGISTERED_CHARITY)
    return OrganisationFactory(name=name, slug=slug, **kwargs)


def company(name: str, **kwargs):
    """A private company."""
    slug = name.lower().replace(" ", "-").replace("'", "")
    kwargs.setdefault("legal_form", LegalForm.PRIVATE_COMPANY)
    return OrganisationFactory(name=name, slug=slug, **kwargs)


def unknown(name: str, **kwargs):
    """An organisation whose legal form, sector and income are not recorded."""
    slug = name.lower().replace(" ", "-").replace("'", "")
    return OrganisationFactory(name=name, slug=slug, legal_form="", latest_income_pence=None, income_year="", **kwargs)


def award(round_, lead, *, lot_type=LotType.ACCOMMODATION, region=None, value=None, areas=(), **kwargs):
    """An award and its contracts: one per PCC area in `areas`, or one regional contract when there are none.
    `value` is in pounds (None: no published value)."""
    region = region or (areas[0].region if areas else RegionFactory())
    a = AwardFactory(
        round=round_,
        lead_provider=lead,
        lot_type=lot_type,
        region=region,
        value_pence=None if value is None else value * 100,
    )
    contracts = [ContractFactory(award=a, pcc_area=area, **kwargs) for area in (areas or [None])]
    return a, contracts


def specialism(slug: str, name: str | None = None):
    return SpecialismFactory(slug=slug, name=name or slug.replace("-", " ").capitalize())
