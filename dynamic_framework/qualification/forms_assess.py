"""Forms for the assessment pages: the queue's filters, declaring a conflict of interest, assigning, assessing a
section and the decision. The services do the real checking; these forms check what was typed (so that every
error shows at once) and turn it into the services' arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ApplicationCategory, SectionAssessment
from .selectors import QueueFilters


class QueueFilterForm(forms.Form):
    """The queue's filters (GET, kept in the URL)."""

    STATUS_CHOICES = [
        ("", _("Open (not decided yet)")),
        ("submitted", _("Waiting for an assessor")),
        ("in_assessment", _("Being assessed")),
        ("clarification", _("Waiting for the applicant")),
        ("decided", _("Decided")),
        ("withdrawn", _("Withdrawn")),
    ]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=STATUS_CHOICES,
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    assigned_to_me = forms.BooleanField(label=_("Only applications assigned to me"), required=False)
    q = forms.CharField(
        label=_("Organisation or reference"),
        required=False,
        max_length=100,
        help_text=_("All or part of the organisation's name, or the whole application reference"),
        error_messages={"max_length": _("Organisation or reference must be 100 characters or fewer")},
    )

    def filters(self) -> QueueFilters:
        """The filters from the valid fields (an invalid field is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return QueueFilters(
            status=data.get("status") or "",
            assigned_to_me=bool(data.get("assigned_to_me")),
            q=(data.get("q") or "").strip(),
        )

    @property
    def active(self) -> bool:
        filters = self.filters()
        return bool(filters.status or filters.assigned_to_me or filters.q)


class ConflictSearchForm(forms.Form):
    """Find the organisation to declare a conflict with, by name (GET)."""

    find = forms.CharField(
        label=_("Name of the organisation"),
        required=False,
        max_length=200,
        help_text=_("All or part of its name, or another name it is known by"),
        error_messages={"max_length": _("The name must be 200 characters or fewer")},
    )


class ConflictForm(forms.Form):
    """Declare a conflict of interest with one of the organisations found."""

    organisation = forms.ChoiceField(
        label=_("Which organisation?"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose the organisation from the list")},
    )
    reason = forms.CharField(
        label=_("What is the conflict of interest?"),
        widget=forms.Textarea,
        required=False,
        help_text=_("For example: I am a trustee of this charity, or my partner works there. Up to 200 words."),
    )

    def __init__(self, *args, matches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = list(matches)
        self.fields["organisation"].choices = [(org.slug, org.name) for org in self.matches]

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and "organisation" not in self.errors:
            self.add_error("organisation", _("Choose the organisation"))
        if not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", _("Say what the conflict of interest is"))
        return data

    def organisation_items(self) -> list[dict]:
        """Radio items with each organisation's register numbers as a hint, to tell similar names apart."""
        chosen = self["organisation"].value()
        items = []
        for org in self.matches:
            item = {"value": org.slug, "text": org.name, "checked": org.slug == chosen}
            numbers = ", ".join(ident.org_id for ident in org.identifiers.all())
            if numbers:
                item["hint"] = {"text": numbers}
            items.append(item)
        return items

    def chosen_organisation(self):
        slug = self.cleaned_data.get("organisation")
        return next((org for org in self.matches if org.slug == slug), None)


class AssignForm(forms.Form):
    """Choose who assesses the application. People with a conflict are shown, marked, and refused by the service."""

    assessor = forms.ChoiceField(
        label=_("Who should assess this application?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose an assessor from the list"),
            "invalid_choice": _("Choose an assessor from the list"),
        },
    )

    def __init__(self, *args, assessors=(), conflicted_ids=frozenset(), workloads=None, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assessors = list(assessors)
        self.conflicted_ids = set(conflicted_ids)
        self.workloads = workloads or {}
        self.organisation = organisation
        self.fields["assessor"].choices = [(user.email, user.full_name or user.email) for user in self.assessors]

    def assessor_items(self) -> list[dict]:
        chosen = self["assessor"].value()
        items = []
        for user in self.assessors:
            open_count = self.workloads.get(user.pk, 0)
            hint = [
                user.email,
                ngettext("%(count)s open application", "%(count)s open applications", open_count)
                % {"count": open_count},
            ]
            if user.pk in self.conflicted_ids:
                hint.append(
                    str(_("Has a conflict of interest with %(org)s: cannot assess it")) % {"org": self.organisation}
                )
            items.append(
                {
                    "value": user.email,
                    "text": user.full_name or user.email,
                    "checked": user.email == chosen,
                    "hint": {"text": ". ".join(hint)},
                }
            )
        return items

    def chosen_assessor(self):
        email = self.cleaned_data.get("assessor")
        return next((user for user in self.assessors if user.email == email), None)


class AssessSectionForm(forms.Form):
    """Pass, fail or clarification needed, with a note (required unless it passes)."""

    outcome = forms.ChoiceField(
        label=_("Your assessment of this section"),
        widget=forms.RadioSelect,
        choices=SectionAssessment.Outcome.choices,
        error_messages={
            "required": _("Select pass, fail or clarification needed"),
            "invalid_choice": _("Select pass, fail or clarification needed"),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea,
        required=False,
        help_text=_(
            "For a fail: why it fails, written for the applicant. For clarification needed: your question to the "
            "applicant. For a pass you can leave it empty. Up to 500 words."
        ),
    )

    HINTS = {
        SectionAssessment.Outcome.PASS: _("The answers meet what the framework needs"),
        SectionAssessment.Outcome.FAIL: _("The answers do not meet what the framework needs"),
        SectionAssessment.Outcome.CLARIFICATION: _(
            "Ask the applicant a question: we send it to them, they answer it in the service, and the application "
            "comes back to you"
        ),
    }

    def clean(self):
        data = super().clean()
        outcome, note = data.get("outcome"), (data.get("note") or "").strip()
        if not note and "note" not in self.errors:
            if outcome == SectionAssessment.Outcome.FAIL:
                self.add_error("note", _("Say why the section fails"))
            elif outcome == SectionAssessment.Outcome.CLARIFICATION:
                self.add_error("note", _("Write the question for the applicant"))
        return data

    def outcome_items(self) -> list[dict]:
        chosen = self["outcome"].value()
        return [
            {"value": value, "text": str(label), "checked": value == chosen, "hint": {"text": str(self.HINTS[value])}}
            for value, label in SectionAssessment.Outcome.choices
        ]


class DecisionForm(forms.Form):
    """For each category applied for: qualified or not qualified, with reasons for the applicant. A category that
    cannot be qualified (a section it depends on did not pass) offers only not qualified."""

    def __init__(self, *args, choices=(), qualifying=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = [choice.category for choice in choices]
        self.qualifying = set(qualifying)
        for category in self.categories:
            slug = category.slug
            options = [(ApplicationCategory.Outcome.NOT_QUALIFIED, _("Not qualified"))]
            if slug in self.qualifying:
                options.insert(0, (ApplicationCategory.Outcome.QUALIFIED, _("Qualified")))
            else:
                self.initial.setdefault(f"outcome_{slug}", ApplicationCategory.Outcome.NOT_QUALIFIED)
            self.fields[f"outcome_{slug}"] = forms.ChoiceField(
                label=_("Decision for %(category)s") % {"category": category.name},
                widget=forms.RadioSelect,
                choices=options,
                error_messages={
                    "required": _("Select qualified or not qualified for %(category)s") % {"category": category.name},
                    "invalid_choice": _("%(category)s cannot be qualified: a section it depends on did not pass")
                    % {"category": category.name},
                },
            )
            self.fields[f"reasons_{slug}"] = forms.CharField(
                label=_("Reasons for %(category)s, written for the applicant") % {"category": category.name},
                widget=forms.Textarea,
                required=False,
                help_text=_(
                    "Needed if not qualified: say what was missing, and what would help if they apply again. "
                    "Up to 500 words."
                ),
            )

    def clean(self):
        data = super().clean()
        for category in self.categories:
            slug = category.slug
            outcome = data.get(f"outcome_{slug}")
            reasons = (data.get(f"reasons_{slug}") or "").strip()
            if (
                outcome == ApplicationCategory.Outcome.NOT_QUALIFIED
                and not reasons
                and f"reasons_{slug}" not in self.errors
            ):
                self.add_error(f"reasons_{slug}", _("Write the reasons for %(category)s") % {"category": category.name})
        return data

    def rows(self) -> list[tuple]:
        """(category, outcome field, reasons field) for the template."""
        return [(c, self[f"outcome_{c.slug}"], self[f"reasons_{c.slug}"]) for c in self.categories]

    def decisions(self) -> dict[str, tuple[str, str]]:
        return {
            c.slug: (self.cleaned_data[f"outcome_{c.slug}"], (self.cleaned_data.get(f"reasons_{c.slug}") or "").strip())
            for c in self.categories
        }
