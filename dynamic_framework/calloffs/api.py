"""The call-offs API: opportunities (public), and the whole competition for those allowed to take part.

Each group of routes is in its own block below, with a function that adds them; register() calls each block's.

- /api/v1/opportunities/            public, read-only: published call-offs with the Opportunities page's filters
                                    (a bad value answers 400 with the field's message), and one by reference with
                                    everything on its public page. Times are ISO 8601 in UTC, money integer pence.
                                    Never the number of bids or who bid; the winners only once the award is final.
- /api/v1/bids/                     provider members: their organisations' bids as lead provider (start, save the
                                    draft, submit with an Idempotency-Key header, withdraw). Someone else's bid
                                    answers 404, never 403 (see the Bids block).
"""

from datetime import UTC

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

# Opportunities (public, read-only) ------------------------------------------------------------------------------


def _utc(moment) -> str | None:
    """ISO 8601 in UTC, like 2026-06-01T09:00:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


class OpportunitySerializer(serializers.Serializer):
    """What the list gives for each published call-off."""

    reference = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="open, closed, awarded, cancelled or no_award.")
    status_label = serializers.SerializerMethodField()
    funding_mechanism = serializers.CharField(help_text="grant or contract.")
    region = serializers.SerializerMethodField(help_text="The probation region: code and name.")
    categories = serializers.SerializerMethodField(help_text="Service categories: slug and name.")
    lots = serializers.SerializerMethodField(help_text="Each lot: position, name, kind and PCC area slugs.")
    total_value_pence = serializers.IntegerField(help_text="The most all lots can cost over all years, in pence.")
    published_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC.")
    deadline_at = serializers.SerializerMethodField(help_text="The deadline for bids: ISO 8601, UTC.")
    page_url = serializers.SerializerMethodField(help_text="The public page.")
    api_url = serializers.SerializerMethodField()

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    def get_status(self, call_off) -> str:
        from .views.opportunities import public_status

        return public_status(call_off, self._now())

    def get_status_label(self, call_off) -> str:
        from .forms_opportunities import PUBLIC_STATUSES

        return str(PUBLIC_STATUSES[self.get_status(call_off)])

    def get_region(self, call_off) -> dict:
        return {"code": call_off.region.code, "name": call_off.region.name}

    def get_categories(self, call_off) -> list[dict]:
        return [{"slug": c.slug, "name": c.name} for c in call_off.categories.all()]

    def _lot(self, lot) -> dict:
        return {
            "position": lot.position,
            "name": lot.name,
            "kind": lot.kind,
            "pcc_areas": sorted(a.slug for a in lot.pcc_areas.all()),
        }

    def get_lots(self, call_off) -> list[dict]:
        return [self._lot(lot) for lot in call_off.lots.all()]

    def get_published_at(self, call_off) -> str | None:
        return _utc(call_off.published_at)

    def get_deadline_at(self, call_off) -> str:
        return _utc(call_off.deadline_at)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_page_url(self, call_off) -> str:
        return self._absolute(reverse("calloffs:opportunity", kwargs={"reference": call_off.reference}))

    def get_api_url(self, call_off) -> str:
        return self._absolute(reverse("api:opportunity-detail", kwargs={"reference": call_off.reference}))


class OpportunityDetailSerializer(OpportunitySerializer):
    """Everything on the public page."""

    funding_reason = serializers.CharField(help_text="Why a grant or a contract.")
    co_commissioner = serializers.SerializerMethodField()
    cohort = serializers.SerializerMethodField(help_text="Who the service is for: sex, ages, note and in words.")
    term = serializers.SerializerMethodField(help_text="Start date, length in months and extension options.")
    criteria = serializers.SerializerMethodField(
        help_text="How bids are scored: quality questions with weights and word limits, price and social value "
        "weights, the minimum quality score, the scoring scale, the price formula and the tie-break rule."
    )
    timetable = serializers.SerializerMethodField(help_text="Times ISO 8601 in UTC; dates as YYYY-MM-DD.")
    documents = serializers.SerializerMethodField(help_text="Published documents, with download URLs.")
    amendments = serializers.SerializerMethodField(help_text="Each published change, with what changed.")
    questions_and_answers = serializers.SerializerMethodField(
        help_text="Published questions and their answers (never who asked)."
    )
    cancelled_reason = serializers.SerializerMethodField()
    no_award_reason = serializers.SerializerMethodField()
    winners = serializers.SerializerMethodField(
        help_text="Once the award is confirmed: the winning organisation for each lot. Empty before."
    )

    def get_co_commissioner(self, call_off) -> dict | None:
        body = call_off.co_commissioner
        return {"slug": body.slug, "name": body.name} if body else None

    def get_cohort(self, call_off) -> dict:
        from .views.opportunities import cohort_text

        return {
            "sex": call_off.cohort_sex,
            "min_age": call_off.cohort_min_age,
            "max_age": call_off.cohort_max_age,
            "note": call_off.cohort_note,
            "text": cohort_text(call_off),
        }

    def get_term(self, call_off) -> dict:
        return {
            "start": _date(call_off.term_start),
            "months": call_off.term_months,
            "extension_months": list(call_off.extension_months or []),
        }

    def get_lots(self, call_off) -> list[dict]:
        out = []
        for lot in call_off.lots.all():
            years = list(lot.years.all())
            out.append(
                {
                    **self._lot(lot),
                    "years": [
                        {
                            "financial_year": y.financial_year,
                            "label": y.label,
                            "max_value_pence": y.max_value_pence,
                            "expected_people": y.expected_people,
                        }
                        for y in years
                    ],
                    "total_value_pence": sum(y.max_value_pence for y in years),
                }
            )
        return out

    def get_criteria(self, call_off) -> dict:
        from .models import SCORE_SCALE, TIE_BREAK_RULE

        questions = list(call_off.quality_questions.all())
        return {
            "quality_questions": [
                {
                    "position": q.position,
                    "question": q.question,
                    "guidance": q.guidance,
                    "word_limit": q.word_limit,
                    "weight": q.weight,
                }
                for q in questions
            ],
            "quality_weight": sum(q.weight for q in questions),
            "price_weight": call_off.price_weight,
            "social_value_weight": call_off.social_value_weight,
            "social_value_question": call_off.social_value_question,
            "social_value_word_limit": call_off.social_value_word_limit,
            "minimum_quality_percent": call_off.minimum_quality_percent,
            "score_scale": [{"score": score, "meaning": str(text)} for score, text in sorted(SCORE_SCALE.items())],
            "price_formula": "lowest compliant price for the lot / bid price for the lot x price weight",
            "tie_break_rule": str(TIE_BREAK_RULE),
        }

    def get_timetable(self, call_off) -> dict:
        return {
            "published_at": _utc(call_off.published_at),
            "questions_close_at": _utc(call_off.questions_close_at),
            "deadline_at": _utc(call_off.deadline_at),
            "expected_award_on": _date(call_off.expected_award_on),
            "standstill_days": call_off.standstill_days,
            "term_start": _date(call_off.term_start),
        }

    def get_documents(self, call_off) -> list[dict]:
        return [
            {
                "title": d.title,
                "file_name": d.original_name,
                "content_type": d.content_type,
                "size_bytes": d.size_bytes,
                "sha256": d.sha256,
                "uploaded_at": _utc(d.uploaded_at),
                "download_url": self._absolute(
                    reverse("calloffs:document", kwargs={"reference": call_off.reference, "pk": d.pk})
                ),
            }
            for d in call_off.public_documents
        ]

    def get_amendments(self, call_off) -> list[dict]:
        return [
            {"number": a.number, "summary": a.summary, "changes": a.changes, "published_at": _utc(a.published_at)}
            for a in call_off.amendments.all()
        ]

    def get_questions_and_answers(self, call_off) -> list[dict]:
        return [
            {"question": q.published_question, "answer": q.answer, "answered_at": _utc(q.answered_at)}
            for q in call_off.published_answers
        ]

    def get_cancelled_reason(self, call_off) -> str | None:
        return call_off.cancelled_reason if call_off.cancelled_at else None

    def get_no_award_reason(self, call_off) -> str | None:
        return call_off.no_award_reason if call_off.no_award_at else None

    def get_winners(self, call_off) -> list[dict]:
        from .views.opportunities import winners

        if self.get_status(call_off) != "awarded":
            return []
        by_lot = winners(call_off)
        return [
            {"lot": lot.position, "organisation": {"slug": by_lot[lot.pk].slug, "name": by_lot[lot.pk].name}}
            for lot in call_off.lots.all()
            if lot.pk in by_lot
        ]


OPPORTUNITY_FILTER_PARAMETERS = [
    OpenApiParameter("category", OpenApiTypes.STR, description="Service category slug, like women."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Probation region code, like A."),
    OpenApiParameter("pcc_area", OpenApiTypes.STR, description="PCC area slug, like durham: a lot covers it."),
    OpenApiParameter("funding", OpenApiTypes.STR, enum=["grant", "contract"], description="Grant or contract."),
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=["open", "closed", "awarded", "cancelled", "no_award"],
        description="open: open for bids now. Without it, every published call-off.",
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Published opportunities (call-off competitions)",
        description="Published call-offs: open ones first, soonest deadline first, then the others, most recent "
        "deadline first. Filters as on the Opportunities page; a value that names nothing answers 400 with a "
        "message for that parameter. Money in integer pence, times ISO 8601 in UTC.",
        tags=["Opportunities"],
        parameters=OPPORTUNITY_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="One opportunity, by reference",
        description="Everything on its public page: lots with values per financial year, how bids are scored, the "
        "timetable, documents with download URLs, amendments, published questions and answers (never who asked), "
        "status, and the winners once the award is confirmed. 404 before publication.",
        tags=["Opportunities"],
    ),
)
class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "reference"

    def get_serializer_class(self):
        return OpportunityDetailSerializer if self.action == "retrieve" else OpportunitySerializer

    def get_queryset(self):
        from .views.opportunities import Lookups, opportunity_detail_queryset, opportunity_list

        if self.action != "list":
            return opportunity_detail_queryset()
        form = Lookups.load().filter_form(self.request.query_params)
        if form.is_bound and not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return opportunity_list(form.filters(), timezone.now())


def _register_opportunities(router) -> None:
    router.register("opportunities", OpportunityViewSet, basename="opportunity")


# Bids ---------------------------------------------------------------------------------------------------------------
# /api/v1/bids/ for provider members: their own organisations' bids as lead provider. Someone else's bid answers 404
# (never 403), so nobody learns whether an organisation has bid. Content (the draft, money in pence, percentages in
# basis points) is read only through services.bid_content, for the bidder.

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied  # noqa: E402
from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from rest_framework import decorators as drf_decorators  # noqa: E402
from rest_framework import exceptions as drf_exceptions  # noqa: E402
from rest_framework import mixins, status  # noqa: E402
from rest_framework import response as drf_response  # noqa: E402
from rest_framework.permissions import BasePermission  # noqa: E402

BID_CONTENT_KEYS = ("lots", "answers", "social_value", "supply_chain")


def _service_errors(exc: DjangoValidationError) -> dict:
    """A service's ValidationError as DRF field errors."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _bid_status(bid, now) -> str:
    """As services.needs_reconfirmation, with the latest amendment's time annotated (no query per bid)."""
    if bid.has_letter:
        return "outcome_available"
    if bid.is_live:
        changed = bid.latest_amendment_at is not None and bid.latest_submission.submitted_at < bid.latest_amendment_at
        return "needs_submitting_again" if changed else "submitted"
    if bid.withdrawn_at:
        return "withdrawn"
    if not bid.call_off.open_for_bids(now):
        return "not_submitted"
    return "draft"


class BidSubmissionSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 for the first submission, then 2, ...")
    receipt = serializers.CharField(help_text="The receipt reference, like BID-ABCD-EFGH.")
    submitted_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC, to the second.")
    digest = serializers.CharField(help_text="SHA-256 of the canonical JSON of exactly what was submitted.")

    def get_submitted_at(self, submission) -> str:
        return _utc(submission.submitted_at)


class BidSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    call_off = serializers.SerializerMethodField(help_text="Reference, title and deadline (ISO 8601, UTC).")
    organisation = serializers.SerializerMethodField(help_text="The lead provider: slug and name.")
    status = serializers.SerializerMethodField(
        help_text="draft, submitted, withdrawn, needs_submitting_again (the call-off changed after the latest "
        "submission), not_submitted (closed without a live submission) or outcome_available."
    )
    lots_priced = serializers.SerializerMethodField(help_text="The lots in the draft: id, position and name.")
    latest_submission = serializers.SerializerMethodField(help_text="The latest receipt and digest, or null.")
    updated_at = serializers.SerializerMethodField(help_text="When the draft was last saved: ISO 8601, UTC.")

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    def _draft(self, bid) -> dict:
        from .services import bid_content

        cache = self.context.setdefault("drafts", {})
        if bid.pk not in cache:
            cache[bid.pk] = bid_content(bid, actor=self.context["request"].user)
        return cache[bid.pk]

    def get_call_off(self, bid) -> dict:
        return {
            "reference": bid.call_off.reference,
            "title": bid.call_off.title,
            "deadline_at": _utc(bid.call_off.deadline_at),
        }

    def get_organisation(self, bid) -> dict:
        return {"slug": bid.organisation.slug, "name": bid.organisation.name}

    def get_status(self, bid) -> str:
        return _bid_status(bid, self._now())

    def get_lots_priced(self, bid) -> list[dict]:
        chosen = self._draft(bid).get("lots") or {}
        return [
            {"id": lot.pk, "position": lot.position, "name": lot.name}
            for lot in bid.call_off.lots.all()
            if str(lot.pk) in chosen
        ]

    def get_latest_submission(self, bid) -> dict | None:
        submission = bid.latest_submission
        return BidSubmissionSerializer(submission).data if submission is not None else None

    def get_updated_at(self, bid) -> str:
        return _utc(bid.updated_at)


class BidDetailSerializer(BidSerializer):
    submissions = serializers.SerializerMethodField(help_text="Every submission, latest first.")
    content = serializers.SerializerMethodField(
        help_text="The draft, for the bidder only: lots (lot id -> years: financial year -> price in pence), answers "
        "(question id -> text), social_value, and supply_chain (organisation id or name, role, share_type percent or "
        "amount, share_value in basis points or pence, payment_terms, material)."
    )

    def get_submissions(self, bid) -> list[dict]:
        return BidSubmissionSerializer(bid.submissions.order_by("-number"), many=True).data

    def get_content(self, bid) -> dict:
        return self._draft(bid)


class StartBidSerializer(serializers.Serializer):
    call_off = serializers.CharField(help_text="The call-off's reference, like DFC-ABCD-EFGH.")
    organisation = serializers.CharField(
        required=False, help_text="Your organisation's slug: needed only if you belong to more than one."
    )


class BidContentSerializer(serializers.Serializer):
    lots = serializers.DictField(required=False, help_text='Lot id -> {"years": {financial year: pence}}.')
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    social_value = serializers.CharField(required=False, allow_blank=True)
    supply_chain = serializers.ListField(child=serializers.DictField(), required=False, max_length=10)


class IsProviderMember(BasePermission):
    """Signed in (401 otherwise); listing and starting bids need a provider organisation (403 otherwise). One
    bid's routes are a 404 for anyone whose organisations did not make it (see get_queryset)."""

    message = "Only provider organisations' administrators and staff have bids."

    def has_permission(self, request, view):
        from dynamic_framework.accounts.rules import member_organisation_ids

        if not (request.user and request.user.is_authenticated):
            return False
        if view.action in ("list", "create"):
            return bool(member_organisation_ids(request.user))
        return True


@extend_schema_view(
    list=extend_schema(
        summary="Your organisations' bids",
        description="Bids your organisations lead, newest deadline first: status, lots in the draft and the latest "
        "receipt with its SHA-256 digest. Provider administrators and staff only.",
        tags=["Bids"],
    ),
    retrieve=extend_schema(
        summary="One of your bids",
        description="Status, every submission's receipt and digest, and the draft content (money in pence, "
        "percentages in basis points). Another organisation's bid answers 404.",
        tags=["Bids"],
    ),
    create=extend_schema(
        summary="Start a bid",
        description="Start your organisation's bid for an open call-off (one per organisation: starting again gives "
        "back the same bid). Only organisations qualified for a lot may lead a bid.",
        tags=["Bids"],
        request=StartBidSerializer,
        responses={201: BidDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Save the draft",
        description="Change parts of the draft: any of lots, answers, social_value and supply_chain (each replaces "
        "that part). Checked as on the pages (prices not above the published values, word limits, the supply chain); "
        "on a 400 nothing is saved. Before the deadline only.",
        tags=["Bids"],
        request=BidContentSerializer,
        responses={200: BidDetailSerializer},
    ),
)
class BidViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsProviderMember]

    def get_serializer_class(self):
        return BidSerializer if self.action == "list" else BidDetailSerializer

    def get_queryset(self):
        from django.db.models import Exists, OuterRef, Subquery

        from dynamic_framework.accounts.rules import member_organisation_ids

        from .models import Amendment, AwardLetter, Bid

        latest_amendment = Amendment.objects.filter(call_off=OuterRef("call_off")).order_by("-published_at")
        return (
            Bid.objects.filter(organisation_id__in=member_organisation_ids(self.request.user))
            .select_related("call_off", "organisation", "latest_submission")
            .prefetch_related("call_off__lots")
            .annotate(
                has_letter=Exists(AwardLetter.objects.filter(bid=OuterRef("pk"))),
                latest_amendment_at=Subquery(latest_amendment.values("published_at")[:1]),
            )
            .order_by("-call_off__deadline_at", "pk")
        )

    def _detail(self, bid, code=status.HTTP_200_OK):
        bid = self.get_queryset().get(pk=bid.pk)
        return drf_response.Response(BidDetailSerializer(bid, context=self.get_serializer_context()).data, status=code)

    def create(self, request):
        from dynamic_framework.accounts.rules import member_organisation_ids
        from dynamic_framework.organisations.models import Organisation

        from . import services
        from .models import CallOff

        incoming = StartBidSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        call_off = CallOff.objects.filter(
            reference=incoming.validated_data["call_off"], published_at__isnull=False
        ).first()
        if call_off is None:
            raise ValidationError({"call_off": ["No published call-off has that reference"]})
        organisations = list(Organisation.objects.filter(pk__in=member_organisation_ids(request.user)))
        slug = incoming.validated_data.get("organisation")
        if slug:
            organisations = [org for org in organisations if org.slug == slug]
            if not organisations:
                raise ValidationError({"organisation": ["Give the slug of one of your organisations"]})
        elif len(organisations) > 1:
            raise ValidationError({"organisation": ["You belong to more than one organisation: say which is bidding"]})
        try:
            bid = services.start_bid(actor=request.user, call_off=call_off, organisation=organisations[0])
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from exc
        return self._detail(bid, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        from . import services

        bid = self.get_object()
        unknown = set(request.data) - set(BID_CONTENT_KEYS) if isinstance(request.data, dict) else {"body"}
        if unknown:
            raise ValidationError({key: ["Send only lots, answers, social_value and supply_chain"] for key in unknown})
        incoming = BidContentSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        content = {**services.bid_content(bid, actor=request.user), **request.data}
        try:
            services.save_bid(actor=request.user, bid=bid, content=content, complete=False)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from exc
        return self._detail(bid)

    @extend_schema(
        summary="Submit the bid",
        description="Submit the saved draft. Send an `Idempotency-Key` header (up to 64 characters, required): the "
        "same key again gives back the same receipt (200) instead of a second submission (201). Administrators only. "
        "The deadline is the server's clock: a submission one second late is refused (400).",
        tags=["Bids"],
        request=None,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                location=OpenApiParameter.HEADER,
                required=True,
                description="A unique value for this submission, like a UUID.",
            )
        ],
        responses={200: BidSubmissionSerializer, 201: BidSubmissionSerializer},
    )
    @drf_decorators.action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        from dynamic_framework.accounts.rules import administered_organisation_ids

        from . import services
        from .models import BidSubmission

        bid = self.get_object()
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key:
            raise ValidationError(
                {"Idempotency-Key": ["Send an Idempotency-Key header: a unique value for this submission"]}
            )
        if len(key) > 64:
            raise ValidationError({"Idempotency-Key": ["The Idempotency-Key header must be 64 characters or fewer"]})
        if bid.organisation_id not in administered_organisation_ids(request.user):
            raise drf_exceptions.PermissionDenied("Only your organisation's administrators can submit a bid.")
        existed = BidSubmission.objects.filter(bid=bid, idempotency_key=key).exists()
        try:
            submission = services.submit_bid(actor=request.user, bid=bid, idempotency_key=key)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from exc
        except DjangoPermissionDenied as exc:  # pragma: no cover - the rules above say the same
            raise drf_exceptions.PermissionDenied() from exc
        return drf_response.Response(
            {**BidSubmissionSerializer(submission).data, "bid": bid.pk},
            status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Withdraw the bid",
        description="Withdraw a submitted bid before the deadline: it is not considered unless submitted again.",
        tags=["Bids"],
        request=None,
        responses={200: BidDetailSerializer},
    )
    @drf_decorators.action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        from . import services

        bid = self.get_object()
        try:
            services.withdraw_bid(actor=request.user, bid=bid)
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from exc
        return self._detail(bid)


def _register_bids(router) -> None:
    router.register("bids", BidViewSet, basename="bid")


# (Add other blocks of routes above this line, each with its own _register_... function.) -----------------------


def register(router) -> None:
    """Add this app's routes to the API router."""
    _register_opportunities(router)
    _register_bids(router)
