"""The supply chain API: members with their terms, changes, payments to subcontractors and the per-provider summary.

- /api/v1/contracts/<reference>/supply-chain/   the contract's parties (contracts.view_contract_details): every
                                                member, current and past; the terms of each member the caller may
                                                see (commissioners and the lead provider: all; a subcontractor: its
                                                own), with its payment figures
- /api/v1/supply-chain-changes/                 changes the caller may see (their regions' contracts, their
                                                organisations' contracts as lead provider, changes concerning their
                                                organisations). POST proposes one (the lead provider); POST
                                                .../<id>/decide/ {"approve": true|false, "reason": "..."} (the
                                                commissioner); POST .../<id>/withdraw/ (the lead provider)
- /api/v1/subcontractor-payments/               payments the caller may see (the same rule); POST records one (the lead
                                                provider); POST .../<id>/mark-paid/ {"paid_on": "YYYY-MM-DD"}
- /api/v1/supply-chain-payment-summary/         commissioners: per lead provider in one of their regions (?region=A)

Dates are YYYY-MM-DD, money integer pence, percentage shares basis points (2500 is 25%). A service's refusal answers
400 with field errors ({"field": ["message"]}) or {"detail": [...]}; someone not allowed 403; not signed in 401;
something the caller may not see 404.
"""

import django.core.exceptions as django_exceptions
from django.db.models import Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from dynamic_framework.accounts.rules import commissioner_region_ids, member_organisation_ids
from dynamic_framework.core.api import refuse_unknown, refused

from .. import supply_chain as services
from ..models import Contract, SubcontractorPayment, SupplyChainChange, SupplyChainMember

TAGS = ["Supply chains"]


class SignedIn(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


def _visible_q(user, prefix: str) -> Q:
    """Rows (by `prefix` to the contract) the user may see: their commissioned regions' contracts, contracts their
    organisations lead, and rows concerning their organisations (member_q is added by the caller)."""
    regions, orgs = commissioner_region_ids(user), member_organisation_ids(user)
    return Q(**{f"{prefix}region_id__in": regions}) | Q(**{f"{prefix}lead_provider_id__in": orgs})


# Serializers ----------------------------------------------------------------------------------------------------------


class TermsSerializer(serializers.Serializer):
    service = serializers.CharField(allow_blank=True, help_text="What the member does, in plain words.")
    share_type = serializers.ChoiceField(choices=["percent", "amount"], help_text="percent or amount.")
    share_value = serializers.IntegerField(help_text="Basis points (2500 is 25%) for percent; pence for amount.")
    payment_terms = serializers.ChoiceField(choices=["fixed_fee", "pass_through", "payment_by_results"])
    material = serializers.BooleanField(help_text="A material subcontractor: removing or replacing it needs approval.")


def _member_json(member, *, terms: bool, figures=None) -> dict:
    data = {
        "id": member.pk,
        "organisation": {"slug": member.organisation.slug, "name": member.organisation.name},
        "role": member.role,
        "joined_on": member.joined_on.isoformat() if member.joined_on else None,
        "left_on": member.left_on.isoformat() if member.left_on else None,
        "current": services.is_current(member),
    }
    if terms:
        data["terms"] = services.member_terms(member)
        data["payments"] = figures
    return data


class MemberSerializer(serializers.Serializer):
    """A supply chain member; terms and payment figures only for those who may see them."""

    id = serializers.IntegerField()
    organisation = serializers.DictField()
    role = serializers.CharField()
    joined_on = serializers.DateField(allow_null=True)
    left_on = serializers.DateField(allow_null=True, help_text="Its last day in the supply chain.")
    current = serializers.BooleanField()
    terms = TermsSerializer(required=False)
    payments = serializers.DictField(required=False, help_text="payments, paid, paid_on_time, late, median_days...")


class ChangeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    contract = serializers.CharField(source="contract.reference")
    kind = serializers.CharField()
    title = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(help_text="waiting, applied, refused or withdrawn.")
    member = serializers.SerializerMethodField(help_text="The member removed, replaced or whose terms change.")
    organisation = serializers.SerializerMethodField(help_text="The organisation added, or the replacement.")
    terms = serializers.JSONField(help_text="The new terms; for a change of terms, `previous` has the old ones.")
    effective_on = serializers.DateField()
    takes_effect_on = serializers.SerializerMethodField(help_text="effective_on, or the decision day if later.")
    reason = serializers.CharField()
    proposed_at = serializers.DateTimeField()
    needs_approval = serializers.BooleanField()
    decided_at = serializers.DateTimeField(allow_null=True)
    approved = serializers.BooleanField(allow_null=True)
    decision_reason = serializers.CharField()
    applied_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    page_url = serializers.SerializerMethodField()

    def get_title(self, change) -> str:
        return services.change_title(change)

    def get_status(self, change) -> str:
        return services.change_status(change)

    def get_member(self, change) -> dict | None:
        if not change.member_id:
            return None
        return {"id": change.member_id, "organisation": change.member.organisation.slug}

    def get_organisation(self, change) -> dict | None:
        if not change.organisation_id:
            return None
        return {"slug": change.organisation.slug, "name": change.organisation.name}

    def get_takes_effect_on(self, change) -> str:
        return services.takes_effect_on(change).isoformat()

    def get_page_url(self, change) -> str:
        return reverse("contracts:supply-chain-change", kwargs={"pk": change.pk})


class ProposeRequest(serializers.Serializer):
    contract = serializers.CharField(help_text="The contract's reference.")
    kind = serializers.ChoiceField(choices=SupplyChainChange.Kind.values)
    member = serializers.IntegerField(required=False, allow_null=True, help_text="The member's id (not for add).")
    organisation = serializers.CharField(
        required=False, allow_blank=True, help_text="The slug of the organisation added, or the replacement."
    )
    terms = serializers.DictField(required=False, help_text="service, share_type, share_value, payment_terms, material")
    effective_on = serializers.DateField(help_text="The first day of the new arrangement, YYYY-MM-DD.")
    reason = serializers.CharField(allow_blank=True)


class DecideRequest(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)


class PaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    contract = serializers.CharField(source="member.contract.reference")
    member = serializers.IntegerField(source="member_id")
    organisation = serializers.CharField(source="member.organisation.slug")
    invoice_reference = serializers.CharField()
    invoiced_on = serializers.DateField()
    paid_on = serializers.DateField(allow_null=True)
    amount_pence = serializers.IntegerField()
    days = serializers.SerializerMethodField(help_text="Days to pay; for a payment not made yet, days so far.")
    late = serializers.SerializerMethodField(help_text="More than 30 days.")

    def get_days(self, payment) -> int:
        return services.payment_days(payment)

    def get_late(self, payment) -> bool:
        return services.payment_days(payment) > services.PAYMENT_DAYS


class PaymentRequest(serializers.Serializer):
    member = serializers.IntegerField(help_text="The supply chain member's id.")
    invoiced_on = serializers.DateField()
    amount_pence = serializers.IntegerField()
    paid_on = serializers.DateField(required=False, allow_null=True)
    invoice_reference = serializers.CharField(required=False, allow_blank=True)


class MarkPaidRequest(serializers.Serializer):
    paid_on = serializers.DateField()


class ProviderSummarySerializer(serializers.Serializer):
    organisation = serializers.SerializerMethodField()
    contracts = serializers.IntegerField()
    subcontracts = serializers.IntegerField()
    subcontracts_with_payments = serializers.IntegerField()
    payments = serializers.IntegerField()
    paid = serializers.IntegerField()
    due = serializers.IntegerField(help_text="Paid, or not paid and more than 30 days since the invoice.")
    paid_on_time = serializers.IntegerField()
    share_on_time = serializers.FloatField(allow_null=True, help_text="Percent of the payments due paid on time.")
    late = serializers.IntegerField()
    late_unpaid = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)

    def get_organisation(self, row) -> dict:
        return {"slug": row["organisation"].slug, "name": row["organisation"].name}


# Members -----------------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="A contract's supply chain with terms",
        description="Every member, current and past. Commissioners for the contract's region and the lead provider "
        "see every member's terms and payment figures; a subcontractor its own. Others 403.",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The contract's reference."
            )
        ],
        responses={200: MemberSerializer(many=True)},
    )
)
class ContractSupplyChainViewSet(viewsets.ViewSet):
    permission_classes = [SignedIn]

    def list(self, request, reference=None):
        contract = Contract.objects.select_related("lead_provider").filter(reference=reference).first()
        if contract is None:
            raise NotFound("No contract has that reference.")
        if not request.user.has_perm("contracts.view_contract_details", contract):
            raise PermissionDenied("Only the contract's commissioners and organisations see its supply chain terms.")
        members = list(contract.supply_chain.select_related("organisation").order_by("organisation__name", "pk"))
        for member in members:
            member.contract = contract  # the permission checks read it: no query per member
        allowed = [m for m in members if request.user.has_perm("contracts.view_member_terms", m)]
        figures = services.member_timeliness(allowed)
        return Response([_member_json(m, terms=m in allowed, figures=figures.get(m.pk)) for m in members])


# Changes -----------------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Supply chain changes you may see",
        description="Newest first. Filter with ?contract=<reference>.",
        tags=TAGS,
        parameters=[OpenApiParameter("contract", OpenApiTypes.STR, description="A contract's reference.")],
    ),
    retrieve=extend_schema(summary="One supply chain change", tags=TAGS),
    create=extend_schema(
        summary="Propose a change (the lead provider)",
        description="add (organisation, terms), remove (member), replace (member, organisation, terms) or "
        "change_terms (member, terms). Removing or replacing a material subcontractor waits for the commissioner; "
        "anything else is made at once. The organisations concerned are told.",
        tags=TAGS,
        request=ProposeRequest,
        responses={201: ChangeSerializer},
    ),
)
class SupplyChainChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [SignedIn]
    serializer_class = ChangeSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        user = self.request.user
        orgs = member_organisation_ids(user)
        return (
            SupplyChainChange.objects.filter(
                _visible_q(user, "contract__") | Q(member__organisation_id__in=orgs) | Q(organisation_id__in=orgs)
            )
            .select_related("contract__lead_provider", "contract__region", "member__organisation", "organisation")
            .order_by("-proposed_at", "-pk")
        )

    def filter_queryset(self, queryset):
        reference = self.request.query_params.get("contract")
        if self.action == "list" and reference:
            return queryset.filter(contract__reference=reference)
        return queryset

    def create(self, request):
        from dynamic_framework.organisations.models import Organisation

        refuse_unknown(request.data, ProposeRequest().fields)
        incoming = ProposeRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        contract = Contract.objects.filter(reference=data["contract"]).first()
        if contract is None or not request.user.has_perm("contracts.view_contract_details", contract):
            raise ValidationError({"contract": ["No contract you are a party to has that reference"]})
        if not request.user.has_perm("contracts.propose_supply_chain_change", contract):
            raise PermissionDenied("Only the lead provider's people propose changes to its supply chain.")
        member = None
        if data.get("member"):
            member = SupplyChainMember.objects.filter(pk=data["member"], contract=contract).first()
            if member is None:
                raise ValidationError({"member": ["No member of this contract's supply chain has that id"]})
        organisation = None
        if data.get("organisation"):
            organisation = Organisation.objects.filter(slug=data["organisation"]).first()
            if organisation is None:
                raise ValidationError({"organisation": ["No organisation has that slug"]})
        try:
            change = services.propose_change(
                actor=request.user,
                contract=contract,
                kind=data["kind"],
                member=member,
                organisation=organisation,
                terms=data.get("terms"),
                effective_on=data["effective_on"],
                reason=data["reason"],
            )
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(ChangeSerializer(self.get_queryset().get(pk=change.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve or refuse a change waiting for a decision (the commissioner)",
        description="A reason is needed either way. An approved change whose date has passed takes effect today.",
        request=DecideRequest,
        responses={200: ChangeSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        change = self.get_object()
        if not request.user.has_perm("contracts.decide_supply_chain_change", change.contract):
            raise PermissionDenied("Only commissioners for the contract's region decide supply chain changes.")
        refuse_unknown(request.data, DecideRequest().fields)
        incoming = DecideRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.decide_change(actor=request.user, change=change, **incoming.validated_data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(ChangeSerializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(
        summary="Withdraw a change waiting for a decision (the lead provider)",
        request=None,
        responses={200: ChangeSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change = self.get_object()
        if not request.user.has_perm("contracts.propose_supply_chain_change", change.contract):
            raise PermissionDenied("Only the lead provider's people withdraw its changes.")
        try:
            services.withdraw_change(actor=request.user, change=change)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(ChangeSerializer(self.get_queryset().get(pk=change.pk)).data)


# Payments --------------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Payments to subcontractors you may see",
        description="Newest invoice first, with days to pay and whether late (more than 30 days). Filter with "
        "?contract=<reference> or ?member=<id>.",
        tags=TAGS,
        parameters=[
            OpenApiParameter("contract", OpenApiTypes.STR, description="A contract's reference."),
            OpenApiParameter("member", OpenApiTypes.INT, description="A supply chain member's id."),
        ],
    ),
    retrieve=extend_schema(summary="One payment to a subcontractor", tags=TAGS),
    create=extend_schema(
        summary="Record an invoice or a payment (the lead provider)",
        tags=TAGS,
        request=PaymentRequest,
        responses={201: PaymentSerializer},
    ),
)
class SubcontractorPaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [SignedIn]
    serializer_class = PaymentSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        user = self.request.user
        orgs = member_organisation_ids(user)
        return services.with_days(
            SubcontractorPayment.objects.filter(
                _visible_q(user, "member__contract__") | Q(member__organisation_id__in=orgs)
            )
            .select_related("member__contract", "member__organisation")
            .order_by("-invoiced_on", "-pk")
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        reference, member = self.request.query_params.get("contract"), self.request.query_params.get("member")
        if reference:
            queryset = queryset.filter(member__contract__reference=reference)
        if member:
            if not member.isdigit():
                raise ValidationError({"member": ["Give a member's id, a whole number"]})
            queryset = queryset.filter(member_id=int(member))
        return queryset

    def _one(self, pk, code=status.HTTP_200_OK):
        return Response(PaymentSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request):
        refuse_unknown(request.data, PaymentRequest().fields)
        incoming = PaymentRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        member = SupplyChainMember.objects.select_related("contract").filter(pk=data.pop("member")).first()
        if member is None or not request.user.has_perm("contracts.view_member_terms", member):
            raise ValidationError({"member": ["No supply chain member you may see has that id"]})
        if not request.user.has_perm("contracts.record_subcontractor_payment", member.contract):
            raise PermissionDenied("Only the lead provider's people record payments to its subcontractors.")
        try:
            payment = services.record_payment(actor=request.user, member=member, **data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._one(payment.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the day an invoice was paid (the lead provider)",
        request=MarkPaidRequest,
        responses={200: PaymentSerializer},
        tags=TAGS,
    )
    @action(detail=True, methods=["post"], url_path="mark-paid", url_name="mark-paid")
    def mark_paid(self, request, pk=None):
        payment = self.get_object()
        if not request.user.has_perm("contracts.record_subcontractor_payment", payment.member.contract):
            raise PermissionDenied("Only the lead provider's people record payments to its subcontractors.")
        refuse_unknown(request.data, MarkPaidRequest().fields)
        incoming = MarkPaidRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.mark_paid(actor=request.user, payment=payment, paid_on=incoming.validated_data["paid_on"])
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._one(payment.pk)


# The per-provider summary -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Payments to subcontractors per lead provider (commissioners)",
        description="For one of the regions you commission for (?region=<code>; the first by name if not given): "
        "each lead provider's contracts, subcontracts, payments, the share of payments due paid within 30 days, "
        "late payments and the median days to pay.",
        tags=TAGS,
        parameters=[OpenApiParameter("region", OpenApiTypes.STR, description="A region's code, like A.")],
        responses={200: ProviderSummarySerializer(many=True)},
    )
)
class PaymentSummaryViewSet(viewsets.ViewSet):
    permission_classes = [SignedIn]

    def list(self, request):
        from dynamic_framework.geography.models import Region

        if not request.user.has_perm("contracts.view_payment_summary"):
            raise PermissionDenied("Only commissioners see the payment summary.")
        regions = list(Region.objects.filter(pk__in=commissioner_region_ids(request.user)).order_by("name"))
        code = request.query_params.get("region")
        if code:
            region = next((r for r in regions if r.code == code), None)
            if region is None:
                raise ValidationError({"region": ["Give the code of a region you commission for"]})
        else:
            region = regions[0] if regions else None
        rows = services.provider_summary(Contract.objects.filter(region=region)) if region else []
        return Response(ProviderSummarySerializer(rows, many=True).data)


def register(router) -> None:
    """Add these routes to the API router."""
    router.register(
        r"contracts/(?P<reference>[^/.]+)/supply-chain", ContractSupplyChainViewSet, basename="contract-supply-chain"
    )
    router.register(r"supply-chain-changes", SupplyChainChangeViewSet, basename="supply-chain-change")
    router.register(r"subcontractor-payments", SubcontractorPaymentViewSet, basename="subcontractor-payment")
    router.register(r"supply-chain-payment-summary", PaymentSummaryViewSet, basename="supply-chain-payment-summary")
