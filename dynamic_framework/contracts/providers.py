"""Load contracts/data/organisations.csv: every organisation named in the award list or the HMPPS register, once.

The file is checked whole before anything is written (a bad row refuses it with its line and reason). Then
every change goes through the organisations services, so each writes its own audit event; a second run finds
everything in place and writes nothing. The file wins for the fields it lists (name, legal form, sector, size
band, specialisms, members, HMPPS code, source notes); other names and identifiers are only ever added, so a
name someone recorded by hand is never removed.
"""

import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from dynamic_framework.core.reference_data import ReferenceDataError, read_rows
from dynamic_framework.organisations import classification, identifiers, services
from dynamic_framework.organisations.matching import name_key, normalise_name
from dynamic_framework.organisations.models import Organisation, OrganisationAlias, Specialism

from .reporting import CREATED, UNCHANGED, UPDATED, ImportReport, Problems

DATA_DIR = Path(__file__).resolve().parent / "data"
ORGANISATIONS_FILE = DATA_DIR / "organisations.csv"
COLUMNS = [
    "slug",
    "name",
    "hmpps_provider_code",
    "aliases",
    "legal_form",
    "sector",
    "sector_reason",
    "declared_size_band",
    "specialisms",
    "members",
    "identifiers",
    "source",
]
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACTOR = "contract data import"


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(";") if part.strip()]


def _parse(path: Path) -> list[dict]:
    rows = read_rows(path, COLUMNS)
    problems = Problems(path)
    if not rows:
        raise ReferenceDataError(path, 1, "the file has no rows")
    specialisms = set(Specialism.objects.values_list("slug", flat=True))
    slugs_in_file = {row["slug"] for _, row in rows}
    # Names already used by organisations this file does not describe (commissioning bodies, demo data, ...).
    taken = {
        name_key(n): s for n, s in Organisation.objects.exclude(slug__in=slugs_in_file).values_list("name", "slug")
    }
    taken.update(
        (name_key(n), s)
        for n, s in OrganisationAlias.objects.exclude(organisation__slug__in=slugs_in_file).values_list(
            "name", "organisation__slug"
        )
    )
    seen_slugs: dict[str, int] = {}
    seen_names: dict[str, tuple[str, int]] = {}
    seen_codes: dict[str, int] = {}
    items = []
    for line, row in rows:
        slug, name = row["slug"], normalise_name(row["name"])
        if not SLUG_RE.match(slug) or slug != slugify(name)[:100].strip("-"):
            problems.add(line, f"slug {slug!r} must be the name's slug ({slugify(name)!r})")
        elif slug in seen_slugs:
            problems.add(line, f"duplicate slug {slug!r} (first on line {seen_slugs[slug]})")
        seen_slugs.setdefault(slug, line)
        if not name:
            problems.add(line, "name is empty")
        aliases = []
        for alias in _split(row["aliases"]):
            alias = normalise_name(alias)
            if name_key(alias) != name_key(name) and name_key(alias) not in {name_key(a) for a in aliases}:
                aliases.append(alias)
        for label in [name, *aliases]:
            key = name_key(label)
            if key in taken:
                problems.add(line, f"the name {label!r} is already used by the organisation {taken[key]!r}")
            if key in seen_names and seen_names[key][0] != slug:
                problems.add(line, f"the name {label!r} is also given on line {seen_names[key][1]}")
            seen_names.setdefault(key, (slug, line))
        code = row["hmpps_provider_code"]
        if code and not services.HMPPS_PROVIDER_CODE_RE.match(code):
            problems.add(line, f"hmpps_provider_code {code!r} must be capital letters, digits and underscores")
        elif code and code in seen_codes:
            problems.add(line, f"hmpps_provider_code {code!r} is also given on line {seen_codes[code]}")
        if code:
            seen_codes.setdefault(code, line)
        legal_form = row["legal_form"]
        if legal_form and legal_form not in classification.LEGAL_FORMS:
            problems.add(line, f"legal_form {legal_form!r} is not one of {', '.join(classification.LEGAL_FORMS)}")
        sector, reason = row["sector"], row["sector_reason"]
        override = ""
        if sector and sector not in classification.SECTORS:
            problems.add(line, f"sector {sector!r} is not one of {', '.join(classification.SECTORS)}")
        elif sector and sector != classification.sector_for(legal_form):
            override = sector
            if not reason:
                problems.add(line, "sector_reason is empty: say why the sector differs from the legal form's")
        band = row["declared_size_band"]
        if band and band not in classification.SIZE_BAND_BY_CODE:
            problems.add(
                line, f"declared_size_band {band!r} is not one of {', '.join(classification.SIZE_BAND_BY_CODE)}"
            )
        specs = _split(row["specialisms"])
        for spec in specs:
            if spec not in specialisms:
                problems.add(line, f"unknown specialism {spec!r} (load the reference data first)")
        members = _split(row["members"])
        for member in members:
            if member not in slugs_in_file or member == slug:
                problems.add(line, f"member {member!r} is not another organisation's slug in this file")
        ids = []
        for value in _split(row["identifiers"]):
            try:
                ids.append(identifiers.org_id(*identifiers.parse_org_id(value)))
            except ValidationError as exc:
                problems.add(line, f"identifier {value!r}: {' '.join(exc.messages)}")
        if not row["source"]:
            problems.add(line, "source is empty: every classification needs a short source note")
        elif len(row["source"]) > services.TEXT_LIMITS["classification_source"]:
            problems.add(line, "source is longer than 2000 characters")
        items.append(
            {
                "line": line,
                "slug": slug,
                "name": name,
                "aliases": aliases,
                "hmpps_provider_code": code,
                "legal_form": legal_form,
                "sector_override": override,
                "sector_override_reason": reason if override else "",
                "declared_size_band": band,
                "specialisms": sorted(specs),
                "members": sorted(members),
                "identifiers": ids,
                "classification_source": row["source"],
            }
        )
    problems.raise_if_any()
    return items


SCALARS = ["name", "hmpps_provider_code", "legal_form", "declared_size_band", "classification_source"]


def load_organisations(*, actor=ACTOR, path: Path = ORGANISATIONS_FILE) -> ImportReport:
    """Create or update every organisation in the file (one audit event per change, none when nothing changes)."""
    report = ImportReport("organisations")
    with transaction.atomic():
        items = _parse(path)
        existing = {
            o.slug: o
            for o in Organisation.objects.filter(slug__in=[i["slug"] for i in items]).prefetch_related(
                "aliases", "identifiers", "specialisms", "members"
            )
        }
        orgs = {}
        for item in items:
            org = existing.get(item["slug"])
            if org is None:
                org = _create(actor, item, path)
                report.count("organisations", CREATED, item["slug"])
                orgs[item["slug"]] = org
                continue
            changed = _update(actor, org, item)
            orgs[item["slug"]] = org
            report.count("organisations", UPDATED if changed else UNCHANGED, item["slug"], changed)
        # Members last: they refer to other rows of the file.
        for item in items:
            org = orgs[item["slug"]]
            current = sorted(org.members.values_list("slug", flat=True))
            if current != item["members"]:
                services.update_organisation(actor=actor, organisation=org, members=item["members"])
                if item["slug"] in existing:
                    report.changes.append({"updated": f"organisations {item['slug']}", "fields": ["members"]})
    return report


def _create(actor, item: dict, path: Path) -> Organisation:
    try:
        org = services.create_organisation(
            actor=actor,
            name=item["name"],
            legal_form=item["legal_form"],
            declared_size_band=item["declared_size_band"],
            classification_source=item["classification_source"],
            hmpps_provider_code=item["hmpps_provider_code"],
            specialisms=item["specialisms"],
            aliases=item["aliases"],
            identifiers=item["identifiers"],
        )
    except ValidationError as exc:
        raise ReferenceDataError(path, item["line"], "; ".join(exc.messages)) from exc
    if org.slug != item["slug"]:  # the file's slug is checked to be the name's slug, and no one else has it
        raise ReferenceDataError(path, item["line"], f"slug {item['slug']!r} was taken meanwhile")
    if item["sector_override"]:
        services.set_sector_override(
            actor=actor, organisation=org, sector=item["sector_override"], reason=item["sector_override_reason"]
        )
    return org


def _update(actor, org: Organisation, item: dict) -> list[str]:
    changed = []
    changes = {f: item[f] for f in SCALARS if getattr(org, f) != item[f]}
    if sorted(s.slug for s in org.specialisms.all()) != item["specialisms"]:
        changes["specialisms"] = item["specialisms"]
    if changes:
        services.update_organisation(actor=actor, organisation=org, **changes)
        changed += sorted(changes)
    current = {name_key(a.name) for a in org.aliases.all()}
    for alias in item["aliases"]:
        if name_key(alias) not in current:
            services.add_alias(actor=actor, organisation=org, name=alias)
            changed.append("aliases")
    current_ids = {i.org_id for i in org.identifiers.all()}
    for value in item["identifiers"]:
        if value not in current_ids:
            scheme, number = identifiers.parse_org_id(value)
            services.add_identifier(actor=actor, organisation=org, scheme=scheme, identifier=number)
            changed.append("identifiers")
    if (org.sector_override, org.sector_override_reason) != (item["sector_override"], item["sector_override_reason"]):
        services.set_sector_override(
            actor=actor, organisation=org, sector=item["sector_override"], reason=item["sector_override_reason"]
        )
        changed.append("sector_override")
    return sorted(set(changed))
