from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from . import selectors
from .models import DesiredOutcome, ReferralCategory, ServiceCategory


class ServiceCategorySerializer(serializers.ModelSerializer):
    referral_categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = ServiceCategory
        fields = ["number", "name", "slug", "kind", "grouping", "referral_categories"]


class DesiredOutcomeSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hmpps_id", read_only=True)
    referral_category = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    current = serializers.BooleanField(source="is_current", read_only=True)

    class Meta:
        model = DesiredOutcome
        fields = ["id", "referral_category", "description", "current", "retired_on"]


class ReferralCategorySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="hmpps_id", read_only=True)
    core_category = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    framework_categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = ReferralCategory
        fields = ["id", "name", "slug", "core_category", "framework_categories"]


@extend_schema_view(
    list=extend_schema(summary="List the 14 Dynamic Framework service categories", tags=["Reference data"]),
    retrieve=extend_schema(summary="One service category", tags=["Reference data"]),
)
class ServiceCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The 14 service categories providers qualify in and commissioners buy. Public."""

    permission_classes = [AllowAny]
    serializer_class = ServiceCategorySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.framework_categories().prefetch_related("referral_categories")


@extend_schema_view(
    list=extend_schema(summary="List HMPPS referral categories", tags=["Reference data"]),
    retrieve=extend_schema(summary="One referral category", tags=["Reference data"]),
)
class ReferralCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """HMPPS referral categories: the 8 core ones and their regional variants. Public."""

    permission_classes = [AllowAny]
    serializer_class = ReferralCategorySerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.referral_categories().order_by("name")


@extend_schema_view(
    list=extend_schema(summary="List desired outcomes (current and retired)", tags=["Reference data"]),
    retrieve=extend_schema(summary="One desired outcome", tags=["Reference data"]),
)
class DesiredOutcomeViewSet(viewsets.ReadOnlyModelViewSet):
    """Desired outcomes per referral category. `current=false` marks retired outcomes. Public."""

    permission_classes = [AllowAny]
    serializer_class = DesiredOutcomeSerializer
    lookup_field = "hmpps_id"

    def get_queryset(self):
        return selectors.desired_outcomes().order_by("referral_category__name", "id")
