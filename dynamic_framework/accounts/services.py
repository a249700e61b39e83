"""Every write to accounts: users, role grants, invitations, passwords and API tokens.

Each function takes keyword arguments only, runs in one transaction, writes its audit event in that
transaction, and raises ValidationError (with field names matching the forms) on bad input, writing nothing.
Passwords, tokens and token hashes never go into the audit log.
"""

from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from dynamic_framework.core import audit

from . import rules as account_rules
from .models import (
    INVITATION_VALID_DAYS,
    PROVIDER_ROLES,
    Invitation,
    Role,
    RoleGrant,
    User,
    hash_token,
    new_token_salt,
)
from .tasks import send_invitation_email

# Helpers --------------------------------------------------------------------------------------------------


def _is_user(actor) -> bool:
    return isinstance(actor, User)


def _actor_user(actor):
    return actor if _is_user(actor) else None


def normalise_email(email) -> str:
    return (email or "").strip().lower()


def _check_email(email: str, field: str = "email") -> str:
    email = normalise_email(email)
    if not email:
        raise ValidationError({field: _("Enter an email address")})
    try:
        EmailValidator()(email)
    except ValidationError as exc:
        raise ValidationError(
            {field: _("Enter an email address in the correct format, like name@example.com")}
        ) from exc
    if len(email) > 254:
        raise ValidationError({field: _("Email address must be 254 characters or fewer")})
    return email


def _check_full_name(full_name) -> str:
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Enter your full name")})
    if len(full_name) > 200:
        raise ValidationError({"full_name": _("Full name must be 200 characters or fewer")})
    return full_name


def _check_password(password, user, field="password") -> None:
    if not password:
        raise ValidationError({field: _("Enter a password")})
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def _scope_errors(*, role, organisation, regions, delivery_unit) -> dict:
    """What is wrong with where a role applies (empty when all is well)."""
    errors = {}
    try:
        role = Role(role)
    except ValueError:
        return {"role": _("Choose a role")}
    if role in PROVIDER_ROLES:
        if organisation is None:
            errors["organisation"] = _("Choose the provider organisation")
        elif organisation.kind != "provider":
            errors["organisation"] = _("Choose a provider organisation, not a commissioning body")
    elif role == Role.COMMISSIONER:
        if organisation is not None and organisation.kind != "commissioning_body":
            errors["organisation"] = _("Choose a commissioning body, or no organisation")
    elif organisation is not None:
        errors["organisation"] = _("Do not choose an organisation for this role")
    if role == Role.COMMISSIONER:
        if not regions:
            errors["regions"] = _("Choose at least one region")
    elif regions:
        errors["regions"] = _("Choose regions only for commissioners")
    if role == Role.PROBATION_PRACTITIONER:
        if delivery_unit is None:
            errors["delivery_unit"] = _("Choose the probation delivery unit")
    elif delivery_unit is not None:
        errors["delivery_unit"] = _("Choose a probation delivery unit only for probation practitioners")
    return errors


def _find_active_grant(*, user, role, organisation):
    return (
        RoleGrant.objects.active().filter(user=user, role=role, organisation=organisation).select_for_update().first()
    )


def grant_snapshot(grant: RoleGrant) -> dict:
    return {
        "user_id": grant.user_id,
        "role": grant.role,
        "organisation_id": grant.organisation_id,
        "regions": sorted(region.code for region in grant.regions.all()),
        "delivery_unit_code": grant.delivery_unit.code if grant.delivery_unit_id else None,
        "granted_at": grant.granted_at,
        "granted_by_id": grant.granted_by_id,
        "revoked_at": grant.revoked_at,
        "revoked_by_id": grant.revoked_by_id,
    }


def invitation_snapshot(invitation: Invitation) -> dict:
    # Never the token, its salt or its hash.
    return {
        "email": invitation.email,
        "role": invitation.role,
        "organisation_id": invitation.organisation_id,
        "regions": sorted(region.code for region in invitation.regions.all()),
        "delivery_unit_code": invitation.delivery_unit.code if invitation.delivery_unit_id else None,
        "invited_by_id": invitation.invited_by_id,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "accepted_by_id": invitation.accepted_by_id,
        "revoked_at": invitation.revoked_at,
        "revoked_by_id": invitation.revoked_by_id,
    }


def _user_snapshot(user: User) -> dict:
    return {"email": user.email, "full_name": user.full_name, "is_active": user.is_active}


# Users and passwords ----------------------------------------------------------------------------------------


def create_user(*, actor, email, full_name, password=None) -> User:
    """A new account. Without a password the account cannot sign in until a password is set."""
    errors = {}
    try:
        email = _check_email(email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        full_name = _check_full_name(full_name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if "email" not in errors and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account already exists with this email address")]
    if password is not None:
        try:
            _check_password(password, User(email=email or "", full_name=full_name or ""))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User(email=email, full_name=full_name)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as exc:
            raise ValidationError({"email": _("An account already exists with this email address")}) from exc
        audit.record(actor=actor, action="accounts.user_created", obj=user, after=_user_snapshot(user))
    return user


def set_password(*, actor, user: User, password: str) -> User:
    """Change a user's password (after a reset or from their account page)."""
    _check_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(actor=actor, action="accounts.password_changed", obj=user, after={"user_id": user.pk})
    return user


# Role grants ---------------------------------------------------------------------------------------------------


def grant_role(*, actor, user: User, role, organisation=None, regions=None, delivery_unit=None) -> RoleGrant:
    """Give `user` a role. Provider roles need a provider organisation, commissioners at least one region,
    probation practitioners a delivery unit. A user holds at most one active grant per role and organisation."""
    return _create_grant(
        actor=actor,
        granted_by=_actor_user(actor),
        user=user,
        role=role,
        organisation=organisation,
        regions=regions,
        delivery_unit=delivery_unit,
    )


def _create_grant(*, actor, granted_by, user, role, organisation, regions, delivery_unit) -> RoleGrant:
    regions = list(regions or [])
    errors = _scope_errors(role=role, organisation=organisation, regions=regions, delivery_unit=delivery_unit)
    if errors:
        raise ValidationError(errors)
    role = Role(role)
    already = _("%(name)s already has this role") % {"name": user.full_name or user.email}
    with transaction.atomic():
        if _find_active_grant(user=user, role=role, organisation=organisation):
            raise ValidationError({"role": already})
        grant = RoleGrant(
            user=user, role=role, organisation=organisation, delivery_unit=delivery_unit, granted_by=granted_by
        )
        try:
            with transaction.atomic():
                grant.save()
        except IntegrityError as exc:
            raise ValidationError({"role": already}) from exc
        if regions:
            grant.regions.set(regions)
        audit.record(actor=actor, action="accounts.role_granted", obj=grant, after=grant_snapshot(grant))
    account_rules.forget_grants(user)
    return grant


def revoke_role(*, actor, grant: RoleGrant) -> RoleGrant:
    """End a role grant. The last platform administrator cannot be removed."""
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise ValidationError(_("This role has already been removed"), code="revoked")
        if (
            grant.role == Role.PLATFORM_ADMINISTRATOR
            and not RoleGrant.objects.active()
            .filter(role=Role.PLATFORM_ADMINISTRATOR, user__is_active=True)
            .exclude(pk=grant.pk)
            .exists()
        ):
            raise ValidationError(_("You cannot remove the last platform administrator"), code="last_administrator")
        before = grant_snapshot(grant)
        grant.revoked_at = timezone.now()
        grant.revoked_by = _actor_user(actor)
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(actor=actor, action="accounts.role_revoked", obj=grant, before=before, after=grant_snapshot(grant))
    account_rules.forget_grants(grant.user)
    return grant


# Invitations -----------------------------------------------------------------------------------------------------


def invite(*, actor, email, role, organisation=None, regions=None, delivery_unit=None) -> Invitation:
    """Invite someone by email to take a role. The email (with the only copy of the link) is sent by a task.

    A signed-in actor may invite only to the roles and organisations the rules allow (see rules.may_invite);
    the system (a string actor, such as a management command) may invite anyone.
    """
    regions = list(regions or [])
    errors = {}
    try:
        email = _check_email(email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(_scope_errors(role=role, organisation=organisation, regions=regions, delivery_unit=delivery_unit))
    if "role" not in errors and _is_user(actor) and not account_rules.may_invite(actor, role, organisation):
        if Role(role) in PROVIDER_ROLES and organisation is not None:
            errors["organisation"] = _("You cannot invite people to this organisation")
        else:
            errors["role"] = _("You cannot invite people to this role")
    if errors:
        raise ValidationError(errors)
    role = Role(role)
    with transaction.atomic():
        existing_user = User.objects.filter(email__iexact=email).first()
        if (
            existing_user
            and RoleGrant.objects.active().filter(user=existing_user, role=role, organisation=organisation).exists()
        ):
            raise ValidationError({"email": _("This person already has this role")})
        pending = Invitation.objects.pending().filter(email__iexact=email, role=role, organisation=organisation)
        if pending.exists():
            raise ValidationError(
                {"email": _("This person has already been invited to this role. Cancel that invitation first.")}
            )
        now = timezone.now()
        salt = new_token_salt()
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organisation=organisation,
            delivery_unit=delivery_unit,
            token_salt=salt,
            token_hash=hash_token(Invitation.derive_token(salt)),
            invited_by=_actor_user(actor),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_VALID_DAYS),
        )
        if regions:
            invitation.regions.set(regions)
        audit.record(
            actor=actor, action="accounts.invitation_sent", obj=invitation, after=invitation_snapshot(invitation)
        )
        # Queued in the same transaction: with the database queue, no email without the invitation.
        send_invitation_email.enqueue(invitation_id=invitation.pk)
    return invitation


def find_invitation(token) -> Invitation | None:
    """The invitation for a raw token from a link, or None."""
    token = (token or "").strip().lower()
    if len(token) != 64 or any(c not in "0123456789abcdef" for c in token):
        return None
    return Invitation.objects.with_scope().filter(token_hash=hash_token(token)).first()


def invitation_problem(invitation) -> ValidationError | None:
    """Why an invitation cannot be accepted (a ValidationError with a code), or None if it can."""
    if invitation is None:
        return ValidationError(_("This invitation link is not valid"), code="invalid")
    state = invitation.state
    if state == Invitation.State.ACCEPTED:
        return ValidationError(_("This invitation has already been accepted"), code="accepted")
    if state == Invitation.State.REVOKED:
        return ValidationError(_("This invitation has been cancelled"), code="revoked")
    if state == Invitation.State.EXPIRED:
        return ValidationError(_("This invitation has expired"), code="expired")
    return None


def accept_invitation(*, token, user=None, full_name=None, password=None) -> Invitation:
    """Accept an invitation from its emailed token.

    `user`: the signed-in account the invitation was sent to. Without one, a new account is made for the
    invitation's email address with `full_name` and `password`. Either way the invitee gets the role.
    """
    invitation = find_invitation(token)
    error = invitation_problem(invitation)
    if error:
        raise error
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        error = invitation_problem(invitation)
        if error:
            raise error
        if user is not None:
            if normalise_email(user.email) != normalise_email(invitation.email):
                raise ValidationError(_("This invitation was sent to a different email address"), code="wrong_email")
        else:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _("An account already exists for this email address. Sign in to accept the invitation."),
                    code="account_exists",
                )
            user = create_user(
                actor=invitation.email, email=invitation.email, full_name=full_name, password=password or ""
            )
        regions = list(invitation.regions.all())
        if (
            not RoleGrant.objects.active()
            .filter(user=user, role=invitation.role, organisation=invitation.organisation)
            .exists()
        ):
            # The inviter decided to give the role; the invitee's acceptance is what makes it happen.
            _create_grant(
                actor=user,
                granted_by=invitation.invited_by,
                user=user,
                role=invitation.role,
                organisation=invitation.organisation,
                regions=regions,
                delivery_unit=invitation.delivery_unit,
            )
        before = invitation_snapshot(invitation)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit.record(
            actor=user,
            action="accounts.invitation_accepted",
            obj=invitation,
            before=before,
            after=invitation_snapshot(invitation),
        )
    account_rules.forget_grants(user)
    return invitation


def revoke_invitation(*, actor, invitation: Invitation) -> Invitation:
    """Cancel an invitation that has not been accepted. Its link stops working."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been accepted"), code="accepted")
        if invitation.revoked_at is not None:
            raise ValidationError(_("This invitation has already been cancelled"), code="revoked")
        before = invitation_snapshot(invitation)
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = _actor_user(actor)
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit.record(
            actor=actor,
            action="accounts.invitation_revoked",
            obj=invitation,
            before=before,
            after=invitation_snapshot(invitation),
        )
    return invitation


# API tokens -------------------------------------------------------------------------------------------------------


def create_api_token(*, actor, user: User) -> Token:
    """A new API token for `user`. Its key is shown once by the caller; the audit log never holds it."""
    with transaction.atomic():
        if Token.objects.select_for_update().filter(user=user).exists():
            raise ValidationError(_("You already have an API token. Revoke it before you create a new one."))
        token = Token.objects.create(user=user)
        audit.record(
            actor=actor,
            action="accounts.api_token_created",
            object_type="authtoken.token",
            object_id=user.pk,
            after={"user_id": user.pk, "created": token.created},
        )
    return token


def revoke_api_token(*, actor, user: User) -> None:
    """Delete `user`'s API token, so requests with it are refused."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is None:
            raise ValidationError(_("There is no API token to revoke"))
        created = token.created
        token.delete()
        audit.record(
            actor=actor,
            action="accounts.api_token_revoked",
            object_type="authtoken.token",
            object_id=user.pk,
            before={"user_id": user.pk, "created": created},
        )
