from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from . import selectors
from .models import PccArea, ProbationDeliveryUnit, Region


class RegionSerializer(serializers.ModelSerializer):
    pcc_areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")

    class Meta:
        model = Region
        fields = ["code", "name", "slug", "nation", "pcc_areas"]


class PccAreaSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(read_only=True, slug_field="code")
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = PccArea
        fields = ["slug", "name", "region", "region_name"]


class DeliveryUnitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = ProbationDeliveryUnit
        fields = ["code", "name", "region"]


@extend_schema_view(
    list=extend_schema(summary="List the 12 probation regions", tags=["Reference data"]),
    retrieve=extend_schema(summary="One probation region", tags=["Reference data"]),
)
class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Probation regions with the PCC areas in each. Public."""

    permission_classes = [AllowAny]
    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.regions_with_areas().order_by("code")


@extend_schema_view(
    list=extend_schema(summary="List the 42 Police and Crime Commissioner areas", tags=["Reference data"]),
    retrieve=extend_schema(summary="One PCC area", tags=["Reference data"]),
)
class PccAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Police and Crime Commissioner areas and their region. Public."""

    permission_classes = [AllowAny]
    serializer_class = PccAreaSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.pcc_areas()


@extend_schema_view(
    list=extend_schema(summary="List the 108 probation delivery units", tags=["Reference data"]),
    retrieve=extend_schema(summary="One probation delivery unit", tags=["Reference data"]),
)
class DeliveryUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Probation delivery units and their region. Public."""

    permission_classes = [AllowAny]
    serializer_class = DeliveryUnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        return selectors.delivery_units()
