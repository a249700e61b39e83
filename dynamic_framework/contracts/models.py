"""Commissioning rounds, awards, contracts and their supply chains.

An award is one decision: one lead provider, one value. It covers one or more contracts; each contract is
for one lot: one PCC area, or one whole region. An award line naming three PCC areas is three contracts
sharing the award's value. Supply chain members (subcontractors) hang off the contract.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LotType(models.TextChoices):
    """What a contract buys. The service categories (1 to 14) each lot type covers are in LOT_SERVICE_CATEGORIES."""

    WOMENS_SERVICES = "womens_services", _("Women's services")
    PERSONAL_WELLBEING = "personal_wellbeing", _("Personal wellbeing")
    ACCOMMODATION = "accommodation", _("Accommodation")
    EDUCATION_TRAINING_EMPLOYMENT = "education_training_employment", _("Education, training and employment")
    FINANCE_BENEFIT_DEBT = "finance_benefit_debt", _("Finance, benefit and debt")
    DEPENDENCY_RECOVERY = "dependency_recovery", _("Dependency and recovery")
    MENTORING = "mentoring", _("Mentoring and peer support")
    # Categories 10 to 14, bought through call-offs after the day-one contracts
    YOUNG_ADULTS = "young_adults", _("Young adults (18 to 25)")
    RACIALLY_MINORITISED = "black_asian_minority_ethnic", _("Black, Asian and minority ethnic")
    RESTORATIVE_JUSTICE = "restorative_justice", _("Restorative justice")
    COGNITIVE_BEHAVIOURAL_CHANGE = "cognitive_behavioural_change", _("Cognitive and behavioural change")
    SERVICE_USER_INVOLVEMENT = "service_user_involvement", _("Service user involvement")


# Lot type -> the Dynamic Framework's service category numbers (categories/data/framework_categories.csv).
# Accommodation and ETE are categories 1 and 2; finance, benefit and debt 3; dependency and recovery 4.
# Personal wellbeing covers 5 to 8 (family and significant others, lifestyle and associates, emotional
# wellbeing, social inclusion: seed 000 and the HMPPS PWB contract type). Women's services are category 9 (the
# women cohort, which covers every need). Mentoring is HMPPS's MTR type, whose referral category is
# "Lifestyle and Associates" (6).
LOT_SERVICE_CATEGORIES: dict[str, tuple[int, ...]] = {
    "accommodation": (1,),
    "education_training_employment": (2,),
    "finance_benefit_debt": (3,),
    "dependency_recovery": (4,),
    "personal_wellbeing": (5, 6, 7, 8),
    "womens_services": (9,),
    "mentoring": (6,),
    "young_adults": (10,),
    "black_asian_minority_ethnic": (11,),
    "restorative_justice": (12,),
    "cognitive_behavioural_change": (13,),
    "service_user_involvement": (14,),
}


def lot_type_for(category_numbers) -> str:
    """The lot type for what a call-off buys: women's services if it is for the women cohort, else the lot type
    of its first category (categories 5 to 8 are personal wellbeing)."""
    numbers = sorted(set(category_numbers))
    if 9 in numbers:
        return LotType.WOMENS_SERVICES
    by_category = {}
    for lot_type, categories in LOT_SERVICE_CATEGORIES.items():
        for number in categories:
            if lot_type != "mentoring":
                by_category.setdefault(number, lot_type)
    for number in numbers:
        if number in by_category:
            return by_category[number]
    raise ValueError(f"no lot type for categories {numbers}")


class Cohort(models.TextChoices):
    ALL = "", _("Everyone eligible")
    YOUNG_ADULTS = "young_adults", _("Young adults (18 to 25)")
    AGED_26_PLUS = "aged_26_plus", _("Aged 26 and over")


class CommissioningRound(models.Model):
    """A set of awards announced together, e.g. the 2021 national day-one awards."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    announced_on = models.DateField(null=True, blank=True)
    source = models.TextField(blank=True, help_text="Where the facts about this round come from.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists; the default round is 0.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Award(models.Model):
    """One award decision: one lead provider, one value (integer pence), one or more contracts."""

    round = models.ForeignKey(CommissioningRound, on_delete=models.PROTECT, related_name="awards")
    reference = models.CharField(max_length=80, unique=True, help_text="e.g. 2021-line-10")
    line_number = models.PositiveIntegerField(null=True, blank=True, help_text="Line in the source list.")
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="awards")
    lot_type = models.CharField(max_length=40, choices=LotType.choices)
    lead_provider = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="awards_led")
    provider_as_written = models.CharField(max_length=200, blank=True)
    value_pence = models.BigIntegerField(null=True, blank=True, help_text="Null when not published.")
    value_as_written = models.CharField(max_length=50, blank=True)
    subject_to_contract = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    source_text = models.TextField(blank=True, help_text="The award line exactly as published.")

    class Meta:
        ordering = ["round__position", "line_number", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_pence__isnull=True) | Q(value_pence__gte=0), name="award_value_not_negative"
            ),
            models.UniqueConstraint(fields=["round", "line_number"], name="award_line_unique_in_round"),
        ]

    def __str__(self):
        return f"{self.lead_provider} – {self.get_lot_type_display()} – {self.region}"


class Contract(models.Model):
    """One lot of one award: a PCC area, or a whole region when pcc_area is empty."""

    reference = models.CharField(max_length=80, unique=True)
    hmpps_reference = models.CharField(max_length=80, unique=True, null=True, blank=True)
    title = models.CharField(max_length=300, blank=True)
    round = models.ForeignKey(CommissioningRound, on_delete=models.PROTECT, related_name="contracts")
    award = models.ForeignKey(Award, null=True, blank=True, on_delete=models.PROTECT, related_name="contracts")
    lot_type = models.CharField(max_length=40, choices=LotType.choices)
    service_categories = models.ManyToManyField("categories.ServiceCategory", blank=True, related_name="contracts")
    region = models.ForeignKey("geography.Region", on_delete=models.PROTECT, related_name="contracts")
    pcc_area = models.ForeignKey(
        "geography.PccArea", null=True, blank=True, on_delete=models.PROTECT, related_name="contracts"
    )
    cohort = models.CharField(max_length=20, choices=Cohort.choices, blank=True)
    lead_provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_led"
    )
    lead_provider_as_written = models.CharField(
        max_length=200, blank=True, help_text="The lead provider's name as the source wrote it."
    )
    hmpps_contract_type = models.CharField(
        max_length=20, blank=True, help_text="The HMPPS register's contract type code as published, e.g. FBD-B."
    )
    commissioner = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts_commissioned",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    end_date_note = models.CharField(max_length=200, blank=True, help_text="e.g. 'until June 2023' as published")
    referrals_opened_on = models.DateField(
        null=True, blank=True, help_text="When the HMPPS register started showing it (hide_before), as published."
    )
    referrals_closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the HMPPS register stopped taking referrals (hide_after)."
    )
    allows_female = models.BooleanField(null=True, blank=True)
    allows_male = models.BooleanField(null=True, blank=True)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    source = models.TextField(blank=True, help_text="Where the facts about this contract come from.")

    class Meta:
        ordering = ["region__name", "lot_type", "pcc_area__name", "cohort", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(max_age__isnull=True) | Q(min_age__isnull=True) | Q(max_age__gte=models.F("min_age")),
                name="contract_age_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(cohort__in=["", "young_adults", "aged_26_plus"]), name="contract_cohort_valid"
            ),
        ]

    def __str__(self):
        area = self.pcc_area.name if self.pcc_area_id else self.region.name
        cohort = f" ({self.get_cohort_display()})" if self.cohort else ""
        return f"{self.get_lot_type_display()} – {area}{cohort}"

    @property
    def lot_name(self) -> str:
        return self.pcc_area.name if self.pcc_area_id else self.region.name

    @property
    def is_regional(self) -> bool:
        return self.pcc_area_id is None


class SupplyChainMember(models.Model):
    """An organisation in a contract's supply chain (a subcontractor of the lead provider)."""

    class Role(models.TextChoices):
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")
        PARTNER = "partner", _("Partner in a joint lead (e.g. a partnership's member)")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="supply_chain")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="supply_chain_places"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SUBCONTRACTOR)
    name_as_written = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "organisation"], name="supply_chain_member_once_per_contract")
        ]

    def __str__(self):
        return f"{self.organisation} in {self.contract}"
