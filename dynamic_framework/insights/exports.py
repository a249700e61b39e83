"""The analysis as JSON (the API, the JSON download and `dynamic-framework insights --format json` all use
analysis_json, so they say the same), as CSV tables, and as text for the command line."""

import csv
import io

from django.utils.translation import gettext as _

from dynamic_framework.contracts.models import Contract

from . import analysis as analysis_module
from .figures import PENCE, TEXT, Column, Table, as_json, display, export

RULES = {
    "values": analysis_module.VALUE_RULE,
    "percentages": analysis_module.PERCENT_RULE,
    "hhi": analysis_module.HHI_RULE,
    "sectors_and_sizes": analysis_module.CLASSIFICATION_RULE,
}


def analysis_json(analysis) -> dict:
    """The whole analysis: every figure with the key of the contracts behind it, and those contracts."""
    return {
        "selection": analysis.selection.as_json(),
        "rules": {key: str(text) for key, text in RULES.items()},
        "notes": [str(n) for n in analysis.notes],
        "headline": {
            f.key: {"label": f.label, "value": as_json(f.value, f.unit), "unit": f.unit, "contracts": f.contracts}
            for f in analysis.headline
        },
        "tables": {slug: table.as_json() for slug, table in analysis.tables.items()},
        "published": [c.as_json() for c in analysis.published],
        "published_note": analysis.published_note,
        "contract_sets": {
            key: {"label": s.label, "count": len(s), "references": s.references}
            for key, s in analysis.contract_sets.items()
        },
        # Issue 6 (notices): the 5-working-day cascade measure, all regions whatever the selection
        "notice_cascade": notice_cascade_json(),
    }


def notice_cascade_json() -> dict:
    """How quickly notices that must be passed on reach supply chain members: overall and by region."""
    from dynamic_framework.contracts.notices import CASCADE_WORKING_DAYS, cascade_measure, measure_row_json

    cascade = cascade_measure()
    return {
        "working_days": CASCADE_WORKING_DAYS,
        "overall": measure_row_json(cascade.overall),
        "by_region": [measure_row_json(r) for r in cascade.by_region],
    }


def contract_json(contract: Contract, award_contract_count: int | None = None) -> dict:
    award = contract.award
    lead = contract.lead_provider
    return {
        "reference": contract.reference,
        "hmpps_reference": contract.hmpps_reference,
        "title": contract.title,
        "round": contract.round_id and contract.round.slug,
        "lot_type": contract.lot_type,
        "region": contract.region.code,
        "pcc_area": contract.pcc_area.slug if contract.pcc_area_id else None,
        "cohort": contract.cohort,
        "lead_provider": {"slug": lead.slug, "name": lead.name, "sector": lead.sector, "size_band": lead.size_band},
        "award": (
            {
                "reference": award.reference,
                "value_pence": award.value_pence,
                "value_as_written": award.value_as_written,
                "contracts_in_selection": award_contract_count,
            }
            if award
            else None
        ),
        "start_date": contract.start_date.isoformat() if contract.start_date else None,
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "end_date_note": contract.end_date_note,
        "supply_chain": [
            {
                "slug": m.organisation.slug,
                "name": m.organisation.name,
                "sector": m.organisation.sector,
                "size_band": m.organisation.size_band,
                "role": m.role,
            }
            for m in contract.supply_chain.all()
        ],
    }


def contracts_table(contracts, award_counts: dict[int, int]) -> Table:
    """The contracts behind a figure, as a table (the contracts page's download)."""
    table = Table(
        "contracts",
        _("Contracts"),
        [
            Column("reference", _("Reference"), TEXT),
            Column("hmpps_reference", _("HMPPS reference"), TEXT),
            Column("round", _("Commissioning round"), TEXT),
            Column("lot_type", _("Lot type"), TEXT),
            Column("region", _("Region"), TEXT),
            Column("area", _("PCC area"), TEXT),
            Column("cohort", _("Cohort"), TEXT),
            Column("lead_provider", _("Lead provider"), TEXT),
            Column("sector", _("Lead provider's sector"), TEXT),
            Column("award", _("Award"), TEXT),
            Column("award_value", _("Award value (whole award)"), PENCE),
            Column("award_contracts", _("Contracts sharing the award (in this selection)")),
            Column("start_date", _("Start date"), TEXT),
            Column("end_date", _("End date"), TEXT),
            Column("end_date_note", _("End date note"), TEXT),
            Column("supply_chain_count", _("Organisations in the supply chain")),
            Column("supply_chain", _("Supply chain"), TEXT),
        ],
    )
    for c in contracts:
        members = list(c.supply_chain.all())
        table.add(
            c.reference,
            reference=c.reference,
            hmpps_reference=c.hmpps_reference or "",
            round=c.round.name,
            lot_type=c.get_lot_type_display(),
            region=c.region.name,
            area=c.pcc_area.name if c.pcc_area_id else _("Whole region"),
            cohort=c.get_cohort_display() if c.cohort else "",
            lead_provider=c.lead_provider.name,
            sector=c.lead_provider.sector_label,
            award=c.award.reference if c.award_id else "",
            award_value=c.award.value_pence if c.award_id else None,
            award_contracts=award_counts.get(c.award_id) if c.award_id else None,
            start_date=c.start_date.isoformat() if c.start_date else "",
            end_date=c.end_date.isoformat() if c.end_date else "",
            end_date_note=c.end_date_note,
            supply_chain_count=len(members),
            supply_chain="; ".join(m.organisation.name for m in members),
        )
    return table


def figures_table(analysis) -> Table:
    """Every figure, flat: the figures download and `--format csv`."""
    table = Table(
        "figures",
        _("Every figure"),
        [
            Column("key", _("Figure"), TEXT),
            Column("label", _("What it counts"), TEXT),
            Column("value", _("Value"), TEXT),
            Column("unit", _("Unit"), TEXT),
            Column("contracts", _("Contracts behind it (key)"), TEXT),
            Column("contract_count", _("Number of contracts behind it")),
        ],
    )
    for f in analysis.all_figures():
        unit = f["unit"]
        value = export(f["value"], unit)
        shown_unit = {PENCE: "pounds", "share": "percent"}.get(unit, unit)
        table.add(
            f["key"],
            key=f["key"],
            label=f["label"],
            value=value,
            unit=shown_unit,
            contracts=f["contracts"] or "",
            contract_count=len(analysis.contract_sets[f["contracts"]]) if f["contracts"] else None,
        )
    return table


def published_table(analysis) -> Table:
    table = Table(
        "published",
        _("Published figures compared with the figures worked out from the data"),
        [
            Column("key", _("Statement"), TEXT),
            Column("source", _("Source"), TEXT),
            Column("quote", _("What was published"), TEXT),
            Column("published", _("Published figure"), TEXT),
            Column("computed", _("From the data"), TEXT),
            Column("status", _("Result"), TEXT),
            Column("note", _("Note"), TEXT),
            Column("reason", _("Why they can differ"), TEXT),
            Column("contracts", _("Contracts behind it (key)"), TEXT),
        ],
    )
    for c in analysis.published:
        s = c.statement
        table.add(
            s.key,
            key=s.key,
            source=s.source,
            quote=s.quote,
            published=s.published_text,
            computed=c.computed_text,
            status=c.status_label,
            note=s.note,
            reason=c.reason,
            contracts=c.contracts or "",
        )
    return table


def download_tables(analysis) -> dict[str, Table]:
    """Every table that can be downloaded as CSV, by slug."""
    return {**analysis.tables, "figures": figures_table(analysis), "published": published_table(analysis)}


def to_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(table.csv_rows())
    return buffer.getvalue()


def to_text(analysis) -> str:
    """The analysis for a terminal: the headline figures, then each table with its summary."""
    lines = [analysis.selection.describe(), "=" * len(analysis.selection.describe()), ""]
    for note in analysis.notes:
        lines.append(f"Note: {note}")
    width = max(len(f.label) for f in analysis.headline)
    for f in analysis.headline:
        lines.append(f"{f.label.ljust(width)}  {display(f.value, f.unit) or _('not known')}")
    for table in analysis.tables.values():
        lines += ["", table.title, "-" * len(table.title), table.summary]
        lines += _text_table(table)
    if analysis.published:
        lines += ["", _("Published figures compared with the data"), "-" * 40]
        for c in analysis.published:
            lines.append(f"[{c.status_label}] {c.statement.published_text} -> {c.computed_text}  ({c.statement.key})")
            if c.reason:
                lines.append(f"    {c.reason}")
    elif analysis.published_note:
        lines += ["", analysis.published_note]
    lines += ["", _("Rules:")] + [f"- {text}" for text in RULES.values()]
    return "\n".join(str(line) for line in lines) + "\n"


def _text_table(table: Table) -> list[str]:
    if not table.rows:
        return [table.empty_text or _("Nothing to show.")]
    cells = [[c.label for c in table.columns]]
    for row in table.rows:
        out = []
        for column in table.columns:
            cell = row.cells.get(column.key)
            out.append(display(cell.value, table.unit(cell, column)) if cell else "")
        cells.append(out)
    widths = [min(40, max(len(str(r[i])) for r in cells)) for i in range(len(table.columns))]
    numeric = [c.numeric for c in table.columns]
    lines = []
    for r in cells:
        parts = []
        for i, value in enumerate(r):
            value = str(value)
            if len(value) > widths[i]:
                value = value[: widths[i] - 1] + "…"
            parts.append(value.rjust(widths[i]) if numeric[i] and r is not cells[0] else value.ljust(widths[i]))
        lines.append("  ".join(parts).rstrip())
    return lines
