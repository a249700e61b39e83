"""Every write to organisations. Each function checks everything first, then writes in one transaction with
its audit event, so a failed check stores nothing. Checks raise ValidationError with messages per field
(field names as in the model; `aliases` and `identifiers` for the lists), which views and the API show.
"""

import functools
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dynamic_framework.core import audit
from dynamic_framework.geography.models import PccArea, Region

from . import classification, identifiers
from .models import Organisation, OrganisationAlias, OrganisationIdentifier, Specialism, validate_income_year

MAX_INCOME_PENCE = 10**15  # £10 trillion: anything larger is a typing mistake
TEXT_LIMITS = {
    "name": 200,
    "description": 5000,
    "website": 300,
    "contact_email": 254,
    "address": 1000,
    "classification_source": 2000,
}
SCALAR_FIELDS = [
    "name",
    "legal_form",
    "latest_income_pence",
    "income_year",
    "declared_size_band",
    "classification_source",
    "hmpps_provider_code",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "address",
]
STRUCTURE_FIELDS = ["kind", "commissioning_body_type", "region", "pcc_area"]
LIST_FIELDS = ["specialisms", "pcc_areas_served", "aliases", "identifiers", "members"]
UPDATABLE = [*SCALAR_FIELDS, *STRUCTURE_FIELDS, *LIST_FIELDS]
PHONE_RE = re.compile(r"^\+?[0-9 ()\-]+$")
HMPPS_PROVIDER_CODE_RE = re.compile(r"^[A-Z0-9_]{1,40}$")


def snapshot(org: Organisation) -> dict:
    """Everything public about an organisation, as plain data for the audit log."""
    return {
        "name": org.name,
        "slug": org.slug,
        "kind": org.kind,
        "commissioning_body_type": org.commissioning_body_type,
        "region": org.region.code if org.region_id else None,
        "pcc_area": org.pcc_area.slug if org.pcc_area_id else None,
        "legal_form": org.legal_form,
        "latest_income_pence": org.latest_income_pence,
        "income_year": org.income_year,
        "declared_size_band": org.declared_size_band,
        "classification_source": org.classification_source,
        "hmpps_provider_code": org.hmpps_provider_code,
        "sector_override": org.sector_override,
        "sector_override_reason": org.sector_override_reason,
        "description": org.description,
        "website": org.website,
        "contact_email": org.contact_email,
        "contact_phone": org.contact_phone,
        "address": org.address,
        "verified_at": org.verified_at.isoformat() if org.verified_at else None,
        "specialisms": sorted(org.specialisms.values_list("slug", flat=True)) if org.pk else [],
        "pcc_areas_served": sorted(org.pcc_areas_served.values_list("slug", flat=True)) if org.pk else [],
        "aliases": sorted(org.aliases.values_list("name", flat=True)) if org.pk else [],
        "identifiers": sorted(i.org_id for i in org.identifiers.all()) if org.pk else [],
        "members": sorted(org.members.values_list("slug", flat=True)) if org.pk else [],
    }


def _integrity_as_validation(fn):
    """A unique constraint hit by a simultaneous change becomes a message, not a server error."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IntegrityError as exc:
            raise ValidationError(
                _("Someone else changed this organisation or one with the same name at the same time. Try again.")
            ) from exc

    return wrapper


class _Errors(dict):
    def add(self, field: str, message: str):
        self.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def _name_owner(name: str, exclude_pk) -> str | None:
    """The name of the other organisation already using `name` as its name or an other name."""
    org = Organisation.objects.filter(name__iexact=name).exclude(pk=exclude_pk).values_list("name", flat=True).first()
    if org:
        return org
    alias = (
        OrganisationAlias.objects.filter(name__iexact=name)
        .exclude(organisation_id=exclude_pk)
        .values_list("organisation__name", flat=True)
        .first()
    )
    return alias


def _resolve(model, values, key: str, errors: _Errors, field: str, message: str) -> list:
    values = list(values or [])
    wanted = [v for v in values if not isinstance(v, model)]
    found = {getattr(o, key): o for o in model.objects.filter(**{f"{key}__in": [str(v) for v in wanted]})}
    out = []
    for value in values:
        if isinstance(value, model):
            out.append(value)
        elif str(value) in found:
            out.append(found[str(value)])
        else:
            errors.add(field, message % {"value": value})
    return list({o.pk: o for o in out}.values())


def _clean_identifiers(values: Iterable, org_pk, errors: _Errors) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for value in values or []:
        try:
            if isinstance(value, tuple | list):
                scheme, number = value
                pair = (scheme, identifiers.normalise(scheme, number))
            else:
                pair = identifiers.parse_org_id(str(value))
        except ValidationError as exc:
            errors.add("identifiers", " ".join(exc.messages))
            continue
        if pair in out:
            errors.add("identifiers", _("%(id)s is listed twice") % {"id": identifiers.org_id(*pair)})
            continue
        owner = (
            OrganisationIdentifier.objects.filter(scheme=pair[0], identifier=pair[1])
            .exclude(organisation_id=org_pk)
            .values_list("organisation__name", flat=True)
            .first()
        )
        if owner:
            errors.add(
                "identifiers",
                _("%(id)s is already recorded for %(org)s") % {"id": identifiers.org_id(*pair), "org": owner},
            )
            continue
        out.append(pair)
    return out


def _clean_aliases(values: Iterable, name: str, org_pk, errors: _Errors) -> list[str]:
    out: list[str] = []
    for value in values or []:
        alias = " ".join(str(value).split())
        if not alias:
            continue
        if len(alias) > 200:
            errors.add("aliases", _("Each other name must be 200 characters or fewer"))
        elif alias.lower() == (name or "").lower():
            errors.add("aliases", _("%(alias)s is already the organisation's name") % {"alias": alias})
        elif alias.lower() in {a.lower() for a in out}:
            errors.add("aliases", _("%(alias)s is listed twice") % {"alias": alias})
        elif owner := _name_owner(alias, org_pk):
            errors.add("aliases", _("%(alias)s is already a name of %(org)s") % {"alias": alias, "org": owner})
        else:
            out.append(alias)
    return out


def _clean(org: Organisation, data: dict) -> dict:
    """Check the given fields of `org` (as they would be after `data` is applied). Returns cleaned data."""
    errors = _Errors()
    cleaned = dict(data)
    for field, limit in TEXT_LIMITS.items():
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()
            if len(cleaned[field]) > limit:
                errors.add(field, _("This must be %(limit)s characters or fewer") % {"limit": limit})
    for field in (
        "contact_phone",
        "income_year",
        "legal_form",
        "commissioning_body_type",
        "declared_size_band",
        "hmpps_provider_code",
    ):
        if field in cleaned:
            cleaned[field] = (cleaned[field] or "").strip()

    if "name" in cleaned:
        cleaned["name"] = " ".join(cleaned["name"].split())
        if not cleaned["name"]:
            errors.add("name", _("Enter the organisation's name"))
        elif "name" not in errors and (owner := _name_owner(cleaned["name"], org.pk)):
            if owner.lower() == cleaned["name"].lower():
                errors.add("name", _("There is already an organisation called %(name)s") % {"name": owner})
            else:
                errors.add(
                    "name", _("%(name)s is already another name of %(org)s") % {"name": cleaned["name"], "org": owner}
                )
    name = cleaned.get("name", org.name)

    if cleaned.get("legal_form") and cleaned["legal_form"] not in classification.LEGAL_FORMS:
        errors.add("legal_form", _("Choose a legal form from the list"))

    if cleaned.get("declared_size_band") and cleaned["declared_size_band"] not in classification.SIZE_BAND_BY_CODE:
        errors.add("declared_size_band", _("Choose a size band from the list"))
    if cleaned.get("hmpps_provider_code"):
        code = cleaned["hmpps_provider_code"]
        if not HMPPS_PROVIDER_CODE_RE.match(code):
            errors.add("hmpps_provider_code", _("An HMPPS provider code is capital letters, digits and underscores"))
        elif owner := (
            Organisation.objects.filter(hmpps_provider_code=code)
            .exclude(pk=org.pk)
            .values_list("name", flat=True)
            .first()
        ):
            errors.add(
                "hmpps_provider_code",
                _("%(code)s is already the HMPPS provider code of %(org)s") % {"code": code, "org": owner},
            )

    if "latest_income_pence" in cleaned and cleaned["latest_income_pence"] is not None:
        income = cleaned["latest_income_pence"]
        if isinstance(income, bool) or not isinstance(income, int):
            errors.add("latest_income_pence", _("Enter the income as a whole number of pence"))
        elif income < 0:
            errors.add("latest_income_pence", _("Income must be £0 or more"))
        elif income >= MAX_INCOME_PENCE:
            errors.add("latest_income_pence", _("Income must be less than £10 trillion"))
    if cleaned.get("income_year"):
        try:
            validate_income_year(cleaned["income_year"])
        except ValidationError:
            errors.add("income_year", _("Enter the financial year like 2023-24"))
        else:
            if int(cleaned["income_year"][:4]) > timezone.now().year:
                errors.add("income_year", _("The financial year must not be in the future"))
    if "latest_income_pence" in cleaned or "income_year" in cleaned:
        income = cleaned.get("latest_income_pence", org.latest_income_pence)
        year = cleaned.get("income_year", org.income_year)
        if income is not None and not year and "income_year" not in errors:
            errors.add("income_year", _("Enter the financial year the income is for, like 2023-24"))
        if income is None and year and "latest_income_pence" not in errors:
            errors.add(
                "latest_income_pence", _("Enter the income for %(year)s, or leave the year empty") % {"year": year}
            )

    if cleaned.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except ValidationError:
            errors.add("website", _("Enter a website address, like https://www.example.org.uk"))
    if cleaned.get("contact_email"):
        try:
            validate_email(cleaned["contact_email"])
        except ValidationError:
            errors.add("contact_email", _("Enter an email address in the correct format, like name@example.org.uk"))
    if cleaned.get("contact_phone"):
        phone = cleaned["contact_phone"]
        digits = sum(c.isdigit() for c in phone)
        if not PHONE_RE.match(phone) or not 9 <= digits <= 15 or len(phone) > 30:
            errors.add("contact_phone", _("Enter a telephone number, like 01632 960 001 or +44 808 157 0192"))

    if any(f in cleaned for f in STRUCTURE_FIELDS):
        kind = cleaned.get("kind", org.kind)
        body_type = cleaned.get("commissioning_body_type", org.commissioning_body_type)
        region = cleaned.get("region", org.region if org.region_id else None)
        pcc_area = cleaned.get("pcc_area", org.pcc_area if org.pcc_area_id else None)
        if kind not in Organisation.Kind.values:
            errors.add("kind", _("Choose provider or commissioning body"))
        elif kind == Organisation.Kind.PROVIDER:
            if body_type:
                errors.add("commissioning_body_type", _("A provider has no commissioning body type"))
            if region is not None or pcc_area is not None:
                errors.add("region", _("Only commissioning bodies have a region or PCC area of their own"))
        elif body_type not in Organisation.CommissioningBodyType.values:
            errors.add("commissioning_body_type", _("Choose the type of commissioning body"))
        if region is not None and not isinstance(region, Region):
            errors.add("region", _("Choose a region from the list"))
        if pcc_area is not None and not isinstance(pcc_area, PccArea):
            errors.add("pcc_area", _("Choose a PCC area from the list"))
        elif pcc_area is not None and isinstance(region, Region) and pcc_area.region_id != region.pk:
            errors.add("pcc_area", _("%(area)s is not in %(region)s") % {"area": pcc_area, "region": region})

    if "specialisms" in cleaned:
        cleaned["specialisms"] = _resolve(
            Specialism, cleaned["specialisms"], "slug", errors, "specialisms", _("%(value)s is not a specialism")
        )
    if "pcc_areas_served" in cleaned:
        cleaned["pcc_areas_served"] = _resolve(
            PccArea, cleaned["pcc_areas_served"], "slug", errors, "pcc_areas_served", _("%(value)s is not a PCC area")
        )
    if "members" in cleaned:
        cleaned["members"] = _resolve(
            Organisation, cleaned["members"], "slug", errors, "members", _("%(value)s is not an organisation")
        )
        if org.pk and any(m.pk == org.pk for m in cleaned["members"]):
            errors.add("members", _("An organisation cannot be a member of itself"))
    if "aliases" in cleaned:
        cleaned["aliases"] = _clean_aliases(cleaned["aliases"], name, org.pk, errors)
    if "identifiers" in cleaned:
        cleaned["identifiers"] = _clean_identifiers(cleaned["identifiers"], org.pk, errors)
    errors.raise_if_any()
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100].strip("-") or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _write_lists(org: Organisation, cleaned: dict) -> None:
    if "specialisms" in cleaned:
        org.specialisms.set(cleaned["specialisms"])
    if "pcc_areas_served" in cleaned:
        org.pcc_areas_served.set(cleaned["pcc_areas_served"])
    if "members" in cleaned:
        org.members.set(cleaned["members"])
    if "aliases" in cleaned:
        wanted = cleaned["aliases"]
        org.aliases.exclude(name__in=wanted).delete()
        current = set(org.aliases.values_list("name", flat=True))
        OrganisationAlias.objects.bulk_create(
            [OrganisationAlias(organisation=org, name=a) for a in wanted if a not in current]
        )
    if "identifiers" in cleaned:
        wanted = set(cleaned["identifiers"])
        current = {(i.scheme, i.identifier): i for i in org.identifiers.all()}
        for pair, obj in current.items():
            if pair not in wanted:
                obj.delete()
        OrganisationIdentifier.objects.bulk_create(
            [
                OrganisationIdentifier(organisation=org, scheme=s, identifier=i)
                for s, i in wanted
                if (s, i) not in current
            ]
        )


@_integrity_as_validation
def create_organisation(
    *,
    actor,
    name: str,
    kind: str = Organisation.Kind.PROVIDER,
    commissioning_body_type: str = "",
    region: Region | None = None,
    pcc_area: PccArea | None = None,
    legal_form: str = "",
    latest_income_pence: int | None = None,
    income_year: str = "",
    declared_size_band: str = "",
    classification_source: str = "",
    hmpps_provider_code: str = "",
    description: str = "",
    website: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    address: str = "",
    specialisms: Iterable = (),
    pcc_areas_served: Iterable = (),
    aliases: Iterable[str] = (),
    identifiers: Iterable = (),
    members: Iterable = (),
    verified: bool = False,
) -> Organisation:
    """A new organisation. Lists take instances or slugs; identifiers take org-id strings or (scheme, number)."""
    data = {
        "name": name,
        "kind": kind,
        "commissioning_body_type": commissioning_body_type,
        "region": region,
        "pcc_area": pcc_area,
        "legal_form": legal_form,
        "latest_income_pence": latest_income_pence,
        "income_year": income_year,
        "declared_size_band": declared_size_band,
        "classification_source": classification_source,
        "hmpps_provider_code": hmpps_provider_code,
        "description": description,
        "website": website,
        "contact_email": contact_email,
        "contact_phone": contact_phone,
        "address": address,
        "specialisms": specialisms,
        "pcc_areas_served": pcc_areas_served,
        "aliases": aliases,
        "identifiers": identifiers,
        "members": members,
    }
    with transaction.atomic():
        cleaned = _clean(Organisation(), data)
        org = Organisation(
            slug=_unique_slug(cleaned["name"]),
            verified_at=timezone.now() if verified else None,
            **{f: cleaned[f] for f in [*SCALAR_FIELDS, *STRUCTURE_FIELDS]},
        )
        org.save()
        _write_lists(org, cleaned)
        audit.record(actor=actor, action="organisations.organisation_created", obj=org, after=snapshot(org))
    return org


def validate_changes(*, organisation: Organisation, **changes) -> dict:
    """Check `changes` as update_organisation() would, without saving anything. Returns the cleaned values;
    raises ValidationError with the same field names. For journeys that collect details before saving them."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"validate_changes() cannot check {', '.join(sorted(unknown))}")
    return _clean(organisation, changes)


@_integrity_as_validation
def update_organisation(*, actor, organisation: Organisation, **changes) -> Organisation:
    """Change any of UPDATABLE. Lists replace what is there. Records the changed fields before and after.

    Nothing changed: nothing is written and no event is recorded.
    """
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"update_organisation() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        org = (
            Organisation.objects.select_for_update(of=("self",))
            .select_related("region", "pcc_area")
            .get(pk=organisation.pk)
        )
        cleaned = _clean(org, changes)
        before = snapshot(org)
        for field in [*SCALAR_FIELDS, *STRUCTURE_FIELDS]:
            if field in cleaned:
                setattr(org, field, cleaned[field])
        org.save()
        _write_lists(org, cleaned)
        after = snapshot(org)
        changed = sorted(k for k in after if after[k] != before[k])
        if not changed:
            transaction.set_rollback(True)  # not even updated_at moves
            return organisation
        audit.record(
            actor=actor,
            action="organisations.organisation_updated",
            obj=org,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return org


@_integrity_as_validation
def add_alias(*, actor, organisation: Organisation, name: str) -> OrganisationAlias:
    with transaction.atomic():
        errors = _Errors()
        aliases = _clean_aliases([name], organisation.name, organisation.pk, errors)
        if not aliases and not errors:
            errors.add("aliases", _("Enter the other name"))
        if aliases and organisation.aliases.filter(name__iexact=aliases[0]).exists():
            errors.add("aliases", _("%(alias)s is already one of its names") % {"alias": aliases[0]})
        errors.raise_if_any()
        alias = OrganisationAlias.objects.create(organisation=organisation, name=aliases[0])
        audit.record(actor=actor, action="organisations.alias_added", obj=organisation, after={"alias": alias.name})
    return alias


@_integrity_as_validation
def remove_alias(*, actor, organisation: Organisation, name: str) -> None:
    with transaction.atomic():
        alias = organisation.aliases.filter(name__iexact=" ".join((name or "").split())).first()
        if alias is None:
            raise ValidationError({"aliases": [_("%(alias)s is not one of its other names") % {"alias": name}]})
        alias.delete()
        audit.record(actor=actor, action="organisations.alias_removed", obj=organisation, before={"alias": alias.name})


@_integrity_as_validation
def add_identifier(*, actor, organisation: Organisation, scheme: str, identifier: str) -> OrganisationIdentifier:
    with transaction.atomic():
        errors = _Errors()
        pairs = _clean_identifiers([(scheme, identifier)], organisation.pk, errors)
        if pairs and organisation.identifiers.filter(scheme=pairs[0][0], identifier=pairs[0][1]).exists():
            errors.add("identifiers", _("%(id)s is already recorded") % {"id": identifiers.org_id(*pairs[0])})
        errors.raise_if_any()
        obj = OrganisationIdentifier.objects.create(
            organisation=organisation, scheme=pairs[0][0], identifier=pairs[0][1]
        )
        audit.record(
            actor=actor, action="organisations.identifier_added", obj=organisation, after={"identifier": obj.org_id}
        )
    return obj


@_integrity_as_validation
def remove_identifier(*, actor, organisation: Organisation, scheme: str, identifier: str) -> None:
    with transaction.atomic():
        try:
            number = identifiers.normalise(scheme, identifier)
        except ValidationError as exc:
            raise ValidationError({"identifiers": exc.messages}) from exc
        obj = organisation.identifiers.filter(scheme=scheme, identifier=number).first()
        if obj is None:
            raise ValidationError(
                {"identifiers": [_("%(id)s is not recorded for it") % {"id": identifiers.org_id(scheme, number)}]}
            )
        obj.delete()
        audit.record(
            actor=actor, action="organisations.identifier_removed", obj=organisation, before={"identifier": obj.org_id}
        )


@_integrity_as_validation
def set_sector_override(*, actor, organisation: Organisation, sector: str, reason: str = "") -> Organisation:
    """Record the organisation's real sector when its legal form gives the wrong one. sector="" removes it."""
    sector = (sector or "").strip()
    reason = (reason or "").strip()
    errors = _Errors()
    if sector and sector not in classification.SECTORS:
        errors.add("sector_override", _("Choose a sector from the list"))
    if sector and not reason:
        errors.add("sector_override_reason", _("Enter why this organisation's sector differs from its legal form"))
    if len(reason) > 2000:
        errors.add("sector_override_reason", _("This must be %(limit)s characters or fewer") % {"limit": 2000})
    errors.raise_if_any()
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {"sector_override": org.sector_override, "sector_override_reason": org.sector_override_reason}
        org.sector_override = sector
        org.sector_override_reason = reason if sector else ""
        after = {"sector_override": org.sector_override, "sector_override_reason": org.sector_override_reason}
        if before == after:
            return org
        org.save(update_fields=["sector_override", "sector_override_reason", "updated_at"])
        audit.record(
            actor=actor,
            action="organisations.sector_override_set" if sector else "organisations.sector_override_removed",
            obj=org,
            before={**before, "sector": classification.sector_for(org.legal_form, before["sector_override"])},
            after={**after, "sector": org.sector},
        )
    return org


@_integrity_as_validation
def mark_verified(*, actor, organisation: Organisation) -> Organisation:
    """Staff have checked the record against the registers. Checking again moves the date on."""
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = org.verified_at
        org.verified_at = timezone.now()
        org.save(update_fields=["verified_at", "updated_at"])
        audit.record(
            actor=actor,
            action="organisations.organisation_verified",
            obj=org,
            before={"verified_at": before},
            after={"verified_at": org.verified_at},
        )
    return org
