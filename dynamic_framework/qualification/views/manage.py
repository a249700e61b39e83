"""Framework managers keep the framework and its questions up to date, without code changes.

The framework's details, opening and closing it, its extension options; the versions of the questions; a draft
version's sections and questions, changed here and then published. Published versions never change: new
applications answer the latest one, and applications already started keep the version they started with.
Every write goes through services.py; these pages are for framework managers only (rules perms
qualification.manage_framework and qualification.edit_questions).
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.time import format_uk_date
from dynamic_framework.organisations.classification import SIZE_BAND_BY_CODE

from .. import selectors, services
from ..content import (
    KIND_LABELS,
    ORGANISATION_QUESTIONS,
    SCOPE_QUESTIONS,
    WHEN,
    Content,
    Question,
    SectionKind,
)
from ..forms_manage import (
    AddQuestionForm,
    CloseForm,
    FrameworkForm,
    PublishForm,
    QuestionForm,
    SectionForm,
    date_input_params,
)
from ..models import FrameworkExtension, GlossaryTerm, QuestionSet

PAGE_SIZE = 20
MANAGE = "qualification.manage_framework"
EDIT = "qualification.edit_questions"


def _require_perm(request, perm: str):
    """Signed out: go and sign in, then come back. Signed in without permission: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return None


def _framework():
    framework = selectors.the_framework()
    if framework is None:
        raise Http404("There is no framework yet")
    return framework


def _question_sets(framework):
    """Every version, newest first, with how many applications answered each (a fixed number of queries)."""
    return (
        QuestionSet.objects.filter(framework=framework)
        .select_related("published_by", "created_by")
        .annotate(application_count=Count("applications"))
        .order_by("-version")
    )


def _question_set(framework, version: int) -> QuestionSet:
    question_set = QuestionSet.objects.filter(framework=framework, version=version).select_related(
        "published_by", "created_by"
    )
    found = question_set.first()
    if found is None:
        raise Http404("No such version")
    return found


def _draft(framework) -> QuestionSet | None:
    return framework.question_sets.filter(published_at__isnull=True).first()


def _published_refusal(request, question_set):
    messages.error(request, _("Published versions never change: make a new version to change the questions."))
    return redirect("qualification:question-set", version=question_set.version)


def _messages_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# The framework -----------------------------------------------------------------------------------------------


def manage(request):
    denied = _require_perm(request, MANAGE)
    if denied:
        return denied
    framework = _framework()
    if request.method == "POST":
        form = FrameworkForm(request.POST)
        if form.is_valid():
            try:
                services.update_framework(actor=request.user, framework=framework, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The framework's details are saved"))
                return redirect("qualification:manage")
    else:
        form = FrameworkForm(initial=FrameworkForm.initial_for(framework))
    today = timezone.localdate()
    extensions = list(framework.extensions.select_related("exercised_by").order_by("position"))
    next_extension = next((e for e in extensions if e.exercised_at is None), None)
    status = framework.status_on(today)
    ended = status == framework.Status.ENDED
    return render(
        request,
        "qualification/manage/manage.html",
        {
            "framework": framework,
            "form": form,
            "date_input": date_input_params,
            "status_label": framework.Status(status).label,
            "status": status,
            "can_open": not ended and (framework.opened_at is None or framework.closed_at is not None),
            "can_close": not ended and framework.opened_at is not None and framework.closed_at is None,
            "extensions": extensions,
            "next_extension": next_extension if next_extension and today <= next_extension.exercise_by else None,
            "current": services.current_question_set(framework),
            "draft": _draft(framework),
        },
    )


@require_POST
def open_framework(request):
    denied = _require_perm(request, MANAGE)
    if denied:
        return denied
    try:
        services.open_framework(actor=request.user, framework=_framework())
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        messages.success(request, _("The framework is open for applications"))
    return redirect("qualification:manage")


def close_framework(request):
    denied = _require_perm(request, MANAGE)
    if denied:
        return denied
    framework = _framework()
    if framework.opened_at is None or framework.closed_at is not None:
        messages.error(request, _("The framework is not open for applications"))
        return redirect("qualification:manage")
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_framework(actor=request.user, framework=framework, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The framework is closed to new applications"))
            return redirect("qualification:manage")
    return render(request, "qualification/manage/close.html", {"framework": framework, "form": form})


@require_POST
def exercise_extension(request, pk):
    denied = _require_perm(request, MANAGE)
    if denied:
        return denied
    extension = FrameworkExtension.objects.filter(pk=pk).first()
    if extension is None:
        raise Http404("No such extension")
    try:
        extension = services.exercise_extension(actor=request.user, extension=extension)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
    else:
        framework = extension.framework
        framework.__dict__.pop("_extensions", None)
        messages.success(
            request,
            _("The framework is extended by %(months)s months: it now ends on %(date)s")
            % {"months": extension.months, "date": format_uk_date(framework.effective_end)},
        )
    return redirect("qualification:manage")


# The versions of the questions ---------------------------------------------------------------------------------


def _band_counts(content: Content) -> list[dict]:
    return [{"band": SIZE_BAND_BY_CODE[count.size_band], "count": count} for count in content.counts()]


def questions(request):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    if request.method == "POST":
        try:
            draft = services.start_new_version(actor=request.user, framework=framework)
        except ValidationError as exc:
            messages.error(request, _messages_of(exc))
            return redirect("qualification:questions")
        messages.success(
            request,
            _("Version %(version)s is a draft copy of the latest version. Change it, then publish it.")
            % {"version": draft.version},
        )
        return redirect("qualification:question-set", version=draft.version)
    page = Paginator(_question_sets(framework), PAGE_SIZE).get_page(request.GET.get("page"))
    current = services.current_question_set(framework)
    return render(
        request,
        "qualification/manage/questions.html",
        {
            "framework": framework,
            "page": page,
            "pagination": page_links(request, page, label=_("Pages of versions")),
            "current": current,
            "draft": _draft(framework),
            "band_counts": _band_counts(current.parsed) if current else [],
        },
    )


# One version ---------------------------------------------------------------------------------------------------


def _field_label(name: str) -> str:
    return {
        "kind": _("type of answer"),
        "label": _("question"),
        "hint": _("hint"),
        "size_bands": _("sizes of organisation"),
        "when": _("only in Wales"),
        "required": _("whether an answer is needed"),
        "word_limit": _("word limit"),
        "explain_when": _("when to ask for an explanation"),
        "explain_label": _("what to ask for in the explanation"),
        "options": _("options"),
        "glossary": _("glossary terms"),
        "section": _("section"),
    }.get(name, name)


@dataclass
class Comparison:
    """What a draft changes from the current published version, question by question (by key)."""

    against: QuestionSet
    added: list = field(default_factory=list)  # (section, question)
    removed: list = field(default_factory=list)  # (section, question)
    changed: list = field(default_factory=list)  # (section, question, [field labels])
    sections: list = field(default_factory=list)  # sections whose title, guidance or condition changed

    @property
    def nothing(self) -> bool:
        return not (self.added or self.removed or self.changed or self.sections)


def compare(old: Content, new: Content, against: QuestionSet) -> Comparison:
    old_questions = {q.key: (s, q) for s in old.sections for q in s.questions}
    new_questions = {q.key: (s, q) for s in new.sections for q in s.questions}
    comparison = Comparison(against=against)
    for key, (section, question) in new_questions.items():
        if key not in old_questions:
            comparison.added.append((section, question))
            continue
        old_section, old_question = old_questions[key]
        before, after = old_question.as_dict(), question.as_dict()
        fields = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
        if old_section.key != section.key:
            fields.append("section")
        if fields:
            comparison.changed.append((section, question, [_field_label(name) for name in fields]))
    comparison.removed = [pair for key, pair in old_questions.items() if key not in new_questions]
    for section in new.sections:
        before = old.section(section.key)
        if before is None or (before.title, before.guidance, before.when) != (
            section.title,
            section.guidance,
            section.when,
        ):
            comparison.sections.append(section)
    return comparison


def _who(question: Question) -> str:
    if question.for_every_band:
        return _("Everyone")
    return ", ".join(str(SIZE_BAND_BY_CODE[band].label) for band in question.size_bands)


def _version_context(framework, question_set: QuestionSet) -> dict:
    content = question_set.parsed
    used = {slug for s in content.sections for q in s.questions for slug in q.glossary}
    terms = dict(GlossaryTerm.objects.filter(slug__in=used).values_list("slug", "term")) if used else {}
    current = services.current_question_set(framework)
    comparison = None
    if not question_set.is_published and current is not None:
        comparison = compare(current.parsed, content, current)
    return {
        "framework": framework,
        "question_set": question_set,
        "content": content,
        "current": current,
        "band_counts": _band_counts(content),
        "comparison": comparison,
        "kind_labels": KIND_LABELS,
        "when_labels": WHEN,
        "glossary_terms": terms,
        "who": _who,
        "SectionKind": SectionKind,
        "section_kinds": {
            SectionKind.ORGANISATION: _("The organisation's details, filled in from its record"),
            SectionKind.SCOPE: _("The types of service and the areas applied for"),
            SectionKind.QUESTIONS: _("Questions"),
            SectionKind.CASE_STUDIES: _("A case study, asked once for each type of service applied for"),
        },
        "fixed_questions": {SectionKind.ORGANISATION: ORGANISATION_QUESTIONS, SectionKind.SCOPE: SCOPE_QUESTIONS},
    }


@require_GET
def question_set(request, version):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    context = _version_context(framework, question_set)
    context["draft"] = None if not question_set.is_published else _draft(framework)
    return render(request, "qualification/manage/question_set.html", context)


def _section_or_404(question_set: QuestionSet, section_key: str):
    section = question_set.parsed.section(section_key)
    if section is None:
        raise Http404("No such section")
    return section


def _question_or_404(question_set: QuestionSet, question_key: str):
    for section in question_set.parsed.sections:
        question = section.question(question_key)
        if question is not None:
            return section, question
    raise Http404("No such question")


def edit_section(request, version, section_key):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    section = _section_or_404(question_set, section_key)
    if question_set.is_published:
        return _published_refusal(request, question_set)
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.update_section_text(
                    actor=request.user,
                    question_set=question_set,
                    section_key=section.key,
                    title=form.cleaned_data["title"],
                    guidance=form.cleaned_data["guidance"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The section “%(title)s” is saved") % {"title": form.cleaned_data["title"]})
                return _back_to(question_set, section.key)
    else:
        form = SectionForm(initial={"title": section.title, "guidance": section.guidance})
    return render(
        request,
        "qualification/manage/edit_section.html",
        {"framework": framework, "question_set": question_set, "section": section, "form": form},
    )


def _back_to(question_set: QuestionSet, anchor: str):
    return redirect(reverse("qualification:question-set", kwargs={"version": question_set.version}) + f"#{anchor}")


def _glossary_terms():
    return list(GlossaryTerm.objects.order_by("term"))


def edit_question(request, version, question_key):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    section, question = _question_or_404(question_set, question_key)
    if question_set.is_published:
        return _published_refusal(request, question_set)
    terms = _glossary_terms()
    if request.method == "POST":
        form = QuestionForm(request.POST, glossary_terms=terms)
        if form.is_valid():
            try:
                services.update_question(
                    actor=request.user, question_set=question_set, question_key=question.key, **form.question_fields()
                )
            except ValidationError as exc:
                form.add_content_errors(exc, question.key)
            else:
                messages.success(request, _("The question %(key)s is saved") % {"key": question.key})
                return _back_to(question_set, f"question-{question.key}")
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(question), glossary_terms=terms)
    return render(
        request,
        "qualification/manage/question_form.html",
        {
            "framework": framework,
            "question_set": question_set,
            "section": section,
            "question": question,
            "form": form,
            "is_case_study": section.kind == SectionKind.CASE_STUDIES,
        },
    )


def add_question(request, version, section_key):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    section = _section_or_404(question_set, section_key)
    if section.kind != SectionKind.QUESTIONS:
        raise Http404("Questions can only be added to sections of questions")
    if question_set.is_published:
        return _published_refusal(request, question_set)
    terms = _glossary_terms()
    existing = {q.key for s in question_set.parsed.sections for q in s.questions}
    if request.method == "POST":
        form = AddQuestionForm(request.POST, glossary_terms=terms, existing_keys=existing)
        if form.is_valid():
            key = form.cleaned_data["key"]
            try:
                services.add_question(
                    actor=request.user,
                    question_set=question_set,
                    section_key=section.key,
                    key=key,
                    **form.question_fields(),
                )
            except ValidationError as exc:
                form.add_content_errors(exc, key)
            else:
                messages.success(request, _("The question %(key)s is added") % {"key": key})
                return _back_to(question_set, f"question-{key}")
    else:
        form = AddQuestionForm(initial=AddQuestionForm.initial_for_new(), glossary_terms=terms, existing_keys=existing)
    return render(
        request,
        "qualification/manage/question_form.html",
        {
            "framework": framework,
            "question_set": question_set,
            "section": section,
            "question": None,
            "form": form,
            "is_case_study": False,
        },
    )


@require_POST
def remove_question(request, version, question_key):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    section, question = _question_or_404(question_set, question_key)
    try:
        services.remove_question(actor=request.user, question_set=question_set, question_key=question.key)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return _back_to(question_set, f"question-{question.key}")
    messages.success(request, _("The question %(key)s is removed") % {"key": question.key})
    return _back_to(question_set, section.key)


def publish(request, version):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    if question_set.is_published:
        messages.error(request, _("Version %(version)s is already published") % {"version": question_set.version})
        return redirect("qualification:question-set", version=question_set.version)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publish_question_set(
                actor=request.user, question_set=question_set, change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s is published: new applications answer it") % {"version": question_set.version},
            )
            return redirect("qualification:questions")
    context = _version_context(framework, question_set)
    context["form"] = form
    return render(request, "qualification/manage/publish.html", context)


@require_POST
def discard(request, version):
    denied = _require_perm(request, EDIT)
    if denied:
        return denied
    framework = _framework()
    question_set = _question_set(framework, version)
    try:
        services.discard_draft(actor=request.user, question_set=question_set)
    except ValidationError as exc:
        messages.error(request, _messages_of(exc))
        return redirect("qualification:question-set", version=question_set.version)
    messages.success(request, _("The draft version %(version)s is discarded") % {"version": question_set.version})
    return redirect("qualification:questions")


urlpatterns = [
    path("framework/manage/", manage, name="manage"),
    path("framework/manage/open/", open_framework, name="manage-open"),
    path("framework/manage/close/", close_framework, name="manage-close"),
    path("framework/manage/extensions/<int:pk>/exercise/", exercise_extension, name="manage-extend"),
    path("framework/manage/questions/", questions, name="questions"),
    path("framework/manage/questions/<int:version>/", question_set, name="question-set"),
    path("framework/manage/questions/<int:version>/sections/<str:section_key>/", edit_section, name="edit-section"),
    path("framework/manage/questions/<int:version>/sections/<str:section_key>/add/", add_question, name="add-question"),
    path("framework/manage/questions/<int:version>/questions/<str:question_key>/", edit_question, name="edit-question"),
    path(
        "framework/manage/questions/<int:version>/questions/<str:question_key>/remove/",
        remove_question,
        name="remove-question",
    ),
    path("framework/manage/questions/<int:version>/publish/", publish, name="publish"),
    path("framework/manage/questions/<int:version>/discard/", discard, name="discard"),
]
