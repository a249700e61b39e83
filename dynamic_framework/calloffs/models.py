"""Call-off competitions: a commissioner's need, its lots, sealed bids with supply chains, evaluation and award.

Status is never a stored word: a call-off is a draft until `submitted_for_approval_at`, published at
`published_at` (when a second commissioner approves it), closed for bids from `deadline_at`, in evaluation once
`panel_formed_at`, and so on (see CallOff.status_at). A bid is live when its latest submission came after its
latest withdrawal. Bid content is stored only encrypted with the call-off's own key (see sealing.py).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.models import Organisation

User = settings.AUTH_USER_MODEL

#: The published scoring scale for quality and social value answers.
SCORE_SCALE = {
    0: _("Unacceptable: no answer, or the answer does not meet the need"),
    1: _("Poor: a weak answer with little evidence"),
    2: _("Satisfactory: meets the need, with some evidence"),
    3: _("Good: meets the need well, with clear evidence"),
    4: _("Excellent: a strong, well-evidenced answer that adds value"),
}
MAX_SCORE = max(SCORE_SCALE)
TIE_BREAK_RULE = _(
    "If two bids for a lot have the same total score, the one with the higher quality score ranks higher; if they "
    "are still equal, the one with the higher social value score; then the lower price; then the bid submitted first."
)


class FundingMechanism(models.TextChoices):
    GRANT = "grant", _("Grant")
    CONTRACT = "contract", _("Contract")


class Sex(models.TextChoices):
    ANY = "any", _("Anyone")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")


class CallOff(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Waiting for approval")
        PUBLISHED = "published", _("Open for bids")
        CLOSED = "closed", _("Closed for bids")
        IN_EVALUATION = "in_evaluation", _("Being evaluated")
        AWARD_RECOMMENDED = "award_recommended", _("Award recommended")
        STANDSTILL = "standstill", _("Standstill")
        AWARDED = "awarded", _("Awarded")
        CANCELLED = "cancelled", _("Cancelled")
        NO_AWARD = "no_award", _("Closed with no award")

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="What is being bought and why, in plain English.")
    categories = models.ManyToManyField(ServiceCategory, related_name="call_offs")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="call_offs")
    co_commissioner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="call_offs_co_commissioned"
    )
    funding_mechanism = models.CharField(max_length=10, choices=FundingMechanism.choices)
    funding_reason = models.TextField(help_text="Why a grant or a contract: recorded and published.")
    term_start = models.DateField(help_text="When the service starts.")
    term_months = models.PositiveSmallIntegerField()
    extension_months = models.JSONField(default=list, blank=True, help_text="Options to extend, e.g. [12, 12].")
    cohort_sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.ANY)
    cohort_min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    cohort_max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    cohort_note = models.CharField(max_length=300, blank=True)
    price_weight = models.PositiveSmallIntegerField(default=0)
    social_value_weight = models.PositiveSmallIntegerField(default=0)
    social_value_question = models.TextField(blank=True)
    social_value_word_limit = models.PositiveSmallIntegerField(default=300)
    minimum_quality_percent = models.PositiveSmallIntegerField(
        default=0, help_text="Bids scoring less than this share of the quality marks are not considered."
    )
    questions_close_at = models.DateTimeField()
    deadline_at = models.DateTimeField()
    expected_award_on = models.DateField()
    standstill_days = models.PositiveSmallIntegerField(default=10)
    sealing_key = models.TextField(help_text="The call-off's bid key, encrypted with the service's key.")
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies")

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_for_approval_at = models.DateTimeField(null=True, blank=True)
    submitted_for_approval_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="Who approved it."
    )
    panel_formed_at = models.DateTimeField(null=True, blank=True)
    panel_formed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award_recommended_at = models.DateTimeField(null=True, blank=True)
    award_recommended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    award_approved_at = models.DateTimeField(null=True, blank=True)
    award_approved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    standstill_ends_at = models.DateTimeField(null=True, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    awarded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_reason = models.TextField(blank=True)
    no_award_at = models.DateTimeField(null=True, blank=True)
    no_award_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    no_award_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(funding_mechanism__in=["grant", "contract"]), name="call_off_funding"),
            models.CheckConstraint(condition=~Q(funding_reason=""), name="call_off_funding_reason"),
            models.CheckConstraint(condition=Q(cohort_sex__in=["any", "women", "men"]), name="call_off_cohort_sex"),
            models.CheckConstraint(
                condition=Q(cohort_min_age__isnull=True)
                | Q(cohort_max_age__isnull=True)
                | Q(cohort_max_age__gte=F("cohort_min_age")),
                name="call_off_cohort_ages",
            ),
            models.CheckConstraint(condition=Q(term_months__gte=1), name="call_off_term_positive"),
            models.CheckConstraint(
                condition=Q(questions_close_at__lte=F("deadline_at")), name="call_off_questions_close_before_deadline"
            ),
            models.CheckConstraint(condition=Q(minimum_quality_percent__lte=100), name="call_off_minimum_quality"),
            models.CheckConstraint(
                condition=Q(price_weight__lte=100, social_value_weight__lte=100), name="call_off_weights"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(submitted_for_approval_at__isnull=False),
                name="call_off_published_after_submission",
            ),
            # Four eyes: the person who approves publication is not the person who asked for it.
            models.CheckConstraint(
                condition=Q(published_by__isnull=True) | ~Q(published_by=F("submitted_for_approval_by")),
                name="call_off_published_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=Q(award_approved_by__isnull=True) | ~Q(award_approved_by=F("award_recommended_by")),
                name="call_off_award_approved_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancelled_reason="")
                | (Q(cancelled_at__isnull=False) & ~Q(cancelled_reason="")),
                name="call_off_cancelled_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(no_award_at__isnull=True, no_award_reason="")
                | (Q(no_award_at__isnull=False) & ~Q(no_award_reason="")),
                name="call_off_no_award_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(awarded_at__isnull=True) | Q(award_approved_at__isnull=False),
                name="call_off_awarded_after_approval",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def status_at(self, now) -> str:
        if self.cancelled_at:
            return self.Status.CANCELLED
        if self.no_award_at:
            return self.Status.NO_AWARD
        if self.awarded_at:
            return self.Status.AWARDED
        if self.award_approved_at:
            return self.Status.STANDSTILL
        if self.award_recommended_at:
            return self.Status.AWARD_RECOMMENDED
        if self.panel_formed_at:
            return self.Status.IN_EVALUATION
        if self.published_at:
            return self.Status.PUBLISHED if now < self.deadline_at else self.Status.CLOSED
        if self.submitted_for_approval_at:
            return self.Status.AWAITING_APPROVAL
        return self.Status.DRAFT

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def deadline_passed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.deadline_at

    def open_for_bids(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.published_at is not None
            and now < self.deadline_at
            and self.cancelled_at is None
            and self.no_award_at is None
        )

    @property
    def quality_weight(self) -> int:
        return sum(q.weight for q in self.quality_questions.all())


class Lot(models.Model):
    """What is bought in one place: one PCC area, a group of PCC areas, or a whole region."""

    class Kind(models.TextChoices):
        PCC_AREA = "pcc_area", _("A Police and Crime Commissioner area")
        AREAS = "areas", _("A group of PCC areas")
        REGION = "region", _("A whole probation region")

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="lots")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    pcc_areas = models.ManyToManyField(PccArea, related_name="call_off_lots")

    class Meta:
        ordering = ["call_off", "position"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "position"], name="lot_position_unique"),
            models.UniqueConstraint(fields=["call_off", "name"], name="lot_name_unique"),
            models.CheckConstraint(condition=Q(kind__in=["pcc_area", "areas", "region"]), name="lot_kind"),
        ]

    def __str__(self):
        return f"{self.call_off.reference} lot {self.position}: {self.name}"


class LotYear(models.Model):
    """The most a lot can cost in one financial year (April to March), and how many people it is for."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField(help_text="The year it starts: 2026 means 2026-27.")
    max_value_pence = models.BigIntegerField()
    expected_people = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["lot", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "financial_year"], name="lot_year_unique"),
            models.CheckConstraint(condition=Q(max_value_pence__gt=0), name="lot_year_value_positive"),
            models.CheckConstraint(
                condition=Q(financial_year__gte=2000, financial_year__lte=2100), name="lot_year_sensible"
            ),
        ]

    def __str__(self):
        return f"{self.lot}: {self.label}"

    @property
    def label(self) -> str:
        return f"{self.financial_year}-{(self.financial_year + 1) % 100:02d}"


class QualityQuestion(models.Model):
    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="quality_questions")
    position = models.PositiveSmallIntegerField()
    question = models.TextField()
    guidance = models.TextField(blank=True, help_text="Scoring guidance: what a good answer shows.")
    word_limit = models.PositiveSmallIntegerField()
    weight = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["call_off", "position"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "position"], name="quality_question_position_unique"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="quality_question_weight"),
            models.CheckConstraint(condition=Q(word_limit__gte=1, word_limit__lte=2000), name="quality_question_words"),
        ]

    def __str__(self):
        return f"{self.call_off.reference} Q{self.position}"


def call_off_document_path(instance, filename) -> str:
    import uuid

    return f"calloffs/{instance.call_off_id}/{uuid.uuid4().hex}"


class CallOffDocument(models.Model):
    """A document published with the call-off (specification, draft agreement, ...): public once published."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=call_off_document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class Amendment(models.Model):
    """A published change to a call-off before its deadline. Bids submitted before it must be reconfirmed."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField(help_text="What changed, in plain English.")
    changes = models.JSONField(help_text="Each changed field: before and after.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["call_off", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "number"], name="amendment_number_unique"),
            models.CheckConstraint(condition=~Q(summary=""), name="amendment_has_summary"),
        ]

    def __str__(self):
        return f"{self.call_off.reference} amendment {self.number}"


class ClarificationQuestion(models.Model):
    """A provider's private question; the answer is published to everyone without saying who asked."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(default=timezone.now)
    question = models.TextField()
    published_question = models.TextField(
        blank=True,
        help_text="The question as published (the commissioner may remove anything that identifies who asked).",
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="clarification_question_not_empty"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answer="")
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="") & ~Q(published_question="")),
                name="clarification_question_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.call_off.reference} question {self.pk}"


class Bid(models.Model):
    """One organisation's bid as lead provider. The draft and every submission are stored encrypted.

    One bid per organisation per call-off, whatever happens to it (a database constraint): it is saved, submitted,
    withdrawn and submitted again, and each submission is kept.
    """

    call_off = models.ForeignKey(CallOff, on_delete=models.PROTECT, related_name="bids")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="bids")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    draft = models.TextField(blank=True, help_text="The draft content, encrypted with the call-off's key.")
    updated_at = models.DateTimeField(default=timezone.now)
    latest_submission = models.ForeignKey(
        "BidSubmission", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["call_off", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call_off", "organisation"], name="bid_one_per_organisation"),
        ]

    def __str__(self):
        # Never the organisation's name: bidders are sealed until the deadline, in logs too.
        return f"Bid {self.pk} for {self.call_off.reference}"

    @property
    def is_live(self) -> bool:
        submission = self.latest_submission
        if submission is None:
            return False
        return self.withdrawn_at is None or submission.submitted_at > self.withdrawn_at


class BidSubmission(models.Model):
    """One submission of a bid: the content as submitted (encrypted), its SHA-256 digest and the receipt."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="submissions")
    number = models.PositiveSmallIntegerField()
    receipt = models.CharField(max_length=30, unique=True)
    idempotency_key = models.CharField(max_length=64)
    content = models.TextField(help_text="Encrypted with the call-off's key.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON of the content.")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["bid", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "number"], name="bid_submission_number_unique"),
            models.UniqueConstraint(fields=["bid", "idempotency_key"], name="bid_submission_idempotent"),
        ]

    def __str__(self):
        return f"{self.receipt}"


class SupplyChainInvitation(models.Model):
    """A subcontractor named in a bid is told, and confirms (or declines) taking part."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="supply_chain_invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="supply_chain_invitations")
    invited_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="Taken out of the bid's supply chain.")

    class Meta:
        ordering = ["invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "organisation"], name="supply_chain_invitation_unique"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                name="supply_chain_invitation_confirmed_or_declined",
            ),
        ]

    def __str__(self):
        return f"Supply chain invitation {self.pk}"


class PanelMember(models.Model):
    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="panel_places")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["call_off", "added_at"]
        constraints = [models.UniqueConstraint(fields=["call_off", "user"], name="panel_member_unique")]

    def __str__(self):
        return f"{self.user} on {self.call_off.reference}"


class ConflictDeclaration(models.Model):
    """An evaluator's declaration, for one bid, of whether they have a conflict of interest with the bidder."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    note = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel_member", "bid"], name="conflict_declaration_once"),
            models.CheckConstraint(condition=Q(has_conflict=False) | ~Q(note=""), name="conflict_declaration_note"),
        ]

    def __str__(self):
        return f"Declaration {self.pk}"


class Score(models.Model):
    """One evaluator's score for one answer of one bid (a quality question, or social value when question is
    empty), with a written justification. Hidden from other evaluators until they have submitted their own."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(QualityQuestion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField()
    scored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "bid", "question"],
                condition=Q(question__isnull=False),
                name="score_once_per_quality_answer",
            ),
            models.UniqueConstraint(
                fields=["panel_member", "bid"], condition=Q(question__isnull=True), name="score_once_for_social_value"
            ),
            models.CheckConstraint(condition=Q(score__lte=MAX_SCORE), name="score_on_the_scale"),
            models.CheckConstraint(condition=~Q(justification=""), name="score_justified"),
        ]

    def __str__(self):
        return f"Score {self.pk}"


class ScoreSheet(models.Model):
    """An evaluator's scores for one bid, submitted together: after that they cannot change, and the evaluator
    can see the others' submitted scores."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="sheets")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["panel_member", "bid"], name="score_sheet_once")]

    def __str__(self):
        return f"Score sheet {self.pk}"


class ConsensusScore(models.Model):
    """The moderated score the panel agreed, with its reason (recorded by the commissioner)."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="consensus_scores")
    question = models.ForeignKey(QualityQuestion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    reason = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "question"],
                condition=Q(question__isnull=False),
                name="consensus_once_per_quality_answer",
            ),
            models.UniqueConstraint(
                fields=["bid"], condition=Q(question__isnull=True), name="consensus_once_for_social_value"
            ),
            models.CheckConstraint(condition=Q(score__lte=MAX_SCORE), name="consensus_on_the_scale"),
            models.CheckConstraint(condition=~Q(reason=""), name="consensus_has_reason"),
        ]

    def __str__(self):
        return f"Consensus {self.pk}"


class LotAward(models.Model):
    """The recommended (then approved, then confirmed) winner of one lot, and the contract it became."""

    lot = models.OneToOneField(Lot, on_delete=models.PROTECT, related_name="award")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="lot_awards")
    contract = models.OneToOneField(
        "contracts.Contract", null=True, blank=True, on_delete=models.PROTECT, related_name="call_off_award"
    )

    def __str__(self):
        return f"Award of {self.lot}"


class AwardLetter(models.Model):
    """What each bidder is told: their scores and reasons, the winner's scores, and the standstill end date."""

    call_off = models.ForeignKey(CallOff, on_delete=models.CASCADE, related_name="letters")
    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="letters")
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call_off", "bid"], name="award_letter_once")]

    def __str__(self):
        return f"Letter {self.pk}"


class AlertSubscription(models.Model):
    """Someone (with or without an account) who wants an email when a matching opportunity is published."""

    email = models.EmailField()
    categories = models.ManyToManyField(ServiceCategory, blank=True, related_name="+")
    pcc_areas = models.ManyToManyField(PccArea, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Alerts for {self.email}"
