"""Joining the Dynamic Framework: the framework, its questions, applications, assessment and the register.

Status is never a stored word. An application is a draft until `submitted_at`, waits for an assessor until
`assigned_at`, waits for the applicant while a clarification has no `answered_at`, and is decided at `decided_at`.
A qualification is on the register from `qualified_at` until `ended_at` (withdrawn by the provider or removed by
a framework manager), and suspended while a suspension has no `lifted_at`. Transitions happen only in services.py.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.classification import SIZE_BAND_BY_CODE
from dynamic_framework.organisations.models import Organisation

from . import content as content_module

SIZE_BAND_CHOICES = [(b.code, b.label) for b in SIZE_BAND_BY_CODE.values()]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


class Framework(models.Model):
    """The Dynamic Framework itself. Dynamic: providers may apply at any time while it is open."""

    class Status(models.TextChoices):
        NOT_OPEN = "not_open", _("Not open yet")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed to new applications")
        ENDED = "ended", _("Ended")

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField()
    categories = models.ManyToManyField(ServiceCategory, related_name="frameworks")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The end of the initial term, before any extension.")
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True, help_text="Closed to new applications early.")
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    confirmation_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="How often qualified providers confirm their details are still accurate."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="framework_ends_after_start"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(opened_at__isnull=False),
                name="framework_closed_only_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closed_reason="") | Q(closed_at__isnull=False),
                name="framework_closed_reason_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(confirmation_interval_months__gte=1, confirmation_interval_months__lte=36),
                name="framework_confirmation_interval_sensible",
            ),
        ]

    def __str__(self):
        return self.name

    @cached_property
    def _extensions(self) -> list["FrameworkExtension"]:
        # sorted() rather than order_by(), so extensions prefetched with the framework need no query
        return sorted(self.extensions.all(), key=lambda extension: extension.position)

    @property
    def effective_end(self) -> date:
        """The last day of the framework, with every extension exercised so far."""
        end = self.ends_on
        for extension in self._extensions:
            if extension.exercised_at:
                end = add_months(end, extension.months)
        return end

    def status_on(self, today: date) -> str:
        if today > self.effective_end:
            return self.Status.ENDED
        if self.opened_at is None or today < self.starts_on:
            return self.Status.NOT_OPEN
        if self.closed_at is not None:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class FrameworkExtension(models.Model):
    """One option to extend the framework's term (e.g. 3 options of 12 months), exercised or not."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="extensions")
    position = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField()
    exercise_by = models.DateField(help_text="The latest date the option can be exercised.")
    exercised_at = models.DateTimeField(null=True, blank=True)
    exercised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "position"], name="framework_extension_position_unique"),
            models.CheckConstraint(condition=Q(months__gte=1, months__lte=60), name="framework_extension_months"),
            models.CheckConstraint(condition=Q(position__gte=1), name="framework_extension_position_positive"),
        ]

    def __str__(self):
        return f"{self.framework}: extension {self.position} ({self.months} months)"


class QuestionSet(models.Model):
    """One version of the questions and guidance. Published versions never change; a draft is edited and then
    published, and new applications answer the latest published version."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="question_sets")
    version = models.PositiveIntegerField()
    content = models.JSONField(help_text="Sections and questions (see qualification/content.py).")
    change_note = models.TextField(blank=True, help_text="What changed from the version before.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["framework", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "version"], name="question_set_version_unique"),
            models.UniqueConstraint(
                fields=["framework"], condition=Q(published_at__isnull=True), name="question_set_one_draft"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="question_set_version_positive"),
        ]

    def __str__(self):
        return f"{self.framework} questions, version {self.version}"

    @cached_property
    def parsed(self) -> content_module.Content:
        return content_module.parse_content(self.content)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class GlossaryTerm(models.Model):
    """A word the service cannot avoid, explained in plain English (reference data)."""

    slug = models.SlugField(max_length=60, unique=True)
    term = models.CharField(max_length=100, unique=True)
    meaning = models.TextField()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class ApplicationQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(submitted_at__isnull=True, withdrawn_at__isnull=True)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def open(self):
        """Not decided and not withdrawn."""
        return self.filter(decided_at__isnull=True, withdrawn_at__isnull=True)

    def in_queue(self):
        return self.submitted().open()


class Application(models.Model):
    """An organisation's application to join the framework for some service categories in some PCC areas."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not submitted yet")
        SUBMITTED = "submitted", _("Waiting for an assessor")
        IN_ASSESSMENT = "in_assessment", _("Being assessed")
        CLARIFICATION = "clarification", _("Waiting for the applicant's answer")
        DECIDED = "decided", _("Decision sent")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="framework_applications")
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(max_length=20, unique=True)
    size_band = models.CharField(
        max_length=10,
        choices=SIZE_BAND_CHOICES,
        blank=True,
        help_text="From the income given in the organisation section; decides which questions are asked.",
    )
    answers = models.JSONField(default=dict, blank=True, help_text="Answers by question key.")
    organisation_details = models.JSONField(
        default=dict, blank=True, help_text="The organisation section as the applicant confirmed it."
    )
    categories = models.ManyToManyField(ServiceCategory, through="ApplicationCategory", related_name="+")
    pcc_areas = models.ManyToManyField(PccArea, blank=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declaration_name = models.CharField(max_length=200, blank=True)
    declaration_role = models.CharField(max_length=200, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_applications"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["submitted_at"]), models.Index(fields=["organisation", "framework"])]
        constraints = [
            # One application in progress per organisation: a new one once the last is decided or withdrawn.
            models.UniqueConstraint(
                fields=["framework", "organisation"],
                condition=Q(decided_at__isnull=True, withdrawn_at__isnull=True),
                name="application_one_open_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(size_band="") | Q(size_band__in=list(SIZE_BAND_BY_CODE)), name="application_size_band"
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True, submitted_by__isnull=True)
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="application_submitted_at_and_by",
            ),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | (~Q(declaration_name="") & ~Q(size_band="")),
                name="application_submitted_with_declaration",
            ),
            models.CheckConstraint(
                condition=Q(assigned_at__isnull=True, assigned_to__isnull=True)
                | Q(assigned_at__isnull=False, assigned_to__isnull=False, submitted_at__isnull=False),
                name="application_assigned_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, decided_by__isnull=True)
                | Q(decided_at__isnull=False, decided_by__isnull=False, submitted_at__isnull=False),
                name="application_decided_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False, decided_at__isnull=True),
                name="application_withdrawn_before_decision",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.organisation})"

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None and self.withdrawn_at is None

    @property
    def is_open(self) -> bool:
        return self.decided_at is None and self.withdrawn_at is None

    def status_with(self, *, open_clarifications: bool) -> str:
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.decided_at:
            return self.Status.DECIDED
        if not self.submitted_at:
            return self.Status.DRAFT
        if open_clarifications:
            return self.Status.CLARIFICATION
        if not self.assigned_at:
            return self.Status.SUBMITTED
        return self.Status.IN_ASSESSMENT

    @property
    def status(self) -> str:
        """Derived from the recorded times (uses `open_clarification_count` when a selector annotated it)."""
        count = getattr(self, "open_clarification_count", None)
        if count is None:
            count = self.clarifications.filter(answered_at__isnull=True).count() if self.pk else 0
        return self.status_with(open_clarifications=bool(count))

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)

    @cached_property
    def content(self) -> content_module.Content:
        return self.question_set.parsed


class ApplicationCategory(models.Model):
    """A category applied for, and the decision on it."""

    class Outcome(models.TextChoices):
        QUALIFIED = "qualified", _("Qualified")
        NOT_QUALIFIED = "not_qualified", _("Not qualified")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="category_choices")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True, help_text="Written for the applicant.")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["category__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "category"], name="application_category_unique"),
            models.CheckConstraint(
                condition=Q(outcome="", decided_at__isnull=True, decided_by__isnull=True)
                | (
                    Q(outcome__in=["qualified", "not_qualified"])
                    & Q(decided_at__isnull=False, decided_by__isnull=False)
                ),
                name="application_category_decision_complete",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_qualified") | ~Q(reasons=""),
                name="application_category_not_qualified_has_reasons",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference}: {self.category}"


def upload_path(instance, filename) -> str:
    # A random name: the original name is kept on the record, never used on disk.
    return f"qualification/{instance.application_id}/{uuid.uuid4().hex}"


class ApplicationDocument(models.Model):
    """An uploaded document, stored outside the web root (MEDIA_ROOT) and served only through a checked view."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    question_key = models.CharField(max_length=60, help_text="The question it answers, or clarification-<id>.")
    file = models.FileField(upload_to=upload_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="application_document_not_empty"),
        ]

    def __str__(self):
        return self.original_name


class SectionAssessment(models.Model):
    """An assessor's view of one section: pass, fail or clarification needed. The latest one counts; earlier ones
    are kept as history."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")
        CLARIFICATION = "clarification", _("Clarification needed")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="section_assessments")
    section_key = models.CharField(max_length=60)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assessed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["pass", "fail", "clarification"]), name="section_assessment_outcome"
            ),
            models.CheckConstraint(
                condition=Q(outcome="pass") | ~Q(note=""), name="section_assessment_note_unless_pass"
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} {self.section_key}: {self.outcome}"


class Clarification(models.Model):
    """A question from the assessor to the applicant about one section, and the applicant's answer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="clarifications")
    section_key = models.CharField(max_length=60)
    question = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(blank=True)
    document = models.ForeignKey(ApplicationDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="clarification_has_question"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer=""),
                name="clarification_answered_with_answer",
            ),
            models.UniqueConstraint(
                fields=["application", "section_key"],
                condition=Q(answered_at__isnull=True),
                name="clarification_one_open_per_section",
            ),
        ]

    def __str__(self):
        return f"{self.application.reference} {self.section_key}: {self.question[:40]}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ConflictOfInterest(models.Model):
    """An assessor's declared conflict with an organisation: they may not assess or decide its applications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="declared_conflicts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="conflict_of_interest_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="conflict_of_interest_has_reason"),
        ]

    def __str__(self):
        return f"{self.user} / {self.organisation}"


class QualificationQuerySet(models.QuerySet):
    def current(self):
        """On the register: not withdrawn or removed (suspended ones included)."""
        return self.filter(ended_at__isnull=True)

    def active(self):
        """On the register and not suspended: may be invited to bid."""
        return self.current().exclude(
            models.Exists(Suspension.objects.filter(qualification=models.OuterRef("pk"), lifted_at__isnull=True))
        )

    def with_suspension(self):
        """Annotate `is_suspended`."""
        return self.annotate(
            is_suspended=models.Exists(
                Suspension.objects.filter(qualification=models.OuterRef("pk"), lifted_at__isnull=True)
            )
        )


class Qualification(models.Model):
    """An organisation on the register for one service category, in the areas of its QualifiedArea rows."""

    class Ending(models.TextChoices):
        WITHDRAWN = "withdrawn", _("Withdrawn by the provider")
        REMOVED = "removed", _("Removed by the framework manager")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="qualifications")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="qualifications")
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="qualifications")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="qualifications")
    qualified_at = models.DateTimeField()
    qualified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ending = models.CharField(max_length=20, choices=Ending.choices, blank=True)
    ending_reason = models.TextField(blank=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "category__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "organisation", "category"],
                condition=Q(ended_at__isnull=True),
                name="qualification_one_current_per_category",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, ended_by__isnull=True, ending="", ending_reason="")
                | (
                    Q(ended_at__isnull=False, ended_by__isnull=False, ending__in=["withdrawn", "removed"])
                    & ~Q(ending_reason="")
                ),
                name="qualification_ending_complete",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.category}"


class QualifiedArea(models.Model):
    """A PCC area a qualification covers, and when it was added (a later application can add areas)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="areas")
    pcc_area = models.ForeignKey(PccArea, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="+")
    qualified_at = models.DateTimeField()

    class Meta:
        ordering = ["pcc_area__name"]
        constraints = [
            models.UniqueConstraint(fields=["qualification", "pcc_area"], name="qualified_area_unique"),
        ]

    def __str__(self):
        return f"{self.qualification}: {self.pcc_area}"


class Suspension(models.Model):
    """A framework manager's suspension of a qualification, and its lifting (reinstatement)."""

    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="suspensions")
    reason = models.TextField()
    suspended_at = models.DateTimeField(default=timezone.now)
    suspended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_note = models.TextField(blank=True)

    class Meta:
        ordering = ["suspended_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["qualification"], condition=Q(lifted_at__isnull=True), name="suspension_one_open"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="suspension_has_reason"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False),
                name="suspension_lifted_at_and_by",
            ),
        ]

    def __str__(self):
        return f"{self.qualification} suspended {self.suspended_at:%Y-%m-%d}"


class DetailsConfirmation(models.Model):
    """A qualified provider's yearly confirmation that its details are still accurate (or that it updated them)."""

    class Outcome(models.TextChoices):
        STILL_ACCURATE = "still_accurate", _("Still accurate")
        UPDATED = "updated", _("Updated")

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="details_confirmations")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    confirmed_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["still_accurate", "updated"]), name="details_confirmation_outcome"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} confirmed {self.confirmed_at:%Y-%m-%d}"


class ConfirmationReminder(models.Model):
    """A reminder sent for one due date, so each due date is reminded about once."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "organisation", "due_on"], name="confirmation_reminder_once_per_due_date"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} reminded for {self.due_on}"
