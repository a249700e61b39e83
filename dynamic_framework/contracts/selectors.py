"""Reads for contracts, awards and rounds. Each returns a queryset that loads what lists and analyses show in a
fixed number of queries (lead provider, region, PCC area, award, round, commissioner, service categories and
the supply chain with its organisations), whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)

from dynamic_framework.organisations import classification
from dynamic_framework.organisations.models import Organisation

from . import status
from .models import (
    Award,
    CommissioningRound,
    Contract,
    ContractArea,
    ContractDocument,
    ContractYear,
    ExtensionOption,
    SupplyChainMember,
)


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


# The contract register (issue 6, register part) ---------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    """The register's filters, already checked (forms_register.RegisterFilterForm): codes and slugs, not objects."""

    q: str = ""
    region: str = ""  # region code
    pcc_area: str = ""  # PCC area slug: the contract's lot, or an area it serves or served
    category: str = ""  # service category slug
    provider: str = ""  # organisation slug: lead provider or supply chain member
    status: str = ""
    ends_after: date | None = None
    ends_before: date | None = None
    round: str = ""  # commissioning round slug
    funding: str = ""  # funding mechanism


def _award_contract_count():
    return Subquery(
        Contract.objects.filter(award=OuterRef("award"))
        .order_by()
        .values("award")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def _years_value():
    return Subquery(
        ContractYear.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(total=Sum("value_pence"))
        .values("total")[:1],
        output_field=BigIntegerField(),
    )


def register_contracts(filters: RegisterFilters | None = None, *, on: date | None = None) -> QuerySet[Contract]:
    """The register's contracts matching `filters`, with what the list, the CSV and the API show loaded in a fixed
    number of queries: status facts, the award's number of contracts, the years' total value, years, areas served
    and extension options."""
    filters = filters or RegisterFilters()
    qs = status.with_status_facts(contracts()).annotate(
        award_contract_count=_award_contract_count(), years_value_pence=_years_value()
    )
    qs = qs.prefetch_related(
        Prefetch("years", queryset=ContractYear.objects.order_by("financial_year")),
        Prefetch("areas", queryset=ContractArea.objects.select_related("pcc_area").order_by("pcc_area__name")),
        Prefetch("extension_options", queryset=ExtensionOption.objects.order_by("position")),
    )
    if filters.region:
        qs = qs.filter(
            Q(region__code=filters.region)
            | Exists(ContractArea.objects.filter(contract=OuterRef("pk"), pcc_area__region__code=filters.region))
        )
    if filters.pcc_area:
        qs = qs.filter(
            Q(pcc_area__slug=filters.pcc_area)
            | Exists(ContractArea.objects.filter(contract=OuterRef("pk"), pcc_area__slug=filters.pcc_area))
        )
    if filters.category:
        through = Contract.service_categories.through
        qs = qs.filter(Exists(through.objects.filter(contract=OuterRef("pk"), servicecategory__slug=filters.category)))
    if filters.provider:
        qs = qs.filter(
            Q(lead_provider__slug=filters.provider)
            | Exists(SupplyChainMember.objects.filter(contract=OuterRef("pk"), organisation__slug=filters.provider))
        )
    if filters.status:
        qs = qs.filter(status.status_q(filters.status, on=on))
    if filters.ends_after:
        qs = qs.filter(end_date__gte=filters.ends_after)
    if filters.ends_before:
        qs = qs.filter(end_date__lte=filters.ends_before)
    if filters.round:
        qs = qs.filter(round__slug=filters.round)
    if filters.funding:
        qs = qs.filter(funding_mechanism=filters.funding)
    if filters.q:
        text = filters.q
        qs = qs.filter(
            Q(reference__icontains=text)
            | Q(hmpps_reference__icontains=text)
            | Q(title__icontains=text)
            | Q(lead_provider__name__icontains=text)
            | Exists(SupplyChainMember.objects.filter(contract=OuterRef("pk"), organisation__name__icontains=text))
        )
    return qs


def register_contract(reference: str) -> Contract | None:
    """One contract with everything its page shows (documents, the award's other contracts, the supply chain's
    history) loaded."""
    return (
        register_contracts()
        .prefetch_related(
            Prefetch("documents", queryset=ContractDocument.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "award__contracts",
                queryset=Contract.objects.select_related("pcc_area", "region").order_by("reference"),
            ),
        )
        .filter(reference=reference)
        .first()
    )


def available_options(contract, *, on: date | None = None) -> list[ExtensionOption]:
    """The extension options not taken up whose last day has not passed (from the prefetched options)."""
    day = on or status.today()
    return [o for o in contract.extension_options.all() if o.exercised_at is None and o.exercise_by >= day]


PIPELINE_MONTHS = (6, 12, 18)


def pipeline(
    *, months: int = 12, regions: list[str] | None = None, category: str = "", on: date | None = None
) -> QuerySet[Contract]:
    """Contracts ending in the next `months` months (from the day, UK), not terminated, soonest first: for
    re-commissioning. `regions` narrows to region codes, `category` to a service category slug."""
    from dynamic_framework.qualification.models import add_months

    day = on or status.today()
    qs = register_contracts(RegisterFilters(category=category), on=day).filter(
        end_date__gte=day, end_date__lte=add_months(day, months)
    )
    qs = qs.exclude(terminated_on__isnull=False, terminated_on__lte=day)
    if regions:
        qs = qs.filter(region__code__in=regions)
    return qs.order_by("end_date", "region__name", "lot_type", "reference")
