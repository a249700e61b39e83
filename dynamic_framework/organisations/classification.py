"""How an organisation's sector and size band are worked out. The rules are data, kept here only.

Both are derived, never stored: Python code uses `sector_for()` and `size_band_for()` (through the model's
properties), and queries use `sector_q()`, `size_band_q()` and the `*_annotation()` expressions, so the
directory can filter and show them without a stored copy that could drift.
"""

from dataclasses import dataclass

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class LegalForm:
    """Legal forms, as codes. The labels and the sector each implies are in LEGAL_FORMS below."""

    REGISTERED_CHARITY = "registered_charity"
    CIO = "charitable_incorporated_organisation"
    COMPANY_LIMITED_BY_GUARANTEE = "company_limited_by_guarantee"
    COMMUNITY_INTEREST_COMPANY = "community_interest_company"
    COOPERATIVE_SOCIETY = "cooperative_or_community_benefit_society"
    PRIVATE_COMPANY = "private_company"
    PUBLIC_BODY = "public_body"
    PUBLIC_SERVICE_MUTUAL = "public_service_mutual"
    HOUSING_ASSOCIATION = "housing_association"
    PARTNERSHIP_OR_OTHER = "partnership_or_other"


class Sector:
    VOLUNTARY = "voluntary_and_community"
    PRIVATE = "private"
    PUBLIC = "public"
    UNKNOWN = "unknown"


SECTORS = {
    Sector.VOLUNTARY: _("Voluntary and community"),
    Sector.PRIVATE: _("Private"),
    Sector.PUBLIC: _("Public"),
}
SECTOR_LABELS = {**SECTORS, Sector.UNKNOWN: _("Not known")}


@dataclass(frozen=True)
class LegalFormRule:
    label: str
    sector: str
    why: str


# The sector rule. A legal form implies a sector; an organisation whose real position differs (a company
# limited by guarantee that is a private firm's subsidiary, say) gets a sector override with a recorded reason.
LEGAL_FORMS: dict[str, LegalFormRule] = {
    LegalForm.REGISTERED_CHARITY: LegalFormRule(
        _("Registered charity"), Sector.VOLUNTARY, "charities are not-for-profit"
    ),
    LegalForm.CIO: LegalFormRule(
        _("Charitable incorporated organisation (CIO)"), Sector.VOLUNTARY, "a CIO is a charity"
    ),
    LegalForm.COMPANY_LIMITED_BY_GUARANTEE: LegalFormRule(
        _("Company limited by guarantee"),
        Sector.VOLUNTARY,
        "most are not-for-profit (many are charities); override for the ones that are not",
    ),
    LegalForm.COMMUNITY_INTEREST_COMPANY: LegalFormRule(
        _("Community interest company (CIC)"), Sector.VOLUNTARY, "an asset-locked social enterprise"
    ),
    LegalForm.COOPERATIVE_SOCIETY: LegalFormRule(
        _("Co-operative or community benefit society"), Sector.VOLUNTARY, "owned by members or run for the community"
    ),
    LegalForm.PRIVATE_COMPANY: LegalFormRule(
        _("Private company (limited by shares)"), Sector.PRIVATE, "distributes profit to shareholders"
    ),
    LegalForm.PUBLIC_BODY: LegalFormRule(
        _("Public body"), Sector.PUBLIC, "central or local government, police, health and similar bodies"
    ),
    LegalForm.PUBLIC_SERVICE_MUTUAL: LegalFormRule(
        _("Public service mutual"),
        Sector.VOLUNTARY,
        "spun out of the public sector into employee or community ownership; counted as social enterprise",
    ),
    LegalForm.HOUSING_ASSOCIATION: LegalFormRule(
        _("Housing association"), Sector.VOLUNTARY, "not-for-profit registered providers of social housing"
    ),
    LegalForm.PARTNERSHIP_OR_OTHER: LegalFormRule(
        _("Partnership or other"),
        Sector.PRIVATE,
        "partnerships and LLPs are businesses; override with a reason for anything else",
    ),
}
LEGAL_FORM_CHOICES = [(code, rule.label) for code, rule in LEGAL_FORMS.items()]


def legal_forms_in(sector: str) -> list[str]:
    return [code for code, rule in LEGAL_FORMS.items() if rule.sector == sector]


def sector_for(legal_form: str, sector_override: str = "") -> str:
    """The override if there is one, else the sector the legal form implies, else 'unknown'."""
    if sector_override:
        return sector_override
    rule = LEGAL_FORMS.get(legal_form or "")
    return rule.sector if rule else Sector.UNKNOWN


def sector_q(sector: str, prefix: str = "") -> Q:
    """Organisations whose derived sector is `sector` (for filters)."""
    p = prefix
    if sector == Sector.UNKNOWN:
        return Q(**{f"{p}sector_override": ""}) & ~Q(**{f"{p}legal_form__in": list(LEGAL_FORMS)})
    return Q(**{f"{p}sector_override": sector}) | Q(
        **{f"{p}sector_override": "", f"{p}legal_form__in": legal_forms_in(sector)}
    )


def sector_annotation():
    """`sector` for a queryset: .annotate(sector_code=sector_annotation())."""
    whens = [When(~Q(sector_override=""), then=F("sector_override"))]
    whens += [When(legal_form__in=legal_forms_in(s), then=Value(s)) for s in SECTORS]
    return Case(*whens, default=Value(Sector.UNKNOWN), output_field=CharField())


# Size bands, by latest annual income in pence. Lower bound included, upper bound excluded. When the income is
# not recorded but public facts put an organisation in a band (a national charity whose accounts show tens of
# millions, a listed group's subsidiary), `declared_size_band` holds that band; income always wins over it.
class SizeBand:
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    MAJOR = "major"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    description: str
    min_pence: int
    max_pence: int | None  # exclusive; None = no upper limit


POUND = 100
SIZE_BANDS: list[Band] = [
    Band(SizeBand.MICRO, _("Micro"), _("income under £10,000"), 0, 10_000 * POUND),
    Band(SizeBand.SMALL, _("Small"), _("income £10,000 to under £100,000"), 10_000 * POUND, 100_000 * POUND),
    Band(SizeBand.MEDIUM, _("Medium"), _("income £100,000 to under £1 million"), 100_000 * POUND, 1_000_000 * POUND),
    Band(
        SizeBand.LARGE, _("Large"), _("income £1 million to under £10 million"), 1_000_000 * POUND, 10_000_000 * POUND
    ),
    Band(SizeBand.MAJOR, _("Major"), _("income £10 million or more"), 10_000_000 * POUND, None),
]
SIZE_BAND_BY_CODE = {band.code: band for band in SIZE_BANDS}
SIZE_BAND_LABELS = {**{b.code: b.label for b in SIZE_BANDS}, SizeBand.UNKNOWN: _("Not known")}
SIZE_BAND_CODES = [*SIZE_BAND_BY_CODE, SizeBand.UNKNOWN]


DECLARED_SIZE_BAND_CHOICES = [(band.code, band.label) for band in SIZE_BANDS]


def size_band_for(income_pence: int | None, declared_band: str = "") -> str:
    """Income first; else the size band declared from public facts (exact income not recorded); else unknown."""
    if income_pence is None:
        return declared_band if declared_band in SIZE_BAND_BY_CODE else SizeBand.UNKNOWN
    for band in SIZE_BANDS:
        if income_pence >= band.min_pence and (band.max_pence is None or income_pence < band.max_pence):
            return band.code
    return SizeBand.UNKNOWN  # negative income: refused by the database, never shown


def size_band_q(code: str, prefix: str = "") -> Q:
    """Organisations in size band `code`: by income when it is recorded, else by the declared band."""
    field = f"{prefix}latest_income_pence"
    declared = f"{prefix}declared_size_band"
    if code == SizeBand.UNKNOWN:
        return Q(**{f"{field}__isnull": True}) & ~Q(**{f"{declared}__in": list(SIZE_BAND_BY_CODE)})
    band = SIZE_BAND_BY_CODE[code]
    q = Q(**{f"{field}__gte": band.min_pence})
    if band.max_pence is not None:
        q &= Q(**{f"{field}__lt": band.max_pence})
    return q | Q(**{f"{field}__isnull": True, declared: code})


def size_band_annotation():
    """`size band` for a queryset: .annotate(size_band_code=size_band_annotation())."""
    whens = [When(size_band_q(band.code), then=Value(band.code)) for band in SIZE_BANDS]
    return Case(*whens, default=Value(SizeBand.UNKNOWN), output_field=CharField())
