"""Notices pages: the public notices, a notice, sending one (commissioners), the notices sent, the cascade measure,
and the notices a provider's organisation received (as lead provider or supply chain member), with acknowledging
and passing on. Every write goes through contracts/notices.py.

    /notices/                           public notices, newest first, by region and kind (everyone)
    /notices/new/                       send a notice (contracts.send_notice: commissioners)
    /notices/sent/                      the notices sent in the commissioner's regions, with their cascade state
    /notices/measures/                  the 5-working-day cascade measure (contracts.view_notice_measures)
    /notices/<reference>/               a notice (public ones for everyone; others contracts.view_notice)
    /your-notices/                      what the user's organisations received (provider users)
    /notice-deliveries/<pk>/acknowledge/    POST: acknowledge (contracts.acknowledge_notice)
    /notice-deliveries/<pk>/forward/        pass it on to the supply chain (contracts.forward_notice)

Signed out, a page that needs an account asks to sign in; anyone else without the permission gets 403; an unknown
reference or delivery 404 (a non-public notice is 404 to anyone who may not see it, signed in or not).
"""

import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dynamic_framework.accounts.rules import commissioner_region_ids, member_organisation_ids
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.geography.models import Region

from .. import notices as services
from ..forms_notices import (
    ContractFilterForm,
    ForwardForm,
    MeasureFilterForm,
    PublicFilterForm,
    SendNoticeForm,
)
from ..models import Contract, LotType, Notice, NoticeDelivery

PAGE_SIZE = 20
DETAIL_PAGE_SIZE = 50


def _signed_in(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def needs_perm(perm):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            denied = _signed_in(request)
            if denied:
                return denied
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _delivery(pk) -> NoticeDelivery:
    delivery = (
        NoticeDelivery.objects.select_related("notice", "contract__region", "contract__lead_provider", "organisation")
        .filter(pk=pk)
        .first()
    )
    if delivery is None:
        raise Http404("No such delivery")
    return delivery


# Public ----------


@require_GET
def public_list(request):
    form = PublicFilterForm(request.GET or None)
    notices = Notice.objects.filter(public=True).select_related("region", "sent_by_organisation")
    chosen_region = chosen_kind = ""
    if form.is_valid():
        chosen_region, chosen_kind = form.cleaned_data["region"], form.cleaned_data["kind"]
        if chosen_region:
            notices = notices.filter(
                Q(region__code=chosen_region) | Q(contracts__region__code=chosen_region)
            ).distinct()
        if chosen_kind:
            notices = notices.filter(kind=chosen_kind)
    page = Paginator(notices.order_by("-sent_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/notices/public_list.html",
        {
            "form": None,
            "filter_form": form if form.is_bound else PublicFilterForm(),
            "page": page,
            "filtered": bool(chosen_region or chosen_kind),
            "provider_user": bool(member_organisation_ids(request.user)),
            "pagination": page_links(request, page, label=_("Pages of notices")),
        },
    )


def _may_see(user, notice) -> bool:
    return notice.public or (user.is_authenticated and user.has_perm("contracts.view_notice", notice))


@require_GET
def notice_detail(request, reference):
    notice = (
        Notice.objects.select_related("region", "sent_by_organisation", "sent_by")
        .prefetch_related(Prefetch("contracts", queryset=Contract.objects.select_related("region", "lead_provider")))
        .filter(reference=reference)
        .first()
    )
    if notice is None or not _may_see(request.user, notice):
        raise Http404("No such notice")
    commissioner = notice.region_id is not None and notice.region_id in commissioner_region_ids(request.user)
    organisations = member_organisation_ids(request.user)
    deliveries = NoticeDelivery.objects.filter(notice=notice).select_related(
        "organisation", "contract__lead_provider", "acknowledged_by"
    )
    if not commissioner:
        deliveries = deliveries.filter(organisation_id__in=organisations) if organisations else deliveries.none()
    ordered = deliveries.order_by(
        "contract__reference", F("forwarded_from_id").asc(nulls_first=True), "organisation__name", "pk"
    )
    page = Paginator(ordered, DETAIL_PAGE_SIZE).get_page(request.GET.get("page"))
    deliveries = list(page.object_list)
    for d in deliveries:
        d.notice = notice
    states = services.delivery_states(deliveries)
    return render(
        request,
        "contracts/notices/detail.html",
        {
            "notice": notice,
            "contracts": list(notice.contracts.all()),
            "rows": [states[d.pk] for d in deliveries],
            "is_commissioner": commissioner,
            "own_organisations": organisations,
            "due_on": services.cascade_due_on(notice),
            "page": page,
            "pagination": page_links(request, page, label=_("Pages of organisations reached")),
        },
    )


# Commissioners ----------


def _contract_groups(contracts) -> list[dict]:
    groups: dict = {}
    for c in contracts:
        key = (c.region.name, c.get_lot_type_display())
        groups.setdefault(key, []).append(c)
    return [
        {"region": region, "lot_type": lot_type, "contracts": items}
        for (region, lot_type), items in sorted(groups.items())
    ]


@needs_perm("contracts.send_notice")
def send(request):
    regions = list(Region.objects.filter(pk__in=commissioner_region_ids(request.user)).order_by("name"))
    today = timezone.localdate()
    available = (
        Contract.objects.filter(region__in=regions)
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("region", "pcc_area", "lead_provider")
        .order_by("region__name", "lot_type", "pcc_area__name", "reference")
    )
    filter_form = ContractFilterForm(request.GET or None, regions=regions)
    shown = available
    if filter_form.is_valid():
        data = filter_form.cleaned_data
        if data["region"]:
            shown = shown.filter(region__code=data["region"])
        if data["lot_type"]:
            shown = shown.filter(lot_type=data["lot_type"])
        if data["q"]:
            q = data["q"].strip()
            shown = shown.filter(
                Q(reference__icontains=q)
                | Q(title__icontains=q)
                | Q(lead_provider__name__icontains=q)
                | Q(pcc_area__name__icontains=q)
            )
    chosen_refs = request.GET.getlist("contract")
    if request.method == "POST":
        form = SendNoticeForm(request.POST, contracts=available)
        if form.is_valid():
            try:
                notice = services.send_notice(actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Notice %(reference)s sent to %(count)s lead provider(s)")
                    % {"reference": notice.reference, "count": notice.deliveries.count()},
                )
                return redirect("contracts:notice", reference=notice.reference)
        selected = set(request.POST.getlist("contracts"))
    else:
        initial = {"public": "yes"}
        form = SendNoticeForm(initial=initial, contracts=available)
        selected = set(chosen_refs)
    shown = list(shown)
    if request.method == "POST":
        # Keep the contracts ticked even when the filter would hide them.
        shown_ids = {c.pk for c in shown}
        shown += [c for c in form.contract_list if c.reference in selected and c.pk not in shown_ids]
    return render(
        request,
        "contracts/notices/send.html",
        {
            "form": form,
            "filter_form": filter_form if filter_form.is_bound else ContractFilterForm(regions=regions),
            "groups": _contract_groups(shown),
            "selected": selected,
            "lot_types": LotType,
        },
    )


@require_GET
@needs_perm("contracts.send_notice")
def sent(request):
    notices = (
        Notice.objects.filter(region_id__in=commissioner_region_ids(request.user))
        .select_related("region", "sent_by")
        .order_by("-sent_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/notices/sent.html",
        {
            "page": page,
            "summaries": services.notice_summaries(page.object_list),
            "pagination": page_links(request, page, label=_("Pages of notices")),
        },
    )


@dataclass
class _Bar:
    label: str
    value: int
    text: str


def _region_chart(measure):
    """A bar for each region with members to reach: the share reached in time (the table after it has the data)."""
    from dynamic_framework.insights.charts import bar_chart

    bars = [_Bar(r.label, r.percent, f"{r.percent}%") for r in measure.by_region if r.members]
    if not bars:
        return ""
    return bar_chart(
        "chart-cascade-regions",
        _("Share of supply chain members reached within 5 working days, by region"),
        _(
            "A bar for each region, as long as the percentage of members reached in time. "
            "The table below gives the figures."
        ),
        bars,
        max_value=100,
    )


@require_GET
@needs_perm("contracts.view_notice_measures")
def measures(request):
    form = MeasureFilterForm(request.GET or None)
    regions = None
    chosen = None
    if form.is_valid() and form.cleaned_data["region"]:
        chosen = Region.objects.filter(code=form.cleaned_data["region"]).first()
        regions = [chosen] if chosen else None
    measure = services.cascade_measure(regions=regions)
    return render(
        request,
        "contracts/notices/measures.html",
        {
            "filter_form": form if form.is_bound else MeasureFilterForm(),
            "measure": measure,
            "chosen_region": chosen,
            "working_days": services.CASCADE_WORKING_DAYS,
            "chart": _region_chart(measure),
        },
    )


# Providers ----------


@require_GET
def your_notices(request):
    denied = _signed_in(request)
    if denied:
        return denied
    organisations = member_organisation_ids(request.user)
    if not organisations:
        raise PermissionDenied
    deliveries = (
        NoticeDelivery.objects.filter(organisation_id__in=organisations)
        .select_related("notice", "contract__lead_provider", "contract__region", "organisation", "acknowledged_by")
        .order_by("-delivered_at", "-pk")
    )
    chosen = request.GET.get("notice", "")
    if chosen:
        deliveries = deliveries.filter(notice__reference=chosen)
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    states = services.delivery_states(page.object_list)
    return render(
        request,
        "contracts/notices/yours.html",
        {
            "page": page,
            "rows": [states[d.pk] for d in page.object_list],
            "chosen": chosen,
            "pagination": page_links(request, page, label=_("Pages of notices")),
        },
    )


@require_POST
def acknowledge(request, pk):
    denied = _signed_in(request)
    if denied:
        return denied
    delivery = _delivery(pk)
    if not request.user.has_perm("contracts.acknowledge_notice", delivery):
        raise PermissionDenied
    try:
        services.acknowledge(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You acknowledged notice %(reference)s") % {"reference": delivery.notice.reference})
    return redirect("contracts:your-notices")


def forward(request, pk):
    denied = _signed_in(request)
    if denied:
        return denied
    delivery = _delivery(pk)
    if not request.user.has_perm("contracts.forward_notice", delivery):
        raise PermissionDenied
    members = services.members_to_forward_to(delivery)
    already = list(
        NoticeDelivery.objects.filter(forwarded_from=delivery)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    form = ForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.forward_notice(actor=request.user, delivery=delivery, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Notice %(reference)s passed on to %(count)s organisation(s)")
                % {"reference": delivery.notice.reference, "count": len(created)},
            )
            return redirect("contracts:your-notices")
    return render(
        request,
        "contracts/notices/forward.html",
        {
            "form": form,
            "delivery": delivery,
            "notice": delivery.notice,
            "members": members,
            "already": already,
            "due_on": services.cascade_due_on(delivery.notice),
        },
    )


# The contract page's partial ----------


def contract_page_context(*, request, contract) -> dict:
    """For contracts/_notices.html: the contract's notices (public ones for everyone, all of them for the contract's
    parties) with, for each, how far it has been passed on in this contract's supply chain. Three queries."""
    user = request.user
    party = user.is_authenticated and user.has_perm("contracts.view_contract_details", contract)
    notices = Notice.objects.filter(contracts=contract).order_by("-sent_at", "-pk")
    if not party:
        notices = notices.filter(public=True)
    notices = list(notices[:50])
    deliveries = list(
        NoticeDelivery.objects.filter(
            contract=contract, notice__in=notices, forwarded_from__isnull=True
        ).select_related("contract")
    )
    by_notice = {n.pk: n for n in notices}
    for d in deliveries:
        d.notice = by_notice[d.notice_id]
    states = services.delivery_states(deliveries) if party else {}
    lead = {d.notice_id: states.get(d.pk) for d in deliveries}
    return {
        "notice_rows": [{"notice": n, "state": lead.get(n.pk)} for n in notices],
        "notices_party": party,
    }


urlpatterns = [
    path("notices/", public_list, name="notices"),
    path("notices/new/", send, name="notice-new"),
    path("notices/sent/", sent, name="notices-sent"),
    path("notices/measures/", measures, name="notice-measures"),
    path("notices/<str:reference>/", notice_detail, name="notice"),
    path("your-notices/", your_notices, name="your-notices"),
    path("notice-deliveries/<int:pk>/acknowledge/", acknowledge, name="notice-acknowledge"),
    path("notice-deliveries/<int:pk>/forward/", forward, name="notice-forward"),
]
