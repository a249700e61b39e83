"""Forms for the contract register: the filters (shared by the page, the CSV download and the API), the pipeline's
choices, the "as it stood on a date" form and adding a document."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.forms import DateField, DateParamsMixin
from dynamic_framework.core.uploads import ALLOWED_LABELS, MAX_UPLOAD_BYTES
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.models import Organisation

from . import selectors
from .models import CommissioningRound, FundingMechanism
from .status import Status


def _choices(empty, items):
    return [("", empty), *items]


class RegisterFilterForm(DateParamsMixin, forms.Form):
    """The register's filters (GET). Every choice is read once, in a fixed number of queries."""

    q = forms.CharField(
        label=_("Reference, title or provider"),
        required=False,
        max_length=100,
        help_text=_("All or part of it"),
        error_messages={"max_length": _("The search must be 100 characters or fewer")},
    )
    region = forms.ChoiceField(
        label=_("Probation region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a probation region from the list")},
    )
    pcc_area = forms.ChoiceField(
        label=_("Police and Crime Commissioner area"),
        required=False,
        help_text=_("Contracts for this area, or serving it now or before"),
        error_messages={"invalid_choice": _("Choose a Police and Crime Commissioner area from the list")},
    )
    category = forms.ChoiceField(
        label=_("Service category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service category from the list")},
    )
    provider = forms.ChoiceField(
        label=_("Provider"),
        required=False,
        help_text=_("Leading the contract or in its supply chain"),
        error_messages={"invalid_choice": _("Choose a provider from the list")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=_choices(_("Any status"), Status.choices),
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    ends_after = DateField(
        label=_("Ends on or after"),
        what=_("the date it ends on or after"),
        required=False,
        help_text=_("For example, 1 4 2025"),
    )
    ends_before = DateField(
        label=_("Ends on or before"),
        what=_("the date it ends on or before"),
        required=False,
        help_text=_("For example, 31 3 2026"),
    )
    round = forms.ChoiceField(
        label=_("Commissioning round"),
        required=False,
        help_text=_("The set of awards it came from"),
        error_messages={"invalid_choice": _("Choose a commissioning round from the list")},
    )
    funding = forms.ChoiceField(
        label=_("Funding mechanism"),
        required=False,
        help_text=_("A contract pays for a service bought; a grant agreement funds an organisation's service"),
        choices=_choices(_("Contracts and grant agreements"), FundingMechanism.choices),
        error_messages={"invalid_choice": _("Choose contracts or grant agreements from the list")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = list(Region.objects.order_by("name"))
        self.fields["region"].choices = _choices(_("Any region"), [(r.code, r.name) for r in regions])
        self.fields["pcc_area"].choices = _choices(
            _("Any area"), [(a.slug, a.name) for a in PccArea.objects.order_by("name")]
        )
        self.fields["category"].choices = _choices(
            _("Any category"), [(c.slug, c.name) for c in ServiceCategory.objects.order_by("number")]
        )
        providers = (
            Organisation.objects.filter(pk__in=selectors.Contract.objects.values("lead_provider"))
            | Organisation.objects.filter(pk__in=selectors.SupplyChainMember.objects.values("organisation"))
        ).order_by("name")
        self.fields["provider"].choices = _choices(_("Any provider"), [(o.slug, o.name) for o in providers])
        self.fields["round"].choices = _choices(
            _("Any round"), [(r.slug, r.name) for r in CommissioningRound.objects.order_by("position", "name")]
        )

    def clean(self):
        data = super().clean()
        after, before = data.get("ends_after"), data.get("ends_before")
        if after and before and before < after:
            self.add_error(
                "ends_before", _("The date it ends on or before must be the same as or after the other date")
            )
        return data

    def filters(self) -> selectors.RegisterFilters:
        """The filters from the valid fields (an invalid field is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return selectors.RegisterFilters(
            q=(data.get("q") or "").strip(),
            region=data.get("region") or "",
            pcc_area=data.get("pcc_area") or "",
            category=data.get("category") or "",
            provider=data.get("provider") or "",
            status=data.get("status") or "",
            ends_after=data.get("ends_after"),
            ends_before=data.get("ends_before") if "ends_before" not in self.errors else None,
            round=data.get("round") or "",
            funding=data.get("funding") or "",
        )


def filters_active(filters: selectors.RegisterFilters) -> bool:
    return any(getattr(filters, name) for name in selectors.RegisterFilters.__dataclass_fields__)


class PipelineForm(forms.Form):
    """The pipeline's choices (GET): how far ahead, which regions (a commissioner's own by default), which category."""

    months = forms.TypedChoiceField(
        label=_("Contracts ending in the next"),
        required=False,
        coerce=int,
        empty_value=12,
        widget=forms.RadioSelect,
        choices=[(m, _("%(n)s months") % {"n": m}) for m in selectors.PIPELINE_MONTHS],
        error_messages={"invalid_choice": _("Choose 6, 12 or 18 months")},
    )
    region = forms.MultipleChoiceField(
        label=_("Probation regions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose probation regions from the list")},
    )
    category = forms.ChoiceField(
        label=_("Service category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service category from the list")},
    )

    def __init__(self, *args, regions, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]
        self.fields["category"].choices = _choices(_("Any category"), [(c.slug, c.name) for c in categories])


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Like: Signed contract, or Service specification"),
        error_messages={
            "required": _("Enter the document's title"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        help_text=_("%(types)s, smaller than %(size)sMB")
        % {"types": ALLOWED_LABELS, "size": MAX_UPLOAD_BYTES // (1024 * 1024)},
    )
    public = forms.TypedChoiceField(
        label=_("Publish it on the public register?"),
        widget=forms.RadioSelect,
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Yes, anyone can read it")),
            ("no", _("No, only the commissioner and the contract's organisations")),
        ],
        error_messages={
            "required": _("Select whether to publish the document on the public register"),
            "invalid_choice": _("Select whether to publish the document on the public register"),
        },
    )
