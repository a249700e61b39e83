"""The organisation directory as open data: list (with the directory's filters) and one organisation by slug.

Reading is public. PATCH changes an organisation for those allowed to (platform administrators and the
organisation's own provider administrators), through services.update_organisation.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from dynamic_framework.geography.models import PccArea, Region

from . import classification, identifiers, selectors, services
from .forms import DirectoryFilterForm
from .models import Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    aliases = serializers.SerializerMethodField(help_text="Other names it is known by.")
    identifiers = serializers.SerializerMethodField(help_text="Register numbers in org-id form, like GB-CHC-1123456.")
    legal_form = serializers.CharField(help_text=f"One of: {', '.join(classification.LEGAL_FORMS)} (or empty).")
    sector = serializers.CharField(
        read_only=True,
        help_text=f"Derived from legal form unless overridden: {', '.join(classification.SECTOR_LABELS)}.",
    )
    sector_override_reason = serializers.CharField(read_only=True, help_text="Why the sector is not the legal form's.")
    size_band = serializers.CharField(
        read_only=True, help_text=f"From the latest income: {', '.join(classification.SIZE_BAND_CODES)}."
    )
    region = serializers.SlugRelatedField(read_only=True, slug_field="code", help_text="A commissioning body's region.")
    pcc_area = serializers.SlugRelatedField(
        read_only=True, slug_field="slug", help_text="A PCC or mayor's office's area."
    )
    specialisms = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    pcc_areas_served = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "slug",
            "kind",
            "commissioning_body_type",
            "region",
            "pcc_area",
            "aliases",
            "legal_form",
            "identifiers",
            "sector",
            "sector_override_reason",
            "size_band",
            "latest_income_pence",
            "income_year",
            "specialisms",
            "pcc_areas_served",
            "description",
            "website",
            "contact_email",
            "contact_phone",
            "address",
            "verified",
            "verified_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_aliases(self, org) -> list[str]:
        return [a.name for a in org.aliases.all()]

    def get_identifiers(self, org) -> list[str]:
        return [identifiers.org_id(i.scheme, i.identifier) for i in org.identifiers.all()]


class OrganisationUpdateSerializer(serializers.Serializer):
    """Fields PATCH may change. Lists replace what is there. Services do the checking."""

    name = serializers.CharField(required=False, allow_blank=True)
    aliases = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    legal_form = serializers.CharField(required=False, allow_blank=True)
    identifiers = serializers.ListField(child=serializers.CharField(), required=False)
    latest_income_pence = serializers.IntegerField(required=False, allow_null=True)
    income_year = serializers.CharField(required=False, allow_blank=True)
    specialisms = serializers.ListField(child=serializers.CharField(), required=False)
    pcc_areas_served = serializers.ListField(child=serializers.CharField(), required=False)
    website = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)


def _split_commas(params) -> QueryDict:
    """Accept both ?sector=a&sector=b and ?sector=a,b for the list filters."""
    out = QueryDict(mutable=True)
    for key in params:
        values = params.getlist(key)
        if key in {"sector", "size_band", "specialism"}:
            values = [v.strip() for value in values for v in value.split(",") if v.strip()]
        out.setlist(key, values)
    return out


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Part of the name or of another name it is known by."),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=Organisation.Kind.values, description="Provider or body."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Probation region code (A to L): serves an area in it."),
    OpenApiParameter("pcc_area", OpenApiTypes.STR, description="PCC area slug, like metropolitan: serves that area."),
    OpenApiParameter(
        "sector",
        OpenApiTypes.STR,
        enum=list(classification.SECTOR_LABELS),
        many=True,
        explode=True,
        description="Sector; repeat or separate with commas for any of several.",
    ),
    OpenApiParameter(
        "size_band",
        OpenApiTypes.STR,
        enum=classification.SIZE_BAND_CODES,
        many=True,
        explode=True,
        description="Size band by latest income: micro under £10k, small to £100k, medium to £1m, large to £10m, "
        "major £10m and over, unknown.",
    ),
    OpenApiParameter(
        "specialism",
        OpenApiTypes.STR,
        many=True,
        explode=True,
        description="Specialism slug; repeat for any of several.",
    ),
]


class ChangeOrganisationPermission(permissions.BasePermission):
    """Anyone may read. Changing needs a signed-in user with organisations.change_organisation for it."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm("organisations.change_organisation", obj)


@extend_schema_view(
    list=extend_schema(
        summary="List organisations: providers and commissioning bodies",
        description="The public organisation directory, by name, with the same filters as the directory page. "
        "An unknown filter value answers 400 with a message for that parameter.",
        tags=["Organisations"],
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(summary="One organisation, by slug", tags=["Organisations"]),
    partial_update=extend_schema(
        summary="Change an organisation's details",
        description="For platform administrators and the organisation's provider administrators. Send only the "
        "fields to change; lists (aliases, identifiers, specialisms, pcc_areas_served) replace what is there. "
        "Answers 400 with a message for each field that is wrong, and changes nothing.",
        tags=["Organisations"],
        request=OrganisationUpdateSerializer,
        responses={200: OrganisationSerializer},
    ),
)
class OrganisationViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Provider organisations and commissioning bodies. Public to read."""

    permission_classes = [ChangeOrganisationPermission]
    serializer_class = OrganisationSerializer
    lookup_field = "slug"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if self.action != "list":
            return selectors.directory()
        form = DirectoryFilterForm(
            _split_commas(self.request.query_params),
            regions=Region.objects.order_by("name"),
            pcc_areas=PccArea.objects.order_by("name"),
            specialisms=selectors.specialisms(),
        )
        if not form.is_valid():
            raise ValidationError({field: [str(e) for e in errors] for field, errors in form.errors.items()})
        return selectors.directory(form.filters())

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise PermissionDenied("Use PATCH to change some fields.")  # pragma: no cover - PUT is not routed
        org = self.get_object()
        incoming = OrganisationUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not incoming.validated_data:
            raise ValidationError({"detail": ["Send at least one field to change."]})
        try:
            services.update_organisation(actor=request.user, organisation=org, **incoming.validated_data)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            ) from exc
        fresh = selectors.organisation_profile(org.slug).first()
        return Response(self.get_serializer(fresh).data)


def register(router):
    router.register("organisations", OrganisationViewSet, basename="organisation")
