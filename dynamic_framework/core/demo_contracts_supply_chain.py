"""The supply chain part of the demo: subcontractors, payments and a change waiting for approval on imported North
East contracts, made through the supply chain services (contracts/supply_chain.py) where the clock allows.

- A demo login for the lead provider side: lead.provider@example.org (Lee Morgan, provider administrator of
  St Giles Wise Group Partnership and St Giles Wise Ltd, the imported lead providers used here). Demo only: the
  organisations are real, the person and the data below are not.
- Women's services in Durham (2021-L26-durham, St Giles Wise Group Partnership): Riverside Women's Centre (demo) is
  added as a material subcontractor (source "Demo: ..."; the contract has ended, so it cannot be added through a
  proposed change, which must take effect in the future), with invoices from 2025: most paid within 30 days, two
  paid late and one not paid (late). HumanKind, an imported subcontractor, has two invoices paid on time.
  admin@riverside.example.org sees them on /your-subcontracts/; commissioner.northeast@example.org sees the late
  payments on /supply-chain-payments/.
- Finance, benefit and debt in custody in the North East (PRJ_7647, St Giles Wise Ltd, live): Northgate Housing Trust
  (demo) is added as a material subcontractor (housing advice), and the lead provider proposes to remove it four weeks
  from the first run: the change waits for commissioner.northeast@example.org, and admin@northgate.example.org has
  been told.

Each step is skipped when its contract is not there (the imports did not run) or is already done, so a second run
changes nothing.
"""

from datetime import date, timedelta

LEAD_EMAIL = "lead.provider@example.org"
LEAD_NAME = "Lee Morgan"
DURHAM = "2021-L26-durham"
CUSTODY = "PRJ_7647"
RIVERSIDE = "Riverside Women's Centre (demo)"
NORTHGATE = "Northgate Housing Trust (demo)"
SOURCE = "Demo: added by the demo data (not in any published list)"

# (invoice reference, invoiced on, paid on or None, amount in pounds)
RIVERSIDE_INVOICES = [
    ("RWC-2025-01", date(2025, 4, 30), date(2025, 5, 20), 9_500),
    ("RWC-2025-02", date(2025, 5, 31), date(2025, 6, 27), 9_500),
    ("RWC-2025-03", date(2025, 6, 30), date(2025, 8, 26), 9_500),  # 57 days: late
    ("RWC-2025-04", date(2025, 9, 30), date(2025, 10, 24), 9_500),
    ("RWC-2025-05", date(2025, 12, 31), date(2026, 2, 20), 11_250),  # 51 days: late
    ("RWC-2026-01", date(2026, 3, 31), None, 11_250),  # not paid: late
]
HUMANKIND_INVOICES = [
    ("HK-0412", date(2025, 6, 30), date(2025, 7, 18), 4_200),
    ("HK-0467", date(2025, 12, 31), date(2026, 1, 23), 4_200),
]


def _lead_user(leads):
    from dynamic_framework.accounts import services as account_services
    from dynamic_framework.accounts.models import RoleGrant, User

    from .demo import ACTOR, DEMO_PASSWORD

    user = User.objects.filter(email__iexact=LEAD_EMAIL).first()
    if user is None:
        user = account_services.create_user(actor=ACTOR, email=LEAD_EMAIL, full_name=LEAD_NAME, password=DEMO_PASSWORD)
    if user.email_confirmed_at is None:
        account_services.mark_email_confirmed(actor=ACTOR, user=user, how="demo data")
    for lead in leads:
        granted = RoleGrant.objects.filter(
            user=user, role="provider_administrator", organisation=lead, revoked_at__isnull=True
        ).exists()
        if not granted:
            account_services.grant_role(actor=ACTOR, user=user, role="provider_administrator", organisation=lead)
    return User.objects.get(pk=user.pk)  # fresh: its grants are read again


def _demo_member(contract, organisation, **terms):
    from dynamic_framework.contracts.models import SupplyChainMember

    member = SupplyChainMember.objects.filter(contract=contract, organisation=organisation).first()
    if member is None:
        member = SupplyChainMember.objects.create(
            contract=contract,
            organisation=organisation,
            name_as_written=organisation.name,
            source=SOURCE,
            joined_on=contract.start_date or contract.referrals_opened_on,
            **terms,
        )
    return member


def _invoices(member, invoices, actor) -> int:
    from dynamic_framework.contracts import supply_chain

    if member.payments.exists():
        return 0
    for reference, invoiced_on, paid_on, pounds in invoices:
        supply_chain.record_payment(
            actor=actor,
            member=member,
            invoiced_on=invoiced_on,
            paid_on=paid_on,
            amount_pence=pounds * 100,
            invoice_reference=reference,
        )
    return len(invoices)


def load_supply_chain_demo(*, organisations: dict) -> list[str]:
    """Create what is missing; return a line for each thing created."""
    from django.utils import timezone

    from dynamic_framework.contracts import supply_chain
    from dynamic_framework.contracts.models import Contract, SupplyChainMember

    lines = []
    durham = Contract.objects.select_related("lead_provider").filter(reference=DURHAM).first()
    custody = Contract.objects.select_related("lead_provider").filter(reference=CUSTODY).first()
    contracts = [c for c in (durham, custody) if c is not None]
    if not contracts:
        return lines
    lead = _lead_user({c.lead_provider for c in contracts})

    if durham is not None and RIVERSIDE in organisations:
        riverside = _demo_member(
            durham,
            organisations[RIVERSIDE],
            service="Women's centre drop-in, key workers and peer groups in Durham",
            share_type="percent",
            share_value=2000,
            payment_terms="pass_through",
            material=True,
        )
        if _invoices(riverside, RIVERSIDE_INVOICES, lead):
            lines.append(f"{DURHAM}: {RIVERSIDE} a material subcontractor, with 6 invoices (3 late)")
        humankind = (
            SupplyChainMember.objects.filter(contract=durham, organisation__name__iexact="HumanKind")
            .exclude(organisation_id=durham.lead_provider_id)
            .first()
        )
        if humankind is not None and _invoices(humankind, HUMANKIND_INVOICES, lead):
            lines.append(f"{DURHAM}: HumanKind, 2 invoices paid on time")

    if custody is not None and NORTHGATE in organisations:
        northgate = _demo_member(
            custody,
            organisations[NORTHGATE],
            service="Housing advice for people leaving custody",
            share_type="percent",
            share_value=1500,
            payment_terms="fixed_fee",
            material=True,
        )
        if northgate.left_on is None and not northgate.changes.exists():
            effective_on = timezone.localdate() + timedelta(days=28)
            last = supply_chain.contract_last_day(custody)
            if last is None or effective_on <= last:
                supply_chain.propose_change(
                    actor=lead,
                    contract=custody,
                    kind="remove",
                    member=northgate,
                    effective_on=effective_on,
                    reason="Housing advice in custody will be given by the prison's own resettlement team from next "
                    "month, so we no longer need a separate housing adviser.",
                )
                lines.append(
                    f"{CUSTODY}: removing {NORTHGATE} (material) from {effective_on:%d %B %Y}, waiting for the "
                    "North East commissioner"
                )
    return lines
