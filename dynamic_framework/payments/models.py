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
