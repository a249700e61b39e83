"""Forms for the qualification pages. The services do the real checking: these forms carry what was typed, show
it again with the services' errors, and turn the questions of a question set into fields for the templates."""

import dataclasses
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.money import format_pence
from dynamic_framework.organisations.classification import LEGAL_FORM_CHOICES

from . import answers as answer_rules
from .content import ANSWERING_BANDS, Kind, Question, count_words

# Applying ------------------------------------------------------------------------------------------------------


class _UncheckedChoiceField(forms.ChoiceField):
    """Radios whose value the service checks (so a wrong value gets the service's message, once)."""

    def validate(self, value):
        pass


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on its field if the form has it, else at the top."""
    if not form.is_bound:
        return
    form.is_valid()
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages:
                form.add_error(field if field in form.fields else None, message)


class SizeBandForm(forms.Form):
    """'What you will need': which size band to show (GET)."""

    size_band = forms.ChoiceField(
        label=_("How big is your organisation?"),
        help_text=_("Choose by your latest annual income, from your accounts or your records"),
        choices=[(band.code, f"{band.label} ({band.description})") for band in ANSWERING_BANDS],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the size of your organisation"),
            "invalid_choice": _("Select the size of your organisation from the list"),
        },
    )


class StartForm(forms.Form):
    """Which organisation is applying, for someone who belongs to more than one."""

    organisation = forms.ChoiceField(
        label=_("Which organisation are you applying for?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the organisation you are applying for"),
            "invalid_choice": _("Select the organisation you are applying for"),
        },
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(org.slug, org.name) for org in organisations]


class OrganisationSectionForm(forms.Form):
    """The organisation section (services.ORGANISATION_FIELDS). Nothing is checked here: the service checks it."""

    name = forms.CharField(label=_("Name of your organisation"), required=False)
    legal_form = _UncheckedChoiceField(
        label=_("What kind of organisation is it?"),
        required=False,
        choices=LEGAL_FORM_CHOICES,
        widget=forms.RadioSelect,
    )
    charity_number = forms.CharField(
        label=_("Charity number (if it has one)"),
        required=False,
        help_text=_("Your number on the register of charities in England and Wales, like 1123456"),
    )
    company_number = forms.CharField(
        label=_("Company number (if it has one)"),
        required=False,
        help_text=_("Your number at Companies House: 8 characters, like 01234567 or SC123456"),
    )
    income = forms.CharField(
        label=_("Latest annual income, in pounds"),
        required=False,
        help_text=_("Your total income for your last financial year, from your accounts, like 8500"),
    )
    income_year = forms.CharField(
        label=_("Financial year of that income"),
        required=False,
        help_text=_("Like 2025-26"),
    )
    address = forms.CharField(label=_("Address"), required=False, widget=forms.Textarea)
    contact_email = forms.CharField(
        label=_("Contact email address"),
        required=False,
        help_text=_("Shown publicly. Use a shared address, not a person's own"),
        widget=forms.EmailInput,
    )
    contact_phone = forms.CharField(
        label=_("Contact phone number (optional)"),
        required=False,
        help_text=_("Shown publicly"),
        widget=forms.TextInput,
    )

    @classmethod
    def initial_for(cls, details: dict) -> dict:
        income = details.get("income_pence")
        return {
            **{field: details.get(field) or "" for field in cls.base_fields if field != "income"},
            "income": format_pence(income).replace("£", "") if income is not None else "",
        }

    def raw(self) -> dict:
        return {field: self.data.get(field, "") for field in self.fields}


class DeclarationForm(forms.Form):
    declared = forms.BooleanField(required=False)
    declaration_name = forms.CharField(label=_("Your full name"), required=False)
    declaration_role = forms.CharField(
        label=_("Your role in the organisation"),
        required=False,
        help_text=_("For example, chair of trustees, director or chief executive"),
    )

    def __init__(self, *args, organisation_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declared"].label = _(
            "I confirm that the information I have given is true and complete, and that I am allowed to apply on "
            "behalf of %(organisation)s"
        ) % {"organisation": organisation_name}


WITHDRAW_REASON_WORDS = 500


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea,
        help_text=_("This helps us improve the framework. You can apply again at any time."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if count_words(reason) > WITHDRAW_REASON_WORDS:
            raise ValidationError(_("This must be %(limit)s words or fewer") % {"limit": WITHDRAW_REASON_WORDS})
        return reason


class ClarificationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), required=False, widget=forms.Textarea)
    document = forms.Field(
        label=_("Send a document (optional)"),
        required=False,
        widget=forms.FileInput,
    )


# Questions as fields -------------------------------------------------------------------------------------------


def field_id(name: str) -> str:
    """An HTML id for a field name (case study names have a colon in them)."""
    return name.replace(":", "-")


@dataclasses.dataclass
class QuestionField:
    """One question on a section page: what to show and what is in it (typed, or the stored answer)."""

    question: Question
    value: object = ""  # text, or a list for a checklist
    explanation: str = ""
    day: str = ""
    month: str = ""
    year: str = ""
    document: object = None  # the current ApplicationDocument of a file question
    reselect: bool = False  # a file was chosen, but the page had a problem, so it was not kept
    errors: dict = dataclasses.field(default_factory=dict)  # error key (as the services name it) -> message
    glossary: list = dataclasses.field(default_factory=list)  # [(slug, term)]

    @property
    def name(self) -> str:
        return self.question.key

    @property
    def id(self) -> str:
        return field_id(self.question.key)

    @property
    def kind(self) -> str:
        return self.question.kind

    #: The value of a checklist's "None of these".
    none_of_these = answer_rules.NONE_OF_THESE

    def error(self, part: str = "") -> str:
        return self.errors.get(f"{self.name}__{part}" if part else self.name, "")

    @property
    def error_keys(self) -> list[str]:
        """Error keys in the order the parts appear on the page."""
        return [self.name, f"{self.name}__day", f"{self.name}__explanation"]


class SectionQuestionsForm:
    """The questions of one section (or the case studies) as fields, with what was typed and the errors.

    `questions` are content.Question objects whose key is the field name (case studies: `case_study:<slug>`, with
    the label already naming the category)."""

    def __init__(self, questions, *, answers=None, data=None, files=None, documents=None, glossary=None):
        self.questions = list(questions)
        self.data = data
        self.files = files or {}
        self.field_errors: dict[str, str] = {}
        self.non_field_errors: list[str] = []
        answers = answers or {}
        documents = documents or {}
        glossary = glossary or {}
        self.fields = []
        for question in self.questions:
            field = QuestionField(
                question=question,
                glossary=[(slug, glossary[slug]) for slug in question.glossary if slug in glossary],
            )
            stored = answers.get(question.key)
            if question.kind == Kind.FILE and isinstance(stored, dict):
                field.document = documents.get(stored.get("document"))
            if data is None:
                self._fill_from_answer(field, stored)
            else:
                self._fill_from_data(field)
            self.fields.append(field)

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    @property
    def errors(self) -> dict:
        """Every error (the page title says "Error:" when there is one)."""
        return {**self.field_errors, **({"__all__": self.non_field_errors} if self.non_field_errors else {})}

    @staticmethod
    def _fill_from_answer(field: QuestionField, stored) -> None:
        kind = field.kind
        if stored is None:
            field.value = [] if kind == Kind.CHECKLIST else ""
        elif kind == Kind.CHECKLIST:
            field.value = list(stored) if stored else [answer_rules.NONE_OF_THESE]
        elif kind == Kind.YES_NO_EXPLAIN:
            field.value = stored.get("answer", "") if isinstance(stored, dict) else ""
            field.explanation = stored.get("explanation", "") if isinstance(stored, dict) else ""
        elif kind == Kind.DATE:
            try:
                day = date.fromisoformat(stored)
            except (TypeError, ValueError):
                return
            field.day, field.month, field.year = str(day.day), str(day.month), str(day.year)
        elif kind != Kind.FILE:
            field.value = str(stored)

    def _fill_from_data(self, field: QuestionField) -> None:
        name, kind = field.name, field.kind
        if kind == Kind.CHECKLIST:
            field.value = self.data.getlist(name)
        elif kind == Kind.DATE:
            field.day = self.data.get(f"{name}__day", "")
            field.month = self.data.get(f"{name}__month", "")
            field.year = self.data.get(f"{name}__year", "")
        elif kind != Kind.FILE:
            field.value = self.data.get(name, "")
            if kind == Kind.YES_NO_EXPLAIN:
                field.explanation = self.data.get(f"{name}__explanation", "")

    def raw(self) -> dict:
        """What was typed, as services.save_section() takes it."""
        raw = {}
        for field in self.fields:
            name, kind = field.name, field.kind
            if kind == Kind.FILE:
                continue
            if kind == Kind.CHECKLIST:
                raw[name] = self.data.getlist(name)
            elif kind == Kind.DATE:
                for part in ("day", "month", "year"):
                    raw[f"{name}__{part}"] = self.data.get(f"{name}__{part}", "")
            else:
                raw[name] = self.data.get(name)
                if kind == Kind.YES_NO_EXPLAIN:
                    raw[f"{name}__explanation"] = self.data.get(f"{name}__explanation", "")
        return raw

    def uploaded(self) -> dict:
        """The files chosen, by question key."""
        return {
            field.name: self.files[field.name]
            for field in self.fields
            if field.kind == Kind.FILE and self.files.get(field.name) is not None
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                messages = [m for error in errors for m in error.messages]
                self.field_errors[key] = " ".join(messages)
        else:
            self.non_field_errors.extend(exc.messages)
        known = set()
        for field in self.fields:
            field.errors = {k: v for k, v in self.field_errors.items() if k in field.error_keys}
            known.update(field.errors)
            if field.kind == Kind.FILE and field.name in self.files and field.name not in self.field_errors:
                field.reselect = True
        self.non_field_errors.extend(message for key, message in self.field_errors.items() if key not in known)

    def error_summary(self) -> list[dict]:
        items = [{"text": message} for message in self.non_field_errors]
        for field in self.fields:
            for key in field.error_keys:
                if key in field.errors:
                    items.append({"text": field.errors[key], "href": "#" + field_id(key)})
        return items

    def has_errors(self) -> bool:
        return bool(self.field_errors or self.non_field_errors)
