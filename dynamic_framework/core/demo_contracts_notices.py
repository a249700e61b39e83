"""The notices part of the demo: commissioner.northeast@example.org's notices to the lead providers of imported North
East contracts, made through the notices services (contracts/notices.py) on the real clock.

- "Referrals for custody services move to the new form" (policy change, must be passed on, public) to the lead
  providers of PRJ_7647 (St Giles Wise Ltd, finance, benefit and debt in custody) and 2021-L30-north-east (Ingeus UK
  Limited). lead.provider@example.org (St Giles Wise Ltd's administrator, made by the supply chain demo) has passed it
  on to the supply chain with a note and acknowledged it; admin@northgate.example.org has acknowledged Northgate's
  copy; the other members and Ingeus have not yet. commissioner.northeast@example.org sees it on /notices/sent/ and
  the measure on /notices/measures/; lead.provider@example.org and admin@northgate.example.org on /your-notices/.
- "Safeguarding referrals over the winter holidays" (operational guidance, public, not to be passed on) to Ingeus's
  PRJ_7672 and PRJ_7709: on the public page /notices/.
- "A change to your contract's reporting dates" (contract change, not public) to PRJ_7647 only.

Each notice is made once (found again by its title and sender), and each step is skipped when its contracts or people
are not there (the imports or the supply chain demo did not run), so a second run creates nothing.
"""

CUSTODY_CASCADE = {
    "kind": "policy_change",
    "title": "Referrals for custody services move to the new form",
    "body": (
        "From the first Monday of next month, referrals for services in custody come through the new referral form "
        "in Refer and Monitor, not by email.\n\n"
        "Please make sure everyone in your supply chain who takes referrals knows, and that their staff have "
        "accounts. The old mailbox will be checked for four more weeks."
    ),
    "contracts": ["PRJ_7647", "2021-L30-north-east"],
    "cascade_required": True,
    "public": True,
}
WINTER_GUIDANCE = {
    "kind": "operational_guidance",
    "title": "Safeguarding referrals over the winter holidays",
    "body": (
        "Between 24 December and 2 January, safeguarding concerns about people on probation go to the duty "
        "probation officer on the usual number, which is staffed every day including bank holidays.\n\n"
        "Please tell people you work with where to find the number."
    ),
    "contracts": ["PRJ_7672", "PRJ_7709"],
    "cascade_required": False,
    "public": True,
}
REPORTING_CHANGE = {
    "kind": "contract_change",
    "title": "A change to your contract's reporting dates",
    "body": "Quarterly reports are now due on the 15th working day after the end of each quarter, not the 10th.",
    "contracts": ["PRJ_7647"],
    "cascade_required": False,
    "public": False,
}
COMMISSIONER = "commissioner.northeast@example.org"
LEAD = "lead.provider@example.org"
NORTHGATE_ADMIN = "admin@northgate.example.org"
NOTE = "Please pass this to your referrals team. We will go through the new form at the next partners' meeting."


def _send(commissioner, spec):
    from django.utils import timezone

    from dynamic_framework.contracts import notices
    from dynamic_framework.contracts.models import Contract, Notice

    existing = Notice.objects.filter(title=spec["title"], sent_by=commissioner).first()
    if existing is not None:
        return existing, False
    contracts = list(Contract.objects.filter(reference__in=spec["contracts"]))
    today = timezone.localdate()
    contracts = [c for c in contracts if not notices.contract_ended(c, today)]
    if not contracts:
        return None, False
    notice = notices.send_notice(
        actor=commissioner,
        kind=spec["kind"],
        title=spec["title"],
        body=spec["body"],
        contracts=contracts,
        cascade_required=spec["cascade_required"],
        public=spec["public"],
    )
    return notice, True


def load_notices_demo(users=None) -> list[str]:
    """Create what is missing; return a line for each notice created."""
    from django.core.exceptions import ValidationError

    from dynamic_framework.accounts.models import User
    from dynamic_framework.contracts import notices

    people = {u.email: u for u in User.objects.filter(email__in=[COMMISSIONER, LEAD, NORTHGATE_ADMIN])}
    commissioner = people.get(COMMISSIONER)
    if commissioner is None:
        return []
    created = []
    cascade, new = _send(commissioner, CUSTODY_CASCADE)
    if new:
        created.append(f"{cascade.reference} {cascade.title}")
        lead_user = people.get(LEAD)
        lead_copy = cascade.deliveries.filter(contract__reference="PRJ_7647", forwarded_from__isnull=True).first()
        if lead_user is not None and lead_copy is not None:
            try:
                forwarded = notices.forward_notice(actor=lead_user, delivery=lead_copy, note=NOTE)
                notices.acknowledge(actor=lead_user, delivery=lead_copy)
            except ValidationError:
                forwarded = []
            northgate = people.get(NORTHGATE_ADMIN)
            for copy in forwarded:
                if northgate is not None and copy.organisation.name.startswith("Northgate Housing Trust"):
                    notices.acknowledge(actor=northgate, delivery=copy)
    for spec in (WINTER_GUIDANCE, REPORTING_CHANGE):
        notice, new = _send(commissioner, spec)
        if new:
            created.append(f"{notice.reference} {notice.title}")
    return created
