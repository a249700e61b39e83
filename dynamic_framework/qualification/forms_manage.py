"""Forms for framework managers: the framework's details, closing it, and the questions and guidance.

The services do the real checking (qualification/services.py and content.py). These forms turn what was typed
into the services' arguments, and show the services' refusals on the right fields.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.forms import DateField, DateInputWidget, date_input_params  # noqa: F401 (used by views)
from dynamic_framework.organisations.classification import SIZE_BANDS

from .content import BANDS, KEY_PATTERN, KIND_LABELS, Kind, Question

# Dates: the GOV.UK date input, shared with the other apps (core/forms.py) -----------------------------------

# The framework ---------------------------------------------------------------------------------------------


class FrameworkForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={
            "required": _("Enter the framework's name"),
            "max_length": _("The name must be 200 characters or fewer"),
        },
    )
    purpose = forms.CharField(
        label=_("What the framework is for"),
        widget=forms.Textarea,
        help_text=_("Shown to providers before they apply. Write it in plain English."),
        error_messages={"required": _("Say what the framework is for")},
    )
    starts_on = DateField(label=_("Start date"), what=_("the start date"), help_text=_("For example, 15 6 2020"))
    ends_on = DateField(
        label=_("End date"),
        what=_("the end date"),
        help_text=_("The end of the first term, before any extension. For example, 10 6 2027"),
    )
    confirmation_interval_months = forms.IntegerField(
        label=_("How often qualified providers confirm their details, in months"),
        help_text=_("They are reminded when it is time, and confirm their details are still accurate or update them"),
        error_messages={
            "required": _("Enter how often providers confirm their details, in months"),
            "invalid": _("Enter the number of months as a whole number, like 12"),
        },
    )

    @classmethod
    def initial_for(cls, framework) -> dict:
        return {
            "name": framework.name,
            "purpose": framework.purpose,
            "starts_on": framework.starts_on,
            "ends_on": framework.ends_on,
            "confirmation_interval_months": framework.confirmation_interval_months,
        }


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the framework closing to new applications?"),
        widget=forms.Textarea,
        help_text=_("This is kept in the audit log"),
        error_messages={"required": _("Say why the framework is closing to new applications")},
    )


# Questions ---------------------------------------------------------------------------------------------------


class SectionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=100,
        error_messages={
            "required": _("Enter the section's title"),
            "max_length": _("The title must be 100 characters or fewer"),
        },
    )
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        max_length=3000,
        widget=forms.Textarea,
        help_text=_("Shown at the top of the section. Say why we ask and what a good answer looks like."),
        error_messages={"max_length": _("The guidance must be 3,000 characters or fewer")},
    )


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("What has changed in this version?"),
        widget=forms.Textarea,
        help_text=_("Shown in the list of versions, so that everyone can see what changed and when"),
        error_messages={"required": _("Say what has changed in this version")},
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]

#: Words in the content checks' messages (content.py), and the form field each is about. The first match wins.
_MESSAGE_FIELDS = [
    ("word_limit", "word_limit"),
    ("word limit", "word_limit"),
    ("explain_when", "explain_when"),
    ("explain_label", "explain_label"),
    ("ask for an explanation", "explain_when"),
    ("size band", "size_bands"),
    ("size_bands", "size_bands"),
    ("glossary", "glossary"),
    ("option", "options"),
    ("when ", "wales_only"),
    ("a case study is", "kind"),
    ("kind", "kind"),
    ("label", "label"),
    ("hint", "hint"),
    ("required", "required"),
    ("key", "key"),
]
#: How the content checks' names read on the page.
_MESSAGE_WORDS = [
    ("word_limit", _("the word limit")),
    ("explain_when", _("when to ask for an explanation")),
    ("explain_label", _("what to ask for in the explanation")),
    ("size_bands", _("the sizes of organisation")),
    ("yes_no_explain", _("yes or no with an explanation")),
    ("long_text", _("longer answer")),
]


def _readable(message: str) -> str:
    for word, replacement in _MESSAGE_WORDS:
        message = message.replace(word, str(replacement))
    return message[:1].upper() + message[1:]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.Form):
    """Every field of a question that the content model has (content.Question), except its key."""

    kind = forms.ChoiceField(
        label=_("Type of answer"),
        widget=forms.RadioSelect,
        choices=[(kind, label) for kind, label in KIND_LABELS.items()],
        error_messages={
            "required": _("Choose the type of answer"),
            "invalid_choice": _("Choose the type of answer from the list"),
        },
    )
    label = forms.CharField(
        label=_("Question"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the question"),
            "max_length": _("The question must be 500 characters or fewer"),
        },
    )
    hint = forms.CharField(
        label=_("Hint"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain-English help shown under the question: what to include, or what a word means"),
        error_messages={"max_length": _("The hint must be 1,000 characters or fewer")},
    )
    size_bands = forms.MultipleChoiceField(
        label=_("Which sizes of organisation answer it"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(band.code, f"{band.label} ({band.description})") for band in SIZE_BANDS],
        help_text=_("Size comes from the latest annual income. Ask small organisations only what you need."),
        error_messages={
            "required": _("Choose at least one size of organisation"),
            "invalid_choice": _("Choose sizes of organisation from the list"),
        },
    )
    wales_only = forms.BooleanField(label=_("Only ask organisations that apply for areas in Wales"), required=False)
    required = forms.BooleanField(label=_("An answer is needed before the application can be sent"), required=False)
    word_limit = forms.IntegerField(
        label=_("Word limit"),
        required=False,
        help_text=_("For longer answers only: the most words an answer can have, from 1 to 1,000"),
        error_messages={"invalid": _("Enter the word limit as a whole number, like 300")},
    )
    explain_when = forms.ChoiceField(
        label=_("Ask for an explanation when the answer is"),
        required=False,
        widget=forms.RadioSelect,
        choices=YES_NO,
        help_text=_("For yes or no questions with an explanation only"),
        error_messages={"invalid_choice": _("Choose yes or no")},
    )
    explain_label = forms.CharField(
        label=_("What to ask for in the explanation"),
        required=False,
        max_length=300,
        help_text=_("For yes or no questions with an explanation only. For example: Tell us what happened"),
        error_messages={"max_length": _("This must be 300 characters or fewer")},
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For 'one of a list' and 'any of a list' only: one option on each line, at least 2"),
    )
    glossary = forms.MultipleChoiceField(
        label=_("Glossary terms to link to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Words in the question that the glossary explains"),
        error_messages={"invalid_choice": _("Choose glossary terms from the list")},
    )

    #: Fields kept only for the kinds of question that use them (what was typed for another kind is ignored).
    KIND_FIELDS = {
        "word_limit": {Kind.LONG_TEXT},
        "explain_when": {Kind.YES_NO_EXPLAIN},
        "explain_label": {Kind.YES_NO_EXPLAIN},
        "options": {Kind.CHOICE, Kind.CHECKLIST},
    }

    def __init__(self, *args, glossary_terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["glossary"].choices = [(term.slug, term.term) for term in glossary_terms]

    @staticmethod
    def initial_for(question: Question) -> dict:
        return {
            "kind": question.kind,
            "label": question.label,
            "hint": question.hint,
            "size_bands": list(question.size_bands),
            "wales_only": question.when == "wales",
            "required": question.required,
            "word_limit": question.word_limit,
            "explain_when": question.explain_when,
            "explain_label": question.explain_label,
            "options": "\n".join(question.options),
            "glossary": list(question.glossary),
        }

    @staticmethod
    def initial_for_new() -> dict:
        return {"size_bands": list(BANDS), "required": True}

    def question_fields(self) -> dict:
        """The service's keyword arguments (services.update_question and add_question)."""
        data = self.cleaned_data
        kind = data["kind"]
        bands = [band for band in BANDS if band in data["size_bands"]]

        def kept(name, value, empty):
            return value if kind in self.KIND_FIELDS[name] else empty

        return {
            "kind": kind,
            "label": data["label"].strip(),
            "hint": data["hint"].strip(),
            "size_bands": [] if bands == BANDS else bands,  # every band: leave it out
            "when": "wales" if data["wales_only"] else "",
            "required": bool(data["required"]),
            "word_limit": kept("word_limit", data["word_limit"], None),
            "explain_when": kept("explain_when", data["explain_when"], ""),
            "explain_label": kept("explain_label", data["explain_label"].strip(), ""),
            "options": kept("options", _lines(data["options"]), []),
            "glossary": list(data["glossary"]),
        }

    def add_content_errors(self, exc: ValidationError, question_key: str) -> None:
        """Show the content checks' sentences: on the field they are about when they are about this question,
        otherwise at the top of the page."""
        prefix = f"question {question_key!r}: "
        for message in exc.messages:
            field = None
            text = message
            if message.startswith(prefix):
                text = message[len(prefix) :]
                field = next((name for word, name in _MESSAGE_FIELDS if word in text), None)
            elif "question key" in message and "key" in self.fields:
                text, field = re.sub(r"^section '[^']*': ", "", message), "key"
            if field not in self.fields:
                field = None
            self.add_error(field, _readable(text))


class AddQuestionForm(QuestionForm):
    key = forms.CharField(
        label=_("Key"),
        max_length=50,
        help_text=_(
            "A short name for the question, used in the answers and exports. Lower case letters, digits and _, "
            "starting with a letter, like insurance_cover. It cannot change later."
        ),
        error_messages={
            "required": _("Enter a key for the question"),
            "max_length": _("The key must be 50 characters or fewer"),
        },
    )

    field_order = ["key"]

    def __init__(self, *args, existing_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_keys = set(existing_keys)

    def clean_key(self):
        key = self.cleaned_data["key"].strip()
        if not KEY_PATTERN.match(key):
            raise ValidationError(
                _("The key must be lower case letters, digits and _, starting with a letter, like insurance_cover")
            )
        if key in self.existing_keys:
            raise ValidationError(_("There is already a question with this key in this version: choose another"))
        return key
