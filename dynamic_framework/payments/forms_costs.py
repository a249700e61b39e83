"""Forms for the full-cost-recovery check: one small form per financial year (its figures), and the form to save a
check (its name, organisation, service category, region and the sharing opt-in).

Money is typed in pounds (like 60,000 or 1,250.50) and kept in pence; people as whole numbers. A year left wholly
blank is ignored. People actually expected may be left blank: it is then the contracted people.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.forms import add_service_errors as show_service_errors
from dynamic_framework.core.money import MoneyError, parse_pounds, pounds_text
from dynamic_framework.geography.models import Region

from . import costs

#: How many years the form shows at first (more can be added, up to costs.MAX_YEARS).
START_ROWS = 3

MONEY_LABELS = {
    "value": _("What the call-off pays this year (its value)"),
    "staff": _("Staff costs"),
    "premises": _("Premises costs"),
    "overheads": _("Management and overheads"),
    "volunteers": _("Volunteers' support (training, expenses, supervision)"),
    "other": _("Other direct costs (optional)"),
}
PENCE_FIELD = {
    "value": "value_pence",
    "staff": "staff_pence",
    "premises": "premises_pence",
    "overheads": "overheads_pence",
    "volunteers": "volunteers_pence",
    "other": "other_pence",
}
FORM_FIELD = {**{v: k for k, v in PENCE_FIELD.items()}, "contracted_people": "contracted_people"}
FORM_FIELD.update({"expected_people": "expected_people", "financial_year": "financial_year"})


def _people(text: str, label: str) -> int:
    cleaned = (text or "").strip().replace(",", "")
    if not cleaned.isdigit():
        raise ValidationError(_("Enter %(label)s as a whole number, like 60") % {"label": label})
    return int(cleaned)


class YearForm(forms.Form):
    """One financial year's figures."""

    financial_year = forms.CharField(
        label=_("Financial year it starts in"),
        required=False,
        max_length=7,
        help_text=_("For example 2026 for April 2026 to March 2027."),
    )
    value = forms.CharField(label=MONEY_LABELS["value"], required=False, max_length=20)
    contracted_people = forms.CharField(
        label=_("People the call-off pays for this year (the contracted volume)"), required=False, max_length=12
    )
    expected_people = forms.CharField(
        label=_("People you actually expect to support this year"),
        required=False,
        max_length=12,
        help_text=_("Often more than the contracted volume in the first year. Leave blank if it is the same."),
    )
    staff = forms.CharField(label=MONEY_LABELS["staff"], required=False, max_length=20)
    premises = forms.CharField(label=MONEY_LABELS["premises"], required=False, max_length=20)
    overheads = forms.CharField(label=MONEY_LABELS["overheads"], required=False, max_length=20)
    volunteers = forms.CharField(label=MONEY_LABELS["volunteers"], required=False, max_length=20)
    other = forms.CharField(label=MONEY_LABELS["other"], required=False, max_length=20)

    def _raw(self) -> dict:
        return {name: self.data.get(self.add_prefix(name), "") for name in self.fields}

    def is_blank(self) -> bool:
        return not any((self.data.get(self.add_prefix(name)) or "").strip() for name in self.fields)

    def clean_financial_year(self):
        text = (self.cleaned_data.get("financial_year") or "").strip()
        if not text:
            return None
        first = text.split("-")[0].strip() if "-" in text else text
        if not first.isdigit() or len(first) != 4:
            raise ValidationError(_("Enter the year it starts in, like 2026 for 2026-27"))
        return int(first)

    def _money(self, name, required):
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            if required:
                raise ValidationError(_("Enter %(label)s in pounds") % {"label": str(MONEY_LABELS[name]).lower()})
            return 0
        try:
            return parse_pounds(text)
        except MoneyError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_value(self):
        return self._money("value", True)

    def clean_staff(self):
        return self._money("staff", False)

    def clean_premises(self):
        return self._money("premises", False)

    def clean_overheads(self):
        return self._money("overheads", False)

    def clean_volunteers(self):
        return self._money("volunteers", False)

    def clean_other(self):
        return self._money("other", False)

    def clean_contracted_people(self):
        text = self.cleaned_data.get("contracted_people") or ""
        if not text.strip():
            raise ValidationError(_("Enter the people the call-off pays for this year"))
        return _people(text, _("the contracted people"))

    def clean_expected_people(self):
        text = self.cleaned_data.get("expected_people") or ""
        if not text.strip():
            return None
        return _people(text, _("the people you expect to support"))

    def clean(self):
        data = super().clean()
        if data.get("financial_year") is None and "financial_year" not in self.errors:
            self.add_error("financial_year", _("Enter the year it starts in, like 2026 for 2026-27"))
        if data.get("expected_people") is None and data.get("contracted_people") is not None:
            data["expected_people"] = data["contracted_people"]
        return data

    def row(self) -> dict:
        data = self.cleaned_data
        return {pence: data[name] for name, pence in PENCE_FIELD.items()} | {
            "financial_year": data["financial_year"],
            "contracted_people": data["contracted_people"],
            "expected_people": data["expected_people"],
        }


def initial_from_lot(lot) -> list[dict]:
    """The lot's published values and volumes, one year each, as the year forms' initial data."""
    return [
        {
            "financial_year": str(year.financial_year),
            "value": pounds_text(year.max_value_pence),
            "contracted_people": "" if year.expected_people is None else str(year.expected_people),
        }
        for year in lot.years.all()
    ]


def initial_from_check(check) -> list[dict]:
    return [
        {
            "financial_year": str(y.financial_year),
            "contracted_people": str(y.contracted_people),
            "expected_people": str(y.expected_people),
            **{name: pounds_text(getattr(y, pence)) for name, pence in PENCE_FIELD.items()},
        }
        for y in check.years.all()
    ]


class Years:
    """The year forms of one check page: `count` rows (bound to the POST, or filled in from `initial`)."""

    def __init__(self, data=None, initial=None, count=None):
        initial = list(initial or [])
        if count is None:
            count = max(START_ROWS, len(initial))
        self.count = max(1, min(count, costs.MAX_YEARS))
        self.forms = [
            YearForm(
                data=data,
                prefix=f"y{i}",
                initial=initial[i] if i < len(initial) else None,
                auto_id="%s",
            )
            for i in range(self.count)
        ]
        self.errors: list[str] = []
        self.rows: list[dict] = []

    @classmethod
    def from_post(cls, data, *, add=False):
        try:
            count = int(data.get("rows", START_ROWS))
        except (TypeError, ValueError):
            count = START_ROWS
        years = cls(data=data, count=count + (1 if add else 0))
        if add:  # adding a row is not checking: keep what was typed, without error messages
            years.forms = [years._unbound(i, form._raw()) for i, form in enumerate(years.forms)]
        else:  # a blank year is ignored: shown empty, without error messages
            years.forms = [years._unbound(i, {}) if form.is_blank() else form for i, form in enumerate(years.forms)]
        return years

    @staticmethod
    def _unbound(i, initial):
        return YearForm(prefix=f"y{i}", initial=initial, auto_id="%s")

    @property
    def can_add(self) -> bool:
        return self.count < costs.MAX_YEARS

    def is_valid(self) -> bool:
        filled = [form for form in self.forms if not form.is_blank()]
        valid = all(form.is_valid() for form in filled)
        if not filled:
            self.errors.append(str(_("Enter the figures for at least one financial year")))
            return False
        if not valid:
            return False
        self._filled = filled
        self.rows = [form.row() for form in filled]
        found = costs.problems([costs.YearFigures(**row) for row in self.rows])
        self.add_problems(found)
        return not found

    def add_problems(self, found: dict) -> None:
        """The arithmetic's or a service's problems ({"years": [...]}, {"<i>.<field>": [...]}) on the right field."""
        filled = getattr(self, "_filled", self.forms)
        for key, messages in found.items():
            key = key.removeprefix("years.")
            if key == "years" or "." not in key:
                self.errors.extend(str(m) for m in messages)
                continue
            index, name = key.split(".", 1)
            form = filled[int(index)]
            for message in messages:
                form.add_error(FORM_FIELD.get(name), message)

    def error_forms(self):
        return [form for form in self.forms if form.is_bound and not form.is_blank()]


class SaveForm(forms.Form):
    """Saving a check (signed-in members of a provider organisation)."""

    title = forms.CharField(
        label=_("Name this check"),
        max_length=200,
        help_text=_("So that you can find it again, for example the call-off and lot it is for."),
        error_messages={"required": _("Enter a name for this check, like the call-off and lot it is for")},
    )
    organisation = forms.ChoiceField(label=_("Which organisation is this check for?"), widget=forms.RadioSelect)
    category = forms.ModelChoiceField(
        label=_("Service category (needed to share it)"),
        queryset=ServiceCategory.objects.none(),
        required=False,
        empty_label=_("Choose a category"),
        error_messages={"invalid_choice": _("Choose a service category from the list")},
    )
    region = forms.ModelChoiceField(
        label=_("Probation region (needed to share it)"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Choose a region"),
        error_messages={"invalid_choice": _("Choose a probation region from the list")},
    )
    share = forms.BooleanField(
        label=_("Share this check anonymously with commissioners"),
        required=False,
        help_text=_(
            "Commissioners will see your figures only added up with at least two other organisations' figures "
            "(how many shared, the middle and range of full cost per person, and how many found a shortfall each "
            "year). Your organisation's name is never shown. You can stop sharing at any time."
        ),
    )

    def __init__(self, *args, organisations, lot=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = str(organisations[0].pk)
        if editing:
            del self.fields["organisation"]
            del self.fields["share"]
        if lot is not None:
            self.fields["category"].queryset = lot.call_off.categories.order_by("number")
            self.fields["category"].label = _("Service category")
            del self.fields["region"]
        else:
            self.fields["category"].queryset = ServiceCategory.objects.order_by("number")
            self.fields["region"].queryset = Region.objects.order_by("name")

    def organisation_choice(self):
        return self.organisations.get(self.cleaned_data.get("organisation"))


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the save form; the years' errors are shown by the years' forms."""
    show_service_errors(form, exc, skip_prefix="years")


class AggregateForm(forms.Form):
    """The commissioners' choice: a service category and a region."""

    category = forms.ModelChoiceField(
        label=_("Service category"),
        queryset=ServiceCategory.objects.order_by("number"),
        to_field_name="slug",
        empty_label=_("Choose a category"),
        error_messages={"required": _("Choose a service category"), "invalid_choice": _("Choose a service category")},
    )
    region = forms.ModelChoiceField(
        label=_("Probation region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a region"),
        error_messages={"required": _("Choose a probation region"), "invalid_choice": _("Choose a probation region")},
    )
