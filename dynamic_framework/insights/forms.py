"""The insights filters (GET). The page, the downloads, the API and the command all use these forms, so they
accept and refuse the same values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.contracts.models import LotType

from . import selectors


class InsightsFilterForm(forms.Form):
    round = forms.ChoiceField(
        label=_("Commissioning round"),
        required=False,
        error_messages={"invalid_choice": _("Choose a commissioning round from the list")},
    )
    region = forms.ChoiceField(
        label=_("Probation region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a probation region from the list")},
    )
    lot_type = forms.ChoiceField(
        label=_("Lot type"),
        required=False,
        choices=[("", _("Any lot type")), *LotType.choices],
        error_messages={"invalid_choice": _("Choose a lot type from the list")},
    )
    pcc_area = forms.ChoiceField(
        label=_("Police and Crime Commissioner (PCC) area"),
        required=False,
        help_text=_("Shows the area's own contracts and its region's regional contracts"),
        error_messages={"invalid_choice": _("Choose a PCC area from the list")},
    )

    def __init__(self, *args, rounds=None, regions=None, pcc_areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = list(rounds if rounds is not None else selectors.rounds())
        self.regions = list(regions if regions is not None else selectors.regions())
        self.pcc_areas = list(pcc_areas if pcc_areas is not None else selectors.pcc_areas())
        self.fields["round"].choices = [(r.slug, r.name) for r in self.rounds]
        self.fields["region"].choices = [("", _("Any region")), *((r.code, r.name) for r in self.regions)]
        self.fields["pcc_area"].choices = [
            ("", _("Any area")),
            *((a.slug, a.name if a.region.name in a.name else f"{a.name} ({a.region.name})") for a in self.pcc_areas),
        ]

    def clean(self):
        data = super().clean()
        region, area = data.get("region"), data.get("pcc_area")
        if region and area:
            found = next(a for a in self.pcc_areas if a.slug == area)
            if found.region.code != region:
                self.add_error(
                    "pcc_area",
                    _("%(area)s is not in %(region)s: choose an area in the region, or any region")
                    % {"area": found.name, "region": next(r.name for r in self.regions if r.code == region)},
                )
        return data

    def selection(self) -> dict:
        """Keyword arguments for analyse() from the fields that are valid (an invalid one is left out)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        slug = data.get("round") or ""
        code = data.get("region") or ""
        area = data.get("pcc_area") or ""
        return {
            "round": next((r for r in self.rounds if r.slug == slug), None),
            "region": next((r for r in self.regions if r.code == code), None),
            "lot_type": data.get("lot_type") or "",
            "pcc_area": next((a for a in self.pcc_areas if a.slug == area), None),
        }

    @property
    def active(self) -> bool:
        s = self.selection()
        return bool(s["region"] or s["lot_type"] or s["pcc_area"])


class ContractsFilterForm(InsightsFilterForm):
    """The filters, and which figure's contracts to list (`metric`: a key from the analysis)."""

    metric = forms.CharField(
        label=_("Figure"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Choose a figure from the insights page")},
    )
