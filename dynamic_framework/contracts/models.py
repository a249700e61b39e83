"""Commissioning rounds, awards, contracts and their supply chains.

An award is one decision: one lead provider, one value. It covers one or more contracts; each contract is
for one lot: one PCC area, or one whole region. An award line naming three PCC areas is three contracts
sharing the award's value. Supply chain members (subcontractors) hang off the contract.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
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


class FundingMechanism(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    GRANT = "grant", _("Grant agreement")


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
    funding_mechanism = models.CharField(
        max_length=10, choices=FundingMechanism.choices, default=FundingMechanism.CONTRACT
    )
    eligibility = models.TextField(blank=True, help_text="Who the service is for, in plain words.")
    # Status comes from dates and recorded actions: see status.py. Ending early is a termination variation.
    original_end_date = models.DateField(
        null=True, blank=True, help_text="The end date before any extension, for 'in extension'."
    )
    terminated_on = models.DateField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

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
            models.CheckConstraint(
                condition=Q(funding_mechanism__in=["contract", "grant"]), name="contract_funding_mechanism_valid"
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | Q(start_date__isnull=True)
                | Q(terminated_on__gte=models.F("start_date")),
                name="contract_terminated_after_start",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | ~Q(termination_reason=""),
                name="contract_termination_has_reason",
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


class PaymentTerms(models.TextChoices):
    FIXED_FEE = "fixed_fee", _("A fixed fee")
    PASS_THROUGH = "pass_through", _("A share of what the lead provider is paid (pass-through)")
    PAYMENT_BY_RESULTS = "payment_by_results", _("Payment by results")


class ShareType(models.TextChoices):
    PERCENT = "percent", _("A percentage of the value")
    AMOUNT = "amount", _("An amount in pounds")


class SupplyChainMember(models.Model):
    """An organisation's place in a contract's supply chain, from joined_on until left_on.

    A member that leaves keeps its row (history); one that rejoins gets a new row. The share is basis points of
    the contract value (share_type percent: 2500 is 25%) or pence (share_type amount)."""

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
    service = models.CharField(max_length=300, blank=True, help_text="What the member does, in plain words.")
    share_type = models.CharField(max_length=10, choices=ShareType.choices, blank=True)
    share_value = models.BigIntegerField(null=True, blank=True)
    payment_terms = models.CharField(max_length=20, choices=PaymentTerms.choices, blank=True)
    material = models.BooleanField(
        default=False, help_text="A material subcontractor: removing or replacing it needs the commissioner's approval."
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True, help_text="The last day of its part in the contract.")

    class Meta:
        ordering = ["organisation__name", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"],
                condition=Q(left_on__isnull=True),
                name="supply_chain_member_once_per_contract",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="supply_chain_member_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=(Q(share_type="") & Q(share_value__isnull=True))
                | (Q(share_type="percent") & Q(share_value__gt=0) & Q(share_value__lte=10_000))
                | (Q(share_type="amount") & Q(share_value__gt=0)),
                name="supply_chain_member_share_valid",
            ),
            models.CheckConstraint(
                condition=Q(payment_terms__in=["", "fixed_fee", "pass_through", "payment_by_results"]),
                name="supply_chain_member_payment_terms_valid",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.contract}"

    def active_on(self, day) -> bool:
        return (self.joined_on is None or self.joined_on <= day) and (self.left_on is None or self.left_on >= day)


class ContractYear(models.Model):
    """A contract's value and expected number of people in one financial year (April to March).

    When an award covers several contracts (an award line naming several PCC areas) the value is the award's,
    shared by its contracts, as published; contract_value_shared says so."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2026 means 2026-27.")
    value_pence = models.BigIntegerField(null=True, blank=True)
    expected_people = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "financial_year"], name="contract_year_unique"),
            models.CheckConstraint(
                condition=Q(value_pence__isnull=True) | Q(value_pence__gte=0), name="contract_year_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(financial_year__gte=2000, financial_year__lte=2100), name="contract_year_sensible"
            ),
        ]

    def __str__(self):
        return f"{self.contract}: {self.label}"

    @property
    def label(self) -> str:
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}"


class ExtensionOption(models.Model):
    """An option to extend a contract by some months, which must be taken up by a date."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="extension_options")
    position = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    exercise_by = models.DateField(help_text="The last day the option can be taken up.")
    exercised_at = models.DateTimeField(null=True, blank=True)
    exercised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="extension_option_position_unique"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=60), name="extension_option_months"),
            models.CheckConstraint(
                condition=Q(exercised_at__isnull=True) | Q(exercised_by__isnull=False),
                name="extension_option_exercised_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.contract}: option {self.position} ({self.months} months)"


class ContractArea(models.Model):
    """A PCC area a contract serves, from added_on until removed_on (None: still served).

    A PCC-area contract serves its area; a regional contract the region's areas. Variations add and remove
    areas (e.g. "Cumbria until June 2023")."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="areas")
    pcc_area = models.ForeignKey("geography.PccArea", on_delete=models.PROTECT, related_name="contract_areas")
    added_on = models.DateField(null=True, blank=True)
    removed_on = models.DateField(null=True, blank=True, help_text="The last day the area is served.")

    class Meta:
        ordering = ["contract", "pcc_area__name", "added_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "pcc_area"], condition=Q(removed_on__isnull=True), name="contract_area_once"
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True)
                | Q(added_on__isnull=True)
                | Q(removed_on__gte=models.F("added_on")),
                name="contract_area_removed_after_added",
            ),
        ]

    def __str__(self):
        return f"{self.pcc_area} in {self.contract}"


def contract_document_path(instance, filename) -> str:
    return f"contracts/{instance.contract_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class ContractDocument(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=contract_document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    public = models.BooleanField(default=False, help_text="Shown on the public register.")
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "uploaded_at"]

    def __str__(self):
        return self.title


class Variation(models.Model):
    """One recorded change to a contract: who, when, why, what changed (from and to), and from when it applies.

    `changes` maps a field (or "areas", "lead_provider") to {"from": ..., "to": ...} with JSON values (dates as
    ISO strings, money in pence, organisations and areas by id). The register shows a contract as it stood on a
    day by undoing the variations effective after it (see variations.as_at)."""

    class Kind(models.TextChoices):
        EXTEND = "extend", _("Extend (take up an extension option)")
        CHANGE_VALUE = "change_value", _("Change the value")
        CHANGE_END_DATE = "change_end_date", _("Change the end date")
        ADD_AREA = "add_area", _("Add an area")
        REMOVE_AREA = "remove_area", _("Remove an area")
        NOVATE = "novate", _("Novate to another provider")
        TERMINATE = "terminate", _("Terminate")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField(help_text="1 for the contract's first variation, and so on.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective_on = models.DateField()
    reason = models.TextField()
    changes = models.JSONField(default=dict)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="variation_number_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="variation_has_reason"),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "extend",
                        "change_value",
                        "change_end_date",
                        "add_area",
                        "remove_area",
                        "novate",
                        "terminate",
                    ]
                ),
                name="variation_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference} variation {self.number}"


class SupplyChainChange(models.Model):
    """A lead provider's proposal to change its supply chain: add a member, remove one, replace one with another,
    or change a member's terms. Removing or replacing a material subcontractor waits for the commissioner's
    decision; everything else applies when proposed. The member is told in the service when it is proposed,
    before it takes effect (effective_on)."""

    class Kind(models.TextChoices):
        ADD = "add", _("Add a member")
        REMOVE = "remove", _("Remove a member")
        REPLACE = "replace", _("Replace a member")
        CHANGE_TERMS = "change_terms", _("Change a member's terms")

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="supply_chain_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    member = models.ForeignKey(
        SupplyChainMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
        help_text="The member removed, replaced or whose terms change.",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The organisation added (or the replacement).",
    )
    terms = models.JSONField(default=dict, help_text="service, share_type, share_value, payment_terms, material")
    effective_on = models.DateField()
    reason = models.TextField()
    proposed_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    needs_approval = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved = models.BooleanField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "proposed_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="supply_chain_change_has_reason"),
            models.CheckConstraint(
                condition=Q(kind__in=["add", "remove", "replace", "change_terms"]),
                name="supply_chain_change_kind_valid",
            ),
            models.CheckConstraint(
                condition=(Q(decided_at__isnull=True) & Q(approved__isnull=True) & Q(decided_by__isnull=True))
                | (Q(decided_at__isnull=False) & Q(approved__isnull=False) & Q(decided_by__isnull=False)),
                name="supply_chain_change_decision_complete",
            ),
            models.CheckConstraint(
                condition=Q(approved__isnull=False) | Q(needs_approval=False) | Q(applied_at__isnull=True),
                name="supply_chain_change_applied_only_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(kind="add", member__isnull=True, organisation__isnull=False)
                | Q(kind="replace", member__isnull=False, organisation__isnull=False)
                | Q(kind__in=["remove", "change_terms"], member__isnull=False, organisation__isnull=True),
                name="supply_chain_change_names_who",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.contract.reference}"


class SubcontractorPayment(models.Model):
    """A payment a lead provider made (or owes) to a supply chain member: invoiced on a day, paid on a day."""

    member = models.ForeignKey(SupplyChainMember, on_delete=models.PROTECT, related_name="payments")
    invoice_reference = models.CharField(max_length=100, blank=True)
    invoiced_on = models.DateField()
    paid_on = models.DateField(null=True, blank=True)
    amount_pence = models.BigIntegerField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["member", "invoiced_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_pence__gt=0), name="subcontractor_payment_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(paid_on__gte=models.F("invoiced_on")),
                name="subcontractor_payment_paid_after_invoice",
            ),
        ]

    def __str__(self):
        return f"Payment to {self.member.organisation} invoiced {self.invoiced_on}"


class Notice(models.Model):
    """What a commissioner tells the lead providers of some contracts. When cascade_required, each lead provider
    must pass it on to its supply chain. Public notices are also published on the public notices page."""

    class Kind(models.TextChoices):
        OPERATIONAL_GUIDANCE = "operational_guidance", _("Operational guidance")
        POLICY_CHANGE = "policy_change", _("Policy change")
        CONTRACT_CHANGE = "contract_change", _("Contract change")

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    cascade_required = models.BooleanField(default=False)
    public = models.BooleanField(default=True)
    contracts = models.ManyToManyField(Contract, related_name="notices")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_by_organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "geography.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The commissioner's region the notice was sent from.",
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["operational_guidance", "policy_change", "contract_change"]),
                name="notice_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"


class NoticeDelivery(models.Model):
    """A notice reaching one organisation: a lead provider (from the commissioner) or a supply chain member (from
    its lead provider, with an optional note). Each recipient acknowledges it."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="notice_deliveries")
    forwarded_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forwards",
        help_text="The lead provider's delivery this was passed on from; empty for the lead provider's own.",
    )
    note = models.TextField(blank=True, help_text="The lead provider's note when passing it on.")
    delivered_at = models.DateTimeField(default=timezone.now)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "delivered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "contract", "organisation"], name="notice_delivery_once_per_contract"
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | Q(acknowledged_by__isnull=False),
                name="notice_delivery_acknowledged_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.notice.reference} to {self.organisation}"
