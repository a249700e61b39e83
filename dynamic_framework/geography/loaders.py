"""Load the geography reference data from geography/data/."""

from pathlib import Path

from dynamic_framework.core.reference_data import (
    LoadResult,
    RowError,
    atomic_load,
    parse_file,
    require,
    upsert,
)

from .models import PccArea, ProbationDeliveryUnit, Region

DATA_DIR = Path(__file__).resolve().parent / "data"


@atomic_load
def load_regions(path: Path = DATA_DIR / "regions.csv") -> LoadResult:
    def parse(row):
        code = require(row, "code")
        if len(code) != 1 or not code.isalpha() or not code.isupper():
            raise RowError(f"code {code!r} must be one capital letter")
        nation = require(row, "nation")
        if nation not in Region.Nation.values:
            raise RowError(f"nation {nation!r} must be England or Wales")
        return {"code": code, "name": require(row, "name"), "slug": require(row, "slug"), "nation": nation}

    items = parse_file(path, ["code", "name", "slug", "nation"], parse, "code")
    result = LoadResult("regions")
    upsert(Region, items, "code", result)
    return result


def _regions_by_code():
    return {r.code: r for r in Region.objects.all()}


@atomic_load
def load_pcc_areas(path: Path = DATA_DIR / "pcc_areas.csv") -> LoadResult:
    regions = _regions_by_code()

    def parse(row):
        code = require(row, "region_code")
        if code not in regions:
            raise RowError(f"unknown region code {code!r}")
        return {"slug": require(row, "slug"), "name": require(row, "name"), "region": regions[code]}

    items = parse_file(path, ["slug", "name", "region_code"], parse, "slug")
    result = LoadResult("PCC areas")
    upsert(PccArea, items, "slug", result)
    return result


@atomic_load
def load_delivery_units(path: Path = DATA_DIR / "probation_delivery_units.csv") -> LoadResult:
    regions = _regions_by_code()

    def parse(row):
        raw = require(row, "code")
        if not raw.isdigit():
            raise RowError(f"code {raw!r} must be a whole number")
        code = require(row, "region_code")
        if code not in regions:
            raise RowError(f"unknown region code {code!r}")
        return {"code": int(raw), "name": require(row, "name"), "region": regions[code]}

    items = parse_file(path, ["code", "name", "region_code"], parse, "code")
    result = LoadResult("probation delivery units")
    upsert(ProbationDeliveryUnit, items, "code", result)
    return result


LOADERS = [load_regions, load_pcc_areas, load_delivery_units]
