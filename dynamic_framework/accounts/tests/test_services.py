"""Services: validation, nothing partial written, and one audit event per change in the same transaction."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts import rules as r
from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Invitation, Role, RoleGrant, User, hash_token
from dynamic_framework.accounts.tests.factories import PASSWORD, UserFactory, user_with_role
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.models import AuditEvent

GOOD_PASSWORD = "purple elephants dance slowly"


def events(action=None):
    qs = AuditEvent.objects.filter(action__startswith="accounts.").order_by("id")
    return list(qs.filter(action=action) if action else qs)


def link_token(message) -> str:
    match = re.search(r"/invitations/([0-9a-f]{64})/", message.body)
    assert match, message.body
    return match.group(1)


def all_audit_text() -> str:
    return " ".join(f"{e.before} {e.after} {e.object_repr}" for e in AuditEvent.objects.all())


# Users and passwords --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_user_writes_user_and_audit_event():
    user = services.create_user(actor="system", email=" New.Person@Example.ORG ", full_name=" New  Person ")
    assert user.email == "new.person@example.org"
    assert user.full_name == "New Person"
    assert not user.has_usable_password()
    [event] = events("accounts.user_created")
    assert event.object_id == str(user.pk)
    assert event.after == {"email": "new.person@example.org", "full_name": "New Person", "is_active": True}


@pytest.mark.django_db
def test_create_user_refuses_bad_input_and_writes_nothing():
    UserFactory(email="taken@example.org")
    with pytest.raises(ValidationError) as exc:
        services.create_user(actor="system", email="TAKEN@example.org", full_name="", password="short")
    assert set(exc.value.message_dict) == {"email", "full_name", "password"}
    with pytest.raises(ValidationError) as exc:
        services.create_user(actor="system", email="not an email", full_name="X")
    assert "email" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.create_user(actor="system", email="x@example.org", full_name="Xavier", password="12345678901234")
    assert "password" in exc.value.message_dict  # entirely numeric
    assert User.objects.count() == 1
    assert events() == []


@pytest.mark.django_db
def test_set_password_validates_and_never_logs_the_password(plain_user):
    with pytest.raises(ValidationError):
        services.set_password(actor=plain_user, user=plain_user, password="password")
    services.set_password(actor=plain_user, user=plain_user, password=GOOD_PASSWORD)
    plain_user.refresh_from_db()
    assert plain_user.check_password(GOOD_PASSWORD)
    assert plain_user.password.startswith("md5$") or plain_user.password.startswith("argon2")
    [event] = events("accounts.password_changed")
    assert GOOD_PASSWORD not in all_audit_text()
    assert plain_user.password not in all_audit_text()
    assert event.actor == plain_user


# Role grants ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_grant_role_with_scope_and_audit(platform_admin, region_a, region_b, commissioning_body):
    user = UserFactory()
    grant = services.grant_role(
        actor=platform_admin,
        user=user,
        role=Role.COMMISSIONER,
        organisation=commissioning_body,
        regions=[region_a, region_b],
    )
    assert grant.granted_by == platform_admin
    assert {region.code for region in grant.regions.all()} == {"A", "B"}
    [event] = events("accounts.role_granted")
    assert event.actor == platform_admin
    assert event.after["regions"] == ["A", "B"]
    assert event.after["role"] == "commissioner"
    assert r.is_commissioner_for_region(user, region_b)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.PROVIDER_STAFF, {}, "organisation"),
        (Role.PROVIDER_ADMINISTRATOR, {"organisation": "body"}, "organisation"),
        (Role.COMMISSIONER, {}, "regions"),
        (Role.COMMISSIONER, {"regions": "A", "organisation": "provider"}, "organisation"),
        (Role.PROBATION_PRACTITIONER, {}, "delivery_unit"),
        (Role.EVALUATOR, {"organisation": "provider"}, "organisation"),
        (Role.EVALUATOR, {"regions": "A"}, "regions"),
        (Role.FRAMEWORK_MANAGER, {"delivery_unit": "pdu"}, "delivery_unit"),
        ("nonsense", {}, "role"),
    ],
)
def test_grant_role_refuses_the_wrong_scope(
    role, scope, field, platform_admin, provider, commissioning_body, region_a, delivery_unit
):
    values = {"provider": provider, "body": commissioning_body, "A": [region_a], "pdu": delivery_unit}
    kwargs = {key: values[value] for key, value in scope.items()}
    before = RoleGrant.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.grant_role(actor=platform_admin, user=UserFactory(), role=role, **kwargs)
    assert field in exc.value.message_dict
    assert RoleGrant.objects.count() == before
    assert events("accounts.role_granted") == []


@pytest.mark.django_db
def test_grant_role_twice_is_refused(platform_admin, provider_staff, provider):
    with pytest.raises(ValidationError) as exc:
        services.grant_role(actor=platform_admin, user=provider_staff, role=Role.PROVIDER_STAFF, organisation=provider)
    assert "role" in exc.value.message_dict
    assert provider_staff.role_grants.count() == 1


@pytest.mark.django_db
def test_revoke_role(platform_admin, provider_staff):
    grant = provider_staff.role_grants.get()
    assert r.is_provider_staff(provider_staff)
    services.revoke_role(actor=platform_admin, grant=grant)
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == platform_admin
    [event] = events("accounts.role_revoked")
    assert event.before["revoked_at"] is None and event.after["revoked_at"] is not None
    with pytest.raises(ValidationError):
        services.revoke_role(actor=platform_admin, grant=grant)
    assert len(events("accounts.role_revoked")) == 1


@pytest.mark.django_db
def test_the_last_platform_administrator_cannot_be_removed(platform_admin):
    with pytest.raises(ValidationError):
        services.revoke_role(actor=platform_admin, grant=platform_admin.role_grants.get())
    second = user_with_role(Role.PLATFORM_ADMINISTRATOR)
    services.revoke_role(actor=second, grant=platform_admin.role_grants.get())
    assert not r.is_platform_administrator(platform_admin)


# Invitations --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_sends_an_email_with_the_only_copy_of_the_token(platform_admin, provider, settings):
    settings.SITE_URL = "https://df.example.gov.uk"
    with CaptureQueriesContext(connection) as queries:
        invitation = services.invite(
            actor=platform_admin, email="New@Example.org", role=Role.PROVIDER_ADMINISTRATOR, organisation=provider
        )
    assert invitation.email == "new@example.org"
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    [message] = mail.outbox
    assert message.to == ["new@example.org"]
    assert "https://df.example.gov.uk/invitations/" in message.body
    assert "Provider administrator" in message.body and provider.name in message.body
    assert "Ada Admin" in message.body
    assert "&amp;" not in message.body and "&#" not in message.body
    token = link_token(message)
    # Stored only as its hash: not in the row, the audit log, or any SQL sent to the database.
    assert invitation.token_hash == hash_token(token)
    stored = Invitation.objects.values().get(pk=invitation.pk)
    assert token not in str(stored)
    assert token not in all_audit_text()
    assert not any(token in q["sql"] for q in queries.captured_queries)
    [event] = events("accounts.invitation_sent")
    assert event.actor == platform_admin
    assert event.after["email"] == "new@example.org"
    assert "token_hash" not in event.after and invitation.token_hash not in all_audit_text()


@pytest.mark.django_db
def test_the_invitation_task_gets_only_the_invitation_id(platform_admin):
    from django_tasks.signals import task_enqueued

    enqueued = []

    def receiver(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(receiver)
    try:
        invitation = services.invite(actor=platform_admin, email="x@example.org", role=Role.EVALUATOR)
    finally:
        task_enqueued.disconnect(receiver)
    [result] = enqueued
    assert result.task.name == "send_invitation_email"
    assert result.args == [] and result.kwargs == {"invitation_id": invitation.pk}


@pytest.mark.django_db
def test_invite_refuses_bad_input_and_writes_nothing(platform_admin, provider, region_a):
    with pytest.raises(ValidationError) as exc:
        services.invite(actor=platform_admin, email="nope", role=Role.COMMISSIONER, organisation=provider)
    assert set(exc.value.message_dict) == {"email", "organisation", "regions"}
    assert Invitation.objects.count() == 0
    assert mail.outbox == []
    assert events() == []


@pytest.mark.django_db
def test_provider_administrators_invite_only_to_provider_roles_in_their_organisation(
    provider_admin, provider, other_provider, region_a
):
    services.invite(actor=provider_admin, email="a@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    with pytest.raises(ValidationError) as exc:
        services.invite(
            actor=provider_admin, email="b@example.org", role=Role.PROVIDER_STAFF, organisation=other_provider
        )
    assert "organisation" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.invite(actor=provider_admin, email="c@example.org", role=Role.COMMISSIONER, regions=[region_a])
    assert "role" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.invite(actor=provider_admin, email="d@example.org", role=Role.PLATFORM_ADMINISTRATOR)
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_provider_staff_cannot_invite(provider_staff, provider):
    with pytest.raises(ValidationError):
        services.invite(actor=provider_staff, email="a@example.org", role=Role.PROVIDER_STAFF, organisation=provider)


@pytest.mark.django_db
def test_invite_refuses_duplicates(platform_admin, provider_staff, provider):
    with pytest.raises(ValidationError) as exc:
        services.invite(
            actor=platform_admin, email="STAFF@example.org", role=Role.PROVIDER_STAFF, organisation=provider
        )
    assert "already has this role" in str(exc.value)
    services.invite(actor=platform_admin, email="x@example.org", role=Role.EVALUATOR)
    with pytest.raises(ValidationError) as exc:
        services.invite(actor=platform_admin, email="X@example.org", role=Role.EVALUATOR)
    assert "already been invited" in str(exc.value)


def _invite(actor, **kwargs):
    mail.outbox.clear()
    invitation = services.invite(actor=actor, **kwargs)
    return invitation, link_token(mail.outbox[-1])


@pytest.mark.django_db
def test_accept_invitation_with_a_new_account(platform_admin, region_a, region_b):
    invitation, token = _invite(
        platform_admin, email="new@example.org", role=Role.COMMISSIONER, regions=[region_a, region_b]
    )
    accepted = services.accept_invitation(token=token, full_name="Nina New", password=GOOD_PASSWORD)
    user = accepted.accepted_by
    assert user.email == "new@example.org" and user.full_name == "Nina New"
    assert user.check_password(GOOD_PASSWORD)
    grant = user.role_grants.get()
    assert grant.role == Role.COMMISSIONER and grant.granted_by == platform_admin
    assert {region.code for region in grant.regions.all()} == {"A", "B"}
    assert accepted.accepted_at is not None
    assert [e.action for e in events()][-4:] == [
        "accounts.user_created",
        "accounts.role_granted",
        "accounts.email_confirmed",  # the invitation went to this address: following its link proves it
        "accounts.invitation_accepted",
    ]
    assert GOOD_PASSWORD not in all_audit_text() and token not in all_audit_text()
    assert verify_chain().ok
    # Used once only.
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="Nina New", password=GOOD_PASSWORD)
    assert exc.value.code == "accepted"


@pytest.mark.django_db
def test_accept_invitation_with_bad_details_writes_nothing(platform_admin):
    invitation, token = _invite(platform_admin, email="new@example.org", role=Role.EVALUATOR)
    before = len(events())
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="  ", password="new@example.org")
    assert set(exc.value.message_dict) == {"full_name", "password"}
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="Nina", password="")
    assert "password" in exc.value.message_dict
    assert not User.objects.filter(email="new@example.org").exists()
    assert len(events()) == before
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.django_db
def test_accept_invitation_with_an_existing_account(platform_admin, provider):
    existing = UserFactory(email="existing@example.org")
    invitation, token = _invite(
        platform_admin, email="Existing@example.org", role=Role.PROVIDER_STAFF, organisation=provider
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="Someone", password=GOOD_PASSWORD)
    assert exc.value.code == "account_exists"
    services.accept_invitation(token=token, user=existing)
    assert r.is_member_of_organisation(existing, provider)
    assert existing.check_password(PASSWORD)  # unchanged


@pytest.mark.django_db
def test_accept_invitation_for_the_wrong_email_is_refused(platform_admin, plain_user):
    invitation, token = _invite(platform_admin, email="someone.else@example.org", role=Role.EVALUATOR)
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, user=plain_user)
    assert exc.value.code == "wrong_email"
    assert plain_user.role_grants.count() == 0
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.django_db
def test_expired_revoked_and_unknown_invitations_are_refused(platform_admin):
    invitation, token = _invite(platform_admin, email="late@example.org", role=Role.EVALUATOR)
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="Late", password=GOOD_PASSWORD)
    assert exc.value.code == "expired"

    invitation, token = _invite(platform_admin, email="cancelled@example.org", role=Role.EVALUATOR)
    services.revoke_invitation(actor=platform_admin, invitation=invitation)
    with pytest.raises(ValidationError) as exc:
        services.accept_invitation(token=token, full_name="Cancelled", password=GOOD_PASSWORD)
    assert exc.value.code == "revoked"

    for bad in ["0" * 64, "short", "", None, token.upper()[:-1] + "g"]:
        with pytest.raises(ValidationError) as exc:
            services.accept_invitation(token=bad, full_name="X", password=GOOD_PASSWORD)
        assert exc.value.code == "invalid"
    assert not User.objects.filter(email__in=["late@example.org", "cancelled@example.org"]).exists()


@pytest.mark.django_db
def test_revoke_invitation(platform_admin, provider_admin, provider):
    invitation, token = _invite(provider_admin, email="x@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    services.revoke_invitation(actor=provider_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_by == provider_admin and invitation.state == Invitation.State.REVOKED
    [event] = events("accounts.invitation_revoked")
    assert event.actor == provider_admin
    with pytest.raises(ValidationError):
        services.revoke_invitation(actor=provider_admin, invitation=invitation)

    accepted, token = _invite(platform_admin, email="y@example.org", role=Role.EVALUATOR)
    services.accept_invitation(token=token, full_name="Y", password=GOOD_PASSWORD)
    with pytest.raises(ValidationError):
        services.revoke_invitation(actor=platform_admin, invitation=accepted)
    assert len(events("accounts.invitation_revoked")) == 1


@pytest.mark.django_db
def test_the_email_task_skips_invitations_that_are_no_longer_pending(platform_admin):
    from dynamic_framework.accounts.tasks import send_invitation_email

    invitation, _ = _invite(platform_admin, email="x@example.org", role=Role.EVALUATOR)
    services.revoke_invitation(actor=platform_admin, invitation=invitation)
    mail.outbox.clear()
    assert send_invitation_email.call(invitation_id=invitation.pk) is False
    assert send_invitation_email.call(invitation_id=999999) is False
    assert mail.outbox == []


# API tokens ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_tokens(plain_user):
    token = services.create_api_token(actor=plain_user, user=plain_user)
    assert Token.objects.get(user=plain_user).key == token.key
    [event] = events("accounts.api_token_created")
    assert token.key not in all_audit_text()
    with pytest.raises(ValidationError):
        services.create_api_token(actor=plain_user, user=plain_user)
    services.revoke_api_token(actor=plain_user, user=plain_user)
    assert not Token.objects.filter(user=plain_user).exists()
    [event] = events("accounts.api_token_revoked")
    assert event.actor == plain_user
    with pytest.raises(ValidationError):
        services.revoke_api_token(actor=plain_user, user=plain_user)
    assert len(events()) == 2
