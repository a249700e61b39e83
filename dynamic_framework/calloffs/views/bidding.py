"""Providers bidding as lead provider, with a supply chain; subcontractors confirm taking part.

- your-bids          provider members: their organisations' bids and the supply chain invitations they received
- bid                the bid's task list, status, deadline and receipts; a start page when there is no bid yet
- bid-prices         the lots to bid for and a price for each financial year (not above the published values)
- bid-answers        answers to the quality questions and the social value question
- bid-supply-chain   the subcontractors: organisation, role, share, payment terms, material or not
- bid-submit         submit (administrators only), once per idempotency key; the deadline is the server's clock
- bid-receipt        a submission's receipt: reference, time received and SHA-256 digest
- bid-withdraw       withdraw a submitted bid (it can be submitted again before the deadline)
- outcome            the bidder's award letter, once the award is approved
- invitation         a named subcontractor sees its own terms, and confirms or declines

SEALED BIDS: a bid is shown only to members of the bidding organisation (rules: calloffs.view_bid). Anyone else
asking for one of its pages gets 404, whether or not a bid exists, so nothing confirms that an organisation bid.
Bid content is read only through services.bid_content (the bidder's own draft), sealing.open_for_bidder (its own
submissions) and services.invitation_terms (a subcontractor's own entry, nothing else of the bid).
"""

import secrets
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dynamic_framework.accounts.models import PROVIDER_ROLES
from dynamic_framework.accounts.rules import administered_organisation_ids, grants_for, member_organisation_ids
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.money import format_pence, percent_text
from dynamic_framework.core.time import format_uk_datetime, to_uk
from dynamic_framework.organisations.models import Organisation

from .. import sealing, services
from ..forms_bidding import (
    MAX_SUPPLY_CHAIN,
    PAYMENT_TERM_HINTS,
    AnswersForm,
    InvitationResponseForm,
    PricesForm,
    SearchForm,
    SupplyChainRowForm,
)
from ..models import Amendment, AwardLetter, Bid, BidSubmission, CallOff, SupplyChainInvitation

PAGE_SIZE = 20
SEARCH_RESULTS = 10


# Helpers -----------------------------------------------------------------------------------------------------------


def uk_datetime_seconds(moment) -> str:
    """'23 November 2026 at 7:13:05pm' in UK time: receipts are shown to the second."""
    local = to_uk(moment)
    hour = local.strftime("%I").lstrip("0") or "12"
    return f"{local.day} {local:%B %Y} at {hour}:{local:%M}:{local:%S}{local.strftime('%p').lower()}"


def time_left(deadline, now) -> str:
    """How long until the deadline, in words: '14 days and 3 hours', '2 hours and 5 minutes', '40 seconds'."""
    seconds = int((deadline - now).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)

    def unit(n, one, many):
        return ngettext(one, many, n) % {"n": n}

    d = unit(days, "%(n)s day", "%(n)s days")
    h = unit(hours, "%(n)s hour", "%(n)s hours")
    m = unit(minutes, "%(n)s minute", "%(n)s minutes")
    s = unit(secs, "%(n)s second", "%(n)s seconds")
    if days:
        return _("%(a)s and %(b)s") % {"a": d, "b": h} if hours else d
    if hours:
        return _("%(a)s and %(b)s") % {"a": h, "b": m} if minutes else h
    if minutes:
        return m
    return s


def _member_organisations(user) -> list[Organisation]:
    """The provider organisations the user belongs to (from their cached grants: no query)."""
    seen = {}
    for grant in grants_for(user, *PROVIDER_ROLES):
        if grant.organisation_id and grant.organisation_id not in seen:
            seen[grant.organisation_id] = grant.organisation
    return sorted(seen.values(), key=lambda org: org.name.casefold())


def _org_query(organisation, organisations) -> str:
    """'?organisation=<slug>' for people in several organisations (so each link keeps to one bid), else ''."""
    return f"?organisation={organisation.slug}" if len(organisations) > 1 else ""


def _published(reference: str) -> CallOff:
    call_off = CallOff.objects.filter(reference=reference, published_at__isnull=False).select_related("region").first()
    if call_off is None:
        raise Http404("No such opportunity")
    return call_off


def _chosen(request, organisations):
    """The organisation this request is about: the one named by ?organisation=<slug> (or the form's field), the
    only one, or None when there are several to choose from. An organisation they do not belong to: 404."""
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        for org in organisations:
            if org.slug == slug:
                return org
        raise Http404("Not one of your organisations")
    if len(organisations) == 1:
        return organisations[0]
    return None


@dataclass
class OwnBid:
    call_off: CallOff
    organisation: Organisation
    bid: Bid
    organisations: list

    @property
    def query(self) -> str:
        return _org_query(self.organisation, self.organisations)

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"calloffs:{name}", kwargs={"reference": self.call_off.reference, **kwargs}) + self.query


def _own_bid(request, reference: str):
    """(OwnBid, None), or (None, a response sending them to sign in). Anything but a bid of one of the user's own
    organisations for this published call-off is a 404: not 403, so nobody learns whether a bid exists."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    call_off = _published(reference)
    organisations = _member_organisations(request.user)
    if not organisations:
        raise Http404("No such bid")
    chosen = _chosen(request, organisations)
    bids = Bid.objects.filter(call_off=call_off).select_related("latest_submission", "organisation")
    if chosen is not None:
        bid = bids.filter(organisation=chosen).first()
    else:
        found = list(bids.filter(organisation__in=organisations)[:2])
        bid = found[0] if len(found) == 1 else None
    if bid is None or not request.user.has_perm("calloffs.view_bid", bid):
        raise Http404("No such bid")
    bid.call_off = call_off
    organisation = next(org for org in organisations if org.pk == bid.organisation_id)
    return OwnBid(call_off=call_off, organisation=organisation, bid=bid, organisations=organisations), None


def _closed_redirect(own: OwnBid):
    """The parts of a bid can be changed only while the call-off is open: after that, the (read-only) bid page."""
    if not own.call_off.open_for_bids():
        return redirect(own.url("bid"))
    return None


def _draft(own: OwnBid, request) -> dict:
    return services.bid_content(own.bid, actor=request.user)


def _save(request, own: OwnBid, content: dict, form) -> bool:
    """services.save_bid with the merged content; its errors go onto the form. True when saved."""
    try:
        services.save_bid(actor=request.user, bid=own.bid, content=content, complete=False)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _base_context(own: OwnBid, **extra) -> dict:
    return {
        "call_off": own.call_off,
        "organisation": own.organisation,
        "bid": own.bid,
        "org_query": own.query,
        "bid_url": own.url("bid"),
        **extra,
    }


# Which part of the bid each of clean_bid_content's error keys belongs to -------------------------------------------

PART_PRICES, PART_ANSWERS, PART_SUPPLY_CHAIN = "bid-prices", "bid-answers", "bid-supply-chain"


def _part(key: str) -> str:
    if key == "lots" or key.startswith(("lot_", "price_")):
        return PART_PRICES
    if key.startswith("supply_chain"):
        return PART_SUPPLY_CHAIN
    return PART_ANSWERS


def _anchor(key: str) -> str:
    if key.startswith("price_") or key.startswith("answer_") or key == "social_value":
        return f"#id_{key}"
    if key.startswith("lot_"):
        return f"#id_{key}"
    if key.startswith("supply_chain_"):
        return f"#member-{key.rsplit('_', 1)[1]}"
    return ""


def _error_items(own: OwnBid, exc: ValidationError) -> list[dict]:
    """Errors for the bid page's error summary, each linking to the part of the bid to change."""
    if not hasattr(exc, "error_dict"):
        return [{"text": message} for message in exc.messages]
    items = []
    for key, errors in exc.message_dict.items():
        href = own.url(_part(key)) + _anchor(key)
        for message in errors:
            items.append({"text": message, "href": href})
    return items


def _completeness(own: OwnBid, draft: dict) -> dict[str, list[str]]:
    """What is missing or wrong before the draft can be submitted, by part of the bid."""
    try:
        services.clean_bid_content(own.call_off, own.organisation, draft, complete=True)
    except ValidationError as exc:
        problems = {PART_PRICES: [], PART_ANSWERS: [], PART_SUPPLY_CHAIN: []}
        if not hasattr(exc, "error_dict"):
            problems[PART_ANSWERS].extend(exc.messages)
        else:
            for key, errors in exc.message_dict.items():
                problems[_part(key)].extend(errors)
        return problems
    return {PART_PRICES: [], PART_ANSWERS: [], PART_SUPPLY_CHAIN: []}


def _invitation_status(invitation) -> tuple[str, str]:
    """(label, tag colour) for a supply chain member's answer."""
    if invitation is None or invitation.removed_at is not None:
        return _("Told when you submit"), "govuk-tag--grey"
    if invitation.confirmed_at:
        return _("Confirmed"), "govuk-tag--green"
    if invitation.declined_at:
        return _("Declined"), "govuk-tag--red"
    return _("Waiting for their answer"), "govuk-tag--yellow"


def _member_rows(draft: dict, invitations: dict) -> list[dict]:
    rows = []
    for entry in draft.get("supply_chain") or []:
        label, colour = _invitation_status(invitations.get(entry.get("organisation")))
        rows.append({**_terms_text(entry), "status": label, "status_classes": colour})
    return rows


def _terms_text(entry: dict) -> dict:
    """A supply chain entry in words."""
    if entry.get("share_type") == "percent":
        share = _("%(percent)s%% of the value") % {"percent": percent_text(entry.get("share_value")) or "0"}
    else:
        share = format_pence(entry.get("share_value") or 0)
    terms = entry.get("payment_terms")
    return {
        "name": entry.get("name") or "",
        "role": entry.get("role") or "",
        "share": share,
        "payment_terms": str(services.PAYMENT_TERMS.get(terms, "")),
        "payment_terms_hint": str(PAYMENT_TERM_HINTS.get(terms, "")),
        "material": _("Yes") if entry.get("material") else _("No"),
    }


def _bid_status(bid, call_off, now, *, latest_amendment_at=None, has_letter=False) -> tuple[str, str, str]:
    """(code, label, tag colour) of a bid, derived from its recorded times (the same rules as
    services.needs_reconfirmation, with the latest amendment's time given to save a query per bid)."""
    if has_letter:
        return "outcome", _("Outcome available"), "govuk-tag--blue"
    if bid.is_live:
        if latest_amendment_at is not None and bid.latest_submission.submitted_at < latest_amendment_at:
            return "resubmit", _("Submit again: the call-off changed"), "govuk-tag--yellow"
        return "submitted", _("Submitted"), "govuk-tag--green"
    if bid.withdrawn_at:
        return "withdrawn", _("Withdrawn"), "govuk-tag--orange"
    if call_off.deadline_passed(now) or not call_off.open_for_bids(now):
        return "not_submitted", _("Not submitted"), "govuk-tag--grey"
    return "draft", _("Draft: not submitted"), "govuk-tag--grey"


def _latest_amendment_at(call_off):
    return call_off.amendments.order_by("-published_at").values_list("published_at", flat=True).first()


# Your bids -----------------------------------------------------------------------------------------------------------


@require_safe
def your_bids(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation_ids = member_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied
    now = timezone.now()
    latest_amendment = (
        Amendment.objects.filter(call_off=OuterRef("call_off")).order_by("-published_at").values("published_at")[:1]
    )
    bids = (
        Bid.objects.filter(organisation_id__in=organisation_ids)
        .select_related("call_off", "organisation", "latest_submission")
        .annotate(
            latest_amendment_at=Subquery(latest_amendment),
            has_letter=Exists(AwardLetter.objects.filter(bid=OuterRef("pk"))),
        )
        .order_by("-call_off__deadline_at", "organisation__name", "pk")
    )
    bid_page = Paginator(bids, PAGE_SIZE).get_page(request.GET.get("page"))
    several = len(organisation_ids) > 1
    bid_rows = []
    for bid in bid_page:
        code, label, colour = _bid_status(
            bid, bid.call_off, now, latest_amendment_at=bid.latest_amendment_at, has_letter=bid.has_letter
        )
        query = f"?organisation={bid.organisation.slug}" if several else ""
        bid_rows.append(
            {
                "bid": bid,
                "status": code,
                "label": label,
                "colour": colour,
                "href": reverse("calloffs:bid", kwargs={"reference": bid.call_off.reference}) + query,
                "outcome_href": reverse("calloffs:outcome", kwargs={"reference": bid.call_off.reference}) + query,
            }
        )
    invitations = (
        SupplyChainInvitation.objects.filter(organisation_id__in=organisation_ids)
        .select_related("organisation", "bid__organisation", "bid__call_off", "bid__latest_submission")
        .order_by("-invited_at", "pk")
    )
    invitation_page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("invitations_page"))
    invitation_rows = []
    for invitation in invitation_page:
        terms = services.invitation_terms(invitation) if invitation.removed_at is None else None
        invitation_rows.append(
            {"invitation": invitation, "terms": _terms_text(terms) if terms else None, **_answer(invitation)}
        )
    return render(
        request,
        "calloffs/bidding/your_bids.html",
        {
            "bid_rows": bid_rows,
            "bid_page": bid_page,
            "bid_pagination": _pagination(request, bid_page, "page"),
            "invitation_rows": invitation_rows,
            "invitation_page": invitation_page,
            "invitation_pagination": _pagination(request, invitation_page, "invitations_page"),
            "several": several,
        },
    )


def _pagination(request, page, parameter: str):
    """Parameters for govukPagination, for a page number kept in `parameter` (two lists on one page)."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None
    params = request.GET.copy()

    def href(number):
        params[parameter] = number
        return "?" + params.urlencode()

    shown = sorted({1, paginator.num_pages, page.number - 1, page.number, page.number + 1} & set(paginator.page_range))
    items, last = [], 0
    for number in shown:
        if number - last > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "href": href(number),
                "current": number == page.number,
                "visuallyHiddenText": _("Page %(number)s") % {"number": number},
            }
        )
        last = number
    return {
        "items": items,
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
    }


def _answer(invitation) -> dict:
    """A subcontractor's answer to an invitation, in words."""
    if invitation.removed_at is not None:
        return {"answer": _("Taken out of the bid"), "answer_classes": "govuk-tag--grey"}
    if invitation.confirmed_at:
        return {"answer": _("You confirmed"), "answer_classes": "govuk-tag--green"}
    if invitation.declined_at:
        return {"answer": _("You declined"), "answer_classes": "govuk-tag--red"}
    return {"answer": _("Waiting for your answer"), "answer_classes": "govuk-tag--yellow"}


# The bid page (and the start page) -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def bid(request, reference):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    call_off = _published(reference)
    if not request.user.has_perm("calloffs.bid", call_off):
        raise PermissionDenied
    organisations = _member_organisations(request.user)
    organisation = _chosen(request, organisations)
    if organisation is None:
        return _choose_organisation(request, call_off, organisations)
    existing = Bid.objects.filter(call_off=call_off, organisation=organisation).select_related(
        "latest_submission", "organisation"
    )
    the_bid = existing.first()
    query = _org_query(organisation, organisations)
    bid_url = reverse("calloffs:bid", kwargs={"reference": call_off.reference}) + query
    if request.method == "POST":
        if the_bid is not None:
            return redirect(bid_url)
        try:
            services.start_bid(actor=request.user, call_off=call_off, organisation=organisation)
        except ValidationError as exc:
            return _start_page(request, call_off, organisation, organisations, errors=exc.messages)
        return redirect(reverse("calloffs:bid-prices", kwargs={"reference": call_off.reference}) + query)
    if the_bid is None:
        return _start_page(request, call_off, organisation, organisations)
    the_bid.call_off = call_off
    own = OwnBid(call_off=call_off, organisation=organisation, bid=the_bid, organisations=organisations)
    return _overview(request, own)


def _choose_organisation(request, call_off, organisations):
    has_bid = set(
        Bid.objects.filter(call_off=call_off, organisation__in=organisations).values_list("organisation_id", flat=True)
    )
    rows = [
        {
            "organisation": org,
            "has_bid": org.pk in has_bid,
            "can_lead": org.pk in has_bid or bool(services.eligible_lot_ids(call_off, org)),
            "href": reverse("calloffs:bid", kwargs={"reference": call_off.reference}) + f"?organisation={org.slug}",
        }
        for org in organisations
    ]
    return render(request, "calloffs/bidding/choose.html", {"call_off": call_off, "rows": rows})


def _start_page(request, call_off, organisation, organisations, errors=()):
    eligible = services.eligible_lot_ids(call_off, organisation)
    lots = list(call_off.lots.all())
    return render(
        request,
        "calloffs/bidding/start.html",
        {
            "call_off": call_off,
            "organisation": organisation,
            "several": len(organisations) > 1,
            "eligible_lots": [lot for lot in lots if lot.pk in eligible],
            "other_lots": [lot for lot in lots if lot.pk not in eligible],
            "open": call_off.open_for_bids(),
            "time_left": time_left(call_off.deadline_at, timezone.now()),
            "errors": [{"text": message} for message in errors],
        },
    )


def _overview(request, own: OwnBid, submit_errors: ValidationError | None = None):
    call_off, the_bid = own.call_off, own.bid
    now = timezone.now()
    draft = _draft(own, request)
    open_for_bids = call_off.open_for_bids(now)
    lots = list(call_off.lots.prefetch_related("years"))
    questions = list(call_off.quality_questions.all())
    eligible = services.eligible_lot_ids(call_off, own.organisation)
    problems = _completeness(own, draft)
    invitations = {inv.organisation_id: inv for inv in the_bid.supply_chain_invitations.all()}
    submissions = list(the_bid.submissions.select_related("submitted_by").order_by("-number"))
    latest = the_bid.latest_submission
    live = the_bid.is_live
    latest_amendment_at = _latest_amendment_at(call_off)
    code, label, colour = _bid_status(
        the_bid,
        call_off,
        now,
        latest_amendment_at=latest_amendment_at,
        has_letter=AwardLetter.objects.filter(bid=the_bid).exists(),
    )
    amendments_since = (
        list(call_off.amendments.filter(published_at__gt=latest.submitted_at)) if latest is not None and live else []
    )
    changed_since = live and sealing.digest(draft) != latest.digest
    priced = []
    for lot in lots:
        entry = (draft.get("lots") or {}).get(str(lot.pk))
        if entry is None:
            continue
        years = [
            {
                "label": year.label,
                "price": entry.get("years", {}).get(str(year.financial_year)),
                "max": year.max_value_pence,
            }
            for year in lot.years.all()
        ]
        priced.append({"lot": lot, "years": years})
    answers = [
        {"question": question, "answer": (draft.get("answers") or {}).get(str(question.pk), "")}
        for question in questions
    ]
    ready = not any(problems.values())
    is_administrator = own.organisation.pk in administered_organisation_ids(request.user)

    def task(part, title, *, done, started, hint=None, optional=False):
        if not open_for_bids:
            status = {"text": _("Completed") if done else _("Not completed")}
        elif problems[part]:
            status = {
                "tag": {
                    "text": _("In progress") if started else _("Not yet started"),
                    "classes": "govuk-tag--light-blue" if started else "govuk-tag--blue",
                }
            }
        elif optional and not started:
            status = {"text": _("Optional")}
        else:
            status = {"text": _("Completed")}
        return {
            "title": {"text": title},
            "href": own.url(part) if open_for_bids else None,
            "hint": {"text": hint} if hint else None,
            "status": status,
        }

    members = draft.get("supply_chain") or []
    tasks = [
        task(
            PART_PRICES,
            _("Lots and prices"),
            done=not problems[PART_PRICES],
            started=bool(draft.get("lots")),
        ),
        task(
            PART_ANSWERS,
            _("Quality and social value answers") if call_off.social_value_weight else _("Quality answers"),
            done=not problems[PART_ANSWERS],
            started=bool(draft.get("answers") or draft.get("social_value")),
        ),
        task(
            PART_SUPPLY_CHAIN,
            _("Supply chain"),
            done=not problems[PART_SUPPLY_CHAIN],
            started=bool(members),
            hint=ngettext("%(n)s subcontractor", "%(n)s subcontractors", len(members)) % {"n": len(members)}
            if members
            else _("Add any subcontractors who will deliver part of the service"),
            optional=True,
        ),
    ]
    return render(
        request,
        "calloffs/bidding/bid.html",
        _base_context(
            own,
            status=code,
            status_label=label,
            status_classes=colour,
            open=open_for_bids,
            now=now,
            time_left=time_left(call_off.deadline_at, now),
            tasks=tasks,
            problems=problems,
            ready=ready,
            priced=priced,
            other_lots=[lot for lot in lots if lot.pk not in eligible],
            answers=answers,
            social_value=draft.get("social_value") or "",
            members=_member_rows(draft, invitations),
            latest=latest,
            latest_received=uk_datetime_seconds(latest.submitted_at) if latest else "",
            earlier=[
                {
                    "submission": s,
                    "received": uk_datetime_seconds(s.submitted_at),
                    "href": own.url("bid-receipt", receipt=s.receipt),
                }
                for s in submissions
                if latest is None or s.pk != latest.pk
            ],
            live=live,
            needs_reconfirmation=code == "resubmit",
            amendments_since=amendments_since,
            changed_since=changed_since,
            is_administrator=is_administrator,
            idempotency_key=secrets.token_urlsafe(24),
            submit_errors=_error_items(own, submit_errors) if submit_errors is not None else [],
            submit_url=own.url("bid-submit"),
            withdraw_url=own.url("bid-withdraw"),
            receipt_url=own.url("bid-receipt", receipt=latest.receipt) if latest else "",
            outcome_url=own.url("outcome"),
        ),
    )


# Lots and prices ------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def bid_prices(request, reference):
    own, response = _own_bid(request, reference)
    if response:
        return response
    if closed := _closed_redirect(own):
        return closed
    draft = _draft(own, request)
    lots = list(own.call_off.lots.prefetch_related("years"))
    eligible = services.eligible_lot_ids(own.call_off, own.organisation)
    if request.method == "POST":
        form = PricesForm(request.POST, lots=lots, eligible_ids=eligible)
        if form.is_valid() and _save(request, own, {**draft, "lots": form.lots_content()}, form):
            messages.success(request, _("Your lots and prices have been saved"))
            return redirect(own.url("bid-answers"))
    else:
        form = PricesForm(initial=PricesForm.initial_from(draft), lots=lots, eligible_ids=eligible)
    rows = []
    for lot in form.lots:
        rows.append(
            {
                "lot": lot,
                "checkbox": form[f"lot_{lot.pk}"],
                "years": [
                    {"year": year, "field": form[f"price_{lot.pk}_{year.financial_year}"]} for year in lot.years.all()
                ],
            }
        )
    return render(
        request,
        "calloffs/bidding/prices.html",
        _base_context(own, form=form, rows=rows, other_lots=[lot for lot in lots if lot.pk not in eligible]),
    )


# Answers -------------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def bid_answers(request, reference):
    own, response = _own_bid(request, reference)
    if response:
        return response
    if closed := _closed_redirect(own):
        return closed
    draft = _draft(own, request)
    questions = list(own.call_off.quality_questions.all())
    if request.method == "POST":
        form = AnswersForm(request.POST, call_off=own.call_off, questions=questions)
        if form.is_valid() and _save(request, own, {**draft, **form.content()}, form):
            messages.success(request, _("Your answers have been saved"))
            return redirect(own.url("bid-supply-chain"))
    else:
        form = AnswersForm(initial=AnswersForm.initial_from(draft), call_off=own.call_off, questions=questions)
    return render(
        request,
        "calloffs/bidding/answers.html",
        _base_context(
            own,
            form=form,
            questions=[{"question": q, "field": form[f"answer_{q.pk}"]} for q in questions],
            social_value_field=form["social_value"] if form.social_value else None,
        ),
    )


# Supply chain ---------------------------------------------------------------------------------------------------------


def _row_forms(data, count: int, chosen_names: dict) -> list[SupplyChainRowForm]:
    return [SupplyChainRowForm(data, prefix=f"sc-{i}", chosen_names=chosen_names) for i in range(1, count + 1)]


def _posted_row_count(request) -> int:
    try:
        count = int(request.POST.get("rows", "1"))
    except ValueError:
        count = 1
    return max(1, min(count, MAX_SUPPLY_CHAIN))


def _chosen_names(ids) -> dict:
    clean = set()
    for value in ids:
        try:
            clean.add(int(value))
        except (TypeError, ValueError):
            continue
    if not clean:
        return {}
    return dict(Organisation.objects.filter(pk__in=clean, kind=Organisation.Kind.PROVIDER).values_list("pk", "name"))


def _unbound_rows(values: list[dict], chosen_names: dict) -> list[SupplyChainRowForm]:
    """Rows showing what was typed, without checking it (after adding, removing or finding)."""
    return [
        SupplyChainRowForm(initial=row, prefix=f"sc-{i}", chosen_names=chosen_names)
        for i, row in enumerate(values, start=1)
    ]


def _search(query: str, lead: Organisation):
    query = (query or "").strip()
    if len(query) < 2:
        return []
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
        .filter(Q(name__icontains=query) | Q(aliases__name__icontains=query))
        .exclude(pk=lead.pk)
        .distinct()
        .order_by("name")[:SEARCH_RESULTS]
    )


@require_http_methods(["GET", "POST"])
def bid_supply_chain(request, reference):
    own, response = _own_bid(request, reference)
    if response:
        return response
    if closed := _closed_redirect(own):
        return closed
    draft = _draft(own, request)
    invitations = {inv.organisation_id: inv for inv in own.bid.supply_chain_invitations.all()}
    search_form, results, searched, page_errors = SearchForm(), None, False, []
    if request.method == "POST":
        count = _posted_row_count(request)
        posted_ids = [request.POST.get(f"sc-{i}-organisation") for i in range(1, count + 1)]
        pick = request.POST.get("pick")
        chosen_names = _chosen_names([*posted_ids, pick])
        forms_ = _row_forms(request.POST, count, chosen_names)
        values = [form.values() for form in forms_]
        search_form = SearchForm(request.POST)
        if "add" in request.POST or "remove" in request.POST or "search" in request.POST or pick:
            # Change the rows shown; nothing is saved until "Save and continue".
            if "add" in request.POST and count < MAX_SUPPLY_CHAIN:
                values.append({})
            elif "remove" in request.POST:
                try:
                    index = int(request.POST["remove"]) - 1
                except ValueError:
                    index = -1
                if 0 <= index < len(values):
                    del values[index]
                if not values:
                    values = [{}]
            elif pick:
                picked = int(pick) if pick.isdigit() else None
                if picked not in chosen_names:
                    raise Http404("No such organisation")
                chosen = {"organisation": picked, "name": chosen_names[picked]}
                for i, form in enumerate(forms_):
                    if form.is_blank():
                        values[i] = chosen
                        break
                else:
                    if len(values) < MAX_SUPPLY_CHAIN:
                        values.append(chosen)
                    else:
                        page_errors.append(
                            {"text": _("A bid can name up to %(n)s subcontractors") % {"n": MAX_SUPPLY_CHAIN}}
                        )
            elif "search" in request.POST:
                searched = True
                results = _search(request.POST.get("q", ""), own.organisation)
            forms_ = _unbound_rows(values, chosen_names)
            search_form = SearchForm(initial={"q": request.POST.get("q", "")})
        else:
            used = [(i, form) for i, form in enumerate(forms_, start=1) if not form.is_blank()]
            valid = all(form.is_valid() for _i, form in used)
            if valid:
                content = {**draft, "supply_chain": [form.entry() for _i, form in used]}
                try:
                    services.save_bid(actor=request.user, bid=own.bid, content=content, complete=False)
                except ValidationError as exc:
                    page_errors.extend(_supply_chain_service_errors(exc, used))
                else:
                    messages.success(request, _("Your supply chain has been saved"))
                    return redirect(own.url("bid"))
            # Blank rows are ignored: show them again without errors.
            forms_ = [
                SupplyChainRowForm(initial={}, prefix=form.prefix, chosen_names=chosen_names)
                if form.is_blank()
                else form
                for form in forms_
            ]
    else:
        entries = draft.get("supply_chain") or []
        chosen_names = {e["organisation"]: e.get("name") or "" for e in entries if e.get("organisation")}
        forms_ = _unbound_rows([SupplyChainRowForm.initial_from(e) for e in entries] or [{}], chosen_names)
    rows = []
    for i, form in enumerate(forms_, start=1):
        chosen = form.chosen_organisation
        label, colour = _invitation_status(invitations.get(chosen[0]) if chosen else None)
        rows.append({"number": i, "form": form, "chosen": chosen, "status": label, "status_classes": colour})
    summary = list(page_errors)
    for row in rows:
        form = row["form"]
        if not form.is_bound:
            continue
        for name, errors in form.errors.items():
            if name == "__all__":
                continue
            anchor = form[name].auto_id
            for error in errors:
                summary.append(
                    {
                        "text": _("Subcontractor %(n)s: %(error)s") % {"n": row["number"], "error": error},
                        "href": f"#{anchor}",
                    }
                )
    return render(
        request,
        "calloffs/bidding/supply_chain.html",
        _base_context(
            own,
            rows=rows,
            error_items=summary,
            search_form=search_form,
            results=results,
            searched=searched,
            can_add=len(rows) < MAX_SUPPLY_CHAIN,
            max_rows=MAX_SUPPLY_CHAIN,
            payment_term_hints=PAYMENT_TERM_HINTS,
        ),
    )


def _supply_chain_service_errors(exc: ValidationError, used) -> list[dict]:
    """The service's errors about the supply chain, on the rows they are about."""
    if not hasattr(exc, "error_dict"):
        return [{"text": message} for message in exc.messages]
    items = []
    for key, errors in exc.message_dict.items():
        href = ""
        text_prefix = ""
        if key.startswith("supply_chain_"):
            try:
                _number, form = used[int(key.rsplit("_", 1)[1]) - 1]
            except (ValueError, IndexError):
                form = None
            if form is not None:
                for message in errors:
                    form.add_error("name", message)
                continue
        elif key == "supply_chain":
            href = "#member-1"
        else:
            text_prefix = _("Another part of your bid needs changing first: ")
        for message in errors:
            item = {"text": text_prefix + message}
            if href:
                item["href"] = href
            items.append(item)
    return items


# Submit, receipts, withdraw ------------------------------------------------------------------------------------------


@require_POST
def bid_submit(request, reference):
    own, response = _own_bid(request, reference)
    if response:
        return response
    if own.organisation.pk not in administered_organisation_ids(request.user):
        raise PermissionDenied
    try:
        submission = services.submit_bid(
            actor=request.user, bid=own.bid, idempotency_key=request.POST.get("idempotency_key", "")
        )
    except ValidationError as exc:
        own.bid.refresh_from_db()
        own.bid.call_off = own.call_off
        return _overview(request, own, submit_errors=exc)
    return redirect(own.url("bid-receipt", receipt=submission.receipt))


@require_safe
def bid_receipt(request, reference, receipt):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    call_off = _published(reference)
    submission = (
        BidSubmission.objects.select_related("bid__organisation", "submitted_by")
        .filter(receipt=receipt, bid__call_off=call_off, bid__organisation_id__in=member_organisation_ids(request.user))
        .first()
    )
    if submission is None or not request.user.has_perm("calloffs.view_bid", submission.bid):
        raise Http404("No such receipt")
    the_bid = submission.bid
    the_bid.call_off = call_off
    organisations = _member_organisations(request.user)
    own = OwnBid(call_off=call_off, organisation=the_bid.organisation, bid=the_bid, organisations=organisations)
    return render(
        request,
        "calloffs/bidding/receipt.html",
        _base_context(
            own,
            submission=submission,
            received=uk_datetime_seconds(submission.submitted_at),
            is_latest=the_bid.latest_submission_id == submission.pk,
            live=the_bid.is_live,
            open=call_off.open_for_bids(),
        ),
    )


@require_http_methods(["GET", "POST"])
def bid_withdraw(request, reference):
    own, response = _own_bid(request, reference)
    if response:
        return response
    if not own.call_off.open_for_bids() or not own.bid.is_live:
        return redirect(own.url("bid"))
    errors = []
    if request.method == "POST":
        try:
            services.withdraw_bid(actor=request.user, bid=own.bid)
        except ValidationError as exc:
            errors = [{"text": message} for message in exc.messages]
        else:
            messages.success(
                request,
                _("Your bid has been withdrawn. You can submit it again before the deadline, %(deadline)s.")
                % {"deadline": format_uk_datetime(own.call_off.deadline_at)},
            )
            return redirect(own.url("bid"))
    return render(request, "calloffs/bidding/withdraw.html", _base_context(own, errors=errors))


# The outcome ----------------------------------------------------------------------------------------------------------


@require_safe
def outcome(request, reference):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    call_off = _published(reference)
    organisations = _member_organisations(request.user)
    chosen = _chosen(request, organisations) if organisations else None
    letters = AwardLetter.objects.filter(
        call_off=call_off, bid__organisation_id__in=[org.pk for org in organisations]
    ).select_related("bid__organisation")
    if chosen is not None:
        letters = letters.filter(bid__organisation=chosen)
    letters = [letter for letter in letters if request.user.has_perm("calloffs.view_bid", letter.bid)]
    if not letters:
        raise Http404("No letter")
    return render(
        request,
        "calloffs/bidding/outcome.html",
        {
            "call_off": call_off,
            "letters": [{"letter": letter, "paragraphs": _paragraphs(letter.body)} for letter in letters],
            "several": len(letters) > 1,
        },
    )


def _paragraphs(body: str) -> list[list[str]]:
    """A plain-text letter as paragraphs (blank lines between them), each a list of lines."""
    out, current = [], []
    for line in body.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# A subcontractor's invitation -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = (
        SupplyChainInvitation.objects.select_related(
            "organisation", "bid__organisation", "bid__call_off", "bid__latest_submission", "responded_by"
        )
        .filter(pk=pk, bid__call_off__published_at__isnull=False)
        .first()
    )
    if found is None or not request.user.has_perm("calloffs.respond_to_invitation", found):
        raise Http404("No such invitation")
    call_off = found.bid.call_off
    can_answer = found.removed_at is None and not call_off.deadline_passed()
    form = InvitationResponseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and can_answer and form.is_valid():
        try:
            services.respond_to_invitation(
                actor=request.user, invitation=found, confirm=form.cleaned_data["response"] == "confirm"
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["response"] == "confirm":
                messages.success(request, _("You have confirmed that your organisation will take part"))
            else:
                messages.success(
                    request, _("You have told the lead provider that your organisation will not take part")
                )
            return redirect("calloffs:invitation", pk=found.pk)
    elif request.method == "POST" and not can_answer:
        form = InvitationResponseForm()
    terms = services.invitation_terms(found) if found.removed_at is None else None
    return render(
        request,
        "calloffs/bidding/invitation.html",
        {
            "invitation": found,
            "call_off": call_off,
            "lead": found.bid.organisation,
            "terms": _terms_text(terms) if terms else None,
            "form": form,
            "can_answer": can_answer,
            **_answer(found),
        },
    )


urlpatterns = [
    path("bids/", your_bids, name="your-bids"),
    path("supply-chain-invitations/<int:pk>/", invitation, name="invitation"),
    path("opportunities/<str:reference>/bid/", bid, name="bid"),
    path("opportunities/<str:reference>/bid/prices/", bid_prices, name="bid-prices"),
    path("opportunities/<str:reference>/bid/answers/", bid_answers, name="bid-answers"),
    path("opportunities/<str:reference>/bid/supply-chain/", bid_supply_chain, name="bid-supply-chain"),
    path("opportunities/<str:reference>/bid/submit/", bid_submit, name="bid-submit"),
    path("opportunities/<str:reference>/bid/receipts/<str:receipt>/", bid_receipt, name="bid-receipt"),
    path("opportunities/<str:reference>/bid/withdraw/", bid_withdraw, name="bid-withdraw"),
    path("opportunities/<str:reference>/outcome/", outcome, name="outcome"),
]
