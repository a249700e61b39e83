"""Reads for the insights. Each returns a queryset (or a small dict) that loads everything the analysis needs in
one query, whatever the number of contracts: the analysis makes a fixed, small number of queries.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dynamic_framework.contracts.models import CommissioningRound, Contract, SupplyChainMember
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.models import Specialism


def rounds() -> QuerySet[CommissioningRound]:
    return CommissioningRound.objects.order_by("position", "name")


def default_round() -> CommissioningRound | None:
    """The round shown unless another is chosen: position 0 (the 2021 national awards)."""
    return rounds().first()


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def pcc_areas() -> QuerySet[PccArea]:
    return PccArea.objects.select_related("region").order_by("name")


def specialisms() -> QuerySet[Specialism]:
    return Specialism.objects.order_by("position", "name")


def contracts_q(*, region: Region | None = None, lot_type: str = "", pcc_area: PccArea | None = None) -> Q:
    """The contracts a filter selects. A PCC area selects the contracts for that area and the regional
    contracts of its region (a regional contract covers every area in its region)."""
    q = Q()
    if region is not None:
        q &= Q(region=region)
    if lot_type:
        q &= Q(lot_type=lot_type)
    if pcc_area is not None:
        q &= Q(pcc_area=pcc_area) | Q(pcc_area__isnull=True, region_id=pcc_area.region_id)
    return q


def current_members_q(on: date | None = None) -> Q:
    """Supply chain members still in the supply chain on `on` (today if not given): a member removed through the
    service keeps its row with its last day (left_on), and is not counted after it. Imported members have no last
    day, so the published figures do not change."""
    day = on or timezone.localdate()
    return Q(left_on__isnull=True) | Q(left_on__gte=day)


def contracts(
    *,
    round: CommissioningRound,
    region: Region | None = None,
    lot_type: str = "",
    pcc_area: PccArea | None = None,
    on: date | None = None,
) -> QuerySet[Contract]:
    """The round's contracts in the selection, with their award, lead providers, region, PCC area and supply
    chain (each member with its organisation, the members current on `on`, today if not given): two queries."""
    members = (
        SupplyChainMember.objects.filter(current_members_q(on))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    return (
        Contract.objects.filter(Q(round=round) & contracts_q(region=region, lot_type=lot_type, pcc_area=pcc_area))
        .select_related("award", "award__lead_provider", "award__region", "lead_provider", "region", "pcc_area")
        .prefetch_related(Prefetch("supply_chain", queryset=members))
        .order_by("reference")
    )


def specialisms_by_organisation(organisation_ids) -> dict[int, set[str]]:
    """Organisation id -> the slugs of its specialisms, for the given organisations: one query."""
    through = Specialism.organisations.through
    out: dict[int, set[str]] = defaultdict(set)
    rows = through.objects.filter(organisation_id__in=list(organisation_ids)).values_list(
        "organisation_id", "specialism__slug"
    )
    for org_id, slug in rows:
        out[org_id].add(slug)
    return out
