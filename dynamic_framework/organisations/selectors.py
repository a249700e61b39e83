"""Reads for the directory, profiles and the API. Sector and size band come from classification.py."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from dynamic_framework.geography.models import PccArea, Region

from . import classification
from .models import Organisation, OrganisationAlias, OrganisationIdentifier, Specialism


def provider_count() -> int:
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).count()


def specialisms() -> QuerySet[Specialism]:
    return Specialism.objects.order_by("position", "name")


@dataclass
class DirectoryFilters:
    """What the directory is filtered by. Empty means no filter. Values are checked by forms.DirectoryFilterForm."""

    q: str = ""
    kind: str = ""
    region: str = ""  # region code, like "J"
    pcc_area: str = ""  # PCC area slug
    sectors: list[str] = field(default_factory=list)
    size_bands: list[str] = field(default_factory=list)
    specialisms: list[str] = field(default_factory=list)  # specialism slugs

    @property
    def active(self) -> bool:
        return any([self.q, self.kind, self.region, self.pcc_area, self.sectors, self.size_bands, self.specialisms])


def _with_listing_data(qs: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return qs.select_related("region", "pcc_area").prefetch_related(
        Prefetch("specialisms", queryset=Specialism.objects.order_by("position", "name")),
        Prefetch("pcc_areas_served", queryset=PccArea.objects.select_related("region").order_by("name")),
        Prefetch("aliases", queryset=OrganisationAlias.objects.order_by("name")),
        Prefetch("identifiers", queryset=OrganisationIdentifier.objects.order_by("scheme", "identifier")),
    )


def directory(filters: DirectoryFilters | None = None) -> QuerySet[Organisation]:
    """Organisations matching every filter given (any of the values within one filter), by name."""
    filters = filters or DirectoryFilters()
    qs = Organisation.objects.all()
    served = Organisation.pcc_areas_served.through.objects
    if filters.q:
        alias_match = OrganisationAlias.objects.filter(name__icontains=filters.q).values("organisation_id")
        qs = qs.filter(Q(name__icontains=filters.q) | Q(pk__in=alias_match))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        in_region = served.filter(pccarea__region__code=filters.region).values("organisation_id")
        qs = qs.filter(Q(pk__in=in_region) | Q(region__code=filters.region))
    if filters.pcc_area:
        qs = qs.filter(
            Q(pk__in=served.filter(pccarea__slug=filters.pcc_area).values("organisation_id"))
            | Q(pcc_area__slug=filters.pcc_area)
        )
    if filters.sectors:
        q = Q()
        for sector in filters.sectors:
            q |= classification.sector_q(sector)
        qs = qs.filter(q)
    if filters.size_bands:
        q = Q()
        for band in filters.size_bands:
            q |= classification.size_band_q(band)
        qs = qs.filter(q)
    if filters.specialisms:
        with_specialism = Organisation.specialisms.through.objects.filter(
            specialism__slug__in=filters.specialisms
        ).values("organisation_id")
        qs = qs.filter(pk__in=with_specialism)
    return _with_listing_data(qs).order_by("name", "pk")


def organisation_profile(slug: str) -> QuerySet[Organisation]:
    return _with_listing_data(Organisation.objects.filter(slug=slug))


def regions_with_areas() -> QuerySet[Region]:
    return Region.objects.order_by("name").prefetch_related(
        Prefetch("pcc_areas", queryset=PccArea.objects.order_by("name"))
    )


def areas_by_region(areas) -> list[tuple[Region, list[PccArea]]]:
    """PCC areas (with their region loaded) grouped under their region, both by name."""
    groups: dict[int, tuple[Region, list[PccArea]]] = {}
    for area in areas:
        groups.setdefault(area.region_id, (area.region, []))[1].append(area)
    return sorted(((r, sorted(a, key=lambda x: x.name)) for r, a in groups.values()), key=lambda g: g[0].name)
