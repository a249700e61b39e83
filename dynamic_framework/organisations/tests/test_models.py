"""The database refuses what the services would refuse, whatever route a write takes."""

import pytest
from django.db import IntegrityError, transaction

from dynamic_framework.organisations.models import Organisation, OrganisationAlias, OrganisationIdentifier
from dynamic_framework.organisations.tests.factories import (
    CommissioningBodyFactory,
    OrganisationAliasFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_alias_names_are_unique_whatever_the_capitals():
    first = OrganisationAliasFactory(name="Safe Homes")
    other = OrganisationFactory()
    refused(lambda: OrganisationAlias.objects.create(organisation=other, name="SAFE HOMES"))
    refused(lambda: OrganisationAlias.objects.create(organisation=first.organisation, name="Safe Homes"))


def test_organisation_names_are_unique_whatever_the_capitals():
    OrganisationFactory(name="Second Chance Trust")
    refused(lambda: OrganisationFactory(name="second chance trust"))


def test_identifier_unique_per_scheme():
    org = OrganisationFactory()
    OrganisationIdentifier.objects.create(organisation=org, scheme="GB-CHC", identifier="1123456")
    refused(
        lambda: OrganisationIdentifier.objects.create(
            organisation=OrganisationFactory(), scheme="GB-CHC", identifier="1123456"
        )
    )
    OrganisationIdentifier.objects.create(organisation=org, scheme="GB-COH", identifier="01123456")
    refused(lambda: OrganisationIdentifier.objects.create(organisation=org, scheme="GB-XX", identifier="1"))


def test_sector_override_needs_a_reason():
    refused(lambda: OrganisationFactory(sector_override="private"))
    refused(lambda: OrganisationFactory(sector_override="", sector_override_reason="stray reason"))
    refused(lambda: OrganisationFactory(sector_override="nonsense", sector_override_reason="x"))
    assert OrganisationFactory(sector_override="private", sector_override_reason="Owned by a plc").sector == "private"


def test_income_needs_its_year_and_cannot_be_negative():
    refused(lambda: OrganisationFactory(latest_income_pence=100, income_year=""))
    refused(lambda: OrganisationFactory(latest_income_pence=None, income_year="2023-24"))
    refused(lambda: OrganisationFactory(latest_income_pence=-1, income_year="2023-24"))
    refused(lambda: OrganisationFactory(latest_income_pence=1, income_year="2023/24"))


def test_commissioning_body_type_matches_kind():
    refused(lambda: OrganisationFactory(kind="provider", commissioning_body_type="hmpps_region"))
    refused(lambda: OrganisationFactory(kind="commissioning_body", commissioning_body_type=""))
    refused(lambda: OrganisationFactory(legal_form="sole_trader"))
    assert CommissioningBodyFactory().kind == Organisation.Kind.COMMISSIONING_BODY
