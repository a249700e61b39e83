"""Forms for the evaluation pages (views/evaluation.py): the panel, conflict declarations, scores and moderation.

The services check everything that matters (calloffs/services.py); these forms turn what was typed into their
arguments and put the services' refusals on the right fields (`add_service_errors`).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import SCORE_SCALE

JUSTIFICATION_WORDS = 500


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field if the form has it, else at the top."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages:
                form.add_error(field if field in form.fields and field not in form.errors else None, message)


def score_choices() -> list[tuple[str, str]]:
    """The published scale as radio choices: "3: Good: meets the need well, with clear evidence"."""
    return [(str(score), f"{score}: {text}") for score, text in sorted(SCORE_SCALE.items())]


class PanelForm(forms.Form):
    members = forms.MultipleChoiceField(
        label=_("Evaluators to add to the panel"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose everyone who will read and score the bids. You can add more evaluators later."),
        error_messages={"required": _("Choose at least one evaluator")},
    )

    def __init__(self, *args, evaluators, **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluators = {str(user.pk): user for user in evaluators}
        self.fields["members"].choices = [
            (str(user.pk), f"{user.full_name} ({user.email})" if user.full_name else user.email) for user in evaluators
        ]
        self.fields["members"].error_messages["invalid_choice"] = _("Choose evaluators from the list")

    def chosen(self) -> list:
        return [self.evaluators[pk] for pk in self.cleaned_data["members"]]


class DeclarationForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label=_("Do you have a conflict of interest with any of these organisations?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        help_text=_(
            "For example: you work or volunteer for one of them, someone close to you does, or you have a financial "
            "interest in one."
        ),
        error_messages={"required": _("Say whether you have a conflict of interest with any of these organisations")},
    )
    note = forms.CharField(
        label=_("What is the conflict of interest?"),
        help_text=_("Only if you answered yes: say which organisation, and how you are connected to it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("This must be 2000 characters or fewer")},
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") == "yes" and not (data.get("note") or "").strip():
            self.add_error("note", gettext("Say what the conflict of interest is"))
        return data

    def service_kwargs(self) -> dict:
        has_conflict = self.cleaned_data["has_conflict"] == "yes"
        return {"has_conflict": has_conflict, "note": self.cleaned_data.get("note", "") if has_conflict else ""}


class _ScaleForm(forms.Form):
    """A score on the published scale and the words that go with it, for one answer."""

    score = forms.ChoiceField(widget=forms.RadioSelect, required=False)
    text_field = "justification"

    def __init__(self, *args, criterion_name: str, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        self.fields["score"].choices = score_choices()
        self.fields["score"].label = gettext("Score for %(answer)s") % {"answer": criterion_name}
        self.fields["score"].error_messages["invalid_choice"] = gettext("Choose a score from 0 to 4")

    def clean(self):
        data = super().clean()
        score, text = data.get("score"), (data.get(self.text_field) or "").strip()
        if "score" in self.errors or self.text_field in self.errors:
            return data
        if score in (None, "") and (text or self.required):
            self.add_error("score", gettext("Choose a score from 0 to 4"))
        if not text and (score not in (None, "") or self.required):
            self.add_error(self.text_field, self.missing_text)
        return data

    @property
    def is_empty(self) -> bool:
        return self.cleaned_data.get("score") in (None, "") and not (self.cleaned_data.get(self.text_field) or "")

    def service_kwargs(self) -> dict:
        return {"score": int(self.cleaned_data["score"]), self.text_field: self.cleaned_data[self.text_field].strip()}


class ScoreForm(_ScaleForm):
    """An evaluator's own score for one answer. Blank rows are left alone when saving; submitting needs them all."""

    justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Up to 500 words. Say what in the answer led to the score."),
    )
    missing_text = _("Write why you gave this score")

    def __init__(self, *args, criterion_name: str, **kwargs):
        super().__init__(*args, criterion_name=criterion_name, **kwargs)
        self.fields["justification"].label = gettext("Why you gave this score for %(answer)s") % {
            "answer": criterion_name
        }


class ConsensusForm(_ScaleForm):
    """The score the panel agreed for one answer, and why (recorded by the commissioner)."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Up to 500 words. This reason goes in the letter to the bidder."),
    )
    text_field = "reason"
    missing_text = _("Write the reason for the agreed score")

    def __init__(self, *args, criterion_name: str, **kwargs):
        super().__init__(*args, criterion_name=criterion_name, **kwargs)
        self.fields["score"].label = gettext("Agreed score for %(answer)s") % {"answer": criterion_name}
        self.fields["reason"].label = gettext("Reason for the agreed score for %(answer)s") % {"answer": criterion_name}
