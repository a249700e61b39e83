"""API routes for variations (contracts/variations.py), as on the variation pages (views/variations.py):

- GET  /api/v1/contracts/<reference>/variations/   the contract's variations, newest first (public: number, kind,
                                                   the date it took effect, what changed from and to, in plain
                                                   words too). The reason, who recorded it and when are given to
                                                   the contract's parties only (contracts.view_contract_details;
                                                   null for anyone else). See ADR 0013.
- POST /api/v1/contracts/<reference>/variations/   record one: {"kind": ..., the kind's fields, "reason": ...}, for
                                                   commissioners of the contract (contracts.vary_contract): 401
                                                   without credentials, 403 for anyone else, 404 for an unknown
                                                   reference. A service's refusal answers 400 with field errors.
- GET  /api/v1/contracts/<reference>/as-at/?date=YYYY-MM-DD   the contract as it stood on that day (today when no
                                                   date is given; 400 for a date that is not one).

Dates are YYYY-MM-DD, money integer pence, organisations by slug, PCC areas by slug.
"""

from datetime import UTC

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from dynamic_framework.core.api import PlainDateField, refused

TAGS = ["Contract variations"]
REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The contract's reference"
)


def _reason():
    return serializers.CharField(help_text="Why the contract is changing (for the contract's parties).")


class ExtendRequest(serializers.Serializer):
    option = serializers.IntegerField(help_text="The extension option's position (1 for the first).")
    exercised_on = PlainDateField(required=False, help_text="The day it was taken up; today when not given.")
    reason = _reason()


class ChangeValueRequest(serializers.Serializer):
    financial_year = serializers.IntegerField(help_text="The year it starts: 2026 for 2026-27.")
    value_pence = serializers.IntegerField(help_text="The year's new value, in pence.")
    expected_people = serializers.IntegerField(required=False, allow_null=True, help_text="Kept when not given.")
    effective_on = PlainDateField()
    reason = _reason()


class ChangeEndDateRequest(serializers.Serializer):
    end_date = PlainDateField(help_text="Not after the last allowed date (original end plus every option's months).")
    effective_on = PlainDateField()
    reason = _reason()


class AddAreaRequest(serializers.Serializer):
    pcc_area = serializers.SlugField(help_text="A PCC area of the contract's region, by slug.")
    effective_on = PlainDateField(help_text="The first day it is served.")
    reason = _reason()


class RemoveAreaRequest(serializers.Serializer):
    pcc_area = serializers.SlugField(help_text="A PCC area the contract serves, by slug.")
    last_day = PlainDateField(help_text="The last day it is served.")
    reason = _reason()


class NovateRequest(serializers.Serializer):
    new_lead_provider = serializers.SlugField(help_text="The provider organisation taking it over, by slug.")
    effective_on = PlainDateField()
    reason = _reason()


class TerminateRequest(serializers.Serializer):
    terminated_on = PlainDateField(help_text="The contract's last day.")
    reason = _reason()


REQUESTS = {
    "extend": ExtendRequest,
    "change_value": ChangeValueRequest,
    "change_end_date": ChangeEndDateRequest,
    "add_area": AddAreaRequest,
    "remove_area": RemoveAreaRequest,
    "novate": NovateRequest,
    "terminate": TerminateRequest,
}

VariationRequest = inline_serializer(
    name="VariationRequest",
    fields={
        "kind": serializers.ChoiceField(choices=list(REQUESTS), help_text="Which kind of variation."),
        "reason": serializers.CharField(),
        "option": serializers.IntegerField(required=False, help_text="extend"),
        "exercised_on": serializers.DateField(required=False, help_text="extend"),
        "financial_year": serializers.IntegerField(required=False, help_text="change_value"),
        "value_pence": serializers.IntegerField(required=False, help_text="change_value"),
        "expected_people": serializers.IntegerField(required=False, help_text="change_value"),
        "end_date": serializers.DateField(required=False, help_text="change_end_date"),
        "effective_on": serializers.DateField(
            required=False, help_text="change_value, change_end_date, add_area, novate"
        ),
        "pcc_area": serializers.SlugField(required=False, help_text="add_area, remove_area"),
        "last_day": serializers.DateField(required=False, help_text="remove_area"),
        "new_lead_provider": serializers.SlugField(required=False, help_text="novate"),
        "terminated_on": serializers.DateField(required=False, help_text="terminate"),
    },
)


class VariationSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.SerializerMethodField()
    effective_on = serializers.DateField(help_text="From when it applies.")
    changes = serializers.JSONField(help_text='{field: {"from": ..., "to": ...}}: dates ISO, money pence, ids.')
    description = serializers.SerializerMethodField(help_text="What changed, in plain words: a line a change.")
    reason = serializers.SerializerMethodField(help_text="For the contract's parties only (null for others).")
    recorded_by = serializers.SerializerMethodField(help_text="For the contract's parties only.")
    recorded_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC. For the contract's parties only.")

    def _private(self) -> bool:
        return bool(self.context.get("show_private"))

    def get_kind_label(self, variation) -> str:
        from ..variations import KIND_WORDS

        return str(KIND_WORDS.get(variation.kind, variation.kind))

    def get_description(self, variation) -> list[str]:
        from ..variations import describe_changes

        return describe_changes(variation, self.context.get("names"))

    def get_reason(self, variation) -> str | None:
        return variation.reason if self._private() else None

    def get_recorded_by(self, variation) -> str | None:
        if not self._private():
            return None
        return variation.recorded_by.full_name or variation.recorded_by.email

    def get_recorded_at(self, variation) -> str | None:
        if not self._private():
            return None
        return variation.recorded_at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _load(reference):
    from ..models import Contract

    contract = Contract.objects.select_related("region", "lead_provider").filter(reference=reference).first()
    if contract is None:
        raise Http404("No such contract")
    return contract


def _context(request, contract, variations) -> dict:
    from ..variations import names_for

    return {
        "request": request,
        "show_private": request.user.has_perm("contracts.view_contract_details", contract),
        "names": names_for(variations),
    }


class ContractVariationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticatedOrReadOnly]  # POST without credentials: 401; the rest in create()
    serializer_class = VariationSerializer

    def get_queryset(self):
        from ..models import Variation

        return Variation.objects.none()

    @extend_schema(
        summary="A contract's variations",
        description="Newest first, 50 a page. Public: the kind, the date it took effect and what changed. The "
        "reason, who recorded it and when are for the contract's commissioners and organisations (null for others).",
        tags=TAGS,
        parameters=[REFERENCE],
        responses={200: VariationSerializer(many=True)},
    )
    def list(self, request, reference=None):
        contract = _load(reference)
        page = self.paginate_queryset(contract.variations.select_related("recorded_by").order_by("-number"))
        data = VariationSerializer(page, many=True, context=_context(request, contract, page)).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Record a variation",
        description="For commissioners of the contract's region. Send the kind and its fields: extend (option, "
        "exercised_on), change_value (financial_year, value_pence, expected_people, effective_on), change_end_date "
        "(end_date, effective_on), add_area (pcc_area, effective_on), remove_area (pcc_area, last_day), novate "
        "(new_lead_provider, effective_on), terminate (terminated_on); each with a reason. A refusal (for example "
        "an end date past the last allowed date) answers 400 on the field.",
        tags=TAGS,
        parameters=[REFERENCE],
        request=VariationRequest,
        responses={201: VariationSerializer},
    )
    def create(self, request, reference=None):
        from dynamic_framework.geography.models import PccArea
        from dynamic_framework.organisations.models import Organisation

        from ..forms_variations import SERVICES

        contract = _load(reference)
        if not request.user.has_perm("contracts.vary_contract", contract):
            raise PermissionDenied("Only commissioners for the contract's region can vary it.")
        data = request.data
        if not isinstance(data, dict):
            raise ValidationError(["Send a JSON object"])
        kind = data.get("kind")
        if kind not in REQUESTS:
            raise ValidationError({"kind": [f"Choose one of {', '.join(REQUESTS)}"]})
        request_class = REQUESTS[kind]
        unknown = sorted(set(data) - set(request_class().fields) - {"kind"})
        if unknown:
            raise ValidationError({key: [f"A {kind} variation does not take this field"] for key in unknown})
        incoming = request_class(data={k: v for k, v in data.items() if k != "kind"})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        if kind == "extend":
            option = contract.extension_options.filter(position=values["option"]).first()
            if option is None:
                raise ValidationError({"option": ["This contract has no extension option at that position"]})
            values["option"] = option
        if "pcc_area" in values:
            area = PccArea.objects.select_related("region").filter(slug=values["pcc_area"]).first()
            if area is None:
                raise ValidationError({"pcc_area": ["No PCC area has that slug"]})
            values["pcc_area"] = area
        if "new_lead_provider" in values:
            organisation = Organisation.objects.filter(slug=values["new_lead_provider"]).first()
            if organisation is None:
                raise ValidationError({"new_lead_provider": ["No organisation has that slug"]})
            values["new_lead_provider"] = organisation
        if kind == "change_value" and values.get("expected_people", ...) is None:
            values.pop("expected_people")
        try:
            variation = SERVICES[kind](actor=request.user, contract=contract, **values)
        except DjangoValidationError as exc:
            raise refused(exc) from exc
        data = VariationSerializer(variation, context=_context(request, contract, [variation])).data
        headers = {
            "Location": reverse(
                "contracts:variation", kwargs={"reference": contract.reference, "number": variation.number}
            )
        }
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class ContractAsAtViewSet(viewsets.ViewSet):
    permission_classes = []

    @extend_schema(
        summary="A contract as it stood on a day",
        description="Worked back from today's contract by undoing the variations that took effect after the day: "
        "status, lead provider, dates, values per financial year, areas served, and the variations in effect by "
        "then (reasons for the contract's parties only). Public.",
        tags=TAGS,
        parameters=[
            REFERENCE,
            OpenApiParameter("date", OpenApiTypes.DATE, description="YYYY-MM-DD; today when not given."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request, reference=None):
        from ..variations import as_at

        contract = _load(reference)
        text = request.query_params.get("date", "")
        try:
            day = PlainDateField().run_validation(text) if text else timezone.localdate()
        except ValidationError as exc:
            raise ValidationError({"date": exc.detail}) from exc
        snapshot = as_at(contract, day)
        context = _context(request, contract, snapshot.variations)
        lead = snapshot.lead_provider
        return Response(
            {
                "reference": contract.reference,
                "date": day.isoformat(),
                "status": snapshot.status,
                "status_label": snapshot.status_label,
                "lead_provider": {"slug": lead.slug, "name": lead.name} if lead else None,
                "start_date": _iso(snapshot.start_date),
                "end_date": _iso(snapshot.end_date),
                "original_end_date": _iso(snapshot.original_end_date),
                "terminated_on": _iso(snapshot.terminated_on),
                "termination_reason": snapshot.termination_reason,
                "years": [
                    {
                        "financial_year": y.financial_year,
                        "label": y.label,
                        "value_pence": y.value_pence,
                        "expected_people": y.expected_people,
                    }
                    for y in snapshot.years
                ],
                "areas": [{"slug": a.slug, "name": a.name} for a in snapshot.areas],
                "variations": VariationSerializer(snapshot.variations[::-1], many=True, context=context).data,
                "later_variations": len(snapshot.later_variations),
            }
        )


def _iso(value):
    return value.isoformat() if value else None


def register(router) -> None:
    """Add these routes to the API router."""
    router.register(
        r"contracts/(?P<reference>[^/.]+)/variations", ContractVariationViewSet, basename="contract-variation"
    )
    router.register(r"contracts/(?P<reference>[^/.]+)/as-at", ContractAsAtViewSet, basename="contract-as-at")
