"""Supply chain pages: a contract's supply chain with terms and history, proposing and deciding changes, payments to
subcontractors with days to pay and late flags, the subcontractor's own view and the commissioner's summary.

- /contracts/<reference>/supply-chain/                        the contract's parties (contracts.view_contract_details):
                                                              commissioners and the lead provider see every member's
                                                              terms and every change; a subcontractor its own terms
                                                              and the changes that concern it
- /contracts/<reference>/supply-chain/changes/new/            the lead provider chooses what to change, then
- /contracts/<reference>/supply-chain/changes/new/<kind>/     proposes it (contracts.propose_supply_chain_change)
- /supply-chain-changes/<pk>/                                 one change: the commissioner decides one that waits, the
                                                              lead provider may withdraw it (.../decide/, .../withdraw/)
- /contracts/<reference>/supply-chain/<member>/payments/      a subcontract's payments (contracts.view_member_terms);
                                                              the lead provider records them and marks them paid
- /your-subcontracts/                                         the subcontractor's own view (contracts.view_subcontracts)
- /supply-chain-payments/                                     commissioners: per lead provider, in one of their regions

Signed out: sign in. Not allowed: 403. Unknown reference or object: 404. Every write goes through
contracts/supply_chain.py.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch, Q
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dynamic_framework.accounts.rules import commissioner_region_ids, member_organisation_ids
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.permissions import signed_in
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.models import Organisation

from .. import supply_chain as services
from ..forms_supply_chain import (
    KIND_HINTS,
    PAYMENT_TERM_HINTS,
    ChangeForm,
    ChooseKindForm,
    DecideForm,
    MarkPaidForm,
    PaymentForm,
)
from ..models import Contract, SubcontractorPayment, SupplyChainChange, SupplyChainMember

PAGE_SIZE = 20
Kind = SupplyChainChange.Kind


# Loading and permissions -----------------------------------------------------------------------------------------


def _contract(reference: str) -> Contract:
    contract = (
        Contract.objects.select_related("lead_provider", "region", "pcc_area", "award")
        .prefetch_related("years")
        .filter(reference=reference)
        .first()
    )
    if contract is None:
        raise Http404("No such contract")
    return contract


def _check(request, perm, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _member(contract, pk) -> SupplyChainMember:
    member = SupplyChainMember.objects.select_related("organisation").filter(contract=contract, pk=pk).first()
    if member is None:
        raise Http404("No such member")
    member.contract = contract
    return member


def _change(pk) -> SupplyChainChange:
    change = (
        SupplyChainChange.objects.select_related(
            "contract__lead_provider",
            "contract__region",
            "member__organisation",
            "organisation",
            "proposed_by",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if change is None:
        raise Http404("No such change")
    return change


def _sees_everything(user, contract) -> bool:
    """Commissioners of the contract and its lead provider's people see every member's terms and every change."""
    return contract.region_id in commissioner_region_ids(user) or contract.lead_provider_id in member_organisation_ids(
        user
    )


def _may_see_change(user, change) -> bool:
    if _sees_everything(user, change.contract):
        return True
    orgs = member_organisation_ids(user)
    return bool(orgs) and bool(services._concerned_organisations(change) & orgs)


def _change_row(change) -> dict:
    status = services.change_status(change)
    return {
        "change": change,
        "title": services.change_title(change),
        "status": status,
        "status_label": str(services.CHANGE_STATUS_LABELS[status]),
        "status_tag": services.CHANGE_STATUS_TAGS[status],
        "takes_effect_on": services.takes_effect_on(change),
        "terms": services.describe_terms({k: v for k, v in change.terms.items() if k != "previous"}),
        "previous_terms": services.describe_terms(change.terms.get("previous") or {}),
    }


def _notices_url() -> str | None:
    try:
        return reverse("contracts:your-notices")
    except NoReverseMatch:
        return None


# The supply chain of a contract -------------------------------------------------------------------------------------


def _changes_queryset():
    return SupplyChainChange.objects.select_related(
        "member__organisation", "organisation", "proposed_by", "decided_by"
    ).order_by("-proposed_at", "-pk")


@require_GET
@signed_in
def supply_chain(request, reference):
    contract = _contract(reference)
    _check(request, "contracts.view_contract_details", contract)
    day = services.today()
    everything = _sees_everything(request.user, contract)
    orgs = member_organisation_ids(request.user)
    members = list(contract.supply_chain.select_related("organisation").order_by("organisation__name", "joined_on"))
    visible = [m for m in members if everything or m.organisation_id in orgs]
    figures = services.member_timeliness(visible)
    changes = contract.supply_chain_changes.all()
    if not everything:
        changes = changes.filter(Q(member__organisation_id__in=orgs) | Q(organisation_id__in=orgs))
    rows = [
        {
            "member": m,
            "current": services.is_current(m, day),
            "terms_visible": m in visible,
            "share": services.share_text(m.share_type, m.share_value),
            "figures": figures.get(m.pk),
        }
        for m in members
    ]
    return render(
        request,
        "contracts/supply_chain/index.html",
        {
            "contract": contract,
            "current": [r for r in rows if r["current"]],
            "past": [r for r in rows if not r["current"]],
            "changes": [
                _change_row(c)
                for c in changes.select_related(
                    "member__organisation", "organisation", "proposed_by", "decided_by"
                ).order_by("-proposed_at", "-pk")
            ],
            "everything": everything,
            "can_propose": request.user.has_perm("contracts.propose_supply_chain_change", contract),
            "total_value": services.contract_total_value(contract),
        },
    )


# Proposing a change ---------------------------------------------------------------------------------------------------


@signed_in
def change_new(request, reference):
    contract = _contract(reference)
    _check(request, "contracts.propose_supply_chain_change", contract)
    form = ChooseKindForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        url = reverse(
            "contracts:supply-chain-change-kind", kwargs={"reference": reference, "kind": form.cleaned_data["kind"]}
        )
        member = request.POST.get("member", "")
        return redirect(url + (f"?member={member}" if member.isdigit() else ""))
    return render(
        request,
        "contracts/supply_chain/choose_kind.html",
        {"contract": contract, "form": form, "kind_hints": {str(k): str(v) for k, v in KIND_HINTS.items()}},
    )


def _found(name: str) -> list[Organisation]:
    """Provider organisations whose name (or another name) is like `name`: up to 10."""
    name = (name or "").strip()
    if len(name) < 2:
        return []
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
        .filter(Q(name__icontains=name) | Q(aliases__name__icontains=name))
        .distinct()
        .order_by("name")[:10]
    )


def _exact(name: str) -> Organisation | None:
    from dynamic_framework.organisations.matching import normalise_name
    from dynamic_framework.organisations.models import OrganisationAlias

    name = normalise_name(name or "")
    if not name:
        return None
    found = Organisation.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    alias = OrganisationAlias.objects.select_related("organisation").filter(name__iexact=name).first()
    return alias.organisation if alias is not None else None


@signed_in
def change_new_kind(request, reference, kind):
    contract = _contract(reference)
    _check(request, "contracts.propose_supply_chain_change", contract)
    if kind not in Kind.values:
        raise Http404("No such kind of change")
    day = services.today()
    members = [
        m
        for m in services.current_members(contract, day).select_related("organisation").order_by("organisation__name")
        if m.left_on is None
    ]
    chosen = request.GET.get("member") or request.POST.get("member")
    initial_member = next((m for m in members if str(m.pk) == str(chosen)), None)
    typed = request.POST.get("organisation_name", "") if request.method == "POST" else ""
    found = _found(typed) if kind in (Kind.ADD, Kind.REPLACE) else []
    form_kwargs = {"kind": kind, "members": members, "found": found, "initial_member": chosen}
    searching = request.method == "POST" and "find" in request.POST
    if request.method == "POST" and not searching:
        form = ChangeForm(request.POST, **form_kwargs)
        if form.is_valid():
            change = _propose(request, contract, kind, form, members, found)
            if change is not None:
                if change.needs_approval:
                    messages.success(
                        request,
                        _("Change proposed. It waits for the commissioner's approval; %(org)s has been told.")
                        % {"org": change.member.organisation.name},
                    )
                else:
                    messages.success(request, _("Change made. The organisations concerned have been told."))
                return redirect("contracts:supply-chain-change", pk=change.pk)
    elif searching:
        # Finding an organisation: keep what was typed, without complaining about what is not filled in yet.
        form = ChangeForm(request.POST, **form_kwargs)
        form.full_clean()
        form._errors = ErrorDict()
    else:
        initial = ChangeForm.initial_terms(initial_member) if kind == Kind.CHANGE_TERMS else {}
        form = ChangeForm(initial=initial, **form_kwargs)
    return render(
        request,
        "contracts/supply_chain/change_form.html",
        {
            "contract": contract,
            "kind": kind,
            "kind_label": str(Kind(kind).label),
            "form": form,
            "found": found,
            "searched": request.method == "POST" and bool(typed.strip()) and kind in (Kind.ADD, Kind.REPLACE),
            "payment_term_hints": {str(k): str(v) for k, v in PAYMENT_TERM_HINTS.items()},
            "members": members,
        },
    )


def _propose(request, contract, kind, form, members, found):
    data = form.cleaned_data
    member = next((m for m in members if str(m.pk) == data.get("member")), None) if "member" in form.fields else None
    try:
        with transaction.atomic():
            organisation = None
            if kind in (Kind.ADD, Kind.REPLACE):
                organisation = _choose_organisation(request, form, found)
                if organisation is None:
                    return None
            return services.propose_change(
                actor=request.user,
                contract=contract,
                kind=kind,
                member=member,
                organisation=organisation,
                terms=form.terms(),
                effective_on=data.get("effective_on"),
                reason=data.get("reason", ""),
            )
    except ValidationError as exc:
        add_service_errors(form, exc, {"share_value": "share_value", "organisation": "organisation_name"})
        return None


def _choose_organisation(request, form, found):
    from dynamic_framework.organisations import services as organisation_services

    data = form.cleaned_data
    picked = data.get("organisation")
    if picked:
        return next((o for o in found if str(o.pk) == picked), None)
    name = data.get("organisation_name", "")
    exact = _exact(name)
    if exact is not None:
        return exact
    if found and not data.get("not_listed"):
        form.add_error(
            "organisation",
            _("Choose one of the organisations found, or say it is not in the list to add it by the name you typed"),
        )
        return None
    return organisation_services.create_organisation(
        actor=request.user,
        name=name.strip(),
        classification_source=_(
            "Named as a member of a contract's supply chain by its lead provider; not checked yet."
        ),
    )


# One change -----------------------------------------------------------------------------------------------------------


def _change_context(request, change, *, decide_form=None) -> dict:
    contract = change.contract
    waiting = services.change_status(change) == "waiting"
    can_decide = waiting and request.user.has_perm("contracts.decide_supply_chain_change", contract)
    return {
        "contract": contract,
        "row": _change_row(change),
        "change": change,
        "can_decide": can_decide,
        "can_withdraw": waiting and request.user.has_perm("contracts.propose_supply_chain_change", contract),
        "decide_form": decide_form or (DecideForm() if can_decide else None),
        "sees_chain": request.user.has_perm("contracts.view_contract_details", contract),
    }


@require_GET
@signed_in
def change_detail(request, pk):
    change = _change(pk)
    if not _may_see_change(request.user, change):
        raise PermissionDenied
    return render(request, "contracts/supply_chain/change.html", _change_context(request, change))


@require_POST
@signed_in
def change_decide(request, pk):
    change = _change(pk)
    _check(request, "contracts.decide_supply_chain_change", change.contract)
    form = DecideForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.decide_change(
                actor=request.user, change=change, approve=approve, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Change approved. The lead provider and the organisations concerned have been told.")
                if approve
                else _("Change refused. The lead provider and the organisations concerned have been told."),
            )
            return redirect("contracts:supply-chain-change", pk=change.pk)
    change = _change(pk)
    return render(request, "contracts/supply_chain/change.html", _change_context(request, change, decide_form=form))


@require_POST
@signed_in
def change_withdraw(request, pk):
    change = _change(pk)
    _check(request, "contracts.propose_supply_chain_change", change.contract)
    try:
        services.withdraw_change(actor=request.user, change=change)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Change withdrawn. The organisations concerned and the commissioners have been told.")
        )
    return redirect("contracts:supply-chain-change", pk=change.pk)


# Payments -------------------------------------------------------------------------------------------------------------


def _payment_rows(payments) -> list[dict]:
    return [
        {"payment": p, "days": services.payment_days(p), "late": p.late, "paid": p.paid_on is not None}
        for p in payments
    ]


def _payments_context(request, contract, member, *, form=None, paid_forms=None) -> dict:
    payments = list(services.with_days(member.payments.all()).order_by("-invoiced_on", "-pk"))
    can_record = request.user.has_perm("contracts.record_subcontractor_payment", contract)
    paid_forms = paid_forms or {}
    rows = _payment_rows(payments)
    for row in rows:
        if can_record and not row["paid"]:
            row["form"] = paid_forms.get(row["payment"].pk) or MarkPaidForm(prefix=f"p{row['payment'].pk}")
    return {
        "contract": contract,
        "member": member,
        "rows": rows,
        "figures": services.member_timeliness([member])[member.pk],
        "can_record": can_record,
        "form": form or (PaymentForm() if can_record else None),
        "paid_forms": list(paid_forms.values()),
        "payment_days": services.PAYMENT_DAYS,
    }


@signed_in
def payments(request, reference, member_pk):
    contract = _contract(reference)
    member = _member(contract, member_pk)
    _check(request, "contracts.view_member_terms", member)
    form = None
    if request.method == "POST":
        _check(request, "contracts.record_subcontractor_payment", contract)
        form = PaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_payment(
                    actor=request.user,
                    member=member,
                    invoiced_on=data["invoiced_on"],
                    amount_pence=data["amount"],
                    paid_on=data.get("paid_on"),
                    invoice_reference=data.get("invoice_reference", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc, {"amount_pence": "amount"})
            else:
                messages.success(request, _("Payment recorded"))
                return redirect("contracts:supply-chain-payments", reference=reference, member_pk=member.pk)
    elif request.method not in ("GET", "HEAD"):
        from django.http import HttpResponseNotAllowed

        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request, "contracts/supply_chain/payments.html", _payments_context(request, contract, member, form=form)
    )


@require_POST
@signed_in
def mark_paid(request, reference, member_pk, payment_pk):
    contract = _contract(reference)
    member = _member(contract, member_pk)
    _check(request, "contracts.record_subcontractor_payment", contract)
    payment = SubcontractorPayment.objects.filter(member=member, pk=payment_pk).first()
    if payment is None:
        raise Http404("No such payment")
    form = MarkPaidForm(request.POST, prefix=f"p{payment.pk}")
    if form.is_valid():
        try:
            services.mark_paid(actor=request.user, payment=payment, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Payment marked as paid"))
            return redirect("contracts:supply-chain-payments", reference=reference, member_pk=member.pk)
    context = _payments_context(request, contract, member, paid_forms={payment.pk: form})
    return render(request, "contracts/supply_chain/payments.html", context)


# The subcontractor's own view -----------------------------------------------------------------------------------------


@require_GET
@signed_in
def your_subcontracts(request):
    _check(request, "contracts.view_subcontracts", None)
    orgs = member_organisation_ids(request.user)
    day = services.today()
    places = (
        SupplyChainMember.objects.filter(organisation_id__in=orgs)
        .exclude(organisation_id=F("contract__lead_provider_id"))
        .select_related("organisation", "contract__lead_provider", "contract__region", "contract__pcc_area")
        .prefetch_related(
            Prefetch(
                "payments", queryset=services.with_days(SubcontractorPayment.objects.order_by("-invoiced_on", "-pk"))
            ),
            Prefetch("changes", queryset=_changes_queryset()),
        )
        .order_by("-joined_on", "contract__reference", "pk")
    )
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    members = list(page)
    figures = services.member_timeliness(members)
    # Changes that add one of the user's organisations, or replace a member by it (the member is someone else).
    joining = {}
    for change in _changes_queryset().filter(
        organisation_id__in=orgs, contract_id__in={m.contract_id for m in members}
    ):
        joining.setdefault((change.contract_id, change.organisation_id), []).append(change)
    rows = []
    for m in members:
        changes = list(m.changes.all()) + joining.get((m.contract_id, m.organisation_id), [])
        changes.sort(key=lambda c: (c.proposed_at, c.pk), reverse=True)
        rows.append(
            {
                "member": m,
                "contract": m.contract,
                "current": services.is_current(m, day),
                "share": services.share_text(m.share_type, m.share_value),
                "payments": _payment_rows(m.payments.all()),
                "figures": figures[m.pk],
                "changes": [_change_row(c) for c in changes],
            }
        )
    waiting = [
        _change_row(c)
        for c in _changes_queryset()
        .select_related("contract")
        .filter(services.waiting_q())
        .filter(organisation_id__in=orgs)
        .exclude(member__organisation_id__in=orgs)
    ]
    return render(
        request,
        "contracts/supply_chain/your_subcontracts.html",
        {
            "page": page,
            "rows": rows,
            "waiting_joins": waiting,
            "notices_url": _notices_url(),
            "pagination": page_links(request, page, label=_("Pages of subcontracts")),
            "payment_days": services.PAYMENT_DAYS,
        },
    )


# The commissioner's summary -----------------------------------------------------------------------------------------


@require_GET
@signed_in
def payment_summary(request):
    _check(request, "contracts.view_payment_summary", None)
    regions = list(Region.objects.filter(pk__in=commissioner_region_ids(request.user)).order_by("name"))
    code = request.GET.get("region", "")
    region = next((r for r in regions if r.code == code), regions[0] if regions else None)
    rows = services.provider_summary(Contract.objects.filter(region=region)) if region else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/supply_chain/payment_summary.html",
        {
            "regions": regions,
            "region": region,
            "page": page,
            "rows": list(page),
            "pagination": page_links(request, page, label=_("Pages of lead providers")),
            "payment_days": services.PAYMENT_DAYS,
        },
    )


# The contract page's partial ------------------------------------------------------------------------------------------


def contract_page_context(*, request, contract) -> dict:
    """For contracts/_supply_chain.html: for the contract's commissioners and lead provider, a summary of the members'
    terms, the changes waiting for a decision and the late payments; for a subcontractor, its own place. Nothing for
    anyone else (the public list of members is the register's). Four queries at most."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.has_perm("contracts.view_contract_details", contract):
        return {"supply_chain_panel": None}
    day = services.today()
    everything = _sees_everything(user, contract)
    orgs = member_organisation_ids(user)
    members = [
        m
        for m in contract.supply_chain.select_related("organisation").order_by("organisation__name")
        if services.is_current(m, day) and (everything or m.organisation_id in orgs)
    ]
    late = (
        services.with_days(SubcontractorPayment.objects.filter(member__contract=contract, member__in=members))
        .filter(late=True)
        .count()
        if members
        else 0
    )
    waiting = contract.supply_chain_changes.filter(services.waiting_q())
    if not everything:
        waiting = waiting.filter(Q(member__organisation_id__in=orgs) | Q(organisation_id__in=orgs))
    return {
        "supply_chain_panel": {
            "members": [{"member": m, "share": services.share_text(m.share_type, m.share_value)} for m in members],
            "waiting": waiting.count(),
            "late": late,
            "everything": everything,
            "url": reverse("contracts:supply-chain", kwargs={"reference": contract.reference}),
            "can_propose": user.has_perm("contracts.propose_supply_chain_change", contract),
        }
    }


urlpatterns = [
    path("contracts/<str:reference>/supply-chain/", supply_chain, name="supply-chain"),
    path("contracts/<str:reference>/supply-chain/changes/new/", change_new, name="supply-chain-change-new"),
    path(
        "contracts/<str:reference>/supply-chain/changes/new/<str:kind>/",
        change_new_kind,
        name="supply-chain-change-kind",
    ),
    path("contracts/<str:reference>/supply-chain/<int:member_pk>/payments/", payments, name="supply-chain-payments"),
    path(
        "contracts/<str:reference>/supply-chain/<int:member_pk>/payments/<int:payment_pk>/paid/",
        mark_paid,
        name="supply-chain-mark-paid",
    ),
    path("supply-chain-changes/<int:pk>/", change_detail, name="supply-chain-change"),
    path("supply-chain-changes/<int:pk>/decide/", change_decide, name="supply-chain-change-decide"),
    path("supply-chain-changes/<int:pk>/withdraw/", change_withdraw, name="supply-chain-change-withdraw"),
    path("your-subcontracts/", your_subcontracts, name="your-subcontracts"),
    path("supply-chain-payments/", payment_summary, name="supply-chain-payment-summary"),
]
