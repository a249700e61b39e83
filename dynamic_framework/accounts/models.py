"""Users sign in with their email address. Roles are granted separately (see RoleGrant).

A role grant says what someone may do and where: a provider administrator or provider staff member for one
provider organisation, a commissioner for one or more probation regions (and optionally on behalf of their
commissioning body), a probation practitioner in one probation delivery unit. A grant is active until it is
revoked; nothing is ever deleted, so the history of who could do what stays in the database.

An invitation asks someone, by email, to take a role. Its token is never stored: only its SHA-256 hash is
(see `Invitation.token_hash`). The raw token is worked out again from the invitation's random salt and the
server's SECRET_KEY only when the email is written (see `Invitation.raw_token`), so neither the database nor
the task queue holds it.
"""

import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from rules.permissions import has_perm as rules_has_perm


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Email addresses are stored in lower case; people type them however they like.
        return self.get(email__iexact=(username or "").strip())


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in. Their email address is confirmed (`email_confirmed_at`) by following the link
    we email them (see tokens.py) or by accepting an invitation sent to it. Anything that changes `email`
    must clear `email_confirmed_at`: confirmation links are tied to the address they were sent to."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the email address was confirmed. Empty until it is."
    )
    email_confirmation_sent_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the latest email address confirmation link was sent, so it is not resent too often.",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    @property
    def has_confirmed_email(self) -> bool:
        """Whether the user has shown that they can read email sent to their address."""
        return self.email_confirmed_at is not None

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm, obj=None):
        """Permissions come from role grants, through the rules predicates only (each app's rules.py).
        Unlike Django's default, neither the superuser flag nor Django's model permissions grant anything."""
        if not self.is_active:
            return False
        return rules_has_perm(perm, self, obj)


class Role(models.TextChoices):
    PLATFORM_ADMINISTRATOR = "platform_administrator", _("Platform administrator")
    FRAMEWORK_MANAGER = "framework_manager", _("Framework manager")
    COMMISSIONER = "commissioner", _("Commissioner")
    EVALUATOR = "evaluator", _("Evaluator")
    PROVIDER_ADMINISTRATOR = "provider_administrator", _("Provider administrator")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    PROBATION_PRACTITIONER = "probation_practitioner", _("Probation practitioner")


#: Roles held for one provider organisation (the organisation is required).
PROVIDER_ROLES = (Role.PROVIDER_ADMINISTRATOR, Role.PROVIDER_STAFF)
#: Roles that only a platform administrator may give (HMPPS and platform staff).
STAFF_ROLES = (
    Role.PLATFORM_ADMINISTRATOR,
    Role.FRAMEWORK_MANAGER,
    Role.COMMISSIONER,
    Role.EVALUATOR,
    Role.PROBATION_PRACTITIONER,
)

_PROVIDER_ROLE_VALUES = [r.value for r in PROVIDER_ROLES]
_ORGANISATION_ALLOWED = [*_PROVIDER_ROLE_VALUES, Role.COMMISSIONER.value]


def _scope_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The role/organisation/delivery-unit rules shared by grants and invitations."""
    return [
        models.CheckConstraint(condition=Q(role__in=Role.values), name=f"{prefix}_role_valid"),
        models.CheckConstraint(
            # Provider roles need an organisation; a commissioner may have one (their commissioning body);
            # every other role has none.
            condition=(
                Q(role__in=_PROVIDER_ROLE_VALUES, organisation__isnull=False)
                | Q(role=Role.COMMISSIONER)
                | (~Q(role__in=_ORGANISATION_ALLOWED) & Q(organisation__isnull=True))
            ),
            name=f"{prefix}_organisation_matches_role",
        ),
        models.CheckConstraint(
            condition=(
                Q(role=Role.PROBATION_PRACTITIONER, delivery_unit__isnull=False)
                | (~Q(role=Role.PROBATION_PRACTITIONER) & Q(delivery_unit__isnull=True))
            ),
            name=f"{prefix}_delivery_unit_matches_role",
        ),
    ]


class ScopeMixin:
    """Plain-English descriptions of a role and where it applies (for grants and invitations)."""

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    @property
    def scope_label(self) -> str:
        """Where the role applies, for example "London, North West" or "Acme Trust"."""
        parts = []
        if self.role == Role.COMMISSIONER:
            parts.append(", ".join(region.name for region in self.regions.all()))
        if self.organisation_id:
            parts.append(self.organisation.name)
        if self.delivery_unit_id:
            parts.append(self.delivery_unit.name)
        return "; ".join(p for p in parts if p)

    @property
    def description(self) -> str:
        scope = self.scope_label
        return f"{self.role_label} – {scope}" if scope else self.role_label


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def with_scope(self):
        return self.select_related("organisation", "delivery_unit").prefetch_related("regions")


class RoleGrant(ScopeMixin, models.Model):
    """One role held by one user, with where it applies. Active while `revoked_at` is empty."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
        help_text="The provider organisation (provider roles), or a commissioner's commissioning body.",
    )
    regions = models.ManyToManyField(
        "geography.Region", blank=True, related_name="role_grants", help_text="A commissioner's regions."
    )
    delivery_unit = models.ForeignKey(
        "geography.ProbationDeliveryUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants",
        help_text="A probation practitioner's probation delivery unit.",
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["granted_at", "id"]
        constraints = [
            *_scope_constraints("role_grant"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_at__gte=F("granted_at")),
                name="role_grant_revoked_after_granted",
            ),
            # One active grant per user, role and organisation ("no organisation" counts as one value).
            models.UniqueConstraint(
                F("user"),
                F("role"),
                Coalesce(F("organisation"), Value(0)),
                condition=Q(revoked_at__isnull=True),
                name="role_grant_one_active_per_user_role_organisation",
            ),
        ]
        indexes = [models.Index(fields=["user", "revoked_at"], name="role_grant_user_active_idx")]

    def __str__(self):
        return f"{self.user} – {self.description}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


INVITATION_VALID_DAYS = 7


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def new_token_salt() -> str:
    return secrets.token_hex(16)


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Sent, not yet accepted or revoked, and not expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now())

    def with_scope(self):
        return self.select_related("organisation", "delivery_unit", "invited_by").prefetch_related("regions")


class Invitation(ScopeMixin, models.Model):
    """An email invitation to take a role. Pending until accepted, revoked or expired (after 7 days)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be accepted")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField()
    role = models.CharField(max_length=40, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    regions = models.ManyToManyField("geography.Region", blank=True, related_name="invitations")
    delivery_unit = models.ForeignKey(
        "geography.ProbationDeliveryUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the emailed token.")
    token_salt = models.CharField(
        max_length=32,
        help_text="Random salt from which, with SECRET_KEY, the emailed token is derived. Useless on its own.",
    )
    invited_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            *_scope_constraints("invitation"),
            models.CheckConstraint(condition=Q(expires_at__gt=F("created_at")), name="invitation_expires_after_sent"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, accepted_by__isnull=True)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="invitation_accepted_by_someone",
            ),
            models.CheckConstraint(condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"), name="invitation_token_hashed"),
            models.CheckConstraint(condition=~Q(email=""), name="invitation_email_not_blank"),
        ]

    def __str__(self):
        return f"{self.email} – {self.role_label}"

    @staticmethod
    def derive_token(salt: str) -> str:
        """The emailed token for a salt: HMAC-SHA256 keyed with SECRET_KEY, so the salt alone reveals nothing."""
        return salted_hmac("dynamic_framework.accounts.Invitation", salt, algorithm="sha256").hexdigest()

    @property
    def raw_token(self) -> str:
        return self.derive_token(self.token_salt)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.revoked_at:
            return self.State.REVOKED
        if self.is_expired:
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
