"""Factories for organisations. They write straight to the database (no audit events), as factories do."""

import factory
from factory.django import DjangoModelFactory

from dynamic_framework.organisations.classification import LegalForm
from dynamic_framework.organisations.models import (
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Specialism,
)


class OrganisationFactory(DjangoModelFactory):
    """A provider (a registered charity) unless told otherwise. Pass lists for the many-to-many fields:
    OrganisationFactory(specialisms=[...], pcc_areas_served=[...])."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    slug = factory.Sequence(lambda n: f"test-organisation-{n}")
    kind = Organisation.Kind.PROVIDER
    legal_form = LegalForm.REGISTERED_CHARITY
    latest_income_pence = 25_000_000
    income_year = "2023-24"

    @factory.post_generation
    def specialisms(self, create, extracted, **kwargs):
        if create and extracted:
            self.specialisms.set(extracted)

    @factory.post_generation
    def pcc_areas_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.pcc_areas_served.set(extracted)


class ProviderFactory(OrganisationFactory):
    """A provider organisation (what accounts' user_with_role() uses for provider roles)."""

    name = factory.Sequence(lambda n: f"Test Provider {n}")
    slug = factory.Sequence(lambda n: f"test-provider-{n}")


class CommissioningBodyFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Test Commissioning Body {n}")
    slug = factory.Sequence(lambda n: f"test-commissioning-body-{n}")
    kind = Organisation.Kind.COMMISSIONING_BODY
    commissioning_body_type = Organisation.CommissioningBodyType.OTHER
    legal_form = LegalForm.PUBLIC_BODY
    latest_income_pence = None
    income_year = ""


class OrganisationAliasFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationAlias

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Other Name {n}")


class OrganisationIdentifierFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationIdentifier

    organisation = factory.SubFactory(OrganisationFactory)
    scheme = "GB-CHC"
    identifier = factory.Sequence(lambda n: str(1_100_000 + n))


class SpecialismFactory(DjangoModelFactory):
    class Meta:
        model = Specialism
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"specialism-{n}")
    name = factory.Sequence(lambda n: f"Specialism {n}")
