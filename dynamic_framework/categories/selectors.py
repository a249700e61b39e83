from django.db.models import Count, Prefetch, Q, QuerySet

from .models import ComplexityLevel, DesiredOutcome, ReferralCategory, ServiceCategory


def framework_category_count() -> int:
    return ServiceCategory.objects.count()


def framework_categories() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.annotate(
        current_outcome_count=Count(
            "referral_categories__desired_outcomes",
            filter=Q(referral_categories__desired_outcomes__retired_on__isnull=True),
            distinct=True,
        )
    ).order_by("number")


def framework_category_detail(slug: str) -> QuerySet[ServiceCategory]:
    core = ReferralCategory.objects.order_by("name").prefetch_related(
        Prefetch("desired_outcomes", queryset=DesiredOutcome.objects.order_by("retired_on", "description")),
        Prefetch("complexity_levels", queryset=ComplexityLevel.objects.all()),
        Prefetch("variants", queryset=ReferralCategory.objects.order_by("name")),
    )
    return ServiceCategory.objects.filter(slug=slug).prefetch_related(Prefetch("referral_categories", queryset=core))


def referral_categories() -> QuerySet[ReferralCategory]:
    return ReferralCategory.objects.select_related("core_category").prefetch_related("framework_categories")


def desired_outcomes() -> QuerySet[DesiredOutcome]:
    return DesiredOutcome.objects.select_related("referral_category")
