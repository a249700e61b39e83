"""Every write to accounts: users, self-service registration, email confirmation, role grants, invitations,
passwords and API tokens.

Each function takes keyword arguments only, runs in one transaction, writes its audit event in that
transaction, and raises ValidationError (with field names matching the forms) on bad input, writing nothing.
Passwords, tokens and token hashes never go into the audit log.
"""

import math
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from dynamic_framework.core import audit
from dynamic_framework.organisations import classification, identifiers, matching
from dynamic_framework.organisations import services as organisation_services
from dynamic_framework.organisations.models import Organisation, OrganisationAlias, OrganisationIdentifier

from . import rules as account_rules
from . import tokens
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
from .tasks import send_email_confirmation_email, send_invitation_email

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


# Email address confirmation -------------------------------------------------------------------------------------

#: A signed-in person may ask for a new confirmation link at most this often.
EMAIL_CONFIRMATION_RESEND_INTERVAL = timedelta(minutes=1)


def email_confirmation_wait_seconds(user: User, now=None) -> int:
    """How many seconds until `user` may be sent another confirmation link (0: now)."""
    if user.email_confirmation_sent_at is None:
        return 0
    remaining = user.email_confirmation_sent_at + EMAIL_CONFIRMATION_RESEND_INTERVAL - (now or timezone.now())
    return max(0, math.ceil(remaining.total_seconds()))


def _queue_email_confirmation(*, actor, user: User, now) -> None:
    """Record that a link was sent and queue its email. Runs inside the caller's transaction."""
    before = {"email_confirmation_sent_at": user.email_confirmation_sent_at}
    user.email_confirmation_sent_at = now
    user.save(update_fields=["email_confirmation_sent_at"])
    audit.record(
        actor=actor,
        action="accounts.email_confirmation_sent",
        obj=user,
        before=before,
        after={"email": user.email, "email_confirmation_sent_at": now},
    )
    # Queued in the same transaction (as invitations are): with the database queue, no email without the record.
    send_email_confirmation_email.enqueue(user_id=user.pk)


def send_email_confirmation(*, actor, user: User) -> User:
    """Email `user` a new link to confirm their email address, at most once a minute.

    ValidationError with code "confirmed" if the address is already confirmed, "too_soon" (params: seconds)
    if a link was sent less than EMAIL_CONFIRMATION_RESEND_INTERVAL ago.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email_confirmed_at is not None:
            raise ValidationError(_("Your email address is already confirmed"), code="confirmed")
        now = timezone.now()
        wait = email_confirmation_wait_seconds(locked, now)
        if wait:
            raise ValidationError(
                _("We sent you a link less than a minute ago. Wait %(seconds)s seconds, then ask for another."),
                code="too_soon",
                params={"seconds": wait},
            )
        _queue_email_confirmation(actor=actor, user=locked, now=now)
    user.email_confirmation_sent_at = locked.email_confirmation_sent_at
    return user


def mark_email_confirmed(*, actor, user: User, how: str) -> bool:
    """Record that `user` has confirmed their email address (`how`: "link", "invitation", "demo data").

    Idempotent: an address already confirmed is left as it is, with no audit event. Returns whether it changed.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email_confirmed_at is not None:
            user.email_confirmed_at = locked.email_confirmed_at
            return False
        locked.email_confirmed_at = timezone.now()
        locked.save(update_fields=["email_confirmed_at"])
        audit.record(
            actor=actor,
            action="accounts.email_confirmed",
            obj=locked,
            before={"email_confirmed_at": None},
            after={"email": locked.email, "email_confirmed_at": locked.email_confirmed_at, "how": how},
        )
    user.email_confirmed_at = locked.email_confirmed_at
    return True


def confirm_email(*, token) -> tuple[User, bool]:
    """Confirm an email address from the emailed link's token: (the user, whether it was confirmed just now).

    ValidationError with code "expired" or "invalid" (see tokens.read_email_confirmation_token).
    """
    user = tokens.read_email_confirmation_token(token)
    changed = mark_email_confirmed(actor=user, user=user, how="link")
    return user, changed


# Registering a provider organisation ---------------------------------------------------------------------------


# An email address that already has an account. The password reset page never says whether an address has an
# account. Registration cannot be silent in the same way: it creates the account at once, so refusing the form
# tells them anyway (staying silent would need another journey, emailing the address instead of creating the
# account). So we say it plainly, and no more than that: not whose account it is, whether it is switched off or
# which organisation it belongs to. We send them to sign in, or to the password reset page, which stays as
# silent as before, in the reset page's own words. (The invitation pages already say as much.)
def _account_exists() -> ValidationError:
    return ValidationError(
        _("There is already an account with this email address. Sign in, or reset your password"),
        code="account_exists",
    )


def _registered_as(name: str) -> str | None:
    """The name of the organisation already registered under `name` (its name or one of its other names)."""
    found = Organisation.objects.filter(name__iexact=name).values_list("name", flat=True).first()
    if found is None:
        found = OrganisationAlias.objects.filter(name__iexact=name).values_list("organisation__name", flat=True).first()
    return found


def _already_registered(typed: str, registered: str) -> ValidationError:
    if typed.lower() == registered.lower():
        message = _("%(name)s is already registered. Ask your organisation's administrator to invite you") % {
            "name": registered
        }
    else:
        message = _(
            "%(typed)s is already registered, as %(name)s. Ask your organisation's administrator to invite you"
        ) % {"typed": typed, "name": registered}
    return ValidationError(message, code="organisation_registered")


def _check_registration(
    *, full_name, email, password, organisation_name, legal_form, identifier, allowed_to_act
) -> dict:
    """Every problem with a registration, by field (the register page's field names); cleaned values."""
    errors: dict[str, list] = {}

    def add(field, messages):
        """Messages (strings or ValidationErrors with a code, which the page uses) for one field."""
        errors.setdefault(field, []).extend(messages if isinstance(messages, list) else [messages])

    try:
        email = _check_email(email)
    except ValidationError as exc:
        add("email", exc.message_dict["email"])
    else:
        if User.objects.filter(email__iexact=email).exists():
            add("email", _account_exists())
    try:
        full_name = _check_full_name(full_name)
    except ValidationError as exc:
        add("full_name", exc.message_dict["full_name"])
    try:
        _check_password(password, User(email=email or "", full_name=full_name or ""))
    except ValidationError as exc:
        add("password", exc.message_dict["password"])

    organisation_name = matching.normalise_name(organisation_name)
    if not organisation_name:
        add("organisation_name", _("Enter your organisation's name"))
    elif len(organisation_name) > organisation_services.TEXT_LIMITS["name"]:
        add("organisation_name", _("Organisation name must be 200 characters or fewer"))
    elif registered := _registered_as(organisation_name):
        add("organisation_name", _already_registered(organisation_name, registered))

    legal_form = (legal_form or "").strip()
    if legal_form and legal_form not in classification.LEGAL_FORMS:
        add("legal_form", _("Choose a legal form from the list"))

    pair = None
    if (identifier or "").strip():
        try:
            pair = identifiers.from_number(identifier, legal_form)
        except ValidationError as exc:
            add("identifier", exc.messages)
        else:
            owner = (
                OrganisationIdentifier.objects.filter(scheme=pair[0], identifier=pair[1])
                .values_list("organisation__name", flat=True)
                .first()
            )
            if owner:
                message = _(
                    "%(id)s is already registered, for %(name)s. Ask your organisation's administrator to invite you"
                ) % {"id": identifiers.org_id(*pair), "name": owner}
                add("identifier", ValidationError(message, code="organisation_registered"))
    if allowed_to_act is not True:
        add("allowed_to_act", _("Confirm that you are allowed to act for your organisation"))
    return {
        "errors": errors,
        "email": email,
        "full_name": full_name,
        "organisation_name": organisation_name,
        "legal_form": legal_form,
        "identifier": pair,
    }


def registration_problems(**fields) -> dict[str, list]:
    """What register_provider would refuse, by field, without writing anything (the register page shows these
    next to the form's own errors). Takes register_provider's arguments."""
    return _check_registration(**fields)["errors"]


# Organisation service field names -> the register page's.
_ORGANISATION_FIELDS = {"name": "organisation_name", "legal_form": "legal_form", "identifiers": "identifier"}


def register_provider(
    *, full_name, email, password, organisation_name, legal_form, identifier="", allowed_to_act
) -> User:
    """Self-service registration: a new account and a new (unverified) provider organisation, with the new
    account as its provider administrator, and an email to confirm the address. All or nothing.

    `legal_form`: a code from organisations.classification.LEGAL_FORMS, or "" when they are not sure.
    `identifier`: a charity, company or society number, optional (see organisations.identifiers.from_number).
    `allowed_to_act`: they confirmed that they may act for the organisation (required).
    ValidationError by field (full_name, email, password, organisation_name, legal_form, identifier,
    allowed_to_act) lists every problem; nothing is written.
    """
    checked = _check_registration(
        full_name=full_name,
        email=email,
        password=password,
        organisation_name=organisation_name,
        legal_form=legal_form,
        identifier=identifier,
        allowed_to_act=allowed_to_act,
    )
    if checked["errors"]:
        raise ValidationError(checked["errors"])
    with transaction.atomic():
        # The checks run again inside each step (someone may have registered the same name meanwhile); any
        # failure undoes the whole registration.
        user = create_user(
            actor=checked["email"], email=checked["email"], full_name=checked["full_name"], password=password
        )
        try:
            organisation = organisation_services.create_organisation(
                actor=user,
                name=checked["organisation_name"],
                kind=Organisation.Kind.PROVIDER,
                legal_form=checked["legal_form"],
                identifiers=[checked["identifier"]] if checked["identifier"] else [],
                verified=False,
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            mapped: dict[str, list] = {}
            for field, messages in exc.message_dict.items():
                mapped.setdefault(_ORGANISATION_FIELDS.get(field, "organisation_name"), []).extend(messages)
            raise ValidationError(mapped) from exc
        # Nobody granted this role: they took it by registering the organisation (the audit log says who).
        grant = _create_grant(
            actor=user,
            granted_by=None,
            user=user,
            role=Role.PROVIDER_ADMINISTRATOR,
            organisation=organisation,
            regions=[],
            delivery_unit=None,
        )
        audit.record(
            actor=user,
            action="accounts.provider_registered",
            obj=organisation,
            after={
                "user_id": user.pk,
                "organisation_id": organisation.pk,
                "role_grant_id": grant.pk,
                "allowed_to_act": True,
            },
        )
        _queue_email_confirmation(actor=user, user=user, now=timezone.now())
    account_rules.forget_grants(user)
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
    invitation's email address with `full_name` and `password`. Either way the invitee gets the role, and
    their email address counts as confirmed: they opened a link that was sent only to it.
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
        mark_email_confirmed(actor=user, user=user, how="invitation")
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
