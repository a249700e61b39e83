"""Forms for the supply chain pages: choosing and proposing a change, deciding it, and payments.

Finding an organisation: the lead provider types its name. If an organisation on the service has exactly that name
(or another name of it), that is the one. If some have a similar name, they are listed to choose from; if none is
the right one (or none was found), ticking "not listed" adds the organisation to the service by that name, marked as
not checked yet, as naming a subcontractor in a bid does. A small charity's partners are often not on the service.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.forms import DateField, DateParamsMixin
from dynamic_framework.core.money import MoneyError, parse_pounds

from .models import PaymentTerms, ShareType, SupplyChainChange

Kind = SupplyChainChange.Kind
KIND_HINTS = {
    Kind.ADD: _("An organisation joins the supply chain."),
    Kind.REMOVE: _("A member leaves. Removing a material subcontractor needs the commissioner's approval."),
    Kind.REPLACE: _(
        "A member leaves and another organisation takes its place. Replacing a material subcontractor needs the "
        "commissioner's approval."
    ),
    Kind.CHANGE_TERMS: _("What a member does, its share of the value, how it is paid, or whether it is material."),
}
PAYMENT_TERM_HINTS = {
    PaymentTerms.FIXED_FEE: _("The same amount whatever happens, for example each month or each quarter."),
    PaymentTerms.PASS_THROUGH: _("The member is paid its share of each payment the lead provider receives."),
    PaymentTerms.PAYMENT_BY_RESULTS: _("Some or all of the payment depends on the results achieved."),
}


class ChooseKindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to change?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you want to change")},
    )


def parse_share(share_type: str, text: str) -> int:
    """'25' or '25.5' (percent) -> basis points; '£20,000' (amount) -> pence."""
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Enter the share"))
    if share_type == ShareType.PERCENT:
        try:
            value = Decimal(text.rstrip("%").strip())
        except InvalidOperation as exc:
            raise ValidationError(_("Enter the share as a percentage, like 25 or 12.5")) from exc
        if not value.is_finite() or value.as_tuple().exponent < -2:
            raise ValidationError(_("Enter the share as a percentage, like 25 or 12.5"))
        return int(value * 100)
    try:
        return parse_pounds(text)
    except MoneyError as exc:
        raise ValidationError(str(exc)) from exc


class ChangeForm(DateParamsMixin, forms.Form):
    """One change of a given kind. `members`: the current members to choose from (remove, replace, change terms);
    `found`: organisations whose names match what was typed (add, replace)."""

    member = forms.ChoiceField(
        label=_("Which member?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the member of the supply chain this change is about")},
    )
    organisation_name = forms.CharField(
        label=_("The organisation's name"),
        max_length=200,
        required=False,
        help_text=_("Its name as registered, for example with the Charity Commission or Companies House."),
    )
    organisation = forms.ChoiceField(
        label=_("Organisations on the service with a name like that"), required=False, widget=forms.RadioSelect
    )
    not_listed = forms.BooleanField(
        label=_("It is not in the list: add it to the service by the name I typed"), required=False
    )
    service = forms.CharField(
        label=_("What will the organisation do?"),
        max_length=300,
        required=False,
        help_text=_("In plain words, for example 'key workers at the women's centre'."),
    )
    share_type = forms.ChoiceField(
        label=_("How is its share of the value set?"),
        choices=ShareType.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    share_value = forms.CharField(
        label=_("Its share"),
        required=False,
        help_text=_("A percentage of the contract's value (like 25), or an amount in pounds (like 20,000)."),
    )
    payment_terms = forms.ChoiceField(
        label=_("How will it be paid?"), choices=PaymentTerms.choices, widget=forms.RadioSelect, required=False
    )
    material = forms.ChoiceField(
        label=_("Is it a material subcontractor?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "A material subcontractor is one the service depends on, named in the contract: removing or replacing "
            "it needs the commissioner's approval."
        ),
    )
    effective_on = DateField(
        label=_("When does the change take effect?"),
        what=_("the date the change takes effect"),
        help_text=_(
            "The first day of the new arrangement: a member removed from 1 6 2027 has 31 May 2027 as its last day. "
            "For example, 1 6 2027"
        ),
    )
    reason = forms.CharField(
        label=_("Why is the supply chain changing?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the supply chain is changing")},
        help_text=_("The organisations concerned and the commissioner see this."),
    )

    TERMS = ("service", "share_type", "share_value", "payment_terms", "material")

    def __init__(self, *args, kind, members=(), found=(), initial_member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.found = list(found)
        if kind == Kind.ADD:
            del self.fields["member"]
        else:
            self.fields["member"].choices = [(str(m.pk), m.organisation.name) for m in members]
            if kind == Kind.REMOVE:
                self.fields["member"].label = _("Which member is leaving?")
            elif kind == Kind.REPLACE:
                self.fields["member"].label = _("Which member is being replaced?")
            else:
                self.fields["member"].label = _("Whose terms are changing?")
            if initial_member is not None:
                self.fields["member"].initial = str(initial_member)
        if kind in (Kind.ADD, Kind.REPLACE):
            self.fields["organisation"].choices = [(str(o.pk), o.name) for o in self.found]
            if kind == Kind.REPLACE:
                self.fields["organisation_name"].label = _("The name of the organisation taking its place")
        else:
            for name in ("organisation_name", "organisation", "not_listed"):
                del self.fields[name]
        if kind == Kind.REMOVE:
            for name in self.TERMS:
                del self.fields[name]
        elif kind == Kind.CHANGE_TERMS:
            self.fields["service"].label = _("What will the member do?")
            self.fields["service"].help_text = _("Give all its terms as they will be, even those that stay the same.")

    def clean(self):
        data = super().clean()
        if "share_value" in self.fields:
            share_type = data.get("share_type")
            if not share_type:
                self.add_error(
                    "share_type", _("Say whether the share is a percentage of the value or an amount in pounds")
                )
            else:
                try:
                    data["share_value_parsed"] = parse_share(share_type, data.get("share_value"))
                except ValidationError as exc:
                    self.add_error("share_value", exc)
            if not data.get("payment_terms"):
                self.add_error("payment_terms", _("Choose how the organisation will be paid"))
            if not data.get("material"):
                self.add_error("material", _("Say whether the organisation is a material subcontractor"))
            if not (data.get("service") or "").strip():
                self.add_error(
                    "service", _("Say what the organisation will do, for example 'peer mentoring for women'")
                )
        typed = (data.get("organisation_name") or "").strip()
        if "organisation_name" in self.fields and not data.get("organisation") and not typed:
            self.add_error("organisation_name", _("Give the name of the organisation joining the supply chain"))
        return data

    def terms(self) -> dict | None:
        if "service" not in self.fields:
            return None
        data = self.cleaned_data
        return {
            "service": data.get("service", ""),
            "share_type": data.get("share_type", ""),
            "share_value": data.get("share_value_parsed"),
            "payment_terms": data.get("payment_terms", ""),
            "material": data.get("material") == "yes",
        }

    @staticmethod
    def initial_terms(member) -> dict:
        if member is None:
            return {}
        if member.share_type == ShareType.PERCENT and member.share_value:
            share = str(Decimal(member.share_value) / 100).rstrip("0").rstrip(".")
        elif member.share_type == ShareType.AMOUNT and member.share_value:
            share = f"{Decimal(member.share_value) / 100:,.2f}".removesuffix(".00")
        else:
            share = ""
        return {
            "service": member.service,
            "share_type": member.share_type,
            "share_value": share,
            "payment_terms": member.payment_terms,
            "material": "yes" if member.material else "no",
        }


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("approve", _("Approve the change")), ("refuse", _("Refuse the change"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you approve or refuse the change")},
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed either way. The lead provider and the subcontractor see them."),
        error_messages={"required": _("Give your reasons: the lead provider and the subcontractor are told")},
    )


def _amount(text) -> int:
    try:
        return parse_pounds(text)
    except MoneyError as exc:
        raise ValidationError(str(exc)) from exc


class PaymentForm(DateParamsMixin, forms.Form):
    invoice_reference = forms.CharField(
        label=_("Invoice reference (optional)"),
        max_length=100,
        required=False,
        help_text=_("The subcontractor's invoice number, if it has one."),
    )
    invoiced_on = DateField(
        label=_("Date of the invoice"), what=_("the date of the invoice"), help_text=_("For example, 15 6 2026")
    )
    amount = forms.CharField(
        label=_("Amount invoiced, in pounds"), error_messages={"required": _("Enter the amount invoiced")}
    )
    paid_on = DateField(
        label=_("Date paid (leave empty if not paid yet)"),
        what=_("the date paid"),
        required=False,
        help_text=_("For example, 10 7 2026"),
    )

    def clean_amount(self):
        amount = _amount(self.cleaned_data["amount"])
        if amount <= 0:
            raise ValidationError(_("Enter the amount invoiced, more than £0"))
        return amount


class MarkPaidForm(DateParamsMixin, forms.Form):
    paid_on = DateField(label=_("Date paid"), what=_("the date paid"), help_text=_("For example, 10 7 2026"))
