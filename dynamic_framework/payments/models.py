"""Payments: what a contract pays and how (its terms), what each supply chain member is owed under its subcontract,
monthly payment statements from delivery figures, and providers' full-cost-recovery checks.

The arithmetic lives in engine.py (pure Python, integer pence, stated rounding); these models store its inputs and
results."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from . import costs as cost_rules  # the costs part's limits and arithmetic

# Costs part: a provider's full-cost-recovery check (see costs.py for the arithmetic, ADR 0018)


class CostCheck(models.Model):
    """A provider's own costs set against a call-off's values and volumes, year by year.

    Private to the organisation's members. Shared anonymously with commissioners from `shared_at` (an explicit opt-in
    by `shared_by`) until withdrawn (both cleared). A shared check needs a service category and a region, so that it
    can be counted in the commissioners' aggregate; the organisation's name is never shown there."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="cost_checks")
    lot = models.ForeignKey(
        "calloffs.Lot", null=True, blank=True, on_delete=models.SET_NULL, related_name="cost_checks"
    )
    category = models.ForeignKey(
        "categories.ServiceCategory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("geography.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="cost_check_title"),
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True, shared_by__isnull=True)
                | Q(shared_at__isnull=False, shared_by__isnull=False),
                name="cost_check_shared_with_who",
            ),
            models.CheckConstraint(
                condition=Q(shared_at__isnull=True) | Q(category__isnull=False, region__isnull=False),
                name="cost_check_shared_needs_category_and_region",
            ),
            models.CheckConstraint(condition=Q(updated_at__gte=F("created_at")), name="cost_check_updated_after"),
        ]
        indexes = [models.Index(fields=["category", "region", "shared_at"], name="cost_check_shared_idx")]

    def __str__(self):
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None


class CostCheckYear(models.Model):
    """One financial year of a check: the call-off's value and contracted volume, the people the organisation
    actually expects to support, and its own full costs (in pence)."""

    cost_check = models.ForeignKey(CostCheck, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2026 means 2026-27.")
    value_pence = models.BigIntegerField()
    contracted_people = models.PositiveIntegerField()
    expected_people = models.PositiveIntegerField()
    staff_pence = models.BigIntegerField(default=0)
    premises_pence = models.BigIntegerField(default=0)
    overheads_pence = models.BigIntegerField(default=0)
    volunteers_pence = models.BigIntegerField(default=0)
    other_pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["cost_check", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["cost_check", "financial_year"], name="cost_check_year_unique"),
            models.CheckConstraint(
                condition=Q(financial_year__gte=cost_rules.FIRST_YEAR, financial_year__lte=cost_rules.LAST_YEAR),
                name="cost_check_year_sensible",
            ),
            models.CheckConstraint(condition=Q(value_pence__gte=0), name="cost_check_year_value"),
            models.CheckConstraint(
                condition=Q(contracted_people__gte=1, expected_people__gte=1), name="cost_check_year_people"
            ),
            models.CheckConstraint(
                condition=Q(
                    staff_pence__gte=0,
                    premises_pence__gte=0,
                    overheads_pence__gte=0,
                    volunteers_pence__gte=0,
                    other_pence__gte=0,
                ),
                name="cost_check_year_costs",
            ),
        ]

    def __str__(self):
        return f"{self.cost_check}: {self.label}"

    @property
    def label(self) -> str:
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}"

    def figures(self) -> "cost_rules.YearFigures":
        return cost_rules.YearFigures(**{name: getattr(self, name) for name in cost_rules.YEAR_FIELDS})


# Statements part: payment terms per contract and per subcontract, monthly payment statements (ADR 0016)
#
# The terms are the engine's inputs as data (engine.ContractTerms and engine.Subcontract); the statements store the
# delivery figures they were worked out from and the engine's results, in pence. Status comes from the recorded
# times and people (submitted, approved, returned), never a free-text status; every change goes through services.py.

INSTALMENT_CHOICES = [("monthly", "Monthly"), ("quarterly", "Quarterly")]
MECHANISM_CHOICES = [
    ("fixed_fee", "A fixed fee"),
    ("grant", "A grant"),
    ("per_person_started", "A fee for each person who starts"),
    ("per_person_completed", "A fee for each person who completes"),
    ("outcomes", "Outcome payments"),
    ("hybrid", "A fixed share plus results fees (hybrid)"),
]
SUBCONTRACT_TERMS_CHOICES = [
    ("pass_through", "A share of what the lead provider is paid (pass-through)"),
    ("protected_fixed_fee", "A protected fixed fee"),
    ("payment_by_results", "Payment by results"),
]
MEASURE_CHOICES = [
    ("started", "People who started"),
    ("completed", "People who completed"),
    ("outcomes", "Outcomes achieved"),
]


def _target_complete(prefix: str = "target") -> Q:
    return Q(**{f"{prefix}_measure": "", f"{prefix}_count__isnull": True}) | (
        Q(**{f"{prefix}_measure__in": ["started", "completed", "outcomes"], f"{prefix}_count__gte": 0})
    )


class ContractPaymentTerms(models.Model):
    """How a contract pays its lead provider (one set per contract, changed in place; the audit log keeps the
    history). Outcome fees are in ContractOutcomeFee."""

    contract = models.OneToOneField("contracts.Contract", on_delete=models.CASCADE, related_name="payment_terms")
    mechanism = models.CharField(max_length=30, choices=MECHANISM_CHOICES)
    instalments = models.CharField(max_length=10, choices=INSTALMENT_CHOICES, default="monthly")
    fixed_share_bp = models.PositiveIntegerField(default=0, help_text="Hybrids: the fixed share, 9000 is 90%.")
    per_start_pence = models.BigIntegerField(default=0)
    per_completion_pence = models.BigIntegerField(default=0)
    target_measure = models.CharField(max_length=10, choices=MEASURE_CHOICES, blank=True)
    target_count = models.PositiveIntegerField(null=True, blank=True, help_text="The target for each month.")
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(mechanism__in=[c for c, _ in MECHANISM_CHOICES]), name="contract_terms_mechanism_valid"
            ),
            models.CheckConstraint(
                condition=Q(instalments__in=["monthly", "quarterly"]), name="contract_terms_instalments_valid"
            ),
            models.CheckConstraint(
                condition=Q(fixed_share_bp__lte=10_000, per_start_pence__gte=0, per_completion_pence__gte=0),
                name="contract_terms_amounts_valid",
            ),
            models.CheckConstraint(condition=_target_complete(), name="contract_terms_target_complete"),
        ]

    def __str__(self):
        return f"Payment terms of {self.contract}"

    @property
    def every_months(self) -> int:
        return 3 if self.instalments == "quarterly" else 1


class ContractOutcomeFee(models.Model):
    """What the contract pays for each desired outcome achieved."""

    terms = models.ForeignKey(ContractPaymentTerms, on_delete=models.CASCADE, related_name="outcome_fees")
    outcome = models.ForeignKey("categories.DesiredOutcome", on_delete=models.PROTECT, related_name="+")
    amount_pence = models.BigIntegerField()

    class Meta:
        ordering = ["terms", "outcome__description"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "outcome"], name="contract_outcome_fee_once"),
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="contract_outcome_fee_positive"),
        ]

    def __str__(self):
        return f"{self.outcome} in {self.terms}"


class SubcontractPaymentTerms(models.Model):
    """How the lead provider pays one supply chain member (one set per member). Outcome fees (payment by results)
    are in SubcontractOutcomeFee."""

    member = models.OneToOneField(
        "contracts.SupplyChainMember", on_delete=models.CASCADE, related_name="subcontract_terms"
    )
    terms = models.CharField(max_length=30, choices=SUBCONTRACT_TERMS_CHOICES)
    share_bp = models.PositiveIntegerField(default=0, help_text="Pass-through: the share, 2500 is 25%.")
    protected_yearly_pence = models.BigIntegerField(
        default=0, help_text="Protected fixed fee: a year's amount, paid in the contract's instalments."
    )
    per_start_pence = models.BigIntegerField(default=0)
    per_completion_pence = models.BigIntegerField(default=0)
    target_measure = models.CharField(max_length=10, choices=MEASURE_CHOICES, blank=True)
    target_count = models.PositiveIntegerField(null=True, blank=True)
    conditional_on_prime = models.BooleanField(default=False)
    set_at = models.DateTimeField(default=timezone.now)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(terms__in=[c for c, _ in SUBCONTRACT_TERMS_CHOICES]), name="subcontract_terms_valid"
            ),
            models.CheckConstraint(
                condition=Q(share_bp__lte=10_000, protected_yearly_pence__gte=0)
                & Q(per_start_pence__gte=0, per_completion_pence__gte=0),
                name="subcontract_terms_amounts_valid",
            ),
            models.CheckConstraint(condition=_target_complete(), name="subcontract_terms_target_complete"),
        ]

    def __str__(self):
        return f"Subcontract terms of {self.member}"


class SubcontractOutcomeFee(models.Model):
    terms = models.ForeignKey(SubcontractPaymentTerms, on_delete=models.CASCADE, related_name="outcome_fees")
    outcome = models.ForeignKey("categories.DesiredOutcome", on_delete=models.PROTECT, related_name="+")
    amount_pence = models.BigIntegerField()

    class Meta:
        ordering = ["terms", "outcome__description"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "outcome"], name="subcontract_outcome_fee_once"),
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="subcontract_outcome_fee_positive"),
        ]

    def __str__(self):
        return f"{self.outcome} in {self.terms}"


class PaymentStatement(models.Model):
    """What a contract pays for one month (period: the first day of the month), worked out from delivery figures.

    An adjustment (adjusts set) corrects an approved statement: its figures are the corrected figures, its amounts
    the difference from what was approved for that month before (so they may be negative). Status: approved when
    approved_at is set; waiting for the commissioner when submitted_at is set; otherwise a draft (returned_at and
    return_reason say why the commissioner sent it back, if it did)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="payment_statements")
    period = models.DateField(help_text="The first day of the month.")
    adjusts = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments")
    entered_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_reason = models.TextField(blank=True)
    prime_reached_target = models.BooleanField(null=True, blank=True)
    fixed_pence = models.BigIntegerField(default=0)
    results_pence = models.BigIntegerField(default=0)
    received_pence = models.BigIntegerField(default=0)
    supply_chain_due_pence = models.BigIntegerField(default=0)
    prime_keeps_pence = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["contract_id", "-period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period"], condition=Q(adjusts__isnull=True), name="payment_statement_one_a_month"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True, submitted_by__isnull=True)
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="payment_statement_submitted_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False, submitted_at__isnull=False),
                name="payment_statement_approved_by_someone_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True, returned_by__isnull=True, return_reason="")
                | (Q(returned_at__isnull=False, returned_by__isnull=False) & ~Q(return_reason="")),
                name="payment_statement_returned_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(received_pence=F("fixed_pence") + F("results_pence"))
                & Q(received_pence=F("supply_chain_due_pence") + F("prime_keeps_pence")),
                name="payment_statement_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(adjusts__isnull=False)
                | Q(fixed_pence__gte=0, results_pence__gte=0, supply_chain_due_pence__gte=0),
                name="payment_statement_original_not_negative",
            ),
        ]

    def __str__(self):
        kind = "Adjustment to the statement" if self.adjusts_id else "Statement"
        return f"{kind} for {self.period:%B %Y}, {self.contract.reference}"

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None and self.approved_at is None

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None

    @property
    def status(self) -> str:
        if self.approved_at is not None:
            return "approved"
        if self.submitted_at is not None:
            return "waiting"
        if self.returned_at is not None:
            return "returned"
        return "draft"


class DeliveryFigures(models.Model):
    """What one deliverer did in the statement's month: the lead provider's own work (member empty) or a supply
    chain member's, with the provider's note of its evidence. Outcomes are in DeliveryOutcome."""

    statement = models.ForeignKey(PaymentStatement, on_delete=models.CASCADE, related_name="figures")
    member = models.ForeignKey(
        "contracts.SupplyChainMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    evidence = models.TextField(blank=True, help_text="Where the figures come from, e.g. the case records checked.")

    class Meta:
        ordering = ["statement", "member__organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement"], condition=Q(member__isnull=True), name="delivery_figures_lead_once"
            ),
            models.UniqueConstraint(
                fields=["statement", "member"], condition=Q(member__isnull=False), name="delivery_figures_member_once"
            ),
        ]

    def __str__(self):
        return f"Figures for {self.statement}"


class DeliveryOutcome(models.Model):
    figures = models.ForeignKey(DeliveryFigures, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.ForeignKey("categories.DesiredOutcome", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["figures", "outcome__description"]
        constraints = [models.UniqueConstraint(fields=["figures", "outcome"], name="delivery_outcome_once")]

    def __str__(self):
        return f"{self.count} × {self.outcome}"


class StatementLine(models.Model):
    """What one supply chain member is due under its terms for the statement's month, with the engine's reason.
    A payment the lead provider made against it is a contracts.SubcontractorPayment (so it counts in the payment
    timeliness measure)."""

    statement = models.ForeignKey(PaymentStatement, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey("contracts.SupplyChainMember", on_delete=models.PROTECT, related_name="statement_lines")
    terms = models.CharField(max_length=30, choices=SUBCONTRACT_TERMS_CHOICES)
    adjustment = models.BooleanField(default=False, help_text="A line of an adjustment: may be negative.")
    fixed_part_pence = models.BigIntegerField(default=0)
    results_part_pence = models.BigIntegerField(default=0)
    due_pence = models.BigIntegerField(default=0)
    reason = models.TextField(blank=True)
    payment = models.OneToOneField(
        "contracts.SubcontractorPayment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statement_line",
    )

    class Meta:
        ordering = ["statement", "member__organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "member"], name="statement_line_once"),
            models.CheckConstraint(
                condition=Q(due_pence=F("fixed_part_pence") + F("results_part_pence")), name="statement_line_adds_up"
            ),
            models.CheckConstraint(
                condition=Q(adjustment=True) | Q(fixed_part_pence__gte=0, results_part_pence__gte=0),
                name="statement_line_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.member.organisation} in {self.statement}"
