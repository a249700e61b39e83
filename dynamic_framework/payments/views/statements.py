"""Payment terms and statements pages (issue 7, statements part; ADR 0016).

- /contracts/<reference>/payment-terms/                    the contract's terms and its subcontracts' terms, explained
                                                           (payments.view_payment_terms: commissioners, lead provider)
- /contracts/<reference>/payment-terms/contract/           the commissioner sets how the contract pays
- /contracts/<reference>/payment-terms/members/<pk>/       the lead provider sets how it pays a member
- /contracts/<reference>/statements/                       the contract's statements, newest month first (+ .csv)
- /contracts/<reference>/statements/new/                   the lead provider enters a month's figures (a draft)
- /statements/<pk>/                                        one statement: figures, amounts, lines; for a draft the
                                                           lead provider checks its answers and submits it; a
                                                           subcontractor sees only its own line (+ /csv/)
- /statements/<pk>/edit/, submit/, decide/, adjust/        change a draft, send it, approve or send back, correct an
                                                           approved one with an adjustment
- /statements/<pk>/lines/<pk>/payment/                     the lead provider records the payment it made
- /your-payment-statements/                                a supply chain member's own lines, on every contract

Signed out: sign in. Not allowed: 403. Unknown reference or object: 404. Every write goes through
payments/services.py.
"""

import csv
import io
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dynamic_framework.accounts.rules import member_organisation_ids
from dynamic_framework.contracts import supply_chain as supply_chain_services
from dynamic_framework.contracts.models import Contract, SupplyChainMember
from dynamic_framework.core.forms import add_service_errors
from dynamic_framework.core.money import format_pence
from dynamic_framework.core.pagination import page_links
from dynamic_framework.core.permissions import signed_in

from .. import services
from ..forms_statements import (
    MECHANISM_HINTS,
    SUBCONTRACT_HINTS,
    ContractTermsForm,
    DecideForm,
    FiguresForm,
    LinePaymentForm,
    SubcontractTermsForm,
)
from ..models import (
    MEASURE_CHOICES,
    MECHANISM_CHOICES,
    SUBCONTRACT_TERMS_CHOICES,
    ContractOutcomeFee,
    ContractPaymentTerms,
    PaymentStatement,
    StatementLine,
    SubcontractOutcomeFee,
    SubcontractPaymentTerms,
)

PAGE_SIZE = 20
MECHANISMS = dict(MECHANISM_CHOICES)
SUBCONTRACT_TERMS = dict(SUBCONTRACT_TERMS_CHOICES)
MEASURES = dict(MEASURE_CHOICES)


def _check(request, perm, obj) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _contract(reference) -> Contract:
    contract = (
        Contract.objects.select_related("lead_provider", "region", "pcc_area").filter(reference=reference).first()
    )
    if contract is None:
        raise Http404("No such contract")
    return contract


def _statement(pk) -> PaymentStatement:
    statement = services.statement_detail(pk)
    if statement is None:
        raise Http404("No such statement")
    return statement


def _terms(contract) -> ContractPaymentTerms | None:
    return (
        ContractPaymentTerms.objects.filter(contract=contract)
        .select_related("set_by")
        .prefetch_related("outcome_fees__outcome")
        .first()
    )


def _sees_everything(user, contract) -> bool:
    return user.has_perm("payments.view_statements", contract)


# Explanations ---------------------------------------------------------------------------------------------------------


def target_text(measure, count) -> str:
    if not measure:
        return "No target"
    return f"{MEASURES[measure]}: at least {count:,} in a month"


def contract_terms_rows(terms: ContractPaymentTerms) -> list[tuple[str, str]]:
    rows = [
        ("How the contract pays", MECHANISMS[terms.mechanism]),
        ("What that means", MECHANISM_HINTS[terms.mechanism]),
    ]
    if terms.mechanism in ("fixed_fee", "grant", "hybrid"):
        rows.append(("Instalments", "Quarterly" if terms.instalments == "quarterly" else "Monthly"))
    if terms.mechanism == "hybrid":
        rows.append(("Fixed share", f"{services.engine.percent_label(terms.fixed_share_bp)} of the year's value"))
    if terms.per_start_pence:
        rows.append(("Fee per person who starts", format_pence(terms.per_start_pence)))
    if terms.per_completion_pence:
        rows.append(("Fee per person who completes", format_pence(terms.per_completion_pence)))
    for fee in terms.outcome_fees.all():
        rows.append((f"For each outcome: {fee.outcome.description}", format_pence(fee.amount_pence)))
    if terms.mechanism not in ("fixed_fee", "grant"):
        rows.append(("Target", target_text(terms.target_measure, terms.target_count)))
    return rows


def subcontract_terms_text(terms: SubcontractPaymentTerms | None) -> str:
    if terms is None:
        return "Not set yet"
    if terms.terms == "pass_through":
        return f"Pass-through: {services.engine.percent_label(terms.share_bp)} of what the lead provider is paid"
    if terms.terms == "protected_fixed_fee":
        return f"Protected fixed fee: {format_pence(terms.protected_yearly_pence)} a year"
    parts = []
    if terms.per_start_pence:
        parts.append(f"{format_pence(terms.per_start_pence)} per person who starts")
    if terms.per_completion_pence:
        parts.append(f"{format_pence(terms.per_completion_pence)} per person who completes")
    fees = list(terms.outcome_fees.all())
    if fees:
        parts.append(f"fees for {len(fees)} outcome{'s' if len(fees) != 1 else ''}")
    text = "Payment by results: " + ", ".join(parts)
    if terms.target_measure:
        text += f"; target {target_text(terms.target_measure, terms.target_count).lower()}"
    if terms.conditional_on_prime:
        text += "; paid only when the lead provider reaches its target (the Transforming Rehabilitation rule)"
    return text


# Terms pages ----------------------------------------------------------------------------------------------------------


def _members(contract):
    return (
        SupplyChainMember.objects.filter(contract=contract)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=services.today()))
        .exclude(organisation_id=F("contract__lead_provider_id"))
        .select_related("organisation", "subcontract_terms")
        .prefetch_related("subcontract_terms__outcome_fees")
        .order_by("organisation__name", "pk")
    )


@require_GET
@signed_in
def terms_page(request, reference):
    contract = _contract(reference)
    _check(request, "payments.view_payment_terms", contract)
    terms = _terms(contract)
    members = list(_members(contract))
    rows = []
    for member in members:
        sub = getattr(member, "subcontract_terms", None)
        rows.append({"member": member, "text": subcontract_terms_text(sub), "terms": sub})
    return render(
        request,
        "payments/statements/terms.html",
        {
            "contract": contract,
            "terms": terms,
            "terms_rows": contract_terms_rows(terms) if terms else [],
            "members": rows,
            "pass_through_total": services.engine.percent_label(
                services.pass_through_total(contract, on=services.today())
            ),
            "can_set_contract": request.user.has_perm("payments.set_contract_terms", contract),
            "can_set_members": request.user.has_perm("payments.set_subcontract_terms", contract),
            "mechanism_hints": [(MECHANISMS[k], v) for k, v in MECHANISM_HINTS.items()],
            "subcontract_hints": [(SUBCONTRACT_TERMS[k], v) for k, v in SUBCONTRACT_HINTS.items()],
            "rounding_rule": services.ROUNDING_RULE,
        },
    )


def _radio_hints(form, field, hints):
    form.fields[field].hints = hints


@require_http_methods(["GET", "POST"])
@signed_in
def contract_terms_edit(request, reference):
    contract = _contract(reference)
    _check(request, "payments.set_contract_terms", contract)
    terms = _terms(contract)
    kept = {f.outcome_id for f in terms.outcome_fees.all()} if terms else set()
    outcomes = [o for o in services.contract_outcomes(contract) if o.is_current or o.pk in kept]
    if request.method == "POST":
        form = ContractTermsForm(request.POST, outcomes=outcomes)
        if form.is_valid():
            try:
                services.set_contract_terms(actor=request.user, contract=contract, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc, form.renames)
            else:
                messages.success(request, "Payment terms saved")
                return redirect("payments:terms", reference=contract.reference)
    else:
        form = ContractTermsForm(initial=ContractTermsForm.initial_for(terms), outcomes=outcomes)
    return render(
        request,
        "payments/statements/contract_terms_form.html",
        {"contract": contract, "form": form, "hints": MECHANISM_HINTS, "grant": contract.funding_mechanism == "grant"},
    )


@require_http_methods(["GET", "POST"])
@signed_in
def member_terms_edit(request, reference, member_pk):
    contract = _contract(reference)
    _check(request, "payments.set_subcontract_terms", contract)
    member = SupplyChainMember.objects.select_related("organisation").filter(contract=contract, pk=member_pk).first()
    if member is None:
        raise Http404("No such member")
    member.contract = contract
    existing = SubcontractPaymentTerms.objects.filter(member=member).prefetch_related("outcome_fees").first()
    kept = {f.outcome_id for f in existing.outcome_fees.all()} if existing else set()
    outcomes = [o for o in services.contract_outcomes(contract) if o.is_current or o.pk in kept]
    if request.method == "POST":
        form = SubcontractTermsForm(request.POST, outcomes=outcomes)
        if form.is_valid():
            try:
                services.set_subcontract_terms(actor=request.user, member=member, **form.service_kwargs())
            except ValidationError as exc:
                add_service_errors(form, exc, form.renames)
            else:
                messages.success(request, f"Terms for {member.organisation.name} saved")
                return redirect("payments:terms", reference=contract.reference)
    else:
        form = SubcontractTermsForm(initial=SubcontractTermsForm.initial_for(existing), outcomes=outcomes)
    return render(
        request,
        "payments/statements/member_terms_form.html",
        {"contract": contract, "member": member, "form": form, "hints": SUBCONTRACT_HINTS},
    )


# Statements list and CSV ----------------------------------------------------------------------------------------------


def _status(statement) -> dict:
    label, classes = services.STATUS_LABELS[statement.status]
    return {"label": label, "classes": classes}


@require_GET
@signed_in
def statements_list(request, reference):
    contract = _contract(reference)
    _check(request, "payments.view_statements", contract)
    page = Paginator(services.statements_for_contract(contract), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"statement": s, "status": _status(s)} for s in page]
    return render(
        request,
        "payments/statements/list.html",
        {
            "contract": contract,
            "rows": rows,
            "pagination": page_links(request, page, label="Pages of statements"),
            "can_enter": request.user.has_perm("payments.enter_statement", contract),
            "has_terms": ContractPaymentTerms.objects.filter(contract=contract).exists(),
        },
    )


STATEMENT_HEADER = [
    "Contract",
    "Month",
    "Statement",
    "Adjusts statement",
    "Status",
    "Fixed payment (£)",
    "Results fees (£)",
    "Lead provider receives (£)",
    "Supply chain due (£)",
    "Lead provider keeps (£)",
]
LINE_HEADER = [
    "Contract",
    "Month",
    "Statement",
    "Status",
    "Organisation",
    "Terms",
    "Fixed part (£)",
    "Results part (£)",
]
LINE_HEADER += ["Due (£)", "Why", "Paid on"]


def _pounds(pence: int) -> str:
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}"


def _statement_row(s) -> list[str]:
    return [
        s.contract.reference,
        s.period.strftime("%Y-%m"),
        str(s.pk),
        str(s.adjusts_id or ""),
        services.STATUS_LABELS[s.status][0],
        _pounds(s.fixed_pence),
        _pounds(s.results_pence),
        _pounds(s.received_pence),
        _pounds(s.supply_chain_due_pence),
        _pounds(s.prime_keeps_pence),
    ]


def _line_row(s, line) -> list[str]:
    return [
        s.contract.reference,
        s.period.strftime("%Y-%m"),
        str(s.pk),
        services.STATUS_LABELS[s.status][0],
        line.member.organisation.name,
        SUBCONTRACT_TERMS[line.terms],
        _pounds(line.fixed_part_pence),
        _pounds(line.results_part_pence),
        _pounds(line.due_pence),
        line.reason,
        line.payment.paid_on.isoformat() if line.payment_id and line.payment.paid_on else "",
    ]


def _csv_response(rows, filename) -> HttpResponse:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@signed_in
def statements_csv(request, reference):
    contract = _contract(reference)
    _check(request, "payments.view_statements", contract)
    statements = services.statements_for_contract(contract).select_related("contract")
    rows = [STATEMENT_HEADER, *[_statement_row(s) for s in statements]]
    return _csv_response(rows, f"payment-statements-{contract.reference}.csv")


# Entering figures -----------------------------------------------------------------------------------------------------


def _deliverers(contract):
    members = [
        m
        for m in SupplyChainMember.objects.filter(contract=contract, subcontract_terms__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
        if contract.start_date is None or m.left_on is None or m.left_on >= contract.start_date
    ]
    return [(None, f"{contract.lead_provider.name} (the lead provider's own work)")] + [
        (m, m.organisation.name) for m in members
    ]


def _fee_outcomes(contract):
    """The outcomes that pay something: those with a fee in the contract's or a subcontract's terms."""
    from dynamic_framework.categories.models import DesiredOutcome

    return list(
        DesiredOutcome.objects.filter(
            Q(pk__in=ContractOutcomeFee.objects.filter(terms__contract=contract).values("outcome_id"))
            | Q(pk__in=SubcontractOutcomeFee.objects.filter(terms__member__contract=contract).values("outcome_id"))
        ).order_by("description")
    )


def _periods(contract):
    """The months figures can be entered for: from the contract's start to its last day or this month."""
    if contract.start_date is None:
        return []
    ends = services.last_day(contract)
    latest = min(filter(None, [ends, services.today()]))
    months, month = [], services.month_start(latest)
    first = services.month_start(contract.start_date)
    while month >= first and len(months) < 60:
        months.append(month)
        month = services.month_start(month - timedelta(days=1))
    return months


def _figures_form(contract, data=None, *, initial=None, with_period=True):
    return FiguresForm(
        data,
        initial=initial or {},
        deliverers=_deliverers(contract),
        outcomes=_fee_outcomes(contract),
        periods=_periods(contract) if with_period else None,
    )


@require_http_methods(["GET", "POST"])
@signed_in
def statement_new(request, reference):
    contract = _contract(reference)
    _check(request, "payments.enter_statement", contract)
    if request.method == "POST":
        form = _figures_form(contract, request.POST)
        if form.is_valid():
            try:
                statement = services.enter_figures(
                    actor=request.user,
                    contract=contract,
                    period=form.cleaned_data["period"],
                    figures=form.figures(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("payments:statement", pk=statement.pk)
    else:
        form = _figures_form(contract)
    return render(
        request,
        "payments/statements/figures_form.html",
        {"contract": contract, "form": form, "title": "Enter a month's delivery figures", "statement": None},
    )


def _draft_or_403(request, statement):
    _check(request, "payments.enter_statement", statement.contract)
    if statement.submitted_at is not None or statement.approved_at is not None:
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@signed_in
def statement_edit(request, pk):
    statement = _statement(pk)
    contract = statement.contract
    _draft_or_403(request, statement)
    if request.method == "POST":
        form = _figures_form(contract, request.POST, with_period=False)
        if form.is_valid():
            try:
                if statement.adjusts_id:
                    services.create_adjustment(actor=request.user, statement=statement.adjusts, figures=form.figures())
                else:
                    services.enter_figures(
                        actor=request.user, contract=contract, period=statement.period, figures=form.figures()
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("payments:statement", pk=statement.pk)
    else:
        form = _figures_form(contract, initial=FiguresForm.initial_for(statement), with_period=False)
    return render(
        request,
        "payments/statements/figures_form.html",
        {
            "contract": contract,
            "form": form,
            "title": f"Change the figures for {services.month_label(statement.period)}",
            "statement": statement,
        },
    )


@require_http_methods(["GET", "POST"])
@signed_in
def statement_adjust(request, pk):
    statement = _statement(pk)
    contract = statement.contract
    _check(request, "payments.enter_statement", contract)
    if not statement.is_approved or statement.adjusts_id:
        raise PermissionDenied
    if request.method == "POST":
        form = _figures_form(contract, request.POST, with_period=False)
        if form.is_valid():
            try:
                adjustment = services.create_adjustment(actor=request.user, statement=statement, figures=form.figures())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("payments:statement", pk=adjustment.pk)
    else:
        approved = [s for s in [statement, *statement.adjustments.all()] if s.is_approved]
        latest = services.statement_detail(approved[-1].pk)
        form = _figures_form(contract, initial=FiguresForm.initial_for(latest), with_period=False)
    return render(
        request,
        "payments/statements/figures_form.html",
        {
            "contract": contract,
            "form": form,
            "title": f"Correct the statement for {services.month_label(statement.period)}",
            "statement": statement,
            "adjusting": True,
        },
    )


# One statement --------------------------------------------------------------------------------------------------------


def _line_rows(lines) -> list[dict]:
    payments = {line.payment_id for line in lines if line.payment_id}
    timed = {}
    if payments:
        from dynamic_framework.contracts.models import SubcontractorPayment

        timed = {p.pk: p for p in supply_chain_services.with_days(SubcontractorPayment.objects.filter(pk__in=payments))}
    rows = []
    for line in lines:
        payment = timed.get(line.payment_id)
        rows.append(
            {
                "line": line,
                "terms": SUBCONTRACT_TERMS[line.terms],
                "payment": payment,
                "late": bool(payment and payment.late),
                "days": supply_chain_services.payment_days(payment) if payment else None,
            }
        )
    return rows


def statement_context(request, statement) -> dict:
    contract = statement.contract
    user = request.user
    everything = _sees_everything(user, contract)
    orgs = member_organisation_ids(user)
    lines = [line for line in statement.lines.all() if everything or line.member.organisation_id in orgs]
    figures = [f for f in statement.figures.all() if everything or (f.member and f.member.organisation_id in orgs)]
    chain = []
    original = statement.adjusts or statement
    if everything:
        chain = [s for s in [original, *original.adjustments.all()] if s.pk != statement.pk]
    can_enter = user.has_perm("payments.enter_statement", contract)
    return {
        "contract": contract,
        "statement": statement,
        "status": _status(statement),
        "everything": everything,
        "figures": figures,
        "lines": _line_rows(lines),
        "chain": chain,
        "original": original,
        "can_edit": can_enter and statement.submitted_at is None,
        "can_submit": can_enter and statement.submitted_at is None,
        "can_decide": statement.is_submitted and user.has_perm("payments.decide_statement", contract),
        "can_adjust": can_enter and statement.is_approved and statement.adjusts_id is None,
        "can_pay": statement.is_approved and user.has_perm("payments.record_statement_payment", contract),
        "rounding_rule": services.ROUNDING_RULE,
        "month": services.month_label(statement.period),
        "payment_days": supply_chain_services.PAYMENT_DAYS,
    }


@require_GET
@signed_in
def statement_page(request, pk):
    statement = _statement(pk)
    _check(request, "payments.view_statement", statement)
    return render(request, "payments/statements/statement.html", statement_context(request, statement))


@require_GET
@signed_in
def statement_csv(request, pk):
    statement = _statement(pk)
    _check(request, "payments.view_statement", statement)
    context = statement_context(request, statement)
    rows = []
    if context["everything"]:
        rows += [STATEMENT_HEADER, _statement_row(statement), []]
    rows += [LINE_HEADER, *[_line_row(statement, row["line"]) for row in context["lines"]]]
    return _csv_response(rows, f"payment-statement-{statement.contract.reference}-{statement.period:%Y-%m}.csv")


@require_POST
@signed_in
def statement_submit(request, pk):
    statement = _statement(pk)
    _check(request, "payments.enter_statement", statement.contract)
    try:
        services.submit_statement(actor=request.user, statement=statement)
    except ValidationError as exc:
        context = statement_context(request, statement)
        context["errors"] = [{"text": m, "href": "#submit"} for m in exc.messages]
        return render(request, "payments/statements/statement.html", context, status=400)
    messages.success(request, "Statement sent to the commissioner for approval")
    return redirect("payments:statement", pk=statement.pk)


@require_http_methods(["GET", "POST"])
@signed_in
def statement_decide(request, pk):
    statement = _statement(pk)
    _check(request, "payments.decide_statement", statement.contract)
    if not statement.is_submitted:
        raise PermissionDenied
    if request.method == "POST":
        form = DecideForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    services.approve_statement(actor=request.user, statement=statement)
                    note = "Statement approved"
                else:
                    services.return_statement(
                        actor=request.user, statement=statement, reason=form.cleaned_data["reason"]
                    )
                    note = "Statement sent back to the lead provider"
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, note)
                return redirect("payments:statement", pk=statement.pk)
    else:
        form = DecideForm()
    context = statement_context(request, statement)
    context["form"] = form
    return render(request, "payments/statements/decide.html", context)


@require_http_methods(["GET", "POST"])
@signed_in
def line_payment(request, pk, line_pk):
    statement = _statement(pk)
    _check(request, "payments.record_statement_payment", statement.contract)
    line = next((line for line in statement.lines.all() if line.pk == int(line_pk)), None)
    if line is None:
        raise Http404("No such line")
    if not statement.is_approved or line.payment_id or line.due_pence <= 0:
        raise PermissionDenied
    if request.method == "POST":
        form = LinePaymentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_line_payment(
                    actor=request.user,
                    line=line,
                    invoiced_on=data.get("invoiced_on"),
                    paid_on=data.get("paid_on"),
                    invoice_reference=data.get("invoice_reference", ""),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Payment to {line.member.organisation.name} recorded")
                return redirect("payments:statement", pk=statement.pk)
    else:
        form = LinePaymentForm()
    return render(
        request,
        "payments/statements/line_payment.html",
        {
            "contract": statement.contract,
            "statement": statement,
            "line": line,
            "form": form,
            "month": services.month_label(statement.period),
            "payment_days": supply_chain_services.PAYMENT_DAYS,
        },
    )


# A supply chain member's own lines ------------------------------------------------------------------------------------


@require_GET
@signed_in
def your_statements(request):
    _check(request, "payments.view_own_statement_lines", None)
    orgs = member_organisation_ids(request.user)
    lines = (
        StatementLine.objects.filter(member__organisation_id__in=orgs)
        .exclude(member__organisation_id=F("statement__contract__lead_provider_id"))
        .select_related("statement__contract__lead_provider", "member__organisation", "payment")
        .order_by("-statement__period", "-statement_id", "pk")
    )
    page = Paginator(lines, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _line_rows(list(page))
    for row in rows:
        row["status"] = _status(row["line"].statement)
    own_terms = (
        SubcontractPaymentTerms.objects.filter(member__organisation_id__in=orgs)
        .filter(Q(member__left_on__isnull=True) | Q(member__left_on__gte=services.today()))
        .exclude(member__organisation_id=F("member__contract__lead_provider_id"))
        .select_related("member__contract__lead_provider", "member__organisation")
        .prefetch_related("outcome_fees")
        .order_by("member__contract__reference", "pk")
    )
    return render(
        request,
        "payments/statements/your_statements.html",
        {
            "terms": [{"terms": t, "text": subcontract_terms_text(t)} for t in own_terms],
            "rows": rows,
            "pagination": page_links(request, page, label="Pages of statement lines"),
            "payment_days": supply_chain_services.PAYMENT_DAYS,
        },
    )


# The contract page's section ------------------------------------------------------------------------------------------


def contract_page_context(*, request, contract) -> dict:
    """For payments/statements/_contract_section.html on the contract page: links to the terms and statements, the
    latest statements, for the contract's commissioners and lead provider; a subcontractor gets a link to its own
    lines. Nothing for anyone else. Three queries at most."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"payments_panel": None}
    if user.has_perm("payments.view_statements", contract):
        terms = ContractPaymentTerms.objects.filter(contract=contract).first()
        latest = list(services.statements_for_contract(contract)[:3])
        return {
            "payments_panel": {
                "everything": True,
                "terms": MECHANISMS[terms.mechanism] if terms else None,
                "latest": [{"statement": s, "status": _status(s)} for s in latest],
                "terms_url": reverse("payments:terms", kwargs={"reference": contract.reference}),
                "statements_url": reverse("payments:statements", kwargs={"reference": contract.reference}),
            }
        }
    if user.has_perm("contracts.view_contract_details", contract) and user.has_perm(
        "payments.view_own_statement_lines", None
    ):
        return {"payments_panel": {"everything": False, "own_url": reverse("payments:your-statements")}}
    return {"payments_panel": None}


urlpatterns = [
    path("contracts/<str:reference>/payment-terms/", terms_page, name="terms"),
    path("contracts/<str:reference>/payment-terms/contract/", contract_terms_edit, name="contract-terms"),
    path("contracts/<str:reference>/payment-terms/members/<int:member_pk>/", member_terms_edit, name="member-terms"),
    path("contracts/<str:reference>/statements/", statements_list, name="statements"),
    path("contracts/<str:reference>/statements.csv", statements_csv, name="statements-csv"),
    path("contracts/<str:reference>/statements/new/", statement_new, name="statement-new"),
    path("statements/<int:pk>/", statement_page, name="statement"),
    path("statements/<int:pk>/statement.csv", statement_csv, name="statement-csv"),
    path("statements/<int:pk>/edit/", statement_edit, name="statement-edit"),
    path("statements/<int:pk>/submit/", statement_submit, name="statement-submit"),
    path("statements/<int:pk>/decide/", statement_decide, name="statement-decide"),
    path("statements/<int:pk>/adjust/", statement_adjust, name="statement-adjust"),
    path("statements/<int:pk>/lines/<int:line_pk>/payment/", line_payment, name="line-payment"),
    path("your-payment-statements/", your_statements, name="your-statements"),
]
