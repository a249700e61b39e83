"""Factories for contracts. They write straight to the database (no audit events), as factories do."""

import factory
from factory.django import DjangoModelFactory

from dynamic_framework.contracts.models import Award, CommissioningRound, Contract, LotType, SupplyChainMember
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.tests.factories import OrganisationFactory


class CommissioningRoundFactory(DjangoModelFactory):
    class Meta:
        model = CommissioningRound
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"round-{n}")
    name = factory.Sequence(lambda n: f"Round {n}")
    position = factory.Sequence(lambda n: n + 1)


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = Award

    round = factory.SubFactory(CommissioningRoundFactory)
    reference = factory.Sequence(lambda n: f"award-{n}")
    line_number = factory.Sequence(lambda n: n + 1)
    region = factory.LazyFunction(lambda: Region.objects.order_by("code").first())  # needs the reference data
    lot_type = LotType.ACCOMMODATION
    lead_provider = factory.SubFactory(OrganisationFactory)
    value_pence = 100_000_00


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"contract-{n}")
    award = factory.SubFactory(AwardFactory)
    round = factory.SelfAttribute("award.round")
    lot_type = factory.SelfAttribute("award.lot_type")
    region = factory.SelfAttribute("award.region")
    lead_provider = factory.SelfAttribute("award.lead_provider")


class SupplyChainMemberFactory(DjangoModelFactory):
    class Meta:
        model = SupplyChainMember

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SubFactory(OrganisationFactory)
