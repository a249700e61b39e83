"""Forms for commissioners' call-off pages (views/manage.py).

The services do the real checking (calloffs/services.py). These forms turn what was typed into the services'
arguments: UK local dates and times into aware datetimes, pounds into integer pence, "12, 12" into [12, 12], and
show the services' refusals on the right fields (`add_service_errors` with each form's `SERVICE_FIELDS`).
"""

import re
from datetime import UTC, date, datetime, time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.forms import DateField, DateInputWidget, DateParamsMixin  # noqa: F401
from dynamic_framework.core.money import MoneyError, format_pence, parse_pounds
from dynamic_framework.core.time import UK
from dynamic_framework.core.uploads import ALLOWED_LABELS, MAX_UPLOAD_BYTES

from .models import FundingMechanism, Lot, Sex

#: How many financial years a lot can be given values for on one page.
YEAR_ROWS = 6

FUNDING_HINTS = {
    FundingMechanism.GRANT: _(
        "You give the money for an agreed purpose, with light reporting. Grants can fund core costs, and small "
        "organisations find them simpler to apply for and to run."
    ),
    FundingMechanism.CONTRACT: _(
        "You buy a defined service with agreed outputs and performance measures, under a contract. Use one when you "
        "need that control: for example a large or specialist service, or one the law says must be a contract."
    ),
}
FUNDING_RECOMMENDATION = _(
    "Use a grant unless you need a contract: grants suit smaller, local services and core costs, are simpler for "
    "small organisations, and are what the voluntary sector asks for."
)


# Dates and times ----------------------------------------------------------------------------------------------


_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """'17:30', '5:30pm', '5pm', '12.00', 'midday', 'midnight' -> a time. Raises ValueError."""
    cleaned = " ".join((text or "").lower().split())
    if cleaned in {"midday", "noon", "12 noon", "12 midday"}:
        return time(12, 0)
    if cleaned == "midnight":
        return time(0, 0)
    match = _TIME.match(cleaned.replace(" ", ""))
    if not match:
        raise ValueError(text)
    hour, minute, ampm = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError(text)
    return time(hour, minute)


class TimeField(forms.Field):
    """A UK local time typed as text (GOV.UK has no time component): 24-hour or am/pm."""

    def __init__(self, *, what, **kwargs):
        self.what = what
        kwargs.setdefault("widget", forms.TextInput(attrs={"classes": "govuk-input--width-5", "spellcheck": False}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = " ".join(str(value or "").split())
        if not text:
            return None
        try:
            if len(text) > 20:
                raise ValueError(text)
            return parse_time(text)
        except ValueError as exc:
            raise ValidationError(
                gettext("Enter %(what)s like 12:00, 17:30 or 5:30pm") % {"what": str(self.what)}
            ) from exc

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(gettext("Enter %(what)s") % {"what": str(self.what)})

    def prepare_value(self, value):
        return value.strftime("%H:%M") if isinstance(value, time) else value


def uk_datetime(day: date, clock: time) -> datetime:
    """A UK local date and time as an aware datetime (in UTC). Raises ValueError for a time the clocks skip."""
    naive = datetime.combine(day, clock)
    moment = naive.replace(tzinfo=UK).astimezone(UTC)
    if moment.astimezone(UK).replace(tzinfo=None) != naive:
        raise ValueError("not a time in the UK on that day")
    return moment


def uk_parts(moment: datetime | None) -> tuple[date | None, str]:
    """An aware datetime as its UK local date and a 'HH:MM' time, for a form's initial values."""
    if moment is None:
        return None, ""
    local = moment.astimezone(UK)
    return local.date(), local.strftime("%H:%M")


def _moment(form, date_field: str, time_field: str, service_field: str, cleaned: dict) -> None:
    """Join a date field and a time field into cleaned[service_field] (aware, UTC)."""
    day, clock = cleaned.get(date_field), cleaned.get(time_field)
    if day is None or clock is None:
        return
    try:
        cleaned[service_field] = uk_datetime(day, clock)
    except ValueError:
        form.add_error(
            time_field,
            gettext("That time does not exist in the UK on that day (the clocks go forward): choose another"),
        )


def _number(label, *, what, min_value, max_value, required=True, help_text="", initial=None):
    """A whole number typed in a text box (GOV.UK: not type=number), with one plain message for every mistake."""
    message = _("Enter %(what)s as a whole number from %(low)s to %(high)s") % {
        "what": what,
        "low": min_value,
        "high": f"{max_value:,}",
    }
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        initial=initial,
        widget=forms.TextInput(attrs={"classes": "govuk-input--width-4", "spellcheck": False}),
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
    )


# The call-off's details -----------------------------------------------------------------------------------------


class CallOffForm(DateParamsMixin, forms.Form):
    """Creating a call-off (with a region) and changing a draft (without: the region stays)."""

    SERVICE_FIELDS = {"questions_close_at": "questions_close_on", "deadline_at": "deadline_on"}

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Say what you are buying, like: Women's centre services in County Durham"),
        error_messages={"required": _("Enter a title"), "max_length": _("The title must be 200 characters or fewer")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you are buying and why, in plain English. Providers see this first."),
        error_messages={"required": _("Say in plain English what you are buying and why")},
    )
    categories = forms.MultipleChoiceField(
        label=_("Service categories"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Providers qualified in these categories are told when it is published."),
        error_messages={
            "required": _("Select at least one service category"),
            "invalid_choice": _("Select service categories from the list"),
        },
    )
    region = forms.ChoiceField(
        label=_("Probation region"),
        widget=forms.RadioSelect,
        help_text=_("You can create call-offs only for the regions you commission for"),
        error_messages={
            "required": _("Select the region"),
            "invalid_choice": _("You can only create call-offs for the regions you commission for"),
        },
    )
    co_commissioner = forms.ChoiceField(
        label=_("Co-commissioner (optional)"),
        required=False,
        help_text=_("Another commissioning body paying for the service with you, like a Police and Crime Commissioner"),
        error_messages={"invalid_choice": _("Select a commissioning body from the list")},
    )
    funding_mechanism = forms.ChoiceField(
        label=_("Will it be a grant or a contract?"),
        widget=forms.RadioSelect,
        choices=FundingMechanism.choices,
        help_text=FUNDING_RECOMMENDATION,
        error_messages={"required": _("Select grant or contract"), "invalid_choice": _("Select grant or contract")},
    )
    funding_reason = forms.CharField(
        label=_("Why a grant or a contract?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("This is recorded and published with the call-off"),
        error_messages={"required": _("Say why you chose a grant or a contract")},
    )
    term_start = DateField(
        label=_("Start date"), what=_("the start date"), help_text=_("When the service starts. For example, 1 4 2027")
    )
    term_months = _number(_("Length, in months"), what=_("the length"), min_value=1, max_value=120)
    extension_months = forms.CharField(
        label=_("Options to extend (optional)"),
        required=False,
        max_length=50,
        help_text=_("The length of each extension in months, separated by commas. For example, 12, 12"),
        widget=forms.TextInput(attrs={"classes": "govuk-input--width-10", "spellcheck": False}),
    )
    cohort_sex = forms.ChoiceField(
        label=_("Who the service is for"),
        widget=forms.RadioSelect,
        choices=Sex.choices,
        initial=Sex.ANY,
        error_messages={"required": _("Select who the service is for")},
    )
    cohort_min_age = _number(
        _("Lowest age (optional)"),
        what=_("the lowest age"),
        required=False,
        min_value=18,
        max_value=120,
        help_text=_("For example, 18"),
    )
    cohort_max_age = _number(
        _("Highest age (optional)"),
        what=_("the highest age"),
        required=False,
        min_value=18,
        max_value=120,
        help_text=_("For example, 25 for a service for young adults"),
    )
    cohort_note = forms.CharField(
        label=_("More about who it is for (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )
    price_weight = _number(
        _("Price weight"),
        what=_("the price weight"),
        min_value=0,
        max_value=100,
        help_text=_("Out of 100, like 30"),
        initial=None,
    )
    social_value_weight = _number(
        _("Social value weight"),
        what=_("the social value weight"),
        min_value=0,
        max_value=100,
        help_text=_("Out of 100, like 10"),
    )
    social_value_question = forms.CharField(
        label=_("Social value question"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed if social value has a weight. For example: How will your service benefit the local area?"),
    )
    social_value_word_limit = _number(
        _("Word limit for the social value answer"), what=_("the word limit"), min_value=1, max_value=2000, initial=300
    )
    minimum_quality_percent = _number(
        _("Minimum quality score, as a percentage of the quality marks"),
        what=_("the minimum quality score"),
        min_value=0,
        max_value=100,
        help_text=_("Bids scoring less than this on quality are not considered. For example, 50"),
    )
    questions_close_on = DateField(label=_("Last date for questions"), what=_("the last date for questions"))
    questions_close_time = TimeField(
        label=_("Time questions close"),
        what=_("the time questions close"),
        help_text=_("UK time, like 12:00 or 17:30"),
    )
    deadline_on = DateField(label=_("Deadline for bids"), what=_("the deadline for bids"))
    deadline_time = TimeField(
        label=_("Time of the deadline"),
        what=_("the time of the deadline"),
        help_text=_("UK time, like 12:00 or 17:30. A bid one second late is refused."),
    )
    expected_award_on = DateField(label=_("Expected award date"), what=_("the expected award date"))
    standstill_days = _number(
        _("Standstill period, in calendar days"),
        what=_("the standstill period"),
        min_value=0,
        max_value=60,
        initial=10,
        help_text=_("Time for bidders to question the decision before the award is confirmed. Usually 10."),
    )

    def __init__(self, *args, regions=None, categories=(), commissioning_bodies=(), with_region=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.slug, c.name) for c in categories]
        self.fields["co_commissioner"].choices = [("", _("None")), *((o.slug, o.name) for o in commissioning_bodies)]
        if with_region:
            self.fields["region"].choices = [(r.code, r.name) for r in regions or []]
            if len(self.fields["region"].choices) == 1:
                self.fields["region"].initial = self.fields["region"].choices[0][0]
        else:
            del self.fields["region"]
        self._categories = {c.slug: c for c in categories}
        self._bodies = {o.slug: o for o in commissioning_bodies}
        self._regions = {r.code: r for r in regions or []}

    @classmethod
    def initial_for(cls, call_off) -> dict:
        questions_day, questions_time = uk_parts(call_off.questions_close_at)
        deadline_day, deadline_time = uk_parts(call_off.deadline_at)
        return {
            "title": call_off.title,
            "summary": call_off.summary,
            "categories": [c.slug for c in call_off.categories.all()],
            "co_commissioner": call_off.co_commissioner.slug if call_off.co_commissioner else "",
            "funding_mechanism": call_off.funding_mechanism,
            "funding_reason": call_off.funding_reason,
            "term_start": call_off.term_start,
            "term_months": call_off.term_months,
            "extension_months": ", ".join(str(m) for m in call_off.extension_months or []),
            "cohort_sex": call_off.cohort_sex,
            "cohort_min_age": call_off.cohort_min_age,
            "cohort_max_age": call_off.cohort_max_age,
            "cohort_note": call_off.cohort_note,
            "price_weight": call_off.price_weight,
            "social_value_weight": call_off.social_value_weight,
            "social_value_question": call_off.social_value_question,
            "social_value_word_limit": call_off.social_value_word_limit,
            "minimum_quality_percent": call_off.minimum_quality_percent,
            "questions_close_on": questions_day,
            "questions_close_time": questions_time,
            "deadline_on": deadline_day,
            "deadline_time": deadline_time,
            "expected_award_on": call_off.expected_award_on,
            "standstill_days": call_off.standstill_days,
        }

    def funding_items(self) -> list[dict]:
        """Radio items for grant and contract, each with its explanation."""
        value = self["funding_mechanism"].value()
        return [
            {"value": code, "text": str(label), "hint": {"text": str(FUNDING_HINTS[code])}, "checked": value == code}
            for code, label in FundingMechanism.choices
        ]

    def clean_extension_months(self):
        text = self.cleaned_data.get("extension_months") or ""
        parts = [p.strip() for p in re.split(r"[,\s]+", text) if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError(
                gettext("Enter each extension as a number of months, separated by commas, like 12, 12")
            )
        return [int(p) for p in parts]

    def clean(self):
        cleaned = super().clean()
        _moment(self, "questions_close_on", "questions_close_time", "questions_close_at", cleaned)
        _moment(self, "deadline_on", "deadline_time", "deadline_at", cleaned)
        if (
            cleaned.get("questions_close_at")
            and cleaned.get("deadline_at")
            and cleaned["questions_close_at"] > cleaned["deadline_at"]
        ):
            self.add_error("questions_close_on", gettext("Questions must close on or before the deadline for bids"))
        low, high = cleaned.get("cohort_min_age"), cleaned.get("cohort_max_age")
        if low is not None and high is not None and high < low:
            self.add_error("cohort_max_age", gettext("The highest age must be the same as or more than the lowest"))
        return cleaned

    def chosen_region(self):
        return self._regions.get(self.cleaned_data.get("region"))

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.create_call_off / update_call_off (without actor, region, call_off)."""
        data = self.cleaned_data
        kwargs = {
            field: data[field]
            for field in (
                "title",
                "summary",
                "funding_mechanism",
                "funding_reason",
                "term_start",
                "term_months",
                "extension_months",
                "cohort_sex",
                "cohort_min_age",
                "cohort_max_age",
                "cohort_note",
                "price_weight",
                "social_value_weight",
                "social_value_question",
                "social_value_word_limit",
                "minimum_quality_percent",
                "questions_close_at",
                "deadline_at",
                "expected_award_on",
                "standstill_days",
            )
        }
        kwargs["categories"] = [self._categories[slug] for slug in data["categories"]]
        kwargs["co_commissioner"] = self._bodies.get(data.get("co_commissioner") or "")
        return kwargs


# Lots and their values for each year ------------------------------------------------------------------------------


def financial_year_of(day: date | None) -> int | None:
    """The financial year (April to March) a date falls in, as the year it starts."""
    if day is None:
        return None
    return day.year if day.month >= 4 else day.year - 1


class YearRowsForm(forms.Form):
    """Up to YEAR_ROWS rows of: the financial year it starts (2026 means 2026-27), the most the lot can cost in
    that year in pounds, and the expected number of people. Rows with no value and no people are left out."""

    SERVICE_FIELDS = {"years": "value_1"}

    def __init__(self, *args, first_year=None, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, YEAR_ROWS + 1):
            self.fields[f"year_{row}"] = forms.CharField(
                label=_("Financial year starting"),
                required=False,
                max_length=4,
                widget=forms.TextInput(attrs={"classes": "govuk-input--width-4", "spellcheck": False}),
            )
            self.fields[f"value_{row}"] = forms.CharField(
                label=_("Most it can cost"),
                required=False,
                max_length=30,
                widget=forms.TextInput(attrs={"classes": "govuk-input--width-10", "spellcheck": False}),
            )
            self.fields[f"people_{row}"] = forms.CharField(
                label=_("Expected people"),
                required=False,
                max_length=10,
                widget=forms.TextInput(attrs={"classes": "govuk-input--width-5", "spellcheck": False}),
            )
        if not self.is_bound:
            existing = list(years or [])
            for row in range(1, YEAR_ROWS + 1):
                if row <= len(existing):
                    year = existing[row - 1]
                    self.initial[f"year_{row}"] = str(year.financial_year)
                    self.initial[f"value_{row}"] = format_pence(year.max_value_pence).replace("£", "")
                    self.initial[f"people_{row}"] = "" if year.expected_people is None else str(year.expected_people)
                elif first_year is not None and not existing:
                    self.initial[f"year_{row}"] = str(first_year + row - 1)
                elif existing:
                    self.initial[f"year_{row}"] = str(existing[-1].financial_year + row - len(existing))

    def rows(self) -> list[dict]:
        """The bound fields of each row, for the template."""
        return [
            {"number": row, "year": self[f"year_{row}"], "value": self[f"value_{row}"], "people": self[f"people_{row}"]}
            for row in range(1, YEAR_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        years = []
        for row in range(1, YEAR_ROWS + 1):
            year_text = (cleaned.get(f"year_{row}") or "").strip()
            value_text = (cleaned.get(f"value_{row}") or "").strip()
            people_text = (cleaned.get(f"people_{row}") or "").strip().replace(",", "")
            if not value_text and not people_text:
                continue
            entry = {}
            if not (year_text.isdigit() and len(year_text) == 4):
                self.add_error(f"year_{row}", gettext("Enter the financial year it starts, like 2026"))
            else:
                entry["financial_year"] = int(year_text)
            if not value_text:
                self.add_error(f"value_{row}", gettext("Enter the most it can cost in this year, in pounds"))
            else:
                try:
                    pence = parse_pounds(value_text)
                except MoneyError:
                    self.add_error(f"value_{row}", gettext("Enter the most it can cost in pounds, like 545,000"))
                else:
                    if pence <= 0:
                        self.add_error(f"value_{row}", gettext("The most it can cost must be more than £0"))
                    entry["max_value_pence"] = pence
            if people_text and not people_text.isdigit():
                self.add_error(f"people_{row}", gettext("Enter the number of people as a whole number, like 40"))
            entry["expected_people"] = int(people_text) if people_text.isdigit() else None
            years.append(entry)
        cleaned["years"] = years
        return cleaned

    def years(self) -> list[dict]:
        return self.cleaned_data["years"]


class LotForm(YearRowsForm):
    SERVICE_FIELDS = {"years": "value_1"}

    def __init__(self, *args, call_off, areas, **kwargs):
        super().__init__(*args, first_year=financial_year_of(call_off.term_start), **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("What the lot covers"),
            widget=forms.RadioSelect,
            choices=[
                (Lot.Kind.PCC_AREA, _("One Police and Crime Commissioner (PCC) area")),
                (Lot.Kind.AREAS, _("A group of PCC areas")),
                (Lot.Kind.REGION, _("The whole region: %(region)s") % {"region": call_off.region.name}),
            ],
            error_messages={
                "required": _("Select what the lot covers"),
                "invalid_choice": _("Select what the lot covers"),
            },
        )
        self.fields["pcc_areas"] = forms.MultipleChoiceField(
            label=_("PCC areas"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(a.slug, a.name) for a in areas],
            help_text=_("For one area or a group of areas: select them. Leave them for the whole region."),
            error_messages={"invalid_choice": _("Select areas in %(region)s") % {"region": call_off.region.name}},
        )
        self.order_fields(["kind", "pcc_areas"])

    def service_kwargs(self) -> dict:
        return {
            "kind": self.cleaned_data["kind"],
            "pcc_areas": list(self.cleaned_data.get("pcc_areas") or []),
            "years": self.years(),
        }


# Quality questions -------------------------------------------------------------------------------------------------


class QualityQuestionForm(forms.Form):
    SERVICE_FIELDS = {"text": "question"}

    question = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ask about one thing, in plain English"),
        error_messages={"required": _("Enter the question")},
    )
    guidance = forms.CharField(
        label=_("Scoring guidance (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a good answer shows. Bidders and evaluators both see this."),
    )
    word_limit = _number(
        _("Word limit"), what=_("the word limit"), min_value=1, max_value=2000, initial=500, help_text=_("Like 500")
    )
    weight = _number(_("Weight"), what=_("the weight"), min_value=1, max_value=100, help_text=_("Out of 100, like 20"))

    @classmethod
    def initial_for(cls, question) -> dict:
        return {f: getattr(question, f) for f in ("question", "guidance", "word_limit", "weight")}


# Documents, reasons, amendments and answers -----------------------------------------------------------------------


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Like: Service specification"),
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


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label, required_message, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = required_message


class AmendForm(DateParamsMixin, forms.Form):
    """What may change after publication (services.AMENDABLE_FIELDS), and what changed, in plain English."""

    SERVICE_FIELDS = {
        "questions_close_at": "questions_close_on",
        "deadline_at": "deadline_on",
        "summary": "amendment_summary",
    }

    title = CallOffForm.base_fields["title"]
    call_off_summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Say in plain English what you are buying and why")},
    )
    questions_close_on = CallOffForm.base_fields["questions_close_on"]
    questions_close_time = CallOffForm.base_fields["questions_close_time"]
    deadline_on = CallOffForm.base_fields["deadline_on"]
    deadline_time = CallOffForm.base_fields["deadline_time"]
    expected_award_on = CallOffForm.base_fields["expected_award_on"]
    term_start = CallOffForm.base_fields["term_start"]
    cohort_note = CallOffForm.base_fields["cohort_note"]
    amendment_summary = forms.CharField(
        label=_("What has changed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In plain English. This is published with the call-off and sent to everyone who has bid."),
        error_messages={"required": _("Say what has changed, in plain English")},
    )

    @classmethod
    def initial_for(cls, call_off) -> dict:
        initial = CallOffForm.initial_for(call_off)
        keep = ["title", "questions_close_on", "questions_close_time", "deadline_on", "deadline_time"]
        keep += ["expected_award_on", "term_start", "cohort_note"]
        return {**{k: initial[k] for k in keep}, "call_off_summary": call_off.summary}

    def clean(self):
        cleaned = super().clean()
        _moment(self, "questions_close_on", "questions_close_time", "questions_close_at", cleaned)
        _moment(self, "deadline_on", "deadline_time", "deadline_at", cleaned)
        if (
            cleaned.get("questions_close_at")
            and cleaned.get("deadline_at")
            and cleaned["questions_close_at"] > cleaned["deadline_at"]
        ):
            self.add_error("questions_close_on", gettext("Questions must close on or before the deadline for bids"))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "summary": data["amendment_summary"],
            "call_off_summary": data["call_off_summary"],
            "title": data["title"],
            "questions_close_at": data["questions_close_at"],
            "deadline_at": data["deadline_at"],
            "expected_award_on": data["expected_award_on"],
            "term_start": data["term_start"],
            "cohort_note": data["cohort_note"],
        }


class AnswerForm(forms.Form):
    published_question = forms.CharField(
        label=_("The question as it will be published"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Everyone who can see the opportunity sees this. Take out anything that could show who asked, like the "
            "name of their organisation, a place or a service only they run."
        ),
        error_messages={"required": _("Enter the question as it will be published")},
    )
    answer = forms.CharField(
        label=_("Your answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Published to everyone, and sent to everyone who has bid"),
        error_messages={"required": _("Enter the answer")},
    )
