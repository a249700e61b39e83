"""Forms for the payment terms and statements pages. They turn what people type (pounds, percentages) into pence and
basis points; every other check is the service's (payments/services.py), whose field names they share."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from dynamic_framework.core.forms import DateField, DateParamsMixin
from dynamic_framework.core.money import MoneyError, parse_pounds, percent_text, pounds_text

from . import services
from .models import INSTALMENT_CHOICES, MEASURE_CHOICES, MECHANISM_CHOICES, SUBCONTRACT_TERMS_CHOICES

MECHANISM_HINTS = {
    "fixed_fee": "The year's value paid in equal instalments, monthly or quarterly, at the end of each period, "
    "whatever the results.",
    "grant": "A grant agreement: the year's value in instalments paid at the start of each period, with no "
    "conditions on results.",
    "per_person_started": "A fee for each person who starts the service in the month.",
    "per_person_completed": "A fee for each person who completes the service in the month.",
    "outcomes": "An amount for each outcome people achieve in the month (the outcomes of the contract's service "
    "categories).",
    "hybrid": "A fixed share of the year's value in instalments (for example 90%), plus results fees for the rest.",
}
SUBCONTRACT_HINTS = {
    "pass_through": "Back-to-back: the member gets its share of what the lead provider is paid for the member's own "
    "work, and the same share of the lead provider's fixed payment. If the lead provider is not paid, neither is "
    "the member.",
    "protected_fixed_fee": "A fixed amount each year, paid in the contract's instalments whatever the results: the "
    "lead provider carries the risk.",
    "payment_by_results": "The member's own fees for its own results, paid when it reaches its own target (if it has "
    "one).",
}
MEASURE_LABELS = dict(MEASURE_CHOICES)


def _pence(text: str, what: str) -> int:
    text = (text or "").strip()
    if not text:
        return 0
    try:
        return parse_pounds(text)
    except MoneyError as exc:
        raise ValidationError(f"Enter {what} in pounds, like 250 or 1,500.50") from exc


def _percent_bp(text: str, what: str) -> int:
    text = (text or "").strip().rstrip("%").strip()
    if not text:
        return 0
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(f"Enter {what} as a percentage, like 90 or 12.5") from exc
    if not value.is_finite() or value.as_tuple().exponent < -2 or value < 0:
        raise ValidationError(f"Enter {what} as a percentage, like 90 or 12.5")
    return int(value * 100)


def optional_pounds_text(pence: int | None) -> str:
    """An optional fee's box: blank when there is no fee."""
    return pounds_text(pence or None)


class _TermsForm(forms.Form):
    """Shared by the contract's and a subcontract's terms: results fees, outcome fees and a target."""

    per_start = forms.CharField(label="Fee per person who starts, in pounds (optional)", required=False)
    per_completion = forms.CharField(label="Fee per person who completes, in pounds (optional)", required=False)
    target_measure = forms.ChoiceField(
        label="Target for each month (optional)",
        choices=[("", "No target"), *MEASURE_CHOICES],
        required=False,
        help_text="With a target, results fees are paid only in a month whose figures reach it.",
    )
    target_count = forms.CharField(label="The number the month's figures must reach", required=False)

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = list(outcomes)
        for outcome in self.outcomes:
            self.fields[f"outcome_{outcome.pk}"] = forms.CharField(
                label=f"{outcome.description} ({outcome.referral_category.name}), in pounds",
                required=False,
            )

    def outcome_fields(self):
        return [self[f"outcome_{o.pk}"] for o in self.outcomes]

    def clean_per_start(self):
        return _pence(self.cleaned_data["per_start"], "the fee per person who starts")

    def clean_per_completion(self):
        return _pence(self.cleaned_data["per_completion"], "the fee per person who completes")

    def clean(self):
        data = super().clean()
        fees = {}
        for outcome in self.outcomes:
            name = f"outcome_{outcome.pk}"
            try:
                pence = _pence(self.data.get(self.add_prefix(name), ""), "the fee for this outcome")
            except ValidationError as exc:
                self.add_error(name, exc)
                continue
            if pence:
                fees[outcome.pk] = pence
        data["outcome_fees"] = fees
        return data

    def common(self) -> dict:
        data = self.cleaned_data
        return {
            "per_start_pence": data["per_start"],
            "per_completion_pence": data["per_completion"],
            "outcome_fees": data["outcome_fees"],
            "target_measure": data["target_measure"],
            "target_count": data["target_count"].strip() or None,
        }


COMMON_RENAMES = {
    "per_start_pence": "per_start",
    "per_completion_pence": "per_completion",
}


class ContractTermsForm(_TermsForm):
    mechanism = forms.ChoiceField(
        label="How does the contract pay the lead provider?",
        choices=MECHANISM_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the contract pays"},
    )
    instalments = forms.ChoiceField(
        label="Instalments of the fixed part",
        choices=INSTALMENT_CHOICES,
        widget=forms.RadioSelect,
        initial="monthly",
        help_text="Fixed fees, grants and the fixed share of a hybrid are paid in instalments of the year's value.",
        error_messages={"required": "Choose monthly or quarterly instalments"},
    )
    fixed_share = forms.CharField(
        label="Fixed share of a hybrid, as a percentage (only for a hybrid)",
        required=False,
        help_text="For example 90 for a 90/10 hybrid: 90% paid in instalments, the rest earned by results.",
    )
    field_order = ["mechanism", "instalments", "fixed_share", "per_start", "per_completion"]

    def clean_fixed_share(self):
        return _percent_bp(self.cleaned_data["fixed_share"], "the fixed share")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "mechanism": data["mechanism"],
            "instalments": data["instalments"],
            "fixed_share_bp": data["fixed_share"],
            **self.common(),
        }

    renames = {**COMMON_RENAMES, "fixed_share_bp": "fixed_share"}

    @staticmethod
    def initial_for(terms) -> dict:
        if terms is None:
            return {"instalments": "monthly"}
        initial = {
            "mechanism": terms.mechanism,
            "instalments": terms.instalments,
            "fixed_share": percent_text(terms.fixed_share_bp),
            "per_start": optional_pounds_text(terms.per_start_pence),
            "per_completion": optional_pounds_text(terms.per_completion_pence),
            "target_measure": terms.target_measure,
            "target_count": terms.target_count or "",
        }
        for fee in terms.outcome_fees.all():
            initial[f"outcome_{fee.outcome_id}"] = optional_pounds_text(fee.amount_pence)
        return initial


class SubcontractTermsForm(_TermsForm):
    terms = forms.ChoiceField(
        label="How does the lead provider pay this member?",
        choices=SUBCONTRACT_TERMS_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the subcontract pays"},
    )
    share = forms.CharField(
        label="Pass-through share, as a percentage (only for pass-through)",
        required=False,
        help_text="For example 25: the member gets 25% of what the lead provider is paid for its work.",
    )
    protected_yearly = forms.CharField(
        label="Protected fee for a year, in pounds (only for a protected fixed fee)", required=False
    )
    conditional_on_prime = forms.BooleanField(
        label="Pay the member's results only when the lead provider reaches its own target (the Transforming "
        "Rehabilitation rule)",
        required=False,
    )
    field_order = ["terms", "share", "protected_yearly", "per_start", "per_completion"]

    def clean_share(self):
        return _percent_bp(self.cleaned_data["share"], "the share")

    def clean_protected_yearly(self):
        return _pence(self.cleaned_data["protected_yearly"], "the protected fee")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "terms": data["terms"],
            "share_bp": data["share"],
            "protected_yearly_pence": data["protected_yearly"],
            "conditional_on_prime": data["conditional_on_prime"],
            **self.common(),
        }

    renames = {**COMMON_RENAMES, "share_bp": "share", "protected_yearly_pence": "protected_yearly"}

    @staticmethod
    def initial_for(terms) -> dict:
        if terms is None:
            return {}
        initial = {
            "terms": terms.terms,
            "share": percent_text(terms.share_bp),
            "protected_yearly": optional_pounds_text(terms.protected_yearly_pence),
            "per_start": optional_pounds_text(terms.per_start_pence),
            "per_completion": optional_pounds_text(terms.per_completion_pence),
            "target_measure": terms.target_measure,
            "target_count": terms.target_count or "",
            "conditional_on_prime": terms.conditional_on_prime,
        }
        for fee in terms.outcome_fees.all():
            initial[f"outcome_{fee.outcome_id}"] = optional_pounds_text(fee.amount_pence)
        return initial


class FiguresForm(forms.Form):
    """A month's figures: for the lead provider's own work and each member with terms, people who started, people
    who completed, outcomes (those with a fee) and a note of the evidence. The counts are text: the service says
    what is wrong with them."""

    def __init__(self, *args, deliverers=(), outcomes=(), periods=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.deliverers = list(deliverers)  # [(member or None, name)]
        self.outcomes = list(outcomes)
        if periods is not None:
            self.fields["period"] = forms.ChoiceField(
                label="Which month are the figures for?",
                choices=[("", "Choose a month"), *[(p.isoformat(), services.month_label(p)) for p in periods]],
                error_messages={"required": "Choose the month the figures are for"},
            )
        for member, _name in self.deliverers:
            prefix = services.field_prefix(member)
            self.fields[f"{prefix}started"] = forms.CharField(label="People who started", required=False)
            self.fields[f"{prefix}completed"] = forms.CharField(label="People who completed", required=False)
            for outcome in self.outcomes:
                self.fields[f"{prefix}outcome_{outcome.pk}"] = forms.CharField(
                    label=f"Outcomes achieved: {outcome.description}", required=False
                )
            self.fields[f"{prefix}evidence"] = forms.CharField(
                label="Evidence",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Where the figures come from, for example the case records or attendance registers checked.",
            )

    def groups(self):
        for member, name in self.deliverers:
            prefix = services.field_prefix(member)
            yield {
                "name": name,
                "member": member,
                "started": self[f"{prefix}started"],
                "completed": self[f"{prefix}completed"],
                "outcomes": [self[f"{prefix}outcome_{o.pk}"] for o in self.outcomes],
                "evidence": self[f"{prefix}evidence"],
            }

    def clean_period(self):
        from datetime import date

        try:
            return date.fromisoformat(self.cleaned_data["period"])
        except ValueError as exc:
            raise ValidationError("Choose the month the figures are for") from exc

    def figures(self) -> dict:
        data = self.cleaned_data
        result = {}
        for member, _name in self.deliverers:
            prefix = services.field_prefix(member)
            result[member.pk if member else services.LEAD_KEY] = {
                "started": data.get(f"{prefix}started", ""),
                "completed": data.get(f"{prefix}completed", ""),
                "outcomes": {o.pk: data.get(f"{prefix}outcome_{o.pk}", "") for o in self.outcomes},
                "evidence": data.get(f"{prefix}evidence", ""),
            }
        return result

    @staticmethod
    def initial_for(statement) -> dict:
        initial = {}
        if statement is None:
            return initial
        initial["period"] = statement.period.isoformat()
        for row in statement.figures.all():
            prefix = services.field_prefix(row.member_id)
            initial[f"{prefix}started"] = row.started
            initial[f"{prefix}completed"] = row.completed
            initial[f"{prefix}evidence"] = row.evidence
            for outcome in row.outcomes.all():
                initial[f"{prefix}outcome_{outcome.outcome_id}"] = outcome.count
        return initial


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[("approve", "Approve the statement"), ("return", "Send it back to the lead provider")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the statement or send it back"},
    )
    reason = forms.CharField(
        label="If you send it back, say why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The lead provider sees this and can change its figures.",
    )


class LinePaymentForm(DateParamsMixin, forms.Form):
    invoice_reference = forms.CharField(label="Invoice reference (optional)", max_length=100, required=False)
    invoiced_on = DateField(
        label="Date of the invoice (leave empty for the date the statement was approved)",
        what="the date of the invoice",
        required=False,
        help_text="For example, 15 6 2026",
    )
    paid_on = DateField(
        label="Date paid (leave empty if not paid yet)",
        what="the date paid",
        required=False,
        help_text="For example, 10 7 2026",
    )
