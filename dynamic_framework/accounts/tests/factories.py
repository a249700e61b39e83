"""Factories for users and role grants, and `user_with_role()`, which other apps' tests use.

These write straight to the database (no audit events), as factories do; the services are tested separately.
"""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from dynamic_framework.accounts.models import PROVIDER_ROLES, Role, RoleGrant, User

#: The password every factory-made user has (long enough for the validators).
PASSWORD = "a long enough pass phrase 42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person Number{n}")
    password = Password(PASSWORD)

    class Params:
        # UserFactory(email_confirmed=True), or user_with_role(..., email_confirmed=True): the email address
        # is confirmed (new accounts' addresses are not).
        email_confirmed = factory.Trait(email_confirmed_at=factory.LazyFunction(timezone.now))


class RoleGrantFactory(DjangoModelFactory):
    """A grant of any role; pass `organisation`, `regions` or `delivery_unit` the role needs.

    Prefer `user_with_role()`, which fills in sensible defaults.
    """

    class Meta:
        model = RoleGrant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.EVALUATOR

    @factory.post_generation
    def regions(self, create, extracted, **kwargs):
        if create and extracted:
            self.regions.set(extracted)


def _ensure_geography():
    from dynamic_framework.geography.models import Region

    if not Region.objects.filter(code="A").exists():
        from dynamic_framework.geography.loaders import load_delivery_units, load_pcc_areas, load_regions

        load_regions()
        load_pcc_areas()
        load_delivery_units()


def default_region():
    """Region A (North East), loading the geography reference data if it is not there yet."""
    from dynamic_framework.geography.models import Region

    _ensure_geography()
    return Region.objects.get(code="A")


def default_delivery_unit():
    """The first probation delivery unit (by code) in region A."""
    from dynamic_framework.geography.models import ProbationDeliveryUnit

    _ensure_geography()
    return ProbationDeliveryUnit.objects.filter(region__code="A").order_by("code").first()


_provider_counter = iter(range(1, 10**9))


def provider_organisation(**fields):
    """A new provider organisation, made by the organisations app's factory when it has one."""
    try:
        from dynamic_framework.organisations.tests.factories import ProviderFactory
    except ImportError:
        ProviderFactory = None
    if ProviderFactory is not None:
        return ProviderFactory(**fields)
    from dynamic_framework.organisations.models import Organisation

    number = next(_provider_counter)
    while Organisation.objects.filter(slug=f"test-provider-{number}").exists():
        number = next(_provider_counter)
    defaults = {"name": f"Test Provider {number}", "slug": f"test-provider-{number}", "kind": "provider"}
    return Organisation.objects.create(**{**defaults, **fields})


def user_with_role(role, organisation=None, regions=None, delivery_unit=None, **user_fields):
    """A new user holding one active `role`, with sensible defaults for where it applies.

    - provider administrator / provider staff: `organisation`, or a new provider organisation;
    - commissioner: `regions` (a list), or region A (North East); `organisation` (a commissioning body) optional;
    - probation practitioner: `delivery_unit`, or the first delivery unit in region A;
    - other roles: no organisation, regions or delivery unit.
    Extra keyword arguments go to UserFactory (for example `email=` or `full_name=`).
    The user's password is `PASSWORD`.
    """
    role = Role(role)
    if role in PROVIDER_ROLES and organisation is None:
        organisation = provider_organisation()
    if role == Role.COMMISSIONER and not regions:
        regions = [default_region()]
    if role == Role.PROBATION_PRACTITIONER and delivery_unit is None:
        delivery_unit = default_delivery_unit()
    user = UserFactory(**user_fields)
    RoleGrantFactory(
        user=user,
        role=role,
        organisation=organisation if role in (*PROVIDER_ROLES, Role.COMMISSIONER) else None,
        regions=list(regions or []) if role == Role.COMMISSIONER else [],
        delivery_unit=delivery_unit if role == Role.PROBATION_PRACTITIONER else None,
    )
    return user
