"""API: who am I. `GET /api/v1/me/` with a token (`Authorization: Token <key>`) or a signed-in session."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from . import rules as account_rules


class RoleGrantSerializer(serializers.Serializer):
    role = serializers.CharField()
    role_name = serializers.CharField(source="role_label")
    organisation = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    probation_delivery_unit = serializers.SerializerMethodField()
    granted_at = serializers.DateTimeField()

    def get_organisation(self, grant) -> dict | None:
        if grant.organisation is None:
            return None
        return {"slug": grant.organisation.slug, "name": grant.organisation.name}

    def get_regions(self, grant) -> list[dict]:
        return [{"code": region.code, "name": region.name} for region in grant.regions.all()]

    def get_probation_delivery_unit(self, grant) -> dict | None:
        if grant.delivery_unit is None:
            return None
        return {"code": grant.delivery_unit.code, "name": grant.delivery_unit.name}


class MeSerializer(serializers.Serializer):
    full_name = serializers.CharField()
    email = serializers.EmailField()
    roles = RoleGrantSerializer(many=True)


class MeViewSet(viewsets.ViewSet):
    """The signed-in user (or the token's owner): name, email address and active roles with where they apply."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="Your name, email address and roles", tags=["Accounts"], responses=MeSerializer)
    def list(self, request):
        user = request.user
        data = {"full_name": user.full_name, "email": user.email, "roles": account_rules.active_grants(user)}
        return Response(MeSerializer(data).data)


def register(router):
    router.register("me", MeViewSet, basename="me")
