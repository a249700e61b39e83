"""Forms for the public Opportunities pages: the list's filters (also used by the API and the Atom feed), email
alerts without an account, and a provider's question. Services do the real checking."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FundingMechanism

#: The statuses the public sees. Internal steps after the deadline (panel, scores, recommendation, standstill)
#: are all "closed for bids" to the public: the winners are shown only once the award is confirmed.
PUBLIC_STATUSES = {
    "open": _("Open for bids"),
    "closed": _("Closed for bids"),
    "awarded": _("Awarded"),
    "cancelled": _("Cancelled"),
    "no_award": _("Closed with no award"),
}
STATUS_FILTER_CHOICES = [
    ("", _("Any status")),
    ("open", _("Open for bids now")),
    ("closed", _("Closed for bids")),
    ("awarded", _("Awarded")),
    ("cancelled", _("Cancelled")),
    ("no_award", _("Closed with no award")),
]
QUESTION_WORD_LIMIT = 300


@dataclass(frozen=True)
class OpportunityFilters:
    category: str = ""
    region: str = ""
    pcc_area: str = ""
    funding: str = ""
    status: str = ""

    @property
    def active(self) -> bool:
        return any((self.category, self.region, self.pcc_area, self.funding, self.status))

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


class OpportunityFilterForm(forms.Form):
    """The list's filters (GET). The page, the feed and the API accept and refuse the same values."""

    category = forms.ChoiceField(
        label=_("Service category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a service category from the list")},
    )
    region = forms.ChoiceField(
        label=_("Probation region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a probation region from the list")},
    )
    pcc_area = forms.ChoiceField(
        label=_("Police and Crime Commissioner area"),
        required=False,
        error_messages={"invalid_choice": _("Choose a Police and Crime Commissioner area from the list")},
    )
    funding = forms.ChoiceField(
        label=_("Grant or contract"),
        required=False,
        choices=[("", _("Grants and contracts")), *FundingMechanism.choices],
        error_messages={"invalid_choice": _("Choose grant or contract")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=STATUS_FILTER_CHOICES,
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )

    def __init__(self, *args, categories, regions, pcc_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category")), *((c.slug, c.name) for c in categories)]
        self.fields["region"].choices = [("", _("Any region")), *((r.code, r.name) for r in regions)]
        self.fields["pcc_area"].choices = [("", _("Any area")), *((a.slug, a.name) for a in pcc_areas)]

    def filters(self) -> OpportunityFilters:
        """The filters from the valid fields (an invalid field is left out and shown as an error)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return OpportunityFilters(**{name: data.get(name) or "" for name in self.fields})


class AlertForm(forms.Form):
    """Email alerts without an account. No category means every category; no area means everywhere."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will send a link to this address: no alerts are sent until you open it"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
            "max_length": _("The email address must be 254 characters or fewer"),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("What services do you want to hear about?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply. Select none to hear about every kind of service."),
        error_messages={"invalid_choice": _("Choose service categories from the list")},
    )
    pcc_areas = forms.MultipleChoiceField(
        label=_("Where do you want to work?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all the areas that apply. Select none to hear about opportunities everywhere."),
        error_messages={"invalid_choice": _("Choose areas from the list")},
    )

    def __init__(self, *args, categories, pcc_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self._categories = {c.slug: c for c in categories}
        self._areas = {a.slug: a for a in pcc_areas}
        self.fields["categories"].choices = [(c.slug, c.name) for c in categories]
        self.fields["pcc_areas"].choices = [(a.slug, a.name) for a in pcc_areas]

    def chosen_categories(self) -> list:
        return [self._categories[slug] for slug in self.cleaned_data.get("categories") or []]

    def chosen_areas(self) -> list:
        return [self._areas[slug] for slug in self.cleaned_data.get("pcc_areas") or []]


class AskForm(forms.Form):
    organisation = forms.ChoiceField(
        label=_("Which organisation are you asking for?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the organisation you are asking for"),
            "invalid_choice": _("Select one of your organisations"),
        },
    )
    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Up to %(limit)s words. Do not include your organisation's name if you do not want it to be known: "
            "the commissioner may reword the question before publishing it."
        )
        % {"limit": QUESTION_WORD_LIMIT},
        error_messages={"required": _("Enter your question")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self._organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.single = organisations[0] if len(organisations) == 1 else None
        if self.single is not None:
            del self.fields["organisation"]  # nothing to choose

    def chosen_organisation(self):
        if self.single is not None:
            return self.single
        return self._organisations[self.cleaned_data["organisation"]]
