"""Variation pages: the history of a contract's variations, recording one, and the contract as it stood on a day.

- /contracts/<reference>/variations/                 the history (public): each variation's number, kind, the date
                                                      it took effect and what changed, in plain words. The reason,
                                                      who recorded it and when are for the contract's parties
                                                      (contracts.view_contract_details). See ADR 0013.
- /contracts/<reference>/variations/<number>/        one variation (public, with the same rule); after recording it,
                                                      the confirmation
- /contracts/<reference>/variations/new/             commissioners of the contract (contracts.vary_contract): what is
                                                      changing (radios)
- /contracts/<reference>/variations/new/<kind>/      the form for that kind of variation, then a check page showing
                                                      what will change before it is recorded
- /contracts/<reference>/as-at/?date=YYYY-MM-DD      the contract as it stood on a day (public), with a date form

Signed out on a commissioners' page: sign in; anyone else: 403; an unknown reference or number: 404. Every write goes
through variations.py. `contract_page_context()` gives the contract page's partial (contracts/_variations.html) the
latest variations and, for those allowed, the link to record one.
"""

import functools
from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import variations
from ..forms_variations import FORMS, KIND_HINTS, KIND_TITLES, SERVICES, AsAtForm, ChooseKindForm, add_service_errors
from ..models import Contract, Variation

PAGE_SIZE = 20
LATEST = 3
_RECORDED = "contracts_variation_recorded"


def _load(reference: str) -> Contract:
    contract = (
        Contract.objects.select_related("region", "lead_provider", "pcc_area", "commissioner")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No such contract")
    return contract


def contract_url(contract) -> str:
    """The contract's page (the register's), or its variation history until that page exists."""
    try:
        return reverse("contracts:contract", kwargs={"reference": contract.reference})
    except NoReverseMatch:
        return reverse("contracts:variations", kwargs={"reference": contract.reference})


def varies_contract(view):
    """Sign in, then the contract by reference (404), then contracts.vary_contract (403)."""

    @functools.wraps(view)
    def wrapped(request, reference, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        contract = _load(reference)
        if not request.user.has_perm("contracts.vary_contract", contract):
            raise PermissionDenied
        return view(request, contract, *args, **kwargs)

    return wrapped


def history_rows(variation_list, *, show_private: bool) -> list[dict]:
    names = variations.names_for(variation_list)
    return [
        {
            "variation": v,
            "kind": str(variations.KIND_WORDS.get(v.kind, v.kind)),
            "changes": variations.describe_changes(v, names),
            "reason": v.reason if show_private else None,
            "recorded_by": (v.recorded_by.full_name or v.recorded_by.email) if show_private else None,
            "recorded_at": v.recorded_at if show_private else None,
        }
        for v in variation_list
    ]


def _base_context(request, contract) -> dict:
    return {
        "contract": contract,
        "contract_url": contract_url(contract),
        "history_url": reverse("contracts:variations", kwargs={"reference": contract.reference}),
        "as_at_url": reverse("contracts:as-at", kwargs={"reference": contract.reference}),
        "can_vary": request.user.has_perm("contracts.vary_contract", contract),
        "show_private": request.user.has_perm("contracts.view_contract_details", contract),
    }


def contract_page_context(*, request, contract) -> dict:
    """For contracts/_variations.html on the contract page: the latest variations (a fixed number of queries)."""
    latest = list(contract.variations.select_related("recorded_by").order_by("-number")[:LATEST])
    context = _base_context(request, contract)
    return {
        "variations_latest": history_rows(latest, show_private=context["show_private"]),
        "variations_count": contract.variations.count() if len(latest) == LATEST else len(latest),
        "variations_history_url": context["history_url"],
        "variations_as_at_url": context["as_at_url"],
        "variations_new_url": reverse("contracts:variation-new", kwargs={"reference": contract.reference})
        if context["can_vary"]
        else None,
    }


# The history and one variation --------------------------------------------------------------------------------


@require_GET
def history(request, reference):
    contract = _load(reference)
    context = _base_context(request, contract)
    queryset = contract.variations.select_related("recorded_by").order_by("-number")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    from dynamic_framework.core.pagination import page_links

    context.update(
        {
            "rows": history_rows(list(page), show_private=context["show_private"]),
            "page": page,
            "pagination": page_links(request, page, label=_("Pages of variations")),
            "new_url": reverse("contracts:variation-new", kwargs={"reference": contract.reference})
            if context["can_vary"]
            else None,
        }
    )
    return render(request, "contracts/variations/history.html", context)


@require_GET
def variation_detail(request, reference, number):
    contract = _load(reference)
    variation = contract.variations.select_related("recorded_by").filter(number=number).first()
    if variation is None:
        raise Http404("No such variation")
    context = _base_context(request, contract)
    recorded = request.session.pop(_RECORDED, None) == [contract.pk, variation.number]
    context.update(
        {
            "row": history_rows([variation], show_private=context["show_private"])[0],
            "variation": variation,
            "just_recorded": recorded,
        }
    )
    return render(request, "contracts/variations/variation.html", context)


# Recording one ----------------------------------------------------------------------------------------------------


def _kind_items(form) -> list[dict]:
    chosen = form["kind"].value()
    return [
        {
            "value": kind.value,
            "text": str(KIND_TITLES[kind]),
            "hint": {"text": str(KIND_HINTS[kind])},
            "checked": chosen == kind.value,
        }
        for kind in Variation.Kind
    ]


@require_http_methods(["GET", "POST"])
@varies_contract
def choose_kind(request, contract):
    form = ChooseKindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("contracts:variation-new-kind", reference=contract.reference, kind=form.cleaned_data["kind"])
    context = _base_context(request, contract)
    context.update({"form": form, "kind_items": _kind_items(form)})
    return render(request, "contracts/variations/choose.html", context)


class _DryRun(Exception):
    """Rolls back a variation made only to show what it would change."""


def _preview(kind, *, actor, contract, kwargs) -> dict:
    """What recording the variation would change, by making it in a transaction that is rolled back (nothing is
    saved, and no one is told). Raises the service's ValidationError."""
    preview = {}
    try:
        with transaction.atomic():
            variation = SERVICES[kind](actor=actor, contract=contract, **kwargs)
            preview = {"changes": variations.describe_changes(variation), "effective_on": variation.effective_on}
            raise _DryRun
    except _DryRun:
        pass
    return preview


CHECKED = "confirm"  # the check page's button: record it
CHANGE = "change"  # the check page's other button: back to the form with the answers


@require_http_methods(["GET", "POST"])
@varies_contract
def new_variation(request, contract, kind):
    """The kind's form; a valid form shows the check page (what will change, from a rolled-back trial of the
    service), whose button records the variation and goes to its confirmation."""
    if kind not in Variation.Kind.values:
        raise Http404("No such kind of variation")
    kind = Variation.Kind(kind)
    form_class = FORMS[kind]
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, contract=contract)
    context = _base_context(request, contract)
    context.update({"form": form, "kind": kind, "title": KIND_TITLES[kind], "hint": KIND_HINTS[kind]})
    if posted and CHANGE not in request.POST and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            if CHECKED in request.POST:
                variation = SERVICES[kind](actor=request.user, contract=contract, **kwargs)
                request.session[_RECORDED] = [contract.pk, variation.number]
                return redirect("contracts:variation", reference=contract.reference, number=variation.number)
            preview = _preview(kind, actor=request.user, contract=contract, kwargs=kwargs)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            answers = [
                (key, value)
                for key in request.POST
                if key not in ("csrfmiddlewaretoken", CHECKED, CHANGE)
                for value in request.POST.getlist(key)
            ]
            context.update({"preview": preview, "answers": answers, "reason": form.cleaned_data["reason"]})
            return render(request, "contracts/variations/check.html", context)
    context.update(
        {
            "date_fields": form.DATE_FIELDS,
            "other_fields": [name for name in form.fields if name not in form.DATE_FIELDS and name != "reason"],
            "no_options": kind == Variation.Kind.EXTEND and not form.fields["option"].choices,
        }
    )
    return render(request, "contracts/variations/form.html", context)


# As at a date -------------------------------------------------------------------------------------------------------


def _bound(day: date | None) -> AsAtForm:
    parts = (str(day.day), str(day.month), str(day.year)) if day else ("", "", "")
    form = AsAtForm(data=dict(zip(("date_day", "date_month", "date_year"), parts, strict=True)))
    form.is_valid()
    return form


def _day_from(request) -> tuple[AsAtForm, date | None]:
    """The day asked for: ?date=YYYY-MM-DD or the date boxes (?date_day=...); today when neither is given. A date
    that is not real, or outside 2000 to 2100, gives the form with its error and no day."""
    text = request.GET.get("date", "").strip()
    if any(key in request.GET for key in ("date_day", "date_month", "date_year")):
        form = AsAtForm(data=request.GET)
        day = form.cleaned_data["date"] if form.is_valid() else None
        if form.is_valid() and day is None:
            form.add_error("date", _("Enter the date"))
    elif text:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            form = _bound(None)
            form.errors["date"] = form.error_class([_("Enter a real date, like 2023-07-01")])
            return form, None
        form = _bound(day)
    else:
        day = timezone.localdate()
        form = _bound(day)
    if day is not None and not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        form.add_error("date", _("Enter a date from 2000 to 2100"))
        return form, None
    return form, day


@require_GET
def as_at(request, reference):
    contract = _load(reference)
    form, day = _day_from(request)
    context = _base_context(request, contract)
    snapshot = None
    if day is not None:
        snapshot = variations.as_at(contract, day)
    context.update(
        {
            "form": form,
            "day": day,
            "snapshot": snapshot,
            "rows": history_rows(snapshot.variations[::-1], show_private=context["show_private"]) if snapshot else [],
            "later_count": len(snapshot.later_variations) if snapshot else 0,
        }
    )
    return render(request, "contracts/variations/as_at.html", context)


urlpatterns = [
    path("contracts/<str:reference>/variations/", history, name="variations"),
    path("contracts/<str:reference>/variations/new/", choose_kind, name="variation-new"),
    path("contracts/<str:reference>/variations/new/<str:kind>/", new_variation, name="variation-new-kind"),
    path("contracts/<str:reference>/variations/<int:number>/", variation_detail, name="variation"),
    path("contracts/<str:reference>/as-at/", as_at, name="as-at"),
]
