"""The call-offs API: opportunities (public), and the whole competition for those allowed to take part.

Each group of routes is in its own block below, with a function that adds them; register() calls each block's.

- /api/v1/opportunities/            public, read-only: published call-offs with the Opportunities page's filters
                                    (a bad value answers 400 with the field's message), and one by reference with
                                    everything on its public page. Times are ISO 8601 in UTC, money integer pence.
                                    Never the number of bids or who bid; the winners only once the award is final.
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


# (Add other blocks of routes above this line, each with its own _register_... function.) -----------------------


def register(router) -> None:
    """Add this app's routes to the API router."""
    _register_opportunities(router)
