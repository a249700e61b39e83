"""The contract register API.

- /api/v1/contracts/            public: every contract and grant agreement, with the register page's filters (a bad
                                value answers 400 with the field's message); dates as YYYY-MM-DD, money integer pence.
- /api/v1/contracts/<ref>/      public: one contract with its years, areas served, extension options, supply chain
                                names and status; for the contract's parties also the commissioner and documents not
                                published.
- /api/v1/contracts/pipeline/   commissioners and framework managers: contracts ending in the next 6, 12 or 18
                                months (?months=), in ?region= (codes, comma-separated; a commissioner's own regions
                                by default), with the extension options still available.
"""

from datetime import date

from django.http import QueryDict
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.permissions import HasRulesPermission
from dynamic_framework.geography.models import Region

from .. import selectors
from ..forms_register import RegisterFilterForm
from ..status import Status, status_of, today
from ..views.register import pipeline_choice, value_of


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


class RegisterYearSerializer(serializers.Serializer):
    financial_year = serializers.IntegerField(help_text="The year it starts: 2026 means April 2026 to March 2027.")
    label = serializers.CharField(help_text="Like 2026-27.")
    value_pence = serializers.IntegerField(allow_null=True)
    expected_people = serializers.IntegerField(allow_null=True)


class RegisterAreaSerializer(serializers.Serializer):
    pcc_area = serializers.CharField(source="pcc_area.slug")
    name = serializers.CharField(source="pcc_area.name")
    added_on = serializers.DateField(allow_null=True)
    removed_on = serializers.DateField(allow_null=True, help_text="The last day it is served; null: still served.")


class RegisterOptionSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    months = serializers.IntegerField()
    exercise_by = serializers.DateField(help_text="The last day the option can be taken up.")
    exercised = serializers.SerializerMethodField()

    def get_exercised(self, option) -> bool:
        return option.exercised_at is not None


class RegisterMemberSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    service = serializers.CharField(help_text="What the member does.")
    role = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True)


class RegisterDocumentSerializer(serializers.Serializer):
    title = serializers.CharField()
    public = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        return reverse("contracts:document", kwargs={"reference": document.contract.reference, "pk": document.pk})


class RegisterContractSerializer(serializers.Serializer):
    """What the list gives for each contract (public)."""

    reference = serializers.CharField()
    hmpps_reference = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    lot_type = serializers.CharField(help_text="What it buys, like womens_services.")
    service_categories = serializers.SerializerMethodField(help_text="Service category slugs.")
    region = serializers.CharField(source="region.code", help_text="The probation region's code.")
    pcc_area = serializers.SerializerMethodField(help_text="The PCC area's slug; null for a whole-region contract.")
    lead_provider = serializers.SerializerMethodField(help_text="The lead provider: slug and name.")
    funding_mechanism = serializers.CharField(help_text="contract or grant.")
    value_pence = serializers.SerializerMethodField(
        help_text="The years' total, else the award's published value; null when not published."
    )
    value_shared_by = serializers.SerializerMethodField(
        help_text="How many contracts of the award share the value (1: not shared)."
    )
    start_date = serializers.DateField(allow_null=True)
    end_date = serializers.DateField(allow_null=True)
    original_end_date = serializers.DateField(allow_null=True, help_text="The end date before any extension.")
    status = serializers.SerializerMethodField(
        help_text="not_started, live, in_extension, ended or terminated, today (UK)."
    )
    round = serializers.CharField(source="round.slug", help_text="The commissioning round's slug.")
    award = serializers.SerializerMethodField(help_text="The award's reference; null when none.")
    page_url = serializers.SerializerMethodField()

    def get_service_categories(self, contract) -> list[str]:
        return [c.slug for c in sorted(contract.service_categories.all(), key=lambda c: c.number)]

    def get_pcc_area(self, contract) -> str | None:
        return contract.pcc_area.slug if contract.pcc_area_id else None

    @extend_schema_field({"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}})
    def get_lead_provider(self, contract):
        return {"slug": contract.lead_provider.slug, "name": contract.lead_provider.name}

    def get_value_pence(self, contract) -> int | None:
        return value_of(contract).pence

    def get_value_shared_by(self, contract) -> int:
        return value_of(contract).shared_by

    def get_status(self, contract) -> str:
        return status_of(contract, on=self.context.get("today"))

    def get_award(self, contract) -> str | None:
        return contract.award.reference if contract.award_id else None

    def get_page_url(self, contract) -> str:
        return reverse("contracts:contract", kwargs={"reference": contract.reference})


class RegisterContractDetailSerializer(RegisterContractSerializer):
    """One contract: the list's fields and its years, areas, options, supply chain, documents; for its parties also
    the commissioner."""

    eligibility = serializers.CharField(help_text="Who the service is for.")
    years = RegisterYearSerializer(many=True)
    areas = RegisterAreaSerializer(many=True, help_text="Areas served, now and before.")
    extension_options = RegisterOptionSerializer(many=True)
    supply_chain = RegisterMemberSerializer(
        many=True, help_text="Supply chain members' names and what they do, with history."
    )
    terminated_on = serializers.DateField(allow_null=True)
    termination_reason = serializers.CharField()
    documents = serializers.SerializerMethodField(help_text="Published documents; for the contract's parties all.")
    commissioner = serializers.SerializerMethodField(help_text="Only for the contract's parties; null otherwise.")

    def _party(self, contract) -> bool:
        user = self.context["request"].user
        return bool(user and user.is_authenticated and user.has_perm("contracts.view_contract_details", contract))

    @extend_schema_field(RegisterDocumentSerializer(many=True))
    def get_documents(self, contract):
        party = self._party(contract)
        return RegisterDocumentSerializer([d for d in contract.documents.all() if d.public or party], many=True).data

    @extend_schema_field({"type": "object", "nullable": True, "properties": {"name": {"type": "string"}}})
    def get_commissioner(self, contract):
        if not self._party(contract) or contract.commissioner_id is None:
            return None
        return {"name": contract.commissioner.name}


def _filter_data(params) -> QueryDict:
    """The form's data from the query string: dates as YYYY-MM-DD become the form's day, month and year."""
    data = QueryDict(mutable=True)
    errors = {}
    for key in params:
        if key in ("ends_after", "ends_before"):
            try:
                day = date.fromisoformat(params[key])
            except ValueError:
                errors[key] = ["Enter a date like 2025-03-31"]
                continue
            data[f"{key}_day"], data[f"{key}_month"], data[f"{key}_year"] = str(day.day), str(day.month), str(day.year)
        else:
            data.setlist(key, params.getlist(key))
    if errors:
        raise ValidationError(errors)
    return data


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="All or part of the reference, title or a provider's name."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Probation region code, like A."),
    OpenApiParameter("pcc_area", OpenApiTypes.STR, description="PCC area slug: the lot, or an area served."),
    OpenApiParameter("category", OpenApiTypes.STR, description="Service category slug, like women."),
    OpenApiParameter("provider", OpenApiTypes.STR, description="Organisation slug: lead provider or member."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[c for c, _label in Status.choices]),
    OpenApiParameter("ends_after", OpenApiTypes.DATE, description="Ends on or after this day."),
    OpenApiParameter("ends_before", OpenApiTypes.DATE, description="Ends on or before this day."),
    OpenApiParameter("round", OpenApiTypes.STR, description="Commissioning round slug."),
    OpenApiParameter("funding", OpenApiTypes.STR, enum=["contract", "grant"]),
]


@extend_schema_view(
    list=extend_schema(
        summary="The contract register",
        description="Every contract and grant agreement, with the register page's filters. A filter value that "
        "names nothing answers 400 with a message for that parameter.",
        tags=["Contracts"],
        parameters=FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="One contract, by reference",
        tags=["Contracts"],
        parameters=[OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH)],
    ),
)
class ContractViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    def get_serializer_class(self):
        return RegisterContractDetailSerializer if self.action == "retrieve" else RegisterContractSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.register_contracts().prefetch_related("documents__contract")
        form = RegisterFilterForm(_filter_data(self.request.query_params))
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return selectors.register_contracts(form.filters())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today()}


class RegisterPipelineContractSerializer(RegisterContractSerializer):
    available_extension_options = serializers.SerializerMethodField(
        help_text="Options not taken up whose last day has not passed."
    )

    @extend_schema_field(RegisterOptionSerializer(many=True))
    def get_available_extension_options(self, contract):
        return RegisterOptionSerializer(
            selectors.available_options(contract, on=self.context.get("today")), many=True
        ).data


@extend_schema_view(
    list=extend_schema(
        summary="The re-commissioning pipeline",
        description="Contracts ending in the next 6, 12 or 18 months (default 12), soonest first, with the "
        "extension options still available. A commissioner gets their own regions unless `region` is given.",
        tags=["Contracts"],
        parameters=[
            OpenApiParameter("months", OpenApiTypes.INT, enum=list(selectors.PIPELINE_MONTHS)),
            OpenApiParameter("region", OpenApiTypes.STR, description="Region codes, comma-separated."),
            OpenApiParameter("category", OpenApiTypes.STR, description="Service category slug."),
        ],
    )
)
class PipelineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRulesPermission.require("contracts.view_pipeline")]
    serializer_class = RegisterPipelineContractSerializer

    def get_queryset(self):
        params = QueryDict(mutable=True)
        for key in self.request.query_params:
            values = self.request.query_params.getlist(key)
            if key == "region":
                values = [v.strip() for value in values for v in value.split(",") if v.strip()]
            params.setlist(key, values)
        if "region" in params:
            params["chosen"] = "1"
        form, choice = pipeline_choice(
            params,
            self.request.user,
            regions=list(Region.objects.order_by("name")),
            categories=list(ServiceCategory.objects.order_by("number")),
        )
        if form.is_bound and form.errors:
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return selectors.pipeline(months=choice.months, regions=choice.regions, category=choice.category)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": today()}


def register(router) -> None:
    """Add these routes to the API router (the pipeline first, so that it is not read as a reference)."""
    router.register("contracts/pipeline", PipelineViewSet, basename="contract-pipeline")
    router.register("contracts", ContractViewSet, basename="contract")
