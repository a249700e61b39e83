"""The database holds the role rules even when code bypasses the services."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dynamic_framework.accounts.models import Invitation, Role, RoleGrant, hash_token
from dynamic_framework.accounts.tests.factories import UserFactory


def _fails(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(**fields)


@pytest.mark.django_db
def test_provider_roles_need_an_organisation(provider):
    user = UserFactory()
    for role in (Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF):
        _fails(user=user, role=role)
        RoleGrant.objects.create(user=user, role=role, organisation=provider)


@pytest.mark.django_db
def test_other_roles_have_no_organisation_except_a_commissioners_body(provider, commissioning_body):
    user = UserFactory()
    for role in (Role.PLATFORM_ADMINISTRATOR, Role.FRAMEWORK_MANAGER, Role.EVALUATOR):
        _fails(user=user, role=role, organisation=provider)
        RoleGrant.objects.create(user=user, role=role)
    RoleGrant.objects.create(user=user, role=Role.COMMISSIONER, organisation=commissioning_body)
    RoleGrant.objects.create(user=user, role=Role.COMMISSIONER)


@pytest.mark.django_db
def test_practitioners_need_a_delivery_unit_and_nobody_else_has_one(delivery_unit, provider):
    user = UserFactory()
    _fails(user=user, role=Role.PROBATION_PRACTITIONER)
    _fails(user=user, role=Role.EVALUATOR, delivery_unit=delivery_unit)
    _fails(user=user, role=Role.PROVIDER_STAFF, organisation=provider, delivery_unit=delivery_unit)
    _fails(user=user, role=Role.PROBATION_PRACTITIONER, delivery_unit=delivery_unit, organisation=provider)
    RoleGrant.objects.create(user=user, role=Role.PROBATION_PRACTITIONER, delivery_unit=delivery_unit)


@pytest.mark.django_db
def test_unknown_roles_are_refused():
    _fails(user=UserFactory(), role="superhero")


@pytest.mark.django_db
def test_one_active_grant_per_user_role_and_organisation(provider, other_provider):
    user = UserFactory()
    RoleGrant.objects.create(user=user, role=Role.PROVIDER_STAFF, organisation=provider)
    _fails(user=user, role=Role.PROVIDER_STAFF, organisation=provider)
    # Another organisation, or another role, is fine.
    RoleGrant.objects.create(user=user, role=Role.PROVIDER_STAFF, organisation=other_provider)
    RoleGrant.objects.create(user=user, role=Role.PROVIDER_ADMINISTRATOR, organisation=provider)
    # Without an organisation, "none" counts as one value.
    RoleGrant.objects.create(user=user, role=Role.EVALUATOR)
    _fails(user=user, role=Role.EVALUATOR)


@pytest.mark.django_db
def test_a_revoked_grant_does_not_block_a_new_one(provider):
    user = UserFactory()
    now = timezone.now()
    RoleGrant.objects.create(user=user, role=Role.EVALUATOR, granted_at=now, revoked_at=now)
    RoleGrant.objects.create(user=user, role=Role.EVALUATOR)
    _fails(user=user, role=Role.EVALUATOR)


@pytest.mark.django_db
def test_revocation_comes_after_the_grant_and_has_a_time():
    user = UserFactory()
    now = timezone.now()
    _fails(user=user, role=Role.EVALUATOR, granted_at=now, revoked_at=now - timedelta(seconds=1))
    _fails(user=user, role=Role.EVALUATOR, revoked_by=user)


def _invitation(**fields):
    now = timezone.now()
    defaults = {
        "email": "someone@example.org",
        "role": Role.EVALUATOR,
        "token_hash": hash_token("x" * 64),
        "token_salt": "salt",
        "created_at": now,
        "expires_at": now + timedelta(days=7),
    }
    return Invitation.objects.create(**{**defaults, **fields})


def _invitation_fails(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _invitation(**fields)


@pytest.mark.django_db
def test_invitation_constraints(provider, delivery_unit):
    user = UserFactory()
    now = timezone.now()
    _invitation_fails(role=Role.PROVIDER_STAFF)
    _invitation_fails(role=Role.EVALUATOR, organisation=provider)
    _invitation_fails(role=Role.PROBATION_PRACTITIONER)
    _invitation_fails(role=Role.EVALUATOR, delivery_unit=delivery_unit)
    _invitation_fails(token_hash="not a hash")
    _invitation_fails(email="")
    _invitation_fails(expires_at=now - timedelta(days=1), created_at=now)
    _invitation_fails(accepted_at=now, accepted_by=user, revoked_at=now, revoked_by=user)
    _invitation_fails(accepted_at=now)
    first = _invitation()
    _invitation_fails(token_hash=first.token_hash)


@pytest.mark.django_db
def test_invitation_state(provider):
    now = timezone.now()
    invitation = _invitation()
    assert invitation.state == Invitation.State.PENDING and invitation.is_pending
    invitation.expires_at = now - timedelta(seconds=1)
    invitation.created_at = now - timedelta(days=8)
    assert invitation.state == Invitation.State.EXPIRED
    invitation.revoked_at = now
    assert invitation.state == Invitation.State.REVOKED
    invitation.revoked_at = None
    invitation.accepted_at = now
    assert invitation.state == Invitation.State.ACCEPTED


@pytest.mark.django_db
def test_descriptions(region_a, region_b, provider, delivery_unit):
    from dynamic_framework.accounts.tests.factories import user_with_role

    commissioner = user_with_role(Role.COMMISSIONER, regions=[region_a, region_b])
    grant = commissioner.role_grants.get()
    assert grant.description == "Commissioner – North East, North West"
    staff = user_with_role(Role.PROVIDER_STAFF, organisation=provider).role_grants.get()
    assert staff.description == "Provider staff – Acme Rehabilitation Trust"
    practitioner = user_with_role(Role.PROBATION_PRACTITIONER, delivery_unit=delivery_unit).role_grants.get()
    assert practitioner.description == f"Probation practitioner – {delivery_unit.name}"
    assert user_with_role(Role.EVALUATOR).role_grants.get().description == "Evaluator"


@pytest.mark.django_db
def test_email_sign_in_is_case_insensitive():
    from dynamic_framework.accounts.models import User

    user = UserFactory(email="mixed@example.org")
    assert User.objects.get_by_natural_key("  MIXED@Example.org ") == user
