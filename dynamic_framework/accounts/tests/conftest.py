"""Fixtures for the accounts tests: reference data and one user per role."""

import pytest

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import UserFactory, provider_organisation, user_with_role


@pytest.fixture
def geography(db):
    """All reference data (regions, PCC areas, delivery units, categories, commissioning bodies)."""
    from dynamic_framework.core.services import load_reference_data

    load_reference_data()


@pytest.fixture
def region_a(geography):
    from dynamic_framework.geography.models import Region

    return Region.objects.get(code="A")


@pytest.fixture
def region_b(geography):
    from dynamic_framework.geography.models import Region

    return Region.objects.get(code="B")


@pytest.fixture
def delivery_unit(geography):
    from dynamic_framework.geography.models import ProbationDeliveryUnit

    return ProbationDeliveryUnit.objects.filter(region__code="A").order_by("code").first()


@pytest.fixture
def provider(db):
    return provider_organisation(name="Acme Rehabilitation Trust", slug="acme-rehabilitation-trust")


@pytest.fixture
def other_provider(db):
    return provider_organisation(name="Other Support Ltd", slug="other-support-ltd")


@pytest.fixture
def commissioning_body(geography):
    from dynamic_framework.organisations.models import Organisation

    body = Organisation.objects.filter(kind="commissioning_body").order_by("name").first()
    if body is None:
        body = Organisation.objects.create(
            name="Test Commissioning Body",
            slug="test-commissioning-body",
            kind="commissioning_body",
            commissioning_body_type="other",
        )
    return body


@pytest.fixture
def platform_admin(geography):
    return user_with_role(Role.PLATFORM_ADMINISTRATOR, email="admin@example.org", full_name="Ada Admin")


@pytest.fixture
def provider_admin(provider):
    return user_with_role(
        Role.PROVIDER_ADMINISTRATOR, organisation=provider, email="padmin@example.org", full_name="Pat Provider"
    )


@pytest.fixture
def provider_staff(provider):
    return user_with_role(Role.PROVIDER_STAFF, organisation=provider, email="staff@example.org", full_name="Sam Staff")


@pytest.fixture
def commissioner(region_a):
    return user_with_role(
        Role.COMMISSIONER, regions=[region_a], email="comm@example.org", full_name="Chris Commissioner"
    )


@pytest.fixture
def practitioner(delivery_unit):
    return user_with_role(
        Role.PROBATION_PRACTITIONER, delivery_unit=delivery_unit, email="pp@example.org", full_name="Pip Practitioner"
    )


@pytest.fixture
def plain_user(db):
    return UserFactory(email="nobody@example.org", full_name="Nora Nobody")
