"""Notices: what commissioners tell the lead providers of their contracts, passed on down the supply chains.

Writes (keyword arguments only, one transaction each, an audit event each, people told in the service):

    send_notice(actor=, kind=, title=, body=, contracts=, cascade_required=, public=)   a commissioner
    forward_notice(actor=, delivery=, note="")      the lead provider passes its delivery on to its supply chain
    acknowledge(actor=, delivery=)                  a member of the organisation it was delivered to, once
    send_reminders(today=None)                      the daily reminders (tasks.py, send-notice-reminders)

Deadlines are counted in working days (Monday to Friday, not England and Wales bank holidays: core/time.py) from
the UK date of the notice being sent (the cascade) or of the delivery (the acknowledgement). "Within 5 working days"
means on or before the 5th working day after that date: a notice sent on a Monday must be passed on by the next
Monday; one sent on a Saturday by the next Friday. See docs/adr/0015-notices-and-cascade-measure.md.

The cascade measure (cascade_measure) is over cascade-required notices: for each notice and each contract it was
about, the supply chain members current on the day it was sent (not the lead provider itself), and whether each
was reached (a delivery created for it) within 5 working days of the sending.
"""

import secrets
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dynamic_framework.accounts.models import PROVIDER_ROLES, Role, RoleGrant, User
from dynamic_framework.accounts.rules import commissioner_region_ids, grants_for, member_organisation_ids
from dynamic_framework.core import audit
from dynamic_framework.core.notifications import notify
from dynamic_framework.core.time import add_working_days, format_uk_date, is_working_day, to_uk, working_days_between

from .models import Contract, Notice, NoticeDelivery, SupplyChainMember

CASCADE_WORKING_DAYS = 5
ACKNOWLEDGE_WORKING_DAYS = 5
REMIND_AFTER_WORKING_DAYS = 3
TITLE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# Dates ----------


def uk_date(value: datetime) -> date:
    return to_uk(value).date()


def working_days_after(day: date, count: int) -> date:
    """The `count`th working day after `day` (count >= 1): Monday + 5 is the next Monday, Saturday + 5 the Friday."""
    return add_working_days(day, count if is_working_day(day) else count - 1)


def cascade_due_on(notice: Notice) -> date:
    """The last day the lead providers may pass the notice on and still reach their supply chain in time."""
    return working_days_after(uk_date(notice.sent_at), CASCADE_WORKING_DAYS)


def acknowledgement_due_on(delivery: NoticeDelivery) -> date:
    return working_days_after(uk_date(delivery.delivered_at), ACKNOWLEDGE_WORKING_DAYS)


def working_days_to_reach(notice: Notice, delivery: NoticeDelivery) -> int:
    """Working days from the day the notice was sent to the day this delivery was made (0: the same day)."""
    return working_days_between(uk_date(notice.sent_at), uk_date(delivery.delivered_at))


def is_current_member(member: SupplyChainMember, day: date) -> bool:
    return member.active_on(day) and member.organisation_id != member.contract.lead_provider_id


# Who is told ----------


def organisation_users(organisation_ids: Iterable[int]):
    """The active users who work for these organisations (provider administrators and staff)."""
    grants = RoleGrant.objects.active().filter(organisation_id__in=list(organisation_ids), role__in=PROVIDER_ROLES)
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def _notice_link(notice: Notice) -> str:
    return reverse("contracts:your-notices") + f"?notice={notice.reference}"


def _code() -> str:
    for _attempt in range(20):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
        reference = f"N-{code[:4]}-{code[4:]}"
        if not Notice.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not find a free reference")


def _text(value, field_name, message, max_length=None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field_name: message})
    if max_length and len(text) > max_length:
        raise ValidationError({field_name: _("This must be %(limit)s characters or fewer") % {"limit": max_length}})
    return text


def contract_ended(contract: Contract, today: date) -> str:
    """Why a notice can no longer be sent about the contract ("" if it can)."""
    if contract.terminated_on is not None and contract.terminated_on <= today:
        return _("%(contract)s was terminated on %(day)s, so there is nobody delivering it to tell") % {
            "contract": contract.reference,
            "day": format_uk_date(contract.terminated_on),
        }
    if contract.end_date is not None and contract.end_date < today:
        return _("%(contract)s ended on %(day)s, so there is nobody delivering it to tell") % {
            "contract": contract.reference,
            "day": format_uk_date(contract.end_date),
        }
    return ""


# Writes ----------


def send_notice(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    contracts: Iterable[Contract],
    cascade_required: bool,
    public: bool,
) -> Notice:
    """A commissioner sends a notice to the lead providers of some of their contracts (one delivery per contract)."""
    regions = commissioner_region_ids(actor)
    if not regions:
        raise ValidationError(_("Only commissioners can send notices"))
    errors = {}
    if kind not in Notice.Kind.values:
        errors["kind"] = _("Choose what kind of notice this is")
    for name, value, message, limit in (
        ("title", title, _("Enter a title"), TITLE_MAX_LENGTH),
        ("body", body, _("Enter what the notice says"), None),
    ):
        try:
            _text(value, name, message, limit)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    ids = sorted({getattr(c, "pk", c) for c in contracts or []})
    chosen = list(Contract.objects.filter(pk__in=ids).select_related("region", "lead_provider"))
    if not ids:
        errors["contracts"] = _("Choose at least one contract")
    else:
        today = timezone.localdate()
        problems = []
        for contract in chosen:
            if contract.region_id not in regions:
                problems.append(
                    _("You cannot send notices about %(contract)s: it is in %(region)s, where you do not commission")
                    % {"contract": contract.reference, "region": contract.region.name}
                )
            elif why := contract_ended(contract, today):
                problems.append(why)
        if len(chosen) != len(ids):
            problems.append(_("One of the contracts chosen does not exist"))
        if problems:
            errors["contracts"] = problems
    if errors:
        raise ValidationError(errors)
    region_ids = {c.region_id for c in chosen}
    if len(region_ids) == 1:
        region_id = region_ids.pop()
    else:
        from dynamic_framework.geography.models import Region

        region_id = Region.objects.filter(pk__in=regions).order_by("name").values_list("pk", flat=True).first()
    organisation_id = next((g.organisation_id for g in grants_for(actor, Role.COMMISSIONER) if g.organisation_id), None)
    with transaction.atomic():
        now = timezone.now()
        notice = Notice.objects.create(
            reference=_code(),
            kind=kind,
            title=title.strip(),
            body=body.strip(),
            cascade_required=bool(cascade_required),
            public=bool(public),
            sent_at=now,
            sent_by=actor,
            sent_by_organisation_id=organisation_id,
            region_id=region_id,
        )
        notice.contracts.set(chosen)
        NoticeDelivery.objects.bulk_create(
            [
                NoticeDelivery(
                    notice=notice,
                    organisation_id=contract.lead_provider_id,
                    contract=contract,
                    delivered_at=now,
                    delivered_by=actor,
                )
                for contract in chosen
            ]
        )
        audit.record(
            actor=actor,
            action="contracts.notice_sent",
            obj=notice,
            after={
                "reference": notice.reference,
                "kind": kind,
                "title": notice.title,
                "cascade_required": notice.cascade_required,
                "public": notice.public,
                "contracts": sorted(c.reference for c in chosen),
            },
        )
        due = format_uk_date(cascade_due_on(notice))
        body_text = (
            _("Pass it on to your supply chain by %(day)s, and acknowledge it.") % {"day": due}
            if notice.cascade_required
            else _("Please acknowledge it.")
        )
        notify(
            users=organisation_users({c.lead_provider_id for c in chosen}),
            title=_("New notice: %(title)s") % {"title": notice.title},
            body=body_text,
            link=_notice_link(notice),
        )
    return notice


def members_to_forward_to(delivery: NoticeDelivery, today: date | None = None) -> list[SupplyChainMember]:
    """The contract's current supply chain members this lead delivery has not yet been passed on to."""
    today = today or timezone.localdate()
    contract = delivery.contract
    reached = set(
        NoticeDelivery.objects.filter(notice_id=delivery.notice_id, contract_id=contract.pk).values_list(
            "organisation_id", flat=True
        )
    )
    members = (
        SupplyChainMember.objects.filter(contract=contract)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=today))
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .exclude(organisation_id=contract.lead_provider_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return [m for m in members if m.organisation_id not in reached]


def _is_lead_delivery(delivery: NoticeDelivery) -> bool:
    return delivery.forwarded_from_id is None and delivery.organisation_id == delivery.contract.lead_provider_id


def forward_notice(*, actor, delivery: NoticeDelivery, note: str = "") -> list[NoticeDelivery]:
    """The lead provider passes its delivery on to the members of the contract's supply chain it has not reached
    yet (any notice may be passed on; for cascade-required ones it is required and measured)."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            NoticeDelivery.objects.select_for_update(of=("self",))
            .select_related("notice", "contract")
            .get(pk=delivery.pk)
        )
        if locked.organisation_id not in member_organisation_ids(actor):
            raise ValidationError(_("Only people who work for the lead provider can pass this notice on"))
        if not _is_lead_delivery(locked):
            raise ValidationError(_("Only the lead provider can pass a notice on to its supply chain"))
        if len(note) > NOTE_MAX_LENGTH:
            raise ValidationError(
                {"note": _("The note must be %(limit)s characters or fewer") % {"limit": NOTE_MAX_LENGTH}}
            )
        members = members_to_forward_to(locked)
        if not members:
            already = NoticeDelivery.objects.filter(forwarded_from=locked).exists()
            raise ValidationError(
                _("You have already passed this notice on to everyone in the supply chain")
                if already
                else _("This contract has no current supply chain members to pass the notice on to")
            )
        now = timezone.now()
        created = [
            NoticeDelivery.objects.create(
                notice=locked.notice,
                organisation_id=member.organisation_id,
                contract=locked.contract,
                forwarded_from=locked,
                note=note,
                delivered_at=now,
                delivered_by=actor,
            )
            for member in members
        ]
        audit.record(
            actor=actor,
            action="contracts.notice_forwarded",
            obj=locked,
            after={
                "notice": locked.notice.reference,
                "contract": locked.contract.reference,
                "to": sorted(m.organisation.name for m in members),
                "note": note,
            },
        )
        notify(
            users=organisation_users({m.organisation_id for m in members}),
            title=_("New notice from your lead provider: %(title)s") % {"title": locked.notice.title},
            body=_("Please read and acknowledge it by %(day)s.")
            % {"day": format_uk_date(working_days_after(uk_date(now), ACKNOWLEDGE_WORKING_DAYS))},
            link=_notice_link(locked.notice),
        )
    return created


def acknowledge(*, actor, delivery: NoticeDelivery) -> NoticeDelivery:
    with transaction.atomic():
        locked = NoticeDelivery.objects.select_for_update(of=("self",)).select_related("notice").get(pk=delivery.pk)
        if locked.organisation_id not in member_organisation_ids(actor):
            raise ValidationError(_("Only people who work for the organisation it was sent to can acknowledge it"))
        if locked.acknowledged_at is not None:
            raise ValidationError(
                _("This notice was already acknowledged on %(day)s") % {"day": format_uk_date(locked.acknowledged_at)}
            )
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit.record(
            actor=actor,
            action="contracts.notice_acknowledged",
            obj=locked,
            after={"notice": locked.notice.reference, "acknowledged_at": locked.acknowledged_at},
        )
    return locked


# States ----------


@dataclass
class DeliveryState:
    """What is due and what is late about one delivery, worked out from its recorded times."""

    delivery: NoticeDelivery
    is_lead: bool
    acknowledge_by: date
    acknowledged_late: bool
    acknowledgement_overdue: bool
    forward_by: date | None = None
    to_forward: list = field(default_factory=list)  # current members not yet reached (lead deliveries)
    forwarded_to: int = 0
    cascade_overdue: bool = False
    cascade_late: bool = False  # passed on, but some members after the due date

    @property
    def overdue(self) -> bool:
        return self.acknowledgement_overdue or self.cascade_overdue


def delivery_states(deliveries: Iterable[NoticeDelivery], today: date | None = None) -> dict[int, DeliveryState]:
    """The state of each delivery (which must come with .notice and .contract), in two queries whatever the number:
    the deliveries of the same notices and contracts, and the contracts' supply chains."""
    today = today or timezone.localdate()
    deliveries = list(deliveries)
    leads = [d for d in deliveries if _is_lead_delivery(d)]
    forwards = defaultdict(list)
    members = defaultdict(list)
    if leads:
        pairs = Q()
        for d in leads:
            pairs |= Q(notice_id=d.notice_id, contract_id=d.contract_id)
        for other in NoticeDelivery.objects.filter(pairs).only(
            "notice_id", "contract_id", "organisation_id", "delivered_at"
        ):
            forwards[(other.notice_id, other.contract_id)].append(other)
        for member in SupplyChainMember.objects.filter(contract_id__in={d.contract_id for d in leads}).select_related(
            "organisation"
        ):
            members[member.contract_id].append(member)
    states = {}
    for d in deliveries:
        due = acknowledgement_due_on(d)
        state = DeliveryState(
            delivery=d,
            is_lead=_is_lead_delivery(d),
            acknowledge_by=due,
            acknowledged_late=d.acknowledged_at is not None and uk_date(d.acknowledged_at) > due,
            acknowledgement_overdue=d.acknowledged_at is None and today > due,
        )
        if state.is_lead:
            reached = {o.organisation_id: o for o in forwards[(d.notice_id, d.contract_id)]}
            state.forward_by = cascade_due_on(d.notice)
            current = [
                m
                for m in members[d.contract_id]
                if m.active_on(today) and m.organisation_id != d.contract.lead_provider_id
            ]
            state.to_forward = [m for m in current if m.organisation_id not in reached]
            state.forwarded_to = sum(
                1 for o in reached.values() if o.pk != d.pk and o.organisation_id != d.organisation_id
            )
            state.cascade_late = any(
                uk_date(o.delivered_at) > state.forward_by
                for o in reached.values()
                if o.organisation_id != d.organisation_id
            )
            state.cascade_overdue = d.notice.cascade_required and bool(state.to_forward) and today > state.forward_by
        states[d.pk] = state
    return states


@dataclass
class NoticeSummary:
    """A sent notice, for the commissioner: how many lead providers it reached and what they have done."""

    notice: Notice
    lead_providers: int = 0
    forwarded: int = 0  # lead providers that passed it on to every current member
    acknowledged: int = 0  # lead providers that acknowledged it
    members_reached: int = 0
    members_acknowledged: int = 0
    overdue_cascades: int = 0
    overdue_acknowledgements: int = 0
    due_on: date | None = None


def notice_summaries(notices: Iterable[Notice], today: date | None = None) -> list[NoticeSummary]:
    """Summaries of these notices in three queries: their deliveries, and delivery_states' two."""
    today = today or timezone.localdate()
    notices = list(notices)
    by_pk = {n.pk: n for n in notices}
    deliveries = list(
        NoticeDelivery.objects.filter(notice_id__in=list(by_pk)).select_related("contract", "organisation")
    )
    for d in deliveries:
        d.notice = by_pk[d.notice_id]
    states = delivery_states(deliveries, today)
    summaries = {n.pk: NoticeSummary(notice=n, due_on=cascade_due_on(n)) for n in notices}
    for d in deliveries:
        s, state = summaries[d.notice_id], states[d.pk]
        if state.is_lead:
            s.lead_providers += 1
            s.forwarded += int(not state.to_forward and state.forwarded_to > 0)
            s.acknowledged += int(d.acknowledged_at is not None)
            s.overdue_cascades += int(state.cascade_overdue)
        else:
            s.members_reached += 1
            s.members_acknowledged += int(d.acknowledged_at is not None)
        s.overdue_acknowledgements += int(state.acknowledgement_overdue)
    return [summaries[n.pk] for n in notices]


# The cascade measure ----------


@dataclass
class MeasureRow:
    """One lead provider's (or region's) figures over cascade-required notices.

    members: supply chain members to reach (one per notice, contract and member current when it was sent);
    reached_in_time: reached within 5 working days; reached_late: reached after; not_reached: not yet reached.
    share: reached_in_time / members (None when there were none). median_days: the median of the working days
    taken to reach the members that were reached (in time or late); members never reached are left out of it
    (they count only as not reached)."""

    key: object
    label: str
    code: str = ""  # the region's code or the lead provider's slug
    notices: int = 0
    members: int = 0
    reached_in_time: int = 0
    reached_late: int = 0
    not_reached: int = 0
    days: list = field(default_factory=list)
    _notice_ids: set = field(default_factory=set, repr=False)

    @property
    def share(self) -> float | None:
        return self.reached_in_time / self.members if self.members else None

    @property
    def percent(self) -> int | None:
        """The share as a whole percentage, rounded half up (2 of 3: 67)."""
        if not self.members:
            return None
        return (200 * self.reached_in_time + self.members) // (2 * self.members)

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def median_text(self) -> str:
        value = self.median_days
        if value is None:
            return ""
        return str(int(value)) if float(value).is_integer() else f"{value:.1f}"

    def add(self, notice_id: int, days: int | None) -> None:
        self._notice_ids.add(notice_id)
        self.notices = len(self._notice_ids)
        self.members += 1
        if days is None:
            self.not_reached += 1
        else:
            self.days.append(days)
            if days <= CASCADE_WORKING_DAYS:
                self.reached_in_time += 1
            else:
                self.reached_late += 1


@dataclass
class CascadeMeasure:
    overall: MeasureRow
    by_lead_provider: list[MeasureRow]
    by_region: list[MeasureRow]


def cascade_measure(*, regions: Iterable | None = None, notices=None) -> CascadeMeasure:
    """The 5-working-day cascade measure over cascade-required notices (optionally only those about contracts in
    `regions`, or of the `notices` queryset), per lead provider and per region, in three queries (four when a
    lead provider's copy went to another organisation than the contract's lead provider now: after a novation)."""
    qs = Notice.objects.filter(cascade_required=True) if notices is None else notices.filter(cascade_required=True)
    links = Notice.contracts.through.objects.filter(notice__in=qs).select_related(
        "notice", "contract__region", "contract__lead_provider"
    )
    if regions is not None:
        links = links.filter(contract__region__in=list(regions))
    links = list(links)
    contract_ids = {link.contract_id for link in links}
    notice_ids = {link.notice_id for link in links}
    members = defaultdict(list)
    for member in SupplyChainMember.objects.filter(contract_id__in=contract_ids).only(
        "contract_id", "organisation_id", "joined_on", "left_on"
    ):
        members[member.contract_id].append(member)
    deliveries = {}
    leads = {}
    from dynamic_framework.organisations.models import Organisation

    for d in NoticeDelivery.objects.filter(notice_id__in=notice_ids, contract_id__in=contract_ids).only(
        "notice_id", "contract_id", "organisation_id", "delivered_at", "forwarded_from_id"
    ):
        deliveries[(d.notice_id, d.contract_id, d.organisation_id)] = d
        if d.forwarded_from_id is None:
            leads[(d.notice_id, d.contract_id)] = d.organisation_id
    lead_ids = set(leads.values()) - {link.contract.lead_provider_id for link in links}
    names = (
        {o.pk: (o.name, o.slug) for o in Organisation.objects.filter(pk__in=lead_ids).only("name", "slug")}
        if lead_ids
        else {}
    )

    overall = MeasureRow(key=None, label=_("All regions"))
    by_lead, by_region = {}, {}
    for link in links:
        notice, contract = link.notice, link.contract
        sent_on = uk_date(notice.sent_at)
        lead_id = leads.get((notice.pk, contract.pk), contract.lead_provider_id)
        if lead_id == contract.lead_provider_id:
            lead_name, lead_slug = contract.lead_provider.name, contract.lead_provider.slug
        else:
            lead_name, lead_slug = names.get(lead_id, ("", ""))
        lead_row = by_lead.setdefault(lead_id, MeasureRow(key=lead_id, label=lead_name, code=lead_slug))
        region_row = by_region.setdefault(
            contract.region_id,
            MeasureRow(key=contract.region_id, label=contract.region.name, code=contract.region.code),
        )
        for member in members[contract.pk]:
            if not member.active_on(sent_on) or member.organisation_id in (lead_id, contract.lead_provider_id):
                continue
            delivery = deliveries.get((notice.pk, contract.pk, member.organisation_id))
            days = None if delivery is None else working_days_between(sent_on, uk_date(delivery.delivered_at))
            for row in (overall, lead_row, region_row):
                row.add(notice.pk, days)
    return CascadeMeasure(
        overall=overall,
        by_lead_provider=sorted(by_lead.values(), key=lambda r: r.label.lower()),
        by_region=sorted(by_region.values(), key=lambda r: r.label.lower()),
    )


def measure_row_json(row: MeasureRow) -> dict:
    """One row of the measure as the API gives it (the share as a fraction to 4 places; None when no members)."""
    return {
        "code": row.code or None,
        "name": row.label,
        "notices": row.notices,
        "members": row.members,
        "reached_within_5_working_days": row.reached_in_time,
        "reached_later": row.reached_late,
        "not_reached": row.not_reached,
        "share_reached_within_5_working_days": round(row.share, 4) if row.share is not None else None,
        "median_working_days": row.median_days,
    }


# Reminders ----------


@dataclass
class Reminder:
    delivery: NoticeDelivery
    acknowledge: bool
    forward: bool
    overdue: bool


def send_reminders(*, actor="system", today: date | None = None) -> list[Reminder]:
    """Remind the organisations that have not acknowledged a notice 3 working days after it reached them, and the
    lead providers that have not passed a cascade-required notice on to every current member 3 working days after
    it was sent; overdue ones say so. At most once per working day for each delivery (last_reminded_at), and only
    on working days. Run it daily, or more often: it sends nothing twice in a day."""
    today = today or timezone.localdate()
    if not is_working_day(today):
        return []
    candidates = list(
        NoticeDelivery.objects.filter(
            Q(acknowledged_at__isnull=True) | Q(forwarded_from__isnull=True, notice__cascade_required=True)
        )
        .filter(delivered_at__lt=timezone.now())
        .select_related("notice", "contract", "organisation")
        .order_by("pk")
    )
    states = delivery_states(candidates, today)
    sent = []
    for d in candidates:
        if d.last_reminded_at is not None and uk_date(d.last_reminded_at) >= today:
            continue
        state = states[d.pk]
        ack = (
            d.acknowledged_at is None
            and working_days_between(uk_date(d.delivered_at), today) >= REMIND_AFTER_WORKING_DAYS
        )
        fwd = (
            state.is_lead
            and d.notice.cascade_required
            and bool(state.to_forward)
            and working_days_between(uk_date(d.notice.sent_at), today) >= REMIND_AFTER_WORKING_DAYS
        )
        if not (ack or fwd):
            continue
        overdue = (ack and state.acknowledgement_overdue) or (fwd and state.cascade_overdue)
        with transaction.atomic():
            NoticeDelivery.objects.filter(pk=d.pk).update(last_reminded_at=timezone.now())
            audit.record(
                actor=actor,
                action="contracts.notice_reminder_sent",
                obj=d,
                after={
                    "notice": d.notice.reference,
                    "acknowledge": ack,
                    "pass_on": fwd,
                    "overdue": overdue,
                },
            )
            asks = []
            if fwd:
                asks.append(
                    _("pass it on to %(count)s member(s) of your supply chain by %(day)s")
                    % {"count": len(state.to_forward), "day": format_uk_date(state.forward_by)}
                )
            if ack:
                asks.append(_("acknowledge it by %(day)s") % {"day": format_uk_date(state.acknowledge_by)})
            prefix = _("Overdue") if overdue else _("Reminder")
            notify(
                users=organisation_users([d.organisation_id]),
                title=_("%(prefix)s: notice %(title)s") % {"prefix": prefix, "title": d.notice.title},
                body=_("Please %(asks)s.") % {"asks": _(" and ").join(asks)},
                link=_notice_link(d.notice),
            )
        sent.append(Reminder(delivery=d, acknowledge=ack, forward=fwd, overdue=overdue))
    return sent
