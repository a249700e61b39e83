"""API routes for notices (contracts/notices.py does the work; the pages are views/notices.py).

- /api/v1/notices/                      public notices, newest first (?region=<code>, ?kind=...); one by reference
                                        (a notice that is not public: only its commissioners and the organisations it
                                        was sent to, 404 for anyone else). POST: commissioners send one.
- /api/v1/notice-deliveries/            provider members: the copies of notices their organisations received (as lead
                                        provider or supply chain member), with what is due and what is overdue;
                                        POST <id>/acknowledge/, and for the lead provider's copy POST <id>/forward/
                                        {"note": "..."} to pass it on to the supply chain. Another organisation's: 404.
- /api/v1/notice-measures/              commissioners and framework managers: the 5-working-day cascade measure, over
                                        all regions and per lead provider and region (?region=<code>).

Bad input answers 400 with the fields' messages as JSON. Times are ISO 8601 in UTC, dates YYYY-MM-DD.
"""

from datetime import UTC

from django.core import exceptions as django_exceptions
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions as rf_exceptions
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from dynamic_framework.core.api import refuse_unknown, refused

TAGS = ["Notices"]


def _utc(moment) -> str | None:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment is not None else None


# Notices ----------


class NoticeSerializer(serializers.Serializer):
    reference = serializers.CharField()
    kind = serializers.CharField(help_text="operational_guidance, policy_change or contract_change.")
    kind_label = serializers.CharField(source="get_kind_display")
    title = serializers.CharField()
    body = serializers.CharField()
    cascade_required = serializers.BooleanField(help_text="Lead providers must pass it on to their supply chains.")
    public = serializers.BooleanField()
    sent_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC.")
    cascade_due_on = serializers.SerializerMethodField(help_text="The 5th working day after it was sent.")
    sent_by_organisation = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    contracts = serializers.SerializerMethodField(help_text="The contracts it is about: reference and lead provider.")
    page_url = serializers.SerializerMethodField()

    def get_sent_at(self, notice) -> str:
        return _utc(notice.sent_at)

    def get_cascade_due_on(self, notice) -> str | None:
        from ..notices import cascade_due_on

        return cascade_due_on(notice).isoformat() if notice.cascade_required else None

    def get_sent_by_organisation(self, notice) -> dict | None:
        org = notice.sent_by_organisation
        return {"name": org.name, "slug": org.slug} if org else None

    def get_region(self, notice) -> dict | None:
        return {"code": notice.region.code, "name": notice.region.name} if notice.region_id else None

    def get_contracts(self, notice) -> list[dict]:
        return [
            {"reference": c.reference, "lead_provider": {"name": c.lead_provider.name, "slug": c.lead_provider.slug}}
            for c in notice.contracts.all()
        ]

    def get_page_url(self, notice) -> str:
        path = reverse("contracts:notice", kwargs={"reference": notice.reference})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class SendNoticeRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["operational_guidance", "policy_change", "contract_change"])
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    contracts = serializers.ListField(
        child=serializers.CharField(), allow_empty=False, help_text="Contract references, in your regions."
    )
    cascade_required = serializers.BooleanField()
    public = serializers.BooleanField(default=True, help_text="Published on the public notices page (default yes).")


@extend_schema_view(
    list=extend_schema(
        summary="Public notices",
        description="Notices commissioners published, newest first.",
        tags=TAGS,
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="A probation region's code."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="operational_guidance, policy_change, contract_change."
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One notice, by reference",
        description="Public notices for everyone; others for their commissioners and the organisations they were "
        "sent to (404 for anyone else).",
        tags=TAGS,
    ),
    create=extend_schema(
        summary="Send a notice to the lead providers of some contracts",
        description="Commissioners, for contracts in their regions that have not ended. Each contract's lead provider "
        "receives it (one copy per contract) and is told in the service.",
        tags=TAGS,
        request=SendNoticeRequest,
        responses={201: NoticeSerializer},
    ),
)
class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [AllowAny]
    serializer_class = NoticeSerializer
    lookup_field = "reference"

    def get_queryset(self):
        from django.db.models import Prefetch

        from ..models import Contract, Notice

        queryset = Notice.objects.select_related("region", "sent_by_organisation").prefetch_related(
            Prefetch("contracts", queryset=Contract.objects.select_related("lead_provider").order_by("reference"))
        )
        if self.action == "list":
            queryset = queryset.filter(public=True)
            params = self.request.query_params
            errors = {}
            region, kind = params.get("region", ""), params.get("kind", "")
            if region:
                from dynamic_framework.geography.models import Region

                if not Region.objects.filter(code=region).exists():
                    errors["region"] = ["No probation region has that code"]
                queryset = queryset.filter(Q(region__code=region) | Q(contracts__region__code=region)).distinct()
            if kind:
                if kind not in Notice.Kind.values:
                    errors["kind"] = [f"Choose one of {', '.join(Notice.Kind.values)}"]
                queryset = queryset.filter(kind=kind)
            if errors:
                raise ValidationError(errors)
        return queryset.order_by("-sent_at", "-pk")

    def get_object(self):
        notice = super().get_object()
        user = self.request.user
        if not notice.public and not (user.is_authenticated and user.has_perm("contracts.view_notice", notice)):
            raise rf_exceptions.NotFound("No such notice")
        return notice

    def create(self, request):
        from ..models import Contract
        from ..notices import send_notice

        if not request.user.is_authenticated:
            raise rf_exceptions.NotAuthenticated()
        if not request.user.has_perm("contracts.send_notice"):
            raise rf_exceptions.PermissionDenied("Only commissioners send notices.")
        refuse_unknown(request.data, SendNoticeRequest().fields)
        incoming = SendNoticeRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        references = list(dict.fromkeys(data.pop("contracts")))
        found = {c.reference: c for c in Contract.objects.filter(reference__in=references)}
        unknown = [r for r in references if r not in found]
        if unknown:
            raise ValidationError({"contracts": [f"No contract has the reference {r}" for r in unknown]})
        try:
            notice = send_notice(actor=request.user, contracts=[found[r] for r in references], **data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        notice = self.get_queryset().get(pk=notice.pk)
        return Response(NoticeSerializer(notice, context={"request": request}).data, status=status.HTTP_201_CREATED)


# Deliveries ----------


class HasProviderOrganisation(BasePermission):
    message = "Only provider organisations' administrators and staff receive notices."

    def has_permission(self, request, view):
        from dynamic_framework.accounts.rules import member_organisation_ids

        return bool(request.user and request.user.is_authenticated and member_organisation_ids(request.user))


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="delivery.pk")
    notice = serializers.SerializerMethodField(help_text="Reference, kind, title, body, cascade required, public.")
    organisation = serializers.SerializerMethodField(help_text="The organisation it was delivered to.")
    contract = serializers.CharField(source="delivery.contract.reference")
    as_lead_provider = serializers.BooleanField(source="is_lead")
    note = serializers.CharField(source="delivery.note", help_text="The lead provider's note, when passed on.")
    delivered_at = serializers.SerializerMethodField()
    acknowledge_by = serializers.DateField()
    acknowledged_at = serializers.SerializerMethodField()
    acknowledged_late = serializers.BooleanField()
    acknowledgement_overdue = serializers.BooleanField()
    forward_by = serializers.DateField(allow_null=True, help_text="Lead provider's copies: pass it on by this day.")
    forwarded_to = serializers.IntegerField(help_text="Lead provider's copies: organisations it was passed on to.")
    still_to_forward = serializers.SerializerMethodField(help_text="Current supply chain members not yet reached.")
    cascade_overdue = serializers.BooleanField()
    cascade_late = serializers.BooleanField()

    def get_notice(self, state) -> dict:
        n = state.delivery.notice
        return {
            "reference": n.reference,
            "kind": n.kind,
            "title": n.title,
            "body": n.body,
            "cascade_required": n.cascade_required,
            "public": n.public,
            "sent_at": _utc(n.sent_at),
        }

    def get_organisation(self, state) -> dict:
        org = state.delivery.organisation
        return {"name": org.name, "slug": org.slug}

    def get_delivered_at(self, state) -> str:
        return _utc(state.delivery.delivered_at)

    def get_acknowledged_at(self, state) -> str | None:
        return _utc(state.delivery.acknowledged_at)

    def get_still_to_forward(self, state) -> list[dict]:
        return [{"name": m.organisation.name, "slug": m.organisation.slug} for m in state.to_forward]


class ForwardRequest(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


@extend_schema_view(
    list=extend_schema(
        summary="Notices your organisations received",
        description="Newest first: as lead provider (from the commissioner) and as supply chain member (passed on by "
        "the lead provider), with the acknowledgement and passing-on deadlines and overdue flags.",
        tags=TAGS,
        responses=DeliverySerializer(many=True),
    ),
    retrieve=extend_schema(summary="One notice your organisation received", tags=TAGS, responses=DeliverySerializer),
)
class NoticeDeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasProviderOrganisation]
    serializer_class = DeliverySerializer

    def get_queryset(self):
        from dynamic_framework.accounts.rules import member_organisation_ids

        from ..models import NoticeDelivery

        return (
            NoticeDelivery.objects.filter(organisation_id__in=member_organisation_ids(self.request.user))
            .select_related("notice", "contract", "organisation")
            .order_by("-delivered_at", "-pk")
        )

    def _states(self, deliveries):
        from ..notices import delivery_states

        deliveries = list(deliveries)
        states = delivery_states(deliveries)
        return [states[d.pk] for d in deliveries]

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(DeliverySerializer(self._states(page), many=True).data)

    def retrieve(self, request, pk=None):
        return Response(DeliverySerializer(self._states([self.get_object()])[0]).data)

    @extend_schema(summary="Acknowledge a notice", request=None, responses=DeliverySerializer, tags=TAGS)
    @action(detail=True, methods=["post"], url_path="acknowledge", url_name="acknowledge")
    def acknowledge(self, request, pk=None):
        from ..notices import acknowledge

        delivery = self.get_object()
        if not request.user.has_perm("contracts.acknowledge_notice", delivery):
            raise rf_exceptions.PermissionDenied("Only provider administrators and staff acknowledge notices.")
        try:
            acknowledge(actor=request.user, delivery=delivery)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(DeliverySerializer(self._states([self.get_queryset().get(pk=delivery.pk)])[0]).data)

    @extend_schema(
        summary="Pass a notice on to your supply chain",
        description="The lead provider's copy only: it goes to the contract's current supply chain members it has not "
        "reached yet, with the optional note. 400 when there is nobody left to pass it on to.",
        request=ForwardRequest,
        responses={201: DeliverySerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="forward", url_name="forward")
    def forward(self, request, pk=None):
        from ..notices import forward_notice

        delivery = self.get_object()
        if not request.user.has_perm("contracts.forward_notice", delivery):
            raise rf_exceptions.PermissionDenied("Only the lead provider passes a notice on to its supply chain.")
        refuse_unknown(request.data, ForwardRequest().fields)
        incoming = ForwardRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            forward_notice(actor=request.user, delivery=delivery, note=incoming.validated_data.get("note", ""))
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        fresh = self.get_queryset().get(pk=delivery.pk)
        return Response(DeliverySerializer(self._states([fresh])[0]).data, status=status.HTTP_201_CREATED)


# Measures ----------


class MeasurePermission(BasePermission):
    message = "Only commissioners and framework managers see the cascade measure per lead provider."

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("contracts.view_notice_measures"))


@extend_schema_view(
    list=extend_schema(
        summary="How quickly notices reach supply chains",
        description="Over cascade-required notices: for each notice and contract, the supply chain members current "
        "when it was sent, and whether each was reached within 5 working days (England and Wales). Share reached in "
        "time, and the median working days to reach those reached (members never reached count as not reached and "
        "are left out of the median). Overall, per lead provider (code: the organisation's slug) and per region "
        "(code: the region's).",
        tags=TAGS,
        parameters=[OpenApiParameter("region", OpenApiTypes.STR, description="Only contracts in this region.")],
        responses=OpenApiTypes.OBJECT,
    ),
)
class NoticeMeasureViewSet(viewsets.ViewSet):
    permission_classes = [MeasurePermission]

    def list(self, request):
        from dynamic_framework.geography.models import Region

        from ..notices import cascade_measure, measure_row_json

        code = request.query_params.get("region", "")
        regions = None
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                raise ValidationError({"region": ["No probation region has that code"]})
            regions = [region]
        measure = cascade_measure(regions=regions)
        return Response(
            {
                "working_days": 5,
                "overall": measure_row_json(measure.overall),
                "by_lead_provider": [measure_row_json(r) for r in measure.by_lead_provider],
                "by_region": [measure_row_json(r) for r in measure.by_region],
            }
        )


def register(router) -> None:
    """Add these routes to the API router."""
    router.register("notices", NoticeViewSet, basename="notice")
    router.register("notice-deliveries", NoticeDeliveryViewSet, basename="notice-delivery")
    router.register("notice-measures", NoticeMeasureViewSet, basename="notice-measure")
