"""The analysis of a commissioning round: who holds the contracts, how much money, supply chains, concentration,
Wales, specialist organisations, coverage and when contracts end.

`analyse(round=..., region=..., lot_type=..., pcc_area=...)` loads the selected contracts once (five queries,
whatever their number) and works out every figure in Python. Each figure carries the key of the set of
contracts behind it (`Analysis.contract_sets`), so every number can be listed and exported.

How values are attributed (docs/adr/0007-insights-values-and-rounding.md): a value belongs to an award, and an
award has one lead provider, one region and one lot type, so values by region, lot type, sector and provider
are sums of whole award values. Contracts have no value of their own. When a PCC area is chosen, an award that
covers that area is counted whole, even if it also covers other areas: the page says so.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dynamic_framework.contracts.models import CommissioningRound, Contract, LotType
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations import classification
from dynamic_framework.organisations.classification import Sector, SizeBand

from . import selectors, summaries
from .figures import (
    COUNT,
    DATE,
    HHI,
    LIST,
    PENCE,
    SHARE,
    TEXT,
    Bar,
    Cell,
    Chart,
    Column,
    ContractSet,
    Figure,
    Share,
    Table,
    display,
    hhi,
    top_share,
)

SECTOR_ORDER = [Sector.VOLUNTARY, Sector.PRIVATE, Sector.PUBLIC, Sector.UNKNOWN]
SIZE_ORDER = classification.SIZE_BAND_CODES  # micro ... major, then unknown
# "Small organisations" on the insights pages: income under £1 million (the micro, small and medium bands).
SMALL_BANDS = {SizeBand.MICRO, SizeBand.SMALL, SizeBand.MEDIUM}
# "Income over £1m" (seed 000): the large and major bands.
OVER_1M_BANDS = {SizeBand.LARGE, SizeBand.MAJOR}
# An organisation in the supply chains of this many contract areas or more is "in many areas".
MANY_AREAS = 5
TOP_N = 5
WELSH = "welsh-organisation"
WOMENS = "womens-organisation"
RACIALLY_MINORITISED = "led-by-and-for-racially-minoritised-people"
# Where HHI thresholds come from: the OFT/Competition Commission Merger Assessment Guidelines (2010), 5.3.5.
HHI_CONCENTRATED = 1_000
HHI_HIGHLY_CONCENTRATED = 2_000

# The rules, as the pages, downloads and API state them (docs/adr/0007-insights-values-and-rounding.md).
VALUE_RULE = gettext_lazy(
    "Money is the published award values, in whole pence. An award has one lead provider, one region and one lot "
    "type, so values by region, lot type, sector and provider add up whole awards. Contracts have no value of their "
    "own: an award covering several PCC areas is not split between them, and when a PCC area is chosen, each award "
    "covering it is counted whole. Values are for the standard term as published, not possible extensions."
)
PERCENT_RULE = gettext_lazy(
    "Shares are worked out exactly from counts or pence and rounded only when shown, halves rounded up: to whole "
    "percentages on the page and in text, to one decimal place in the CSV and JSON downloads and the API (which also "
    "give each share's exact numerator and denominator)."
)
HHI_RULE = gettext_lazy(
    "The Herfindahl-Hirschman index (HHI) is the sum of the squares of each lead provider's share of the value in a "
    "lot type, in percentage points (0 to 10,000), worked out exactly from pence and rounded to a whole number, "
    "halves rounded up."
)
CLASSIFICATION_RULE = gettext_lazy(
    "Sector comes from each organisation's legal form, or a recorded override with its reason; size from its latest "
    "income, or a size band known from public facts. Organisations whose sector or size is not recorded are counted "
    "as 'not known', never left out."
)


def sector_label(code: str) -> str:
    return str(classification.SECTOR_LABELS.get(code, code))


def size_label(code: str) -> str:
    return str(classification.SIZE_BAND_LABELS.get(code, code))


def lot_label(code: str) -> str:
    try:
        return str(LotType(code).label)
    except ValueError:
        return code


def hhi_level(value: int | None) -> str:
    if value is None:
        return _("Not known")
    if value > HHI_HIGHLY_CONCENTRATED:
        return _("Highly concentrated")
    if value > HHI_CONCENTRATED:
        return _("Concentrated")
    return _("Not concentrated")


# ---------------------------------------------------------------------------------------------------------
# What is selected


class SelectionError(LookupError):
    """A filter value that names nothing (an unknown round slug, region code, lot type or PCC area slug)."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


@dataclass(frozen=True)
class Selection:
    round: CommissioningRound
    region: Region | None = None
    lot_type: str = ""
    pcc_area: PccArea | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.region or self.lot_type or self.pcc_area)

    def params(self, **extra) -> dict[str, str]:
        """The query parameters that select this again (for links), plus `extra`."""
        out = {"round": self.round.slug}
        if self.region is not None:
            out["region"] = self.region.code
        if self.lot_type:
            out["lot_type"] = self.lot_type
        if self.pcc_area is not None:
            out["pcc_area"] = self.pcc_area.slug
        out.update({k: v for k, v in extra.items() if v})
        return out

    def describe(self) -> str:
        parts = [self.round.name]
        if self.region is not None:
            parts.append(self.region.name)
        if self.pcc_area is not None:
            parts.append(self.pcc_area.name)
        if self.lot_type:
            parts.append(lot_label(self.lot_type))
        return ", ".join(parts)

    def as_json(self) -> dict:
        return {
            "round": {"slug": self.round.slug, "name": self.round.name},
            "region": {"code": self.region.code, "name": self.region.name} if self.region else None,
            "lot_type": {"code": self.lot_type, "label": lot_label(self.lot_type)} if self.lot_type else None,
            "pcc_area": {"slug": self.pcc_area.slug, "name": self.pcc_area.name} if self.pcc_area else None,
        }


def resolve_selection(*, round=None, region=None, lot_type=None, pcc_area=None) -> Selection:
    """Model instances or their keys (round slug, region code, lot type code, PCC area slug) -> a Selection.
    No round means the default round (the 2021 awards)."""
    if round is None or round == "":
        round = selectors.default_round()
        if round is None:
            raise SelectionError("round", _("There are no commissioning rounds yet"))
    elif isinstance(round, str):
        found = selectors.rounds().filter(slug=round).first()
        if found is None:
            raise SelectionError("round", _("There is no commissioning round %(slug)s") % {"slug": round})
        round = found
    if isinstance(region, str):
        found = selectors.regions().filter(code=region).first() if region else None
        if region and found is None:
            raise SelectionError("region", _("There is no probation region %(code)s") % {"code": region})
        region = found
    if lot_type and lot_type not in LotType.values:
        raise SelectionError("lot_type", _("There is no lot type %(code)s") % {"code": lot_type})
    if isinstance(pcc_area, str):
        found = selectors.pcc_areas().filter(slug=pcc_area).first() if pcc_area else None
        if pcc_area and found is None:
            raise SelectionError("pcc_area", _("There is no PCC area %(slug)s") % {"slug": pcc_area})
        pcc_area = found
    if region is not None and pcc_area is not None and pcc_area.region_id != region.pk:
        raise SelectionError(
            "pcc_area", _("%(area)s is not in %(region)s") % {"area": pcc_area.name, "region": region.name}
        )
    return Selection(round=round, region=region, lot_type=lot_type or "", pcc_area=pcc_area)


# ---------------------------------------------------------------------------------------------------------
# The result


@dataclass
class CoverageCell:
    lot_type: str
    contracts: list[Contract]
    set_key: str


@dataclass
class CoverageRow:
    area: PccArea
    cells: list[CoverageCell]


@dataclass
class Analysis:
    selection: Selection
    contracts: list[Contract]
    headline: list[Figure]
    tables: dict[str, Table]
    contract_sets: dict[str, ContractSet]
    coverage_lot_types: list[str] = field(default_factory=list)
    coverage: list[CoverageRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    published: list = field(default_factory=list)  # published.Comparison, for the whole round only
    published_note: str = ""

    def figure(self, key: str) -> Figure:
        for f in self.headline:
            if f.key == key:
                return f
        raise KeyError(key)

    def table(self, slug: str) -> Table:
        return self.tables[slug]

    def lookup(self, path: str):
        """A figure's (value, unit, contracts key) by path: a headline key, or table.row.column."""
        parts = path.split(".")
        if len(parts) == 1:
            f = self.figure(path)
            return f.value, f.unit, f.contracts
        table_slug, row_key, column_key = parts[0], ".".join(parts[1:-1]), parts[-1]
        table = self.tables[table_slug]
        cell = table.cell(row_key, column_key)
        return cell.value, table.unit(cell, table._column(column_key)), cell.contracts

    def contracts_for(self, key: str) -> list[Contract]:
        ids = set(self.contract_sets[key].ids)
        return [c for c in self.contracts if c.pk in ids]

    def all_figures(self) -> list[dict]:
        """Every figure, flat: the headline, then each numeric cell of each table (the figures download)."""
        out = [
            {
                "key": f.key,
                "label": f.label,
                "value": f.value,
                "unit": f.unit,
                "contracts": f.contracts,
            }
            for f in self.headline
        ]
        for table in self.tables.values():
            label_column = table.columns[0]
            for row in table.rows:
                row_label = display(row.cells[label_column.key].value, label_column.unit)
                for column in table.columns[1:]:
                    cell = row.cells.get(column.key)
                    unit = table.unit(cell, column) if cell else column.unit
                    if cell is None or unit not in (COUNT, PENCE, SHARE, HHI):
                        continue
                    out.append(
                        {
                            "key": f"{table.slug}.{row.key}.{column.key}",
                            "label": f"{table.title}: {row_label}: {column.label}",
                            "value": cell.value,
                            "unit": unit,
                            "contracts": cell.contracts,
                        }
                    )
        return out


# ---------------------------------------------------------------------------------------------------------
# Working it out


def analyse(*, round=None, region=None, lot_type=None, pcc_area=None) -> Analysis:
    """Every figure for the selection. Raises SelectionError for a filter value that names nothing."""
    selection = resolve_selection(round=round, region=region, lot_type=lot_type, pcc_area=pcc_area)
    contracts = list(
        selectors.contracts(
            round=selection.round, region=selection.region, lot_type=selection.lot_type, pcc_area=selection.pcc_area
        )
    )
    org_ids = set()
    for c in contracts:
        org_ids.add(c.lead_provider_id)
        if c.award_id:
            org_ids.add(c.award.lead_provider_id)
        org_ids.update(m.organisation_id for m in c.supply_chain.all())
    specialisms = selectors.specialisms_by_organisation(org_ids) if org_ids else {}
    areas = selectors.pcc_areas()
    if selection.pcc_area is not None:
        areas = areas.filter(pk=selection.pcc_area.pk)
    elif selection.region is not None:
        areas = areas.filter(region=selection.region)
    builder = _Builder(selection, contracts, specialisms, list(selectors.specialisms()), list(areas))
    analysis = builder.build()
    from . import published  # the published statements compare against a whole round's figures

    published.attach(analysis)
    return analysis


class _Builder:
    def __init__(self, selection, contracts, specialisms, specialism_list, areas):
        self.selection = selection
        self.contracts = contracts
        self.specialisms = specialisms
        self.specialism_list = specialism_list
        self.areas = areas
        self.sets: dict[str, ContractSet] = {}
        self.tables: dict[str, Table] = {}
        self.awards = {}
        self.award_contracts = defaultdict(list)
        for c in contracts:
            if c.award_id:
                self.awards[c.award_id] = c.award
                self.award_contracts[c.award_id].append(c)
        self.lot_types = (
            [selection.lot_type]
            if selection.lot_type
            else [lt for lt in LotType.values if any(c.lot_type == lt for c in contracts)]
        )

    # -- helpers --------------------------------------------------------------------------------------------

    def contract_set(self, key: str, label: str, contracts) -> str:
        chosen = {c.pk for c in contracts}
        ordered = [c for c in self.contracts if c.pk in chosen]
        self.sets[key] = ContractSet(key, label, [c.pk for c in ordered], [c.reference for c in ordered])
        return key

    def award_set(self, key: str, label: str, awards) -> str:
        """The contracts (in the selection) of these awards."""
        return self.contract_set(key, label, [c for a in awards for c in self.award_contracts[a.pk]])

    def has(self, org_id: int, specialism: str) -> bool:
        return specialism in self.specialisms.get(org_id, ())

    @staticmethod
    def value(awards) -> int:
        return sum(a.value_pence for a in awards if a.value_pence is not None)

    @staticmethod
    def lot_name(c: Contract) -> str:
        return c.pcc_area.name if c.pcc_area_id else _("%(region)s (whole region)") % {"region": c.region.name}

    @staticmethod
    def lot_key(c: Contract) -> tuple:
        return ("area", c.pcc_area_id) if c.pcc_area_id else ("region", c.region_id)

    def valued(self, awards) -> list:
        return [a for a in awards if a.value_pence is not None]

    # -- the whole ----------------------------------------------------------------------------------------------

    def build(self) -> Analysis:
        contracts = self.contracts
        everything = self.contract_set("all", _("Every contract in the selection"), contracts)
        awards = list(self.awards.values())
        valued = self.valued(awards)
        total = self.value(awards)
        self.total_value = total
        leads = {c.lead_provider_id: c.lead_provider for c in contracts}
        voluntary_leads = {pk: o for pk, o in leads.items() if o.sector == Sector.VOLUNTARY}
        voluntary_awards = [a for a in valued if a.lead_provider.sector == Sector.VOLUNTARY]
        members = {m.organisation_id: m.organisation for c in contracts for m in c.supply_chain.all()}

        notes = []
        if self.selection.pcc_area is not None:
            notes.append(
                _(
                    "A PCC area is chosen: its contracts and its region's regional contracts are shown. Award values "
                    "are counted whole: an award that also covers other areas is not split between them, so values "
                    "here add up to more than the area's own share."
                )
            )
        no_award = [c for c in contracts if not c.award_id]
        if no_award:
            notes.append(
                ngettext(
                    "%(count)s contract has no award with a published value: it is counted in the contracts but not "
                    "in the values.",
                    "%(count)s contracts have no award with a published value: they are counted in the contracts "
                    "but not in the values.",
                    len(no_award),
                )
                % {"count": len(no_award)}
            )
        unvalued = [a for a in awards if a.value_pence is None]
        if unvalued:
            notes.append(
                ngettext(
                    "%(count)s award has no published value.",
                    "%(count)s awards have no published value.",
                    len(unvalued),
                )
                % {"count": len(unvalued)}
            )

        voluntary_contracts = [c for c in contracts if c.lead_provider.sector == Sector.VOLUNTARY]
        headline = [
            Figure("contracts", _("Contracts"), len(contracts), COUNT, everything),
            Figure(
                "awards",
                _("Awards"),
                len(awards),
                COUNT,
                self.contract_set(
                    "with-award", _("Contracts that are part of an award"), [c for c in contracts if c.award_id]
                ),
            ),
            Figure(
                "total_value",
                _("Total value of the awards"),
                total if valued else None,
                PENCE,
                self.award_set("valued", _("Contracts of awards with a published value"), valued),
            ),
            Figure("lead_providers", _("Lead providers"), len(leads), COUNT, everything),
            Figure(
                "voluntary_lead_providers",
                _("Lead providers in the voluntary and community sector"),
                len(voluntary_leads),
                COUNT,
                self.contract_set(
                    "lead-sector.voluntary_and_community",
                    _("Contracts led by voluntary and community organisations"),
                    voluntary_contracts,
                ),
            ),
            Figure(
                "voluntary_lead_share",
                _("Share of lead providers in the voluntary and community sector"),
                Share(len(voluntary_leads), len(leads)),
                SHARE,
                "lead-sector.voluntary_and_community",
            ),
            Figure(
                "voluntary_value_share",
                _("Share of the value going to voluntary and community lead providers"),
                Share(self.value(voluntary_awards), total) if valued else None,
                SHARE,
                self.award_set(
                    "value-sector.voluntary_and_community",
                    _("Contracts of awards led by voluntary and community organisations"),
                    voluntary_awards,
                ),
            ),
            Figure(
                "supply_chain_organisations",
                _("Organisations in supply chains"),
                len(members),
                COUNT,
                self.contract_set(
                    "supply-chain.any",
                    _("Contracts with at least one organisation in the supply chain"),
                    [c for c in contracts if c.supply_chain.all()],
                ),
            ),
        ]

        self.lot_types_table(awards)
        self.voluntary_by_lot_type(awards)
        self.regions_table(awards)
        self.lead_sectors(awards, leads)
        self.lead_providers(awards, leads)
        self.supply_chains(leads, members)
        self.concentration(awards)
        self.wales()
        self.specialists(awards, leads, members)
        coverage = self.coverage()
        self.end_dates()

        return Analysis(
            selection=self.selection,
            contracts=contracts,
            headline=headline,
            tables=self.tables,
            contract_sets=self.sets,
            coverage_lot_types=self.lot_types,
            coverage=coverage,
            notes=notes,
        )

    # -- lot types and regions -------------------------------------------------------------------------------

    def lot_types_table(self, awards):
        table = Table(
            "lot-types",
            _("Contracts, awards and value by lot type"),
            [
                Column("lot_type", _("Lot type"), TEXT),
                Column("contracts", _("Contracts")),
                Column("awards", _("Awards")),
                Column("value", _("Value"), PENCE),
                Column("value_share", _("Share of the value"), SHARE),
                Column("lead_providers", _("Lead providers")),
            ],
            empty_text=_("No contracts in this selection."),
        )
        total = self.total_value
        for lt in self.lot_types:
            lot_contracts = [c for c in self.contracts if c.lot_type == lt]
            lot_awards = [a for a in awards if a.lot_type == lt]
            key = self.contract_set(f"lot.{lt}", _("%(lot)s contracts") % {"lot": lot_label(lt)}, lot_contracts)
            value = self.value(lot_awards)
            table.add(
                lt,
                lot_type=lot_label(lt),
                contracts=Cell(len(lot_contracts), key),
                awards=Cell(len(lot_awards), key),
                value=Cell(value if self.valued(lot_awards) else None, key),
                value_share=Cell(Share(value, total) if total else None, key),
                lead_providers=Cell(len({c.lead_provider_id for c in lot_contracts}), key),
            )
        if len(self.lot_types) > 1:
            table.add(
                "total",
                total_row=True,
                lot_type=_("All lot types"),
                contracts=Cell(len(self.contracts), "all"),
                awards=Cell(len(awards), "all"),
                value=Cell(total if self.valued(awards) else None, "all"),
                value_share=Cell(Share(total, total) if total else None, "all"),
                lead_providers=Cell(len({c.lead_provider_id for c in self.contracts}), "all"),
            )
        bars = [
            Bar(lot_label(lt), table.value(lt, "value") or 0, display(table.value(lt, "value"), PENCE, short=True))
            for lt in self.lot_types
        ]
        if total:
            table.chart = Chart(
                "bar",
                _("Value of the awards by lot type"),
                _("A bar for each lot type, longest for the most money."),
                bars,
            )
        table.summary = summaries.lot_types(table, self.lot_types, total)
        self.tables[table.slug] = table

    def voluntary_by_lot_type(self, awards):
        table = Table(
            "voluntary-by-lot-type",
            _("Contracts won by voluntary and community organisations, by lot type"),
            [
                Column("lot_type", _("Lot type"), TEXT),
                Column("contracts", _("Contracts")),
                Column("voluntary_contracts", _("Won by voluntary organisations")),
                Column("voluntary_contract_share", _("Share of contracts"), SHARE),
                Column("lead_providers", _("Lead providers")),
                Column("voluntary_lead_providers", _("Voluntary lead providers")),
                Column("voluntary_value", _("Value to voluntary organisations"), PENCE),
                Column("voluntary_value_share", _("Share of the value"), SHARE),
            ],
            empty_text=_("No contracts in this selection."),
        )
        rows = [
            (
                lt,
                lot_label(lt),
                [c for c in self.contracts if c.lot_type == lt],
                [a for a in awards if a.lot_type == lt],
            )
            for lt in self.lot_types
        ]
        if len(self.lot_types) > 1:
            rows.append(("total", _("All lot types"), self.contracts, awards))
        for key, label, lot_contracts, lot_awards in rows:
            voluntary = [c for c in lot_contracts if c.lead_provider.sector == Sector.VOLUNTARY]
            vol_leads = {c.lead_provider_id for c in voluntary}
            valued = self.valued(lot_awards)
            vol_awards = [a for a in valued if a.lead_provider.sector == Sector.VOLUNTARY]
            lot_value = self.value(lot_awards)
            if key == "total":
                set_key, value_key = "lead-sector.voluntary_and_community", "value-sector.voluntary_and_community"
            else:
                set_key = self.contract_set(
                    f"lot-sector.{key}.voluntary_and_community",
                    _("%(lot)s contracts led by voluntary and community organisations") % {"lot": label},
                    voluntary,
                )
                value_key = self.award_set(
                    f"lot-value-sector.{key}.voluntary_and_community",
                    _("%(lot)s contracts of awards led by voluntary and community organisations") % {"lot": label},
                    vol_awards,
                )
            all_key = "all" if key == "total" else f"lot.{key}"
            table.add(
                key,
                total_row=key == "total",
                lot_type=label,
                contracts=Cell(len(lot_contracts), all_key),
                voluntary_contracts=Cell(len(voluntary), set_key),
                voluntary_contract_share=Cell(Share(len(voluntary), len(lot_contracts)), set_key),
                lead_providers=Cell(len({c.lead_provider_id for c in lot_contracts}), all_key),
                voluntary_lead_providers=Cell(len(vol_leads), set_key),
                voluntary_value=Cell(self.value(vol_awards) if valued else None, value_key),
                voluntary_value_share=Cell(Share(self.value(vol_awards), lot_value) if lot_value else None, value_key),
            )
        bars = []
        for lt in self.lot_types:
            share = table.value(lt, "voluntary_contract_share")
            bars.append(
                Bar(
                    lot_label(lt),
                    share.fraction * 100 if share.known else 0,
                    _("%(part)s of %(whole)s (%(percent)s)")
                    % {"part": share.numerator, "whole": share.denominator, "percent": share},
                )
            )
        if bars:
            table.chart = Chart(
                "bar",
                _("Share of contracts won by voluntary and community organisations, by lot type"),
                _("A bar for each lot type, on a scale of 0 to 100 per cent, with the count beside it."),
                bars,
                max_value=100,
            )
        table.summary = summaries.voluntary_by_lot_type(table, self.lot_types)
        self.tables[table.slug] = table

    def regions_table(self, awards):
        table = Table(
            "regions",
            _("Contracts, awards and value by probation region"),
            [
                Column("region", _("Region"), TEXT),
                Column("contracts", _("Contracts")),
                Column("awards", _("Awards")),
                Column("value", _("Value"), PENCE),
                Column("value_share", _("Share of the value"), SHARE),
                Column("lead_providers", _("Lead providers")),
            ],
            empty_text=_("No contracts in this selection."),
        )
        regions = sorted({c.region for c in self.contracts}, key=lambda r: r.name)
        for region in regions:
            reg_contracts = [c for c in self.contracts if c.region_id == region.pk]
            reg_awards = [a for a in awards if a.region_id == region.pk]
            key = self.contract_set(
                f"region.{region.code}", _("Contracts in %(region)s") % {"region": region.name}, reg_contracts
            )
            value = self.value(reg_awards)
            table.add(
                region.code,
                region=region.name,
                contracts=Cell(len(reg_contracts), key),
                awards=Cell(len(reg_awards), key),
                value=Cell(value if self.valued(reg_awards) else None, key),
                value_share=Cell(Share(value, self.total_value) if self.total_value else None, key),
                lead_providers=Cell(len({c.lead_provider_id for c in reg_contracts}), key),
            )
        if self.total_value:
            table.chart = Chart(
                "bar",
                _("Value of the awards by probation region"),
                _("A bar for each region, longest for the most money."),
                [
                    Bar(
                        r.name,
                        table.value(r.code, "value") or 0,
                        display(table.value(r.code, "value"), PENCE, short=True),
                    )
                    for r in regions
                ],
            )
        table.summary = summaries.regions(table, regions, self.total_value)
        self.tables[table.slug] = table

    # -- sectors and providers -----------------------------------------------------------------------------

    def lead_sectors(self, awards, leads):
        table = Table(
            "lead-sectors",
            _("Lead providers, contracts and value by sector"),
            [
                Column("sector", _("Sector"), TEXT),
                Column("lead_providers", _("Lead providers")),
                Column("lead_share", _("Share of lead providers"), SHARE),
                Column("contracts", _("Contracts led")),
                Column("contract_share", _("Share of contracts"), SHARE),
                Column("value", _("Value"), PENCE),
                Column("value_share", _("Share of the value"), SHARE),
            ],
        )
        valued = self.valued(awards)
        for sector in SECTOR_ORDER:
            sec_leads = [o for o in leads.values() if o.sector == sector]
            sec_contracts = [c for c in self.contracts if c.lead_provider.sector == sector]
            sec_awards = [a for a in valued if a.lead_provider.sector == sector]
            key = f"lead-sector.{sector}"
            if key not in self.sets:
                key = self.contract_set(
                    key,
                    _("Contracts led by organisations in the sector: %(sector)s") % {"sector": sector_label(sector)},
                    sec_contracts,
                )
            value_key = f"value-sector.{sector}"
            if value_key not in self.sets:
                value_key = self.award_set(
                    value_key,
                    _("Contracts of awards led by organisations in the sector: %(sector)s")
                    % {"sector": sector_label(sector)},
                    sec_awards,
                )
            table.add(
                sector,
                sector=sector_label(sector),
                lead_providers=Cell(len(sec_leads), key),
                lead_share=Cell(Share(len(sec_leads), len(leads)), key),
                contracts=Cell(len(sec_contracts), key),
                contract_share=Cell(Share(len(sec_contracts), len(self.contracts)), key),
                value=Cell(self.value(sec_awards) if valued else None, value_key),
                value_share=Cell(
                    Share(self.value(sec_awards), self.total_value) if self.total_value else None, value_key
                ),
            )
        bars = []
        for sector in SECTOR_ORDER:
            lead_share = table.value(sector, "lead_share")
            value_share = table.value(sector, "value_share")
            if not lead_share.numerator:
                continue
            bars.append(
                Bar(
                    _("%(sector)s: lead providers") % {"sector": sector_label(sector)},
                    lead_share.fraction * 100,
                    str(lead_share),
                )
            )
            if value_share is not None:
                bars.append(
                    Bar(
                        _("%(sector)s: value") % {"sector": sector_label(sector)},
                        value_share.fraction * 100,
                        str(value_share),
                    )
                )
        if bars:
            table.chart = Chart(
                "bar",
                _("Share of lead providers and share of the value, by sector"),
                _(
                    "Two bars for each sector, on a scale of 0 to 100 per cent: its share of lead providers and its "
                    "share of the money."
                ),
                bars,
                max_value=100,
            )
        table.summary = summaries.lead_sectors(table, len(leads))
        self.tables[table.slug] = table

    def lead_providers(self, awards, leads):
        table = Table(
            "lead-providers",
            _("Lead providers"),
            [
                Column("provider", _("Lead provider"), TEXT),
                Column("sector", _("Sector"), TEXT),
                Column("size_band", _("Size"), TEXT),
                Column("contracts", _("Contracts")),
                Column("awards", _("Awards")),
                Column("value", _("Value"), PENCE),
                Column("value_share", _("Share of the value"), SHARE),
                Column("lot_types", _("Lot types"), LIST),
            ],
            empty_text=_("No contracts in this selection."),
        )
        rows = []
        for org in leads.values():
            org_contracts = [c for c in self.contracts if c.lead_provider_id == org.pk]
            org_awards = [a for a in awards if a.lead_provider_id == org.pk]
            rows.append((org, org_contracts, org_awards, self.value(org_awards)))
        rows.sort(key=lambda r: (-r[3], -len(r[1]), r[0].name))
        for org, org_contracts, org_awards, value in rows:
            key = self.contract_set(
                f"lead.{org.slug}", _("Contracts led by %(name)s") % {"name": org.name}, org_contracts
            )
            table.add(
                org.slug,
                provider=org.name,
                sector=sector_label(org.sector),
                size_band=size_label(org.size_band),
                contracts=Cell(len(org_contracts), key),
                awards=Cell(len(org_awards), key),
                value=Cell(value if self.valued(org_awards) else None, key),
                value_share=Cell(Share(value, self.total_value) if self.total_value else None, key),
                lot_types=[lot_label(lt) for lt in LotType.values if any(c.lot_type == lt for c in org_contracts)],
            )
        table.summary = summaries.lead_providers(table)
        self.tables[table.slug] = table

    # -- supply chains -------------------------------------------------------------------------------------

    def supply_chains(self, leads, members):
        contracts = self.contracts
        places = [m for c in contracts for m in c.supply_chain.all()]
        full = {**members, **leads}
        not_leads = {pk: o for pk, o in members.items() if pk not in leads}

        def contracts_with(org_ids):
            return [
                c
                for c in contracts
                if c.lead_provider_id in org_ids or any(m.organisation_id in org_ids for m in c.supply_chain.all())
            ]

        def member_contracts(org_ids):
            return [c for c in contracts if any(m.organisation_id in org_ids for m in c.supply_chain.all())]

        # Contracts by number of organisations in their supply chain. A contract with no supply chain and no
        # row in the HMPPS register is "not known", not "none".
        def size_bucket(c):
            n = len(c.supply_chain.all())
            if n == 0 and not c.hmpps_reference:
                return "not_known"
            if n == 0:
                return "none"
            if n <= 2:
                return "one" if n == 1 else "two"
            return "three_to_five" if n <= 5 else "six_or_more"

        buckets = defaultdict(list)
        for c in contracts:
            buckets[size_bucket(c)].append(c)
        bucket_labels = {
            "none": _("None"),
            "one": _("One organisation"),
            "two": _("Two organisations"),
            "three_to_five": _("Three to five organisations"),
            "six_or_more": _("Six or more organisations"),
            "not_known": _("Not known (not in the HMPPS register)"),
        }
        sizes = Table(
            "supply-chain-sizes",
            _("Contracts by the number of organisations in their supply chain"),
            [
                Column("size", _("Organisations in the supply chain"), TEXT),
                Column("contracts", _("Contracts")),
                Column("contract_share", _("Share of contracts"), SHARE),
            ],
            notes=[
                _(
                    "Members of a lead partnership (for example St Giles Trust and The Wise Group in St Giles Wise "
                    "Group Partnership) count as organisations in the supply chain, as the HMPPS register lists them."
                )
            ],
        )
        for bucket, label in bucket_labels.items():
            if bucket == "not_known" and not buckets[bucket]:
                continue
            key = self.contract_set(
                f"supply-chain-size.{bucket}",
                _("Contracts with this many organisations in the supply chain: %(size)s") % {"size": label},
                buckets[bucket],
            )
            sizes.add(
                bucket,
                size=label,
                contracts=Cell(len(buckets[bucket]), key),
                contract_share=Cell(Share(len(buckets[bucket]), len(contracts)), key),
            )
        sizes.chart = Chart(
            "bar",
            _("Contracts by the number of organisations in their supply chain"),
            _("A bar for each size of supply chain, longest for the most contracts."),
            [
                Bar(str(bucket_labels[r.key]), r.cells["contracts"].value, f"{r.cells['contracts'].value:,}")
                for r in sizes.rows
            ],
        )
        one_or_two = buckets["one"] + buckets["two"]
        self.contract_set(
            "supply-chain-size.one_or_two", _("Contracts with one or two organisations in the supply chain"), one_or_two
        )

        # The same, by lot type (seed 000 counts personal wellbeing contracts with no or few subcontractors)
        by_lot = Table(
            "supply-chain-sizes-by-lot-type",
            _("Contracts by the size of their supply chain, by lot type"),
            [
                Column("lot_type", _("Lot type"), TEXT),
                Column("contracts", _("Contracts")),
                Column("none", _("No one in the supply chain")),
                Column("one_or_two", _("One or two organisations")),
                Column("three_or_more", _("Three or more organisations")),
                Column("not_known", _("Not known")),
                Column("places", _("Places in supply chains")),
            ],
            empty_text=_("No contracts in this selection."),
        )
        groups = [(lt, lot_label(lt), [c for c in contracts if c.lot_type == lt]) for lt in self.lot_types]
        if len(self.lot_types) > 1:
            groups.append(("total", _("All lot types"), contracts))
        for key, label, group in groups:
            sized = defaultdict(list)
            for c in group:
                bucket = size_bucket(c)
                sized[
                    {
                        "one": "one_or_two",
                        "two": "one_or_two",
                        "three_to_five": "three_or_more",
                        "six_or_more": "three_or_more",
                    }.get(bucket, bucket)
                ].append(c)
            cells = {}
            for bucket, what in (
                ("none", _("no one in the supply chain")),
                ("one_or_two", _("one or two organisations in the supply chain")),
                ("three_or_more", _("three or more organisations in the supply chain")),
                ("not_known", _("a supply chain that is not known")),
            ):
                set_key = self.contract_set(
                    f"supply-chain-size.{key}.{bucket}",
                    _("%(lot)s contracts with %(what)s") % {"lot": label, "what": what},
                    sized[bucket],
                )
                cells[bucket] = Cell(len(sized[bucket]), set_key)
            all_key = "all" if key == "total" else f"lot.{key}"
            by_lot.add(
                key,
                total_row=key == "total",
                lot_type=label,
                contracts=Cell(len(group), all_key),
                places=Cell(sum(len(c.supply_chain.all()) for c in group), all_key),
                **cells,
            )
        by_lot.summary = summaries.supply_chain_sizes_by_lot_type(by_lot, self.lot_types)

        # Organisations in the supply chains of many contract areas
        areas_of = defaultdict(set)
        contracts_of = defaultdict(list)
        leads_of = defaultdict(set)
        lots_of = defaultdict(set)
        for c in contracts:
            for m in c.supply_chain.all():
                areas_of[m.organisation_id].add(self.lot_key(c))
                contracts_of[m.organisation_id].append(c)
                leads_of[m.organisation_id].add(c.lead_provider_id)
                lots_of[m.organisation_id].add(c.lot_type)
        repeat = Table(
            "repeat-partners",
            _("Organisations in the supply chains of %(count)s or more contract areas") % {"count": MANY_AREAS},
            [
                Column("organisation", _("Organisation"), TEXT),
                Column("sector", _("Sector"), TEXT),
                Column("areas", _("Contract areas")),
                Column("contracts", _("Contracts")),
                Column("lead_providers", _("Lead providers it works with")),
                Column("lot_types", _("Lot types"), LIST),
            ],
            notes=[_("A contract area is a PCC area, or a whole region for a regional contract.")],
            empty_text=_("No organisation is in the supply chains of that many areas."),
        )
        many = sorted(
            (o for pk, o in members.items() if len(areas_of[pk]) >= MANY_AREAS),
            key=lambda o: (-len(areas_of[o.pk]), -len(contracts_of[o.pk]), o.name),
        )
        for org in many:
            key = self.contract_set(
                f"member.{org.slug}",
                _("Contracts with %(name)s in the supply chain") % {"name": org.name},
                contracts_of[org.pk],
            )
            repeat.add(
                org.slug,
                organisation=org.name,
                sector=sector_label(org.sector),
                areas=Cell(len(areas_of[org.pk]), key),
                contracts=Cell(len(contracts_of[org.pk]), key),
                lead_providers=Cell(len(leads_of[org.pk]), key),
                lot_types=[lot_label(lt) for lt in LotType.values if lt in lots_of[org.pk]],
            )
        repeat.summary = summaries.repeat_partners(repeat, len(members))
        many_key = self.contract_set(
            "supply-chain.many-areas",
            _("Contracts with an organisation that is in the supply chains of %(count)s or more areas")
            % {"count": MANY_AREAS},
            member_contracts({o.pk for o in many}),
        )

        # By sector
        sectors = Table(
            "supply-chain-sectors",
            _("Organisations in supply chains by sector"),
            [
                Column("sector", _("Sector"), TEXT),
                Column("organisations", _("Organisations in supply chains")),
                Column("places", _("Places in supply chains")),
                Column("place_share", _("Share of places"), SHARE),
                Column("full", _("Organisations in full supply chains (leads too)")),
                Column("full_share", _("Share of full supply chains"), SHARE),
            ],
        )
        for sector in SECTOR_ORDER:
            sec_members = {pk for pk, o in members.items() if o.sector == sector}
            sec_full = {pk for pk, o in full.items() if o.sector == sector}
            sec_places = [m for m in places if m.organisation.sector == sector]
            key = self.contract_set(
                f"supply-chain-sector.{sector}",
                _("Contracts with an organisation in the supply chain in the sector: %(sector)s")
                % {"sector": sector_label(sector)},
                member_contracts(sec_members),
            )
            full_key = self.contract_set(
                f"full-supply-chain-sector.{sector}",
                _("Contracts led by, or with a supply chain member in, the sector: %(sector)s")
                % {"sector": sector_label(sector)},
                contracts_with(sec_full),
            )
            sectors.add(
                sector,
                sector=sector_label(sector),
                organisations=Cell(len(sec_members), key),
                places=Cell(len(sec_places), key),
                place_share=Cell(Share(len(sec_places), len(places)), key),
                full=Cell(len(sec_full), full_key),
                full_share=Cell(Share(len(sec_full), len(full)), full_key),
            )
        if members:
            sectors.chart = Chart(
                "bar",
                _("Organisations in supply chains by sector"),
                _("A bar for each sector, longest for the most organisations."),
                [
                    Bar(sector_label(s), sectors.value(s, "organisations"), f"{sectors.value(s, 'organisations'):,}")
                    for s in SECTOR_ORDER
                ],
            )
        sectors.summary = summaries.supply_chain_sectors(sectors, len(members))

        # By size band
        bands = Table(
            "supply-chain-size-bands",
            _("Places in supply chains by the size of the organisation"),
            [
                Column("size_band", _("Size (latest income)"), TEXT),
                Column("organisations", _("Organisations in supply chains")),
                Column("places", _("Places in supply chains")),
                Column("place_share", _("Share of places"), SHARE),
            ],
            notes=[_("Small organisations here are those with an income under £1 million (micro, small and medium).")],
        )
        for band in SIZE_ORDER:
            band_members = {pk for pk, o in members.items() if o.size_band == band}
            band_places = [m for m in places if m.organisation.size_band == band]
            key = self.contract_set(
                f"supply-chain-size-band.{band}",
                _("Contracts with an organisation of this size in the supply chain: %(size)s")
                % {"size": size_label(band)},
                member_contracts(band_members),
            )
            label = size_label(band)
            if band in classification.SIZE_BAND_BY_CODE:
                label = f"{label} ({classification.SIZE_BAND_BY_CODE[band].description})"
            bands.add(
                band,
                size_band=label,
                organisations=Cell(len(band_members), key),
                places=Cell(len(band_places), key),
                place_share=Cell(Share(len(band_places), len(places)), key),
            )
        if places:
            bands.chart = Chart(
                "bar",
                _("Places in supply chains by the size of the organisation"),
                _("A bar for each size band, longest for the most places."),
                [Bar(size_label(b), bands.value(b, "places"), f"{bands.value(b, 'places'):,}") for b in SIZE_ORDER],
            )
        small_places = [m for m in places if m.organisation.size_band in SMALL_BANDS]
        unknown_places = [m for m in places if m.organisation.size_band == SizeBand.UNKNOWN]
        small_ids = {m.organisation_id for m in small_places}
        bands.summary = summaries.size_bands(len(small_places), len(unknown_places), len(places))

        # The figures
        figures = Table(
            "supply-chains",
            _("Supply chains: the figures"),
            [Column("figure", _("Figure"), TEXT), Column("value", _("Number"))],
        )
        full_voluntary = {pk for pk, o in full.items() if o.sector == Sector.VOLUNTARY}
        full_over_1m = {pk for pk, o in full.items() if o.size_band in OVER_1M_BANDS}
        full_unknown_size = {pk for pk, o in full.items() if o.size_band == SizeBand.UNKNOWN}
        full_unknown_sector = {pk for pk, o in full.items() if o.sector == Sector.UNKNOWN}
        any_key = "supply-chain.any"
        full_key = self.contract_set("full-supply-chain", _("Every contract (leads and supply chains)"), contracts)
        rows = [
            ("organisations", _("Organisations in supply chains"), len(members), COUNT, any_key),
            (
                "places",
                _("Places in supply chains (an organisation in one contract's supply chain)"),
                len(places),
                COUNT,
                any_key,
            ),
            (
                "not_leads",
                _("Organisations in supply chains that lead no contract here"),
                len(not_leads),
                COUNT,
                self.contract_set(
                    "supply-chain.not-leads",
                    _("Contracts with a supply chain member that leads no contract here"),
                    member_contracts(set(not_leads)),
                ),
            ),
            (
                "full",
                _("Organisations in full supply chains (lead providers and supply chain members)"),
                len(full),
                COUNT,
                full_key,
            ),
            (
                "full_voluntary",
                _("of which voluntary and community"),
                len(full_voluntary),
                COUNT,
                self.contract_set(
                    "full-supply-chain.voluntary",
                    _("Contracts led by, or with a supply chain member in, the voluntary and community sector"),
                    contracts_with(full_voluntary),
                ),
            ),
            (
                "full_sector_unknown",
                _("of which sector not known"),
                len(full_unknown_sector),
                COUNT,
                self.contract_set(
                    "full-supply-chain.sector-unknown",
                    _("Contracts led by, or with a supply chain member, whose sector is not known"),
                    contracts_with(full_unknown_sector),
                ),
            ),
            (
                "full_over_1m",
                _("of which income £1 million or more"),
                len(full_over_1m),
                COUNT,
                self.contract_set(
                    "full-supply-chain.over-1m",
                    _("Contracts led by, or with a supply chain member with, an income of £1 million or more"),
                    contracts_with(full_over_1m),
                ),
            ),
            (
                "full_over_1m_share",
                _("Share of organisations in full supply chains with an income of £1 million or more"),
                Share(len(full_over_1m), len(full)),
                SHARE,
                "full-supply-chain.over-1m",
            ),
            (
                "full_size_unknown",
                _("of which size not known"),
                len(full_unknown_size),
                COUNT,
                self.contract_set(
                    "full-supply-chain.size-unknown",
                    _("Contracts led by, or with a supply chain member, whose size is not known"),
                    contracts_with(full_unknown_size),
                ),
            ),
            (
                "contracts_none",
                _("Contracts with no organisation in the supply chain"),
                len(buckets["none"]),
                COUNT,
                "supply-chain-size.none",
            ),
            (
                "contracts_one_or_two",
                _("Contracts with one or two organisations in the supply chain"),
                len(one_or_two),
                COUNT,
                "supply-chain-size.one_or_two",
            ),
            (
                "contracts_not_known",
                _("Contracts whose supply chain is not known"),
                len(buckets["not_known"]),
                COUNT,
                self.contract_set(
                    "supply-chain-size.not_known", _("Contracts whose supply chain is not known"), buckets["not_known"]
                ),
            ),
            (
                "many_areas",
                _("Organisations in the supply chains of %(count)s or more contract areas") % {"count": MANY_AREAS},
                len(many),
                COUNT,
                many_key,
            ),
            (
                "small_places",
                _("Places held by small organisations (income under £1 million)"),
                len(small_places),
                COUNT,
                self.contract_set(
                    "supply-chain.small",
                    _("Contracts with a small organisation (income under £1 million) in the supply chain"),
                    member_contracts(small_ids),
                ),
            ),
            (
                "small_place_share",
                _("Small organisations' share of places in supply chains"),
                Share(len(small_places), len(places)),
                SHARE,
                "supply-chain.small",
            ),
            (
                "unknown_size_places",
                _("Places held by organisations whose size is not known"),
                len(unknown_places),
                COUNT,
                "supply-chain-size-band.unknown",
            ),
        ]
        for key, label, value, unit, set_key in rows:
            figures.add(key, figure=label, value=Cell(value, set_key, unit))
        figures.summary = summaries.supply_chain_figures(figures)
        sizes.summary = summaries.supply_chain_sizes(sizes, len(contracts))
        for table in (figures, sectors, sizes, by_lot, bands, repeat):
            self.tables[table.slug] = table

    # -- concentration ---------------------------------------------------------------------------------------

    def concentration(self, awards):
        table = Table(
            "concentration",
            _("Concentration: the five largest lead providers' share of the value, and the HHI"),
            [
                Column("lot_type", _("Lot type"), TEXT),
                Column("providers", _("Lead providers with a value")),
                Column("value", _("Value"), PENCE),
                Column("top_value", _("Value to the five largest"), PENCE),
                Column("top_share", _("Five largest providers' share"), SHARE),
                Column("hhi", _("HHI (0 to 10,000)"), HHI),
                Column("level", _("Concentration"), TEXT),
            ],
            notes=[
                _(
                    "The Herfindahl-Hirschman index (HHI) adds up the squares of each lead provider's share of the "
                    "value, in percentage points: 10,000 means one provider holds everything. The UK competition "
                    "authorities' merger guidelines (2010) call a market with an HHI over 1,000 concentrated and "
                    "over 2,000 highly concentrated."
                )
            ],
            empty_text=_("No award values in this selection."),
        )
        top = Table(
            "top-providers",
            _("The five largest lead providers by value, by lot type"),
            [
                Column("lot_type", _("Lot type"), TEXT),
                Column("rank", _("Rank")),
                Column("provider", _("Lead provider"), TEXT),
                Column("sector", _("Sector"), TEXT),
                Column("value", _("Value"), PENCE),
                Column("value_share", _("Share of the lot type's value"), SHARE),
            ],
            empty_text=_("No award values in this selection."),
        )
        groups = [(lt, lot_label(lt), [a for a in awards if a.lot_type == lt]) for lt in self.lot_types]
        if len(self.lot_types) > 1:
            groups.append(("total", _("All lot types"), awards))
        bars = []
        for key, label, group in groups:
            by_provider = defaultdict(int)
            orgs = {}
            for a in self.valued(group):
                by_provider[a.lead_provider_id] += a.value_pence
                orgs[a.lead_provider_id] = a.lead_provider
            if not by_provider:
                continue
            values = list(by_provider.values())
            total = sum(values)
            ranked = sorted(by_provider.items(), key=lambda kv: (-kv[1], orgs[kv[0]].name))
            top_ids = {pk for pk, _v in ranked[:TOP_N]}
            top_awards = [a for a in group if a.lead_provider_id in top_ids and a.value_pence is not None]
            set_key = (
                "valued"
                if key == "total"
                else self.award_set(
                    f"lot-valued.{key}",
                    _("%(lot)s contracts of awards with a published value") % {"lot": label},
                    self.valued(group),
                )
            )
            top_key = self.award_set(
                f"top.{key}", _("%(lot)s: contracts of the five largest lead providers") % {"lot": label}, top_awards
            )
            index = hhi(values)
            table.add(
                key,
                total_row=key == "total",
                lot_type=label,
                providers=Cell(len(values), set_key),
                value=Cell(total, set_key),
                top_value=Cell(sum(v for _pk, v in ranked[:TOP_N]), top_key),
                top_share=Cell(top_share(values, TOP_N), top_key),
                hhi=Cell(index, set_key),
                level=hhi_level(index),
            )
            if key != "total":
                bars.append(Bar(label, index or 0, f"{index:,}" if index is not None else _("not known")))
                for rank, (pk, value) in enumerate(ranked[:TOP_N], start=1):
                    org = orgs[pk]
                    rank_key = self.award_set(
                        f"lot-lead.{key}.{org.slug}",
                        _("%(lot)s contracts led by %(name)s") % {"lot": label, "name": org.name},
                        [a for a in group if a.lead_provider_id == pk],
                    )
                    top.add(
                        f"{key}.{rank}",
                        lot_type=label,
                        rank=rank,
                        provider=org.name,
                        sector=sector_label(org.sector),
                        value=Cell(value, rank_key),
                        value_share=Cell(Share(value, total), rank_key),
                    )
        if bars:
            table.chart = Chart(
                "bar",
                _("Herfindahl-Hirschman index of the value, by lot type"),
                _(
                    "A bar for each lot type on a scale of 0 to 10,000; longer means fewer providers hold more of "
                    "the money."
                ),
                bars,
                max_value=10_000,
            )
        table.summary = summaries.concentration(table, self.lot_types)
        top.summary = summaries.top_providers(top)
        self.tables[table.slug] = table
        self.tables[top.slug] = top

    # -- Wales ---------------------------------------------------------------------------------------------------

    def wales(self):
        welsh_contracts = [c for c in self.contracts if c.region.is_wales]
        leads = {c.lead_provider_id: c.lead_provider for c in welsh_contracts}
        members = {m.organisation_id: m.organisation for c in welsh_contracts for m in c.supply_chain.all()}
        welsh_leads = {pk: o for pk, o in leads.items() if self.has(pk, WELSH)}
        welsh_members = {pk: o for pk, o in members.items() if self.has(pk, WELSH)}
        key = self.contract_set("wales", _("Contracts in Wales"), welsh_contracts)
        welsh_lead_key = self.contract_set(
            "wales.welsh-leads",
            _("Contracts in Wales led by Welsh organisations"),
            [c for c in welsh_contracts if c.lead_provider_id in welsh_leads],
        )
        welsh_member_key = self.contract_set(
            "wales.welsh-members",
            _("Contracts in Wales with a Welsh organisation in the supply chain"),
            [c for c in welsh_contracts if any(m.organisation_id in welsh_members for m in c.supply_chain.all())],
        )
        figures = Table(
            "wales",
            _("Wales: lead providers and supply chain members that are Welsh organisations"),
            [Column("figure", _("Figure"), TEXT), Column("value", _("Number"))],
            notes=[
                _(
                    "A Welsh organisation is one recorded with the specialism 'Welsh organisation': based in Wales "
                    "and run from Wales."
                )
            ],
        )
        figures.add("contracts", figure=_("Contracts in Wales"), value=Cell(len(welsh_contracts), key))
        figures.add("lead_providers", figure=_("Lead providers in Wales"), value=Cell(len(leads), key))
        figures.add(
            "welsh_lead_providers",
            figure=_("of which Welsh organisations"),
            value=Cell(len(welsh_leads), welsh_lead_key),
        )
        figures.add(
            "supply_chain_organisations",
            figure=_("Organisations in supply chains in Wales"),
            value=Cell(len(members), key),
        )
        figures.add(
            "welsh_supply_chain_organisations",
            figure=_("of which Welsh organisations"),
            value=Cell(len(welsh_members), welsh_member_key),
        )
        orgs = Table(
            "wales-organisations",
            _("Organisations holding contracts or places in supply chains in Wales"),
            [
                Column("organisation", _("Organisation"), TEXT),
                Column("role", _("Role"), TEXT),
                Column("welsh", _("Welsh organisation"), TEXT),
                Column("contracts", _("Contracts in Wales")),
            ],
            empty_text=_("No contracts in Wales in this selection."),
        )
        everyone = {**members, **leads}
        for org in sorted(everyone.values(), key=lambda o: (not self.has(o.pk, WELSH), o.pk not in leads, o.name)):
            org_contracts = [
                c
                for c in welsh_contracts
                if c.lead_provider_id == org.pk or any(m.organisation_id == org.pk for m in c.supply_chain.all())
            ]
            roles = []
            if org.pk in leads:
                roles.append(_("Lead provider"))
            if org.pk in members:
                roles.append(_("Supply chain"))
            org_key = self.contract_set(
                f"wales.org.{org.slug}",
                _("Contracts in Wales led by or with %(name)s") % {"name": org.name},
                org_contracts,
            )
            orgs.add(
                org.slug,
                organisation=org.name,
                role=", ".join(roles),
                welsh=_("Yes") if self.has(org.pk, WELSH) else _("No"),
                contracts=Cell(len(org_contracts), org_key),
            )
        orgs.summary = summaries.wales_organisations(len(orgs.rows), len({**welsh_leads, **welsh_members}))
        figures.summary = summaries.wales(
            len(welsh_contracts),
            len(leads),
            [o.name for o in welsh_leads.values()],
            len(members),
            sorted(o.name for o in welsh_members.values()),
        )
        self.tables[figures.slug] = figures
        self.tables[orgs.slug] = orgs

    # -- specialist organisations -------------------------------------------------------------------------------

    def specialists(self, awards, leads, members):
        places = [m for c in self.contracts for m in c.supply_chain.all()]
        table = Table(
            "specialisms",
            _("Specialist organisations as lead providers and in supply chains"),
            [
                Column("specialism", _("Specialism"), TEXT),
                Column("lead_providers", _("Lead providers")),
                Column("contracts", _("Contracts led")),
                Column("value", _("Value led"), PENCE),
                Column("value_share", _("Share of the value"), SHARE),
                Column("supply_chain_organisations", _("Organisations in supply chains")),
                Column("places", _("Places in supply chains")),
            ],
            notes=[
                _(
                    "An organisation can have more than one specialism, and can lead some contracts and be in the "
                    "supply chains of others."
                )
            ],
        )
        valued = self.valued(awards)
        for spec in self.specialism_list:
            spec_leads = {pk for pk in leads if self.has(pk, spec.slug)}
            spec_members = {pk for pk in members if self.has(pk, spec.slug)}
            led = [c for c in self.contracts if c.lead_provider_id in spec_leads]
            spec_awards = [a for a in valued if self.has(a.lead_provider_id, spec.slug)]
            spec_places = [m for m in places if m.organisation_id in spec_members]
            lead_key = self.contract_set(
                f"specialism-lead.{spec.slug}",
                _("Contracts led by organisations with the specialism: %(name)s") % {"name": spec.name},
                led,
            )
            member_key = self.contract_set(
                f"specialism-member.{spec.slug}",
                _("Contracts with an organisation with the specialism in the supply chain: %(name)s")
                % {"name": spec.name},
                [c for c in self.contracts if any(m.organisation_id in spec_members for m in c.supply_chain.all())],
            )
            value = self.value(spec_awards)
            table.add(
                spec.slug,
                specialism=spec.name,
                lead_providers=Cell(len(spec_leads), lead_key),
                contracts=Cell(len(led), lead_key),
                value=Cell(value if valued else None, lead_key),
                value_share=Cell(Share(value, self.total_value) if self.total_value else None, lead_key),
                supply_chain_organisations=Cell(len(spec_members), member_key),
                places=Cell(len(spec_places), member_key),
            )
        table.summary = summaries.specialisms(table, WOMENS, RACIALLY_MINORITISED)
        orgs = Table(
            "specialist-organisations",
            _("Specialist organisations"),
            [
                Column("organisation", _("Organisation"), TEXT),
                Column("specialisms", _("Specialisms"), LIST),
                Column("contracts_led", _("Contracts led")),
                Column("places", _("Places in supply chains")),
            ],
            empty_text=_("No specialist organisations in this selection."),
        )
        names = {s.slug: s.name for s in self.specialism_list}
        everyone = {**members, **leads}
        for org in sorted(everyone.values(), key=lambda o: o.name):
            slugs = self.specialisms.get(org.pk, set())
            if not slugs:
                continue
            led = [c for c in self.contracts if c.lead_provider_id == org.pk]
            in_chain = [c for c in self.contracts if any(m.organisation_id == org.pk for m in c.supply_chain.all())]
            lead_key = (
                self.contract_set(f"lead.{org.slug}", _("Contracts led by %(name)s") % {"name": org.name}, led)
                if led
                else None
            )
            member_key = (
                self.contract_set(
                    f"member.{org.slug}",
                    _("Contracts with %(name)s in the supply chain") % {"name": org.name},
                    in_chain,
                )
                if in_chain
                else None
            )
            orgs.add(
                org.slug,
                organisation=org.name,
                specialisms=[
                    names.get(s, s) for s in sorted(slugs, key=lambda s: list(names).index(s) if s in names else 99)
                ],
                contracts_led=Cell(len(led), lead_key),
                places=Cell(len(in_chain), member_key),
            )
        orgs.summary = summaries.specialist_organisations(orgs)
        self.tables[table.slug] = table
        self.tables[orgs.slug] = orgs

    # -- coverage and end dates -------------------------------------------------------------------------------

    def coverage(self) -> list[CoverageRow]:
        by_area = defaultdict(list)
        by_region = defaultdict(list)
        for c in self.contracts:
            if c.pcc_area_id:
                by_area[(c.lot_type, c.pcc_area_id)].append(c)
            else:
                by_region[(c.lot_type, c.region_id)].append(c)
        table = Table(
            "coverage",
            _("Coverage: who holds each PCC area and lot type, and when it ends"),
            [
                Column("pcc_area", _("PCC area"), TEXT),
                Column("region", _("Region"), TEXT),
                Column("lot_type", _("Lot type"), TEXT),
                Column("contracts", _("Contracts")),
                Column("lead_providers", _("Held by"), LIST),
                Column("end_dates", _("Ends"), LIST),
            ],
            notes=[_("A regional contract covers every PCC area in its region.")],
        )
        rows = []
        gaps = []
        for area in self.areas:
            cells = []
            for lt in self.lot_types:
                held = by_area[(lt, area.pk)] + by_region[(lt, area.region_id)]
                held.sort(key=lambda c: (c.cohort, c.reference))
                key = self.contract_set(
                    f"cell.{area.slug}.{lt}",
                    _("%(lot)s contracts covering %(area)s") % {"lot": lot_label(lt), "area": area.name},
                    held,
                )
                cells.append(CoverageCell(lt, held, key))
                if not held:
                    gaps.append((area, lt))
                table.add(
                    f"{area.slug}.{lt}",
                    pcc_area=area.name,
                    region=area.region.name,
                    lot_type=lot_label(lt),
                    contracts=Cell(len(held), key),
                    lead_providers=sorted({c.lead_provider.name for c in held}),
                    end_dates=[self.end_text(c) for c in held],
                )
            rows.append(CoverageRow(area, cells))
        table.summary = summaries.coverage(len(self.areas), len(self.lot_types), gaps)
        self.tables[table.slug] = table
        return rows

    @staticmethod
    def end_text(c: Contract) -> str:
        if c.end_date is None:
            return _("not known")
        text = display(c.end_date, DATE)
        if c.end_date_note:
            text = f"{text} ({c.end_date_note})"
        return text

    def end_dates(self):
        table = Table(
            "end-dates",
            _("Re-commissioning timeline: when contracts end"),
            [
                Column("end_date", _("End date"), DATE),
                Column("contracts", _("Contracts")),
                Column("lot_types", _("Lot types"), LIST),
                Column("notes", _("Notes"), LIST),
            ],
            empty_text=_("No contracts in this selection."),
        )
        groups = defaultdict(list)
        for c in self.contracts:
            groups[c.end_date].append(c)
        ordered = sorted(groups, key=lambda d: (d is None, d or date.max))
        events = []
        for end in ordered:
            group = groups[end]
            key_part = end.isoformat() if end else "not-known"
            label = display(end, DATE) if end else _("not known")
            key = self.contract_set(f"ends.{key_part}", _("Contracts ending on %(date)s") % {"date": label}, group)
            counts = Counter(c.lot_type for c in group)
            table.add(
                key_part,
                end_date=Cell(end, unit=DATE) if end else Cell(_("Not known"), unit=TEXT),
                contracts=Cell(len(group), key),
                lot_types=[f"{lot_label(lt)}: {counts[lt]}" for lt in LotType.values if counts[lt]],
                notes=sorted({c.end_date_note for c in group if c.end_date_note}),
            )
            if end:
                events.append(
                    (
                        end,
                        len(group),
                        ngettext("%(count)s contract", "%(count)s contracts", len(group)) % {"count": len(group)},
                    )
                )
        if events:
            table.chart = Chart(
                "timeline",
                _("When contracts end"),
                _("A timeline with a mark for each end date and the number of contracts ending then."),
                events=events,
            )
        table.summary = summaries.end_dates(table)
        self.tables[table.slug] = table
