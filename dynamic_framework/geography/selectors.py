from django.db.models import Count, Prefetch, QuerySet

from .models import PccArea, ProbationDeliveryUnit, Region


def region_count() -> int:
    return Region.objects.count()


def pcc_area_count() -> int:
    return PccArea.objects.count()


def regions_with_areas() -> QuerySet[Region]:
    return Region.objects.annotate(delivery_unit_count=Count("delivery_units", distinct=True)).prefetch_related(
        Prefetch("pcc_areas", queryset=PccArea.objects.order_by("name"))
    )


def region_detail(slug: str) -> QuerySet[Region]:
    return Region.objects.filter(slug=slug).prefetch_related(
        Prefetch("pcc_areas", queryset=PccArea.objects.order_by("name")),
        Prefetch("delivery_units", queryset=ProbationDeliveryUnit.objects.order_by("name")),
    )


def pcc_areas() -> QuerySet[PccArea]:
    return PccArea.objects.select_related("region").order_by("name")


def delivery_units() -> QuerySet[ProbationDeliveryUnit]:
    return ProbationDeliveryUnit.objects.select_related("region").order_by("code")
