"""The call-offs API: opportunities (public), and the whole competition for those allowed to take part.

Each group of routes is in its own block below, with a function that adds them; register() calls each block's.

- /api/v1/opportunities/            public, read-only: published call-offs with the Opportunities page's filters
                                    (a bad value answers 400 with the field's message), and one by reference with
                                    everything on its public page. Times are ISO 8601 in UTC, money integer pence.
                                    Never the number of bids or who bid; the winners only once the award is final.
- /api/v1/evaluations/<reference>/  after the deadline (404 before it, for everyone): the panel, declarations,
                                    scores, moderation, results, recommendation, approval and confirmation, for
                                    the people the evaluation pages are for (see the Evaluation block).
- /api/v1/bids/                     provider members: their organisations' bids as lead provider (start, save the
                                    draft, submit with an Idempotency-Key header, withdraw). Someone else's bid
                                    answers 404, never 403 (see the Bids block).
- /api/v1/call-offs/                commissioners: their regions' call-offs (create, change a draft, lots, quality
                                    questions, approval with four eyes, amend, cancel, no award, copy) and
                                    providers' questions without who asked (see the Call-offs block).
- /api/v1/call-off-questions/       provider members: ask about a published call-off; their own questions, answers.
"""

from datetime import UTC

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from dynamic_framework.core.api import EARLIEST_YEAR, LATEST_YEAR, PlainDateField, refuse_unknown, refused

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


# Evaluation ---------------------------------------------------------------------------------------------------------
# /api/v1/evaluations/<reference>/...: the evaluation and award, for the same people as the evaluation pages
# (views/evaluation.py). Before the deadline every endpoint answers 404 for everyone, signed in or not: nothing about
# the bids exists yet for anyone but the bidders. After it: 401 without credentials, 403 for anyone but the
# commissioners of the call-off's region (calloffs.moderate) and, where it says so, the evaluators on its panel
# (calloffs.evaluate). Commissioners see only the number of bids until the panel is formed. An evaluator sees
# another evaluator's scores for a bid only after submitting their own sheet for it; commissioners see the
# evaluators' scores only once moderation of that bid can start. Questions are named by position; null is social
# value. Scores are strings with 2 decimal places (as on the pages), money integer pence, times ISO 8601 in UTC.

from django.core.exceptions import ValidationError as DjangoValidationError  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils.translation import gettext  # noqa: E402
from rest_framework.decorators import action  # noqa: E402
from rest_framework.exceptions import NotAuthenticated, PermissionDenied  # noqa: E402
from rest_framework.response import Response  # noqa: E402

EVALUATION_TAGS = ["Call-off evaluation"]


class EvaluationPanelRequest(serializers.Serializer):
    members = serializers.ListField(
        child=serializers.EmailField(), help_text="Email addresses of evaluators (the evaluator role) to add."
    )


class DeclarationRequest(serializers.Serializer):
    has_conflict = serializers.BooleanField(help_text="A conflict of interest with the bidder or its supply chain.")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Required when true.")


class ScoreItemRequest(serializers.Serializer):
    question = serializers.IntegerField(
        allow_null=True, help_text="The quality question's position; null: social value."
    )
    score = serializers.IntegerField(help_text="0 to 4, on the published scale.")
    justification = serializers.CharField(allow_blank=True, help_text="Why: up to 500 words.")


class ScoresRequest(serializers.Serializer):
    scores = ScoreItemRequest(many=True, required=False, help_text="Scores to save (each replaces your last).")
    submit = serializers.BooleanField(
        default=False, help_text="Then submit your scores for the bid: every answer must be scored; they are final."
    )


class ConsensusItemRequest(serializers.Serializer):
    question = serializers.IntegerField(
        allow_null=True, help_text="The quality question's position; null: social value."
    )
    score = serializers.IntegerField(help_text="The agreed score, 0 to 4.")
    reason = serializers.CharField(allow_blank=True, help_text="Why: it goes in the letter to the bidder.")


class ConsensusRequest(serializers.Serializer):
    scores = ConsensusItemRequest(many=True)


def _service_error(exc: DjangoValidationError, prefix: str = "") -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}{field}": messages for field, messages in exc.message_dict.items()})
    return ValidationError({"non_field_errors": exc.messages})


def _bidder(bid) -> dict:
    return {"name": bid.organisation.name, "slug": bid.organisation.slug}


def _criterion_position(item) -> int | None:
    return item["question"].position if item["question"] is not None else None


@extend_schema_view(
    retrieve=extend_schema(
        summary="Where the evaluation of a call-off stands",
        description="For commissioners of the region: the number of bids (only that, until the panel is formed), the "
        "panel, each bid with each evaluator's progress (never their scores) and the agreed scores, and the award. "
        "For evaluators on the panel: the bids and their own progress with each. 404 before the deadline.",
        tags=EVALUATION_TAGS,
        responses=OpenApiTypes.OBJECT,
    ),
)
class EvaluationViewSet(viewsets.ViewSet):
    # Who may is checked in each action, after the deadline (404 for everyone before it, so no credentials first).
    permission_classes = [AllowAny]
    lookup_field = "reference"
    lookup_value_regex = "[^/]+"

    # Access ------------------------------------------------------------------------------------------------------

    def _open(self, request, reference, *, commissioners=True, panel=False):
        from .views.evaluation import access_for, load_after_deadline

        call_off = load_after_deadline(reference)  # Http404: a JSON 404
        if not request.user.is_authenticated:
            raise NotAuthenticated
        access = access_for(request.user, call_off)
        if not ((commissioners and access.commissioner) or (panel and access.member is not None)):
            raise PermissionDenied
        return call_off, access

    @staticmethod
    def _valid(serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @staticmethod
    def _question(call_off, position, field: str):
        if position is None:
            return None
        question = call_off.quality_questions.filter(position=position).first()
        if question is None:
            raise ValidationError({field: [gettext("This call-off has no question %(n)s") % {"n": position}]})
        return question

    # Reads -------------------------------------------------------------------------------------------------------

    def _state(self, request, call_off, access) -> dict:
        from .models import AwardLetter
        from .services import counted_bids
        from .views.evaluation import Board, contracts_for

        call_off.refresh_from_db()
        now = timezone.now()
        data = {
            "reference": call_off.reference,
            "title": call_off.title,
            "status": call_off.status_at(now),
            "deadline_at": _utc(call_off.deadline_at),
            "panel_formed_at": _utc(call_off.panel_formed_at),
        }
        if call_off.panel_formed_at is None:
            data["bid_count"] = len(counted_bids(call_off))
            return data
        board = Board(call_off)
        data["bid_count"] = len(board.bids)
        if access.commissioner:
            data["panel"] = [{"name": m.user.full_name, "email": m.user.email} for m in board.panel]
            data["bids"] = [
                {
                    "id": bid.pk,
                    "bidder": _bidder(bid),
                    "evaluators": [
                        {"email": p["member"].user.email, "progress": p["code"]}
                        for p in (board.progress(m, bid) for m in board.panel)
                    ],
                    "ready_for_moderation": board.ready_for_moderation(bid),
                    "agreed": [
                        {
                            "question": _criterion_position(item),
                            "score": agreed.score,
                            "reason": agreed.reason,
                        }
                        for item in board.criteria
                        if (agreed := board.agreed_for(bid).get(item["id"])) is not None
                    ],
                    "moderated": board.moderated(bid),
                }
                for bid in board.bids
            ]
            data["award"] = {
                "recommended_at": _utc(call_off.award_recommended_at),
                "approved_at": _utc(call_off.award_approved_at),
                "standstill_ends_at": _utc(call_off.standstill_ends_at),
                "awarded_at": _utc(call_off.awarded_at),
                "letters": AwardLetter.objects.filter(call_off=call_off).count(),
                "contracts": [c.reference for c in contracts_for(call_off)] if call_off.awarded_at else [],
            }
        if access.member is not None:
            data["your_bids"] = [
                {"id": bid.pk, "bidder": _bidder(bid), "progress": board.progress(access.member, bid)["code"]}
                for bid in board.bids
            ]
        return data

    def retrieve(self, request, reference=None):
        call_off, access = self._open(request, reference, panel=True)
        return Response(self._state(request, call_off, access))

    @extend_schema(
        summary="One bid, for the panel and the commissioners",
        description="The bidder and its supply chain's names. An evaluator who declared no conflict also gets the "
        "answers, their own scores and, once they have submitted their own, the scores of the others who have "
        "submitted. Commissioners get the answers, each evaluator's progress and, once moderation can start, every "
        "evaluator's scores and the agreed scores.",
        tags=EVALUATION_TAGS,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"], url_path=r"bids/(?P<bid>[0-9]+)", url_name="bid")
    def bid(self, request, reference=None, bid=None):
        call_off, access = self._open(request, reference, panel=True)
        return Response(self._bid_state(call_off, access, int(bid)))

    def _bid_state(self, call_off, access, bid_id) -> dict:
        from .models import ConflictDeclaration, Score, ScoreSheet
        from .views.evaluation import Board, answer_text, bid_content, bid_of

        the_bid = bid_of(call_off, bid_id)
        content = bid_content(call_off, the_bid)
        board = Board(call_off)
        data = {
            "id": the_bid.pk,
            "bidder": _bidder(the_bid),
            "supply_chain": [e.get("name") for e in content.get("supply_chain") or [] if e.get("name")],
        }

        def answers(scores_by_question=None, own=None):
            out = []
            for item in board.criteria:
                entry = {
                    "question": _criterion_position(item),
                    "text": item["text"],
                    "guidance": item["guidance"],
                    "weight": item["weight"],
                    "answer": answer_text(call_off, content, item["question"]),
                }
                if own is not None:
                    mine = own.get(item["id"])
                    entry["your_score"] = (
                        {"score": mine.score, "justification": mine.justification} if mine is not None else None
                    )
                if scores_by_question is not None:
                    entry["scores"] = [
                        {"evaluator": s.panel_member.user.email, "score": s.score, "justification": s.justification}
                        for s in scores_by_question.get(item["id"], [])
                    ]
                out.append(entry)
            return out

        def grouped(scores):
            by_question = {}
            for s in scores.select_related("panel_member__user").order_by("panel_member__added_at", "panel_member_id"):
                by_question.setdefault(s.question_id, []).append(s)
            return by_question

        if access.member is not None:
            member = access.member
            declaration = ConflictDeclaration.objects.filter(panel_member=member, bid=the_bid).first()
            sheet = ScoreSheet.objects.filter(panel_member=member, bid=the_bid).first()
            data["your_declaration"] = (
                {
                    "has_conflict": declaration.has_conflict,
                    "note": declaration.note,
                    "at": _utc(declaration.declared_at),
                }
                if declaration
                else None
            )
            data["your_scores_submitted_at"] = _utc(sheet.submitted_at) if sheet else None
            if declaration is not None and not declaration.has_conflict:
                own = {s.question_id: s for s in Score.objects.filter(panel_member=member, bid=the_bid)}
                others = None
                if sheet is not None:
                    submitted = (
                        ScoreSheet.objects.filter(bid=the_bid).exclude(panel_member=member).values("panel_member_id")
                    )
                    others = grouped(Score.objects.filter(bid=the_bid, panel_member_id__in=submitted))
                data["answers"] = answers(others, own)
        if access.commissioner:
            ready = board.ready_for_moderation(the_bid)
            data["evaluators"] = [
                {"email": p["member"].user.email, "progress": p["code"]}
                for p in (board.progress(m, the_bid) for m in board.panel)
            ]
            data["ready_for_moderation"] = ready
            scores = (
                grouped(Score.objects.filter(bid=the_bid, panel_member__in=board.scorers(the_bid))) if ready else None
            )
            if "answers" not in data:
                data["answers"] = answers(scores)
            elif scores is not None:
                for entry, item in zip(data["answers"], board.criteria, strict=True):
                    entry["scores"] = [
                        {"evaluator": s.panel_member.user.email, "score": s.score, "justification": s.justification}
                        for s in scores.get(item["id"], [])
                    ]
            agreed = board.agreed_for(the_bid)
            for entry, item in zip(data["answers"], board.criteria, strict=True):
                consensus = agreed.get(item["id"])
                entry["agreed"] = {"score": consensus.score, "reason": consensus.reason} if consensus else None
        return data

    @extend_schema(
        summary="The results: scores and ranking for each lot",
        description="Commissioners of the region, and panel members once every sheet is submitted. Each lot's "
        "ranking (quality, social value, price in pence and its points, total, rank), the bids excluded with the "
        "reason, the bids not moderated yet, the published formulas and the tie-break rule.",
        tags=EVALUATION_TAGS,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"], url_path="results", url_name="results")
    def results(self, request, reference=None):
        from .models import TIE_BREAK_RULE
        from .services import counted_bids
        from .views.evaluation import Board, results_context

        call_off, access = self._open(request, reference, panel=True)
        board = Board(call_off) if call_off.panel_formed_at else None
        if not access.commissioner and not (board is not None and board.scoring_complete):
            raise PermissionDenied(gettext("The results are shown to the panel once every evaluator has submitted"))
        data = {
            "reference": call_off.reference,
            "price_formula": "lowest price / this bid's price x the price weight",
            "quality_formula": "agreed score / 4 x the question's weight",
            "price_weight": call_off.price_weight,
            "social_value_weight": call_off.social_value_weight,
            "minimum_quality_percent": call_off.minimum_quality_percent,
            "tie_break_rule": str(TIE_BREAK_RULE),
            "lots": [],
            "unmoderated": [],
        }
        if board is None:  # sealed until the panel is formed: only how many bids
            data["bid_count"] = len(counted_bids(call_off))
            return Response(data)
        context = results_context(call_off)

        def row(r) -> dict:
            return {
                "bid": r["bid"].pk,
                "bidder": _bidder(r["bid"]),
                "quality": r["quality"],
                "social_value": r["social_value"],
                "price_pence": r["price_pence"],
                "price_points": r["price"],
                "total": r["total"],
                "rank": r["rank"],
            }

        data["lots"] = [
            {
                "position": lot["lot"].position,
                "name": lot["lot"].name,
                "ranked": [row(r) for r in lot["ranked"]],
                "excluded": [{**row(r), "reason": r["excluded"]} for r in lot["excluded"]],
            }
            for lot in context["lots"]
        ]
        data["unmoderated"] = [{"bid": b.pk, "bidder": _bidder(b)} for b in context["unmoderated"]]
        return Response(data)

    # Writes ------------------------------------------------------------------------------------------------------

    @extend_schema(
        summary="Form the evaluation panel (or add evaluators to it)",
        description="Commissioners of the region. Afterwards the panel and the commissioners see who bid.",
        tags=EVALUATION_TAGS,
        request=EvaluationPanelRequest,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="panel", url_name="panel")
    def panel(self, request, reference=None):
        from . import services
        from .views.evaluation import evaluators

        call_off, access = self._open(request, reference)
        emails = self._valid(EvaluationPanelRequest, request.data)["members"]
        evaluators = {u.email.lower(): u for u in evaluators().filter(email__in=emails)}
        unknown = [e for e in emails if e.lower() not in evaluators]
        if unknown:
            raise ValidationError(
                {"members": [gettext("%(email)s is not an evaluator") % {"email": e} for e in unknown]}
            )
        try:
            services.form_panel(actor=request.user, call_off=call_off, members=[evaluators[e.lower()] for e in emails])
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(self._state(request, call_off, access))

    @extend_schema(
        summary="Declare whether you have a conflict of interest with a bid",
        description="Evaluators on the panel, once per bid. A conflict removes you from that bid.",
        tags=EVALUATION_TAGS,
        request=DeclarationRequest,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path=r"bids/(?P<bid>[0-9]+)/declaration", url_name="declaration")
    def declaration(self, request, reference=None, bid=None):
        from . import services
        from .views.evaluation import bid_of

        call_off, access = self._open(request, reference, commissioners=False, panel=True)
        the_bid = bid_of(call_off, int(bid))
        data = self._valid(DeclarationRequest, request.data)
        try:
            services.declare_bid_conflict(
                actor=request.user,
                call_off=call_off,
                bid=the_bid,
                has_conflict=data["has_conflict"],
                note=data.get("note", ""),
            )
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(self._bid_state(call_off, access, the_bid.pk))

    @extend_schema(
        summary="Save your scores for a bid, and submit them",
        description="Evaluators on the panel who declared no conflict with the bid. Every score is saved, or none "
        "is (400 with the errors, by position in `scores`). With `submit`, your scores for the bid are then "
        "submitted: every answer must be scored, and they cannot change after.",
        tags=EVALUATION_TAGS,
        request=ScoresRequest,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path=r"bids/(?P<bid>[0-9]+)/scores", url_name="scores")
    def scores(self, request, reference=None, bid=None):
        from . import services
        from .views.evaluation import bid_of

        call_off, access = self._open(request, reference, commissioners=False, panel=True)
        the_bid = bid_of(call_off, int(bid))
        data = self._valid(ScoresRequest, request.data)
        items = data.get("scores") or []
        if not items and not data.get("submit"):
            raise ValidationError({"scores": [gettext("Send at least one score, or submit")]})
        try:
            with transaction.atomic():
                for index, item in enumerate(items):
                    try:
                        services.score_answer(
                            actor=request.user,
                            call_off=call_off,
                            bid=the_bid,
                            question=self._question(call_off, item["question"], f"scores.{index}.question"),
                            score=item["score"],
                            justification=item["justification"],
                        )
                    except DjangoValidationError as exc:
                        raise _service_error(exc, prefix=f"scores.{index}.") from exc
                if data.get("submit"):
                    services.submit_score_sheet(actor=request.user, call_off=call_off, bid=the_bid)
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(self._bid_state(call_off, access, the_bid.pk))

    @extend_schema(
        summary="Record agreed (moderated) scores for a bid",
        description="Commissioners of the region, once every evaluator without a conflict has submitted their "
        "scores for the bid. Every agreed score is saved, or none is.",
        tags=EVALUATION_TAGS,
        request=ConsensusRequest,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path=r"bids/(?P<bid>[0-9]+)/consensus", url_name="consensus")
    def consensus(self, request, reference=None, bid=None):
        from . import services
        from .views.evaluation import Board, bid_of

        call_off, access = self._open(request, reference)
        the_bid = bid_of(call_off, int(bid))
        data = self._valid(ConsensusRequest, request.data)
        if not Board(call_off).ready_for_moderation(the_bid):
            raise ValidationError(
                {
                    "non_field_errors": [
                        gettext("Every evaluator must submit their scores for this bid before moderation")
                    ]
                }
            )
        try:
            with transaction.atomic():
                for index, item in enumerate(data["scores"]):
                    try:
                        services.record_consensus(
                            actor=request.user,
                            call_off=call_off,
                            bid=the_bid,
                            question=self._question(call_off, item["question"], f"scores.{index}.question"),
                            score=item["score"],
                            reason=item["reason"],
                        )
                    except DjangoValidationError as exc:
                        raise _service_error(exc, prefix=f"scores.{index}.") from exc
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(self._bid_state(call_off, access, the_bid.pk))

    def _act(self, request, reference, service_name: str):
        from . import services

        call_off, access = self._open(request, reference)
        try:
            getattr(services, service_name)(actor=request.user, call_off=call_off)
        except DjangoValidationError as exc:
            raise _service_error(exc) from exc
        return Response(self._state(request, call_off, access))

    @extend_schema(
        summary="Recommend the award",
        description="Commissioners of the region, once every bid's scores are agreed: the top-ranked compliant "
        "bid for each lot.",
        tags=EVALUATION_TAGS,
        request=None,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="recommend", url_name="recommend")
    def recommend(self, request, reference=None):
        return self._act(request, reference, "recommend_award")

    @extend_schema(
        summary="Approve the recommended award (a second commissioner)",
        description="Another commissioner of the region than the one who recommended it. Every bidder is sent a "
        "letter, and the standstill period starts.",
        tags=EVALUATION_TAGS,
        request=None,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="approve", url_name="approve")
    def approve(self, request, reference=None):
        return self._act(request, reference, "approve_award")

    @extend_schema(
        summary="Confirm the award after the standstill",
        description="Commissioners of the region, after the standstill period ends: each lot becomes a contract or "
        "grant agreement in the contract register, with the winning bid's supply chain.",
        tags=EVALUATION_TAGS,
        request=None,
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["post"], url_path="confirm", url_name="confirm")
    def confirm(self, request, reference=None):
        return self._act(request, reference, "confirm_award")


def _register_evaluation(router) -> None:
    router.register("evaluations", EvaluationViewSet, basename="evaluation")


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


# Call-offs (commissioners) and questions ----------------------------------------------------------------------------
# /api/v1/call-offs/ for commissioners (calloffs.create_call_off: 401 without credentials, 403 for anyone else): the
# call-offs of their regions only (another region's call-off answers 404, calloffs.manage_call_off), as on the pages
# of views/manage.py. Every write goes through services.py; a service's refusal answers 400 with field errors, or
# {"detail": [...]} when it names no field. Sealed bids: before the deadline nothing here says anything about bids;
# after it only `bids_received`, a count (who bid is for the evaluation API once the panel is formed).
# Lots and quality questions are named by id in their routes (bids use the same ids); times are ISO 8601 with an
# offset (given back in UTC), dates YYYY-MM-DD, money integer pence.
#
# /api/v1/call-off-questions/ for provider members: ask a question about a published call-off for one of their
# organisations, and see their organisations' questions with the answers. Commissioners see a call-off's questions
# at /api/v1/call-offs/<reference>/questions/ with the text and time only, NEVER the organisation or person who
# asked, and publish an answer to everyone.

import django.core.exceptions as django_exceptions  # noqa: E402
import rest_framework.decorators as rf_decorators  # noqa: E402
import rest_framework.exceptions as rf_exceptions  # noqa: E402
import rest_framework.mixins as rf_mixins  # noqa: E402
import rest_framework.permissions as rf_permissions  # noqa: E402
import rest_framework.response as rf_response  # noqa: E402
import rest_framework.status as rf_status  # noqa: E402
from django.http import Http404 as DjangoHttp404  # noqa: E402
from django.utils.dateparse import parse_datetime  # noqa: E402

from dynamic_framework.core.permissions import HasRulesPermission  # noqa: E402

CALL_OFF_TAGS = ["Call-offs (commissioners)"]
QUESTION_TAGS = ["Call-off questions"]


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset from UTC (or Z), from 2000 to 2100: a time without an offset is ambiguous."""

    default_error_messages = {
        "invalid": "Enter a date and time in ISO 8601 with its offset, like 2026-06-01T12:00:00+01:00",
        "offset": "Give the time's offset from UTC, like 2026-06-01T12:00:00+01:00 or 2026-06-01T11:00:00Z",
        "range": f"Enter a date and time from {EARLIEST_YEAR} to {LATEST_YEAR}",
    }

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid")
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail("offset")
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            self.fail("range")
        return parsed

    def to_representation(self, value):
        return _utc(value)


# Requests -----------------------------------------------------------------------------------------------------------


class CallOffFieldsRequest(serializers.Serializer):
    """The call-off's own fields (services.EDITABLE_FIELDS, with categories and the co-commissioner)."""

    title = serializers.CharField(allow_blank=True, help_text="Up to 200 characters.")
    summary = serializers.CharField(allow_blank=True, help_text="What is being bought and why, in plain English.")
    categories = serializers.ListField(
        child=serializers.CharField(), help_text="Service category slugs, like women: at least one."
    )
    co_commissioner = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="A commissioning body's slug, or null for none."
    )
    funding_mechanism = serializers.ChoiceField(choices=["grant", "contract"], help_text="grant or contract.")
    funding_reason = serializers.CharField(
        allow_blank=True, help_text="Why a grant or a contract: recorded and published."
    )
    term_start = PlainDateField(help_text="When the service starts: YYYY-MM-DD.")
    term_months = serializers.IntegerField(help_text="The length of the term in months, 1 to 120.")
    extension_months = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Options to extend, in months, like [12, 12]."
    )
    cohort_sex = serializers.ChoiceField(choices=["any", "women", "men"], required=False, help_text="Who it is for.")
    cohort_min_age = serializers.IntegerField(required=False, allow_null=True, help_text="18 to 120, or null.")
    cohort_max_age = serializers.IntegerField(required=False, allow_null=True, help_text="18 to 120, or null.")
    cohort_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    price_weight = serializers.IntegerField(required=False, help_text="0 to 100.")
    social_value_weight = serializers.IntegerField(required=False, help_text="0 to 100.")
    social_value_question = serializers.CharField(required=False, allow_blank=True)
    social_value_word_limit = serializers.IntegerField(required=False, help_text="1 to 2,000 words.")
    minimum_quality_percent = serializers.IntegerField(
        required=False, help_text="Bids scoring less than this share of the quality marks are not considered."
    )
    questions_close_at = AwareDateTimeField(help_text="The last time for questions: ISO 8601 with an offset.")
    deadline_at = AwareDateTimeField(help_text="The deadline for bids: ISO 8601 with an offset.")
    expected_award_on = PlainDateField(help_text="YYYY-MM-DD.")
    standstill_days = serializers.IntegerField(required=False, help_text="Calendar days, 0 to 60 (default 10).")


class CreateCallOffRequest(CallOffFieldsRequest):
    region = serializers.CharField(help_text="The probation region's code, like A: one you commission for.")


class LotYearRequest(serializers.Serializer):
    financial_year = serializers.IntegerField(help_text="The year it starts: 2026 means 2026-27.")
    max_value_pence = serializers.IntegerField(help_text="The most the lot can cost that year, in pence.")
    expected_people = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10_000_000, help_text="People expected that year."
    )


class LotRequest(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["pcc_area", "areas", "region"], help_text="One PCC area, a group of PCC areas, or the whole region."
    )
    pcc_areas = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="PCC area slugs (not for a whole-region lot)."
    )
    years = LotYearRequest(many=True, help_text="The value for each financial year, one after another.")


class LotYearsRequest(serializers.Serializer):
    years = LotYearRequest(many=True, help_text="Replaces the lot's values for every year.")


class QualityQuestionRequest(serializers.Serializer):
    question = serializers.CharField(allow_blank=True, help_text="The question bidders answer.")
    guidance = serializers.CharField(required=False, allow_blank=True, help_text="Scoring guidance.")
    word_limit = serializers.IntegerField(required=False, help_text="1 to 2,000 words (default 500).")
    weight = serializers.IntegerField(required=False, help_text="1 to 100 (default 10).")


class ReasonRequest(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why, in plain English.")


class AmendLotRequest(serializers.Serializer):
    id = serializers.IntegerField(help_text="The lot's id.")
    years = LotYearRequest(many=True, help_text="The lot's new values for every year.")


class AmendRequest(serializers.Serializer):
    summary = serializers.CharField(
        allow_blank=True, help_text="What has changed, in plain English: published, and sent to bidders."
    )
    title = serializers.CharField(required=False, allow_blank=True)
    call_off_summary = serializers.CharField(required=False, help_text="The call-off's new summary.")
    questions_close_at = AwareDateTimeField(required=False)
    deadline_at = AwareDateTimeField(required=False)
    expected_award_on = PlainDateField(required=False)
    term_start = PlainDateField(required=False)
    cohort_note = serializers.CharField(required=False, allow_blank=True, max_length=300)
    lots = AmendLotRequest(many=True, required=False, help_text="New values for some lots.")


class AnswerRequest(serializers.Serializer):
    published_question = serializers.CharField(
        allow_blank=True, help_text="The question as it will be published: take out anything that could show who asked."
    )
    answer = serializers.CharField(
        allow_blank=True, help_text="Published to everyone, and sent to everyone who has bid."
    )


class AskRequest(serializers.Serializer):
    call_off = serializers.CharField(help_text="The published call-off's reference, like DFC-ABCD-EFGH.")
    organisation = serializers.CharField(
        required=False, help_text="Your organisation's slug: needed only if you belong to more than one."
    )
    question = serializers.CharField(allow_blank=True, help_text="Up to 300 words. Who asked is never published.")


# Responses ----------------------------------------------------------------------------------------------------------


def _person(user) -> dict | None:
    return {"name": user.full_name, "email": user.email} if user is not None else None


def _lot_json(lot) -> dict:
    years = list(lot.years.all())
    return {
        "id": lot.pk,
        "position": lot.position,
        "name": lot.name,
        "kind": lot.kind,
        "pcc_areas": sorted(a.slug for a in lot.pcc_areas.all()),
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


def _quality_question_json(question) -> dict:
    return {
        "id": question.pk,
        "position": question.position,
        "question": question.question,
        "guidance": question.guidance,
        "word_limit": question.word_limit,
        "weight": question.weight,
    }


class CallOffSerializer(serializers.Serializer):
    """What the list gives for each call-off."""

    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.SerializerMethodField(help_text="draft, awaiting_approval, published, closed, ...")
    status_label = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField(help_text="Code and name.")
    funding_mechanism = serializers.CharField()
    deadline_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC.")
    created_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC.")
    api_url = serializers.SerializerMethodField()

    def _now(self):
        return self.context.setdefault("now", timezone.now())

    def get_status(self, call_off) -> str:
        return call_off.status_at(self._now())

    def get_status_label(self, call_off) -> str:
        from .models import CallOff

        return str(CallOff.Status(self.get_status(call_off)).label)

    def get_region(self, call_off) -> dict:
        return {"code": call_off.region.code, "name": call_off.region.name}

    def get_deadline_at(self, call_off) -> str:
        return _utc(call_off.deadline_at)

    def get_created_at(self, call_off) -> str:
        return _utc(call_off.created_at)

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path

    def get_api_url(self, call_off) -> str:
        return self._absolute(reverse("api:call-off-detail", kwargs={"reference": call_off.reference}))


class CallOffDetailSerializer(CallOffSerializer):
    """Everything about one call-off, for its commissioners. Never who bid."""

    summary = serializers.CharField()
    categories = serializers.SerializerMethodField(help_text="Slug and name of each service category.")
    co_commissioner = serializers.SerializerMethodField(help_text="Slug and name, or null.")
    funding_reason = serializers.CharField()
    term = serializers.SerializerMethodField(help_text="start (YYYY-MM-DD), months and extension_months.")
    cohort = serializers.SerializerMethodField(help_text="sex, min_age, max_age and note.")
    criteria = serializers.SerializerMethodField(
        help_text="Weights (quality from the questions, price, social value and their total), the social value "
        "question and its word limit, and the minimum quality score (percent)."
    )
    timetable = serializers.SerializerMethodField(help_text="Times ISO 8601 in UTC; dates YYYY-MM-DD.")
    lots = serializers.SerializerMethodField(help_text="Each lot with id, PCC area slugs and values per year.")
    quality_questions = serializers.SerializerMethodField(help_text="Each with id, position, word limit, weight.")
    documents = serializers.SerializerMethodField(help_text="Documents, with download URLs.")
    amendments = serializers.SerializerMethodField(help_text="Each published change, with what changed.")
    readiness = serializers.SerializerMethodField(
        help_text="For a draft: what must be put right before it can be sent for approval ({topic: message}); "
        "empty when it is ready, and for anything but a draft."
    )
    recorded = serializers.SerializerMethodField(
        help_text="Who did what when: created, sent for approval, approved and published, cancelled (with the "
        "reason), closed with no award (with the reason), and the call-off it was copied from."
    )
    questions = serializers.SerializerMethodField(help_text="How many providers' questions, and how many unanswered.")
    bids_received = serializers.SerializerMethodField(
        help_text="Only after the deadline: how many bids count (never who). null before the deadline."
    )
    opportunity_url = serializers.SerializerMethodField(help_text="The public API for it, once published.")
    evaluation_url = serializers.SerializerMethodField(help_text="The evaluation API, after the deadline.")

    def _after_deadline(self, call_off) -> bool:
        return call_off.published_at is not None and call_off.deadline_passed(self._now())

    def get_categories(self, call_off) -> list[dict]:
        return [{"slug": c.slug, "name": c.name} for c in call_off.categories.all()]

    def get_co_commissioner(self, call_off) -> dict | None:
        body = call_off.co_commissioner
        return {"slug": body.slug, "name": body.name} if body else None

    def get_term(self, call_off) -> dict:
        return {
            "start": _date(call_off.term_start),
            "months": call_off.term_months,
            "extension_months": list(call_off.extension_months or []),
        }

    def get_cohort(self, call_off) -> dict:
        return {
            "sex": call_off.cohort_sex,
            "min_age": call_off.cohort_min_age,
            "max_age": call_off.cohort_max_age,
            "note": call_off.cohort_note,
        }

    def get_criteria(self, call_off) -> dict:
        quality = sum(q.weight for q in call_off.quality_questions.all())
        return {
            "quality_weight": quality,
            "price_weight": call_off.price_weight,
            "social_value_weight": call_off.social_value_weight,
            "total_weight": quality + call_off.price_weight + call_off.social_value_weight,
            "social_value_question": call_off.social_value_question,
            "social_value_word_limit": call_off.social_value_word_limit,
            "minimum_quality_percent": call_off.minimum_quality_percent,
        }

    def get_timetable(self, call_off) -> dict:
        return {
            "questions_close_at": _utc(call_off.questions_close_at),
            "deadline_at": _utc(call_off.deadline_at),
            "expected_award_on": _date(call_off.expected_award_on),
            "standstill_days": call_off.standstill_days,
        }

    def get_lots(self, call_off) -> list[dict]:
        return [_lot_json(lot) for lot in call_off.lots.all()]

    def get_quality_questions(self, call_off) -> list[dict]:
        return [_quality_question_json(q) for q in call_off.quality_questions.all()]

    def get_documents(self, call_off) -> list[dict]:
        return [
            {
                "id": d.pk,
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
            for d in call_off.documents.all()
            if d.removed_at is None
        ]

    def get_amendments(self, call_off) -> list[dict]:
        return [
            {"number": a.number, "summary": a.summary, "changes": a.changes, "published_at": _utc(a.published_at)}
            for a in call_off.amendments.all()
        ]

    def get_readiness(self, call_off) -> dict:
        from . import services
        from .models import CallOff

        if call_off.status_at(self._now()) != CallOff.Status.DRAFT:
            return {}
        return {key: str(message) for key, message in services.readiness(call_off, self._now()).items()}

    def get_recorded(self, call_off) -> dict:
        return {
            "created_at": _utc(call_off.created_at),
            "created_by": _person(call_off.created_by),
            "submitted_for_approval_at": _utc(call_off.submitted_for_approval_at),
            "submitted_for_approval_by": _person(call_off.submitted_for_approval_by),
            "published_at": _utc(call_off.published_at),
            "published_by": _person(call_off.published_by),
            "cancelled_at": _utc(call_off.cancelled_at),
            "cancelled_reason": call_off.cancelled_reason or None,
            "no_award_at": _utc(call_off.no_award_at),
            "no_award_reason": call_off.no_award_reason or None,
            "copied_from": call_off.copied_from.reference if call_off.copied_from_id else None,
        }

    def get_questions(self, call_off) -> dict:
        from django.db.models import Count, Q

        return call_off.questions.aggregate(
            total=Count("pk"), unanswered=Count("pk", filter=Q(answered_at__isnull=True))
        )

    def get_bids_received(self, call_off) -> int | None:
        from . import services

        # Sealed: nothing about bids before the deadline, not even whether there are any.
        if not self._after_deadline(call_off):
            return None
        return len(services.counted_bids(call_off))

    def get_opportunity_url(self, call_off) -> str | None:
        if call_off.published_at is None:
            return None
        return self._absolute(reverse("api:opportunity-detail", kwargs={"reference": call_off.reference}))

    def get_evaluation_url(self, call_off) -> str | None:
        if not self._after_deadline(call_off):
            return None
        from django.urls import NoReverseMatch

        try:
            return self._absolute(reverse("api:evaluation-detail", kwargs={"reference": call_off.reference}))
        except NoReverseMatch:  # pragma: no cover - the Evaluation block adds the route
            return None


class CommissionerQuestionSerializer(serializers.Serializer):
    """A provider's question as its call-off's commissioners see it: never the organisation or person who asked."""

    id = serializers.IntegerField()
    question = serializers.CharField(help_text="As asked.")
    asked_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC.")
    answered = serializers.SerializerMethodField()
    published_question = serializers.SerializerMethodField(help_text="As published with the answer, or null.")
    answer = serializers.SerializerMethodField(help_text="The published answer, or null.")
    answered_at = serializers.SerializerMethodField(help_text="ISO 8601, UTC, or null.")

    def get_asked_at(self, question) -> str:
        return _utc(question.asked_at)

    def get_answered(self, question) -> bool:
        return question.answered_at is not None

    def get_published_question(self, question) -> str | None:
        return question.published_question if question.answered_at else None

    def get_answer(self, question) -> str | None:
        return question.answer if question.answered_at else None

    def get_answered_at(self, question) -> str | None:
        return _utc(question.answered_at)


class ProviderQuestionSerializer(CommissionerQuestionSerializer):
    """A question as the organisation that asked it sees it."""

    call_off = serializers.SerializerMethodField(help_text="Reference, title and when questions close.")
    organisation = serializers.SerializerMethodField(help_text="Your organisation that asked: slug and name.")

    def get_call_off(self, question) -> dict:
        call_off = question.call_off
        return {
            "reference": call_off.reference,
            "title": call_off.title,
            "questions_close_at": _utc(call_off.questions_close_at),
        }

    def get_organisation(self, question) -> dict:
        return {"slug": question.organisation.slug, "name": question.organisation.name}


# The commissioners' call-offs ---------------------------------------------------------------------------------------

# Never who asked a question: the commissioners' routes read only these fields of a question.
COMMISSIONER_QUESTION_FIELDS = (
    "id",
    "call_off_id",
    "asked_at",
    "question",
    "published_question",
    "answer",
    "answered_at",
)
CALL_OFF_STATUS_PARAMETER = OpenApiParameter(
    "status",
    OpenApiTypes.STR,
    enum=[
        "draft",
        "awaiting_approval",
        "published",
        "closed",
        "in_evaluation",
        "award_recommended",
        "standstill",
        "awarded",
        "cancelled",
        "no_award",
    ],
    description="Only call-offs with this status now.",
)


def _action_schema(summary: str, description: str, request=None, code: int = 200):
    return extend_schema(
        summary=summary,
        description=description,
        tags=CALL_OFF_TAGS,
        request=request,
        responses={code: CallOffDetailSerializer},
    )


@extend_schema_view(
    list=extend_schema(
        summary="Your regions' call-offs",
        description="Call-offs of the regions you commission for, newest first, with their status (derived from what "
        "has happened). Commissioners only. A status that is not one of the list answers 400.",
        tags=CALL_OFF_TAGS,
        parameters=[CALL_OFF_STATUS_PARAMETER],
    ),
    retrieve=extend_schema(
        summary="One call-off, by reference",
        description="Everything about it: details, lots with their values per financial year, quality questions, "
        "documents, amendments, what must be put right before a draft can be sent for approval, who did what when, "
        "and the status. Nothing about bids before the deadline; after it only how many. A call-off of a region "
        "you do not commission for answers 404.",
        tags=CALL_OFF_TAGS,
    ),
    create=extend_schema(
        summary="Create a draft call-off",
        description="For a region you commission for (by code). Categories by slug, the co-commissioner by its "
        "organisation slug, times ISO 8601 with an offset, dates YYYY-MM-DD. Then add lots and quality questions "
        "and send it for approval.",
        tags=CALL_OFF_TAGS,
        request=CreateCallOffRequest,
        responses={201: CallOffDetailSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a draft",
        description="Any of the fields you created it with, except the region. Only a draft: once sent for approval "
        "it must be sent back first, and once published it changes only by an amendment (400 with the reason).",
        tags=CALL_OFF_TAGS,
        request=CallOffFieldsRequest,
        responses={200: CallOffDetailSerializer},
    ),
)
class CallOffViewSet(rf_mixins.ListModelMixin, rf_mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [HasRulesPermission]
    permission_required = "calloffs.create_call_off"  # a commissioner (for some region): anyone else 403
    object_permission_required = "calloffs.manage_call_off"  # for its region (and get_queryset: otherwise 404)
    lookup_field = "reference"

    def get_serializer_class(self):
        return CallOffSerializer if self.action == "list" else CallOffDetailSerializer

    def get_queryset(self):
        """The caller's regions' call-offs (another region's is a 404); everything the detail shows for retrieve."""
        from dynamic_framework.accounts.rules import commissioner_region_ids

        from .models import CallOff

        queryset = (
            CallOff.objects.filter(region_id__in=commissioner_region_ids(self.request.user))
            .select_related("region")
            .order_by("-created_at", "-pk")
        )
        return self._with_detail(queryset) if self.action == "retrieve" else queryset

    @staticmethod
    def _with_detail(queryset):
        from django.db.models import Prefetch

        from .models import Lot

        return queryset.select_related(
            "co_commissioner", "created_by", "submitted_for_approval_by", "published_by", "copied_from"
        ).prefetch_related(
            "categories",
            Prefetch("lots", queryset=Lot.objects.prefetch_related("pcc_areas", "years")),
            "quality_questions",
            "documents",
            "amendments",
        )

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        from .models import CallOff
        from .views.manage import status_q

        chosen = self.request.query_params.get("status", "")
        if chosen and chosen not in CallOff.Status.values:
            raise ValidationError({"status": [f"Choose one of {', '.join(CallOff.Status.values)}"]})
        return queryset.filter(status_q(chosen, timezone.now())) if chosen else queryset

    def _detail(self, call_off, code=rf_status.HTTP_200_OK):
        fresh = self._with_detail(self.get_queryset()).get(pk=call_off.pk)
        return rf_response.Response(
            CallOffDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    @staticmethod
    def _valid(serializer_class, data, *, partial=False, allowed=None):
        refuse_unknown(data, allowed if allowed is not None else serializer_class().fields)
        incoming = serializer_class(data=data, partial=partial)
        incoming.is_valid(raise_exception=True)
        return dict(incoming.validated_data)

    @staticmethod
    def _references(values: dict) -> dict:
        """Categories and the co-commissioner by slug, as the objects the services take (400 for an unknown one)."""
        from dynamic_framework.categories.models import ServiceCategory
        from dynamic_framework.organisations.models import Organisation

        if "categories" in values:
            slugs = values["categories"]
            found = {c.slug: c for c in ServiceCategory.objects.filter(slug__in=slugs)}
            unknown = [slug for slug in slugs if slug not in found]
            if unknown:
                raise ValidationError({"categories": [f"No service category has the slug {s}" for s in unknown]})
            values["categories"] = [found[slug] for slug in dict.fromkeys(slugs)]
        if "co_commissioner" in values:
            slug = values["co_commissioner"]
            if slug:
                body = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.COMMISSIONING_BODY).first()
                if body is None:
                    raise ValidationError({"co_commissioner": ["No commissioning body has that slug"]})
                values["co_commissioner"] = body
            else:
                values["co_commissioner"] = None
        return values

    def create(self, request):
        from dynamic_framework.geography.models import Region

        from . import services

        values = self._references(self._valid(CreateCallOffRequest, request.data))
        region = Region.objects.filter(code=values.pop("region")).first()
        if region is None:
            raise ValidationError({"region": ["No probation region has that code"]})
        try:
            call_off = services.create_call_off(actor=request.user, region=region, **values)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._detail(call_off, rf_status.HTTP_201_CREATED)

    def partial_update(self, request, reference=None):
        from . import services

        call_off = self.get_object()
        if isinstance(request.data, dict) and "region" in request.data:
            raise ValidationError({"region": ["The region cannot change: copy the call-off for another region"]})
        values = self._references(self._valid(CallOffFieldsRequest, request.data, partial=True))
        try:
            services.update_call_off(actor=request.user, call_off=call_off, **values)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._detail(call_off)

    # Lots -------------------------------------------------------------------------------------------------------

    def _lot(self, call_off, lot_id):
        found = call_off.lots.filter(pk=lot_id).first()
        if found is None:
            raise DjangoHttp404("No such lot")
        return found

    @extend_schema(
        summary="Add a lot",
        description="To a draft: one PCC area (kind pcc_area, one slug), a group of PCC areas (areas) or the whole "
        "region (region, no slugs), with its value in pence for each financial year.",
        tags=CALL_OFF_TAGS,
        request=LotRequest,
        responses={201: OpenApiTypes.OBJECT},
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="lots", url_name="lots")
    def lots(self, request, reference=None):
        from dynamic_framework.geography.models import PccArea

        from . import services

        call_off = self.get_object()
        values = self._valid(LotRequest, request.data)
        slugs = values.get("pcc_areas") or []
        known = set(PccArea.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise ValidationError({"pcc_areas": [f"No PCC area has the slug {slug}" for slug in unknown]})
        try:
            lot = services.add_lot(
                actor=request.user,
                call_off=call_off,
                kind=values["kind"],
                pcc_areas=slugs,
                years=[dict(y) for y in values["years"]],
            )
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return rf_response.Response(_lot_json(lot), status=rf_status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a lot's values",
        description="Of a draft: the values for every financial year (they replace the lot's values).",
        tags=CALL_OFF_TAGS,
        request=LotYearsRequest,
        responses={200: OpenApiTypes.OBJECT},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a lot",
        description="From a draft.",
        tags=CALL_OFF_TAGS,
        request=None,
        responses={204: None},
    )
    @rf_decorators.action(detail=True, methods=["patch", "delete"], url_path=r"lots/(?P<lot>[0-9]+)", url_name="lot")
    def lot(self, request, reference=None, lot=None):
        from . import services

        call_off = self.get_object()
        the_lot = self._lot(call_off, int(lot))
        try:
            if request.method == "DELETE":
                services.remove_lot(actor=request.user, lot=the_lot)
                return rf_response.Response(status=rf_status.HTTP_204_NO_CONTENT)
            values = self._valid(LotYearsRequest, request.data)
            services.update_lot_years(actor=request.user, lot=the_lot, years=[dict(y) for y in values["years"]])
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return rf_response.Response(_lot_json(self._lot(call_off, the_lot.pk)))

    # Quality questions ------------------------------------------------------------------------------------------

    @extend_schema(
        summary="Add a quality question",
        description="To a draft, with its word limit, weight and scoring guidance. The weights of the questions, "
        "price and social value must add up to 100 before the call-off can be sent for approval.",
        tags=CALL_OFF_TAGS,
        request=QualityQuestionRequest,
        responses={201: OpenApiTypes.OBJECT},
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="quality-questions", url_name="quality-questions")
    def quality_questions(self, request, reference=None):
        from . import services

        call_off = self.get_object()
        values = self._valid(QualityQuestionRequest, request.data)
        try:
            question = services.add_quality_question(actor=request.user, call_off=call_off, **values)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return rf_response.Response(_quality_question_json(question), status=rf_status.HTTP_201_CREATED)

    @extend_schema(
        methods=["PATCH"],
        summary="Change a quality question",
        description="Of a draft: any of question, guidance, word_limit and weight.",
        tags=CALL_OFF_TAGS,
        request=QualityQuestionRequest,
        responses={200: OpenApiTypes.OBJECT},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a quality question",
        description="From a draft.",
        tags=CALL_OFF_TAGS,
        request=None,
        responses={204: None},
    )
    @rf_decorators.action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"quality-questions/(?P<question>[0-9]+)",
        url_name="quality-question",
    )
    def quality_question(self, request, reference=None, question=None):
        from . import services

        call_off = self.get_object()
        found = call_off.quality_questions.filter(pk=int(question)).first()
        if found is None:
            raise DjangoHttp404("No such question")
        try:
            if request.method == "DELETE":
                services.remove_quality_question(actor=request.user, question=found)
                return rf_response.Response(status=rf_status.HTTP_204_NO_CONTENT)
            values = self._valid(QualityQuestionRequest, request.data, partial=True)
            changed = services.update_quality_question(
                actor=request.user,
                question=found,
                text=values.get("question", found.question),
                guidance=values.get("guidance", found.guidance),
                word_limit=values.get("word_limit", found.word_limit),
                weight=values.get("weight", found.weight),
            )
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return rf_response.Response(_quality_question_json(changed))

    # Approval, publication and after ----------------------------------------------------------------------------

    def _act(self, request, service, **kwargs):
        call_off = self.get_object()
        try:
            service(actor=request.user, call_off=call_off, **kwargs)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._detail(call_off)

    def _reason(self, request) -> str:
        return self._valid(ReasonRequest, request.data)["reason"]

    @_action_schema(
        "Send a draft for approval",
        "When it is ready (see readiness; otherwise 400 with each problem). Another commissioner for the region "
        "must then approve it.",
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="submit-for-approval", url_name="submit-for-approval")
    def submit_for_approval(self, request, reference=None):
        from . import services

        return self._act(request, services.submit_for_approval)

    @_action_schema(
        "Approve and publish (a second commissioner)",
        "Four eyes: a commissioner for the region other than the one who sent it for approval (the sender gets a "
        "400 saying so). It is published, and qualified providers are told.",
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="approve", url_name="approve")
    def approve(self, request, reference=None):
        from . import services

        return self._act(request, services.approve_and_publish)

    @_action_schema(
        "Send back a call-off waiting for approval",
        "It becomes a draft again; the commissioner who sent it is told the reason.",
        ReasonRequest,
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="send-back", url_name="send-back")
    def send_back(self, request, reference=None):
        from . import services

        return self._act(request, services.return_to_draft, reason=self._reason(request))

    @_action_schema(
        "Amend a published call-off",
        "While it is open for bids: what changed in plain English (summary), and the new title, call_off_summary, "
        "questions_close_at, deadline_at, expected_award_on, term_start, cohort_note or lots' values. The amendment "
        "is published, bidders are told, and bids submitted before it must be submitted again.",
        AmendRequest,
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="amend", url_name="amend")
    def amend(self, request, reference=None):
        from . import services

        call_off = self.get_object()
        values = self._valid(AmendRequest, request.data)
        lot_years = {}
        lot_ids = set(call_off.lots.values_list("pk", flat=True))
        for index, item in enumerate(values.pop("lots", None) or []):
            if item["id"] not in lot_ids:
                raise ValidationError({f"lots.{index}.id": ["This call-off has no lot with this id"]})
            lot_years[item["id"]] = [dict(y) for y in item["years"]]
        try:
            services.amend_call_off(actor=request.user, call_off=call_off, lot_years=lot_years, **values)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._detail(call_off)

    @_action_schema("Cancel a call-off", "With the reason, which is published and sent to bidders.", ReasonRequest)
    @rf_decorators.action(detail=True, methods=["post"], url_path="cancel", url_name="cancel")
    def cancel(self, request, reference=None):
        from . import services

        return self._act(request, services.cancel_call_off, reason=self._reason(request))

    @_action_schema(
        "Close with no award",
        "After the deadline, for example when no bid is compliant: with the reason, published and sent to bidders.",
        ReasonRequest,
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="no-award", url_name="no-award")
    def no_award(self, request, reference=None):
        from . import services

        return self._act(request, services.close_with_no_award, reason=self._reason(request))

    @_action_schema(
        "Copy a call-off to run it again",
        "A new draft with the same details, lots, values and questions (the answer is the new draft). Set a new "
        "timetable before sending it for approval.",
        None,
        201,
    )
    @rf_decorators.action(detail=True, methods=["post"], url_path="copy", url_name="copy")
    def copy(self, request, reference=None):
        from . import services

        call_off = self.get_object()
        try:
            new = services.copy_call_off(actor=request.user, call_off=call_off)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        return self._detail(new, rf_status.HTTP_201_CREATED)

    # Providers' questions (never who asked) ---------------------------------------------------------------------

    @extend_schema(
        summary="Providers' questions about a call-off",
        description="Unanswered first, then oldest first: the question and when it was asked, and the published "
        "answer. Never the organisation or the person who asked.",
        tags=CALL_OFF_TAGS,
        responses={200: CommissionerQuestionSerializer(many=True)},
    )
    @rf_decorators.action(detail=True, methods=["get"], url_path="questions", url_name="questions")
    def questions(self, request, reference=None):
        from django.db.models import F

        from .models import ClarificationQuestion

        call_off = self.get_object()
        asked = (
            ClarificationQuestion.objects.filter(call_off=call_off)
            .only(*COMMISSIONER_QUESTION_FIELDS)
            .order_by(F("answered_at").asc(nulls_first=True), "asked_at", "pk")
        )
        page = self.paginate_queryset(asked)
        return self.get_paginated_response(CommissionerQuestionSerializer(page, many=True).data)

    @extend_schema(
        summary="Answer a provider's question",
        description="Before the deadline: the question as it will be published (take out anything that could show "
        "who asked) and the answer. Both are published to everyone, and bidders are told.",
        tags=CALL_OFF_TAGS,
        request=AnswerRequest,
        responses={200: CommissionerQuestionSerializer},
    )
    @rf_decorators.action(
        detail=True, methods=["post"], url_path=r"questions/(?P<question>[0-9]+)/answer", url_name="answer"
    )
    def answer(self, request, reference=None, question=None):
        from . import services
        from .models import ClarificationQuestion

        call_off = self.get_object()
        found = (
            ClarificationQuestion.objects.filter(call_off=call_off, pk=int(question))
            .only(*COMMISSIONER_QUESTION_FIELDS)
            .first()
        )
        if found is None:
            raise DjangoHttp404("No such question")
        values = self._valid(AnswerRequest, request.data)
        try:
            services.answer_question(actor=request.user, question=found, **values)
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        found = ClarificationQuestion.objects.only(*COMMISSIONER_QUESTION_FIELDS).get(pk=found.pk)
        return rf_response.Response(CommissionerQuestionSerializer(found).data)


# Providers' questions ------------------------------------------------------------------------------------------------


class HasProviderOrganisation(rf_permissions.BasePermission):
    """Signed in (401 otherwise), and a member of a provider organisation (403 otherwise). One question's route is a
    404 for anyone whose organisations did not ask it (see get_queryset)."""

    message = "Only provider organisations' administrators and staff ask questions about call-offs."

    def has_permission(self, request, view):
        from dynamic_framework.accounts.rules import member_organisation_ids

        if not (request.user and request.user.is_authenticated):
            return False
        return bool(member_organisation_ids(request.user))


@extend_schema_view(
    list=extend_schema(
        summary="Your organisations' questions about call-offs",
        description="Newest first, with the published answer once there is one. Provider administrators and staff.",
        tags=QUESTION_TAGS,
        parameters=[OpenApiParameter("call_off", OpenApiTypes.STR, description="Only this call-off's (reference).")],
    ),
    retrieve=extend_schema(
        summary="One of your organisations' questions",
        description="Another organisation's question answers 404.",
        tags=QUESTION_TAGS,
    ),
    create=extend_schema(
        summary="Ask a question about a published call-off",
        description="Privately, for one of your organisations, before questions close. The commissioners see the "
        "question but not who asked; the answer is published to everyone without saying who asked.",
        tags=QUESTION_TAGS,
        request=AskRequest,
        responses={201: ProviderQuestionSerializer},
    ),
)
class CallOffQuestionViewSet(
    rf_mixins.ListModelMixin, rf_mixins.RetrieveModelMixin, rf_mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [HasProviderOrganisation]
    serializer_class = ProviderQuestionSerializer

    def get_queryset(self):
        from dynamic_framework.accounts.rules import member_organisation_ids

        from .models import ClarificationQuestion

        return (
            ClarificationQuestion.objects.filter(organisation_id__in=member_organisation_ids(self.request.user))
            .select_related("call_off", "organisation")
            .order_by("-asked_at", "-pk")
        )

    def filter_queryset(self, queryset):
        reference = self.request.query_params.get("call_off")
        if self.action == "list" and reference:
            return queryset.filter(call_off__reference=reference)
        return queryset

    def create(self, request):
        from dynamic_framework.accounts.rules import member_organisation_ids
        from dynamic_framework.organisations.models import Organisation

        from . import services
        from .models import CallOff

        refuse_unknown(request.data, AskRequest().fields)
        incoming = AskRequest(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        call_off = (
            CallOff.objects.select_related("region")
            .filter(reference=data["call_off"], published_at__isnull=False)
            .first()
        )
        if call_off is None:
            raise ValidationError({"call_off": ["No published call-off has that reference"]})
        if not request.user.has_perm("calloffs.ask_question", call_off):
            raise rf_exceptions.PermissionDenied("Only provider organisations' administrators and staff ask questions.")
        organisations = list(Organisation.objects.filter(pk__in=member_organisation_ids(request.user)))
        slug = data.get("organisation")
        if slug:
            organisations = [org for org in organisations if org.slug == slug]
            if not organisations:
                raise ValidationError({"organisation": ["Give the slug of one of your organisations"]})
        elif len(organisations) > 1:
            raise ValidationError({"organisation": ["You belong to more than one organisation: say which is asking"]})
        try:
            asked = services.ask_question(
                actor=request.user, call_off=call_off, organisation=organisations[0], question=data["question"]
            )
        except django_exceptions.ValidationError as exc:
            raise refused(exc) from exc
        asked = self.get_queryset().get(pk=asked.pk)
        return rf_response.Response(ProviderQuestionSerializer(asked).data, status=rf_status.HTTP_201_CREATED)


def _register_manage(router) -> None:
    router.register("call-offs", CallOffViewSet, basename="call-off")
    router.register("call-off-questions", CallOffQuestionViewSet, basename="call-off-question")


# (Add other blocks of routes above this line, each with its own _register_... function.) -----------------------


# Supply chain invitations ---------------------------------------------------------------------------------------------
# /api/v1/supply-chain-invitations/ for members of organisations named in a bid's supply chain: who named them, for
# which call-off, their own terms as written in the bid (never the lead's prices, answers or other members), and
# POST .../respond/ {"confirm": true|false}. Anyone else's invitation answers 404.

from . import services as invitation_services  # noqa: E402


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    call_off = serializers.CharField(source="bid.call_off.reference")
    call_off_title = serializers.CharField(source="bid.call_off.title")
    lead_provider = serializers.CharField(source="bid.organisation.name")
    organisation = serializers.CharField(source="organisation.slug")
    invited_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    declined_at = serializers.DateTimeField(allow_null=True)
    removed_at = serializers.DateTimeField(allow_null=True)
    terms = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_terms(self, invitation) -> dict | None:
        return invitation_services.invitation_terms(invitation)


class InvitationResponseSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="true: we will take part; false: we will not.")


@extend_schema_view(
    list=extend_schema(
        summary="Supply chain invitations to your organisations",
        description="Bids that name one of your organisations in their supply chain, with your own terms only.",
        tags=["Bids"],
    ),
    retrieve=extend_schema(summary="One supply chain invitation", tags=["Bids"]),
)
class SupplyChainInvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InvitationSerializer
    permission_classes = [IsProviderMember]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        from dynamic_framework.accounts.rules import member_organisation_ids

        from .models import SupplyChainInvitation

        return (
            SupplyChainInvitation.objects.filter(organisation_id__in=member_organisation_ids(self.request.user))
            .select_related("bid__call_off", "bid__organisation", "bid__latest_submission", "organisation")
            .order_by("-invited_at", "-pk")
        )

    @extend_schema(
        summary="Confirm or decline taking part",
        request=InvitationResponseSerializer,
        responses={200: InvitationSerializer},
        tags=["Bids"],
    )
    @drf_decorators.action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        invitation = self.get_object()
        data = InvitationResponseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            invitation = invitation_services.respond_to_invitation(
                actor=request.user, invitation=invitation, confirm=data.validated_data["confirm"]
            )
        except DjangoValidationError as exc:
            raise ValidationError(_service_errors(exc)) from exc
        return drf_response.Response(InvitationSerializer(invitation).data)


def _register_invitations(router) -> None:
    router.register("supply-chain-invitations", SupplyChainInvitationViewSet, basename="supply-chain-invitation")


def register(router) -> None:
    """Add this app's routes to the API router."""
    _register_opportunities(router)
    _register_evaluation(router)
    _register_bids(router)
    _register_manage(router)
    _register_invitations(router)
