"""Payments pages, costs part: the full-cost-recovery check (ADR 0018).

- /cost-check/                       everyone, signed in or not: enter a call-off's values and volumes and your own
                                     costs per year, see the results (nothing saved). ?lot=<pk> fills in a published
                                     lot's values and volumes. Provider members can save the check from here.
- /cost-checks/                      provider members: their organisations' saved checks (payments.save_cost_check)
- /cost-checks/<pk>/                 one saved check (payments.view_cost_check: the organisation's members)
- /cost-checks/<pk>/edit/            change it (payments.change_cost_check)
- /cost-checks/<pk>/sharing/         share it anonymously with commissioners, or stop (payments.share_cost_check)
- /shared-cost-checks/               commissioners and framework managers: the anonymous aggregate for a service
                                     category and region, or ?call_off=<reference> for each of a call-off's lots
                                     (payments.view_shared_costs)

Signed out: sign in (except the check itself). Not allowed: 403. Unknown check, lot or call-off: 404. Every write
goes through payments/services_costs.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dynamic_framework.accounts.rules import member_organisation_ids
from dynamic_framework.calloffs.models import CallOff, Lot
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.permissions import signed_in
from dynamic_framework.organisations.models import Organisation

from .. import costs
from .. import services_costs as services
from ..costs_chart import surplus_chart
from ..forms_costs import (
    AggregateForm,
    SaveForm,
    Years,
    add_service_errors,
    initial_from_check,
    initial_from_lot,
)
from ..models import CostCheck

PAGE_SIZE = 20


def _check_perm(request, perm, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _published_lot(value) -> Lot | None:
    if value in (None, ""):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("No such lot") from exc
    lot = (
        Lot.objects.select_related("call_off", "region")
        .prefetch_related("years", "call_off__categories")
        .filter(pk=pk, call_off__published_at__isnull=False)
        .first()
    )
    if lot is None:
        raise Http404("No such lot")
    return lot


def _saved(request, pk) -> CostCheck:
    check = services.checks_for(request.user).filter(pk=pk).first()
    if check is None:
        if not CostCheck.objects.filter(pk=pk).exists():
            raise Http404("No such check")
        raise PermissionDenied
    return check


def results_context(result: costs.CheckResult, chart_id: str = "surplus") -> dict:
    return {
        "result": result,
        "chart": surplus_chart(
            chart_id,
            _("Surplus or shortfall each year"),
            _(
                "Two bars for each financial year: for the contracted people, and for everyone you expect to "
                "support. To the right of the middle line a surplus, to the left a shortfall. The table below has "
                "the same figures."
            ),
            result,
        ),
        "rounding_rules": costs.ROUNDING_RULES,
    }


class _Errors:
    """Something with .errors, for the page title's "Error: " prefix (base.html reads `form.errors`)."""

    errors = True


def _first_with_errors(forms, years):
    if years.errors:
        return _Errors()
    return next((f for f in forms if f.is_bound and f.errors), None)


def _member_organisations(user) -> list[Organisation]:
    ids = member_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


# The check (everyone) --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def check(request):
    lot = _published_lot(request.POST.get("lot") if request.method == "POST" else request.GET.get("lot"))
    may_save = request.user.is_authenticated and request.user.has_perm("payments.save_cost_check")
    organisations = _member_organisations(request.user) if may_save else []
    result = None
    save_form = None
    if request.method == "POST":
        action = request.POST.get("action", "check")
        years = Years.from_post(request.POST, add=action == "add_year")
        if action == "save" and may_save:
            save_form = SaveForm(request.POST, organisations=organisations, lot=lot)
        if action != "add_year" and years.is_valid():
            result = services.run_check(years.rows)
            if save_form is not None and save_form.is_valid():
                try:
                    saved = services.save_check(
                        actor=request.user,
                        organisation=save_form.organisation_choice(),
                        title=save_form.cleaned_data["title"],
                        years=years.rows,
                        lot=lot,
                        category=save_form.cleaned_data.get("category"),
                        region=save_form.cleaned_data.get("region"),
                        share=save_form.cleaned_data.get("share", False),
                    )
                except ValidationError as exc:
                    add_service_errors(save_form, exc)
                    years.add_problems(getattr(exc, "message_dict", {}))
                else:
                    messages.success(request, _("Your check is saved."))
                    return redirect("payments:cost-check-detail", pk=saved.pk)
    else:
        years = Years(initial=initial_from_lot(lot) if lot else None)
    if may_save and save_form is None:
        save_form = SaveForm(
            organisations=organisations,
            lot=lot,
            initial={"title": f"{lot.call_off.reference} {lot.name}" if lot else ""},
        )
    context = {
        "lot": lot,
        "years": years,
        "save_form": save_form,
        "may_save": may_save,
        "action_url": reverse("payments:cost-check"),
        "error_forms": [*years.error_forms(), *([save_form] if save_form is not None and save_form.is_bound else [])],
    }
    context["form"] = _first_with_errors(context["error_forms"], years)
    if result is not None:
        context.update(results_context(result))
    return render(request, "payments/costs/check.html", context)


# Saved checks (the organisation's members) -------------------------------------------------------------------------


@require_GET
@signed_in
def saved_list(request):
    _check_perm(request, "payments.save_cost_check")
    page = Paginator(services.checks_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"check": c, "result": services.result_of(c)} for c in page.object_list]

    return render(
        request,
        "payments/costs/list.html",
        {"page": page, "rows": rows, "pagination": page_links(request, page, label=_("Pages of saved checks"))},
    )


@require_GET
@signed_in
def detail(request, pk):
    saved = _saved(request, pk)
    _check_perm(request, "payments.view_cost_check", saved)
    context = {
        "check": saved,
        "years_list": list(saved.years.all()),
        "can_change": request.user.has_perm("payments.change_cost_check", saved),
        "can_share": request.user.has_perm("payments.share_cost_check", saved),
    }
    context.update(results_context(services.result_of(saved)))
    return render(request, "payments/costs/detail.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def edit(request, pk):
    saved = _saved(request, pk)
    _check_perm(request, "payments.change_cost_check", saved)
    organisations = [saved.organisation]
    if request.method == "POST":
        action = request.POST.get("action", "save")
        years = Years.from_post(request.POST, add=action == "add_year")
        form = SaveForm(request.POST, organisations=organisations, lot=saved.lot, editing=True)
        if action != "add_year" and years.is_valid() and form.is_valid():
            try:
                services.change_check(
                    actor=request.user,
                    check=saved,
                    title=form.cleaned_data["title"],
                    years=years.rows,
                    category=form.cleaned_data.get("category"),
                    region=form.cleaned_data.get("region") if saved.lot is None else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                years.add_problems(getattr(exc, "message_dict", {}))
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("payments:cost-check-detail", pk=saved.pk)
    else:
        years = Years(initial=initial_from_check(saved))
        form = SaveForm(
            organisations=organisations,
            lot=saved.lot,
            editing=True,
            initial={"title": saved.title, "category": saved.category_id, "region": saved.region_id},
        )
    return render(
        request,
        "payments/costs/edit.html",
        {
            "check": saved,
            "lot": saved.lot,
            "years": years,
            "save_form": form,
            "error_forms": [*years.error_forms(), *([form] if form.is_bound else [])],
            "form": _first_with_errors([*years.error_forms(), form], years),
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def sharing(request, pk):
    saved = _saved(request, pk)
    _check_perm(request, "payments.share_cost_check", saved)
    problems = []
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "share":
                services.share_check(actor=request.user, check=saved)
                messages.success(request, _("Your check is shared anonymously with commissioners."))
            elif action == "withdraw":
                services.withdraw_sharing(actor=request.user, check=saved)
                messages.success(request, _("Your check is no longer shared."))
            else:
                raise ValidationError(_("Choose whether to share this check"))
        except ValidationError as exc:
            problems = [str(m) for m in exc.messages]
        else:
            return redirect("payments:cost-check-detail", pk=saved.pk)
    return render(
        request,
        "payments/costs/sharing.html",
        {"check": saved, "problems": problems, "minimum": services.MINIMUM_ORGANISATIONS},
    )


# The commissioners' aggregate --------------------------------------------------------------------------------------


@require_GET
@signed_in
def shared(request):
    _check_perm(request, "payments.view_shared_costs")
    call_off = None
    lots = []
    form = AggregateForm(request.GET if {"category", "region"} & set(request.GET) else None)
    aggregate = None
    reference = request.GET.get("call_off")
    if reference:
        call_off = (
            CallOff.objects.select_related("region").prefetch_related("categories").filter(reference=reference).first()
        )
        # A draft's lots are for its own commissioners; a published call-off's are public.
        visible = call_off is not None and (
            request.user.has_perm("calloffs.view_opportunity", call_off)
            or request.user.has_perm("calloffs.view_call_off", call_off)
        )
        if not visible:
            raise Http404("No such call-off")
        lots = [
            {"lot": lot, "aggregate": services.shared_aggregate(lot=lot)}
            for lot in call_off.lots.select_related("region").order_by("position")
        ]
        if form.is_bound is False:
            category = call_off.categories.order_by("number").first()
            if category is not None:
                form = AggregateForm({"category": category.slug, "region": call_off.region.code})
    if form.is_bound and form.is_valid():
        aggregate = services.shared_aggregate(
            category=form.cleaned_data["category"], region=form.cleaned_data["region"]
        )
    return render(
        request,
        "payments/costs/shared.html",
        {
            "form": form,
            "aggregate": aggregate,
            "call_off": call_off,
            "lots": lots,
            "minimum": services.MINIMUM_ORGANISATIONS,
        },
    )


urlpatterns = [
    path("cost-check/", check, name="cost-check"),
    path("cost-checks/", saved_list, name="cost-checks"),
    path("cost-checks/<int:pk>/", detail, name="cost-check-detail"),
    path("cost-checks/<int:pk>/edit/", edit, name="cost-check-edit"),
    path("cost-checks/<int:pk>/sharing/", sharing, name="cost-check-sharing"),
    path("shared-cost-checks/", shared, name="shared-costs"),
]
