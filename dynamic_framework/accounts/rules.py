"""Who may do what: role predicates and the accounts permissions. Deny by default.

Other apps import the predicates from here and combine them in their own rules.py:

- user predicates: `is_platform_administrator`, `is_framework_manager`, `is_commissioner`, `is_evaluator`,
  `is_provider_administrator`, `is_provider_staff`, `is_probation_practitioner`, and `has_confirmed_email`
  (signed in, active and has confirmed their email address: require it before anything that will email
  them or act on their word, like submitting an application);
- (user, organisation): `is_administrator_of_organisation`, `is_member_of_organisation` (administrator or staff);
- (user, region): `is_commissioner_for_region`;
- (user, delivery unit): `is_practitioner_in_delivery_unit`.

A user's active grants are read once per user object (one query for the grants and one for the
commissioners' regions) and kept on that object, so checking many permissions on a page adds no queries.
Services that grant or revoke roles call `forget_grants(user)`.
"""

import rules

from .models import PROVIDER_ROLES, STAFF_ROLES, Role, RoleGrant

_CACHE_ATTRIBUTE = "_accounts_active_grants"


def active_grants(user) -> list[RoleGrant]:
    """The user's active role grants (with organisation, delivery unit and regions), read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = list(RoleGrant.objects.active().filter(user_id=user.pk).with_scope())
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_grants(user) -> None:
    """Drop the cached grants, after a change to them."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def grants_for(user, *roles) -> list[RoleGrant]:
    return [grant for grant in active_grants(user) if grant.role in roles]


def has_role(user, role) -> bool:
    return bool(grants_for(user, role))


def administered_organisation_ids(user) -> set[int]:
    return {g.organisation_id for g in grants_for(user, Role.PROVIDER_ADMINISTRATOR)}


def member_organisation_ids(user) -> set[int]:
    return {g.organisation_id for g in grants_for(user, *PROVIDER_ROLES)}


def commissioner_region_ids(user) -> set[int]:
    return {region.pk for grant in grants_for(user, Role.COMMISSIONER) for region in grant.regions.all()}


def _pk(obj):
    return getattr(obj, "pk", obj)


# User predicates -----------------------------------------------------------------------------------------


def _role_predicate(role):
    def check(user):
        return has_role(user, role)

    return rules.predicate(check, name=f"is_{role}")


is_platform_administrator = _role_predicate(Role.PLATFORM_ADMINISTRATOR)
is_framework_manager = _role_predicate(Role.FRAMEWORK_MANAGER)
is_commissioner = _role_predicate(Role.COMMISSIONER)
is_evaluator = _role_predicate(Role.EVALUATOR)
is_provider_administrator = _role_predicate(Role.PROVIDER_ADMINISTRATOR)
is_provider_staff = _role_predicate(Role.PROVIDER_STAFF)
is_probation_practitioner = _role_predicate(Role.PROBATION_PRACTITIONER)


@rules.predicate
def has_confirmed_email(user) -> bool:
    """Signed in, active, and their email address is confirmed (see User.has_confirmed_email)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "has_confirmed_email", False)
    )


# Object predicates ---------------------------------------------------------------------------------------


@rules.predicate
def is_administrator_of_organisation(user, organisation) -> bool:
    """A provider administrator of this organisation."""
    if organisation is None:
        return False
    return _pk(organisation) in administered_organisation_ids(user)


@rules.predicate
def is_member_of_organisation(user, organisation) -> bool:
    """A provider administrator or provider staff member of this organisation."""
    if organisation is None:
        return False
    return _pk(organisation) in member_organisation_ids(user)


@rules.predicate
def is_commissioner_for_region(user, region) -> bool:
    """A commissioner whose regions include this region."""
    if region is None:
        return False
    return _pk(region) in commissioner_region_ids(user)


@rules.predicate
def is_practitioner_in_delivery_unit(user, delivery_unit) -> bool:
    if delivery_unit is None:
        return False
    return _pk(delivery_unit) in {g.delivery_unit_id for g in grants_for(user, Role.PROBATION_PRACTITIONER)}


# Who may invite whom ------------------------------------------------------------------------------------


def invitable_roles(user) -> list[Role]:
    """The roles this user may invite people to (in Role order)."""
    allowed = set()
    if is_platform_administrator(user):
        allowed.update(Role)
    elif is_provider_administrator(user):
        allowed.update(PROVIDER_ROLES)
    return [role for role in Role if role in allowed]


def may_invite(user, role, organisation=None) -> bool:
    """Whether this user may invite someone to this role (for this organisation, for provider roles)."""
    try:
        role = Role(role)
    except ValueError:
        return False
    if is_platform_administrator(user):
        return True
    if role in STAFF_ROLES:
        return False
    return is_administrator_of_organisation(user, organisation)


@rules.predicate
def _is_provider_role_grant_in_administered_org(user, grant_or_invitation) -> bool:
    role = getattr(grant_or_invitation, "role", None)
    return role in PROVIDER_ROLES and is_administrator_of_organisation(
        user, getattr(grant_or_invitation, "organisation_id", None)
    )


@rules.predicate
def _is_own(user, grant) -> bool:
    return grant is not None and getattr(grant, "user_id", None) == getattr(user, "pk", None)


# Permissions ----------------------------------------------------------------------------------------------

# Signed in at all: your account page, your password and API token.
rules.add_perm("accounts.view_own_account", rules.is_authenticated & rules.is_active)
# Invite someone to an organisation (object: the organisation): platform administrators to any
# organisation, provider administrators to their own (provider roles only: see may_invite()).
rules.add_perm("accounts.invite_to_organisation", is_platform_administrator | is_administrator_of_organisation)
# Invite someone to a staff role (framework manager, commissioner, evaluator, practitioner, platform admin).
rules.add_perm("accounts.invite_staff_role", is_platform_administrator)
# Use the invite page at all.
rules.add_perm("accounts.invite", is_platform_administrator | is_provider_administrator)
# See the team page (members and pending invitations of the organisations you administer).
rules.add_perm("accounts.view_team", is_platform_administrator | is_provider_administrator)
# See the team of one organisation (object: the organisation).
rules.add_perm("accounts.view_organisation_team", is_platform_administrator | is_administrator_of_organisation)
# Cancel an invitation (object: the invitation).
rules.add_perm("accounts.revoke_invitation", is_platform_administrator | _is_provider_role_grant_in_administered_org)
# Grant any role directly (without an invitation).
rules.add_perm("accounts.grant_role", is_platform_administrator)
# Remove someone's role (object: the grant); not your own, so an organisation always keeps an administrator.
rules.add_perm(
    "accounts.revoke_role",
    ~_is_own & (is_platform_administrator | _is_provider_role_grant_in_administered_org),
)
