"""Import the 2021 award list and the HMPPS contract register (contracts/data/, described in SOURCES.md).

Each importer first loads organisations.csv (every organisation both sources name, once), then checks its
whole file: a malformed row, an unknown region or PCC area, or a name that matches no organisation refuses
the file, listing every problem with its line, and nothing from it is saved. Names are matched exactly on an
organisation's name or other names (typography aside), never fuzzily. Then the file is written in one
transaction with one audit event summarising it; a second run changes nothing and records nothing.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core import audit
from dynamic_framework.core.reference_data import ReferenceDataError, read_rows
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.matching import NameIndex, normalise_name
from dynamic_framework.organisations.models import Organisation

from . import providers
from .eligibility import eligibility_text
from .models import (
    LOT_SERVICE_CATEGORIES,
    Award,
    Cohort,
    CommissioningRound,
    Contract,
    ContractArea,
    FundingMechanism,
    LotType,
    SupplyChainMember,
    Variation,
)
from .reporting import CREATED, UNCHANGED, UPDATED, ImportReport, Problems

DATA_DIR = Path(__file__).resolve().parent / "data"
AWARDS_2021_FILE = DATA_DIR / "awards_2021.csv"
HMPPS_CONTRACTS_FILE = DATA_DIR / "hmpps_contracts.csv"
HMPPS_PROVIDERS_FILE = DATA_DIR / "hmpps_providers.json"
ROUNDS_FILE = DATA_DIR / "commissioning_rounds.csv"
ACTOR = "contract data import"

ROUND_2021 = "2021-national-awards"
# Seed 000: the contracts "go live on 26th June" 2021 and end "31st March 2025 for all categories except
# Women's services which will end on 31st March 2026". Seed 003 names areas served only "until June 2023";
# the day is not published, so the last day of that month is recorded, with a note saying so.
START_2021 = date(2021, 6, 26)
END_2021 = date(2025, 3, 31)
END_2021_WOMENS = date(2026, 3, 31)
END_JUNE_2023 = date(2023, 6, 30)
UNTIL_JUNE_2023_NOTE = "until June 2023 (day not published; last day of the month assumed)"
WALES_COHORTS_NOTE = "Young Adults and 26+"

# Lots bought by PCC area; the others are bought by region (seed 003, notes to editors), except accommodation
# in Wales, bought by PCC area.
PCC_LOTS = {LotType.WOMENS_SERVICES, LotType.PERSONAL_WELLBEING}

# HMPPS contract type codes (contract_types.csv of the HMPPS service) -> lot type. FBD-* and DNR-* are the
# regional variants of finance, benefit and debt and of dependency and recovery; WSM is Greater Manchester's
# women's support service.
CONTRACT_TYPES = {
    "ACC": LotType.ACCOMMODATION,
    "ETE": LotType.EDUCATION_TRAINING_EMPLOYMENT,
    "PWB": LotType.PERSONAL_WELLBEING,
    "WOS": LotType.WOMENS_SERVICES,
    "WSM": LotType.WOMENS_SERVICES,
    "MTR": LotType.MENTORING,
}
CONTRACT_TYPE_PREFIXES = {"FBD": LotType.FINANCE_BENEFIT_DEBT, "DNR": LotType.DEPENDENCY_RECOVERY}
AWARD_REFERENCE_RE = re.compile(r"^PRJ_[56][0-9]{3}$")  # the 2021 award contracts' HMPPS references
VALUE_RE = re.compile(r"^£([0-9]{1,3}(?:, ?[0-9]{3})*)$")
SPREADSHEET_NUMBER_RE = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def lot_type_for(code: str) -> str | None:
    if code in CONTRACT_TYPES:
        return CONTRACT_TYPES[code]
    prefix = code.split("-", 1)[0]
    if prefix in CONTRACT_TYPE_PREFIXES and (code == prefix or re.match(rf"^{prefix}-[A-Z]+$", code)):
        return CONTRACT_TYPE_PREFIXES[prefix]
    return None


def is_pcc_lot(lot_type: str, region: Region) -> bool:
    return lot_type in PCC_LOTS or (lot_type == LotType.ACCOMMODATION and region.is_wales)


# ---------------------------------------------------------------------------------------------------------
# Reference data and rounds


@dataclass
class Reference:
    regions_by_name: dict
    regions_by_code: dict
    areas_by_name: dict
    areas_by_slug: dict
    categories: dict
    commissioners: dict  # region pk -> the HMPPS commissioning body for that region


def _reference(path: Path) -> Reference:
    regions = list(Region.objects.all())
    areas = list(PccArea.objects.select_related("region"))
    categories = {c.number: c for c in ServiceCategory.objects.all()}
    commissioners = {
        o.region_id: o
        for o in Organisation.objects.filter(
            kind=Organisation.Kind.COMMISSIONING_BODY,
            commissioning_body_type=Organisation.CommissioningBodyType.HMPPS_REGION,
        )
    }
    needed = {n for numbers in LOT_SERVICE_CATEGORIES.values() for n in numbers}
    if len(regions) != 12 or not areas or not needed <= set(categories) or len(commissioners) != 12:
        raise ReferenceDataError(path, 0, "the reference data is not loaded: run load-reference-data first")
    return Reference(
        regions_by_name={normalise_name(r.name).casefold(): r for r in regions},
        regions_by_code={r.code: r for r in regions},
        areas_by_name={normalise_name(a.name).casefold(): a for a in areas},
        areas_by_slug={a.slug: a for a in areas},
        categories=categories,
        commissioners=commissioners,
    )


ROUND_COLUMNS = ["slug", "name", "position", "announced_on", "reference_pattern", "description", "source"]


def read_rounds(path: Path = ROUNDS_FILE) -> list[dict]:
    problems = Problems(path)
    rounds = []
    for line, row in read_rows(path, ROUND_COLUMNS):
        item = {k: row[k] for k in ("slug", "name", "description", "source")}
        if not row["slug"] or not row["name"]:
            problems.add(line, "slug and name are required")
        if not row["position"].isdigit():
            problems.add(line, f"position {row['position']!r} must be a whole number")
        else:
            item["position"] = int(row["position"])
        try:
            item["announced_on"] = date.fromisoformat(row["announced_on"]) if row["announced_on"] else None
        except ValueError:
            problems.add(line, f"announced_on {row['announced_on']!r} is not a date like 2021-05-21")
        try:
            item["pattern"] = re.compile(row["reference_pattern"]) if row["reference_pattern"] else None
        except re.error as exc:
            problems.add(line, f"reference_pattern is not a valid pattern ({exc})")
        item["line"] = line
        rounds.append(item)
    problems.raise_if_any()
    return rounds


def _upsert_round(item: dict, report: ImportReport) -> CommissioningRound:
    fields = {k: item[k] for k in ("name", "description", "source", "position", "announced_on")}
    return _upsert(CommissioningRound, {"slug": item["slug"]}, fields, report, "rounds", item["slug"])


def _upsert(model, lookup: dict, fields: dict, report: ImportReport, kind: str, key: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **fields)
        report.count(kind, CREATED, key)
        return obj
    changed = [f for f, v in fields.items() if _differs(obj, f, v)]
    if changed:
        for f in changed:
            setattr(obj, f, fields[f])
        obj.save(update_fields=changed)
        report.count(kind, UPDATED, key, changed)
    else:
        report.count(kind, UNCHANGED, key)
    return obj


def _differs(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if field.many_to_one:  # compare keys, without loading the related row
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def _set_categories(contract: Contract, reference: Reference) -> bool:
    wanted = {reference.categories[n].pk for n in LOT_SERVICE_CATEGORIES[contract.lot_type]}
    current = set(contract.service_categories.values_list("pk", flat=True))
    if wanted != current:
        contract.service_categories.set(wanted)
        return True
    return False


def _sync_areas(contract: Contract, wanted: list[tuple]) -> bool:
    """Make the contract's areas served exactly `wanted` [(PCC area, added_on, removed_on)]. True if changed.

    Only for contracts without variations: once a contract has been varied, its areas are the variations'."""
    current = sorted((a.pcc_area_id, a.added_on, a.removed_on) for a in contract.areas.all())
    target = sorted((area.pk, added, removed) for area, added, removed in wanted)
    if current == target:
        return False
    contract.areas.all().delete()
    ContractArea.objects.bulk_create(
        ContractArea(contract=contract, pcc_area_id=pk, added_on=added, removed_on=removed)
        for pk, added, removed in target
    )
    return True


def _areas_served(contract_area: PccArea | None, region: Region, reference: Reference) -> list[PccArea]:
    """A PCC-area contract serves its area; a regional contract every PCC area of its region."""
    if contract_area is not None:
        return [contract_area]
    return sorted((a for a in reference.areas_by_slug.values() if a.region_id == region.pk), key=lambda a: a.name)


def _record(report: ImportReport, action: str, path: Path, actor) -> None:
    if report.changed:
        audit.record(
            actor=actor,
            action=action,
            object_type="contracts.import",
            object_id=path.name,
            after=report.audit_summary(),
        )


# ---------------------------------------------------------------------------------------------------------
# The 2021 award list

AWARD_COLUMNS = [
    "line",
    "region",
    "lot_type",
    "provider_as_written",
    "value_as_written",
    "pcc_areas",
    "pcc_areas_until_june_2023",
    "notes",
    "source_text",
]
DAY_ONE_LOTS = {
    LotType.WOMENS_SERVICES,
    LotType.PERSONAL_WELLBEING,
    LotType.ACCOMMODATION,
    LotType.EDUCATION_TRAINING_EMPLOYMENT,
}


def _split_areas(value: str) -> list[str]:
    return [a.strip() for a in value.split(";") if a.strip()]


def _parse_awards(path: Path, reference: Reference, names: NameIndex, report: ImportReport) -> list[dict]:
    problems = Problems(path)
    awards, seen_lines, seen_lots = [], {}, {}
    for line, row in read_rows(path, AWARD_COLUMNS):
        number = row["line"]
        if not number.isdigit() or int(number) < 1:
            problems.add(line, f"line {number!r} must be a whole number from 1")
            continue
        number = int(number)
        if number in seen_lines:
            problems.add(line, f"award line {number} is also on line {seen_lines[number]}")
        seen_lines.setdefault(number, line)
        region = reference.regions_by_name.get(normalise_name(row["region"]).casefold())
        if region is None:
            problems.add(line, f"unknown region {row['region']!r}")
        lot_type = row["lot_type"]
        if lot_type not in DAY_ONE_LOTS:
            problems.add(line, f"lot_type {lot_type!r} is not one of {', '.join(sorted(DAY_ONE_LOTS))}")
        lead = names.find(row["provider_as_written"])
        if not row["provider_as_written"]:
            problems.add(line, "provider_as_written is empty")
        elif lead is None:
            problems.unmatched_name(line, row["provider_as_written"], "provider")
        value = VALUE_RE.match(row["value_as_written"])
        if not value:
            problems.add(line, f"value {row['value_as_written']!r} is not an amount in pounds like £1,234,567")
        elif " " in value.group(1):
            report.warnings.append(
                f"{path.name} line {line}: value {row['value_as_written']!r} has a stray space (as published); "
                f"read as £{value.group(1).replace(' ', '')}"
            )
        if not row["source_text"]:
            problems.add(line, "source_text is empty: keep the award line as published")
        areas = []
        for column, until in (("pcc_areas", False), ("pcc_areas_until_june_2023", True)):
            for name in _split_areas(row[column]):
                area = reference.areas_by_name.get(normalise_name(name).casefold())
                if area is None:
                    problems.add(line, f"unknown PCC area {name!r}")
                elif region is not None and area.region_id != region.pk:
                    problems.add(line, f"PCC area {name!r} is not in {region.name}")
                elif area in [a for a, _ in areas]:
                    problems.add(line, f"PCC area {name!r} is named twice")
                else:
                    areas.append((area, until))
        if region is None or lot_type not in DAY_ONE_LOTS:
            continue
        notes = row["notes"]
        cohorts = [Cohort.ALL]
        if WALES_COHORTS_NOTE.casefold() in notes.casefold():
            if lot_type != LotType.PERSONAL_WELLBEING or not region.is_wales:
                problems.add(line, f"'{WALES_COHORTS_NOTE}' is only for personal wellbeing in Wales")
            cohorts = [Cohort.YOUNG_ADULTS, Cohort.AGED_26_PLUS]
        if is_pcc_lot(lot_type, region) and not areas:
            problems.add(line, f"a {lot_type} lot in {region.name} is bought by PCC area: name at least one")
        if not is_pcc_lot(lot_type, region) and areas:
            problems.add(line, f"a {lot_type} lot in {region.name} is bought for the whole region: name no PCC area")
        lots = [(area, until, cohort) for area, until in areas for cohort in cohorts] or [(None, False, Cohort.ALL)]
        for area, _until, cohort in lots:
            key = (lot_type, region.pk, area.pk if area else None, cohort)
            if key in seen_lots:
                problems.add(line, f"the same lot ({lot_type}, {area or region}) is also on line {seen_lots[key]}")
            seen_lots.setdefault(key, line)
        awards.append(
            {
                "line": line,
                "number": number,
                "region": region,
                "lot_type": lot_type,
                "lead": lead,
                "row": row,
                "value_pence": int(value.group(1).replace(",", "").replace(" ", "")) * 100 if value else None,
                "lots": lots,
            }
        )
    if not seen_lines and not problems.items:
        problems.add(1, "the file has no rows")
    problems.raise_if_any()
    return awards


def _contract_reference(number: int, region: Region, area: PccArea | None, cohort: str) -> str:
    place = area.slug if area else region.slug
    suffix = f"-{cohort.replace('_', '-')}" if cohort else ""
    return f"2021-L{number}-{place}{suffix}"


def import_awards_2021(
    *, actor=ACTOR, path: Path = AWARDS_2021_FILE, organisations_path: Path = providers.ORGANISATIONS_FILE
) -> tuple[ImportReport, ImportReport]:
    """Load the 2021 round, its 66 awards and their 110 contracts. Returns (organisations, awards) reports."""
    report = ImportReport("2021 awards")
    with transaction.atomic():
        reference = _reference(path)
        org_report = providers.load_organisations(actor=actor, path=organisations_path)
        names = NameIndex()
        awards = _parse_awards(path, reference, names, report)
        round_item = next((r for r in read_rounds() if r["slug"] == ROUND_2021), None)
        if round_item is None:
            raise ReferenceDataError(ROUNDS_FILE, 0, f"no round {ROUND_2021!r}")
        round_ = _upsert_round(round_item, report)
        existing = {c.reference: c for c in Contract.objects.filter(round=round_)}
        # A varied contract's end date and areas are the variations' (the import keeps the original end date), and
        # a novated contract's lead provider is the novation's.
        varied = set(Variation.objects.filter(contract__round=round_).values_list("contract__reference", flat=True))
        novated = set(
            Variation.objects.filter(contract__round=round_, kind=Variation.Kind.NOVATE).values_list(
                "contract__reference", flat=True
            )
        )
        for item in awards:
            row = item["row"]
            notes = row["notes"]
            award = _upsert(
                Award,
                {"reference": f"2021-line-{item['number']}"},
                {
                    "round": round_,
                    "line_number": item["number"],
                    "region": item["region"],
                    "lot_type": item["lot_type"],
                    "lead_provider": item["lead"],
                    "provider_as_written": row["provider_as_written"],
                    "value_pence": item["value_pence"],
                    "value_as_written": row["value_as_written"],
                    "subject_to_contract": "subject to contract" in notes.casefold(),
                    "notes": notes,
                    "source_text": row["source_text"],
                },
                report,
                "awards",
                f"2021-line-{item['number']}",
            )
            womens = item["lot_type"] == LotType.WOMENS_SERVICES
            for area, until, cohort in item["lots"]:
                ref = _contract_reference(item["number"], item["region"], area, cohort)
                end = END_JUNE_2023 if until else (END_2021_WOMENS if womens else END_2021)
                old = existing.get(ref)
                fields = {
                    "round": round_,
                    "award": award,
                    "lot_type": item["lot_type"],
                    "region": item["region"],
                    "pcc_area": area,
                    "cohort": cohort,
                    "lead_provider": item["lead"],
                    "lead_provider_as_written": row["provider_as_written"],
                    "commissioner": reference.commissioners[item["region"].pk],
                    "start_date": START_2021,
                    "end_date": end,
                    "original_end_date": end,
                    "end_date_note": UNTIL_JUNE_2023_NOTE if until else "",
                    "funding_mechanism": FundingMechanism.CONTRACT,
                    # The sex and ages come from the HMPPS register (import-hmpps-contracts), when loaded.
                    "eligibility": eligibility_text(
                        cohort=cohort,
                        allows_female=old.allows_female if old else None,
                        allows_male=old.allows_male if old else None,
                        min_age=old.min_age if old else None,
                        max_age=old.max_age if old else None,
                    ),
                    "source": f"2021 award announcement, award line {item['number']} (seed 003); "
                    "start and end dates from seed 000",
                }
                if ref in varied:
                    del fields["end_date"]
                if ref in novated:
                    del fields["lead_provider"]
                contract = _upsert(Contract, {"reference": ref}, fields, report, "contracts", ref)
                if _set_categories(contract, reference):
                    _note_category_change(report, "contracts", ref)
                served = [
                    (a, START_2021, END_JUNE_2023 if until else None)
                    for a in _areas_served(area, item["region"], reference)
                ]
                if ref not in varied and _sync_areas(contract, served):
                    _note_category_change(report, "contracts", ref, field="areas")
        wanted = {
            _contract_reference(item["number"], item["region"], area, cohort)
            for item in awards
            for area, _until, cohort in item["lots"]
        }
        for ref in (
            Contract.objects.filter(round=round_).exclude(reference__in=wanted).values_list("reference", flat=True)
        ):
            report.warnings.append(f"contract {ref} is no longer in {path.name}; kept (remove it by hand if wrong)")
        _record(report, "contracts.awards_2021_imported", path, actor)
    return org_report, report


def _note_category_change(report: ImportReport, kind: str, ref: str, field: str = "service_categories") -> None:
    """A contract whose service categories (or areas served) changed counts as updated (once; not at all if just
    created)."""
    counts = report.counts[kind]
    already = next((c for c in report.changes if c.get("updated") == f"{kind} {ref}"), None)
    created = any(c.get("created") == f"{kind} {ref}" for c in report.changes)
    if already is not None:
        if field not in already.setdefault("fields", []):
            already["fields"].append(field)
    elif not created:
        counts[UNCHANGED] -= 1
        counts[UPDATED] += 1
        report.changes.append({"updated": f"{kind} {ref}", "fields": [field]})


# ---------------------------------------------------------------------------------------------------------
# The HMPPS contract register

HMPPS_COLUMNS = [
    "contract_reference",
    "contract_type_code",
    "nps_region",
    "pcc_region",
    "prime_provider_code",
    "prime_provider_name",
    "subcontractor_names",
    "allows_female",
    "allows_male",
    "min_age",
    "max_age",
    "hide_before",
    "hide_after",
    "intervention_title",
]
HMPPS_SOURCE = "HMPPS Refer and Monitor contract register (hmpps-interventions-service, commit 6cc17e91)"
YOUNG_ADULT_TITLE_RE = re.compile(r"\(18-25\)|young adults", re.IGNORECASE)
AGED_26_TITLE_RE = re.compile(r"\(26 plus\)", re.IGNORECASE)


def _bool(value: str, column: str, line: int, problems: Problems) -> bool | None:
    if value in {"True", "False"}:
        return value == "True"
    problems.add(line, f"{column} {value!r} must be True or False")
    return None


def _age(value: str, column: str, line: int, problems: Problems) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 10 <= int(value) <= 120:
        problems.add(line, f"{column} {value!r} must be an age in whole years")
        return None
    return int(value)


def _messy(path: Path, line: int, column: str, value: str, report: ImportReport) -> None:
    """Report values that look like spreadsheet or typing artefacts, without changing them."""
    if SPREADSHEET_NUMBER_RE.match(value):
        report.warnings.append(
            f"{path.name} line {line}: {column} {value!r} is only a number (a spreadsheet artefact such as a "
            "date serial?); kept as published"
        )
    elif re.search(r",[^ ]", value):
        report.warnings.append(f"{path.name} line {line}: {column} {value!r} has a comma without a space after it")
    if "\u2019" in value or "\u2018" in value:
        report.warnings.append(
            f"{path.name} line {line}: {column} {value!r} has a curly apostrophe; matched as a straight one"
        )


def _read_providers(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReferenceDataError(path, 0, f"cannot read the provider list ({exc})") from exc
    if not isinstance(data, list) or not all(isinstance(p, dict) and p.get("code") and p.get("name") for p in data):
        raise ReferenceDataError(path, 0, "the provider list must be a list of {code, name}")
    return {p["code"]: p["name"] for p in data}


def _parse_hmpps(
    path: Path,
    reference: Reference,
    names: NameIndex,
    provider_names: dict[str, str],
    rounds: list[dict],
    award_contracts: dict,
    report: ImportReport,
) -> list[dict]:
    problems = Problems(path)
    items, seen_refs, matched = [], {}, {}
    for line, row in read_rows(path, HMPPS_COLUMNS):
        ref = row["contract_reference"]
        if not re.match(r"^[A-Z0-9_]+$", ref):
            problems.add(line, f"contract_reference {ref!r} must be capital letters, digits and underscores")
            continue
        if ref in seen_refs:
            problems.add(line, f"contract_reference {ref!r} is also on line {seen_refs[ref]}")
            continue
        seen_refs[ref] = line
        for column in ("intervention_title", "prime_provider_name"):
            if row[column]:
                _messy(path, line, column, row[column], report)
        for name in [n.strip() for n in row["subcontractor_names"].split(";") if n.strip()]:
            _messy(path, line, "subcontractor", name, report)
        code = row["contract_type_code"]
        lot_type = lot_type_for(code)
        if lot_type is None:
            problems.add(line, f"unknown contract_type_code {code!r}")
        region = area = None
        if row["pcc_region"]:
            area = reference.areas_by_slug.get(row["pcc_region"])
            if area is None:
                problems.add(line, f"unknown PCC area {row['pcc_region']!r}")
            else:
                region = area.region
        if row["nps_region"]:
            by_code = reference.regions_by_code.get(row["nps_region"])
            if by_code is None:
                problems.add(line, f"unknown region {row['nps_region']!r}")
            elif region is not None and by_code.pk != region.pk:
                problems.add(line, f"PCC area {row['pcc_region']!r} is not in region {row['nps_region']!r}")
            region = region or by_code
        if not row["nps_region"] and not row["pcc_region"]:
            problems.add(line, "give an nps_region or a pcc_region")
        allows_female = _bool(row["allows_female"], "allows_female", line, problems)
        allows_male = _bool(row["allows_male"], "allows_male", line, problems)
        min_age = _age(row["min_age"], "min_age", line, problems)
        max_age = _age(row["max_age"], "max_age", line, problems)
        if min_age is not None and max_age is not None and max_age < min_age:
            problems.add(line, f"max_age {max_age} is below min_age {min_age}")
        try:
            opened = date.fromisoformat(row["hide_before"]) if row["hide_before"] else None
        except ValueError:
            problems.add(line, f"hide_before {row['hide_before']!r} is not a date like 2021-06-26")
            opened = None
        try:
            closed = datetime.fromisoformat(row["hide_after"]) if row["hide_after"] else None
            if closed is not None and closed.tzinfo is None:
                raise ValueError
        except ValueError:
            problems.add(
                line, f"hide_after {row['hide_after']!r} is not a time with its offset, like 2023-12-31T23:59:00+00"
            )
            closed = None
        pcode, pname = row["prime_provider_code"], row["prime_provider_name"]
        lead = names.find(pname) if pname else None
        if pcode not in provider_names:
            problems.add(line, f"prime_provider_code {pcode!r} is not in {HMPPS_PROVIDERS_FILE.name}")
        elif normalise_name(provider_names[pcode]) != normalise_name(pname):
            report.warnings.append(
                f"{path.name} line {line}: prime_provider_name {pname!r} differs from the provider list's "
                f"{provider_names[pcode]!r} for {pcode}"
            )
        if not pname:
            problems.add(line, "prime_provider_name is empty")
        elif lead is None:
            problems.unmatched_name(line, pname, "prime provider")
        elif lead.hmpps_provider_code and lead.hmpps_provider_code != pcode:
            problems.add(
                line,
                f"prime provider {pname!r} is {lead.name}, whose HMPPS code is {lead.hmpps_provider_code}, not {pcode}",
            )
        members, seen_members = [], set()
        for name in [n.strip() for n in row["subcontractor_names"].split(";") if n.strip()]:
            org = names.find(name)
            if org is None:
                problems.unmatched_name(line, name, "subcontractor")
            elif org.pk in seen_members:
                report.warnings.append(f"{path.name} line {line}: subcontractor {name!r} is listed twice")
            elif lead is not None and org.pk == lead.pk:
                report.warnings.append(f"{path.name} line {line}: the prime provider is also listed as a subcontractor")
            else:
                seen_members.add(org.pk)
                members.append((org, name))
        cohort = Cohort.ALL
        if lot_type == LotType.PERSONAL_WELLBEING and region is not None and region.is_wales:
            if max_age == 25:
                cohort = Cohort.YOUNG_ADULTS
            elif min_age is not None and min_age >= 26:
                cohort = Cohort.AGED_26_PLUS
        title = row["intervention_title"]
        if (YOUNG_ADULT_TITLE_RE.search(title) and cohort != Cohort.YOUNG_ADULTS) or (
            AGED_26_TITLE_RE.search(title) and cohort != Cohort.AGED_26_PLUS
        ):
            report.warnings.append(f"{path.name} line {line}: title {title!r} does not fit ages {min_age}-{max_age}")
        item = {
            "line": line,
            "reference": ref,
            "code": code,
            "lot_type": lot_type,
            "region": region,
            "pcc_area": area,
            "cohort": cohort,
            "lead": lead,
            "lead_as_written": pname,
            "members": members,
            "title": title,
            "allows_female": allows_female,
            "allows_male": allows_male,
            "min_age": min_age,
            "max_age": max_age,
            "opened": opened,
            "closed": closed,
            "contract": None,
            "round": None,
        }
        if lot_type is None or region is None:
            continue
        if AWARD_REFERENCE_RE.match(ref):
            if area is None and is_pcc_lot(lot_type, region) and len(region_areas := region.pcc_areas.all()) == 1:
                area = region_areas[0]  # a region of one PCC area (London): the award names the area
            key = (lot_type, region.pk, area.pk if area else None, cohort)
            contract = award_contracts.get(key)
            if contract is None:
                problems.add(
                    line,
                    f"{ref} looks like a 2021 award contract but matches no award line's lot "
                    f"({key[0]}, {area or region})",
                )
                continue
            if contract.pk in matched:
                problems.add(
                    line,
                    f"{ref} and the contract on line {matched[contract.pk]} are the same 2021 lot "
                    f"({contract.reference})",
                )
            matched.setdefault(contract.pk, line)
            # The award's lead provider, which a novation of the contract since does not change.
            if lead is not None and lead.pk != contract.award.lead_provider_id:
                problems.add(
                    line,
                    f"{ref}: prime provider {pname!r} ({lead.name}) is not the award's lead provider "
                    f"({contract.award.lead_provider.name}, {contract.reference})",
                )
            direct = title.endswith(" DA")
            if direct != bool(contract.end_date_note):
                report.warnings.append(
                    f"{path.name} line {line}: {ref} title {'ends' if direct else 'does not end'} in 'DA' but the "
                    f"award {'does not say' if direct else 'says'} 'until June 2023' for {contract.lot_name}"
                )
            item["contract"] = contract
        else:
            found = [r for r in rounds if r["pattern"] and r["pattern"].match(ref)]
            if len(found) != 1:
                problems.add(
                    line,
                    f"{ref} is not a 2021 award contract and belongs to "
                    + ("no commissioning round" if not found else f"{len(found)} rounds")
                    + f" in {ROUNDS_FILE.name}",
                )
                continue
            item["round"] = found[0]
        items.append(item)
    if not seen_refs and not problems.items:
        problems.add(1, "the file has no rows")
    problems.raise_if_any()
    unmatched = [c for k, c in award_contracts.items() if c.pk not in matched]
    for contract in sorted(unmatched, key=lambda c: c.reference):
        report.warnings.append(f"2021 contract {contract.reference} has no row in the HMPPS register")
    return items


def import_hmpps_contracts(
    *,
    actor=ACTOR,
    path: Path = HMPPS_CONTRACTS_FILE,
    providers_path: Path = HMPPS_PROVIDERS_FILE,
    rounds_path: Path = ROUNDS_FILE,
    organisations_path: Path = providers.ORGANISATIONS_FILE,
) -> tuple[ImportReport, ImportReport]:
    """Match each register row to its 2021 award contract, or file it under its round. Returns two reports."""
    report = ImportReport("HMPPS contracts")
    with transaction.atomic():
        reference = _reference(path)
        round_2021 = CommissioningRound.objects.filter(slug=ROUND_2021).first()
        if round_2021 is None or not round_2021.contracts.exists():
            raise ReferenceDataError(path, 0, "the 2021 awards are not loaded: run import-awards-2021 first")
        org_report = providers.load_organisations(actor=actor, path=organisations_path)
        names = NameIndex()
        provider_names = _read_providers(providers_path)
        rounds = read_rounds(rounds_path)
        award_contracts = {
            (c.lot_type, c.region_id, c.pcc_area_id, c.cohort): c
            for c in Contract.objects.filter(round=round_2021, award__isnull=False).select_related(
                "lead_provider", "award__lead_provider", "pcc_area", "region"
            )
        }
        items = _parse_hmpps(path, reference, names, provider_names, rounds, award_contracts, report)
        round_objs = {}
        novated = set(
            Variation.objects.filter(kind=Variation.Kind.NOVATE).values_list("contract__reference", flat=True)
        )
        for item in items:
            eligibility = {
                "hmpps_reference": item["reference"],
                "hmpps_contract_type": item["code"],
                "title": item["title"],
                "allows_female": item["allows_female"],
                "allows_male": item["allows_male"],
                "min_age": item["min_age"],
                "max_age": item["max_age"],
                "referrals_opened_on": item["opened"],
                "referrals_closed_at": item["closed"],
                "eligibility": eligibility_text(
                    cohort=item["cohort"],
                    allows_female=item["allows_female"],
                    allows_male=item["allows_male"],
                    min_age=item["min_age"],
                    max_age=item["max_age"],
                ),
            }
            if item["contract"] is not None:
                contract = _upsert(
                    Contract,
                    {"pk": item["contract"].pk},
                    eligibility,
                    report,
                    "2021 contracts matched",
                    item["contract"].reference,
                )
            else:
                slug = item["round"]["slug"]
                if slug not in round_objs:
                    round_objs[slug] = _upsert_round(item["round"], report)
                contract = _upsert(
                    Contract,
                    {"reference": item["reference"]},
                    {
                        **eligibility,
                        "round": round_objs[slug],
                        "award": None,
                        "lot_type": item["lot_type"],
                        "region": item["region"],
                        "pcc_area": item["pcc_area"],
                        "cohort": item["cohort"],
                        # A novated contract's lead provider is the novation's.
                        **({} if item["reference"] in novated else {"lead_provider": item["lead"]}),
                        "lead_provider_as_written": item["lead_as_written"],
                        "commissioner": reference.commissioners[item["region"].pk],
                        "notes": "No award value published.",
                        "source": HMPPS_SOURCE,
                        "funding_mechanism": FundingMechanism.CONTRACT,
                        "original_end_date": None,  # the register publishes no contract dates
                    },
                    report,
                    "other contracts",
                    item["reference"],
                )
                if _set_categories(contract, reference):
                    _note_category_change(report, "other contracts", item["reference"])
                served = [(a, None, None) for a in _areas_served(item["pcc_area"], item["region"], reference)]
                if not contract.variations.exists() and _sync_areas(contract, served):
                    _note_category_change(report, "other contracts", item["reference"], field="areas")
            _sync_supply_chain(contract, item, report)
        refs = {item["reference"] for item in items}
        stale = Contract.objects.filter(hmpps_reference__isnull=False).exclude(hmpps_reference__in=refs)
        for ref in stale.values_list("hmpps_reference", flat=True):
            report.warnings.append(f"register contract {ref} is no longer in {path.name}; kept")
        _record(report, "contracts.hmpps_contracts_imported", path, actor)
    return org_report, report


def _sync_supply_chain(contract: Contract, item: dict, report: ImportReport) -> None:
    lead = item["lead"]
    partners = set(lead.members.values_list("pk", flat=True))
    source = f"HMPPS register {item['reference']}"
    # Members that left keep their rows (history), and members added in the service are not the import's.
    current = {m.organisation_id: m for m in contract.supply_chain.all() if m.left_on is None}
    wanted = set()
    for org, name in item["members"]:
        wanted.add(org.pk)
        role = SupplyChainMember.Role.PARTNER if org.pk in partners else SupplyChainMember.Role.SUBCONTRACTOR
        fields = {"role": role, "name_as_written": name, "source": source, "joined_on": contract.start_date}
        member = current.get(org.pk)
        key = f"{item['reference']} {org.slug}"
        if member is None:
            SupplyChainMember.objects.create(contract=contract, organisation=org, **fields)
            report.count("supply chain members", CREATED, key)
            continue
        changed = [f for f, v in fields.items() if getattr(member, f) != v]
        if changed:
            for f in changed:
                setattr(member, f, fields[f])
            member.save(update_fields=changed)
            report.count("supply chain members", UPDATED, key, changed)
        else:
            report.count("supply chain members", UNCHANGED, key)
    for org_id, member in current.items():
        if org_id not in wanted and member.source == source:
            member.delete()
            report.count("supply chain members", "deleted", f"{item['reference']} {org_id}")
            report.changes.append({"deleted": f"supply chain member {item['reference']} {org_id}"})
