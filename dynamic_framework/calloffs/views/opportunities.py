"""The public Opportunities pages: published call-offs, their Atom feed, email alerts without an account, and
providers' questions.

- opportunities        the list (public): open ones first by deadline, then the rest; filters in the query string
- feed                 an Atom 1.0 feed of the newest 50 published call-offs (the same filters)
- alerts               subscribe to email alerts by category and area (no account needed; double opt-in)
- alerts-confirm       the link in the confirmation email (7 days); confirming twice changes nothing
- alerts-unsubscribe   stop the alerts (a button, then a confirmation)
- opportunity          everything a provider needs to decide whether to bid (public once published; 404 before)
- document             a published call-off's document, as an attachment
- ask                  provider members ask a question privately; the answer is published without saying who asked

SEALED BIDS: nothing here reads bids, except the winners of each lot once the award is confirmed, and a signed-in
provider's own organisations' bids. No number of bids and no bidder's name is ever passed to these templates.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    BigIntegerField,
    Case,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from dynamic_framework.accounts.rules import member_organisation_ids
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.money import format_pence
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.time import format_uk_date, format_uk_datetime
from dynamic_framework.geography.models import PccArea, Region
from dynamic_framework.organisations.models import Organisation

from .. import services, tasks
from ..forms_opportunities import (
    PUBLIC_STATUSES,
    QUESTION_WORD_LIMIT,
    AlertForm,
    AskForm,
    OpportunityFilterForm,
    OpportunityFilters,
)
from ..models import (
    MAX_SCORE,
    SCORE_SCALE,
    TIE_BREAK_RULE,
    AlertSubscription,
    Bid,
    CallOff,
    CallOffDocument,
    ClarificationQuestion,
    Lot,
    LotAward,
    LotYear,
    Sex,
)

PAGE_SIZE = 20
FEED_SIZE = 50
CONFIRM_LINK_DAYS = 7
STATUS_TAG_CLASSES = {
    "open": "govuk-tag--green",
    "closed": "govuk-tag--grey",
    "awarded": "govuk-tag--blue",
    "cancelled": "govuk-tag--red",
    "no_award": "govuk-tag--orange",
}


# Reads (also used by the API) --------------------------------------------------------------------------------------


def published_call_offs():
    return CallOff.objects.filter(published_at__isnull=False)


def _open_q(now) -> Q:
    return Q(deadline_at__gt=now, cancelled_at__isnull=True, no_award_at__isnull=True)


def _status_q(status: str, now) -> Q:
    return {
        "open": _open_q(now),
        "closed": Q(deadline_at__lte=now, cancelled_at__isnull=True, no_award_at__isnull=True, awarded_at__isnull=True),
        "awarded": Q(awarded_at__isnull=False, cancelled_at__isnull=True, no_award_at__isnull=True),
        "cancelled": Q(cancelled_at__isnull=False),
        "no_award": Q(no_award_at__isnull=False, cancelled_at__isnull=True),
    }[status]


def _total_value():
    """The sum of every lot's values for every year, in pence (one subquery, not a join)."""
    totals = (
        LotYear.objects.filter(lot__call_off=OuterRef("pk"))
        .order_by()
        .values("lot__call_off")
        .annotate(total=Sum("max_value_pence"))
        .values("total")[:1]
    )
    return Subquery(totals, output_field=BigIntegerField())


def opportunity_list(filters: OpportunityFilters, now=None):
    """Published call-offs matching the filters: open ones first, soonest deadline first, then the others, most
    recent deadline first. A fixed number of queries whatever the number of rows."""
    now = now or timezone.now()
    call_offs = published_call_offs()
    if filters.category:
        call_offs = call_offs.filter(
            pk__in=CallOff.categories.through.objects.filter(servicecategory__slug=filters.category).values(
                "calloff_id"
            )
        )
    if filters.region:
        call_offs = call_offs.filter(region__code=filters.region)
    if filters.pcc_area:
        call_offs = call_offs.filter(pk__in=Lot.objects.filter(pcc_areas__slug=filters.pcc_area).values("call_off_id"))
    if filters.funding:
        call_offs = call_offs.filter(funding_mechanism=filters.funding)
    if filters.status:
        call_offs = call_offs.filter(_status_q(filters.status, now))
    return (
        call_offs.annotate(
            is_closed=Case(When(_open_q(now), then=Value(0)), default=Value(1), output_field=IntegerField()),
            open_deadline=Case(When(_open_q(now), then=F("deadline_at")), default=None, output_field=DateTimeField()),
            total_value_pence=_total_value(),
        )
        .select_related("region")
        .prefetch_related("categories", Prefetch("lots", queryset=Lot.objects.prefetch_related("pcc_areas")))
        .order_by("is_closed", "open_deadline", "-deadline_at", "pk")
    )


def opportunity_detail_queryset():
    """Everything the public page and the API show of a published call-off, prefetched. Only answered questions,
    and of them only the published wording and the answer: never who asked."""
    return (
        published_call_offs()
        .select_related("region", "co_commissioner")
        .annotate(total_value_pence=_total_value())
        .prefetch_related(
            "categories",
            Prefetch("lots", queryset=Lot.objects.prefetch_related("years", "pcc_areas__region")),
            "quality_questions",
            Prefetch(
                "documents",
                queryset=CallOffDocument.objects.filter(removed_at__isnull=True).order_by("uploaded_at", "pk"),
                to_attr="public_documents",
            ),
            "amendments",
            Prefetch(
                "questions",
                queryset=ClarificationQuestion.objects.filter(answered_at__isnull=False)
                .only("id", "call_off_id", "published_question", "answer", "answered_at")
                .order_by("answered_at", "pk"),
                to_attr="published_answers",
            ),
        )
    )


def winners(call_off) -> dict:
    """{lot id: organisation} once the award is confirmed; nothing before (not even during standstill)."""
    if not call_off.awarded_at or call_off.cancelled_at:
        return {}
    return {
        award.lot_id: award.bid.organisation
        for award in LotAward.objects.filter(lot__call_off=call_off).select_related("bid__organisation")
    }


def public_status(call_off, now=None) -> str:
    """open, closed, awarded, cancelled or no_award: the steps after the deadline are all "closed" in public."""
    status = call_off.status_at(now or timezone.now())
    return {
        CallOff.Status.PUBLISHED: "open",
        CallOff.Status.AWARDED: "awarded",
        CallOff.Status.CANCELLED: "cancelled",
        CallOff.Status.NO_AWARD: "no_award",
    }.get(status, "closed")


def time_left(deadline, now=None) -> str:
    """'12 days left', '1 day left', '5 hours left', 'Less than an hour left' or 'Closed'."""
    remaining = deadline - (now or timezone.now())
    if remaining <= timedelta(0):
        return _("Closed")
    if remaining.days >= 1:
        return ngettext("%(n)s day left", "%(n)s days left", remaining.days) % {"n": remaining.days}
    hours = remaining.seconds // 3600
    if hours >= 1:
        return ngettext("%(n)s hour left", "%(n)s hours left", hours) % {"n": hours}
    return _("Less than an hour left")


@dataclass
class Lookups:
    """The filters' reference data, read once per request."""

    categories: list
    regions: list
    pcc_areas: list

    @classmethod
    def load(cls) -> "Lookups":
        return cls(
            list(ServiceCategory.objects.order_by("number")),
            list(Region.objects.order_by("name")),
            list(PccArea.objects.select_related("region").order_by("name")),
        )

    def filter_form(self, data) -> OpportunityFilterForm:
        form = OpportunityFilterForm(
            data or None, categories=self.categories, regions=self.regions, pcc_areas=self.pcc_areas
        )
        if form.is_bound:
            form.is_valid()
        return form


# Describing a call-off in plain English -------------------------------------------------------------------------


def term_text(call_off) -> str:
    text = ngettext("%(months)s month from %(start)s", "%(months)s months from %(start)s", call_off.term_months) % {
        "months": call_off.term_months,
        "start": format_uk_date(call_off.term_start),
    }
    options = list(call_off.extension_months or [])
    if options:
        each = ", ".join(ngettext("%(n)s month", "%(n)s months", m) % {"n": m} for m in options)
        text += ". " + ngettext(
            "It can be extended once, by %(options)s.",
            "It can be extended %(count)s times: by %(options)s.",
            len(options),
        ) % {"count": len(options), "options": each}
    else:
        text += ". " + _("There is no option to extend it.")
    return text


def cohort_text(call_off) -> str:
    who = {Sex.ANY: _("People on probation"), Sex.WOMEN: _("Women on probation"), Sex.MEN: _("Men on probation")}[
        Sex(call_off.cohort_sex)
    ]
    low, high = call_off.cohort_min_age, call_off.cohort_max_age
    if low and high:
        who += " " + _("aged %(low)s to %(high)s") % {"low": low, "high": high}
    elif low:
        who += " " + _("aged %(low)s or over") % {"low": low}
    elif high:
        who += " " + _("aged up to %(high)s") % {"high": high}
    if call_off.cohort_note:
        who += ". " + call_off.cohort_note
    return who


CHANGE_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "questions_close_at": _("Questions close"),
    "deadline_at": _("Deadline for bids"),
    "expected_award_on": _("Expected award date"),
    "term_start": _("Service starts"),
    "cohort_note": _("Who it is for"),
    "documents": _("Documents"),
}


def _change_value(field_name: str, value) -> str:
    if value is None or value == "":
        return _("None")
    if field_name.endswith("_at") and isinstance(value, str) and parse_datetime(value):
        return format_uk_datetime(parse_datetime(value))
    if field_name in {"expected_award_on", "term_start"} and isinstance(value, str) and parse_date(value[:10]):
        return format_uk_date(parse_date(value[:10]))
    if isinstance(value, list):
        parts = []
        for year in value:
            if isinstance(year, dict) and "financial_year" in year:
                label = f"{year['financial_year']}-{(int(year['financial_year']) + 1) % 100:02d}"
                text = f"{label}: {format_pence(year.get('max_value_pence'))}"
                if year.get("expected_people") is not None:
                    text += " " + _("(%(n)s people)") % {"n": year["expected_people"]}
                parts.append(text)
            else:
                parts.append(str(year))
        return "; ".join(parts) or _("None")
    return str(value)


def describe_changes(changes: dict) -> list[dict]:
    """An amendment's changes as [{label, before, after}] in words people read (UK times, pounds)."""
    out = []
    for field_name, change in (changes or {}).items():
        if field_name.startswith("lot ") and field_name.endswith(" values"):
            label = _("Lot %(n)s values") % {"n": field_name[4:-7]}
        else:
            label = str(CHANGE_LABELS.get(field_name, field_name.replace("_", " ").capitalize()))
        change = change if isinstance(change, dict) else {"before": None, "after": change}
        out.append(
            {
                "label": label,
                "before": _change_value(field_name, change.get("before")),
                "after": _change_value(field_name, change.get("after")),
            }
        )
    return out


@dataclass
class ProviderView:
    """What a signed-in provider member sees about their own organisations: which lots each may lead."""

    organisation: Organisation
    eligible_lots: list = field(default_factory=list)
    has_bid: bool = False


def _provider_views(user, call_off) -> list[ProviderView]:
    if not user.is_authenticated:
        return []
    ids = member_organisation_ids(user)
    if not ids:
        return []
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    own_bids = set(
        Bid.objects.filter(call_off=call_off, organisation_id__in=ids).values_list("organisation_id", flat=True)
    )
    lots = list(call_off.lots.all())
    out = []
    for organisation in organisations:
        eligible = services.eligible_lot_ids(call_off, organisation)
        out.append(
            ProviderView(
                organisation=organisation,
                eligible_lots=[lot for lot in lots if lot.pk in eligible],
                has_bid=organisation.pk in own_bids,
            )
        )
    return out


def questions_open(call_off, now=None) -> bool:
    now = now or timezone.now()
    return call_off.open_for_bids(now) and now < call_off.questions_close_at


def _published_or_404(reference: str) -> CallOff:
    call_off = published_call_offs().select_related("region").filter(reference=reference).first()
    if call_off is None:
        raise Http404("No such opportunity")
    return call_off


def _require_perm(request, perm: str, obj=None):
    """Signed out: go and sign in, then come back. Signed in without permission: 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return None


# The list ----------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    call_off: CallOff
    status: str
    status_label: str
    tag_class: str
    time_left: str


def _row(call_off, now) -> Row:
    status = public_status(call_off, now)
    return Row(
        call_off=call_off,
        status=status,
        status_label=str(PUBLIC_STATUSES[status]),
        tag_class=STATUS_TAG_CLASSES[status],
        time_left=time_left(call_off.deadline_at, now) if status == "open" else "",
    )


def _with_filters(url: str, filters: OpportunityFilters) -> str:
    from urllib.parse import urlencode

    params = filters.as_params()
    return url + (f"?{urlencode(params)}" if params else "")


@require_safe
def opportunities(request, **kwargs):
    now = timezone.now()
    lookups = Lookups.load()
    form = lookups.filter_form(request.GET)
    filters = form.filters()
    paginator = Paginator(opportunity_list(filters, now), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "calloffs/opportunities/list.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "rows": [_row(call_off, now) for call_off in page],
            "pagination": page_links(request, page, label=_("Pages of opportunities")),
            "clear_url": request.path,
            "feed_url": _with_filters(reverse("calloffs:feed"), filters),
            "api_url": _with_filters(reverse("api:opportunity-list"), filters),
        },
    )


# The Atom feed -----------------------------------------------------------------------------------------------------


class OpportunityFeed(Feed):
    """The newest published call-offs (with the list's filters), newest publication first. An entry's updated
    time moves on with each amendment, cancellation, closure with no award or award."""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return request.filters

    def title(self, filters):
        return _("Opportunities – Dynamic Framework")

    def subtitle(self, filters):
        return _("Call-off competitions for rehabilitation services for people on probation: grants and contracts.")

    def link(self, filters):
        return _with_filters(reverse("calloffs:opportunities"), filters)

    def feed_url(self, filters):
        return _with_filters(reverse("calloffs:feed"), filters)

    def items(self, filters):
        return opportunity_list(filters).prefetch_related("amendments").order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, call_off):
        return call_off.title

    def item_description(self, call_off):
        status = public_status(call_off)
        line = _("%(mechanism)s in %(region)s. %(status)s. Bids by %(deadline)s.") % {
            "mechanism": call_off.get_funding_mechanism_display(),
            "region": call_off.region.name,
            "status": PUBLIC_STATUSES[status],
            "deadline": format_uk_datetime(call_off.deadline_at),
        }
        # Atom summaries are HTML: the summary is escaped, its paragraphs kept.
        return linebreaks(f"{call_off.summary}\n\n{line}", autoescape=True)

    def item_link(self, call_off):
        return reverse("calloffs:opportunity", kwargs={"reference": call_off.reference})

    def item_guid(self, call_off):
        return self.request.build_absolute_uri(self.item_link(call_off))

    def item_pubdate(self, call_off):
        return call_off.published_at

    def item_updateddate(self, call_off):
        moments = [call_off.published_at, call_off.cancelled_at, call_off.no_award_at, call_off.awarded_at]
        moments += [amendment.published_at for amendment in call_off.amendments.all()]
        return max(m for m in moments if m is not None)

    def item_categories(self, call_off):
        return [c.name for c in call_off.categories.all()] + [call_off.region.name]


@require_safe
def feed(request, **kwargs):
    form = Lookups.load().filter_form(request.GET)
    if form.is_bound and not form.is_valid():
        problems = "\n".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    request.filters = form.filters()
    return OpportunityFeed()(request)


# Email alerts ------------------------------------------------------------------------------------------------------


def _areas_by_region(pcc_areas) -> list[tuple]:
    groups: dict = {}
    for area in pcc_areas:
        groups.setdefault(area.region, []).append(area)
    return sorted(groups.items(), key=lambda item: item[0].name)


@require_http_methods(["GET", "POST"])
def alerts(request, **kwargs):
    categories = list(ServiceCategory.objects.order_by("number"))
    pcc_areas = list(PccArea.objects.select_related("region").order_by("name"))
    form = AlertForm(request.POST if request.method == "POST" else None, categories=categories, pcc_areas=pcc_areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe_to_alerts(
                actor=request.user,
                email=form.cleaned_data["email"],
                categories=form.chosen_categories(),
                pcc_areas=form.chosen_areas(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return render(request, "calloffs/opportunities/alerts_sent.html", {"email": form.cleaned_data["email"]})
    chosen = set(form["pcc_areas"].value() or []) if form.is_bound else set()
    groups = [
        {
            "region": region,
            "id_prefix": "id_pcc_areas" if index == 0 else f"id_pcc_areas-{region.code}",
            "items": [{"value": a.slug, "text": a.name, "checked": a.slug in chosen} for a in areas],
        }
        for index, (region, areas) in enumerate(_areas_by_region(pcc_areas))
    ]
    return render(request, "calloffs/opportunities/alerts.html", {"form": form, "area_groups": groups})


def _subscription_from_token(token: str, purpose: str, max_age=None):
    """(subscription, expired). A link that is not one of ours, or names nothing: 404."""
    subscription_id = tasks.read_alert_token(token, purpose)
    if subscription_id is None:
        raise Http404("Not a link we sent")
    subscription = AlertSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        raise Http404("No such alerts")
    expired = max_age is not None and tasks.read_alert_token(token, purpose, max_age=max_age) is None
    return subscription, expired


@require_safe
def alerts_confirm(request, token, **kwargs):
    subscription, expired = _subscription_from_token(token, "confirm", max_age=timedelta(days=CONFIRM_LINK_DAYS))
    if subscription.unsubscribed_at:
        return render(request, "calloffs/opportunities/alerts_link_not_working.html", {"reason": "stopped"}, status=410)
    if expired and not subscription.confirmed_at:
        return render(request, "calloffs/opportunities/alerts_link_not_working.html", {"reason": "expired"}, status=410)
    subscription = services.confirm_alerts(actor=request.user, subscription=subscription)
    return render(
        request,
        "calloffs/opportunities/alerts_confirmed.html",
        {
            "subscription": subscription,
            "categories": list(subscription.categories.order_by("number")),
            "pcc_areas": list(subscription.pcc_areas.order_by("name")),
            "unsubscribe_url": reverse(
                "calloffs:alerts-unsubscribe", kwargs={"token": tasks.alert_token(subscription, "unsubscribe")}
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def alerts_unsubscribe(request, token, **kwargs):
    subscription, _expired = _subscription_from_token(token, "unsubscribe")
    if request.method == "POST":
        services.unsubscribe_alerts(actor=request.user, subscription=subscription)
        return redirect("calloffs:alerts-unsubscribe", token=token)
    return render(
        request,
        "calloffs/opportunities/alerts_unsubscribe.html",
        {"subscription": subscription, "stopped": subscription.unsubscribed_at is not None},
    )


# One opportunity ---------------------------------------------------------------------------------------------------


@require_safe
def opportunity(request, reference, **kwargs):
    call_off = opportunity_detail_queryset().filter(reference=reference).first()
    if call_off is None:
        raise Http404("No such opportunity")
    now = timezone.now()
    status = public_status(call_off, now)
    lot_winners = winners(call_off) if status == "awarded" else {}
    lots = [
        {
            "lot": lot,
            "years": list(lot.years.all()),
            "total": sum(y.max_value_pence for y in lot.years.all()),
            "winner": lot_winners.get(lot.pk),
        }
        for lot in call_off.lots.all()
    ]
    user = request.user
    can_ask = user.is_authenticated and user.has_perm("calloffs.ask_question", call_off)
    return render(
        request,
        "calloffs/opportunities/opportunity.html",
        {
            "call_off": call_off,
            "status": status,
            "status_label": PUBLIC_STATUSES[status],
            "tag_class": STATUS_TAG_CLASSES[status],
            "time_left": time_left(call_off.deadline_at, now) if status == "open" else "",
            "categories": list(call_off.categories.all()),
            "lots": lots,
            "term": term_text(call_off),
            "cohort": cohort_text(call_off),
            "quality_questions": list(call_off.quality_questions.all()),
            "quality_weight": call_off.quality_weight,
            "score_scale": sorted(SCORE_SCALE.items()),
            "max_score": MAX_SCORE,
            "tie_break_rule": TIE_BREAK_RULE,
            "documents": call_off.public_documents,
            "amendments": [{"amendment": a, "changes": describe_changes(a.changes)} for a in call_off.amendments.all()],
            "answers": call_off.published_answers,
            "questions_open": questions_open(call_off, now),
            "provider_views": _provider_views(user, call_off) if status == "open" else [],
            "can_ask": can_ask,
        },
    )


@require_safe
def document(request, reference, pk, **kwargs):
    call_off = CallOff.objects.select_related("region").filter(reference=reference).first()
    if call_off is None:
        raise Http404("No such opportunity")
    # Before publication only commissioners for its region; everyone else cannot tell it exists.
    user = request.user
    if call_off.published_at is None and not (
        user.is_authenticated and user.has_perm("calloffs.view_call_off", call_off)
    ):
        raise Http404("No such opportunity")
    found = CallOffDocument.objects.filter(call_off=call_off, pk=pk, removed_at__isnull=True).first()
    if found is None:
        raise Http404("No such document")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    response = FileResponse(handle, as_attachment=True, filename=found.original_name, content_type=found.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if call_off.published_at is None:
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def ask(request, reference, **kwargs):
    call_off = _published_or_404(reference)
    denied = _require_perm(request, "calloffs.ask_question", call_off)
    if denied:
        return denied
    organisations = list(Organisation.objects.filter(pk__in=member_organisation_ids(request.user)).order_by("name"))
    if not organisations:
        raise PermissionDenied
    form = AskForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_question(
                actor=request.user,
                call_off=call_off,
                organisation=form.chosen_organisation(),
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your question has been sent. When it is answered, the answer is published on the opportunity page."),
            )
            return redirect("calloffs:ask", reference=call_off.reference)
    earlier = list(
        ClarificationQuestion.objects.filter(call_off=call_off, organisation__in=organisations)
        .select_related("organisation")
        .order_by("asked_at", "pk")
    )
    return render(
        request,
        "calloffs/opportunities/ask.html",
        {
            "call_off": call_off,
            "form": form,
            "earlier": earlier,
            "several_organisations": len(organisations) > 1,
            "questions_open": questions_open(call_off),
            "word_limit": QUESTION_WORD_LIMIT,
        },
    )


urlpatterns = [
    path("opportunities/", opportunities, name="opportunities"),
    path("opportunities/feed.atom", feed, name="feed"),
    path("opportunities/alerts/", alerts, name="alerts"),
    path("opportunities/alerts/confirm/<str:token>/", alerts_confirm, name="alerts-confirm"),
    path("opportunities/alerts/unsubscribe/<str:token>/", alerts_unsubscribe, name="alerts-unsubscribe"),
    path("opportunities/<str:reference>/", opportunity, name="opportunity"),
    path("opportunities/<str:reference>/documents/<int:pk>/", document, name="document"),
    path("opportunities/<str:reference>/ask/", ask, name="ask"),
]
