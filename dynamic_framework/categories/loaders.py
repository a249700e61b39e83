"""Load service categories, referral categories, desired outcomes and complexity levels from categories/data/."""

import uuid
from datetime import date
from pathlib import Path

from dynamic_framework.core.reference_data import (
    LoadResult,
    RowError,
    atomic_load,
    parse_file,
    read_rows,
    require,
    upsert,
)

from .models import ComplexityLevel, DesiredOutcome, ReferralCategory, ServiceCategory

DATA_DIR = Path(__file__).resolve().parent / "data"


def _uuid(row, column):
    try:
        return uuid.UUID(require(row, column))
    except ValueError as exc:
        raise RowError(f"{column} {row[column]!r} is not a valid UUID") from exc


@atomic_load
def load_referral_categories(path: Path = DATA_DIR / "referral_categories.csv") -> LoadResult:
    columns = ["hmpps_id", "name", "slug", "core_category"]
    names = {row.get("name", "") for _, row in read_rows(path, columns)}

    def parse(row):
        core = row.get("core_category", "")
        if core and core not in names:
            raise RowError(f"core_category {core!r} is not a category in this file")
        return {
            "hmpps_id": _uuid(row, "hmpps_id"),
            "name": require(row, "name"),
            "slug": require(row, "slug"),
            "_core": core,
        }

    items = parse_file(path, columns, parse, "name")
    result = LoadResult("referral categories")
    by_name = upsert(ReferralCategory, [{k: v for k, v in i.items() if k != "_core"} for i in items], "name", result)
    for item in items:
        obj = by_name[item["name"]]
        core = by_name.get(item["_core"]) if item["_core"] else None
        if obj.core_category_id != (core.pk if core else None):
            obj.core_category = core
            obj.save(update_fields=["core_category"])
            result.changes.append({"updated": obj.name, "fields": ["core_category"]})
    return result


@atomic_load
def load_framework_categories(path: Path = DATA_DIR / "framework_categories.csv") -> LoadResult:
    referral = {c.name: c for c in ReferralCategory.objects.all()}

    def parse(row):
        raw = require(row, "number")
        if not raw.isdigit() or int(raw) < 1:
            raise RowError(f"number {raw!r} must be a whole number from 1")
        kind = require(row, "kind")
        if kind not in ServiceCategory.Kind.values:
            raise RowError(f"kind {kind!r} must be 'need' or 'cohort'")
        linked = [n.strip() for n in row.get("referral_categories", "").split(";") if n.strip()]
        unknown = [n for n in linked if n not in referral]
        if unknown:
            raise RowError(f"unknown referral category {unknown[0]!r}")
        return {
            "number": int(raw),
            "name": require(row, "name"),
            "slug": require(row, "slug"),
            "kind": kind,
            "grouping": row.get("grouping", ""),
            "source": row.get("source", ""),
            "_links": linked,
        }

    items = parse_file(
        path, ["number", "name", "slug", "kind", "grouping", "source", "referral_categories"], parse, "number"
    )
    result = LoadResult("framework service categories")
    by_number = upsert(
        ServiceCategory, [{k: v for k, v in i.items() if k != "_links"} for i in items], "number", result
    )
    for item in items:
        obj = by_number[item["number"]]
        wanted = {referral[n].pk for n in item["_links"]}
        current = set(obj.referral_categories.values_list("pk", flat=True))
        if wanted != current:
            obj.referral_categories.set(wanted)
            result.changes.append({"updated": obj.name, "fields": ["referral_categories"]})
    return result


@atomic_load
def load_desired_outcomes(path: Path = DATA_DIR / "desired_outcomes.csv") -> LoadResult:
    referral = {c.name: c for c in ReferralCategory.objects.all()}

    def parse(row):
        category = require(row, "referral_category")
        if category not in referral:
            raise RowError(f"unknown referral category {category!r}")
        retired = row.get("retired_at", "")
        try:
            retired_on = date.fromisoformat(retired) if retired else None
        except ValueError as exc:
            raise RowError(f"retired_at {retired!r} is not a date (YYYY-MM-DD)") from exc
        return {
            "hmpps_id": _uuid(row, "hmpps_id"),
            "referral_category": referral[category],
            "description": require(row, "description"),
            "retired_on": retired_on,
        }

    items = parse_file(path, ["hmpps_id", "referral_category", "description", "retired_at"], parse, "hmpps_id")
    result = LoadResult("desired outcomes")
    upsert(DesiredOutcome, items, "hmpps_id", result)
    return result


@atomic_load
def load_complexity_levels(path: Path = DATA_DIR / "complexity_levels.csv") -> LoadResult:
    referral = {c.name: c for c in ReferralCategory.objects.all()}

    def parse(row):
        category = require(row, "referral_category")
        if category not in referral:
            raise RowError(f"unknown referral category {category!r}")
        level = require(row, "level")
        if level not in ComplexityLevel.Level.values:
            raise RowError(f"level {level!r} must be LOW, MEDIUM or HIGH")
        return {
            "key": f"{category}|{level}",
            "referral_category": referral[category],
            "level": level,
            "title": require(row, "title"),
            "description": require(row, "description"),
        }

    items = parse_file(path, ["referral_category", "level", "title", "description"], parse, "key")
    result = LoadResult("complexity levels")
    existing = {
        f"{c.referral_category.name}|{c.level}": c for c in ComplexityLevel.objects.select_related("referral_category")
    }
    for item in items:
        key = item.pop("key")
        obj = existing.get(key)
        if obj is None:
            ComplexityLevel.objects.create(**item)
            result.created += 1
        else:
            changed = {f: v for f, v in item.items() if getattr(obj, f) != v}
            if changed:
                for f, v in changed.items():
                    setattr(obj, f, v)
                obj.save(update_fields=list(changed))
                result.updated += 1
            else:
                result.unchanged += 1
    return result


LOADERS = [load_referral_categories, load_framework_categories, load_desired_outcomes, load_complexity_levels]
