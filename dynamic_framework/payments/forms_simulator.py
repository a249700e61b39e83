"""The simulator page's form: a GET form (the set-up is in the query string, so results can be shared and
bookmarked). Amounts in pounds, shares in percent, results as whole numbers; it builds a simulator.Setup and maps
the simulator's field errors (simulator.SetupError) back to its own fields.

Field names: results; lead-mechanism, lead-value, lead-fixed_share, lead-fee, lead-target, lead-expected, lead-good,
lead-bad; and for each subcontractor slot s1 to s5: s1-name, s1-terms, s1-share, s1-protected_fee, s1-fee,
s1-target, s1-conditional, s1-expected, s1-good, s1-bad. A slot is used when its terms are chosen.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from dynamic_framework.core.money import MoneyError, parse_pounds, percent_text, pounds_text

from . import simulator
from .simulator import (
    LEAD_MECHANISMS,
    MAX_SUBCONTRACTORS,
    MEMBER_TERMS,
    RESULT_LABELS,
    LeadSetup,
    MemberSetup,
    Setup,
    SetupError,
    YearResults,
)

NOT_USED = "none"
MAX_INPUT = 20  # characters: no amount, share or count needs more
SLOTS = [f"s{i}" for i in range(1, MAX_SUBCONTRACTORS + 1)]
MONEY, PERCENT, COUNT, OPTIONAL_COUNT, TEXT = "money", "percent", "count", "optional_count", "text"

LEAD_FIELDS = {
    # name: (kind, label, hint, path in the simulator's errors)
    "value": (MONEY, _("Yearly value, in pounds"), _("For a fixed fee, a grant or a hybrid."), "yearly_value_pence"),
    "fixed_share": (
        PERCENT,
        _("Fixed share, in percent"),
        _("Hybrids only: the share of the yearly value paid whatever the results, like 90."),
        "fixed_share_bp",
    ),
    "fee": (
        MONEY,
        _("Fee for each result, in pounds"),
        _("For payment by results or a hybrid: what the contract pays the lead provider for each result."),
        "fee_pence",
    ),
    "target": (
        OPTIONAL_COUNT,
        _("Target: the number of results needed to be paid"),
        _(
            "For payment by results or a hybrid. It counts the results of the whole supply chain. Leave it empty "
            "if there is no target."
        ),
        "target",
    ),
}
MEMBER_FIELDS = {
    "share": (
        PERCENT,
        _("Pass-through share, in percent"),
        _("Pass-through only: the share of the lead provider's payment passed on, like 25."),
        "share_bp",
    ),
    "protected_fee": (
        MONEY,
        _("Protected fee for the year, in pounds"),
        _("Protected fixed fee only: paid whatever happens."),
        "protected_fee_pence",
    ),
    "fee": (
        MONEY,
        _("Fee for each of its results, in pounds"),
        _("Payment by results only: what the lead provider pays this subcontractor for each of its results."),
        "fee_pence",
    ),
    "target": (
        OPTIONAL_COUNT,
        _("Its own target: the number of its results needed to be paid"),
        _("Payment by results only. Leave it empty if it has no target of its own."),
        "target",
    ),
}
YEAR_FIELDS = {
    "expected": (COUNT, _("Expected year"), None, "results.expected"),
    "good": (OPTIONAL_COUNT, _("Good year"), None, "results.good"),
    "bad": (OPTIONAL_COUNT, _("Bad year"), None, "results.bad"),
}

WHAT = {
    "fixed_share": _("the fixed share"),
    "share": _("the share"),
    "target": _("the target"),
    "expected": _("the expected year's results"),
    "good": _("the good year's results"),
    "bad": _("the bad year's results"),
}


def _input(label, hint=None, classes="govuk-input--width-10"):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.TextInput(attrs={"classes": classes, "spellcheck": "false"}),
    )


def _radios(label, choices):
    return forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)


class SimulatorForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["results"] = _radios(
            _("What counts as a result"),
            [(kind.value, str(label).capitalize()) for kind, label in RESULT_LABELS.items()],
        )
        f["lead-mechanism"] = _radios(
            _("How the contract pays the lead provider"),
            [(k.value, label) for k, (label, _h) in LEAD_MECHANISMS.items()],
        )
        for name, (_kind, label, hint, _path) in LEAD_FIELDS.items():
            f[f"lead-{name}"] = _input(label, hint)
        for name, (_kind, label, hint, _path) in YEAR_FIELDS.items():
            f[f"lead-{name}"] = _input(label, hint, "govuk-input--width-5")
        for slot in SLOTS:
            f[f"{slot}-name"] = forms.CharField(
                label=_("Name"),
                help_text=_("Optional. Any name, to tell the subcontractors apart."),
                required=False,
                widget=forms.TextInput(attrs={"classes": "govuk-input--width-20"}),
            )
            f[f"{slot}-terms"] = _radios(
                _("How the lead provider pays it"),
                [*((k.value, label) for k, (label, _h) in MEMBER_TERMS.items()), (NOT_USED, _("Leave it out"))],
            )
            for name, (_kind, label, hint, _path) in MEMBER_FIELDS.items():
                f[f"{slot}-{name}"] = _input(label, hint)
            f[f"{slot}-conditional"] = forms.BooleanField(label=_("Conditional on the lead provider"), required=False)
            for name, (_kind, label, hint, _path) in YEAR_FIELDS.items():
                f[f"{slot}-{name}"] = _input(label, hint, "govuk-input--width-5")
        self.setup: Setup | None = None
        self.scenario: simulator.Scenario | None = None

    # What the template needs --------------------------------------------------------------------------------

    def radio_items(self, name: str, explanations: dict) -> list[dict]:
        """The radios' items with a plain-English hint for each choice."""
        value = self[name].value()
        items = []
        for choice, label in self.fields[name].choices:
            item = {"value": choice, "text": str(label), "checked": str(value) == choice}
            if choice in explanations:
                item["hint"] = {"text": explanations[choice][1]}
            items.append(item)
        return items

    def slot_used(self, slot: str) -> bool:
        return self[f"{slot}-terms"].value() in {t.value for t in simulator.MemberTerms}

    def worked_out_years(self) -> bool:
        return bool(self.setup) and any(
            value is None
            for party in (self.setup.lead, *self.setup.members)
            for value in (party.results.good, party.results.bad)
        )

    # Checking -----------------------------------------------------------------------------------------------

    def _parse(self, name: str, kind: str):
        raw = (self.data.get(name) or "").strip() if self.is_bound else ""
        if len(raw) > MAX_INPUT:
            self.add_error(name, _("Enter no more than %(count)s characters") % {"count": MAX_INPUT})
            return None
        label = str(WHAT.get(name.split("-", 1)[1], _("the amount")))
        if kind == MONEY:
            if not raw:
                return 0
            try:
                return parse_pounds(raw)
            except MoneyError as exc:
                self.add_error(name, str(exc))
                return None
        if kind == PERCENT:
            if not raw:
                return 0
            try:
                percent = Decimal(raw.rstrip("%").strip())
            except InvalidOperation:
                percent = None
            if percent is None or not percent.is_finite():
                self.add_error(name, _("Enter %(what)s as a percentage, like 25 or 12.5") % {"what": label})
                return None
            if not 0 <= percent <= 100:
                self.add_error(name, _("Enter %(what)s from 0%% to 100%%") % {"what": label})
                return None
            if percent.as_tuple().exponent < -2:
                self.add_error(name, _("Enter %(what)s with no more than 2 decimal places") % {"what": label})
                return None
            return int(percent * 100)
        # counts
        if not raw:
            return None if kind == OPTIONAL_COUNT else 0
        cleaned = raw.replace(",", "")
        if cleaned.startswith("-") and cleaned[1:].isdigit():
            self.add_error(name, _("Enter %(what)s as 0 or more") % {"what": label})
            return None
        if not (cleaned.isascii() and cleaned.isdigit()):
            self.add_error(name, _("Enter %(what)s as a whole number, like 40") % {"what": label})
            return None
        return int(cleaned)

    def _years(self, prefix: str) -> YearResults:
        values = {year: self._parse(f"{prefix}-{year}", kind) for year, (kind, *_rest) in YEAR_FIELDS.items()}
        return YearResults(expected=values["expected"] or 0, good=values["good"], bad=values["bad"])

    def clean(self):
        data = super().clean()
        lead_values = {name: self._parse(f"lead-{name}", kind) for name, (kind, *_r) in LEAD_FIELDS.items()}
        lead = LeadSetup(
            mechanism=data.get("lead-mechanism") or "",
            yearly_value_pence=lead_values["value"] or 0,
            fixed_share_bp=lead_values["fixed_share"] or 0,
            fee_pence=lead_values["fee"] or 0,
            target=lead_values["target"],
            results=self._years("lead"),
        )
        members = []
        self._slots = []  # the slot of each subcontractor in the set-up
        for slot in SLOTS:
            terms = data.get(f"{slot}-terms") or ""
            values = {name: self._parse(f"{slot}-{name}", kind) for name, (kind, *_r) in MEMBER_FIELDS.items()}
            results = self._years(slot)
            if terms == NOT_USED:
                continue
            if not terms:
                filled = [
                    n for n in (*MEMBER_FIELDS, *YEAR_FIELDS, "name") if (self.data.get(f"{slot}-{n}") or "").strip()
                ]
                if filled:
                    self.add_error(
                        f"{slot}-terms",
                        _("Choose how the lead provider pays this subcontractor, or choose ‘Leave it out’"),
                    )
                continue
            members.append(
                MemberSetup(
                    terms=terms,
                    name=data.get(f"{slot}-name") or "",
                    share_bp=values["share"] or 0,
                    protected_fee_pence=values["protected_fee"] or 0,
                    fee_pence=values["fee"] or 0,
                    target=values["target"],
                    conditional_on_prime=bool(data.get(f"{slot}-conditional")),
                    results=results,
                )
            )
            self._slots.append(slot)
        if self.errors:
            return data
        setup = Setup(result_kind=data.get("results") or "", lead=lead, members=tuple(members))
        try:
            self.scenario = simulator.build(setup)
        except SetupError as exc:
            for path, messages in exc.errors.items():
                name = self.field_for(path)
                for message in messages:
                    self.add_error(name, message)
            return data
        self.setup = setup
        return data

    def field_for(self, path: str) -> str | None:
        """The form field a simulator error path is about (None: the whole form)."""
        if path == "result_kind":
            return "results"
        parts = path.split(".")
        if parts[0] == "lead_provider":
            prefix, rest = "lead", parts[1:]
            table = LEAD_FIELDS
        elif parts[0] == "subcontractors" and len(parts) > 2:
            prefix, rest = self._slots[int(parts[1])], parts[2:]
            table = MEMBER_FIELDS
        else:
            return None
        key = ".".join(rest)
        for name, (*_r, field_path) in {**table, **YEAR_FIELDS}.items():
            if field_path == key:
                return f"{prefix}-{name}"
        return f"{prefix}-{key}" if f"{prefix}-{key}" in self.fields else None


def initial_for(setup: Setup) -> dict:
    """The form's initial values for a set-up (the Transforming Rehabilitation example when the page opens)."""

    def pounds(pence):
        return pounds_text(pence or None)

    def count(value):
        return "" if value is None else str(value)

    lead = setup.lead
    out = {
        "results": setup.result_kind,
        "lead-mechanism": lead.mechanism,
        "lead-value": pounds(lead.yearly_value_pence),
        "lead-fixed_share": percent_text(lead.fixed_share_bp),
        "lead-fee": pounds(lead.fee_pence),
        "lead-target": count(lead.target),
        "lead-expected": count(lead.results.expected),
        "lead-good": count(lead.results.good),
        "lead-bad": count(lead.results.bad),
    }
    for slot, member in zip(SLOTS, setup.members, strict=False):
        out.update(
            {
                f"{slot}-name": member.name,
                f"{slot}-terms": member.terms,
                f"{slot}-share": percent_text(member.share_bp),
                f"{slot}-protected_fee": pounds(member.protected_fee_pence),
                f"{slot}-fee": pounds(member.fee_pence),
                f"{slot}-target": count(member.target),
                f"{slot}-conditional": member.conditional_on_prime,
                f"{slot}-expected": count(member.results.expected),
                f"{slot}-good": count(member.results.good),
                f"{slot}-bad": count(member.results.bad),
            }
        )
    return out
