"""Evaluation and award pages, after the deadline: the panel, conflicts of interest, independent scoring,
moderation, results, recommendation, four-eyes approval, the standstill, confirmation and the letters.
See views/__init__.py.

Sealed bids: before the deadline every page here answers 404 for everyone (nothing about the bids exists yet for
anyone but the bidder). After it, commissioners of the call-off's region (`calloffs.moderate`) see only the number
of bids until they form the panel; then they and the panel (`calloffs.evaluate`) see who bid. Signed out: sign in;
anyone else: 403; an unknown reference or bid: 404.

Independent scoring: an evaluator sees nothing of another evaluator's scores for a bid until they have submitted
their own sheet for it, and commissioners see the evaluators' scores only when moderation can start (every panel
member has declared, and everyone without a conflict has submitted). Every write goes through services.py.
"""

import copy
import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from dynamic_framework.accounts.models import Role, RoleGrant, User
from dynamic_framework.core.forms_rendering import error_list
from dynamic_framework.core.pagination import page_links

from .. import evaluation as scoring
from .. import sealing, services
from ..forms_evaluation import ConsensusForm, DeclarationForm, PanelForm, ScoreForm, add_service_errors
from ..models import (
    MAX_SCORE,
    SCORE_SCALE,
    TIE_BREAK_RULE,
    AwardLetter,
    Bid,
    CallOff,
    ConflictDeclaration,
    ConsensusScore,
    LotAward,
    PanelMember,
    Score,
    ScoreSheet,
)

LETTERS_PER_PAGE = 20
Status = CallOff.Status


# Loading and permission ----------------------------------------------------------------------------------------------


def load_after_deadline(reference: str) -> CallOff:
    """The call-off, once its deadline has passed. Before that (or never published, or cancelled, or unknown): 404,
    whoever asks, because nothing about its bids exists yet for anyone but the bidders."""
    call_off = (
        CallOff.objects.select_related(
            "region", "panel_formed_by", "award_recommended_by", "award_approved_by", "awarded_by"
        )
        .filter(reference=reference)
        .first()
    )
    if call_off is None or call_off.published_at is None or call_off.cancelled_at or not call_off.deadline_passed():
        raise Http404("No such evaluation")
    return call_off


@dataclass
class Access:
    commissioner: bool  # calloffs.moderate: a commissioner for the call-off's region
    member: PanelMember | None  # calloffs.evaluate: the user's place on the panel


def access_for(user, call_off) -> Access:
    member = None
    if user.has_perm("calloffs.evaluate", call_off):
        member = PanelMember.objects.filter(call_off=call_off, user=user).first()
    return Access(commissioner=user.has_perm("calloffs.moderate", call_off), member=member)


def evaluation_page(*, commissioners: bool = True, panel: bool = False):
    """404 before the deadline (for everyone), then sign in, then commissioners and/or panel members (403).
    The view gets the call-off and the Access instead of the reference."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, reference, *args, **kwargs):
            call_off = load_after_deadline(reference)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_for(request.user, call_off)
            if not ((commissioners and access.commissioner) or (panel and access.member is not None)):
                raise PermissionDenied
            return view(request, call_off, access, *args, **kwargs)

        return wrapped

    return decorator


def bid_of(call_off: CallOff, pk) -> Bid:
    """A bid being evaluated (live at the deadline). 404 for any other, and for every bid until the panel is formed:
    until then nobody sees who bid."""
    if not call_off.panel_formed_at:
        raise Http404("The panel has not been formed")
    for bid in services.counted_bids(call_off):
        if bid.pk == pk:
            return bid
    raise Http404("No such bid")


# Reads ---------------------------------------------------------------------------------------------------------------


def criterion_key(question) -> str:
    return str(question.pk) if question is not None else "social-value"


def criterion_name(question) -> str:
    return _("question %(n)s") % {"n": question.position} if question is not None else _("social value")


def criterion_heading(question) -> str:
    return _("Question %(n)s") % {"n": question.position} if question is not None else _("Social value")


def answer_text(call_off, content: dict, question) -> str:
    if question is None:
        return content.get("social_value") or ""
    return (content.get("answers") or {}).get(str(question.pk)) or ""


def criterion_items(call_off) -> list[dict]:
    """Each thing scored, in order, with what evaluators need to know about it."""
    items = []
    for question in services.criteria(call_off):
        items.append(
            {
                "question": question,
                "id": question.pk if question is not None else None,
                "key": criterion_key(question),
                "name": criterion_name(question),
                "heading": criterion_heading(question),
                "text": question.question if question is not None else call_off.social_value_question,
                "guidance": question.guidance if question is not None else "",
                "weight": question.weight if question is not None else call_off.social_value_weight,
                "word_limit": question.word_limit if question is not None else call_off.social_value_word_limit,
            }
        )
    return items


class Board:
    """Where the evaluation of a call-off stands: who has declared, scored and submitted for each bid, and which
    answers have agreed scores. A fixed number of queries, whatever the number of bids and evaluators. Never the
    evaluators' scores themselves."""

    def __init__(self, call_off: CallOff):
        self.call_off = call_off
        self.bids = services.counted_bids(call_off)
        self.panel = list(call_off.panel.select_related("user").order_by("added_at", "pk"))
        self.criteria = criterion_items(call_off)
        self.declarations = {
            (d.panel_member_id, d.bid_id): d
            for d in ConflictDeclaration.objects.filter(panel_member__call_off=call_off)
        }
        self.sheets = {
            (s.panel_member_id, s.bid_id): s for s in ScoreSheet.objects.filter(panel_member__call_off=call_off)
        }
        self.scored = {
            (row["panel_member_id"], row["bid_id"]): row["count"]
            for row in Score.objects.filter(panel_member__call_off=call_off)
            .order_by()
            .values("panel_member_id", "bid_id")
            .annotate(count=Count("pk"))
        }
        self.agreed: dict[int, dict] = {}
        for consensus in ConsensusScore.objects.filter(bid__call_off=call_off):
            self.agreed.setdefault(consensus.bid_id, {})[consensus.question_id] = consensus

    def progress(self, member, bid) -> dict:
        declaration = self.declarations.get((member.pk, bid.pk))
        scored = self.scored.get((member.pk, bid.pk), 0)
        if declaration is None:
            code, label, colour = "not_declared", _("Not declared yet"), "govuk-tag--grey"
        elif declaration.has_conflict:
            code, label, colour = "conflict", _("Conflict of interest: not scoring"), "govuk-tag--orange"
        elif (member.pk, bid.pk) in self.sheets:
            code, label, colour = "submitted", _("Scores submitted"), "govuk-tag--green"
        else:
            code, label = "scoring", _("Scoring: %(done)s of %(total)s answers scored")
            label, colour = label % {"done": scored, "total": len(self.criteria)}, "govuk-tag--blue"
        return {"member": member, "code": code, "label": label, "colour": colour, "declaration": declaration}

    def scorers(self, bid) -> list:
        return [m for m in self.panel if (d := self.declarations.get((m.pk, bid.pk))) and not d.has_conflict]

    def waiting_for(self, bid) -> list:
        """Panel members moderation waits for: not declared yet, or scoring without having submitted."""
        return [
            p["member"] for p in (self.progress(m, bid) for m in self.panel) if p["code"] in ("not_declared", "scoring")
        ]

    def ready_for_moderation(self, bid) -> bool:
        return bool(self.panel) and not self.waiting_for(bid) and bool(self.scorers(bid))

    def agreed_for(self, bid) -> dict:
        return self.agreed.get(bid.pk, {})

    def moderated(self, bid) -> bool:
        agreed = self.agreed_for(bid)
        return all(item["id"] in agreed for item in self.criteria)

    @property
    def scoring_complete(self) -> bool:
        return bool(self.bids) and all(self.ready_for_moderation(bid) for bid in self.bids)

    @property
    def all_moderated(self) -> bool:
        return bool(self.bids) and all(self.moderated(bid) for bid in self.bids)


def bid_content(call_off, bid) -> dict:
    return sealing.open_after_deadline(call_off, bid.latest_submission.content)


def round_slug(call_off) -> str:
    """The commissioning round awarding.create_agreements puts the call-off's contracts in."""
    return f"call-off-{call_off.reference.lower()}"


def contracts_for(call_off):
    from dynamic_framework.contracts.models import Contract

    return list(
        Contract.objects.filter(round__slug=round_slug(call_off))
        .select_related("lead_provider", "pcc_area")
        .order_by("reference")
    )


def _name(user) -> str:
    return (user.full_name or user.email) if user is not None else ""


# The evaluation overview ----------------------------------------------------------------------------------------------


def overview_context(request, call_off, access, *, errors=()) -> dict:
    now = timezone.now()
    status = call_off.status_at(now)
    context = {
        "call_off": call_off,
        "status": status,
        "status_label": str(Status(status).label),
        "access": access,
        "errors": [{"text": str(e)} for e in errors],
        "panel_formed": call_off.panel_formed_at is not None,
    }
    if call_off.panel_formed_at is None:
        # Sealed until the panel is formed: only how many bids.
        context["bid_count"] = len(services.counted_bids(call_off))
        return context
    board = Board(call_off)
    context.update(
        {
            "bid_count": len(board.bids),
            "board": board,
            "criteria": board.criteria,
            "panel": board.panel,
        }
    )
    if access.commissioner:
        context["rows"] = [
            {
                "bid": bid,
                "progress": [board.progress(member, bid) for member in board.panel],
                "answers": [{"item": item, "agreed": board.agreed_for(bid).get(item["id"])} for item in board.criteria],
                "ready": board.ready_for_moderation(bid),
                "moderated": board.moderated(bid),
            }
            for bid in board.bids
        ]
        context.update(
            {
                "all_moderated": board.all_moderated,
                "can_change_panel": not call_off.award_recommended_at and not call_off.no_award_at,
                "can_recommend": status == Status.IN_EVALUATION and board.all_moderated,
                "recommended_by_me": call_off.award_recommended_by_id == request.user.pk,
                "standstill_over": bool(call_off.standstill_ends_at and now >= call_off.standstill_ends_at),
                "letter_count": AwardLetter.objects.filter(call_off=call_off).count(),
                "contracts": contracts_for(call_off) if call_off.awarded_at else [],
                "contracts_url": f"{reverse('insights:contracts')}?round={round_slug(call_off)}",
                "recommended_by": _name(call_off.award_recommended_by),
                "approved_by": _name(call_off.award_approved_by),
            }
        )
    if access.member is not None:
        context["own_rows"] = [{"bid": bid, "progress": board.progress(access.member, bid)} for bid in board.bids]
        context["results_open"] = board.scoring_complete
    return context


@require_safe
@evaluation_page(commissioners=True, panel=True)
def evaluation(request, call_off, access):
    return render(request, "calloffs/evaluation/overview.html", overview_context(request, call_off, access))


def _refused(request, call_off, access, exc: ValidationError):
    """The overview again, with the service's reason at the top."""
    return render(
        request, "calloffs/evaluation/overview.html", overview_context(request, call_off, access, errors=exc.messages)
    )


# The panel ----------------------------------------------------------------------------------------------------------


def evaluators():
    ids = RoleGrant.objects.active().filter(role=Role.EVALUATOR).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


@evaluation_page(commissioners=True)
def panel(request, call_off, access):
    members = list(call_off.panel.select_related("user").order_by("added_at", "pk"))
    on_panel = {m.user_id for m in members}
    available = [user for user in evaluators() if user.pk not in on_panel]
    editable = not call_off.award_recommended_at and not call_off.no_award_at
    form = None
    if editable:
        form = PanelForm(request.POST if request.method == "POST" else None, evaluators=available)
        if request.method == "POST" and form.is_valid():
            try:
                services.form_panel(actor=request.user, call_off=call_off, members=form.chosen())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                added = len(form.cleaned_data["members"])
                if members:
                    message = ngettext(
                        "%(count)s evaluator added to the panel", "%(count)s evaluators added to the panel", added
                    ) % {"count": added}
                else:
                    message = _(
                        "Panel formed. The evaluators have been told, and can now declare any conflicts of interest."
                    )
                messages.success(request, message)
                return redirect("calloffs:evaluation", reference=call_off.reference)
    elif request.method == "POST":
        messages.info(request, _("The panel can no longer change"))
        return redirect("calloffs:evaluation", reference=call_off.reference)
    return render(
        request,
        "calloffs/evaluation/panel.html",
        {
            "call_off": call_off,
            "members": members,
            "form": form,
            "editable": editable,
            "bid_count": len(services.counted_bids(call_off)),
        },
    )


# Declaring conflicts of interest ------------------------------------------------------------------------------------


@evaluation_page(commissioners=False, panel=True)
def declare(request, call_off, access, bid):
    the_bid = bid_of(call_off, bid)
    content = bid_content(call_off, the_bid)
    supply_chain = [entry.get("name") for entry in content.get("supply_chain") or [] if entry.get("name")]
    existing = ConflictDeclaration.objects.filter(panel_member=access.member, bid=the_bid).first()
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declare_bid_conflict(
                actor=request.user, call_off=call_off, bid=the_bid, **form.service_kwargs()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if declaration.has_conflict:
                messages.info(
                    request,
                    _(
                        "You declared a conflict of interest with %(bidder)s. You are removed from this bid: you will "
                        "not read or score it."
                    )
                    % {"bidder": the_bid.organisation.name},
                )
                return redirect("calloffs:evaluation", reference=call_off.reference)
            messages.success(
                request,
                _("Declaration saved. You can now score the bid from %(bidder)s.")
                % {"bidder": the_bid.organisation.name},
            )
            return redirect("calloffs:score", reference=call_off.reference, bid=the_bid.pk)
    return render(
        request,
        "calloffs/evaluation/declare.html",
        {"call_off": call_off, "bid": the_bid, "supply_chain": supply_chain, "form": form, "existing": existing},
    )


# Scoring --------------------------------------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised inside a transaction to undo every score saved in it (nothing partial is stored)."""


@evaluation_page(commissioners=False, panel=True)
def score(request, call_off, access, bid):
    the_bid = bid_of(call_off, bid)
    member = access.member
    declaration = ConflictDeclaration.objects.filter(panel_member=member, bid=the_bid).first()
    if declaration is None:
        messages.info(request, _("Declare whether you have a conflict of interest with this bidder before you score"))
        return redirect("calloffs:declare", reference=call_off.reference, bid=the_bid.pk)
    if declaration.has_conflict:
        messages.info(
            request, _("You declared a conflict of interest with this bidder, so you do not read or score its bid")
        )
        return redirect("calloffs:evaluation", reference=call_off.reference)
    content = bid_content(call_off, the_bid)
    items = criterion_items(call_off)
    own = {s.question_id: s for s in Score.objects.filter(panel_member=member, bid=the_bid)}
    sheet = ScoreSheet.objects.filter(panel_member=member, bid=the_bid).first()
    page_errors: list[str] = []
    action = request.POST.get("action", "save") if request.method == "POST" else None
    forms = []
    for item in items:
        saved = own.get(item["id"])
        initial = {"score": str(saved.score), "justification": saved.justification} if saved else {}
        forms.append(
            ScoreForm(
                request.POST if action else None,
                prefix=f"answer-{item['key']}",
                initial=initial,
                criterion_name=item["name"],
                required=action == "submit",
            )
        )
    valid = [form.is_valid() for form in forms] if action else []  # every form, so every error shows
    if action and sheet is None and all(valid):
        try:
            with transaction.atomic():
                for item, form in zip(items, forms, strict=True):
                    if form.is_empty:
                        continue
                    try:
                        services.score_answer(
                            actor=request.user,
                            call_off=call_off,
                            bid=the_bid,
                            question=item["question"],
                            **form.service_kwargs(),
                        )
                    except ValidationError as exc:
                        add_service_errors(form, exc)
                if any(form.errors for form in forms):
                    raise _Rollback
                if action == "submit":
                    services.submit_score_sheet(actor=request.user, call_off=call_off, bid=the_bid)
        except _Rollback:
            pass
        except ValidationError as exc:
            page_errors.extend(exc.messages)
        else:
            name = the_bid.organisation.name
            if action == "submit":
                messages.success(request, _("Your scores for %(bidder)s are submitted") % {"bidder": name})
                return redirect("calloffs:score", reference=call_off.reference, bid=the_bid.pk)
            messages.success(
                request,
                _("Your scores for %(bidder)s are saved. Submit them when you have scored every answer.")
                % {"bidder": name},
            )
            return redirect("calloffs:score", reference=call_off.reference, bid=the_bid.pk)
    elif action and sheet is not None:
        page_errors.append(_("You have submitted your scores for this bid: they cannot change"))
    # The other evaluators' scores: only once this evaluator has submitted their own sheet, and only theirs who
    # have submitted too.
    others: dict = {}
    if sheet is not None:
        submitted = ScoreSheet.objects.filter(bid=the_bid).exclude(panel_member=member).values("panel_member_id")
        for other in (
            Score.objects.filter(bid=the_bid, panel_member_id__in=submitted)
            .select_related("panel_member__user")
            .order_by("panel_member__added_at", "panel_member_id")
        ):
            others.setdefault(other.question_id, []).append(other)
    rows = [
        {
            **item,
            "answer": answer_text(call_off, content, item["question"]),
            "form": form,
            "own": own.get(item["id"]),
            "others": others.get(item["id"], []),
        }
        for item, form in zip(items, forms, strict=True)
    ]
    return render(
        request,
        "calloffs/evaluation/score.html",
        {
            "call_off": call_off,
            "bid": the_bid,
            "rows": rows,
            "forms": forms,
            "sheet": sheet,
            "problem_items": [{"text": str(e)} for e in page_errors] + error_list(*forms),
            "scale": sorted(SCORE_SCALE.items()),
            "max_score": MAX_SCORE,
            "scored_count": len(own),
        },
    )


# Moderation -----------------------------------------------------------------------------------------------------------


@evaluation_page(commissioners=True)
def moderate(request, call_off, access, bid):
    the_bid = bid_of(call_off, bid)
    board = Board(call_off)
    ready = board.ready_for_moderation(the_bid)
    content = bid_content(call_off, the_bid)
    items = criterion_items(call_off)
    agreed = board.agreed_for(the_bid)
    editable = ready and not call_off.award_recommended_at and not call_off.no_award_at
    scores: dict = {}
    if ready:
        for evaluator_score in (
            Score.objects.filter(bid=the_bid, panel_member__in=board.scorers(the_bid))
            .select_related("panel_member__user")
            .order_by("panel_member__added_at", "panel_member_id")
        ):
            scores.setdefault(evaluator_score.question_id, []).append(evaluator_score)
    chosen = request.POST.get("criterion") if request.method == "POST" else None
    page_errors: list[str] = []
    if chosen is not None and chosen not in {item["key"] for item in items}:
        raise Http404("No such answer")
    forms = {}
    for item in items:
        consensus = agreed.get(item["id"])
        initial = {"score": str(consensus.score), "reason": consensus.reason} if consensus else {}
        bound = request.POST if chosen == item["key"] else None
        forms[item["key"]] = ConsensusForm(
            bound, prefix=f"agree-{item['key']}", initial=initial, criterion_name=item["name"]
        )
    if request.method == "POST" and chosen is None:
        page_errors.append(_("Choose an answer to record the agreed score for"))
    elif chosen is not None and not ready:
        page_errors.append(_("Every evaluator must submit their scores for this bid before moderation"))
    elif chosen is not None:
        form = forms[chosen]
        item = next(i for i in items if i["key"] == chosen)
        if form.is_valid():
            try:
                services.record_consensus(
                    actor=request.user,
                    call_off=call_off,
                    bid=the_bid,
                    question=item["question"],
                    **form.service_kwargs(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Agreed score saved for %(answer)s of the bid from %(bidder)s")
                    % {"answer": item["name"], "bidder": the_bid.organisation.name},
                )
                return redirect("calloffs:moderate", reference=call_off.reference, bid=the_bid.pk)
    rows = [
        {
            **item,
            "answer": answer_text(call_off, content, item["question"]),
            "scores": scores.get(item["id"], []),
            "agreed": agreed.get(item["id"]),
            "form": forms[item["key"]],
        }
        for item in items
    ]
    return render(
        request,
        "calloffs/evaluation/moderate.html",
        {
            "call_off": call_off,
            "bid": the_bid,
            "ready": ready,
            "editable": editable,
            "rows": rows,
            "forms": list(forms.values()),
            "waiting": board.waiting_for(the_bid),
            "progress": [board.progress(m, the_bid) for m in board.panel],
            "moderated": board.moderated(the_bid),
            "problem_items": [{"text": str(e)} for e in page_errors] + error_list(*forms.values()),
            "max_score": MAX_SCORE,
        },
    )


# Results --------------------------------------------------------------------------------------------------------------


def _result_row(result) -> dict:
    return {
        "bid": result.bid,
        "quality": scoring.show(result.quality),
        "social_value": scoring.show(result.social_value),
        "price_pence": result.price_pence,
        "price": scoring.show(result.price),
        "total": scoring.show(result.total),
        "rank": result.rank,
        "excluded": result.excluded,
    }


def results_context(call_off) -> dict:
    outcome = scoring.results(call_off)
    quality_weight = sum(q.weight for q in call_off.quality_questions.all())
    lots = [
        {
            "lot": lot_result.lot,
            "ranked": [_result_row(r) for r in lot_result.ranked],
            "excluded": [_result_row(r) for r in lot_result.excluded if r.bid not in outcome.unmoderated],
            "unmoderated": [r.bid for r in lot_result.excluded if r.bid in outcome.unmoderated],
        }
        for lot_result in outcome.lots
    ]
    return {
        "outcome": outcome,
        "lots": lots,
        "unmoderated": outcome.unmoderated,
        "quality_weight": quality_weight,
        "tie_break_rule": TIE_BREAK_RULE,
        "max_score": MAX_SCORE,
    }


@require_safe
@evaluation_page(commissioners=True, panel=True)
def results(request, call_off, access):
    board = Board(call_off) if call_off.panel_formed_at else None
    if not access.commissioner and not (board is not None and board.scoring_complete):
        # Panel members see the results once every sheet is submitted.
        raise PermissionDenied
    context = {"call_off": call_off, "access": access, "panel_formed": board is not None}
    if board is not None:
        context.update(results_context(call_off))
    else:
        context["bid_count"] = len(services.counted_bids(call_off))
    return render(request, "calloffs/evaluation/results.html", context)


# Recommending, approving and confirming the award ------------------------------------------------------------------


@require_POST
@evaluation_page(commissioners=True)
def recommend(request, call_off, access):
    try:
        services.recommend_award(actor=request.user, call_off=call_off)
    except ValidationError as exc:
        return _refused(request, call_off, access, exc)
    messages.success(
        request,
        _("Award recommended. Another commissioner for %(region)s must approve it before the letters are sent.")
        % {"region": call_off.region.name},
    )
    return redirect("calloffs:evaluation", reference=call_off.reference)


def _letter_previews(call_off, outcome) -> list[dict]:
    """The letters approval will send, with the dates they would have if approved now."""
    now = timezone.now()
    preview = copy.copy(call_off)
    preview.award_approved_at = now
    preview.standstill_ends_at = services.standstill_end(now, call_off.standstill_days)
    return [{"bid": bid, "body": scoring.letter(outcome, bid, preview)} for bid in services.counted_bids(call_off)]


@evaluation_page(commissioners=True)
def approve_award(request, call_off, access):
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.approve_award(actor=request.user, call_off=call_off)
        except ValidationError as exc:
            errors = exc.messages
        else:
            call_off.refresh_from_db()
            messages.success(
                request,
                _(
                    "Award approved. Every bidder has been sent a letter. The standstill period ends at %(when)s "
                    "(UK time): confirm the award after that."
                )
                % {"when": _uk(call_off.standstill_ends_at)},
            )
            return redirect("calloffs:evaluation", reference=call_off.reference)
    awaiting = bool(call_off.award_recommended_at and not call_off.award_approved_at)
    context = {
        "call_off": call_off,
        "errors": [{"text": str(e)} for e in errors],
        "awaiting": awaiting,
        "recommended_by_me": call_off.award_recommended_by_id == request.user.pk,
        "recommended_by": _name(call_off.award_recommended_by),
        "standstill_end_if_now": services.standstill_end(timezone.now(), call_off.standstill_days),
    }
    if awaiting:
        outcome = scoring.results(call_off)
        by_lot = {lot_result.lot.pk: lot_result for lot_result in outcome.lots}
        awards = []
        for lot_award in LotAward.objects.filter(lot__call_off=call_off).select_related("lot", "bid__organisation"):
            winner = by_lot.get(lot_award.lot_id)
            row = next((r for r in (winner.ranked if winner else []) if r.bid.pk == lot_award.bid_id), None)
            awards.append({"award": lot_award, "result": _result_row(row) if row else None})
        context.update({"awards": awards, "letters": _letter_previews(call_off, outcome)})
    return render(request, "calloffs/evaluation/approve.html", context)


def _uk(moment) -> str:
    from dynamic_framework.core.time import format_uk_datetime

    return format_uk_datetime(moment)


@require_POST
@evaluation_page(commissioners=True)
def confirm_award(request, call_off, access):
    try:
        services.confirm_award(actor=request.user, call_off=call_off)
    except ValidationError as exc:
        return _refused(request, call_off, access, exc)
    count = len(contracts_for(call_off))
    messages.success(
        request,
        ngettext(
            "Award confirmed. %(count)s contract is in the contract register.",
            "Award confirmed. %(count)s contracts are in the contract register.",
            count,
        )
        % {"count": count},
    )
    return redirect("calloffs:evaluation", reference=call_off.reference)


# Letters --------------------------------------------------------------------------------------------------------------


@require_safe
@evaluation_page(commissioners=True)
def letters(request, call_off, access):
    sent = AwardLetter.objects.filter(call_off=call_off).select_related("bid__organisation").order_by("sent_at", "pk")
    paginator = Paginator(sent, LETTERS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "calloffs/evaluation/letters.html",
        {
            "call_off": call_off,
            "page": page,
            "total": paginator.count,
            "pagination": page_links(request, page, label=_("Pages of letters")),
        },
    )


urlpatterns = [
    path("evaluation/<str:reference>/", evaluation, name="evaluation"),
    path("evaluation/<str:reference>/panel/", panel, name="panel"),
    path("evaluation/<str:reference>/bids/<int:bid>/declare/", declare, name="declare"),
    path("evaluation/<str:reference>/bids/<int:bid>/score/", score, name="score"),
    path("evaluation/<str:reference>/bids/<int:bid>/moderate/", moderate, name="moderate"),
    path("evaluation/<str:reference>/results/", results, name="results"),
    path("evaluation/<str:reference>/recommend/", recommend, name="recommend"),
    path("evaluation/<str:reference>/approve/", approve_award, name="approve-award"),
    path("evaluation/<str:reference>/confirm/", confirm_award, name="confirm-award"),
    path("evaluation/<str:reference>/letters/", letters, name="letters"),
]
