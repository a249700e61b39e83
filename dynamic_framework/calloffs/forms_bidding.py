"""Forms for a provider's bid: lots and prices, answers, the supply chain, and a subcontractor's answer.

The forms turn what was typed into the content services.save_bid takes (money in pence, percentages in basis points:
15% is 1500) and check only what the typing can get wrong; services.clean_bid_content does the real checking (prices
not above the published values, word limits, the supply chain) and its errors are shown on the same fields.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.money import MoneyError, parse_pounds, percent_text, pounds_text

from .services import PAYMENT_TERMS, SHARE_TYPES

MAX_SUPPLY_CHAIN = 10

#: Plain-English hints for each way of paying a subcontractor.
PAYMENT_TERM_HINTS = {
    "fixed_fee": _("They are paid an agreed amount for their work, whatever the lead provider is paid."),
    "pass_through": _(
        "They get an agreed share of each payment the lead provider receives, passed on when it arrives."
    ),
    "payment_by_results": _(
        "They are paid only if the agreed outcomes are achieved, even when they have done the work. Subcontractors "
        "have gone unpaid when the lead provider missed its targets: agree this only if they can carry that risk."
    ),
}
MATERIAL_HINT = _(
    "Say yes if your bid depends on them: they deliver a large or essential part of the service. The commissioner "
    "looks more closely at material subcontractors."
)
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def price_field_name(lot_id, financial_year) -> str:
    return f"price_{lot_id}_{financial_year}"


def parse_percent(text: str) -> int:
    """'15' or '12.5%' -> basis points (1500, 1250). More than 0, at most 100, at most 2 decimal places."""
    cleaned = (text or "").strip().replace("%", "").replace(" ", "")
    if not cleaned:
        raise forms.ValidationError(_("Enter their share as a percentage"))
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise forms.ValidationError(_("Enter their share as a number, like 15 or 12.5")) from exc
    if not value.is_finite():
        raise forms.ValidationError(_("Enter their share as a number, like 15 or 12.5"))
    if value.as_tuple().exponent < -2:
        raise forms.ValidationError(_("Enter a percentage with no more than 2 decimal places"))
    if value <= 0:
        raise forms.ValidationError(_("Their share must be more than 0%"))
    if value > 100:
        raise forms.ValidationError(_("Their share cannot be more than 100%"))
    return int(value * 100)


def _pounds(text, message) -> int:
    try:
        return parse_pounds(text)
    except MoneyError as exc:
        if str(exc).startswith("Amount must be in pounds and pence"):
            raise forms.ValidationError(_("Enter an amount in pounds and pence, like 1500 or 1500.50")) from exc
        raise forms.ValidationError(message) from exc


class PricesForm(forms.Form):
    """A checkbox for each lot the organisation may lead, and a price for each of its financial years."""

    def __init__(self, *args, lots, eligible_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = [lot for lot in lots if lot.pk in eligible_ids]
        for lot in self.lots:
            self.fields[f"lot_{lot.pk}"] = forms.BooleanField(
                label=_("Bid for lot %(n)s: %(name)s") % {"n": lot.position, "name": lot.name}, required=False
            )
            for year in lot.years.all():
                self.fields[price_field_name(lot.pk, year.financial_year)] = forms.CharField(
                    label=_("Your price for %(year)s, in pounds") % {"year": year.label},
                    required=False,
                    max_length=30,
                )

    @staticmethod
    def initial_from(content: dict) -> dict:
        initial = {}
        for lot_id, lot in (content.get("lots") or {}).items():
            initial[f"lot_{lot_id}"] = True
            for year, pence in (lot.get("years") or {}).items():
                initial[price_field_name(lot_id, year)] = pounds_text(pence)
        return initial

    def clean(self):
        cleaned = super().clean()
        self.priced = {}
        for lot in self.lots:
            if not cleaned.get(f"lot_{lot.pk}"):
                continue
            years = {}
            for year in lot.years.all():
                name = price_field_name(lot.pk, year.financial_year)
                text = (cleaned.get(name) or "").strip()
                if not text:
                    continue
                try:
                    pence = _pounds(text, _("Enter a price in pounds for %(year)s, like 90000") % {"year": year.label})
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
                    continue
                if pence <= 0:
                    self.add_error(name, _("Enter a price of more than £0 for %(year)s") % {"year": year.label})
                    continue
                years[str(year.financial_year)] = pence
            self.priced[str(lot.pk)] = {"years": years}
        return cleaned

    def lots_content(self) -> dict:
        """The lots part of the bid's content (call after is_valid)."""
        return self.priced


class AnswersForm(forms.Form):
    """An answer to each quality question and, when it carries marks, the social value question."""

    def __init__(self, *args, call_off, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=_("Question %(n)s") % {"n": question.position},
                required=False,
                widget=forms.Textarea(attrs={"rows": 10}),
                max_length=50_000,
            )
        self.social_value = bool(call_off.social_value_weight)
        if self.social_value:
            self.fields["social_value"] = forms.CharField(
                label=_("Social value"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                max_length=50_000,
            )

    @staticmethod
    def initial_from(content: dict) -> dict:
        initial = {f"answer_{pk}": text for pk, text in (content.get("answers") or {}).items()}
        initial["social_value"] = content.get("social_value") or ""
        return initial

    def content(self) -> dict:
        answers = {}
        for question in self.questions:
            text = (self.cleaned_data.get(f"answer_{question.pk}") or "").strip()
            if text:
                answers[str(question.pk)] = text
        out = {"answers": answers}
        if self.social_value:
            out["social_value"] = (self.cleaned_data.get("social_value") or "").strip()
        return out


class SupplyChainRowForm(forms.Form):
    """One member of the supply chain (prefix "sc-<row>")."""

    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Organisation name"), required=False, max_length=200)
    role = forms.CharField(
        label=_("What they will do"),
        help_text=_("For example, mentoring for women leaving prison, or running the Durham drop-in."),
        required=False,
        max_length=300,
    )
    share_type = forms.ChoiceField(
        label=_("Their share of the value"),
        choices=list(SHARE_TYPES.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    share_value = forms.CharField(
        label=_("Their share"),
        help_text=_(
            "As you chose above: a percentage of the value, like 15 or 12.5, or an amount in pounds over the whole "
            "term, like 25000."
        ),
        required=False,
        max_length=30,
    )
    payment_terms = forms.ChoiceField(
        label=_("How they will be paid"),
        choices=list(PAYMENT_TERMS.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    material = forms.ChoiceField(
        label=_("Are they a material subcontractor?"),
        help_text=MATERIAL_HINT,
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    TEXT_FIELDS = ("name", "role", "share_value")

    def __init__(self, *args, chosen_names: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        #: organisation id -> name, for rows whose organisation was chosen from those on the service.
        self.chosen_names = chosen_names or {}

    @staticmethod
    def initial_from(entry: dict) -> dict:
        initial = {
            "organisation": entry.get("organisation"),
            "name": entry.get("name") or "",
            "role": entry.get("role") or "",
            "share_type": entry.get("share_type") or "",
            "payment_terms": entry.get("payment_terms") or "",
            "material": "yes" if entry.get("material") else "no",
        }
        if entry.get("share_type") == "percent" and entry.get("share_value"):
            initial["share_value"] = percent_text(entry["share_value"])
        elif entry.get("share_type") == "amount" and entry.get("share_value"):
            initial["share_value"] = pounds_text(entry["share_value"])
        return initial

    def values(self) -> dict:
        """What was typed, unchecked (to show the row again after adding or removing one)."""
        return {name: self[name].value() for name in self.fields}

    def is_blank(self) -> bool:
        values = self.values()
        return not any((values.get(name) or "").strip() for name in self.TEXT_FIELDS) and not any(
            values.get(name) for name in ("organisation", "share_type", "payment_terms", "material")
        )

    @property
    def chosen_organisation(self):
        """(id, name) when this row's organisation was chosen from those on the service, else None."""
        value = self.values().get("organisation")
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
        name = self.chosen_names.get(pk)
        return (pk, name) if name else None

    def clean(self):
        cleaned = super().clean()
        chosen = self.chosen_organisation
        if chosen is None:
            cleaned["organisation"] = None
            if not (cleaned.get("name") or "").strip():
                self.add_error("name", _("Enter the organisation's name"))
        if not (cleaned.get("role") or "").strip():
            self.add_error("role", _("Say what they will do"))
        share_type = cleaned.get("share_type")
        text = (cleaned.get("share_value") or "").strip()
        if not share_type:
            self.add_error("share_type", _("Choose whether their share is a percentage or an amount in pounds"))
        elif share_type == "percent":
            try:
                cleaned["share"] = parse_percent(text)
            except forms.ValidationError as exc:
                self.add_error("share_value", exc)
        elif not text:
            self.add_error("share_value", _("Enter their share in pounds"))
        else:
            try:
                pence = _pounds(text.replace("£", ""), _("Enter their share in pounds, like 25000"))
            except forms.ValidationError as exc:
                self.add_error("share_value", exc)
            else:
                if pence <= 0:
                    self.add_error("share_value", _("Their share must be more than £0"))
                cleaned["share"] = pence
        if not cleaned.get("payment_terms"):
            self.add_error("payment_terms", _("Choose how they will be paid"))
        if not cleaned.get("material"):
            self.add_error("material", _("Say whether they are a material subcontractor"))
        return cleaned

    def entry(self) -> dict:
        """The supply chain entry for services.save_bid (call after is_valid)."""
        data = self.cleaned_data
        entry = {
            "role": data["role"].strip(),
            "share_type": data["share_type"],
            "share_value": data["share"],
            "payment_terms": data["payment_terms"],
            "material": data["material"] == "yes",
        }
        chosen = self.chosen_organisation
        if chosen is not None:
            entry["organisation"] = chosen[0]
        else:
            entry["name"] = data["name"].strip()
        return entry


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find an organisation on the service"),
        help_text=_("Type part of its name, then select Find."),
        required=False,
        max_length=200,
    )


class InvitationResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Will your organisation take part?"),
        choices=[
            ("confirm", _("Yes, we confirm we will take part on these terms")),
            ("decline", _("No, we will not take part")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether your organisation will take part")},
    )
