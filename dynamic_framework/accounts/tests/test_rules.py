"""Role predicates and accounts permissions, for every role. Deny by default."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dynamic_framework.accounts import rules as r
from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import PROVIDER_ROLES, STAFF_ROLES, Role
from dynamic_framework.accounts.tests.factories import PASSWORD, RoleGrantFactory, UserFactory, user_with_role

ROLE_PREDICATES = {
    Role.PLATFORM_ADMINISTRATOR: r.is_platform_administrator,
    Role.FRAMEWORK_MANAGER: r.is_framework_manager,
    Role.COMMISSIONER: r.is_commissioner,
    Role.EVALUATOR: r.is_evaluator,
    Role.PROVIDER_ADMINISTRATOR: r.is_provider_administrator,
    Role.PROVIDER_STAFF: r.is_provider_staff,
    Role.PROBATION_PRACTITIONER: r.is_probation_practitioner,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_each_role_predicate_is_true_only_for_its_own_role(role, geography):
    user = user_with_role(role)
    for other, predicate in ROLE_PREDICATES.items():
        assert predicate(user) is (other == role), (role, other)


@pytest.mark.django_db
def test_anonymous_and_role_less_users_hold_no_role(plain_user):
    for predicate in ROLE_PREDICATES.values():
        assert not predicate(AnonymousUser())
        assert not predicate(plain_user)
        assert not predicate(None)


@pytest.mark.django_db
def test_revoked_grants_and_inactive_users_count_for_nothing(platform_admin, provider_admin):
    grant = provider_admin.role_grants.get()
    services.revoke_role(actor=platform_admin, grant=grant)
    assert not r.is_provider_administrator(provider_admin)

    platform_admin.is_active = False
    platform_admin.save()
    r.forget_grants(platform_admin)
    assert not r.is_platform_administrator(platform_admin)


@pytest.mark.django_db
def test_organisation_predicates(provider, other_provider, provider_admin, provider_staff, platform_admin):
    assert r.is_administrator_of_organisation(provider_admin, provider)
    assert r.is_administrator_of_organisation(provider_admin, provider.pk)
    assert not r.is_administrator_of_organisation(provider_admin, other_provider)
    assert not r.is_administrator_of_organisation(provider_staff, provider)
    assert not r.is_administrator_of_organisation(platform_admin, provider)
    assert not r.is_administrator_of_organisation(provider_admin, None)
    assert not r.is_administrator_of_organisation(AnonymousUser(), provider)

    assert r.is_member_of_organisation(provider_admin, provider)
    assert r.is_member_of_organisation(provider_staff, provider)
    assert not r.is_member_of_organisation(provider_staff, other_provider)
    assert not r.is_member_of_organisation(platform_admin, provider)
    assert not r.is_member_of_organisation(AnonymousUser(), provider)


@pytest.mark.django_db
def test_commissioner_for_region(commissioner, region_a, region_b, platform_admin, provider_admin):
    assert r.is_commissioner_for_region(commissioner, region_a)
    assert r.is_commissioner_for_region(commissioner, region_a.pk)
    assert not r.is_commissioner_for_region(commissioner, region_b)
    assert not r.is_commissioner_for_region(commissioner, None)
    assert not r.is_commissioner_for_region(platform_admin, region_a)
    assert not r.is_commissioner_for_region(provider_admin, region_a)
    assert not r.is_commissioner_for_region(AnonymousUser(), region_a)


@pytest.mark.django_db
def test_commissioner_with_several_regions(region_a, region_b):
    user = user_with_role(Role.COMMISSIONER, regions=[region_a, region_b])
    assert r.is_commissioner_for_region(user, region_a)
    assert r.is_commissioner_for_region(user, region_b)


@pytest.mark.django_db
def test_practitioner_in_delivery_unit(practitioner, delivery_unit, geography):
    from dynamic_framework.geography.models import ProbationDeliveryUnit

    other = ProbationDeliveryUnit.objects.exclude(pk=delivery_unit.pk).first()
    assert r.is_practitioner_in_delivery_unit(practitioner, delivery_unit)
    assert not r.is_practitioner_in_delivery_unit(practitioner, other)
    assert not r.is_practitioner_in_delivery_unit(AnonymousUser(), delivery_unit)


@pytest.mark.django_db
def test_grants_are_read_once_per_user_object(django_assert_num_queries, region_a, provider):
    user = user_with_role(Role.COMMISSIONER, regions=[region_a])
    RoleGrantFactory(user=user, role=Role.PROVIDER_ADMINISTRATOR, organisation=provider)
    r.forget_grants(user)
    # One query for the grants (with organisation and delivery unit), one for the commissioners' regions.
    with django_assert_num_queries(2):
        for _ in range(20):
            assert r.is_commissioner(user)
            assert r.is_commissioner_for_region(user, region_a)
            assert r.is_administrator_of_organisation(user, provider)
            assert user.has_perm("accounts.view_team")
            assert user.has_perm("accounts.invite_to_organisation", provider)
            assert not user.has_perm("accounts.invite_staff_role")


# Permissions -------------------------------------------------------------------------------------------------

EXPECTED = {
    # permission: roles that have it (without an object)
    "accounts.view_own_account": set(Role),
    "accounts.invite": {Role.PLATFORM_ADMINISTRATOR, Role.PROVIDER_ADMINISTRATOR},
    "accounts.view_team": {Role.PLATFORM_ADMINISTRATOR, Role.PROVIDER_ADMINISTRATOR},
    "accounts.invite_staff_role": {Role.PLATFORM_ADMINISTRATOR},
    "accounts.grant_role": {Role.PLATFORM_ADMINISTRATOR},
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_permission_matrix_without_object(perm, role, geography):
    user = user_with_role(role)
    assert user.has_perm(perm) is (role in EXPECTED[perm])


@pytest.mark.django_db
@pytest.mark.parametrize("perm", [*sorted(EXPECTED), "accounts.invite_to_organisation", "accounts.revoke_role"])
def test_anonymous_and_role_less_users_are_denied(perm, plain_user, provider):
    assert not AnonymousUser().has_perm(perm)
    assert not AnonymousUser().has_perm(perm, provider)
    if perm != "accounts.view_own_account":
        assert not plain_user.has_perm(perm)
        assert not plain_user.has_perm(perm, provider)


@pytest.mark.django_db
def test_unknown_permissions_are_denied(platform_admin):
    assert not platform_admin.has_perm("accounts.no_such_permission")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_invite_to_organisation(role, provider, other_provider, geography):
    user = user_with_role(role, organisation=provider)
    may = user.has_perm("accounts.invite_to_organisation", provider)
    assert may is (role in (Role.PLATFORM_ADMINISTRATOR, Role.PROVIDER_ADMINISTRATOR))
    assert user.has_perm("accounts.invite_to_organisation", other_provider) is (role == Role.PLATFORM_ADMINISTRATOR)


@pytest.mark.django_db
def test_may_invite_and_invitable_roles(platform_admin, provider_admin, provider_staff, provider, other_provider):
    assert r.invitable_roles(platform_admin) == list(Role)
    assert r.invitable_roles(provider_admin) == [Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF]
    assert r.invitable_roles(provider_staff) == []
    for role in Role:
        assert r.may_invite(platform_admin, role, provider)
        assert r.may_invite(provider_admin, role, provider) is (role in PROVIDER_ROLES)
        assert not r.may_invite(provider_admin, role, other_provider)
        assert not r.may_invite(provider_staff, role, provider)
    for role in STAFF_ROLES:
        assert not r.may_invite(provider_admin, role, None)
    assert not r.may_invite(platform_admin, "nonsense")


@pytest.mark.django_db
def test_revoke_invitation_permission(platform_admin, provider_admin, provider_staff, provider, other_provider):
    own = services.invite(actor=platform_admin, email="a@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    other = services.invite(
        actor=platform_admin, email="b@example.org", role=Role.PROVIDER_STAFF, organisation=other_provider
    )
    staff_role = services.invite(actor=platform_admin, email="c@example.org", role=Role.EVALUATOR)
    assert provider_admin.has_perm("accounts.revoke_invitation", own)
    assert not provider_admin.has_perm("accounts.revoke_invitation", other)
    assert not provider_admin.has_perm("accounts.revoke_invitation", staff_role)
    assert not provider_staff.has_perm("accounts.revoke_invitation", own)
    for invitation in (own, other, staff_role):
        assert platform_admin.has_perm("accounts.revoke_invitation", invitation)


@pytest.mark.django_db
def test_revoke_role_permission(platform_admin, provider_admin, provider_staff, provider, other_provider):
    staff_grant = provider_staff.role_grants.get()
    other_staff = user_with_role(Role.PROVIDER_STAFF, organisation=other_provider).role_grants.get()
    own_grant = provider_admin.role_grants.get()
    assert provider_admin.has_perm("accounts.revoke_role", staff_grant)
    assert not provider_admin.has_perm("accounts.revoke_role", other_staff)
    assert not provider_admin.has_perm("accounts.revoke_role", own_grant)  # not your own
    assert not provider_staff.has_perm("accounts.revoke_role", staff_grant)
    assert platform_admin.has_perm("accounts.revoke_role", staff_grant)
    assert platform_admin.has_perm("accounts.revoke_role", own_grant)
    assert not platform_admin.has_perm("accounts.revoke_role", platform_admin.role_grants.get())


@pytest.mark.django_db
def test_user_with_role_defaults(geography):
    provider_admin = user_with_role(Role.PROVIDER_ADMINISTRATOR)
    grant = provider_admin.role_grants.get()
    assert grant.organisation is not None and grant.organisation.kind == "provider"
    commissioner = user_with_role("commissioner")
    assert [region.code for region in commissioner.role_grants.get().regions.all()] == ["A"]
    practitioner = user_with_role(Role.PROBATION_PRACTITIONER)
    assert practitioner.role_grants.get().delivery_unit.region.code == "A"
    evaluator = user_with_role(Role.EVALUATOR, email="eve@example.org")
    assert evaluator.email == "eve@example.org"
    assert evaluator.check_password(PASSWORD)


@pytest.mark.django_db
def test_user_with_role_loads_geography_when_missing():
    from dynamic_framework.geography.models import Region

    assert not Region.objects.exists()
    commissioner = user_with_role(Role.COMMISSIONER)
    assert r.is_commissioner_for_region(commissioner, Region.objects.get(code="A"))
    assert UserFactory().role_grants.count() == 0
