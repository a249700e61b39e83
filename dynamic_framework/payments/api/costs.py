"""Payments API, costs part: the full-cost-recovery check (payments/costs.py does the sums; ADR 0018).

- POST /api/v1/cost-check/           anyone, no sign-in: send the figures for up to 10 financial years, get the check
                                     year by year and in total. Nothing is saved.
- GET  /api/v1/cost-checks/          provider members: their organisations' saved checks (read-only, 50 a page; one by
                                     id with its results). Another organisation's check answers 404.
- GET  /api/v1/shared-cost-checks/   commissioners and framework managers: the anonymous aggregate of the checks
                                     providers chose to share, for ?category=<slug>&region=<code>, or ?lot=<id> (a
                                     call-off lot). No figures unless at least 3 organisations shared.

Money is integer pence, people whole numbers. Bad input answers 400 with the fields' messages as JSON, keyed
"years" (the list) or "years.<i>.<field>" (one figure of the i-th year, counting from 0); fields the route does
not take are refused, not ignored.
"""

from django.core import exceptions as django_exceptions
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from dynamic_framework.core.api import refuse_unknown, refused

from .. import costs
from .. import services_costs as services

TAGS = ["Full-cost-recovery check"]


class CostYearSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField(help_text="The year it starts: 2026 means 2026-27 (2000 to 2100).")
    value_pence = serializers.IntegerField(help_text="What the call-off pays in the year, in pence.")
    contracted_people = serializers.IntegerField(help_text="The people the call-off pays for in the year.")
    expected_people = serializers.IntegerField(
        required=False, help_text="The people the organisation actually expects to support (default: contracted)."
    )
    staff_pence = serializers.IntegerField(required=False, default=0)
    premises_pence = serializers.IntegerField(required=False, default=0)
    overheads_pence = serializers.IntegerField(required=False, default=0, help_text="Management and overheads.")
    volunteers_pence = serializers.IntegerField(required=False, default=0, help_text="Volunteers' support.")
    other_pence = serializers.IntegerField(required=False, default=0, help_text="Other direct costs.")


class CostCheckRequest(serializers.Serializer):
    years = serializers.ListField(child=serializers.DictField(), help_text="One object per financial year (1 to 10).")


class CostYearResultSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField(source="figures.financial_year")
    label = serializers.CharField(help_text="Like 2026-27.")
    value_pence = serializers.IntegerField(source="figures.value_pence")
    contracted_people = serializers.IntegerField(source="figures.contracted_people")
    expected_people = serializers.IntegerField(source="figures.expected_people")
    total_cost_pence = serializers.IntegerField()
    price_per_person_pence = serializers.IntegerField(help_text="Value / contracted people, rounded down.")
    full_cost_per_person_pence = serializers.IntegerField(help_text="Total costs / expected people, rounded up.")
    contracted_cost_pence = serializers.IntegerField(
        help_text="Total costs x contracted / expected people, rounded up: the full cost of the contracted people."
    )
    surplus_pence = serializers.IntegerField(help_text="Value - contracted cost; negative is a shortfall.")
    surplus_expected_pence = serializers.IntegerField(
        help_text="Value - total costs (supporting everyone expected); negative is a shortfall."
    )
    ramp_up = serializers.BooleanField(help_text="The contracted people are fewer than the people expected.")
    extra_people = serializers.IntegerField()
    shortfall = serializers.BooleanField()


class CostCheckResultSerializer(serializers.Serializer):
    years = CostYearResultSerializer(many=True)
    value_pence = serializers.IntegerField()
    total_cost_pence = serializers.IntegerField()
    contracted_people = serializers.IntegerField()
    expected_people = serializers.IntegerField()
    price_per_person_pence = serializers.IntegerField()
    full_cost_per_person_pence = serializers.IntegerField()
    contracted_cost_pence = serializers.IntegerField()
    surplus_pence = serializers.IntegerField()
    surplus_expected_pence = serializers.IntegerField()
    ramp_up_years = serializers.ListField(child=serializers.CharField())
    shortfall_years = serializers.ListField(child=serializers.CharField())
    rounding = serializers.SerializerMethodField()

    def get_rounding(self, result) -> list[str]:
        return list(costs.ROUNDING_RULES)


def _years_from(data) -> list[dict]:
    """Each year's figures checked for type; errors as {"years.<i>.<field>": [...]}."""
    refuse_unknown(data, ["years"])
    rows = data.get("years")
    if not isinstance(rows, list):
        raise ValidationError({"years": ["Send a list of years, one object per financial year"]})
    if len(rows) > costs.MAX_YEARS:
        raise ValidationError({"years": [f"Send no more than {costs.MAX_YEARS} years"]})
    errors, out = {}, []
    allowed = list(CostYearSerializer().fields)
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"years.{i}"] = ["Send each year as an object"]
            continue
        for key in sorted(set(row) - set(allowed)):
            errors[f"years.{i}.{key}"] = ["This route does not take this field"]
        incoming = CostYearSerializer(data=row)
        if not incoming.is_valid():
            for name, messages in incoming.errors.items():
                errors[f"years.{i}.{name}"] = [str(m) for m in messages]
            continue
        values = dict(incoming.validated_data)
        values.setdefault("expected_people", values["contracted_people"])
        out.append(values)
    if errors:
        raise ValidationError(errors)
    return out


@extend_schema_view(
    create=extend_schema(
        summary="Check whether a call-off pays your full costs",
        description="Anyone, no sign-in; nothing is saved. For each financial year: the price per person the "
        "call-off implies, the organisation's full cost per person, the full cost of the contracted people, and the "
        "surplus or shortfall (for the contracted people, and for everyone expected); ramp-up years are those where "
        "the contracted people are fewer than the people expected. Rounding is stated in `rounding`.",
        request=CostCheckRequest,
        responses={200: CostCheckResultSerializer},
        tags=TAGS,
    )
)
class CostCheckViewSet(viewsets.ViewSet):
    permission_classes = [AllowAny]

    def create(self, request):
        rows = _years_from(request.data)
        try:
            result = services.run_check(rows)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(CostCheckResultSerializer(result).data)


class SharedCostsPermission(BasePermission):
    message = "Only commissioners and framework managers see the shared cost checks."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("payments.view_shared_costs"))


class AggregateYearSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField()
    label = serializers.CharField()
    checks = serializers.IntegerField()
    shortfalls = serializers.IntegerField(help_text="Checks finding a shortfall for the contracted people.")
    shortfalls_expected = serializers.IntegerField(
        help_text="Checks finding a shortfall when supporting everyone they expect (value below total costs)."
    )
    ramp_ups = serializers.IntegerField(help_text="Checks expecting more people than contracted.")


class AggregateSerializer(serializers.Serializer):
    organisations = serializers.IntegerField(help_text="Organisations that shared (each counts once).")
    shown = serializers.BooleanField(help_text="False below the minimum: then no figures are given.")
    minimum = serializers.IntegerField()
    median_cost_per_person_pence = serializers.IntegerField(allow_null=True)
    lowest_cost_per_person_pence = serializers.IntegerField(allow_null=True)
    highest_cost_per_person_pence = serializers.IntegerField(allow_null=True)
    median_price_per_person_pence = serializers.IntegerField(allow_null=True)
    years = AggregateYearSerializer(many=True)


@extend_schema_view(
    list=extend_schema(
        summary="Providers' shared cost checks, added up anonymously",
        description="Commissioners and framework managers. For a service category and region "
        "(?category=<slug>&region=<code>) or a call-off lot (?lot=<id>): how many organisations shared a check "
        "(each counts once: its most recently changed), the median and range of full cost per person over all "
        "years of each check, and per year how many found a shortfall. With fewer than 3 organisations, only their "
        "number. No organisation is ever named.",
        parameters=[
            OpenApiParameter("category", OpenApiTypes.STR, description="A service category's slug."),
            OpenApiParameter("region", OpenApiTypes.STR, description="A probation region's code (A to L)."),
            OpenApiParameter("lot", OpenApiTypes.INT, description="A call-off lot's id, instead of the two above."),
        ],
        responses={200: AggregateSerializer},
        tags=TAGS,
    )
)
class SharedCostsViewSet(viewsets.ViewSet):
    permission_classes = [SharedCostsPermission]

    def list(self, request):
        from dynamic_framework.calloffs.models import Lot
        from dynamic_framework.categories.models import ServiceCategory
        from dynamic_framework.geography.models import Region

        params = request.query_params
        unknown = sorted(set(params) - {"category", "region", "lot"})
        if unknown:
            raise ValidationError({key: ["This route does not take this parameter"] for key in unknown})
        if params.get("lot"):
            lot = Lot.objects.filter(pk=params["lot"]).first() if params["lot"].isdigit() else None
            if lot is None:
                raise ValidationError({"lot": ["No call-off lot has that id"]})
            return Response(AggregateSerializer(services.shared_aggregate(lot=lot)).data)
        errors = {}
        category = ServiceCategory.objects.filter(slug=params.get("category", "")).first()
        if category is None:
            errors["category"] = ["Give a service category's slug (or a lot)"]
        region = Region.objects.filter(code=params.get("region", "")).first()
        if region is None:
            errors["region"] = ["Give a probation region's code, A to L (or a lot)"]
        if errors:
            raise ValidationError(errors)
        return Response(AggregateSerializer(services.shared_aggregate(category=category, region=region)).data)


class SavedCheckPermission(BasePermission):
    message = "Only provider organisations' administrators and staff have saved cost checks."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("payments.save_cost_check"))


class SavedCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = serializers.SerializerMethodField(help_text="Slug and name.")
    lot = serializers.SerializerMethodField(help_text="The call-off's reference, the lot's id, position and name.")
    category = serializers.SerializerMethodField(help_text="The service category's slug, or null.")
    region = serializers.SerializerMethodField(help_text="The probation region's code, or null.")
    shared = serializers.BooleanField(source="is_shared", help_text="Shared anonymously with commissioners.")
    shared_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    result = serializers.SerializerMethodField()

    def get_organisation(self, check) -> dict:
        return {"slug": check.organisation.slug, "name": check.organisation.name}

    def get_category(self, check) -> str | None:
        return check.category.slug if check.category else None

    def get_region(self, check) -> str | None:
        return check.region.code if check.region else None

    def get_lot(self, check) -> dict | None:
        if check.lot is None:
            return None
        lot = check.lot
        return {"call_off": lot.call_off.reference, "id": lot.pk, "position": lot.position, "name": lot.name}

    @extend_schema_field(CostCheckResultSerializer)
    def get_result(self, check) -> dict:
        return CostCheckResultSerializer(services.result_of(check)).data


@extend_schema_view(
    list=extend_schema(
        summary="Your organisations' saved cost checks",
        description="Provider administrators and staff: the checks saved by their organisations, last changed "
        "first, each with its results. Save, change and share them on the pages.",
        tags=TAGS,
    ),
    retrieve=extend_schema(summary="One saved cost check", tags=TAGS),
)
class SavedCheckViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SavedCheckPermission]
    serializer_class = SavedCheckSerializer

    def get_queryset(self):
        return services.checks_for(self.request.user)


def register(router) -> None:
    """Add these routes to the API router."""
    router.register("cost-check", CostCheckViewSet, basename="cost-check")
    router.register("cost-checks", SavedCheckViewSet, basename="cost-checks")
    router.register("shared-cost-checks", SharedCostsViewSet, basename="shared-cost-checks")
