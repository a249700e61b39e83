"""Forms for the directory filters, the edit page and the sector override. Services do the real checking."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.money import MoneyError, format_pence, parse_pounds
from dynamic_framework.geography.models import PccArea, Region

from . import classification, selectors
from .models import Organisation, Specialism

NO_OVERRIDE = "none"


class DirectoryFilterForm(forms.Form):
    """The directory's filters (GET). Used by the page and the API, so both accept and refuse the same values."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("All or part of the name, or another name it is known by"),
        error_messages={"max_length": _("Name must be 100 characters or fewer")},
    )
    kind = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Any type")), *Organisation.Kind.choices],
        error_messages={"invalid_choice": _("Choose a type of organisation from the list")},
    )
    region = forms.ChoiceField(
        label=_("Probation region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a probation region from the list")},
    )
    pcc_area = forms.ChoiceField(
        label=_("Police and Crime Commissioner area"),
        required=False,
        error_messages={"invalid_choice": _("Choose a Police and Crime Commissioner area from the list")},
    )
    sector = forms.MultipleChoiceField(
        label=_("Sector"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(classification.SECTOR_LABELS.items()),
        error_messages={"invalid_choice": _("Choose sectors from the list")},
    )
    size_band = forms.MultipleChoiceField(
        label=_("Size"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            *((b.code, f"{b.label} ({b.description})") for b in classification.SIZE_BANDS),
            (classification.SizeBand.UNKNOWN, _("Income not known")),
        ],
        error_messages={"invalid_choice": _("Choose sizes from the list")},
    )
    specialism = forms.MultipleChoiceField(
        label=_("Specialism"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose specialisms from the list")},
    )

    def __init__(self, *args, regions=None, pcc_areas=None, specialisms=None, **kwargs):
        super().__init__(*args, **kwargs)
        regions = regions if regions is not None else Region.objects.order_by("name")
        pcc_areas = pcc_areas if pcc_areas is not None else PccArea.objects.order_by("name")
        specialisms = specialisms if specialisms is not None else selectors.specialisms()
        self.fields["region"].choices = [("", _("Any region")), *((r.code, r.name) for r in regions)]
        self.fields["pcc_area"].choices = [("", _("Any area")), *((a.slug, a.name) for a in pcc_areas)]
        self.fields["specialism"].choices = [(s.slug, s.name) for s in specialisms]

    def filters(self) -> selectors.DirectoryFilters:
        """The filters from the valid fields (an invalid field is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return selectors.DirectoryFilters(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            region=data.get("region") or "",
            pcc_area=data.get("pcc_area") or "",
            sectors=list(data.get("sector") or []),
            size_bands=list(data.get("size_band") or []),
            specialisms=list(data.get("specialism") or []),
        )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class OrganisationForm(forms.Form):
    """The edit page. Income is typed in pounds; other names and identifiers one a line."""

    # Service field names that this form shows under another name.
    SERVICE_FIELDS = {"latest_income_pence": "income"}

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the organisation's name"),
            "max_length": _("Name must be 200 characters or fewer"),
        },
    )
    aliases = forms.CharField(
        label=_("Other names"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Former names, trading names or abbreviations, one on each line"),
    )
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        widget=forms.Textarea,
        help_text=_("In a few sentences, in plain English"),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        required=False,
        choices=[("", _("Not known")), *classification.LEGAL_FORM_CHOICES],
        help_text=_("This sets the sector shown for the organisation"),
        error_messages={"invalid_choice": _("Choose a legal form from the list")},
    )
    identifiers = forms.CharField(
        label=_("Register numbers"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "One on each line, starting with the register: GB-CHC- (charity in England and Wales), GB-COH- "
            "(company), GB-MPR- (co-operative or community benefit society), GB-SC- (Scottish charity) or "
            "GB-NIC- (Northern Ireland charity). For example GB-CHC-1123456"
        ),
    )
    income = forms.CharField(
        label=_("Latest annual income, in pounds"),
        required=False,
        help_text=_("Total income from your latest accounts, like 250000. Leave empty if you do not know"),
    )
    income_year = forms.CharField(
        label=_("Financial year of that income"),
        required=False,
        help_text=_("Like 2023-24"),
    )
    specialisms = forms.MultipleChoiceField(
        label=_("Specialisms"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose specialisms from the list")},
    )
    pcc_areas_served = forms.MultipleChoiceField(
        label=_("Police and Crime Commissioner areas you work in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose areas from the list")},
    )
    website = forms.CharField(
        label=_("Website"),
        required=False,
        help_text=_("Like https://www.example.org.uk"),
        widget=forms.TextInput,
    )
    contact_email = forms.CharField(
        label=_("Contact email address"),
        required=False,
        help_text=_("Shown publicly. Use a shared address, not a person's own"),
        widget=forms.EmailInput,
    )
    contact_phone = forms.CharField(
        label=_("Contact phone number"),
        required=False,
        help_text=_("Shown publicly"),
        widget=forms.TextInput,
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea)

    def __init__(self, *args, specialisms=None, pcc_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        specialisms = specialisms if specialisms is not None else Specialism.objects.order_by("position", "name")
        pcc_areas = pcc_areas if pcc_areas is not None else PccArea.objects.order_by("name")
        self.fields["specialisms"].choices = [(s.slug, s.name) for s in specialisms]
        self.fields["pcc_areas_served"].choices = [(a.slug, a.name) for a in pcc_areas]

    @classmethod
    def initial_for(cls, org: Organisation) -> dict:
        return {
            "name": org.name,
            "aliases": "\n".join(a.name for a in org.aliases.all()),
            "description": org.description,
            "legal_form": org.legal_form,
            "identifiers": "\n".join(i.org_id for i in org.identifiers.all()),
            "income": format_pence(org.latest_income_pence).replace("£", "").replace(",", "")
            if org.latest_income_pence is not None
            else "",
            "income_year": org.income_year,
            "specialisms": [s.slug for s in org.specialisms.all()],
            "pcc_areas_served": [a.slug for a in org.pcc_areas_served.all()],
            "website": org.website,
            "contact_email": org.contact_email,
            "contact_phone": org.contact_phone,
            "address": org.address,
        }

    def clean_income(self):
        text = self.cleaned_data.get("income", "").strip()
        if not text:
            return None
        try:
            return parse_pounds(text)
        except MoneyError as exc:
            raise ValidationError(str(exc)) from exc

    def service_changes(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "aliases": _lines(data["aliases"]),
            "description": data["description"],
            "legal_form": data["legal_form"],
            "identifiers": _lines(data["identifiers"]),
            "latest_income_pence": data["income"],
            "income_year": data["income_year"].strip(),
            "specialisms": data["specialisms"],
            "pcc_areas_served": data["pcc_areas_served"],
            "website": data["website"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "address": data["address"],
        }


class SectorOverrideForm(forms.Form):
    sector_override = forms.ChoiceField(
        label=_("Sector"),
        error_messages={
            "required": _("Choose the organisation's sector"),
            "invalid_choice": _("Choose the organisation's sector"),
        },
        widget=forms.RadioSelect,
    )
    sector_override_reason = forms.CharField(
        label=_("Why its sector differs from its legal form"),
        required=False,
        widget=forms.Textarea,
        help_text=_("For example: a company limited by guarantee owned by a private company. This is shown publicly"),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        derived = classification.SECTOR_LABELS[organisation.derived_sector]
        self.fields["sector_override"].choices = [
            (NO_OVERRIDE, _("No override: use the sector its legal form gives (%(sector)s)") % {"sector": derived}),
            *classification.SECTORS.items(),
        ]

    def sector(self) -> str:
        value = self.cleaned_data["sector_override"]
        return "" if value == NO_OVERRIDE else value
