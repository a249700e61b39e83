"""The framework's public pages, and providers applying: their applications, the task list, one page per section,
documents, check your answers and submit, withdrawing, and answering an assessor's questions.

Thin views: every write is a service call, reads come from selectors, and who may do what is a rules permission
(see rules.py): signed out, sign in first; signed in without the permission, 403; an unknown reference, 404.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dynamic_framework.accounts.rules import member_organisation_ids
from dynamic_framework.core import uploads
from dynamic_framework.core.pagination import page_links
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.classification import SIZE_BAND_BY_CODE
from dynamic_framework.organisations.models import Organisation

from .. import answers as answer_rules
from .. import selectors, services
from ..content import (
    BANDS,
    KIND_LABELS,
    ORGANISATION_QUESTIONS,
    SCOPE_QUESTIONS,
    Content,
    Kind,
    SectionKind,
)
from ..forms import (
    ClarificationAnswerForm,
    DeclarationForm,
    OrganisationSectionForm,
    SectionQuestionsForm,
    SizeBandForm,
    StartForm,
    WithdrawForm,
    add_service_errors,
)
from ..models import GlossaryTerm
from ..services import SectionState

PAGE_SIZE = 20
MAX_UPLOAD_MB = uploads.MAX_UPLOAD_BYTES // (1024 * 1024)


# Helpers -------------------------------------------------------------------------------------------------------


def _framework():
    framework = selectors.the_framework()
    if framework is None:
        raise Http404("There is no framework yet")
    return framework


def _application(request, reference: str, perm: str):
    """(application, None), or (None, a response sending them to sign in). Unknown: 404; not allowed: 403."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    application = selectors.application(reference).first()
    if application is None:
        raise Http404("No such application")
    if not request.user.has_perm(perm, application):
        raise PermissionDenied
    return application, None


def _in_wales(application) -> bool:
    return any(area.region.nation == Region.Nation.WALES for area in application.pcc_areas.all())


def _application_url(application) -> str:
    return reverse("qualification:application", kwargs={"reference": application.reference})


def _section_url(application, section_key: str) -> str:
    return reverse("qualification:section", kwargs={"reference": application.reference, "section_key": section_key})


def _glossary() -> dict[str, str]:
    return dict(GlossaryTerm.objects.values_list("slug", "term"))


def _register_url() -> str:
    """Create an account for an organisation (or sign in, while that page does not exist)."""
    try:
        return reverse("accounts:register")
    except NoReverseMatch:
        return reverse("accounts:sign-in")


def _provider_organisations(user):
    ids = member_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.PROVIDER).order_by("name"))


# What you will need ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class NeedItem:
    label: str
    kind: str = ""
    document: bool = False
    wales: bool = False
    word_limit: int | None = None
    per_category: bool = False

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, ""))


def what_is_asked(content: Content, size_band: str) -> list[dict]:
    """Section by section, what an organisation of this size band is asked (Welsh questions marked)."""
    out = []
    for section in content.sections:
        wales = section.when == "wales"
        if section.kind == SectionKind.ORGANISATION:
            items = [NeedItem(str(label)) for _key, label in ORGANISATION_QUESTIONS]
        elif section.kind == SectionKind.SCOPE:
            items = [NeedItem(str(label)) for _key, label in SCOPE_QUESTIONS]
        elif section.kind == SectionKind.CASE_STUDIES:
            question = section.case_study
            if question is None:
                continue
            items = [
                NeedItem(
                    _("One example of your past work for each type of service you apply for"),
                    kind=question.kind,
                    word_limit=question.word_limit,
                    per_category=True,
                )
            ]
        else:
            items = [
                NeedItem(
                    question.label,
                    kind=question.kind,
                    document=question.kind == Kind.FILE,
                    wales=wales or question.when == "wales",
                    word_limit=question.word_limit,
                )
                for question in section.questions_for(size_band, in_wales=True)
            ]
        if items:
            out.append({"section": section, "wales": wales, "items": items})
    return out


def _needs_context(content: Content | None, size_band: str) -> dict:
    if content is None or size_band not in BANDS:
        return {}
    return {
        "band": SIZE_BAND_BY_CODE[size_band],
        "asked": what_is_asked(content, size_band),
        "count": content.count(size_band),
        "allowed_types": uploads.ALLOWED_LABELS,
        "max_upload_mb": MAX_UPLOAD_MB,
    }


def _users_size_band(user) -> str:
    """The size band of the signed-in provider's organisation (or its application in progress), if known."""
    if not user.is_authenticated:
        return ""
    organisations = _provider_organisations(user)
    if len(organisations) != 1:
        return ""
    band = organisations[0].size_band
    return band if band in BANDS else ""


# Public pages ----------------------------------------------------------------------------------------------------


@require_safe
def framework_page(request, **kwargs):
    framework = _framework()
    question_set = services.current_question_set(framework)
    counts = question_set.parsed.counts() if question_set else []
    user = request.user
    is_provider = user.is_authenticated and bool(_provider_organisations(user))
    return render(
        request,
        "qualification/apply/framework.html",
        {
            "framework": framework,
            "purpose": [p.strip() for p in framework.purpose.split("\n\n") if p.strip()],
            "categories": sorted(framework.categories.all(), key=lambda c: c.number),
            "extensions": list(framework.extensions.all()),
            "counts": [(SIZE_BAND_BY_CODE[c.size_band], c) for c in counts],
            "is_provider": is_provider,
            "register_url": _register_url(),
            "sign_in_url": reverse("accounts:sign-in") + "?next=" + reverse("qualification:applications"),
        },
    )


@require_safe
def what_you_will_need(request, **kwargs):
    framework = _framework()
    question_set = services.current_question_set(framework)
    if question_set is None:
        raise Http404("No published questions yet")
    band = ""
    if "size_band" in request.GET:
        form = SizeBandForm(request.GET)
        if form.is_valid():
            band = form.cleaned_data["size_band"]
    else:
        band = _users_size_band(request.user)
        form = SizeBandForm(initial={"size_band": band} if band else None)
    return render(
        request,
        "qualification/apply/what_you_will_need.html",
        {"framework": framework, "form": form, **_needs_context(question_set.parsed, band)},
    )


@require_safe
def glossary(request, **kwargs):
    return render(request, "qualification/apply/glossary.html", {"terms": GlossaryTerm.objects.order_by("term")})


# Your applications -------------------------------------------------------------------------------------------------


@require_safe
def applications(request, **kwargs):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ids = member_organisation_ids(user)
    if not ids:
        raise PermissionDenied
    organisations = list(
        Organisation.objects.filter(pk__in=ids)
        .annotate(application_count=Count("framework_applications"))
        .order_by("name", "pk")
    )
    framework = selectors.the_framework()
    open_ids = selectors.organisations_with_open_application(framework, ids) if framework else set()
    page = Paginator(selectors.applications_for_organisations(ids), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    groups = []
    for organisation in organisations:
        own = [a for a in rows if a.organisation_id == organisation.pk]
        if not own and (organisation.application_count or page.number > 1):
            continue
        groups.append(
            {
                "organisation": organisation,
                "applications": own,
                "can_start": bool(
                    framework
                    and framework.is_open
                    and organisation.pk not in open_ids
                    and user.has_perm("qualification.apply", organisation)
                ),
            }
        )
    waiting = [(a, c) for a in rows for c in a.open_clarifications if a.decided_at is None and a.withdrawn_at is None]
    return render(
        request,
        "qualification/apply/applications.html",
        {
            "framework": framework,
            "groups": groups,
            "several": len(organisations) > 1,
            "waiting": waiting,
            "page": page,
            "pagination": page_links(request, page, label=_("Pages of applications")),
        },
    )


def start(request, **kwargs):
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    framework = _framework()
    organisations = [o for o in _provider_organisations(user) if user.has_perm("qualification.apply", o)]
    if not organisations:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = StartForm(data if "organisation" in data or request.method == "POST" else None, organisations=organisations)
    organisation = organisations[0] if len(organisations) == 1 else None
    if len(organisations) > 1 and form.is_bound and form.is_valid():
        organisation = next(o for o in organisations if o.slug == form.cleaned_data["organisation"])
    if organisation is not None:
        existing = selectors.open_application(framework, organisation)
        if existing is not None:
            messages.info(
                request,
                _("%(organisation)s already has an application in progress: you can carry on with it here")
                % {"organisation": organisation.name},
            )
            return redirect(_application_url(existing))
    errors = []
    if request.method == "POST" and organisation is not None:
        try:
            application = services.start_application(actor=user, organisation=organisation, framework=framework)
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect(_application_url(application))
    question_set = services.current_question_set(framework)
    band = organisation.size_band if organisation is not None else ""
    return render(
        request,
        "qualification/apply/start.html",
        {
            "framework": framework,
            "organisation": organisation,
            "form": form if len(organisations) > 1 else None,
            "errors": errors,
            **_needs_context(question_set.parsed if question_set else None, band),
        },
    )


# One application -----------------------------------------------------------------------------------------------


def _cannot_start_reason(application, section) -> str:
    if not application.size_band:
        organisation = application.content.section("organisation")
        return _("Fill in “%(section)s” first: the size of your organisation decides the questions") % {
            "section": organisation.title
        }
    if section.kind == SectionKind.CASE_STUDIES:
        return _("Choose the types of service you are applying for first")
    return _("You cannot start this yet")


def _status(state: str) -> dict:
    """The task list's status for a section state (GOV.UK task list pattern)."""
    if state == SectionState.COMPLETED:
        return {"text": _("Completed")}
    if state == SectionState.IN_PROGRESS:
        return {"tag": {"text": _("Incomplete"), "classes": "govuk-tag--blue"}}
    if state == SectionState.NOT_STARTED:
        return {"tag": {"text": _("Not yet started"), "classes": "govuk-tag--light-blue"}}
    return {"text": _("Cannot start yet"), "classes": "govuk-task-list__status--cannot-start-yet"}


def _question_count(application) -> int | None:
    if not application.size_band:
        return None
    count = application.content.count(application.size_band)
    return count.total(categories=len(application.category_choices.all()), in_wales=_in_wales(application))


def _task_list(request, application):
    progress = services.progress(application)
    items = []
    for section, state in progress:
        item = {"title": {"text": section.title}, "status": _status(state)}
        if state == SectionState.CANNOT_START:
            item["hint"] = {"text": _cannot_start_reason(application, section)}
        else:
            item["href"] = _section_url(application, section.key)
        items.append(item)
    complete = all(state == SectionState.COMPLETED for _s, state in progress)
    done = sum(1 for _s, state in progress if state == SectionState.COMPLETED)
    submit_item = {"title": {"text": _("Check your answers and submit")}}
    if complete:
        submit_item["href"] = reverse("qualification:check-answers", kwargs={"reference": application.reference})
        submit_item["status"] = _status(SectionState.NOT_STARTED)
    else:
        submit_item["status"] = _status(SectionState.CANNOT_START)
        submit_item["hint"] = {"text": _("Complete every section first")}
    return render(
        request,
        "qualification/apply/task_list.html",
        {
            "application": application,
            "items": items,
            "submit_items": [submit_item],
            "complete": complete,
            "done": done,
            "total": len(progress),
            "question_count": _question_count(application),
            "size_band": SIZE_BAND_BY_CODE.get(application.size_band),
            "can_withdraw": request.user.has_perm("qualification.withdraw_application", application),
        },
    )


def _about(application, clarification) -> str:
    """What a clarification is about: the section's title, and the type of service for a case study."""
    base_key, _sep, category_slug = clarification.section_key.partition(":")
    section = application.content.section(base_key)
    title = section.title if section is not None else base_key
    category = next((c.category for c in application.category_choices.all() if c.category.slug == category_slug), None)
    return f"{title}: {category.name}" if category is not None else title


def application(request, reference, **kwargs):
    application, denied = _application(request, reference, "qualification.view_application")
    if denied:
        return denied
    user = request.user
    is_member = user.has_perm("qualification.edit_application", application)
    if application.is_draft and is_member:
        return _task_list(request, application)
    clarifications = list(application.clarifications.all())
    return render(
        request,
        "qualification/apply/status.html",
        {
            "application": application,
            "is_member": is_member,
            "sections": selectors.answer_rows(application),
            "open_clarifications": [(c, _about(application, c)) for c in clarifications if c.is_open],
            "answered_clarifications": [(c, _about(application, c)) for c in clarifications if not c.is_open],
            "choices": list(application.category_choices.all()),
            "can_withdraw": application.is_open and user.has_perm("qualification.withdraw_application", application),
            "can_assess": not is_member and application.submitted_at is not None,
        },
    )


# Sections --------------------------------------------------------------------------------------------------------


def _complete(request) -> bool:
    """ "Save and continue" checks that everything is answered; "Save and come back later" only what was given."""
    return request.POST.get("action") != "later"


def _saved(request, application, complete: bool):
    if not complete:
        messages.success(request, _("Your answers have been saved. You can come back to them at any time."))
    return redirect(_application_url(application))


def section(request, reference, section_key, **kwargs):
    application, denied = _application(request, reference, "qualification.edit_application")
    if denied:
        return denied
    if not application.is_draft:
        return redirect(_application_url(application))
    content = application.content
    current = content.section(section_key)
    if current is None or not current.applies(in_wales=_in_wales(application)):
        raise Http404("No such section")
    state = {s.key: st for s, st in services.progress(application)}[current.key]
    if state == SectionState.CANNOT_START:
        messages.error(request, _cannot_start_reason(application, current))
        return redirect(_application_url(application))
    if current.kind == SectionKind.ORGANISATION:
        return _organisation_section(request, application, current)
    if current.kind == SectionKind.SCOPE:
        return _scope_section(request, application, current)
    return _questions_section(request, application, current)


def _organisation_section(request, application, current):
    if request.method == "POST":
        form = OrganisationSectionForm(request.POST)
        complete = _complete(request)
        try:
            services.save_organisation_section(
                actor=request.user, application=application, raw=form.raw(), complete=complete
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _saved(request, application, complete)
    else:
        form = OrganisationSectionForm(initial=OrganisationSectionForm.initial_for(application.organisation_details))
    return render(
        request,
        "qualification/apply/section_organisation.html",
        {
            "application": application,
            "section": current,
            "form": form,
            "size_band": SIZE_BAND_BY_CODE.get(application.size_band),
            "bands": [(SIZE_BAND_BY_CODE[c.size_band], c) for c in application.content.counts()],
        },
    )


def _scope_section(request, application, current):
    categories = sorted(application.framework.categories.all(), key=lambda c: c.number)
    regions = list(
        Region.objects.prefetch_related(Prefetch("pcc_areas", queryset=PccArea.objects.order_by("name"))).order_by(
            "name"
        )
    )
    errors, whole_regions = {}, []
    if request.method == "POST":
        chosen_categories = request.POST.getlist("categories")
        chosen_areas = request.POST.getlist("pcc_areas")
        whole_regions = request.POST.getlist("whole_region")
        areas = list(chosen_areas)
        for region in regions:
            if region.code in whole_regions:
                areas += [a.slug for a in region.pcc_areas.all() if a.slug not in areas]
        complete = _complete(request)
        try:
            services.save_scope(
                actor=request.user,
                application=application,
                categories=chosen_categories,
                pcc_areas=areas,
                complete=complete,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: " ".join(m for e in v for m in e.messages) for k, v in exc.error_dict.items()}
            else:
                errors = {"__all__": " ".join(exc.messages)}
        else:
            return _saved(request, application, complete)
    else:
        chosen_categories = [c.category.slug for c in application.category_choices.all()]
        chosen_areas = [a.slug for a in application.pcc_areas.all()]
    first_area_id = f"region-{regions[0].code}" if regions else "pcc_areas"
    error_list = []
    if "__all__" in errors:
        error_list.append({"text": errors["__all__"]})
    if "categories" in errors:
        error_list.append({"text": errors["categories"], "href": "#categories"})
    if "pcc_areas" in errors:
        error_list.append({"text": errors["pcc_areas"], "href": "#" + first_area_id})
    welsh = next((s for s in application.content.sections if s.when == "wales"), None)
    return render(
        request,
        "qualification/apply/section_scope.html",
        {
            "application": application,
            "section": current,
            "categories": categories,
            "regions": regions,
            "chosen_categories": set(chosen_categories),
            "chosen_areas": set(chosen_areas),
            "whole_regions": set(whole_regions),
            "errors": errors,
            "error_list": error_list,
            "form": {"errors": errors},
            "welsh_section": welsh,
        },
    )


def _section_questions(application, current) -> list:
    if current.kind == SectionKind.CASE_STUDIES:
        question = current.case_study
        return [
            dataclasses.replace(
                question,
                key=answer_rules.case_study_key(choice.category.slug),
                label=question.label.replace("{category}", choice.category.name.lower()),
            )
            for choice in application.category_choices.all()
        ]
    return current.questions_for(application.size_band, in_wales=_in_wales(application))


def _questions_section(request, application, current):
    questions = _section_questions(application, current)
    documents = {d.pk: d for d in application.documents.all()}
    glossary_terms = _glossary()
    if request.method == "POST":
        form = SectionQuestionsForm(
            questions,
            answers=application.answers,
            data=request.POST,
            files=request.FILES,
            documents=documents,
            glossary=glossary_terms,
        )
        complete = _complete(request)
        try:
            services.save_section(
                actor=request.user,
                application=application,
                section_key=current.key,
                raw=form.raw(),
                files=form.uploaded(),
                complete=complete,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return _saved(request, application, complete)
    else:
        form = SectionQuestionsForm(
            questions, answers=application.answers, documents=documents, glossary=glossary_terms
        )
    return render(
        request,
        "qualification/apply/section_questions.html",
        {
            "application": application,
            "section": current,
            "form": form,
            "accept": uploads.ACCEPT_ATTRIBUTE,
            "allowed_types": uploads.ALLOWED_LABELS,
            "max_upload_mb": MAX_UPLOAD_MB,
        },
    )


# Documents ---------------------------------------------------------------------------------------------------------


@never_cache
def document(request, reference, pk, **kwargs):
    application, denied = _application(request, reference, "qualification.view_application")
    if denied:
        return denied
    found = next((d for d in application.documents.all() if d.pk == pk), None)
    if found is None:
        raise Http404("No such document")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(handle, as_attachment=True, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def remove_document(request, reference, question_key, **kwargs):
    application, denied = _application(request, reference, "qualification.edit_application")
    if denied:
        return denied
    if not application.is_draft:
        return redirect(_application_url(application))
    in_wales = _in_wales(application)
    owner = next(
        (
            s
            for s, q in application.content.questions_for(application.size_band, in_wales=in_wales)
            if q.key == question_key and q.kind == Kind.FILE
        ),
        None,
    )
    if owner is None:
        raise Http404("No such question")
    try:
        services.remove_document(actor=request.user, application=application, question_key=question_key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document has been removed. You can upload another one."))
    return redirect(_section_url(application, owner.key))


# Check your answers and submit -------------------------------------------------------------------------------


def check_answers(request, reference, **kwargs):
    application, denied = _application(request, reference, "qualification.edit_application")
    if denied:
        return denied
    user = request.user
    if application.submitted_at is not None:
        if request.method == "POST" and application.submitted_by_id == user.pk:
            # A second click on "Submit": the first one has already done it.
            return redirect("qualification:submitted", reference=application.reference)
        return redirect(_application_url(application))
    if not application.is_draft:
        return redirect(_application_url(application))
    can_submit = user.has_perm("qualification.submit_application", application)
    form = DeclarationForm(
        request.POST if request.method == "POST" else None, organisation_name=application.organisation.name
    )
    if request.method == "POST":
        if not can_submit:
            raise PermissionDenied
        form.is_valid()
        try:
            services.submit_application(
                actor=user,
                application=application,
                declaration_name=form.cleaned_data.get("declaration_name", ""),
                declaration_role=form.cleaned_data.get("declaration_role", ""),
                declared=bool(form.cleaned_data.get("declared")),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("qualification:submitted", reference=application.reference)
    progress = services.progress(application)
    incomplete = {s.key for s, state in progress if state != SectionState.COMPLETED}
    return render(
        request,
        "qualification/apply/check_answers.html",
        {
            "application": application,
            "sections": selectors.answer_rows(application),
            "incomplete": incomplete,
            "incomplete_sections": [s for s, state in progress if state != SectionState.COMPLETED],
            "form": form,
            "can_submit": can_submit,
            "email_unconfirmed": not getattr(user, "has_confirmed_email", True),
        },
    )


def submitted(request, reference, **kwargs):
    application, denied = _application(request, reference, "qualification.edit_application")
    if denied:
        return denied
    if application.submitted_at is None:
        return redirect(_application_url(application))
    return render(request, "qualification/apply/submitted.html", {"application": application})


def withdraw(request, reference, **kwargs):
    application, denied = _application(request, reference, "qualification.withdraw_application")
    if denied:
        return denied
    if not application.is_open:
        messages.error(
            request,
            _("A decision has been made on this application, so it cannot be withdrawn")
            if application.decided_at
            else _("This application has already been withdrawn"),
        )
        return redirect(_application_url(application))
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_application(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Application %(reference)s has been withdrawn. You can apply again at any time.")
                % {"reference": application.reference},
            )
            return redirect("qualification:applications")
    return render(request, "qualification/apply/withdraw.html", {"application": application, "form": form})


# Questions from the assessor ---------------------------------------------------------------------------------


def clarification(request, reference, pk, **kwargs):
    application, denied = _application(request, reference, "qualification.answer_clarification")
    if denied:
        return denied
    found = next((c for c in application.clarifications.all() if c.pk == pk), None)
    if found is None:
        raise Http404("No such question")
    base_key, _sep, category_slug = found.section_key.partition(":")
    about = application.content.section(base_key)
    rows = []
    for answers in selectors.answer_rows(application):
        if answers.key == base_key:
            rows = answers.rows
            if category_slug:
                rows = [r for r in rows if r.key == answer_rules.case_study_key(category_slug)]
    category = next((c.category for c in application.category_choices.all() if c.category.slug == category_slug), None)
    can_answer = found.is_open and application.is_open
    form = ClarificationAnswerForm(
        request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None
    )
    if request.method == "POST" and can_answer:
        form.is_valid()
        try:
            services.answer_clarification(
                actor=request.user,
                clarification=found,
                answer=request.POST.get("answer", ""),
                uploaded=request.FILES.get("document"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been sent to the assessor"))
            return redirect(_application_url(application))
    return render(
        request,
        "qualification/apply/clarification.html",
        {
            "application": application,
            "clarification": found,
            "about": about,
            "category": category,
            "rows": rows,
            "form": form,
            "can_answer": can_answer,
            "word_limit": services.NOTE_WORD_LIMIT,
            "accept": uploads.ACCEPT_ATTRIBUTE,
            "allowed_types": uploads.ALLOWED_LABELS,
            "max_upload_mb": MAX_UPLOAD_MB,
        },
    )


urlpatterns = [
    path("framework/", framework_page, name="framework"),
    path("framework/what-you-will-need/", what_you_will_need, name="what-you-will-need"),
    path("framework/glossary/", glossary, name="glossary"),
    path("applications/", applications, name="applications"),
    path("applications/start/", start, name="start"),
    path("applications/<str:reference>/", application, name="application"),
    path("applications/<str:reference>/sections/<str:section_key>/", section, name="section"),
    path("applications/<str:reference>/documents/<int:pk>/", document, name="document"),
    path("applications/<str:reference>/documents/<str:question_key>/remove/", remove_document, name="remove-document"),
    path("applications/<str:reference>/check-your-answers/", check_answers, name="check-answers"),
    path("applications/<str:reference>/submitted/", submitted, name="submitted"),
    path("applications/<str:reference>/withdraw/", withdraw, name="withdraw"),
    path("applications/<str:reference>/questions/<int:pk>/", clarification, name="clarification"),
]
