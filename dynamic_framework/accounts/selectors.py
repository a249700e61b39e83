"""Reads for the accounts pages and API. Each returns a queryset that loads what its page shows."""

from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from dynamic_framework.organisations.models import Organisation

from .models import PROVIDER_ROLES, Invitation, RoleGrant


def api_token_for(user) -> Token | None:
    return Token.objects.filter(user=user).first()


def organisations_administered_by(organisation_ids) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids).order_by("name")


def team_grants(organisation_ids) -> QuerySet[RoleGrant]:
    """Active provider-role grants in these organisations, with their holders."""
    return (
        RoleGrant.objects.active()
        .filter(organisation_id__in=organisation_ids, role__in=PROVIDER_ROLES)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name", "user__email", "role")
    )


def pending_invitations(*, organisation_ids=None) -> QuerySet[Invitation]:
    """Invitations waiting to be accepted (not expired), for these organisations or (None) for all."""
    invitations = Invitation.objects.pending().with_scope().order_by("-created_at", "-id")
    if organisation_ids is not None:
        invitations = invitations.filter(organisation_id__in=organisation_ids, role__in=PROVIDER_ROLES)
    return invitations


def grant_for_removal(pk) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.active().filter(pk=pk).select_related("user", "organisation", "delivery_unit")


def invitation_by_id(pk) -> QuerySet[Invitation]:
    return Invitation.objects.filter(pk=pk).select_related("organisation")
