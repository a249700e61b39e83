"""Forms for recording a variation (views/variations.py): one per kind, each turning what was typed into the
arguments of its service in variations.py (pounds into pence, the GOV.UK date boxes into dates). The services do the
real checking; their refusals are shown on the fields (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.forms import DateField, DateParamsMixin
from dynamic_framework.core.forms import add_service_errors as show_service_errors
from dynamic_framework.core.money import MoneyError, parse_pounds
from dynamic_framework.core.time import format_uk_date
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Organisation

from . import variations
from .models import Variation

Kind = Variation.Kind

KIND_HINTS = {
    Kind.EXTEND: _("Take up one of the contract's options to extend it: the end date moves on by the option's months."),
    Kind.CHANGE_VALUE: _(
        "Change how much the contract is worth in one financial year (April to March), or how many people it "
        "expects to help."
    ),
    Kind.CHANGE_END_DATE: _(
        "Bring the end date forward, or move it later up to the last allowed date (the original end date plus "
        "all the options to extend)."
    ),
    Kind.ADD_AREA: _("The contract starts to serve another Police and Crime Commissioner (PCC) area of its region."),
    Kind.REMOVE_AREA: _(
        "The contract stops serving one of its areas, for example \u201cCumbria until June 2023\u201d."
    ),
    Kind.NOVATE: _(
        "Another provider takes the whole contract over, for example after a merger. This is called novation."
    ),
    Kind.TERMINATE: _("End the contract early. The reason is kept with the contract."),
}

KIND_TITLES = {
    Kind.EXTEND: _("Extend the contract"),
    Kind.CHANGE_VALUE: _("Change the value"),
    Kind.CHANGE_END_DATE: _("Change the end date"),
    Kind.ADD_AREA: _("Add an area"),
    Kind.REMOVE_AREA: _("Remove an area"),
    Kind.NOVATE: _("Move the contract to another provider (novation)"),
    Kind.TERMINATE: _("Terminate the contract"),
}


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's refusal on the form, with the service's field names mapped by the form's SERVICE_FIELDS."""
    show_service_errors(form, exc, form.SERVICE_FIELDS)


class ChooseKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is changing?"),
        choices=[(kind.value, KIND_TITLES[kind]) for kind in Kind],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what is changing"), "invalid_choice": _("Select what is changing")},
    )


def _reason_field(label=None):
    return forms.CharField(
        label=label or _("Why is it changing?"),
        help_text=_("Contract parties see the reason; the public sees what changed and when."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=variations.MAX_REASON,
        error_messages={"required": _("Say why the contract is changing")},
    )


class VariationForm(DateParamsMixin, forms.Form):
    """What every kind's form has: the reason. Subclasses set `SERVICE_FIELDS` (service argument -> form field)."""

    SERVICE_FIELDS: dict = {}
    DATE_FIELDS: tuple = ()

    def __init__(self, *args, contract, **kwargs):
        self.contract = contract
        super().__init__(*args, **kwargs)
        self.fields["reason"] = _reason_field()

    def service_kwargs(self) -> dict:
        raise NotImplementedError


class ExtendForm(VariationForm):
    SERVICE_FIELDS = {"exercised_on": "exercised_on", "effective_on": "exercised_on"}
    DATE_FIELDS = ("exercised_on",)

    option = forms.ChoiceField(
        label=_("Which option are you taking up?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the option to take up"),
            "invalid_choice": _("Select one of the options not yet taken up"),
        },
    )
    exercised_on = DateField(
        label=_("When was it taken up?"),
        what=_("the day it was taken up"),
        required=False,
        help_text=_("Leave this empty for today. For example, 15 6 2024"),
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        self.options = {str(o.pk): o for o in contract.extension_options.filter(exercised_at__isnull=True)}
        self.fields["option"].choices = [
            (
                key,
                gettext("Option %(position)s: %(months)s months, to take up by %(day)s")
                % {"position": o.position, "months": o.months, "day": format_uk_date(o.exercise_by)},
            )
            for key, o in self.options.items()
        ]

    def service_kwargs(self) -> dict:
        return {
            "option": self.options[self.cleaned_data["option"]],
            "exercised_on": self.cleaned_data["exercised_on"],
            "reason": self.cleaned_data["reason"],
        }


class PoundsField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"classes": "govuk-input--width-10", "spellcheck": False}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in (None, ""):
            return None
        try:
            return parse_pounds(text)
        except MoneyError as exc:
            raise ValidationError(str(exc)) from exc


class ChangeValueForm(VariationForm):
    SERVICE_FIELDS = {"value_pence": "value", "effective_on": "effective_on"}
    DATE_FIELDS = ("effective_on",)

    financial_year = forms.TypedChoiceField(
        label=_("Which financial year?"),
        coerce=int,
        help_text=_("Financial years run from 1 April to 31 March."),
        error_messages={
            "required": _("Select the financial year"),
            "invalid_choice": _("Select one of the years the contract runs in"),
        },
    )
    value = PoundsField(
        label=_("New value for the year, in pounds"),
        error_messages={"required": _("Enter the new value in pounds, like 250,000")},
    )
    expected_people = forms.IntegerField(
        label=_("Expected number of people in the year (optional)"),
        required=False,
        min_value=0,
        help_text=_("Leave this empty to keep the number as it is."),
        widget=forms.TextInput(attrs={"classes": "govuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Enter the number of people as a whole number"),
            "min_value": _("Enter the number of people as a whole number, 0 or more"),
        },
    )
    effective_on = DateField(label=_("From when does the change apply?"), what=_("the date the change takes effect"))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        current = {y.financial_year: y for y in contract.years.all()}
        choices = [("", gettext("Select a year"))]
        for year in variations.contract_financial_years(contract):
            label = f"{year}-{(year + 1) % 100:02d}"
            if year in current and current[year].value_pence is not None:
                from dynamic_framework.core.money import format_pence

                label += " " + gettext("(now %(value)s)") % {"value": format_pence(current[year].value_pence)}
            choices.append((year, label))
        self.fields["financial_year"].choices = choices

    def service_kwargs(self) -> dict:
        kwargs = {
            "financial_year": self.cleaned_data["financial_year"],
            "value_pence": self.cleaned_data["value"],
            "effective_on": self.cleaned_data["effective_on"],
            "reason": self.cleaned_data["reason"],
        }
        if self.cleaned_data.get("expected_people") is not None:
            kwargs["expected_people"] = self.cleaned_data["expected_people"]
        return kwargs


class ChangeEndDateForm(VariationForm):
    SERVICE_FIELDS = {"end_date": "end_date", "effective_on": "effective_on"}
    DATE_FIELDS = ("end_date", "effective_on")

    end_date = DateField(label=_("New end date"), what=_("the new end date"))
    effective_on = DateField(label=_("From when does the change apply?"), what=_("the date the change takes effect"))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        last = variations.last_allowed_end(contract)
        hint = gettext("It ends on %(day)s now.") % {"day": format_uk_date(contract.end_date)}
        if last:
            hint += " " + gettext("The last allowed date is %(day)s.") % {"day": format_uk_date(last)}
        self.fields["end_date"].help_text = hint

    def service_kwargs(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("end_date", "effective_on", "reason")}


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AddAreaForm(VariationForm):
    SERVICE_FIELDS = {"pcc_area": "pcc_area", "effective_on": "effective_on"}
    DATE_FIELDS = ("effective_on",)

    pcc_area = AreaChoiceField(
        label=_("Which PCC area will it serve?"),
        queryset=PccArea.objects.none(),
        empty_label=_("Select an area"),
        error_messages={
            "required": _("Select an area"),
            "invalid_choice": _("Select an area of the contract's region"),
        },
    )
    effective_on = DateField(label=_("The first day the area is served"), what=_("the first day the area is served"))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        served = contract.areas.filter(removed_on__isnull=True).values("pcc_area_id")
        self.fields["pcc_area"].queryset = PccArea.objects.filter(region_id=contract.region_id).exclude(pk__in=served)
        self.fields["pcc_area"].help_text = gettext("Areas of %(region)s the contract does not serve now.") % {
            "region": contract.region.name
        }

    def service_kwargs(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("pcc_area", "effective_on", "reason")}


class RemoveAreaForm(VariationForm):
    SERVICE_FIELDS = {"pcc_area": "pcc_area", "last_day": "last_day"}
    DATE_FIELDS = ("last_day",)

    pcc_area = AreaChoiceField(
        label=_("Which area will it stop serving?"),
        queryset=PccArea.objects.none(),
        empty_label=_("Select an area"),
        error_messages={"required": _("Select an area"), "invalid_choice": _("Select an area the contract serves")},
    )
    last_day = DateField(
        label=_("The last day the area is served"),
        what=_("the last day the area is served"),
        help_text=_("For example, 30 6 2023"),
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        served = contract.areas.filter(removed_on__isnull=True).values("pcc_area_id")
        queryset = PccArea.objects.filter(pk__in=served)
        if not contract.areas.exists():
            queryset = variations.implicit_areas(contract)
        self.fields["pcc_area"].queryset = queryset

    def service_kwargs(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("pcc_area", "last_day", "reason")}


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class NovateForm(VariationForm):
    SERVICE_FIELDS = {"new_lead_provider": "new_lead_provider", "effective_on": "effective_on"}
    DATE_FIELDS = ("effective_on",)

    new_lead_provider = ProviderChoiceField(
        label=_("Which provider takes the contract over?"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select a provider"),
        error_messages={"required": _("Select a provider"), "invalid_choice": _("Select a provider from the list")},
    )
    effective_on = DateField(
        label=_("The day the new provider takes over"), what=_("the day the new provider takes over")
    )

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        self.fields["new_lead_provider"].queryset = (
            Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
            .exclude(pk=contract.lead_provider_id)
            .order_by("name")
        )

    def service_kwargs(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("new_lead_provider", "effective_on", "reason")}


class TerminateForm(VariationForm):
    SERVICE_FIELDS = {"terminated_on": "terminated_on"}
    DATE_FIELDS = ("terminated_on",)

    terminated_on = DateField(label=_("The last day of the contract"), what=_("the last day of the contract"))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, contract=contract, **kwargs)
        self.fields["reason"] = _reason_field(_("Why is the contract ending early?"))
        self.fields["reason"].help_text = gettext(
            "Unlike other variations' reasons, this one is published with the contract on the register: write it "
            "for the public."
        )
        self.fields["reason"].error_messages["required"] = gettext("Say why the contract is ending early")

    def service_kwargs(self) -> dict:
        return {key: self.cleaned_data[key] for key in ("terminated_on", "reason")}


FORMS = {
    Kind.EXTEND: ExtendForm,
    Kind.CHANGE_VALUE: ChangeValueForm,
    Kind.CHANGE_END_DATE: ChangeEndDateForm,
    Kind.ADD_AREA: AddAreaForm,
    Kind.REMOVE_AREA: RemoveAreaForm,
    Kind.NOVATE: NovateForm,
    Kind.TERMINATE: TerminateForm,
}

SERVICES = {
    Kind.EXTEND: variations.extend,
    Kind.CHANGE_VALUE: variations.change_value,
    Kind.CHANGE_END_DATE: variations.change_end_date,
    Kind.ADD_AREA: variations.add_area,
    Kind.REMOVE_AREA: variations.remove_area,
    Kind.NOVATE: variations.novate,
    Kind.TERMINATE: variations.terminate,
}


class AsAtForm(DateParamsMixin, forms.Form):
    date = DateField(label=_("Date"), what=_("the date"), help_text=_("For example, 1 7 2023"))
