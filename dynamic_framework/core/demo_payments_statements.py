"""The payment statements part of the demo (issue 7): terms and monthly statements on Women's services in Durham
(2021-L26-durham, led by St Giles Wise Group Partnership: lead.provider@example.org), made through the payments
services (payments/services.py).

- commissioner.northeast@example.org sets how the contract pays: a 90/10 hybrid (90% of the 2025-26 value in monthly
  instalments, plus £150 for each person who completes).
- lead.provider@example.org sets how it pays two members: Riverside Women's Centre (demo) a 20% pass-through, and
  HumanKind a protected fixed fee of £12,000 a year.
- January 2026: approved, with both payments recorded on time. February 2026: approved, the payment to Riverside
  recorded late (paid 45 days after the invoice: flagged on /supply-chain-payments/). March 2026: sent, waiting for
  the commissioner's approval.
- admin@riverside.example.org sees Riverside's lines on /your-payment-statements/.

Skipped when the contract, the people or the 2025-26 value are not there, or when the terms were set already (a second
run changes nothing).
"""

from datetime import date

CONTRACT = "2021-L26-durham"
COMMISSIONER = "commissioner.northeast@example.org"
LEAD = "lead.provider@example.org"
RIVERSIDE = "Riverside Women's Centre (demo)"

# (month, lead provider's completions, Riverside's completions, HumanKind's completions)
MONTHS = [
    (date(2026, 1, 1), 6, 4, 2),
    (date(2026, 2, 1), 5, 3, 2),
    (date(2026, 3, 1), 7, 5, 1),
]
# (month, organisation name, invoiced on, paid on)
PAYMENTS = [
    (date(2026, 1, 1), RIVERSIDE, date(2026, 2, 10), date(2026, 2, 24)),
    (date(2026, 1, 1), "HumanKind", date(2026, 2, 10), date(2026, 3, 2)),
    (date(2026, 2, 1), RIVERSIDE, date(2026, 3, 10), date(2026, 4, 24)),  # 45 days: late
]


def _figures(members, counts) -> dict:
    lead_count, *member_counts = counts
    figures = {None: {"started": lead_count + 2, "completed": lead_count, "evidence": "Case records (demo)"}}
    for member, count in zip(members, member_counts, strict=True):
        if member is not None:
            figures[member.pk] = {"started": count + 1, "completed": count, "evidence": "Attendance registers (demo)"}
    return figures


def load_payments_statements_demo() -> list[str]:
    """Create what is missing; return a line for each thing created."""
    from dynamic_framework.accounts.models import User
    from dynamic_framework.contracts.models import Contract, ContractYear
    from dynamic_framework.payments import services
    from dynamic_framework.payments.models import ContractPaymentTerms

    contract = Contract.objects.select_related("lead_provider").filter(reference=CONTRACT).first()
    people = {u.email: u for u in User.objects.filter(email__in=[COMMISSIONER, LEAD])}
    if contract is None or len(people) < 2:
        return []
    year = ContractYear.objects.filter(contract=contract, financial_year=2025, value_pence__isnull=False).first()
    if year is None or ContractPaymentTerms.objects.filter(contract=contract).exists():
        return []
    commissioner, lead = people[COMMISSIONER], people[LEAD]
    lines = []
    services.set_contract_terms(
        actor=commissioner,
        contract=contract,
        mechanism="hybrid",
        instalments="monthly",
        fixed_share_bp=9000,
        per_completion_pence=150_00,
    )
    lines.append(f"{CONTRACT}: a 90/10 hybrid, monthly")
    members = {}
    for name in (RIVERSIDE, "HumanKind"):
        members[name] = (
            contract.supply_chain.filter(organisation__name__iexact=name, left_on__isnull=True)
            .exclude(organisation_id=contract.lead_provider_id)
            .first()
        )
    if members[RIVERSIDE] is not None:
        services.set_subcontract_terms(actor=lead, member=members[RIVERSIDE], terms="pass_through", share_bp=2000)
    if members["HumanKind"] is not None:
        services.set_subcontract_terms(
            actor=lead, member=members["HumanKind"], terms="protected_fixed_fee", protected_yearly_pence=12_000_00
        )
    order = [members[RIVERSIDE], members["HumanKind"]]
    statements = {}
    for period, *counts in MONTHS:
        statement = services.enter_figures(
            actor=lead, contract=contract, period=period, figures=_figures(order, counts)
        )
        services.submit_statement(actor=lead, statement=statement)
        if period < date(2026, 3, 1):
            services.approve_statement(actor=commissioner, statement=statement)
        statements[period] = statement
        lines.append(f"{CONTRACT}: statement for {period:%B %Y}")
    for period, name, invoiced_on, paid_on in PAYMENTS:
        member = members.get(name)
        if member is None:
            continue
        line = statements[period].lines.filter(member=member).first()
        if line is not None and line.due_pence > 0:
            services.record_line_payment(
                actor=lead,
                line=line,
                invoiced_on=invoiced_on,
                paid_on=paid_on,
                invoice_reference=f"Statement {period:%B %Y}",
            )
    return lines
