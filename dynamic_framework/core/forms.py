"""Form fields every app uses: the GOV.UK date input (day, month and year boxes) and its rendering parameters.

    starts_on = DateField(label=_("Start date"), what=_("the start date"), help_text=_("For example, 15 6 2020"))

and in the template `{{ govukDateInput(date_input_params(form.starts_on)) }}` (or `form.date_params("starts_on")`
on forms with DateParamsMixin).
"""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (the GOV.UK date input). Their names are <name>_day, <name>_month, <name>_year."""

    def __init__(self, attrs=None):
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs=attrs
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]


class DateField(forms.Field):
    """A date typed in three boxes, with the GOV.UK error messages ("The start date must include a month")."""

    widget = DateInputWidget
    PARTS = ("day", "month", "year")

    def __init__(self, *, what, **kwargs):
        self.what = what  # "the start date": used in the error messages
        super().__init__(**kwargs)

    def _what(self) -> str:
        what = str(self.what)
        return what[:1].upper() + what[1:]

    def to_python(self, value):
        if isinstance(value, date):
            return value
        values = list(value) if isinstance(value, list | tuple) else []
        parts = dict(zip(self.PARTS, [str(v or "").strip() for v in [*values, "", "", ""][:3]], strict=True))
        if not any(parts.values()):
            return None
        missing = [name for name, text in parts.items() if not text]
        if missing:
            names = {"day": gettext("a day"), "month": gettext("a month"), "year": gettext("a year")}
            raise ValidationError(
                gettext("%(what)s must include %(part)s") % {"what": self._what(), "part": names[missing[0]]}
            )
        real = gettext("%(what)s must be a real date, like 15 6 2027") % {"what": self._what()}
        if not all(text.isdigit() for text in parts.values()) or len(parts["year"]) != 4:
            raise ValidationError(real)
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError as exc:
            raise ValidationError(real) from exc

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(gettext("Enter %(what)s") % {"what": str(self.what)})


def date_input_params(bound_field) -> dict:
    """Parameters for govukDateInput: a fieldset with the label as legend, what was typed kept, and the day box
    carrying the field's id, so that the error summary links to it."""
    value = bound_field.value()
    if not isinstance(value, list | tuple):
        value = bound_field.field.widget.decompress(value)
    auto_id = bound_field.auto_id
    params = {
        "id": f"{auto_id}-group",
        "fieldset": {"legend": {"text": str(bound_field.label), "classes": "govuk-fieldset__legend--s"}},
        "items": [
            {
                "id": auto_id if part == "day" else f"{auto_id}_{part}",
                "name": f"{bound_field.html_name}_{part}",
                "label": str(label),
                "value": value[index] or "",
                "classes": ("govuk-input--width-4" if part == "year" else "govuk-input--width-2")
                + (" govuk-input--error" if bound_field.errors else ""),
                "inputmode": "numeric",
            }
            for index, (part, label) in enumerate((("day", _("Day")), ("month", _("Month")), ("year", _("Year"))))
        ],
    }
    if bound_field.field.help_text:
        params["hint"] = {"text": str(bound_field.field.help_text)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    return params


class DateParamsMixin:
    """`form.date_params("name")`: date_input_params() for one of the form's date fields."""

    def date_params(self, name: str) -> dict:
        return date_input_params(self[name])


def add_service_errors(
    form: forms.Form, exc: ValidationError, renames: dict | None = None, *, skip_prefix: str = ""
) -> None:
    """Show a service's ValidationError on the form: each message on its field if the form has that field (after
    `renames`, service name -> form field name), else at the top. Fields starting with `skip_prefix` are left out
    (another form on the page shows them)."""
    renames = renames or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        if skip_prefix and field.startswith(skip_prefix):
            continue
        name = renames.get(field, field)
        for error in errors:
            for message in error.messages:
                form.add_error(name if name in form.fields else None, message)
