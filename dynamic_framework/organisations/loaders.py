"""Load specialisms and commissioning bodies from organisations/data/ (after geography)."""

from pathlib import Path

from django.db.models.functions import Lower
from django.utils import timezone

from dynamic_framework.core.reference_data import (
    LoadResult,
    RowError,
    atomic_load,
    parse_file,
    read_rows,
    require,
    upsert,
)
from dynamic_framework.geography.models import PccArea, Region

from . import classification, services
from .models import Organisation, OrganisationAlias, Specialism

DATA_DIR = Path(__file__).resolve().parent / "data"


@atomic_load
def load_specialisms(path: Path = DATA_DIR / "specialisms.csv") -> LoadResult:
    def parse(row):
        raw = require(row, "position")
        if not raw.isdigit():
            raise RowError(f"position {raw!r} must be a whole number")
        return {
            "slug": require(row, "slug"),
            "name": require(row, "name"),
            "description": row.get("description", ""),
            "position": int(raw),
        }

    items = parse_file(path, ["slug", "name", "description", "position"], parse, "slug")
    result = LoadResult("specialisms")
    upsert(Specialism, items, "slug", result)
    return result


COMMISSIONING_BODY_COLUMNS = [
    "slug",
    "name",
    "commissioning_body_type",
    "region_code",
    "pcc_area_slug",
    "legal_form",
    "aliases",
    "website",
]


@atomic_load
def load_commissioning_bodies(path: Path = DATA_DIR / "commissioning_bodies.csv") -> LoadResult:
    """HMPPS probation regions and co-commissioners. Matched on slug; the whole file is checked before writing.

    A body's PCC areas served are its own PCC area if it has one, otherwise every PCC area in its region.
    """
    regions = {r.code: r for r in Region.objects.all()}
    pcc_areas = {a.slug: a for a in PccArea.objects.select_related("region")}
    types = set(Organisation.CommissioningBodyType.values)
    # Names and aliases already used by organisations this file does not describe.
    slugs_in_file = {row.get("slug", "") for _, row in read_rows(path, COMMISSIONING_BODY_COLUMNS)}
    taken = dict(Organisation.objects.exclude(slug__in=slugs_in_file).values_list(Lower("name"), "slug"))
    taken.update(
        OrganisationAlias.objects.exclude(organisation__slug__in=slugs_in_file).values_list(
            Lower("name"), "organisation__slug"
        )
    )
    names_seen: dict[str, str] = {}
    codes_seen: dict[str, str] = {}

    def parse(row):
        slug = require(row, "slug")
        name = require(row, "name")
        body_type = require(row, "commissioning_body_type")
        if body_type not in types:
            raise RowError(f"commissioning_body_type {body_type!r} must be one of {', '.join(sorted(types))}")
        region_code = row.get("region_code", "")
        if region_code and region_code not in regions:
            raise RowError(f"unknown region code {region_code!r}")
        area_slug = row.get("pcc_area_slug", "")
        if area_slug and area_slug not in pcc_areas:
            raise RowError(f"unknown PCC area {area_slug!r}")
        if area_slug and region_code and pcc_areas[area_slug].region.code != region_code:
            raise RowError(f"PCC area {area_slug!r} is not in region {region_code!r}")
        if not region_code and not area_slug:
            raise RowError("give a region_code, a pcc_area_slug or both")
        legal_form = require(row, "legal_form")
        if legal_form not in classification.LEGAL_FORMS:
            raise RowError(f"legal_form {legal_form!r} is not one of {', '.join(classification.LEGAL_FORMS)}")
        aliases = [a.strip() for a in row.get("aliases", "").split(";") if a.strip()]
        for label in [name, *aliases]:
            key = label.lower()
            if key in taken:
                raise RowError(f"the name {label!r} is already used by the organisation {taken[key]!r}")
            if key in names_seen and names_seen[key] != slug:
                raise RowError(f"the name {label!r} is used twice in this file")
            names_seen[key] = slug
        website = row.get("website", "")
        if website and not website.startswith("https://"):
            raise RowError(f"website {website!r} must start with https://")
        region = regions[region_code] if region_code else pcc_areas[area_slug].region
        code = row.get("hmpps_provider_code", "")
        if code and not services.HMPPS_PROVIDER_CODE_RE.match(code):
            raise RowError(f"hmpps_provider_code {code!r} must be capital letters, digits and underscores")
        if code and code in codes_seen and codes_seen[code] != slug:
            raise RowError(f"hmpps_provider_code {code!r} is used twice in this file")
        codes_seen[code] = slug
        return {
            "slug": slug,
            "name": name,
            "kind": Organisation.Kind.COMMISSIONING_BODY,
            "commissioning_body_type": body_type,
            "region": region,
            "pcc_area": pcc_areas[area_slug] if area_slug else None,
            "legal_form": legal_form,
            "website": website,
            "hmpps_provider_code": code,
            "_aliases": aliases,
        }

    items = parse_file(path, COMMISSIONING_BODY_COLUMNS, parse, "slug")
    result = LoadResult("commissioning bodies")
    fields = [{k: v for k, v in item.items() if not k.startswith("_")} for item in items]
    existing_slugs = set(Organisation.objects.filter(slug__in=slugs_in_file).values_list("slug", flat=True))
    by_slug = upsert(Organisation, fields, "slug", result)
    now = timezone.now()
    for item in items:
        org = by_slug[item["slug"]]
        if item["slug"] not in existing_slugs:
            Organisation.objects.filter(pk=org.pk).update(verified_at=now)
        wanted_areas = (
            {item["pcc_area"].pk}
            if item["pcc_area"]
            else {a.pk for a in pcc_areas.values() if a.region_id == org.region_id}
        )
        current_areas = set(org.pcc_areas_served.values_list("pk", flat=True))
        changed = []
        if wanted_areas != current_areas:
            org.pcc_areas_served.set(wanted_areas)
            changed.append("pcc_areas_served")
        current_aliases = set(org.aliases.values_list("name", flat=True))
        if set(item["_aliases"]) != current_aliases:
            org.aliases.exclude(name__in=item["_aliases"]).delete()
            for alias in sorted(set(item["_aliases"]) - current_aliases):
                OrganisationAlias.objects.create(organisation=org, name=alias)
            changed.append("aliases")
        if changed and item["slug"] in existing_slugs:
            already_counted = any(c.get("updated") == item["slug"] for c in result.changes)
            result.changes.append({"updated": item["slug"], "fields": changed})
            if not already_counted:
                result.updated += 1
                result.unchanged -= 1
    return result


LOADERS = [load_specialisms, load_commissioning_bodies]
