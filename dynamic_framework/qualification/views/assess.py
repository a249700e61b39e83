"""Framework managers and evaluators assessing applications: the queue, conflicts of interest, the review page,
assigning an assessor, assessing a section (or asking the applicant a question) and the decision.

Who sees what (rules.py): the queue and conflicts pages are for framework managers and evaluators; an application
is reviewed by the assessor it is assigned to and by framework managers, never by someone who belongs to the
applicant organisation or declared a conflict with it (members of the applicant have their own pages). Only the
assigned assessor assesses sections; only framework managers assign and decide.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dynamic_framework.accounts.rules import is_framework_manager
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.organisations import selectors as organisation_selectors

from .. import selectors, services
from ..forms_assess import (
    AssessSectionForm,
    AssignForm,
    ConflictForm,
    ConflictSearchForm,
    DecisionForm,
    QueueFilterForm,
)
from ..models import SectionAssessment
from ..rules import has_conflict_with

PAGE_SIZE = 20
MATCH_LIMIT = 20
OPEN_STATUSES = ("submitted", "in_assessment", "clarification")


# Who may do what -------------------------------------------------------------------------------------------


def _may_review(user, application) -> bool:
    return user.has_perm("qualification.view_application", application) and not has_conflict_with(
        user, application.organisation_id
    )


def _may_assign(user, application) -> bool:
    return user.has_perm("qualification.assign_application", application) and not has_conflict_with(
        user, application.organisation_id
    )


def _may_assess(user, application) -> bool:
    return user.has_perm("qualification.assess_application", application)


def _may_decide(user, application) -> bool:
    return user.has_perm("qualification.decide_application", application)


def _require_perm(request, perm: str):
    """Signed out: go and sign in, then come back. Signed in without permission: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return None


def _application_for(request, reference: str, allowed):
    """(the submitted application, None), or (None, a redirect to sign in). 404 for an unknown (or unsubmitted)
    application, 403 when `allowed(user, application)` is false."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    application = selectors.application(reference).filter(submitted_at__isnull=False).first()
    if application is None:
        raise Http404("No such application")
    if not allowed(request.user, application):
        raise PermissionDenied
    return application, None


def _notice(message: str) -> forms.Form:
    """A form with no fields carrying one message, for the error summary when there is no form to show."""
    form = forms.Form(data={})
    form.is_valid()
    form.add_error(None, message)
    return form


def _closed_message(application) -> str:
    if application.withdrawn_at:
        return _("The applicant withdrew this application, so it cannot change")
    if application.decided_at:
        return _("A decision has already been made on this application, so it cannot change")
    return ""


# What the pages show ---------------------------------------------------------------------------------------


def _assessment_units(application) -> list[dict]:
    """One entry per thing an assessor assesses (each section, each category's case study), with its answers,
    its assessments (the latest first) and the questions asked about it."""
    answers = {section.key: section for section in selectors.answer_rows(application)}
    history = selectors.assessment_history(application)
    clarifications: dict[str, list] = {}
    for clarification in application.clarifications.all():
        clarifications.setdefault(clarification.section_key, []).append(clarification)
    documents = {document.pk: document for document in application.documents.all()}
    units = []
    for key, title in services.assessable_sections(application):
        section_key, _sep, category_slug = key.partition(":")
        section = answers.get(section_key)
        rows = section.rows if section else []
        if category_slug:
            rows = [row for row in rows if row.key == f"case_study:{category_slug}"]
        assessments = history.get(key, [])
        units.append(
            {
                "key": key,
                "anchor": "section-" + key.replace(":", "-"),
                "title": title,
                "kind": section.kind if section else "",
                "rows": rows,
                "latest": assessments[-1] if assessments else None,
                "earlier": list(reversed(assessments[:-1])),
                "clarifications": [
                    {"clarification": c, "document": documents.get(c.document_id)} for c in clarifications.get(key, [])
                ],
                "open_clarification": next((c for c in clarifications.get(key, []) if c.is_open), None),
            }
        )
    return units


def _not_qualifiable_reasons(application, units: list[dict], qualifying: set[str]) -> dict[str, list[str]]:
    """Why each category that cannot be qualified cannot be (category slug -> plain sentences)."""
    failed = [
        u["title"]
        for u in units
        if ":" not in u["key"] and u["latest"] and u["latest"].outcome == SectionAssessment.Outcome.FAIL
    ]
    case_study = application.content.case_study_section
    out = {}
    for choice in application.category_choices.all():
        slug = choice.category.slug
        if slug in qualifying:
            continue
        reasons = []
        if failed:
            reasons.append(_("These sections did not pass: %(sections)s") % {"sections": ", ".join(failed)})
        if case_study is not None:
            unit = next((u for u in units if u["key"] == f"{case_study.key}:{slug}"), None)
            if unit and unit["latest"] and unit["latest"].outcome != SectionAssessment.Outcome.PASS:
                reasons.append(_("Its example of past work did not pass"))
        out[slug] = reasons or [_("A section it depends on did not pass")]
    return out


# The queue ---------------------------------------------------------------------------------------------------


@require_GET
def queue(request):
    denied = _require_perm(request, "qualification.view_queue")
    if denied:
        return denied
    user = request.user
    form = QueueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    paginator = Paginator(selectors.queue(user, filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"application": a, "age": selectors.age_in_days(a.submitted_at, now)} for a in page]
    counts = {
        status: selectors.queue(
            user, selectors.QueueFilters(status=status, assigned_to_me=filters.assigned_to_me)
        ).count()
        for status in OPEN_STATUSES
    }
    return render(
        request,
        "qualification/assess/queue.html",
        {
            "form": form,
            "filters": filters,
            "filtered": form.active,
            "page": page,
            "rows": rows,
            "counts": counts,
            "is_manager": is_framework_manager(user),
            "pagination": page_links(request, page, label=_("Pages of applications")),
            "clear_url": request.path,
        },
    )


# Conflicts of interest ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def conflicts(request):
    denied = _require_perm(request, "qualification.declare_conflict")
    if denied:
        return denied
    source = request.POST if request.method == "POST" else request.GET
    find = (source.get("find") or "").strip()
    search_form = ConflictSearchForm({"find": find} if find else None)
    matches, too_many = [], False
    if find and search_form.is_valid():
        found = list(
            organisation_selectors.directory(organisation_selectors.DirectoryFilters(q=find, kind="provider"))[
                : MATCH_LIMIT + 1
            ]
        )
        matches, too_many = found[:MATCH_LIMIT], len(found) > MATCH_LIMIT
    form = ConflictForm(matches=matches)
    if request.method == "POST":
        if not matches:
            search_form = ConflictSearchForm({"find": find})
            search_form.is_valid()
            if "find" not in search_form.errors:
                search_form.add_error(
                    "find",
                    _("No provider organisations match ‘%(find)s’: check the spelling, or try part of the name")
                    % {"find": find}
                    if find
                    else _("Enter the name of the organisation, then choose it from the list"),
                )
        else:
            form = ConflictForm(request.POST, matches=matches)
            if form.is_valid():
                organisation = form.chosen_organisation()
                try:
                    services.declare_conflict(
                        actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"]
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "You declared a conflict of interest with %(org)s. Any of its applications that were "
                            "assigned to you have gone back to the queue."
                        )
                        % {"org": organisation.name},
                    )
                    return redirect("qualification:conflicts")
    return render(
        request,
        "qualification/assess/conflicts.html",
        {
            "search_form": search_form,
            "form": form,
            "find": find,
            "matches": matches,
            "too_many": too_many,
            "match_limit": MATCH_LIMIT,
            "declared": list(selectors.declared_conflicts(request.user)),
        },
    )


# One application -------------------------------------------------------------------------------------------------


@require_GET
def review(request, reference):
    application, denied = _application_for(request, reference, _may_review)
    if denied:
        return denied
    user = request.user
    units = _assessment_units(application)
    can_decide = application.is_open and _may_decide(user, application)
    return render(
        request,
        "qualification/assess/review.html",
        {
            "application": application,
            "org": application.organisation,
            "identifiers": list(application.organisation.identifiers.all()),
            "categories": [choice.category for choice in application.category_choices.all()],
            "choices": list(application.category_choices.all()),
            "areas": organisation_selectors.areas_by_region(application.pcc_areas.all()),
            "units": units,
            "can_assess": application.is_open and _may_assess(user, application),
            "can_assign": application.is_open and _may_assign(user, application),
            "can_decide": can_decide,
            "readiness": services.decision_readiness(application) if can_decide else [],
            "age": selectors.age_in_days(application.submitted_at),
        },
    )


@require_http_methods(["GET", "POST"])
def assign(request, reference):
    application, denied = _application_for(request, reference, _may_assign)
    if denied:
        return denied
    assessors = list(services.assessors())
    kwargs = {
        "assessors": assessors,
        "conflicted_ids": selectors.conflicted_user_ids(application.organisation_id),
        "workloads": selectors.open_assignment_counts(u.pk for u in assessors),
        "organisation": application.organisation.name,
    }
    closed = _closed_message(application)
    notice = None
    if request.method == "POST" and closed:
        form, notice = AssignForm(**kwargs), _notice(closed)
    elif request.method == "POST":
        form = AssignForm(request.POST, **kwargs)
        if form.is_valid():
            assessor = form.chosen_assessor()
            try:
                services.assign_application(actor=request.user, application=application, assessor=assessor)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(reference)s is assigned to %(name)s. We have emailed them to let them know.")
                    % {"reference": application.reference, "name": assessor.full_name or assessor.email},
                )
                return redirect("qualification:assess", reference=application.reference)
    else:
        initial = {"assessor": application.assigned_to.email} if application.assigned_to_id else {}
        form = AssignForm(initial=initial, **kwargs)
    return render(
        request,
        "qualification/assess/assign.html",
        {"application": application, "form": form, "notice": notice, "closed": closed},
    )


@require_http_methods(["GET", "POST"])
def assess_section(request, reference, section_key):
    application, denied = _application_for(request, reference, _may_assess)
    if denied:
        return denied
    units = _assessment_units(application)
    unit = next((u for u in units if u["key"] == section_key), None)
    if unit is None:
        raise Http404("No such section")
    blocked = _closed_message(application)
    if not blocked and unit["open_clarification"]:
        blocked = _("The applicant has not answered your question about this section yet")
    form, notice = AssessSectionForm(), None
    if request.method == "POST" and blocked:
        notice = _notice(blocked)
    elif request.method == "POST":
        form = AssessSectionForm(request.POST)
        if form.is_valid():
            outcome = form.cleaned_data["outcome"]
            try:
                services.assess_section(
                    actor=request.user,
                    application=application,
                    section_key=section_key,
                    outcome=outcome,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if outcome == SectionAssessment.Outcome.CLARIFICATION:
                    message = _("We have sent your question about %(section)s to the applicant") % {
                        "section": unit["title"]
                    }
                else:
                    message = _("You marked %(section)s as %(outcome)s") % {
                        "section": unit["title"],
                        "outcome": str(SectionAssessment.Outcome(outcome).label).lower(),
                    }
                messages.success(request, message)
                return redirect(reverse("qualification:assess", args=[application.reference]) + f"#{unit['anchor']}")
    section = application.content.section(section_key.partition(":")[0])
    return render(
        request,
        "qualification/assess/section.html",
        {
            "application": application,
            "unit": unit,
            "guidance": section.guidance if section else "",
            "form": form,
            "notice": notice,
            "blocked": blocked,
        },
    )


@require_http_methods(["GET", "POST"])
def decide(request, reference):
    application, denied = _application_for(request, reference, _may_decide)
    if denied:
        return denied
    units = _assessment_units(application)
    choices = list(application.category_choices.all())
    closed = _closed_message(application)
    problems = [] if closed else services.decision_readiness(application)
    qualifying = services.qualifying_categories(application) if not closed and not problems else set()
    kwargs = {"choices": choices, "qualifying": qualifying}
    form, notice = DecisionForm(**kwargs), None
    if request.method == "POST" and (closed or problems):
        notice = _notice(closed or _("You cannot decide yet: %(what)s") % {"what": "; ".join(problems)})
    elif request.method == "POST":
        form = DecisionForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.decide_application(actor=request.user, application=application, decisions=form.decisions())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Decision sent: we have emailed %(org)s, and qualified categories are on the register")
                    % {"org": application.organisation.name},
                )
                return redirect("qualification:assess", reference=application.reference)
    return render(
        request,
        "qualification/assess/decide.html",
        {
            "application": application,
            "units": units,
            "form": form,
            "notice": notice,
            "closed": closed,
            "problems": problems,
            "not_qualifiable": _not_qualifiable_reasons(application, units, qualifying)
            if not closed and not problems
            else {},
            "choices": choices,
        },
    )


urlpatterns = [
    path("assessment/", queue, name="queue"),
    path("assessment/conflicts/", conflicts, name="conflicts"),
    path("assessment/<str:reference>/", review, name="assess"),
    path("assessment/<str:reference>/assign/", assign, name="assign"),
    path("assessment/<str:reference>/sections/<str:section_key>/", assess_section, name="assess-section"),
    path("assessment/<str:reference>/decision/", decide, name="decide"),
]
