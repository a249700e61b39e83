"""Commissioners' pages: create, change, send for approval, approve and publish, amend, cancel and copy call-offs,
and answer providers' questions. See views/__init__.py.

Every page is for commissioners of the call-off's region (`calloffs.manage_call_off`; the list and the create page:
`calloffs.create_call_off`): signed out, sign in; anyone else, 403; an unknown reference, 404. Every write goes
through services.py. Sealed bids: these pages never show which organisations bid, nor who asked a question. After
the deadline they show only the number of bids (services.counted_bids).
"""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dynamic_framework.accounts.rules import commissioner_region_ids
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.uploads import ACCEPT_ATTRIBUTE
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.models import Organisation

from .. import services
from ..forms_manage import (
    AmendForm,
    AnswerForm,
    CallOffForm,
    DocumentForm,
    LotForm,
    QualityQuestionForm,
    ReasonForm,
    YearRowsForm,
)
from ..models import SCORE_SCALE, TIE_BREAK_RULE, CallOff, ClarificationQuestion, Lot, QualityQuestion

PAGE_SIZE = 20
Status = CallOff.Status

# Reads ------------------------------------------------------------------------------------------------------------

# The order in which CallOff.status_at looks at the recorded times: the first one set decides the status.
_ENDINGS = [
    (Status.CANCELLED, "cancelled_at"),
    (Status.NO_AWARD, "no_award_at"),
    (Status.AWARDED, "awarded_at"),
    (Status.STANDSTILL, "award_approved_at"),
    (Status.AWARD_RECOMMENDED, "award_recommended_at"),
    (Status.IN_EVALUATION, "panel_formed_at"),
]


def status_q(status: str, now) -> Q:
    """The call-offs whose derived status (CallOff.status_at) is `status` at `now`, as a database filter."""
    q = Q()
    for code, field in _ENDINGS:
        if status == code:
            return q & Q(**{f"{field}__isnull": False})
        q &= Q(**{f"{field}__isnull": True})
    if status == Status.PUBLISHED:
        return q & Q(published_at__isnull=False, deadline_at__gt=now)
    if status == Status.CLOSED:
        return q & Q(published_at__isnull=False, deadline_at__lte=now)
    q &= Q(published_at__isnull=True)
    if status == Status.AWAITING_APPROVAL:
        return q & Q(submitted_for_approval_at__isnull=False)
    return q & Q(submitted_for_approval_at__isnull=True)


def _commissioned(user):
    return CallOff.objects.filter(region_id__in=commissioner_region_ids(user))


def _load(reference: str) -> CallOff:
    call_off = (
        CallOff.objects.select_related("region", "co_commissioner", "submitted_for_approval_by", "published_by")
        .filter(reference=reference)
        .first()
    )
    if call_off is None:
        raise Http404("No such call-off")
    return call_off


def _weights(call_off: CallOff) -> dict:
    quality = sum(q.weight for q in call_off.quality_questions.all())
    total = quality + call_off.price_weight + call_off.social_value_weight
    text = _("quality %(quality)s + price %(price)s + social value %(social)s = %(total)s") % {
        "quality": quality,
        "price": call_off.price_weight,
        "social": call_off.social_value_weight,
        "total": total,
    }
    return {"quality": quality, "total": total, "text": text, "adds_up": total == 100}


# Permission --------------------------------------------------------------------------------------------------------


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def commissioner_page(view):
    """The list and the create page: commissioners only."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        denied = _signed_in(request)
        if denied:
            return denied
        if not request.user.has_perm("calloffs.create_call_off"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def manages_call_off(view):
    """Sign in, then the call-off by its reference (404), then `calloffs.manage_call_off` (403). The view gets the
    call-off instead of its reference."""

    @functools.wraps(view)
    def wrapped(request, reference, *args, **kwargs):
        denied = _signed_in(request)
        if denied:
            return denied
        call_off = _load(reference)
        if not request.user.has_perm("calloffs.manage_call_off", call_off):
            raise PermissionDenied
        return view(request, call_off, *args, **kwargs)

    return wrapped


def _to_detail(call_off, message=None, request=None):
    if message and request is not None:
        messages.info(request, message)
    return redirect("calloffs:detail", reference=call_off.reference)


def _not_a_draft(request, call_off):
    """None for a draft; otherwise a redirect to the overview saying why it cannot be changed here."""
    status = call_off.status
    if status == Status.DRAFT:
        return None
    if status == Status.AWAITING_APPROVAL:
        return _to_detail(
            call_off, _("This call-off is waiting for approval: it must be sent back before it can change"), request
        )
    if call_off.open_for_bids():
        return _to_detail(call_off, _("This call-off is published: change it with an amendment"), request)
    return _to_detail(call_off, _("This call-off can no longer be changed"), request)


# The list and creating -----------------------------------------------------------------------------------------------


@require_GET
@commissioner_page
def call_off_list(request):
    now = timezone.now()
    mine = _commissioned(request.user)
    counts = mine.aggregate(**{code: Count("pk", filter=status_q(code, now)) for code in Status.values})
    chosen = request.GET.get("status", "")
    if chosen not in Status.values:
        chosen = ""
    call_offs = mine.select_related("region").order_by("-created_at", "-pk")
    if chosen:
        call_offs = call_offs.filter(status_q(chosen, now))
    paginator = Paginator(call_offs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    filters = [{"code": "", "label": _("All"), "count": sum(counts.values()), "current": not chosen}] + [
        {"code": code, "label": str(label), "count": counts[code], "current": chosen == code}
        for code, label in Status.choices
        if counts[code] or chosen == code
    ]
    return render(
        request,
        "calloffs/manage/list.html",
        {
            "page": page,
            "rows": [{"call_off": c, "status": c.status_at(now)} for c in page],
            "filters": filters,
            "chosen": chosen,
            "chosen_label": str(Status(chosen).label) if chosen else "",
            "pagination": page_links(request, page, label=_("Pages of call-offs")),
        },
    )


def _form_choices(user=None) -> dict:
    choices = {
        "categories": list(ServiceCategory.objects.order_by("number")),
        "commissioning_bodies": list(
            Organisation.objects.filter(kind=Organisation.Kind.COMMISSIONING_BODY).order_by("name")
        ),
    }
    if user is not None:
        choices["regions"] = list(Region.objects.filter(pk__in=commissioner_region_ids(user)).order_by("name"))
    return choices


@commissioner_page
def create(request):
    choices = _form_choices(request.user)
    if request.method == "POST":
        form = CallOffForm(request.POST, **choices)
        if form.is_valid():
            try:
                call_off = services.create_call_off(
                    actor=request.user, region=form.chosen_region(), **form.service_kwargs()
                )
            except ValidationError as exc:
                add_service_errors(form, exc, CallOffForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Call-off created. Now add its lots and quality questions."))
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = CallOffForm(**choices)
    return render(request, "calloffs/manage/edit.html", {"form": form, "call_off": None})


@manages_call_off
def edit(request, call_off):
    refused = _not_a_draft(request, call_off)
    if refused:
        return refused
    choices = _form_choices()
    if request.method == "POST":
        form = CallOffForm(request.POST, with_region=False, **choices)
        if form.is_valid():
            try:
                services.update_call_off(actor=request.user, call_off=call_off, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc, CallOffForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Details saved"))
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = CallOffForm(initial=CallOffForm.initial_for(call_off), with_region=False, **choices)
    return render(request, "calloffs/manage/edit.html", {"form": form, "call_off": call_off})


# The overview --------------------------------------------------------------------------------------------------------

_DETAILS_PROBLEMS = {"questions_close_at", "deadline_at", "expected_award_on", "term_start", "categories"}
_CRITERIA_PROBLEMS = {"weights", "quality_questions", "social_value_question"}


def _problem_link(call_off, key: str) -> str:
    if key in _CRITERIA_PROBLEMS:
        name = "calloffs:criteria"
    elif key == "lots" or key.startswith("lot_"):
        name = "calloffs:lots"
    else:
        name = "calloffs:edit"
    return reverse(name, kwargs={"reference": call_off.reference})


def _checklist(call_off, problems: dict, lots, questions, documents) -> list[dict]:
    def keys(test):
        return [k for k in problems if test(k)]

    details = keys(lambda k: k in _DETAILS_PROBLEMS)
    lot_problems = keys(lambda k: k == "lots" or k.startswith("lot_"))
    criteria = keys(lambda k: k in _CRITERIA_PROBLEMS)
    ref = {"reference": call_off.reference}
    return [
        {
            "title": _("Details and timetable"),
            "href": reverse("calloffs:edit", kwargs=ref),
            "done": not details,
            "messages": [problems[k] for k in details],
        },
        {
            "title": _("Lots and their values"),
            "href": reverse("calloffs:lots", kwargs=ref),
            "done": not lot_problems,
            "messages": [problems[k] for k in lot_problems],
            "note": _("%(count)s lots") % {"count": len(lots)} if len(lots) != 1 else _("1 lot"),
        },
        {
            "title": _("Quality questions and weights"),
            "href": reverse("calloffs:criteria", kwargs=ref),
            "done": not criteria,
            "messages": [problems[k] for k in criteria],
        },
        {
            "title": _("Documents"),
            "href": reverse("calloffs:documents", kwargs=ref),
            "done": True,
            "optional": not documents,
            "messages": [],
        },
    ]


def _detail_context(request, call_off, *, problems=None) -> dict:
    now = timezone.now()
    status = call_off.status_at(now)
    lots = list(call_off.lots.prefetch_related("pcc_areas", "years"))
    questions = list(call_off.quality_questions.all())
    documents = list(call_off.documents.filter(removed_at__isnull=True))
    amendments = list(call_off.amendments.all())
    readiness = services.readiness(call_off, now) if status == Status.DRAFT else {}
    ended = bool(call_off.cancelled_at or call_off.no_award_at or call_off.awarded_at)
    after_deadline = call_off.published_at is not None and call_off.deadline_passed(now)
    question_counts = call_off.questions.aggregate(
        total=Count("pk"), unanswered=Count("pk", filter=Q(answered_at__isnull=True))
    )
    sent_by_me = call_off.submitted_for_approval_by_id == request.user.pk
    context = {
        "call_off": call_off,
        "status": status,
        "status_label": str(Status(status).label),
        "lots": lots,
        "questions": questions,
        "documents": documents,
        "amendments": amendments,
        "categories": list(call_off.categories.order_by("number")),
        "weights": _weights(call_off),
        "readiness": readiness,
        "checklist": _checklist(call_off, readiness, lots, questions, documents) if status == Status.DRAFT else [],
        "question_counts": question_counts,
        "is_draft": status == Status.DRAFT,
        "awaiting": status == Status.AWAITING_APPROVAL,
        "sent_by_me": sent_by_me,
        "can_amend": call_off.open_for_bids(now),
        "can_cancel": not ended and not call_off.award_approved_at,
        "can_no_award": after_deadline and not ended and not call_off.award_approved_at,
        "after_deadline": after_deadline,
        "show_evaluation": after_deadline and not call_off.cancelled_at,
        # Sealed: only how many bids, and only after the deadline.
        "bid_count": len(services.counted_bids(call_off)) if after_deadline else None,
        "problems": problems or {},
        "problem_items": [
            {"text": message, "href": _problem_link(call_off, key)} for key, message in (problems or {}).items()
        ],
        "is_published": call_off.published_at is not None,
    }
    return context


@require_GET
@manages_call_off
def detail(request, call_off):
    return render(request, "calloffs/manage/detail.html", _detail_context(request, call_off))


@require_POST
@manages_call_off
def submit_for_approval(request, call_off):
    try:
        services.submit_for_approval(actor=request.user, call_off=call_off)
    except ValidationError as exc:
        problems = dict(exc.message_dict) if hasattr(exc, "error_dict") else {"": exc.messages}
        problems = {key: " ".join(messages_) for key, messages_ in problems.items()}
        if "weights" in problems:
            problems["weights"] += " (" + _weights(call_off)["text"] + ")"
        return render(
            request, "calloffs/manage/detail.html", _detail_context(request, call_off, problems=problems), status=200
        )
    messages.success(
        request,
        _("Sent for approval. Another commissioner for %(region)s must approve it before it is published.")
        % {"region": call_off.region.name},
    )
    return redirect("calloffs:detail", reference=call_off.reference)


# Lots ----------------------------------------------------------------------------------------------------------------


def _lot_areas(call_off):
    return list(call_off.region.pcc_areas.order_by("name"))


@manages_call_off
def lots(request, call_off):
    editable = call_off.status == Status.DRAFT
    form = None
    if editable:
        areas = _lot_areas(call_off)
        if request.method == "POST":
            form = LotForm(request.POST, call_off=call_off, areas=areas)
            if form.is_valid():
                try:
                    services.add_lot(actor=request.user, call_off=call_off, **form.service_kwargs())
                except ValidationError as exc:
                    add_service_errors(form, exc, LotForm.SERVICE_FIELDS)
                else:
                    messages.success(request, _("Lot added"))
                    return redirect("calloffs:lots", reference=call_off.reference)
        else:
            form = LotForm(call_off=call_off, areas=areas)
    elif request.method == "POST":
        return _not_a_draft(request, call_off)
    return render(
        request,
        "calloffs/manage/lots.html",
        {
            "call_off": call_off,
            "lots": list(call_off.lots.prefetch_related("pcc_areas", "years")),
            "form": form,
            "editable": editable,
        },
    )


def _lot_of(call_off, pk) -> Lot:
    lot = call_off.lots.prefetch_related("pcc_areas", "years").filter(pk=pk).first()
    if lot is None:
        raise Http404("No such lot")
    return lot


@manages_call_off
def lot(request, call_off, pk):
    the_lot = _lot_of(call_off, pk)
    refused = _not_a_draft(request, call_off)
    if refused:
        return refused
    if request.method == "POST":
        form = YearRowsForm(request.POST)
        if form.is_valid():
            try:
                services.update_lot_years(actor=request.user, lot=the_lot, years=form.years())
            except ValidationError as exc:
                add_service_errors(form, exc, YearRowsForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Values saved for %(lot)s") % {"lot": the_lot.name})
                return redirect("calloffs:lots", reference=call_off.reference)
    else:
        form = YearRowsForm(years=the_lot.years.all())
    return render(request, "calloffs/manage/lot.html", {"call_off": call_off, "lot": the_lot, "form": form})


@require_POST
@manages_call_off
def remove_lot(request, call_off, pk):
    the_lot = _lot_of(call_off, pk)
    try:
        services.remove_lot(actor=request.user, lot=the_lot)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("calloffs:detail", reference=call_off.reference)
    messages.success(request, _("Lot removed: %(lot)s") % {"lot": the_lot.name})
    return redirect("calloffs:lots", reference=call_off.reference)


# Quality questions ---------------------------------------------------------------------------------------------------


@manages_call_off
def criteria(request, call_off):
    editable = call_off.status == Status.DRAFT
    form = None
    if editable:
        if request.method == "POST":
            form = QualityQuestionForm(request.POST)
            if form.is_valid():
                try:
                    services.add_quality_question(actor=request.user, call_off=call_off, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc, QualityQuestionForm.SERVICE_FIELDS)
                else:
                    messages.success(request, _("Quality question added"))
                    return redirect("calloffs:criteria", reference=call_off.reference)
        else:
            form = QualityQuestionForm()
    elif request.method == "POST":
        return _not_a_draft(request, call_off)
    return render(
        request,
        "calloffs/manage/criteria.html",
        {
            "call_off": call_off,
            "questions": list(call_off.quality_questions.all()),
            "weights": _weights(call_off),
            "form": form,
            "editable": editable,
            "score_scale": sorted(SCORE_SCALE.items()),
            "tie_break_rule": TIE_BREAK_RULE,
        },
    )


def _question_of(call_off, pk) -> QualityQuestion:
    question = call_off.quality_questions.filter(pk=pk).first()
    if question is None:
        raise Http404("No such question")
    return question


@manages_call_off
def criterion(request, call_off, pk):
    question = _question_of(call_off, pk)
    refused = _not_a_draft(request, call_off)
    if refused:
        return refused
    if request.method == "POST":
        form = QualityQuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_quality_question(
                    actor=request.user,
                    question=question,
                    text=data["question"],
                    guidance=data["guidance"],
                    word_limit=data["word_limit"],
                    weight=data["weight"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, QualityQuestionForm.SERVICE_FIELDS)
            else:
                messages.success(request, _("Question %(number)s saved") % {"number": question.position})
                return redirect("calloffs:criteria", reference=call_off.reference)
    else:
        form = QualityQuestionForm(initial=QualityQuestionForm.initial_for(question))
    return render(
        request,
        "calloffs/manage/criterion.html",
        {"call_off": call_off, "question": question, "form": form, "weights": _weights(call_off)},
    )


@require_POST
@manages_call_off
def remove_criterion(request, call_off, pk):
    question = _question_of(call_off, pk)
    try:
        services.remove_quality_question(actor=request.user, question=question)
    except ValidationError as exc:
        messages.info(request, " ".join(exc.messages))
        return redirect("calloffs:detail", reference=call_off.reference)
    messages.success(request, _("Question %(number)s removed") % {"number": question.position})
    return redirect("calloffs:criteria", reference=call_off.reference)


# Documents -----------------------------------------------------------------------------------------------------------


@manages_call_off
def documents(request, call_off):
    can_add = not call_off.cancelled_at and not call_off.deadline_passed()
    form = None
    if can_add:
        if request.method == "POST":
            form = DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    services.add_document(
                        actor=request.user,
                        call_off=call_off,
                        title=form.cleaned_data["title"],
                        uploaded=form.cleaned_data.get("file"),
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    if call_off.published_at:
                        messages.success(request, _("Document added and published as an amendment"))
                    else:
                        messages.success(request, _("Document added"))
                    return redirect("calloffs:documents", reference=call_off.reference)
        else:
            form = DocumentForm()
    elif request.method == "POST":
        return _to_detail(call_off, _("Documents can only be added before the deadline"), request)
    return render(
        request,
        "calloffs/manage/documents.html",
        {
            "call_off": call_off,
            "documents": list(call_off.documents.filter(removed_at__isnull=True)),
            "form": form,
            "accept": ACCEPT_ATTRIBUTE,
            "is_published": call_off.published_at is not None,
        },
    )


# Approval ------------------------------------------------------------------------------------------------------------


@manages_call_off
def approve(request, call_off):
    if call_off.status != Status.AWAITING_APPROVAL:
        return _to_detail(call_off, _("This call-off is not waiting for approval"), request)
    sent_by_me = call_off.submitted_for_approval_by_id == request.user.pk
    error = None
    if request.method == "POST":
        try:
            services.approve_and_publish(actor=request.user, call_off=call_off)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Approved and published: providers are being told"))
            return redirect("calloffs:detail", reference=call_off.reference)
    context = _detail_context(request, call_off)
    context.update(
        {
            "sent_by_me": sent_by_me,
            "error": error,
            "told": len(services.qualified_members(call_off)),
            "readiness_now": services.readiness(call_off),
        }
    )
    return render(request, "calloffs/manage/approve.html", context)


@manages_call_off
def send_back(request, call_off):
    if call_off.status != Status.AWAITING_APPROVAL:
        return _to_detail(call_off, _("This call-off is not waiting for approval"), request)
    form_kwargs = {
        "label": _("What needs to change?"),
        "required_message": _("Say what needs to change"),
        "help_text": _("The commissioner who sent it is told this"),
    }
    if request.method == "POST":
        form = ReasonForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.return_to_draft(actor=request.user, call_off=call_off, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Sent back: it is a draft again"))
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = ReasonForm(**form_kwargs)
    return render(request, "calloffs/manage/send_back.html", {"call_off": call_off, "form": form})


# After publication ---------------------------------------------------------------------------------------------------


@manages_call_off
def amend(request, call_off):
    if not call_off.open_for_bids():
        return _to_detail(call_off, _("A call-off can only be amended while it is open for bids"), request)
    the_lots = list(call_off.lots.prefetch_related("pcc_areas", "years"))
    if request.method == "POST":
        form = AmendForm(request.POST)
        lot_forms = [(lot_, YearRowsForm(request.POST, prefix=f"lot{lot_.pk}")) for lot_ in the_lots]
        valid = form.is_valid()
        valid = all([lot_form.is_valid() for _lot, lot_form in lot_forms]) and valid  # noqa: C419 - check every form
        if valid:
            try:
                amendment = services.amend_call_off(
                    actor=request.user,
                    call_off=call_off,
                    lot_years={lot_.pk: lot_form.years() for lot_, lot_form in lot_forms},
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, AmendForm.SERVICE_FIELDS)
            else:
                messages.success(
                    request,
                    _("Amendment %(number)s published. Everyone who has bid has been told.")
                    % {"number": amendment.number},
                )
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = AmendForm(initial=AmendForm.initial_for(call_off))
        lot_forms = [(lot_, YearRowsForm(prefix=f"lot{lot_.pk}", years=lot_.years.all())) for lot_ in the_lots]
    return render(
        request,
        "calloffs/manage/amend.html",
        {"call_off": call_off, "form": form, "lot_forms": lot_forms, "all_forms": [form] + [f for _l, f in lot_forms]},
    )


@manages_call_off
def cancel(request, call_off):
    if call_off.cancelled_at or call_off.no_award_at or call_off.awarded_at or call_off.award_approved_at:
        return _to_detail(call_off, _("This call-off has already ended or its award is approved"), request)
    form_kwargs = {
        "label": _("Why are you cancelling it?"),
        "required_message": _("Say why the call-off is cancelled: this is published"),
        "help_text": _("This is published with the call-off, and sent to everyone who has bid"),
    }
    if request.method == "POST":
        form = ReasonForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.cancel_call_off(actor=request.user, call_off=call_off, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Call-off cancelled"))
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = ReasonForm(**form_kwargs)
    return render(request, "calloffs/manage/cancel.html", {"call_off": call_off, "form": form})


@manages_call_off
def no_award(request, call_off):
    if (
        not call_off.published_at
        or not call_off.deadline_passed()
        or call_off.cancelled_at
        or call_off.no_award_at
        or call_off.award_approved_at
    ):
        return _to_detail(call_off, _("A call-off can be closed with no award only after its deadline"), request)
    form_kwargs = {
        "label": _("Why is there no award?"),
        "required_message": _("Say why there is no award: this is published"),
        "help_text": _("For example: no bid met the minimum quality score. This is published and sent to bidders."),
    }
    if request.method == "POST":
        form = ReasonForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.close_with_no_award(actor=request.user, call_off=call_off, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Closed with no award"))
                return redirect("calloffs:detail", reference=call_off.reference)
    else:
        form = ReasonForm(**form_kwargs)
    return render(request, "calloffs/manage/no_award.html", {"call_off": call_off, "form": form})


@require_POST
@manages_call_off
def copy(request, call_off):
    try:
        new = services.copy_call_off(actor=request.user, call_off=call_off)
    except ValidationError as exc:
        return _to_detail(call_off, " ".join(exc.messages), request)
    messages.success(
        request,
        _(
            "This is a new draft copied from %(reference)s, with the same lots, values and questions. Set a new "
            "timetable (the dates for questions, the deadline, the award and the start) before you send it for "
            "approval."
        )
        % {"reference": call_off.reference},
    )
    return redirect("calloffs:detail", reference=new.reference)


# Providers' questions ------------------------------------------------------------------------------------------------

# Never who asked: these pages read only these fields of a question (not its organisation or the person).
QUESTION_FIELDS = ("id", "call_off_id", "asked_at", "question", "published_question", "answer", "answered_at")


@require_GET
@manages_call_off
def questions(request, call_off):
    asked = (
        ClarificationQuestion.objects.filter(call_off=call_off)
        .only(*QUESTION_FIELDS)
        .order_by(F("answered_at").asc(nulls_first=True), "asked_at", "pk")
    )
    paginator = Paginator(asked, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    counts = call_off.questions.aggregate(total=Count("pk"), unanswered=Count("pk", filter=Q(answered_at__isnull=True)))
    return render(
        request,
        "calloffs/manage/questions.html",
        {
            "call_off": call_off,
            "page": page,
            "counts": counts,
            "can_answer": call_off.published_at is not None
            and not call_off.deadline_passed()
            and not call_off.cancelled_at,
            "pagination": page_links(request, page, label=_("Pages of call-offs")),
        },
    )


@manages_call_off
def answer(request, call_off, pk):
    question = ClarificationQuestion.objects.filter(call_off=call_off, pk=pk).only(*QUESTION_FIELDS).first()
    if question is None:
        raise Http404("No such question")
    if question.answered_at:
        messages.info(request, _("This question has already been answered"))
        return redirect("calloffs:questions", reference=call_off.reference)
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.answer_question(actor=request.user, question=question, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Answer published to everyone"))
                return redirect("calloffs:questions", reference=call_off.reference)
    else:
        form = AnswerForm(initial={"published_question": question.question})
    return render(request, "calloffs/manage/answer.html", {"call_off": call_off, "question": question, "form": form})


urlpatterns = [
    path("call-offs/", call_off_list, name="list"),
    path("call-offs/new/", create, name="create"),
    path("call-offs/<str:reference>/", detail, name="detail"),
    path("call-offs/<str:reference>/edit/", edit, name="edit"),
    path("call-offs/<str:reference>/lots/", lots, name="lots"),
    path("call-offs/<str:reference>/lots/<int:pk>/", lot, name="lot"),
    path("call-offs/<str:reference>/lots/<int:pk>/remove/", remove_lot, name="remove-lot"),
    path("call-offs/<str:reference>/criteria/", criteria, name="criteria"),
    path("call-offs/<str:reference>/criteria/<int:pk>/", criterion, name="criterion"),
    path("call-offs/<str:reference>/criteria/<int:pk>/remove/", remove_criterion, name="remove-criterion"),
    path("call-offs/<str:reference>/documents/", documents, name="documents"),
    path("call-offs/<str:reference>/submit-for-approval/", submit_for_approval, name="submit-for-approval"),
    path("call-offs/<str:reference>/approve/", approve, name="approve"),
    path("call-offs/<str:reference>/send-back/", send_back, name="send-back"),
    path("call-offs/<str:reference>/amend/", amend, name="amend"),
    path("call-offs/<str:reference>/cancel/", cancel, name="cancel"),
    path("call-offs/<str:reference>/no-award/", no_award, name="no-award"),
    path("call-offs/<str:reference>/copy/", copy, name="copy"),
    path("call-offs/<str:reference>/questions/", questions, name="questions"),
    path("call-offs/<str:reference>/questions/<int:pk>/", answer, name="answer"),
]
