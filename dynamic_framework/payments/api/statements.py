"""Payments API: payment terms and monthly payment statements (issue 7, statements part; ADR 0016).

- /api/v1/contracts/<reference>/payment-terms/   GET the contract's terms and its subcontracts' terms (commissioners
                                                 of its region and the lead provider: every member; a subcontractor:
                                                 its own). POST sets the contract's terms (the commissioner).
- /api/v1/subcontract-payment-terms/             POST sets a member's terms (the lead provider)
- /api/v1/payment-statements/                    statements the caller may see, newest month first (?contract=);
                                                 a subcontractor sees only its own lines. POST enters a month's
                                                 figures (the lead provider: a draft, or changes the month's draft).
                                                 POST .../<id>/submit/, .../<id>/approve/ and .../<id>/return/
                                                 {"reason"} (the commissioner), .../<id>/adjust/ {"figures"}
- /api/v1/payment-statement-lines/               lines the caller may see; POST .../<id>/payment/
                                                 {"invoiced_on", "paid_on", "invoice_reference"} (the lead provider)

Money is integer pence, shares basis points (2500 is 25%), months YYYY-MM, dates YYYY-MM-DD. A service's refusal
answers 400 with field errors ({"field": ["message"]}) or {"detail": [...]}; someone not allowed 403; not signed in
401; something the caller may not see 404.
"""

from datetime import date

import django.core.exceptions as django_exceptions
from django.db.models import F, Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from dynamic_framework.accounts.rules import commissioner_region_ids, member_organisation_ids
from dynamic_framework.contracts.models import Contract, SupplyChainMember
from dynamic_framework.core.api import PlainDateField, refuse_unknown, refused

from .. import services
from ..models import ContractPaymentTerms, PaymentStatement, StatementLine

TAGS = ["Payment statements"]


class SignedIn(BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)


def _fees(terms) -> dict:
    return {str(f.outcome_id): f.amount_pence for f in terms.outcome_fees.all()}


def contract_terms_json(terms: ContractPaymentTerms | None) -> dict | None:
    if terms is None:
        return None
    return {
        "mechanism": terms.mechanism,
        "instalments": terms.instalments,
        "fixed_share_bp": terms.fixed_share_bp,
        "per_start_pence": terms.per_start_pence,
        "per_completion_pence": terms.per_completion_pence,
        "outcome_fees": _fees(terms),
        "target_measure": terms.target_measure,
        "target_count": terms.target_count,
        "set_at": terms.set_at.isoformat(),
    }


def subcontract_terms_json(member: SupplyChainMember) -> dict:
    terms = getattr(member, "subcontract_terms", None)
    data = {"member": member.pk, "organisation": {"slug": member.organisation.slug, "name": member.organisation.name}}
    if terms is None:
        return {**data, "terms": None}
    return {
        **data,
        "terms": terms.terms,
        "share_bp": terms.share_bp,
        "protected_yearly_pence": terms.protected_yearly_pence,
        "per_start_pence": terms.per_start_pence,
        "per_completion_pence": terms.per_completion_pence,
        "outcome_fees": _fees(terms),
        "target_measure": terms.target_measure,
        "target_count": terms.target_count,
        "conditional_on_prime": terms.conditional_on_prime,
    }


class PaymentTermsContractRequest(serializers.Serializer):
    mechanism = serializers.CharField(
        help_text="fixed_fee, grant, per_person_started, per_person_completed, outcomes or hybrid."
    )
    instalments = serializers.CharField(required=False, default="monthly", help_text="monthly or quarterly.")
    fixed_share_bp = serializers.JSONField(required=False, default=0, help_text="Hybrids: 9000 is 90%.")
    per_start_pence = serializers.JSONField(required=False, default=0)
    per_completion_pence = serializers.JSONField(required=False, default=0)
    outcome_fees = serializers.DictField(
        required=False, default=dict, help_text="Desired outcome id -> pence for each outcome achieved."
    )
    target_measure = serializers.CharField(required=False, allow_blank=True, default="")
    target_count = serializers.JSONField(required=False, default=None)


class PaymentTermsSubcontractRequest(serializers.Serializer):
    member = serializers.IntegerField(help_text="The supply chain member's id.")
    terms = serializers.CharField(help_text="pass_through, protected_fixed_fee or payment_by_results.")
    share_bp = serializers.JSONField(required=False, default=0, help_text="Pass-through: 2500 is 25%.")
    protected_yearly_pence = serializers.JSONField(required=False, default=0)
    per_start_pence = serializers.JSONField(required=False, default=0)
    per_completion_pence = serializers.JSONField(required=False, default=0)
    outcome_fees = serializers.DictField(required=False, default=dict)
    target_measure = serializers.CharField(required=False, allow_blank=True, default="")
    target_count = serializers.JSONField(required=False, default=None)
    conditional_on_prime = serializers.BooleanField(
        required=False, default=False, help_text="The Transforming Rehabilitation rule."
    )


class StatementFiguresItem(serializers.Serializer):
    member = serializers.IntegerField(required=False, allow_null=True, help_text="Empty for the lead provider.")
    started = serializers.JSONField(required=False, default=0)
    completed = serializers.JSONField(required=False, default=0)
    outcomes = serializers.DictField(required=False, default=dict, help_text="Desired outcome id -> count.")
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class StatementEnterRequest(serializers.Serializer):
    contract = serializers.CharField(help_text="The contract's reference.")
    period = serializers.RegexField(
        r"^\d{4}-\d{2}$",
        help_text="The month, YYYY-MM.",
        error_messages={"invalid": "Enter the month as YYYY-MM, like 2026-04"},
    )
    figures = StatementFiguresItem(many=True, required=False, default=list)


class StatementAdjustRequest(serializers.Serializer):
    figures = StatementFiguresItem(many=True, required=False, default=list)


class StatementReturnRequest(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class StatementLinePaymentRequest(serializers.Serializer):
    invoiced_on = PlainDateField(required=False, allow_null=True, help_text="Empty: the date of approval.")
    paid_on = PlainDateField(required=False, allow_null=True)
    invoice_reference = serializers.CharField(required=False, allow_blank=True, default="")


def _figures(items) -> dict:
    result = {}
    for item in items:
        key = item.get("member") or services.LEAD_KEY
        result[key] = {k: v for k, v in item.items() if k != "member"}
    return result


def line_json(line) -> dict:
    return {
        "id": line.pk,
        "statement": line.statement_id,
        "member": line.member_id,
        "organisation": {"slug": line.member.organisation.slug, "name": line.member.organisation.name},
        "terms": line.terms,
        "fixed_part_pence": line.fixed_part_pence,
        "results_part_pence": line.results_part_pence,
        "due_pence": line.due_pence,
        "reason": line.reason,
        "payment": line.payment_id,
    }


class StatementLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    statement = serializers.IntegerField()
    member = serializers.IntegerField()
    organisation = serializers.DictField()
    terms = serializers.CharField()
    fixed_part_pence = serializers.IntegerField()
    results_part_pence = serializers.IntegerField()
    due_pence = serializers.IntegerField()
    reason = serializers.CharField()
    payment = serializers.IntegerField(allow_null=True, help_text="The subcontractor payment recorded against it.")


class StatementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contract = serializers.CharField()
    period = serializers.CharField(help_text="YYYY-MM.")
    adjusts = serializers.IntegerField(allow_null=True, help_text="The approved statement an adjustment corrects.")
    status = serializers.CharField(help_text="draft, returned, waiting or approved.")
    return_reason = serializers.CharField()
    amounts = serializers.DictField(
        allow_null=True, help_text="fixed, results, received, supply_chain_due, prime_keeps (pence); parties only."
    )
    figures = serializers.ListField(allow_null=True, help_text="Per deliverer; parties only.")
    lines = StatementLineSerializer(many=True)
    page_url = serializers.CharField()


def statement_json(statement, *, user) -> dict:
    everything = user.has_perm("payments.view_statements", statement.contract)
    orgs = member_organisation_ids(user)
    lines = [line for line in statement.lines.all() if everything or line.member.organisation_id in orgs]
    return {
        "id": statement.pk,
        "contract": statement.contract.reference,
        "period": statement.period.strftime("%Y-%m"),
        "adjusts": statement.adjusts_id,
        "status": statement.status,
        "return_reason": statement.return_reason,
        "amounts": {
            "fixed_pence": statement.fixed_pence,
            "results_pence": statement.results_pence,
            "received_pence": statement.received_pence,
            "supply_chain_due_pence": statement.supply_chain_due_pence,
            "prime_keeps_pence": statement.prime_keeps_pence,
            "prime_reached_target": statement.prime_reached_target,
        }
        if everything
        else None,
        "figures": [
            {
                "member": f.member_id,
                "started": f.started,
                "completed": f.completed,
                "outcomes": {str(o.outcome_id): o.count for o in f.outcomes.all()},
                "evidence": f.evidence,
            }
            for f in statement.figures.all()
        ]
        if everything
        else None,
        "lines": [line_json(line) for line in lines],
        "page_url": reverse("payments:statement", kwargs={"pk": statement.pk}),
    }


def _contract_or_404(reference) -> Contract:
    contract = Contract.objects.select_related("lead_provider", "region").filter(reference=reference).first()
    if contract is None:
        raise NotFound("No contract has that reference.")
    return contract


# Terms --------------------------------------------------------------------------------------------------------------

REFERENCE = OpenApiParameter(
    "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="The contract's reference."
)


@extend_schema_view(
    list=extend_schema(
        summary="A contract's payment terms",
        description="How the contract pays the lead provider, and each current member's subcontract terms "
        "(a subcontractor sees only its own).",
        tags=TAGS,
        parameters=[REFERENCE],
        responses={200: OpenApiTypes.OBJECT},
    ),
    create=extend_schema(
        summary="Set how the contract pays (a commissioner of its region)",
        tags=TAGS,
        parameters=[REFERENCE],
        request=PaymentTermsContractRequest,
        responses={200: OpenApiTypes.OBJECT},
    ),
)
class ContractTermsViewSet(viewsets.ViewSet):
    permission_classes = [SignedIn]

    def _body(self, request, contract) -> dict:
        everything = request.user.has_perm("payments.view_payment_terms", contract)
        orgs = member_organisation_ids(request.user)
        members = (
            SupplyChainMember.objects.filter(contract=contract)
            .filter(Q(left_on__isnull=True) | Q(left_on__gte=services.today()))
            .select_related("organisation", "subcontract_terms")
            .prefetch_related("subcontract_terms__outcome_fees")
            .order_by("organisation__name", "pk")
        )
        terms = ContractPaymentTerms.objects.filter(contract=contract).prefetch_related("outcome_fees").first()
        return {
            "contract": contract.reference,
            "contract_terms": contract_terms_json(terms) if everything else None,
            "subcontracts": [subcontract_terms_json(m) for m in members if everything or m.organisation_id in orgs],
        }

    def list(self, request, reference=None):
        contract = _contract_or_404(reference)
        if not request.user.has_perm("contracts.view_contract_details", contract):
            raise PermissionDenied("Only the contract's commissioners and organisations see its payment terms.")
        return Response(self._body(request, contract))

    def create(self, request, reference=None):
        contract = _contract_or_404(reference)
        if not request.user.has_perm("payments.set_contract_terms", contract):
            raise PermissionDenied("Only a commissioner of the contract's region sets how it pays.")
        refuse_unknown(request.data, PaymentTermsContractRequest().fields)
        incoming = PaymentTermsContractRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.set_contract_terms(actor=request.user, contract=contract, **incoming.validated_data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(self._body(request, contract))


@extend_schema_view(
    create=extend_schema(
        summary="Set how the lead provider pays a member (the lead provider)",
        tags=TAGS,
        request=PaymentTermsSubcontractRequest,
        responses={200: OpenApiTypes.OBJECT},
    ),
)
class SubcontractTermsViewSet(viewsets.ViewSet):
    permission_classes = [SignedIn]

    def create(self, request):
        refuse_unknown(request.data, PaymentTermsSubcontractRequest().fields)
        incoming = PaymentTermsSubcontractRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        member = SupplyChainMember.objects.select_related("contract", "organisation").filter(pk=data.pop("member"))
        member = member.first()
        if member is None or not request.user.has_perm("contracts.view_member_terms", member):
            raise ValidationError({"member": ["No supply chain member you may see has that id"]})
        if not request.user.has_perm("payments.set_subcontract_terms", member.contract):
            raise PermissionDenied("Only the lead provider's people set its subcontracts' terms.")
        try:
            services.set_subcontract_terms(actor=request.user, member=member, **data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        member = SupplyChainMember.objects.select_related("organisation", "subcontract_terms").get(pk=member.pk)
        return Response(subcontract_terms_json(member))


# Statements ---------------------------------------------------------------------------------------------------------


def _visible_statements(user):
    regions, orgs = commissioner_region_ids(user), member_organisation_ids(user)
    return (
        PaymentStatement.objects.filter(
            Q(contract__region_id__in=regions)
            | Q(contract__lead_provider_id__in=orgs)
            | Q(lines__member__organisation_id__in=orgs)
        )
        .distinct()
        .select_related("contract__lead_provider", "contract__region")
        .prefetch_related("figures__outcomes", "lines__member__organisation")
        .order_by("-period", "contract__reference", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Payment statements you may see",
        description="Newest month first. Filter with ?contract=<reference>. A subcontractor sees its own lines only, "
        "without the lead provider's amounts or figures.",
        tags=TAGS,
        parameters=[OpenApiParameter("contract", OpenApiTypes.STR, description="A contract's reference.")],
        responses={200: StatementSerializer(many=True)},
    ),
    retrieve=extend_schema(summary="One payment statement", tags=TAGS, responses={200: StatementSerializer}),
    create=extend_schema(
        summary="Enter a month's delivery figures (the lead provider)",
        description="Creates the month's draft statement, or changes it while it is a draft. It is worked out at once.",
        tags=TAGS,
        request=StatementEnterRequest,
        responses={201: StatementSerializer},
    ),
)
class StatementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SignedIn]
    serializer_class = StatementSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return _visible_statements(self.request.user)

    def filter_queryset(self, queryset):
        reference = self.request.query_params.get("contract")
        if self.action == "list" and reference:
            return queryset.filter(contract__reference=reference)
        return queryset

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = [statement_json(s, user=request.user) for s in page]
        return self.get_paginated_response(rows)

    def retrieve(self, request, pk=None):
        return Response(statement_json(self.get_object(), user=request.user))

    def _answer(self, statement, code=status.HTTP_200_OK):
        return Response(statement_json(self.get_queryset().get(pk=statement.pk), user=self.request.user), status=code)

    def create(self, request):
        refuse_unknown(request.data, StatementEnterRequest().fields)
        incoming = StatementEnterRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        contract = Contract.objects.select_related("lead_provider").filter(reference=data["contract"]).first()
        if contract is None or not request.user.has_perm("contracts.view_contract_details", contract):
            raise ValidationError({"contract": ["No contract you are a party to has that reference"]})
        if not request.user.has_perm("payments.enter_statement", contract):
            raise PermissionDenied("Only the lead provider's people enter the month's figures.")
        year, month = (int(part) for part in data["period"].split("-"))
        if not 1 <= month <= 12:
            raise ValidationError({"period": ["Enter the month as YYYY-MM, like 2026-04"]})
        try:
            statement = services.enter_figures(
                actor=request.user, contract=contract, period=date(year, month, 1), figures=_figures(data["figures"])
            )
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._answer(statement, status.HTTP_201_CREATED)

    def _allowed(self, request, perm, message):
        statement = self.get_object()
        if not request.user.has_perm(perm, statement.contract):
            raise PermissionDenied(message)
        return statement

    def _act(self, request, perm, message, work, statement=None):
        statement = statement or self._allowed(request, perm, message)
        try:
            result = work(statement)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._answer(result or statement)

    @extend_schema(
        summary="Send a draft to the commissioner (the lead provider)",
        request=None,
        tags=TAGS,
        responses={200: StatementSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._act(
            request,
            "payments.enter_statement",
            "Only the lead provider's people send its statements.",
            lambda s: services.submit_statement(actor=request.user, statement=s),
        )

    @extend_schema(
        summary="Approve a statement waiting for approval (a commissioner)",
        request=None,
        tags=TAGS,
        responses={200: StatementSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._act(
            request,
            "payments.decide_statement",
            "Only a commissioner of the contract's region approves its statements.",
            lambda s: services.approve_statement(actor=request.user, statement=s),
        )

    @extend_schema(
        summary="Send a statement back with a reason (a commissioner)",
        request=StatementReturnRequest,
        tags=TAGS,
        responses={200: StatementSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        perm, message = "payments.decide_statement", "Only a commissioner of the contract's region sends it back."
        statement = self._allowed(request, perm, message)
        refuse_unknown(request.data, StatementReturnRequest().fields)
        incoming = StatementReturnRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        return self._act(
            request,
            perm,
            message,
            lambda s: services.return_statement(actor=request.user, statement=s, **incoming.validated_data),
            statement,
        )

    @extend_schema(
        summary="Correct an approved statement with an adjustment (the lead provider)",
        description="The figures are the corrected figures for the whole month; the adjustment's amounts are the "
        "difference from what was approved.",
        request=StatementAdjustRequest,
        tags=TAGS,
        responses={200: StatementSerializer},
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        perm, message = "payments.enter_statement", "Only the lead provider's people correct its statements."
        statement = self._allowed(request, perm, message)
        refuse_unknown(request.data, StatementAdjustRequest().fields)
        incoming = StatementAdjustRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        figures = _figures(incoming.validated_data["figures"])
        return self._act(
            request,
            perm,
            message,
            lambda s: services.create_adjustment(actor=request.user, statement=s, figures=figures),
            statement,
        )


@extend_schema_view(
    list=extend_schema(
        summary="Statement lines you may see", tags=TAGS, responses={200: StatementLineSerializer(many=True)}
    ),
    retrieve=extend_schema(summary="One statement line", tags=TAGS, responses={200: StatementLineSerializer}),
)
class LineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SignedIn]
    serializer_class = StatementLineSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        regions, orgs = commissioner_region_ids(self.request.user), member_organisation_ids(self.request.user)
        return (
            StatementLine.objects.filter(
                Q(statement__contract__region_id__in=regions)
                | Q(statement__contract__lead_provider_id__in=orgs)
                | (
                    Q(member__organisation_id__in=orgs)
                    & ~Q(member__organisation_id=F("statement__contract__lead_provider_id"))
                )
            )
            .select_related("statement__contract", "member__organisation")
            .order_by("-statement__period", "-statement_id", "pk")
        )

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([line_json(line) for line in page])

    def retrieve(self, request, pk=None):
        return Response(line_json(self.get_object()))

    @extend_schema(
        summary="Record the payment made against a line (the lead provider)",
        description="Creates a payment to the subcontractor (invoiced on the approval date unless given), which the "
        "payment timeliness measure counts.",
        request=StatementLinePaymentRequest,
        tags=TAGS,
        responses={200: StatementLineSerializer},
    )
    @action(detail=True, methods=["post"])
    def payment(self, request, pk=None):
        line = self.get_object()
        if not request.user.has_perm("payments.record_statement_payment", line.statement.contract):
            raise PermissionDenied("Only the lead provider's people record its payments.")
        refuse_unknown(request.data, StatementLinePaymentRequest().fields)
        incoming = StatementLinePaymentRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            services.record_line_payment(actor=request.user, line=line, **incoming.validated_data)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return Response(line_json(self.get_queryset().get(pk=line.pk)))


def register(router) -> None:
    """Add these routes to the API router."""
    router.register(r"contracts/(?P<reference>[^/.]+)/payment-terms", ContractTermsViewSet, basename="payment-terms")
    router.register(r"subcontract-payment-terms", SubcontractTermsViewSet, basename="subcontract-payment-terms")
    router.register(r"payment-statements", StatementViewSet, basename="payment-statement")
    router.register(r"payment-statement-lines", LineViewSet, basename="payment-statement-line")
