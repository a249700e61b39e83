"""Supply chain changes and payments to subcontractors: every write, and the payment timeliness measure.

Changes. The lead provider proposes a change to its contract's supply chain (propose_change): add an organisation,
remove a current member, replace one by another organisation, or change a member's terms. Removing or replacing a
MATERIAL subcontractor waits for the commissioner's decision (needs_approval); everything else is applied when it is
proposed. The organisations concerned are told in the service when the change is proposed, so before it takes effect.

Dates. `effective_on` is the first day of the new arrangement: a member removed or replaced from 1 June has
31 May as its last day (left_on = effective_on - 1 day), and the organisation added (or the replacement) joins on
1 June (joined_on = effective_on). A member's terms are changed in place on its row when the change is applied, the
old terms kept in the change (terms["previous"]) and the audit log. An approved change whose effective_on has
passed by the time the commissioner decides takes effect on the day of the decision instead (see takes_effect_on).

Payments. The lead provider records what it was invoiced and when it paid (record_payment, mark_paid). Days to pay
is paid_on - invoiced_on; for a payment not made yet, the days since the invoice. A payment is late when that is
more than 30 days (PAYMENT_DAYS): paid late, or not paid and invoiced more than 30 days ago.

Each function takes keyword arguments only, runs in one transaction, writes its audit event in that transaction and
raises ValidationError (field names matching the forms and the API, messages in plain English) writing nothing.
"""

from datetime import date, timedelta
from statistics import median

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dynamic_framework.accounts.models import PROVIDER_ROLES, Role, RoleGrant, User
from dynamic_framework.core import audit
from dynamic_framework.core.money import format_pence
from dynamic_framework.core.notifications import notify
from dynamic_framework.core.time import format_uk_date

from .models import Contract, PaymentTerms, ShareType, SubcontractorPayment, SupplyChainChange, SupplyChainMember

Kind = SupplyChainChange.Kind
PAYMENT_DAYS = 30  # paid within 30 days of the invoice: the supply chain protections
MAX_AMOUNT_PENCE = 10**13  # £100 billion: anything larger is a typing mistake
TERMS_FIELDS = ("service", "share_type", "share_value", "payment_terms", "material")


def today() -> date:
    """Today in the UK."""
    return timezone.localdate()


# Who is told, who may act -----------------------------------------------------------------------------------------


def organisation_users(organisation_ids) -> QuerySet:
    """The active provider administrators and staff of these organisations."""
    grants = RoleGrant.objects.active().filter(organisation_id__in=list(organisation_ids), role__in=PROVIDER_ROLES)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def region_commissioners(region_id) -> QuerySet:
    grants = RoleGrant.objects.active().filter(role=Role.COMMISSIONER, regions=region_id)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def _require(actor, perm: str, obj, message: str) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.has_perm(perm, obj)):
        raise ValidationError(message)


def _require_lead(actor, contract: Contract) -> None:
    _require(
        actor,
        "contracts.propose_supply_chain_change",
        contract,
        _("Only the lead provider's people (%(lead)s) can change this supply chain")
        % {"lead": contract.lead_provider.name},
    )


def _require_payer(actor, contract: Contract) -> None:
    _require(
        actor,
        "contracts.record_subcontractor_payment",
        contract,
        _("Only the lead provider's people (%(lead)s) can record payments to its subcontractors")
        % {"lead": contract.lead_provider.name},
    )


# Reads used by the services and the pages --------------------------------------------------------------------------


def contract_total_value(contract: Contract) -> int | None:
    """The contract's value over all its years (pence), or None when no year has a published value. When an award
    covers several contracts and no years are recorded, the award's value (shared by them) is the most it can be."""
    years = [y.value_pence for y in contract.years.all() if y.value_pence is not None]
    if years:
        return sum(years)
    if contract.award_id and contract.award.value_pence is not None:
        return contract.award.value_pence
    return None


def contract_last_day(contract: Contract) -> date | None:
    """The last day of the contract: its end date, or the day before it was terminated."""
    ends = [d for d in (contract.end_date,) if d]
    if contract.terminated_on:
        ends.append(contract.terminated_on - timedelta(days=1))
    return min(ends) if ends else None


def current_members(contract: Contract, on: date) -> QuerySet:
    """The members still in the supply chain on `on` or joining later (not left before it)."""
    return contract.supply_chain.filter(Q(left_on__isnull=True) | Q(left_on__gte=on))


def is_current(member: SupplyChainMember, on: date | None = None) -> bool:
    return member.left_on is None or member.left_on >= (on or today())


def waiting_q() -> Q:
    """Changes waiting for the commissioner's decision."""
    return Q(needs_approval=True, decided_at__isnull=True, withdrawn_at__isnull=True)


def change_status(change: SupplyChainChange) -> str:
    """waiting, withdrawn, refused or applied: from what was recorded."""
    if change.withdrawn_at:
        return "withdrawn"
    if change.approved is False:
        return "refused"
    if change.applied_at:
        return "applied"
    return "waiting"


CHANGE_STATUS_LABELS = {
    "waiting": gettext_lazy("Waiting for the commissioner"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "refused": gettext_lazy("Refused"),
    "applied": gettext_lazy("Agreed"),
}
CHANGE_STATUS_TAGS = {
    "waiting": "govuk-tag--yellow",
    "withdrawn": "govuk-tag--grey",
    "refused": "govuk-tag--red",
    "applied": "govuk-tag--green",
}


def takes_effect_on(change: SupplyChainChange) -> date:
    """The day the change takes effect: its effective_on, or the decision day when that had passed by then."""
    if change.decided_at is not None:
        decided = timezone.localtime(change.decided_at).date()
        return max(change.effective_on, decided)
    return change.effective_on


def describe_terms(terms: dict) -> str:
    """'Peer mentoring; 25% of the value; pass-through; material' in plain words."""
    if not terms:
        return ""
    parts = []
    if terms.get("service"):
        parts.append(terms["service"])
    parts.append(share_text(terms.get("share_type"), terms.get("share_value")))
    if terms.get("payment_terms"):
        parts.append(str(PaymentTerms(terms["payment_terms"]).label))
    parts.append(_("material subcontractor") if terms.get("material") else _("not a material subcontractor"))
    return "; ".join(p for p in parts if p)


def share_text(share_type, share_value) -> str:
    if share_type == ShareType.PERCENT and share_value:
        whole, rest = divmod(int(share_value), 100)
        return _("%(percent)s%% of the value") % {"percent": f"{whole}.{rest:02d}".rstrip("0").rstrip(".")}
    if share_type == ShareType.AMOUNT and share_value:
        return _("%(amount)s of the value") % {"amount": format_pence(share_value)}
    return _("share not recorded")


def member_terms(member: SupplyChainMember) -> dict:
    return {
        "service": member.service,
        "share_type": member.share_type,
        "share_value": member.share_value,
        "payment_terms": member.payment_terms,
        "material": member.material,
    }


# Checking a change ---------------------------------------------------------------------------------------------------


def clean_terms(terms: dict | None, *, total_value: int | None) -> tuple[dict, dict]:
    """The terms tidied, and field errors (service, share_type, share_value, payment_terms)."""
    terms = terms or {}
    errors: dict[str, list[str]] = {}
    service = str(terms.get("service") or "").strip()
    if not service:
        errors["service"] = [_("Say what the organisation will do, for example 'peer mentoring for women'")]
    elif len(service) > 300:
        errors["service"] = [_("What the organisation will do must be 300 characters or fewer")]
    share_type = terms.get("share_type") or ""
    share_value = terms.get("share_value")
    if share_type not in ShareType.values:
        errors["share_type"] = [_("Say whether the share is a percentage of the value or an amount in pounds")]
    elif not isinstance(share_value, int) or isinstance(share_value, bool) or share_value <= 0:
        errors["share_value"] = [_("Enter the share: a percentage more than 0, or an amount more than £0")]
    elif share_type == ShareType.PERCENT and share_value > 10_000:
        errors["share_value"] = [_("A share cannot be more than 100%")]
    elif share_type == ShareType.AMOUNT and share_value > MAX_AMOUNT_PENCE:
        errors["share_value"] = [_("Check the amount: it is too large")]
    elif share_type == ShareType.AMOUNT and total_value is not None and share_value > total_value:
        errors["share_value"] = [
            _("The share cannot be more than the contract's total value (%(value)s)")
            % {"value": format_pence(total_value)}
        ]
    payment_terms = terms.get("payment_terms") or ""
    if payment_terms not in PaymentTerms.values:
        errors["payment_terms"] = [_("Choose how the organisation will be paid")]
    material = terms.get("material")
    if not isinstance(material, bool):
        errors["material"] = [_("Say whether the organisation is a material subcontractor")]
    cleaned = {
        "service": service,
        "share_type": share_type,
        "share_value": share_value,
        "payment_terms": payment_terms,
        "material": bool(material),
    }
    return cleaned, errors


def _percent_total(contract: Contract, on: date, *, leaving_ids=(), joining: dict | None = None) -> int:
    """Basis points of the percent shares of the members current on `on` after the change."""
    members = current_members(contract, on).exclude(pk__in=list(leaving_ids))
    total = sum(m.share_value or 0 for m in members if m.share_type == ShareType.PERCENT)
    if joining and joining.get("share_type") == ShareType.PERCENT:
        total += joining.get("share_value") or 0
    return total


def _check(
    *, contract, kind, member, organisation, terms, effective_on, reason, errors, decided_on=None
) -> dict | None:
    """Check a change (when proposed, and again when it is applied). Adds field errors; returns the tidied terms."""

    def add(field, message):
        errors.setdefault(field, []).append(str(message))

    day = today()
    cleaned = None
    if kind not in Kind.values:
        add("kind", _("Choose what kind of change this is"))
        return None
    if not (reason or "").strip() and decided_on is None:
        add("reason", _("Say why the supply chain is changing"))
    # The date
    if effective_on is None:
        add("effective_on", _("Enter the date the change takes effect"))
    elif decided_on is None:
        if effective_on < day:
            add("effective_on", _("The date the change takes effect must be today or in the future"))
        start, last = contract.start_date, contract_last_day(contract)
        if start and effective_on < start:
            add(
                "effective_on",
                _("The date the change takes effect must be on or after the contract starts (%(date)s)")
                % {"date": format_uk_date(start)},
            )
        if last and effective_on > last:
            add(
                "effective_on",
                _("The date the change takes effect must be on or before the contract's last day (%(date)s)")
                % {"date": format_uk_date(last)},
            )
    on = decided_on or effective_on or day
    # The member concerned
    if kind in (Kind.REMOVE, Kind.REPLACE, Kind.CHANGE_TERMS):
        if member is None:
            add("member", _("Choose the member of the supply chain this change is about"))
        elif member.contract_id != contract.pk:
            add("member", _("Choose a member of this contract's supply chain"))
        elif member.left_on is not None:
            add(
                "member",
                _("%(org)s has left this supply chain (its last day is %(date)s): it cannot be changed")
                % {"org": member.organisation.name, "date": format_uk_date(member.left_on)},
            )
        else:
            if kind != Kind.CHANGE_TERMS and member.joined_on and on <= member.joined_on:
                add(
                    "effective_on",
                    _("%(org)s joins on %(date)s: it can leave only after that")
                    % {"org": member.organisation.name, "date": format_uk_date(member.joined_on)},
                )
            waiting = member.changes.filter(waiting_q())
            if decided_on is None and waiting.exists():
                add(
                    "member",
                    _("A change about %(org)s is already waiting for the commissioner's decision")
                    % {"org": member.organisation.name},
                )
    # The organisation joining
    if kind in (Kind.ADD, Kind.REPLACE):
        if organisation is None:
            add("organisation", _("Choose the organisation joining the supply chain, or give its name"))
        elif organisation.pk == contract.lead_provider_id:
            add("organisation", _("The lead provider cannot be a member of its own supply chain"))
        elif current_members(contract, on).filter(organisation=organisation).exists():
            add("organisation", _("%(org)s is already in this supply chain") % {"org": organisation.name})
    # The terms
    if kind in (Kind.ADD, Kind.REPLACE, Kind.CHANGE_TERMS):
        cleaned, term_errors = clean_terms(terms, total_value=contract_total_value(contract))
        for field, messages in term_errors.items():
            for message in messages:
                add(field, message)
        if not term_errors:
            leaving = [member.pk] if member is not None and kind != Kind.ADD else []
            total = _percent_total(contract, on, leaving_ids=leaving, joining=cleaned)
            if total > 10_000:
                add(
                    "share_value",
                    _("The percentage shares of the supply chain would add up to %(total)s, more than 100%%")
                    % {"total": share_text(ShareType.PERCENT, total).split(" ")[0]},
                )
    return cleaned


# Applying a change --------------------------------------------------------------------------------------------------


def _apply(change: SupplyChainChange, *, on: date) -> None:
    """Make the change to the supply chain, effective `on` (the first day of the new arrangement)."""
    contract, member, terms = change.contract, change.member, change.terms
    if change.kind in (Kind.REMOVE, Kind.REPLACE):
        member.left_on = on - timedelta(days=1)
        member.save(update_fields=["left_on"])
    if change.kind in (Kind.ADD, Kind.REPLACE):
        SupplyChainMember.objects.create(
            contract=contract,
            organisation=change.organisation,
            role=SupplyChainMember.Role.SUBCONTRACTOR,
            name_as_written=change.organisation.name,
            source=_("Added by the lead provider in the service (change %(pk)s)") % {"pk": change.pk},
            joined_on=on,
            **{field: terms[field] for field in TERMS_FIELDS},
        )
    if change.kind == Kind.CHANGE_TERMS:
        for field in TERMS_FIELDS:
            setattr(member, field, terms[field])
        member.save(update_fields=list(TERMS_FIELDS))
    change.applied_at = timezone.now()


def change_snapshot(change: SupplyChainChange) -> dict:
    return {
        "contract": change.contract.reference,
        "kind": change.kind,
        "member": change.member_id,
        "member_organisation": change.member.organisation.name if change.member_id else None,
        "organisation": change.organisation.name if change.organisation_id else None,
        "terms": change.terms,
        "effective_on": change.effective_on,
        "needs_approval": change.needs_approval,
        "approved": change.approved,
        "applied_at": change.applied_at,
        "withdrawn_at": change.withdrawn_at,
    }


def _who(change: SupplyChainChange) -> str:
    if change.kind == Kind.ADD:
        return change.organisation.name
    if change.kind == Kind.REPLACE:
        return _("%(old)s by %(new)s") % {"old": change.member.organisation.name, "new": change.organisation.name}
    return change.member.organisation.name


def change_title(change: SupplyChainChange) -> str:
    titles = {
        Kind.ADD: _("Add %(who)s"),
        Kind.REMOVE: _("Remove %(who)s"),
        Kind.REPLACE: _("Replace %(who)s"),
        Kind.CHANGE_TERMS: _("Change the terms of %(who)s"),
    }
    return titles[change.kind] % {"who": _who(change)}


def _concerned_organisations(change: SupplyChainChange) -> set[int]:
    ids = set()
    if change.member_id:
        ids.add(change.member.organisation_id)
    if change.organisation_id:
        ids.add(change.organisation_id)
    return ids


def _link(change: SupplyChainChange) -> str:
    return reverse("contracts:supply-chain-change", kwargs={"pk": change.pk})


# The services: changes ----------------------------------------------------------------------------------------------


def propose_change(
    *,
    actor,
    contract: Contract,
    kind: str,
    member: SupplyChainMember | None = None,
    organisation=None,
    terms: dict | None = None,
    effective_on: date | None,
    reason: str,
) -> SupplyChainChange:
    """The lead provider proposes a change. Applied at once, unless it removes or replaces a material subcontractor
    (then it waits for the commissioner). The organisations concerned are told now; for a change that waits, the
    commissioners of the contract's region too."""
    with transaction.atomic():
        contract = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("lead_provider", "region")
            .get(pk=contract.pk)
        )
        _require_lead(actor, contract)
        if member is not None:
            member = SupplyChainMember.objects.select_related("organisation").get(pk=member.pk)
        errors: dict[str, list[str]] = {}
        cleaned = _check(
            contract=contract,
            kind=kind,
            member=member,
            organisation=organisation,
            terms=terms,
            effective_on=effective_on,
            reason=reason,
            errors=errors,
        )
        if errors:
            raise ValidationError(errors)
        stored_terms = dict(cleaned or {})
        if kind == Kind.CHANGE_TERMS:
            stored_terms["previous"] = member_terms(member)
        change = SupplyChainChange.objects.create(
            contract=contract,
            kind=kind,
            member=member if kind != Kind.ADD else None,
            organisation=organisation if kind in (Kind.ADD, Kind.REPLACE) else None,
            terms=stored_terms,
            effective_on=effective_on,
            reason=reason.strip(),
            proposed_by=actor,
            needs_approval=kind in (Kind.REMOVE, Kind.REPLACE) and member.material,
        )
        if not change.needs_approval:
            _apply(change, on=effective_on)
            change.save(update_fields=["applied_at"])
        audit.record(
            actor=actor, action="contracts.supply_chain_change_proposed", obj=change, after=change_snapshot(change)
        )
        _tell_proposed(change)
    return change


def _tell_proposed(change: SupplyChainChange) -> None:
    contract = change.contract
    facts = {
        "lead": contract.lead_provider.name,
        "contract": contract.title or str(contract),
        "reference": contract.reference,
        "date": format_uk_date(change.effective_on),
        "title": change_title(change),
    }
    if change.needs_approval:
        body = (
            _(
                "%(lead)s proposes this change to the supply chain of %(contract)s (%(reference)s), from %(date)s. "
                "It needs the commissioner's approval before it takes effect: you will be told the decision."
            )
            % facts
        )
    else:
        body = (
            _(
                "%(lead)s has made this change to the supply chain of %(contract)s (%(reference)s). "
                "It takes effect on %(date)s."
            )
            % facts
        )
    notify(
        users=organisation_users(_concerned_organisations(change)),
        title=_("Supply chain change: %(title)s") % facts,
        body=body + "\n\n" + _("Reason given: %(reason)s") % {"reason": change.reason},
        link=_link(change),
    )
    if change.needs_approval:
        notify(
            users=region_commissioners(contract.region_id),
            title=_("Approve or refuse a supply chain change: %(title)s") % facts,
            body=_(
                "%(lead)s wants to remove or replace a material subcontractor in %(contract)s (%(reference)s) "
                "from %(date)s. It waits for your decision."
            )
            % facts,
            link=_link(change),
        )


def decide_change(*, actor, change: SupplyChainChange, approve: bool, reason: str) -> SupplyChainChange:
    """The commissioner approves (and so applies) or refuses a change waiting for a decision. A reason is needed
    either way (removing or replacing a material subcontractor needs reasons). When the proposed date has passed by
    the decision, an approved change takes effect on the day of the decision."""
    with transaction.atomic():
        change = (
            SupplyChainChange.objects.select_for_update(of=("self",))
            .select_related("contract__lead_provider", "contract__region", "member__organisation", "organisation")
            .get(pk=change.pk)
        )
        contract = change.contract
        _require(
            actor,
            "contracts.decide_supply_chain_change",
            contract,
            _("Only commissioners for %(region)s can decide this change") % {"region": contract.region.name},
        )
        if not change.needs_approval:
            raise ValidationError(_("This change did not need the commissioner's approval: it was applied"))
        if change.withdrawn_at:
            raise ValidationError(_("The lead provider withdrew this change: there is nothing to decide"))
        if change.decided_at:
            raise ValidationError(_("This change has already been decided"))
        if not (reason or "").strip():
            raise ValidationError(
                {
                    "reason": _("Say why you approve the change")
                    if approve
                    else _("Say why you refuse the change: the lead provider and the subcontractor are told")
                }
            )
        if not isinstance(approve, bool):
            raise ValidationError({"approve": _("Choose whether you approve or refuse the change")})
        before = change_snapshot(change)
        now = timezone.now()
        day = timezone.localtime(now).date()
        change.decided_at, change.decided_by, change.approved = now, actor, approve
        change.decision_reason = reason.strip()
        if approve:
            errors: dict[str, list[str]] = {}
            on = max(change.effective_on, day)
            member = (
                SupplyChainMember.objects.select_for_update().select_related("organisation").get(pk=change.member_id)
            )
            _check(
                contract=contract,
                kind=change.kind,
                member=member,
                organisation=change.organisation,
                terms={k: v for k, v in change.terms.items() if k in TERMS_FIELDS},
                effective_on=change.effective_on,
                reason=change.reason,
                errors=errors,
                decided_on=on,
            )
            if errors:
                raise ValidationError(
                    _("This change can no longer be made: %(problems)s")
                    % {"problems": " ".join(m for messages in errors.values() for m in messages)}
                )
            change.member = member
            _apply(change, on=on)
        change.save()
        audit.record(
            actor=actor,
            action="contracts.supply_chain_change_approved" if approve else "contracts.supply_chain_change_refused",
            obj=change,
            before=before,
            after={**change_snapshot(change), "decision_reason": change.decision_reason},
        )
        facts = {"title": change_title(change), "reference": contract.reference, "reason": change.decision_reason}
        if approve:
            title = _("Supply chain change approved: %(title)s") % facts
            body = _("The commissioner approved this change to %(reference)s. It takes effect on %(date)s.") % {
                **facts,
                "date": format_uk_date(takes_effect_on(change)),
            }
        else:
            title = _("Supply chain change refused: %(title)s") % facts
            body = _("The commissioner refused this change to %(reference)s: the supply chain stays as it is.") % facts
        notify(
            users=organisation_users({contract.lead_provider_id, *_concerned_organisations(change)}),
            title=title,
            body=body + "\n\n" + _("The commissioner's reason: %(reason)s") % facts,
            link=_link(change),
        )
    return change


def withdraw_change(*, actor, change: SupplyChainChange) -> SupplyChainChange:
    """The lead provider withdraws a change that is waiting for the commissioner's decision."""
    with transaction.atomic():
        change = (
            SupplyChainChange.objects.select_for_update(of=("self",))
            .select_related("contract__lead_provider", "contract__region", "member__organisation", "organisation")
            .get(pk=change.pk)
        )
        _require_lead(actor, change.contract)
        if change.withdrawn_at:
            raise ValidationError(_("This change has already been withdrawn"))
        if not change.needs_approval or change.applied_at:
            raise ValidationError(_("This change has been made: propose another change to undo it"))
        if change.decided_at:
            raise ValidationError(_("The commissioner has already decided this change"))
        before = change_snapshot(change)
        change.withdrawn_at = timezone.now()
        change.save(update_fields=["withdrawn_at"])
        audit.record(
            actor=actor,
            action="contracts.supply_chain_change_withdrawn",
            obj=change,
            before=before,
            after=change_snapshot(change),
        )
        facts = {"title": change_title(change), "reference": change.contract.reference}
        notify(
            users=[
                *organisation_users(_concerned_organisations(change)),
                *region_commissioners(change.contract.region_id),
            ],
            title=_("Supply chain change withdrawn: %(title)s") % facts,
            body=_("The lead provider withdrew this proposed change to %(reference)s: nothing changes.") % facts,
            link=_link(change),
        )
    return change


# The services: payments ---------------------------------------------------------------------------------------------


def payment_snapshot(payment: SubcontractorPayment) -> dict:
    return {
        "contract": payment.member.contract.reference,
        "member": payment.member_id,
        "organisation": payment.member.organisation.name,
        "invoice_reference": payment.invoice_reference,
        "invoiced_on": payment.invoiced_on,
        "paid_on": payment.paid_on,
        "amount_pence": payment.amount_pence,
    }


def _check_paid_on(paid_on, invoiced_on, errors, day) -> None:
    if paid_on is None:
        return
    if paid_on > day:
        errors.setdefault("paid_on", []).append(_("The date paid must be today or in the past"))
    elif invoiced_on is not None and paid_on < invoiced_on:
        errors.setdefault("paid_on", []).append(_("The date paid must be on or after the date of the invoice"))


def record_payment(
    *,
    actor,
    member: SupplyChainMember,
    invoiced_on: date | None,
    amount_pence: int | None,
    paid_on: date | None = None,
    invoice_reference: str = "",
) -> SubcontractorPayment:
    """The lead provider records an invoice from a supply chain member, paid or not yet."""
    with transaction.atomic():
        member = SupplyChainMember.objects.select_related("contract__lead_provider", "organisation").get(pk=member.pk)
        _require_payer(actor, member.contract)
        day = today()
        errors: dict[str, list[str]] = {}
        if member.organisation_id == member.contract.lead_provider_id:
            errors["member"] = [_("Payments are recorded for the lead provider's subcontractors, not itself")]
        if invoiced_on is None:
            errors["invoiced_on"] = [_("Enter the date of the invoice")]
        elif invoiced_on > day:
            errors["invoiced_on"] = [_("The date of the invoice must be today or in the past")]
        if not isinstance(amount_pence, int) or isinstance(amount_pence, bool) or amount_pence <= 0:
            errors["amount_pence"] = [_("Enter the amount invoiced, more than £0")]
        elif amount_pence > MAX_AMOUNT_PENCE:
            errors["amount_pence"] = [_("Check the amount: it is too large")]
        _check_paid_on(paid_on, invoiced_on, errors, day)
        reference = (invoice_reference or "").strip()
        if len(reference) > 100:
            errors["invoice_reference"] = [_("The invoice reference must be 100 characters or fewer")]
        if errors:
            raise ValidationError(errors)
        payment = SubcontractorPayment.objects.create(
            member=member,
            invoice_reference=reference,
            invoiced_on=invoiced_on,
            paid_on=paid_on,
            amount_pence=amount_pence,
            recorded_by=actor,
        )
        audit.record(
            actor=actor, action="contracts.subcontractor_payment_recorded", obj=payment, after=payment_snapshot(payment)
        )
    return payment


def mark_paid(*, actor, payment: SubcontractorPayment, paid_on: date | None) -> SubcontractorPayment:
    """The lead provider records the day it paid an invoice it had recorded as not paid yet."""
    with transaction.atomic():
        payment = (
            SubcontractorPayment.objects.select_for_update(of=("self",))
            .select_related("member__contract__lead_provider", "member__organisation")
            .get(pk=payment.pk)
        )
        _require_payer(actor, payment.member.contract)
        if payment.paid_on is not None:
            raise ValidationError(
                _("This invoice was already recorded as paid on %(date)s") % {"date": format_uk_date(payment.paid_on)}
            )
        errors: dict[str, list[str]] = {}
        if paid_on is None:
            errors["paid_on"] = [_("Enter the date paid")]
        _check_paid_on(paid_on, payment.invoiced_on, errors, today())
        if errors:
            raise ValidationError(errors)
        before = payment_snapshot(payment)
        payment.paid_on = paid_on
        payment.save(update_fields=["paid_on"])
        audit.record(
            actor=actor,
            action="contracts.subcontractor_payment_paid",
            obj=payment,
            before=before,
            after=payment_snapshot(payment),
        )
    return payment


# The timeliness measure ---------------------------------------------------------------------------------------------


def with_days(payments: QuerySet, *, on: date | None = None) -> QuerySet:
    """Payments annotated, in the database, with `days` (a duration: paid_on - invoiced_on, or, not paid yet, the
    days from the invoice to `on`), `late` (more than 30 days) and `paid_on_time`."""
    day = on or today()
    limit = timedelta(days=PAYMENT_DAYS)
    return payments.annotate(
        days=ExpressionWrapper(
            Coalesce(F("paid_on"), Value(day, output_field=DateField())) - F("invoiced_on"),
            output_field=DurationField(),
        )
    ).annotate(
        late=Case(When(days__gt=limit, then=Value(True)), default=Value(False), output_field=BooleanField()),
        paid_on_time=Case(
            When(paid_on__isnull=False, days__lte=limit, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    )


def payment_days(payment) -> int:
    """Whole days to pay (or since the invoice, not paid yet), from the annotation or the dates."""
    days = getattr(payment, "days", None)
    if days is not None:
        return days.days
    return ((payment.paid_on or today()) - payment.invoiced_on).days


def _counts(qs: QuerySet) -> QuerySet:
    limit = timedelta(days=PAYMENT_DAYS)
    return qs.annotate(
        payments=Count("pk"),
        paid=Count("pk", filter=Q(paid_on__isnull=False)),
        paid_on_time=Count("pk", filter=Q(paid_on__isnull=False, days__lte=limit)),
        late=Count("pk", filter=Q(days__gt=limit)),
        late_unpaid=Count("pk", filter=Q(paid_on__isnull=True, days__gt=limit)),
        not_due=Count("pk", filter=Q(paid_on__isnull=True, days__lte=limit)),
        amount=Sum("amount_pence"),
    )


def _average(values: list[int]):
    if not values:
        return None
    return round(sum(values) / len(values), 1)


def _median(values: list[int]):
    return median(values) if values else None


def _paid_days(payments: QuerySet, key: str) -> dict:
    """key -> the days to pay of the paid payments (one query)."""
    out: dict = {}
    for group, days in payments.filter(paid_on__isnull=False).values_list(key, "days"):
        out.setdefault(group, []).append(days.days)
    return out


def member_timeliness(members, *, on: date | None = None) -> dict[int, dict]:
    """Per supply chain member (subcontract): payments, paid, paid on time (within 30 days), late (paid late, or not
    paid and invoiced more than 30 days ago), not due yet, amount, and the median and average days to pay of the
    payments made. Counts in the database; the median from one list of days. Two queries, whatever the number."""
    ids = [getattr(m, "pk", m) for m in members]
    payments = with_days(SubcontractorPayment.objects.filter(member_id__in=ids), on=on)
    rows = _counts(payments.values("member_id").order_by("member_id")).values(
        "member_id", "payments", "paid", "paid_on_time", "late", "late_unpaid", "not_due", "amount"
    )
    days = _paid_days(payments, "member_id")
    out = {}
    for pk in ids:
        out[pk] = {
            "payments": 0,
            "paid": 0,
            "paid_on_time": 0,
            "late": 0,
            "late_unpaid": 0,
            "not_due": 0,
            "amount": 0,
            "median_days": None,
            "average_days": None,
        }
    for row in rows:
        member_days = days.get(row["member_id"], [])
        out[row["member_id"]] = {
            **{k: row[k] for k in ("payments", "paid", "paid_on_time", "late", "late_unpaid", "not_due")},
            "amount": row["amount"] or 0,
            "median_days": _median(member_days),
            "average_days": _average(member_days),
        }
    return out


def provider_summary(contracts: QuerySet, *, on: date | None = None) -> list[dict]:
    """Per lead provider of `contracts`: its organisation, contracts, subcontracts (supply chain places current on
    the day, other than itself), subcontracts with payments recorded, payments, payments due (paid, or not paid and
    more than 30 days since the invoice), the share of those paid within 30 days, late payments and the median days
    to pay of the payments made. Sorted by the lead provider's name. A fixed number of queries."""
    from dynamic_framework.organisations.models import Organisation

    day = on or today()
    contract_ids = contracts.values("pk")
    places = (
        SupplyChainMember.objects.filter(contract_id__in=contract_ids)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .exclude(organisation_id=F("contract__lead_provider_id"))
        .values("contract__lead_provider_id")
        .order_by("contract__lead_provider_id")
        .annotate(n=Count("pk"))
    )
    place_counts = {row["contract__lead_provider_id"]: row["n"] for row in places}
    contract_counts = {
        row["lead_provider_id"]: row["n"]
        for row in Contract.objects.filter(pk__in=contract_ids)
        .values("lead_provider_id")
        .order_by("lead_provider_id")
        .annotate(n=Count("pk"))
    }
    payments = with_days(SubcontractorPayment.objects.filter(member__contract_id__in=contract_ids), on=day)
    key = "member__contract__lead_provider_id"
    rows = {
        row[key]: row
        for row in _counts(payments.values(key).order_by(key)).annotate(
            subcontracts_paid=Count("member_id", distinct=True)
        )
    }
    days = _paid_days(payments, key)
    leads = Organisation.objects.filter(pk__in=set(contract_counts)).order_by("name")
    out = []
    for lead in leads:
        row = rows.get(lead.pk, {})
        due = row.get("paid", 0) + row.get("late_unpaid", 0)
        on_time = row.get("paid_on_time", 0)
        out.append(
            {
                "organisation": lead,
                "contracts": contract_counts.get(lead.pk, 0),
                "subcontracts": place_counts.get(lead.pk, 0),
                "subcontracts_with_payments": row.get("subcontracts_paid", 0),
                "payments": row.get("payments", 0),
                "paid": row.get("paid", 0),
                "due": due,
                "paid_on_time": on_time,
                "share_on_time": round(100 * on_time / due, 1) if due else None,
                "late": row.get("late", 0),
                "late_unpaid": row.get("late_unpaid", 0),
                "median_days": _median(days.get(lead.pk, [])),
            }
        )
    return out
