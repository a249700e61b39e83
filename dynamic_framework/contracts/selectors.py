"""Reads for contracts, awards and rounds. Each returns a queryset that loads what lists and analyses show in a
fixed number of queries (lead provider, region, PCC area, award, round, commissioner, service categories and
the supply chain with its organisations), whatever the number of rows.
"""

from django.db.models import Count, Prefetch, QuerySet, Sum

from dynamic_framework.organisations import classification
from dynamic_framework.organisations.models import Organisation

from .models import Award, CommissioningRound, Contract, SupplyChainMember


def rounds() -> QuerySet[CommissioningRound]:
    return CommissioningRound.objects.annotate(
        contract_count=Count("contracts", distinct=True), award_count=Count("awards", distinct=True)
    ).order_by("position", "name")


def default_round() -> CommissioningRound | None:
    """The round analyses show unless told otherwise: position 0 (the 2021 national awards)."""
    return CommissioningRound.objects.order_by("position", "name").first()


def _supply_chain_prefetch() -> Prefetch:
    return Prefetch(
        "supply_chain",
        queryset=SupplyChainMember.objects.select_related("organisation").order_by("organisation__name"),
    )


def contracts(*, round: CommissioningRound | None = None) -> QuerySet[Contract]:
    """Contracts with everything about them loaded; `round` narrows to one commissioning round."""
    qs = Contract.objects.select_related(
        "round", "award", "award__lead_provider", "lead_provider", "region", "pcc_area", "commissioner"
    ).prefetch_related("service_categories", _supply_chain_prefetch())
    if round is not None:
        qs = qs.filter(round=round)
    return qs


def awards(*, round: CommissioningRound | None = None) -> QuerySet[Award]:
    """Awards with their lead provider, region and contracts (each with its PCC area)."""
    qs = (
        Award.objects.select_related("round", "region", "lead_provider")
        .prefetch_related(
            Prefetch("contracts", queryset=Contract.objects.select_related("pcc_area", "region").order_by("reference"))
        )
        .annotate(contract_count=Count("contracts"))
    )
    if round is not None:
        qs = qs.filter(round=round)
    return qs


def lead_organisations(*, round: CommissioningRound | None = None) -> QuerySet[Organisation]:
    """Each organisation that leads at least one contract (in `round`), once, with its sector and size band
    annotated (`sector_code`, `size_band_code`) and its number of contracts led (`contracts_led_count`)."""
    filters = {"contracts_led__round": round} if round is not None else {"contracts_led__isnull": False}
    return (
        Organisation.objects.filter(**filters)
        .annotate(
            contracts_led_count=Count("contracts_led", distinct=True),
            sector_code=classification.sector_annotation(),
            size_band_code=classification.size_band_annotation(),
        )
        .prefetch_related("specialisms")
        .order_by("name")
    )


def supply_chain_organisations(*, round: CommissioningRound | None = None) -> QuerySet[Organisation]:
    """Each organisation with a place in a supply chain (in `round`), once, annotated like lead_organisations."""
    filters = {"supply_chain_places__contract__round": round} if round is not None else {}
    return (
        Organisation.objects.filter(supply_chain_places__isnull=False, **filters)
        .annotate(
            supply_chain_places_count=Count("supply_chain_places", distinct=True),
            sector_code=classification.sector_annotation(),
            size_band_code=classification.size_band_annotation(),
        )
        .prefetch_related("specialisms")
        .order_by("name")
    )


def award_value_total(*, round: CommissioningRound | None = None, lot_type: str = "") -> int:
    """The sum of published award values in pence (awards without a value count as nothing)."""
    qs = Award.objects.all()
    if round is not None:
        qs = qs.filter(round=round)
    if lot_type:
        qs = qs.filter(lot_type=lot_type)
    return qs.aggregate(total=Sum("value_pence"))["total"] or 0
