"""Forms for the notices pages (views/notices.py). The services (contracts/notices.py) do the real checking; these
turn what was typed into their arguments and show their refusals on the right fields (add_service_errors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.geography.models import Region

from .models import LotType, Notice
from .notices import NOTE_MAX_LENGTH, TITLE_MAX_LENGTH

YES_NO = [("yes", _("Yes")), ("no", _("No"))]

CASCADE_HINT = _(
    "Choose yes if every organisation in each contract's supply chain needs to know. The lead provider must pass it "
    "on within 5 working days, and the service measures whether they do."
)
PUBLIC_HINT = _(
    "Public notices are also shown on the public notices page, for anyone to read. The seeds ask that operational "
    "guidance is published by default."
)


class SendNoticeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of notice is it?"),
        widget=forms.RadioSelect,
        choices=Notice.Kind.choices,
        error_messages={"required": _("Choose what kind of notice this is")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Enter a title"),
            "max_length": _("The title must be %(limit_value)s characters or fewer"),
        },
    )
    body = forms.CharField(
        label=_("What the notice says"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter what the notice says")},
    )
    contracts = forms.MultipleChoiceField(
        label=_("Which contracts is it about?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lead provider of each contract you choose is sent the notice."),
        error_messages={
            "required": _("Choose at least one contract"),
            "invalid_choice": _("Choose contracts in the regions you commission for"),
        },
    )
    cascade_required = forms.ChoiceField(
        label=_("Must the lead providers pass it on to their supply chains?"),
        widget=forms.RadioSelect,
        choices=YES_NO,
        help_text=CASCADE_HINT,
        error_messages={"required": _("Choose whether it must be passed on")},
    )
    public = forms.ChoiceField(
        label=_("Publish it on the public notices page?"),
        widget=forms.RadioSelect,
        choices=YES_NO,
        initial="yes",
        help_text=PUBLIC_HINT,
        error_messages={"required": _("Choose whether to publish it")},
    )

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contract_list = list(contracts)
        self.fields["contracts"].choices = [(c.reference, c.reference) for c in self.contract_list]

    def service_kwargs(self) -> dict:
        chosen = set(self.cleaned_data["contracts"])
        return {
            "kind": self.cleaned_data["kind"],
            "title": self.cleaned_data["title"],
            "body": self.cleaned_data["body"],
            "contracts": [c for c in self.contract_list if c.reference in chosen],
            "cascade_required": self.cleaned_data["cascade_required"] == "yes",
            "public": self.cleaned_data["public"] == "yes",
        }


class ContractFilterForm(forms.Form):
    """The GET form narrowing the contracts shown on the send page."""

    region = forms.ChoiceField(label=_("Region"), required=False)
    lot_type = forms.ChoiceField(label=_("Service"), required=False, choices=[("", _("Any service")), *LotType.choices])
    q = forms.CharField(label=_("Provider, area or reference contains"), required=False, max_length=100)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All your regions"))] + [(r.code, r.name) for r in regions]


class PublicFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of notice"), required=False, choices=[("", _("Any kind")), *Notice.Kind.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (r.code, r.name) for r in Region.objects.order_by("name")
        ]


class MeasureFilterForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions"))] + [
            (r.code, r.name) for r in Region.objects.order_by("name")
        ]


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=_("A note to your supply chain (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example, what it means for your work together. They see it with the notice."),
        error_messages={"max_length": _("The note must be %(limit_value)s characters or fewer")},
    )
