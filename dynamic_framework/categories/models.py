"""Service categories: the 14 of the Dynamic Framework, and the HMPPS referral categories behind them."""

from django.db import models


class ServiceCategory(models.Model):
    """One of the 14 Dynamic Framework service categories: a need (such as housing) or a cohort (such as women)."""

    class Kind(models.TextChoices):
        NEED = "need", "Need"
        COHORT = "cohort", "Cohort"

    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    grouping = models.CharField(max_length=200, blank=True, help_text="How and when it has been commissioned.")
    source = models.CharField(max_length=300, blank=True)
    referral_categories = models.ManyToManyField("ReferralCategory", related_name="framework_categories", blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name_plural = "service categories"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["need", "cohort"]), name="service_category_kind_valid"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="service_category_number_positive"),
        ]

    def __str__(self):
        return self.name


class ReferralCategory(models.Model):
    """An HMPPS referral service category. The 8 core ones have no core_category; regional variants point to theirs."""

    hmpps_id = models.UUIDField(unique=True)
    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    core_category = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="variants")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "referral categories"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(core_category=models.F("id")), name="referral_category_not_own_core"
            )
        ]

    def __str__(self):
        return self.name

    @property
    def is_core(self) -> bool:
        return self.core_category_id is None


class DesiredOutcome(models.Model):
    """An outcome a person on probation can achieve in a referral category. Retired outcomes are kept for history."""

    hmpps_id = models.UUIDField(unique=True)
    referral_category = models.ForeignKey(ReferralCategory, on_delete=models.PROTECT, related_name="desired_outcomes")
    description = models.TextField()
    retired_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["referral_category__name", "retired_on", "description"]

    def __str__(self):
        return self.description

    @property
    def is_current(self) -> bool:
        return self.retired_on is None


class ComplexityLevel(models.Model):
    class Level(models.TextChoices):
        LOW = "LOW", "Low"
        MEDIUM = "MEDIUM", "Medium"
        HIGH = "HIGH", "High"

    referral_category = models.ForeignKey(ReferralCategory, on_delete=models.PROTECT, related_name="complexity_levels")
    level = models.CharField(max_length=6, choices=Level.choices)
    title = models.CharField(max_length=100)
    description = models.TextField()

    class Meta:
        ordering = ["referral_category__name", "level"]
        constraints = [
            models.UniqueConstraint(fields=["referral_category", "level"], name="complexity_level_unique_per_category"),
            models.CheckConstraint(
                condition=models.Q(level__in=["LOW", "MEDIUM", "HIGH"]), name="complexity_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.referral_category}: {self.title}"

    @property
    def sort_key(self) -> int:
        return ["LOW", "MEDIUM", "HIGH"].index(self.level)
