"""Reads for qualification pages and the API. Each returns a queryset (or plain data) with what its page needs
loaded up front, so that list pages make a fixed number of queries however many rows they show."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dynamic_framework.accounts.rules import is_framework_manager, member_organisation_ids
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations import classification
from dynamic_framework.organisations.models import Organisation

from .models import (
    Application,
    ApplicationCategory,
    Clarification,
    ConflictOfInterest,
    Framework,
    Qualification,
    QualifiedArea,
    SectionAssessment,
    Suspension,
)


def the_framework() -> Framework | None:
    """The Dynamic Framework (there is one today; the model allows more): the first one set up."""
    return Framework.objects.prefetch_related("categories", "extensions").order_by("pk").first()


def _open_clarifications():
    return Count("clarifications", filter=Q(clarifications__answered_at__isnull=True), distinct=True)


def applications_for_organisation(organisation) -> QuerySet:
    return (
        Application.objects.filter(organisation=organisation)
        .select_related("framework", "question_set", "organisation")
        .annotate(open_clarification_count=_open_clarifications())
        .prefetch_related(Prefetch("category_choices", queryset=ApplicationCategory.objects.select_related("category")))
        .order_by("-started_at")
    )


def applications_for_organisations(organisation_ids) -> QuerySet:
    """The applications of several organisations (someone who belongs to more than one), grouped by organisation,
    with the questions waiting for an answer (`open_clarifications`)."""
    return (
        Application.objects.filter(organisation_id__in=organisation_ids)
        .select_related("framework", "organisation")
        .annotate(open_clarification_count=_open_clarifications())
        .prefetch_related(
            Prefetch("category_choices", queryset=ApplicationCategory.objects.select_related("category")),
            Prefetch(
                "clarifications",
                queryset=Clarification.objects.filter(answered_at__isnull=True),
                to_attr="open_clarifications",
            ),
        )
        .order_by("organisation__name", "organisation_id", "-started_at", "-pk")
    )


def open_application(framework: Framework, organisation) -> Application | None:
    """The organisation's application in progress (not decided or withdrawn), if it has one."""
    return Application.objects.open().filter(framework=framework, organisation=organisation).first()


def organisations_with_open_application(framework: Framework, organisation_ids) -> set[int]:
    return set(
        Application.objects.open()
        .filter(framework=framework, organisation_id__in=organisation_ids)
        .values_list("organisation_id", flat=True)
    )


def application(reference: str) -> QuerySet:
    return (
        Application.objects.filter(reference=reference)
        .select_related(
            "framework", "question_set", "organisation", "submitted_by", "assigned_to", "decided_by", "withdrawn_by"
        )
        .annotate(open_clarification_count=_open_clarifications())
        .prefetch_related(
            Prefetch("category_choices", queryset=ApplicationCategory.objects.select_related("category")),
            "pcc_areas__region",
            "documents",
            Prefetch("clarifications", queryset=Clarification.objects.select_related("requested_by", "answered_by")),
        )
    )


def applications_visible_to(user) -> QuerySet:
    """Applications the user may see, newest first: their organisations' (drafts included), those assigned to them
    (unless they declared a conflict with the organisation), and, for framework managers, every submitted one.
    Platform administrators and commissioners see none (for the API's list and detail)."""
    from .rules import conflict_organisation_ids

    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    visible = Q(organisation_id__in=member_organisation_ids(user))
    visible |= Q(assigned_to_id=user.pk) & ~Q(organisation_id__in=conflict_organisation_ids(user))
    if is_framework_manager(user):
        visible |= Q(submitted_at__isnull=False)
    return (
        Application.objects.filter(visible)
        .select_related("framework", "question_set", "organisation")
        .annotate(open_clarification_count=_open_clarifications())
        .prefetch_related(
            Prefetch("category_choices", queryset=ApplicationCategory.objects.select_related("category")),
            Prefetch("pcc_areas", queryset=PccArea.objects.order_by("name")),
        )
        .order_by("-started_at", "-pk")
    )


@dataclass
class QueueFilters:
    status: str = ""  # "", "submitted" (waiting for an assessor), "in_assessment", "clarification", "decided"
    assigned_to_me: bool = False
    q: str = ""


QUEUE_STATUSES = ["submitted", "in_assessment", "clarification", "decided", "withdrawn"]


def queue(user, filters: QueueFilters | None = None) -> QuerySet:
    """Submitted applications, oldest first. Evaluators see only those assigned to them; nobody sees applications
    from organisations they belong to or have declared a conflict with."""
    from .rules import conflict_organisation_ids

    filters = filters or QueueFilters()
    open_clarification = Exists(Clarification.objects.filter(application=OuterRef("pk"), answered_at__isnull=True))
    qs = (
        Application.objects.submitted()
        .select_related("organisation", "assigned_to", "framework")
        .annotate(
            open_clarification_count=_open_clarifications(),
            has_open_clarification=open_clarification,
            category_count=Count("category_choices", distinct=True),
            area_count=Count("pcc_areas", distinct=True),
        )
        .prefetch_related(Prefetch("category_choices", queryset=ApplicationCategory.objects.select_related("category")))
        .exclude(organisation_id__in=member_organisation_ids(user) | conflict_organisation_ids(user))
    )
    if not is_framework_manager(user) or filters.assigned_to_me:
        qs = qs.filter(assigned_to=user)
    status = filters.status
    if status == "submitted":
        qs = qs.filter(
            decided_at__isnull=True, withdrawn_at__isnull=True, assigned_at__isnull=True, has_open_clarification=False
        )
    elif status == "in_assessment":
        qs = qs.filter(
            decided_at__isnull=True, withdrawn_at__isnull=True, assigned_at__isnull=False, has_open_clarification=False
        )
    elif status == "clarification":
        qs = qs.filter(decided_at__isnull=True, withdrawn_at__isnull=True, has_open_clarification=True)
    elif status == "decided":
        qs = qs.filter(decided_at__isnull=False)
    elif status == "withdrawn":
        qs = qs.filter(withdrawn_at__isnull=False)
    else:
        qs = qs.filter(decided_at__isnull=True, withdrawn_at__isnull=True)
    if filters.q:
        qs = qs.filter(Q(organisation__name__icontains=filters.q) | Q(reference__iexact=filters.q.strip()))
    return qs.order_by("submitted_at", "pk")


def declared_conflicts(user) -> QuerySet:
    """The conflicts of interest the user has declared, newest first."""
    return ConflictOfInterest.objects.filter(user_id=user.pk).select_related("organisation").order_by("-declared_at")


def conflicted_user_ids(organisation_id: int) -> set[int]:
    """People who may not assess the organisation's applications: its members, and anyone who declared a conflict."""
    from dynamic_framework.accounts.models import PROVIDER_ROLES, RoleGrant

    declared = ConflictOfInterest.objects.filter(organisation_id=organisation_id).values_list("user_id", flat=True)
    members = (
        RoleGrant.objects.active()
        .filter(organisation_id=organisation_id, role__in=list(PROVIDER_ROLES))
        .values_list("user_id", flat=True)
    )
    return set(declared) | set(members)


def open_assignment_counts(user_ids) -> dict[int, int]:
    """How many open applications each of these people has been given to assess."""
    return dict(
        Application.objects.in_queue()
        .filter(assigned_to_id__in=list(user_ids))
        .order_by()
        .values("assigned_to_id")
        .annotate(n=Count("pk"))
        .values_list("assigned_to_id", "n")
    )


def assessment_history(application: Application) -> dict[str, list[SectionAssessment]]:
    """Every assessment of the application by section key, oldest first (the last one counts), with assessors."""
    history: dict[str, list[SectionAssessment]] = {}
    for assessment in application.section_assessments.select_related("assessed_by").order_by("assessed_at", "id"):
        history.setdefault(assessment.section_key, []).append(assessment)
    return history


def age_in_days(since: datetime | None, now: datetime | None = None) -> int | None:
    if since is None:
        return None
    now = now or timezone.now()
    return max(0, (timezone.localtime(now).date() - timezone.localtime(since).date()).days)


# The register --------------------------------------------------------------------------------------------------


@dataclass
class RegisterFilters:
    category: str = ""  # slug
    region: str = ""  # code
    pcc_area: str = ""  # slug
    size_band: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    specialism: list[str] = field(default_factory=list)
    q: str = ""
    include_suspended: bool = True


def register(framework: Framework, filters: RegisterFilters | None = None) -> QuerySet:
    """Organisations with a current qualification, each with its current qualifications (and their areas)."""
    filters = filters or RegisterFilters()
    qualifications = Qualification.objects.current().filter(framework=framework)
    if filters.category:
        qualifications = qualifications.filter(category__slug=filters.category)
    if filters.pcc_area:
        qualifications = qualifications.filter(areas__pcc_area__slug=filters.pcc_area)
    if filters.region:
        qualifications = qualifications.filter(areas__pcc_area__region__code=filters.region)
    if not filters.include_suspended:
        qualifications = qualifications.active()
    organisations = Organisation.objects.filter(pk__in=qualifications.values("organisation_id"))
    if filters.q:
        organisations = organisations.filter(Q(name__icontains=filters.q) | Q(aliases__name__icontains=filters.q))
    if filters.sector:
        q = Q()
        for code in filters.sector:
            q |= classification.sector_q(code)
        organisations = organisations.filter(q)
    if filters.size_band:
        q = Q()
        for code in filters.size_band:
            q |= classification.size_band_q(code)
        organisations = organisations.filter(q)
    if filters.specialism:  # any of them, as in the organisation directory
        organisations = organisations.filter(
            pk__in=Organisation.specialisms.through.objects.filter(specialism__slug__in=filters.specialism).values(
                "organisation_id"
            )
        )
    shown = (
        Qualification.objects.current()
        .filter(framework=framework)
        .with_suspension()
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "areas", queryset=QualifiedArea.objects.select_related("pcc_area__region").order_by("pcc_area__name")
            )
        )
        .order_by("category__number")
    )
    return (
        organisations.distinct()
        .prefetch_related(Prefetch("qualifications", queryset=shown, to_attr="register_qualifications"), "specialisms")
        .order_by("name")
    )


def register_entry(framework: Framework, slug: str) -> Organisation | None:
    """One organisation's register entry: every qualification it has had (current and ended), with suspensions."""
    history = (
        Qualification.objects.filter(framework=framework)
        .with_suspension()
        .select_related("category", "ended_by")
        .prefetch_related(
            Prefetch("areas", queryset=QualifiedArea.objects.select_related("pcc_area__region")),
            Prefetch("suspensions", queryset=Suspension.objects.select_related("suspended_by", "lifted_by")),
        )
        .order_by("category__number", "-qualified_at")
    )
    return (
        Organisation.objects.filter(slug=slug)
        .prefetch_related(Prefetch("qualifications", queryset=history, to_attr="register_history"), "specialisms")
        .first()
    )


def qualified_organisation_ids(framework: Framework, *, category=None, pcc_area=None) -> QuerySet:
    """Organisations qualified (and not suspended) for a category in an area: who may bid as lead provider."""
    qs = Qualification.objects.active().filter(framework=framework)
    if category is not None:
        qs = qs.filter(category=category)
    if pcc_area is not None:
        qs = qs.filter(areas__pcc_area=pcc_area)
    return qs.values_list("organisation_id", flat=True).distinct()


# Answers, as rows to show -------------------------------------------------------------------------------------


@dataclass
class AnswerRow:
    key: str  # the question key (or organisation field, or case_study:<slug>)
    question: str
    answer: str  # as text; "" when not answered
    document: object = None  # the ApplicationDocument, for file questions
    required: bool = True


@dataclass
class SectionAnswers:
    key: str
    title: str
    kind: str
    rows: list[AnswerRow]


def answer_rows(application: Application) -> list[SectionAnswers]:
    """Every section that applies to the application, with each question asked and its answer as text: for check
    your answers, the assessor's review and exports. Documents are looked up from application.documents (prefetch
    it, as selectors.application() does)."""
    from dynamic_framework.core.money import format_pence
    from dynamic_framework.organisations.classification import LEGAL_FORMS

    from . import answers as answer_rules
    from .content import ORGANISATION_QUESTIONS, SCOPE_QUESTIONS, Kind, SectionKind
    from .services import applies_in_wales

    documents = {d.pk: d for d in application.documents.all()}
    details = application.organisation_details or {}
    in_wales = applies_in_wales(application)
    choices = list(application.category_choices.all())
    out = []
    for section in application.question_set.parsed.sections_for(in_wales=in_wales):
        rows = []
        if section.kind == SectionKind.ORGANISATION:
            legal_form = LEGAL_FORMS.get(details.get("legal_form") or "")
            identifier = "; ".join(
                f"{label} {details[field]}"
                for field, label in (("charity_number", "Charity"), ("company_number", "Company"))
                if details.get(field)
            )
            values = {
                "name": details.get("name", ""),
                "legal_form": str(legal_form.label) if legal_form else "",
                "identifier": identifier,
                "income": format_pence(details["income_pence"]) if details.get("income_pence") is not None else "",
                "income_year": details.get("income_year", ""),
                "address": details.get("address", ""),
                "contact_email": details.get("contact_email", ""),
                "contact_phone": details.get("contact_phone", ""),
            }
            optional = {"identifier", "contact_phone"}
            rows = [
                AnswerRow(k, str(label), values[k], required=k not in optional) for k, label in ORGANISATION_QUESTIONS
            ]
        elif section.kind == SectionKind.SCOPE:
            categories = "; ".join(c.category.name for c in choices)
            areas = "; ".join(a.name for a in sorted(application.pcc_areas.all(), key=lambda a: a.name))
            values = {"categories": categories, "pcc_areas": areas}
            rows = [AnswerRow(k, str(label), values[k]) for k, label in SCOPE_QUESTIONS]
        elif section.kind == SectionKind.CASE_STUDIES:
            question = section.case_study
            for choice in choices:
                key = answer_rules.case_study_key(choice.category.slug)
                rows.append(
                    AnswerRow(
                        key,
                        question.label.replace("{category}", choice.category.name.lower()),
                        application.answers.get(key, "") or "",
                    )
                )
        else:
            for question in section.questions_for(application.size_band, in_wales=in_wales):
                value = application.answers.get(question.key)
                document = None
                if question.kind == Kind.FILE and isinstance(value, dict):
                    document = documents.get(value.get("document"))
                rows.append(
                    AnswerRow(
                        question.key,
                        question.label,
                        answer_rules.display(question, value),
                        document=document,
                        required=question.required,
                    )
                )
        out.append(SectionAnswers(section.key, section.title, section.kind, rows))
    return out
