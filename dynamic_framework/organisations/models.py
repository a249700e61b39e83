"""Provider organisations and commissioning bodies, their other names, register identifiers and specialisms.

Sector and size band are derived (see classification.py), not stored. Organisations never point at users:
accounts point at organisations (role grants), and the audit log records who changed what.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from dynamic_framework.geography.models import PccArea, Region

from . import classification, identifiers

INCOME_YEAR_RE = re.compile(r"^(\d{4})-(\d{2})$")


def validate_income_year(value: str) -> None:
    """A financial year written like 2023-24: two consecutive years."""
    match = INCOME_YEAR_RE.match(value or "")
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)) or int(match.group(1)) < 1900:
        raise ValidationError(_("Enter the financial year like 2023-24"), code="invalid")


class Specialism(models.Model):
    """Something about who runs an organisation that commissioners may want to see (reference data)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Provider")
        COMMISSIONING_BODY = "commissioning_body", _("Commissioning body")

    class CommissioningBodyType(models.TextChoices):
        HMPPS_REGION = "hmpps_region", _("HMPPS probation region")
        PCC = "police_and_crime_commissioner", _("Police and Crime Commissioner")
        COMBINED_AUTHORITY = "combined_authority", _("Combined authority")
        MAYORS_OFFICE = "mayors_office", _("Mayor's office")
        OTHER = "other", _("Other commissioning body")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROVIDER)
    commissioning_body_type = models.CharField(max_length=40, choices=CommissioningBodyType.choices, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioning_bodies",
        help_text="The probation region a commissioning body covers.",
    )
    pcc_area = models.ForeignKey(
        PccArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissioning_bodies",
        help_text="The PCC area a Police and Crime Commissioner (or mayor's office) covers.",
    )
    legal_form = models.CharField(_("Legal form"), max_length=50, choices=classification.LEGAL_FORM_CHOICES, blank=True)
    latest_income_pence = models.BigIntegerField(null=True, blank=True, help_text="Null when not known.")
    income_year = models.CharField(
        max_length=7, blank=True, validators=[validate_income_year], help_text="The financial year, like 2023-24."
    )
    declared_size_band = models.CharField(
        max_length=10,
        choices=classification.DECLARED_SIZE_BAND_CHOICES,
        blank=True,
        help_text="Size band known from public facts, exact income not recorded. Used only when the income is empty.",
    )
    classification_source = models.TextField(
        blank=True, help_text="Short source notes for the legal form, sector, size band and specialisms recorded."
    )
    hmpps_provider_code = models.CharField(
        max_length=40, blank=True, help_text="The provider's code in the HMPPS Refer and Monitor service, if any."
    )
    sector_override = models.CharField(max_length=30, choices=list(classification.SECTORS.items()), blank=True)
    sector_override_reason = models.TextField(blank=True)
    specialisms = models.ManyToManyField(Specialism, blank=True, related_name="organisations")
    pcc_areas_served = models.ManyToManyField(PccArea, blank=True, related_name="organisations_serving")
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="partnerships",
        help_text="For a partnership of organisations (e.g. St Giles Wise Group Partnership): its members.",
    )
    description = models.TextField(_("What the organisation does"), blank=True)
    website = models.URLField(_("Website"), max_length=300, blank=True)
    contact_email = models.EmailField(_("Contact email address"), blank=True)
    contact_phone = models.CharField(_("Contact phone number"), max_length=30, blank=True)
    address = models.TextField(_("Address"), blank=True)
    verified_at = models.DateTimeField(null=True, blank=True, help_text="Null until staff have checked the record.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organisation_name_ci_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["provider", "commissioning_body"]), name="organisation_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="provider", commissioning_body_type="")
                    | Q(
                        kind="commissioning_body",
                        commissioning_body_type__in=[
                            "hmpps_region",
                            "police_and_crime_commissioner",
                            "combined_authority",
                            "mayors_office",
                            "other",
                        ],
                    )
                ),
                name="organisation_commissioning_body_type_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="commissioning_body") | Q(region__isnull=True, pcc_area__isnull=True),
                name="organisation_region_only_for_commissioning_bodies",
            ),
            models.CheckConstraint(
                condition=Q(legal_form="") | Q(legal_form__in=list(classification.LEGAL_FORMS)),
                name="organisation_legal_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(latest_income_pence__isnull=True) | Q(latest_income_pence__gte=0),
                name="organisation_income_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(latest_income_pence__isnull=True, income_year="")
                    | (Q(latest_income_pence__isnull=False) & Q(income_year__regex=r"^[0-9]{4}-[0-9]{2}$"))
                ),
                name="organisation_income_year_with_income",
            ),
            models.CheckConstraint(
                condition=Q(declared_size_band="")
                | Q(declared_size_band__in=[code for code, _label in classification.DECLARED_SIZE_BAND_CHOICES]),
                name="organisation_declared_size_band_valid",
            ),
            models.UniqueConstraint(
                fields=["hmpps_provider_code"],
                condition=~Q(hmpps_provider_code=""),
                name="organisation_hmpps_provider_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(sector_override="") | Q(sector_override__in=list(classification.SECTORS)),
                name="organisation_sector_override_valid",
            ),
            models.CheckConstraint(
                condition=Q(sector_override="", sector_override_reason="")
                | (~Q(sector_override="") & ~Q(sector_override_reason="")),
                name="organisation_sector_override_has_reason",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_provider(self) -> bool:
        return self.kind == self.Kind.PROVIDER

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def derived_sector(self) -> str:
        """The sector the legal form implies, ignoring any override."""
        return classification.sector_for(self.legal_form)

    @property
    def sector(self) -> str:
        return classification.sector_for(self.legal_form, self.sector_override)

    @property
    def sector_label(self) -> str:
        return str(classification.SECTOR_LABELS[self.sector])

    @property
    def size_band(self) -> str:
        return classification.size_band_for(self.latest_income_pence, self.declared_size_band)

    @property
    def size_band_is_declared(self) -> bool:
        """True when the size band comes from public facts rather than a recorded income."""
        return self.latest_income_pence is None and self.size_band != classification.SizeBand.UNKNOWN

    @property
    def size_band_label(self) -> str:
        return str(classification.SIZE_BAND_LABELS[self.size_band])


class OrganisationAlias(models.Model):
    """Another name an organisation is known by (a former name, a trading name, an abbreviation)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "organisation aliases"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="organisation_alias_unique_per_org"),
            # One name points at one organisation, whatever its capitals.
            models.UniqueConstraint(Lower("name"), name="organisation_alias_name_ci_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_alias_not_blank"),
        ]

    def __str__(self):
        return self.name


class OrganisationIdentifier(models.Model):
    """A register number for an organisation, in org-id form (scheme GB-CHC and identifier 1123456)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=identifiers.SCHEME_CHOICES)
    identifier = models.CharField(max_length=20)

    class Meta:
        ordering = ["scheme", "identifier"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "identifier"], name="organisation_identifier_unique"),
            models.CheckConstraint(
                condition=Q(scheme__in=identifiers.SCHEME_CODES), name="organisation_identifier_scheme_valid"
            ),
            models.CheckConstraint(condition=~Q(identifier=""), name="organisation_identifier_not_blank"),
        ]

    def __str__(self):
        return self.org_id

    @property
    def org_id(self) -> str:
        return identifiers.org_id(self.scheme, self.identifier)

    @property
    def scheme_label(self) -> str:
        return str(identifiers.SCHEMES.get(self.scheme, self.scheme))

    @property
    def register_url(self) -> str:
        return identifiers.register_url(self.scheme, self.identifier)
