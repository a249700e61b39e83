"""Forms for the register pages: the filters (shared by the page, the CSV download and the API), the reasons for
a change to the register, and the yearly confirmation of details. Services do the real checking: reasons are
optional here so that the service's message is the one shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.organisations.forms import DirectoryFilterForm

from . import selectors


class RegisterFilterForm(DirectoryFilterForm):
    """The register's filters (GET): the organisation directory's, without the type of organisation, and with
    the service category. Used by the page, the CSV download and the API, so all three accept the same values."""

    kind = None
    category = forms.ChoiceField(
        label=_("Service category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service category from the list")},
    )

    field_order = ["q", "category", "region", "pcc_area", "sector", "size_band", "specialism"]

    def __init__(self, *args, categories=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = categories if categories is not None else []
        self.fields["category"].choices = [("", _("Any category")), *((c.slug, c.name) for c in categories)]
        self.fields["pcc_area"].help_text = _("Qualified to work in this area")
        self.fields["region"].help_text = _("Qualified to work in at least one area of this region")

    def filters(self) -> selectors.RegisterFilters:
        """The filters from the valid fields (an invalid field is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return selectors.RegisterFilters(
            category=data.get("category") or "",
            region=data.get("region") or "",
            pcc_area=data.get("pcc_area") or "",
            size_band=list(data.get("size_band") or []),
            sector=list(data.get("sector") or []),
            specialism=list(data.get("specialism") or []),
            q=(data.get("q") or "").strip(),
        )


def filters_active(filters: selectors.RegisterFilters) -> bool:
    return any(
        [
            filters.category,
            filters.region,
            filters.pcc_area,
            filters.size_band,
            filters.sector,
            filters.specialism,
            filters.q,
        ]
    )


class ReasonForm(forms.Form):
    """Why a qualification is suspended, removed or withdrawn (field `reason`), or reinstated (field `note`)."""

    def __init__(self, *args, field: str = "reason", label="", hint="", **kwargs):
        super().__init__(*args, **kwargs)
        self.field_name = field
        self.fields[field] = forms.CharField(label=label, help_text=hint, required=False, widget=forms.Textarea)

    @property
    def text(self) -> str:
        return self.cleaned_data.get(self.field_name, "")


STILL_ACCURATE = "still_accurate"
NEEDS_UPDATE = "update"


class ConfirmDetailsForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Are these details still accurate?"),
        widget=forms.RadioSelect,
        choices=[(STILL_ACCURATE, _("Yes, they are still accurate")), (NEEDS_UPDATE, _("No, I need to update them"))],
        error_messages={
            "required": _("Select whether your details are still accurate"),
            "invalid_choice": _("Select whether your details are still accurate"),
        },
    )
