"""Notices: sending, passing on, acknowledging, deadlines and overdue flags (contracts/notices.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import notices
from dynamic_framework.contracts.models import Notice, NoticeDelivery, SupplyChainMember
from dynamic_framework.core.models import AuditEvent, Notification
from dynamic_framework.geography.models import Region

from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build()


def test_sending_delivers_to_each_contracts_lead_provider_and_tells_them(w):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send([w.contract, w.second], cascade_required=True, public=False)
    assert notice.reference.startswith("N-") and len(notice.reference) == 11
    assert notice.region.code == "A"
    assert notice.sent_by_organisation == w.commissioning_body
    assert not notice.public and notice.cascade_required
    deliveries = list(notice.deliveries.order_by("contract__reference"))
    assert [(d.contract.reference, d.organisation) for d in deliveries] == [("NOT-1", w.prime), ("NOT-2", w.prime)]
    assert all(d.forwarded_from_id is None and d.delivered_by == w.commissioner for d in deliveries)
    told = Notification.objects.get(user=w.prime_user)
    assert "Changes to referrals" in told.title and "9 March 2026" in told.body
    assert not Notification.objects.filter(user__in=w.sub_users).exists()
    event = AuditEvent.objects.get(action="contracts.notice_sent")
    assert event.after["contracts"] == ["NOT-1", "NOT-2"]


def test_the_region_is_the_commissioners_first_when_contracts_span_regions(reference_data):
    w = NoticeWorld.build()
    both = [Region.objects.get(code="A"), Region.objects.get(code="B")]
    commissioner = user_with_role(Role.COMMISSIONER, regions=both)
    notice = w.send([w.contract, w.elsewhere], actor=commissioner)
    assert notice.region == min(both, key=lambda r: r.name)
    assert notice.sent_by_organisation is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title"),
        ({"body": ""}, "body", "Enter what the notice says"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"kind": "gossip"}, "kind", "Choose what kind"),
        ({"contracts": []}, "contracts", "Choose at least one contract"),
    ],
)
def test_bad_input_is_refused_on_its_field(w, change, field, message):
    kwargs = {"contracts": [w.contract], **change}
    contracts = kwargs.pop("contracts")
    with pytest.raises(ValidationError) as caught:
        w.send(contracts, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Notice.objects.exists() and not AuditEvent.objects.filter(action__startswith="contracts.").exists()


def test_contracts_outside_the_commissioners_regions_are_refused(w):
    with pytest.raises(ValidationError) as caught:
        w.send([w.contract, w.elsewhere])
    assert "NOT-B" in caught.value.message_dict["contracts"][0]
    assert "North West" in caught.value.message_dict["contracts"][0]
    assert not Notice.objects.exists()


def test_ended_and_terminated_contracts_are_refused_with_the_reason(w):
    w.second.end_date = date(2026, 1, 31)
    w.second.save()
    w.contract.terminated_on, w.contract.termination_reason = date(2026, 2, 1), "Provider closed"
    w.contract.save()
    with travel(uk(2026, 3, 2)), pytest.raises(ValidationError) as caught:
        w.send([w.contract, w.second])
    messages = " ".join(caught.value.message_dict["contracts"])
    assert "NOT-1 was terminated on 1 February 2026" in messages
    assert "NOT-2 ended on 31 January 2026" in messages


def test_only_commissioners_send(w):
    with pytest.raises(ValidationError, match="Only commissioners"):
        w.send(actor=w.prime_user)


def test_passing_on_reaches_current_members_once(w):
    # Sub C left before the notice; a past place of the lead provider's own organisation is not a member to reach.
    w.members[2].left_on = date(2026, 2, 27)
    w.members[2].save()
    with travel(uk(2026, 3, 2)):
        notice = w.send()
    lead = w.lead_delivery(notice)
    with travel(uk(2026, 3, 4)):
        created = notices.forward_notice(actor=w.prime_user, delivery=lead, note="  Please read by Friday ")
    assert sorted(d.organisation.name for d in created) == ["Sub A", "Sub B"]
    assert all(d.forwarded_from == lead and d.note == "Please read by Friday" for d in created)
    assert Notification.objects.filter(user__in=w.sub_users[:2]).count() == 2
    assert not Notification.objects.filter(user=w.sub_users[2]).exists()
    with pytest.raises(ValidationError, match="already passed this notice on to everyone"):
        notices.forward_notice(actor=w.prime_user, delivery=lead)
    # A member who joins later is reached by passing it on again, and only they are.
    with travel(uk(2026, 3, 5)):
        SupplyChainMember.objects.create(contract=w.contract, organisation=w.subs[2], joined_on=date(2026, 3, 5))
        again = notices.forward_notice(actor=w.prime_user, delivery=lead)
    assert [d.organisation for d in again] == [w.subs[2]]
    assert AuditEvent.objects.filter(action="contracts.notice_forwarded").count() == 2


def test_any_notice_may_be_passed_on(w):
    notice = w.send(cascade_required=False)
    created = notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(notice))
    assert len(created) == 3


def test_passing_on_is_refused_to_others_and_for_members_copies(w):
    notice = w.send()
    lead = w.lead_delivery(notice)
    with pytest.raises(ValidationError, match="Only people who work for the lead provider"):
        notices.forward_notice(actor=w.sub_users[0], delivery=lead)
    created = notices.forward_notice(actor=w.prime_user, delivery=lead)
    with pytest.raises(ValidationError, match="Only the lead provider can pass"):
        notices.forward_notice(actor=w.sub_users[0], delivery=created[0])
    with pytest.raises(ValidationError) as caught:
        notices.forward_notice(actor=w.prime_user, delivery=lead, note="x" * 2001)
    assert "note" in caught.value.message_dict


def test_passing_on_with_no_supply_chain_says_so(w):
    notice = w.send([w.second])
    with pytest.raises(ValidationError, match="no current supply chain members"):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(notice, w.second))
    assert not NoticeDelivery.objects.filter(forwarded_from__isnull=False).exists()


def test_acknowledging_once_by_the_recipient(w):
    notice = w.send()
    lead = w.lead_delivery(notice)
    with pytest.raises(ValidationError, match="Only people who work for the organisation"):
        notices.acknowledge(actor=w.sub_users[0], delivery=lead)
    with pytest.raises(ValidationError, match="Only people who work for the organisation"):
        notices.acknowledge(actor=w.commissioner, delivery=lead)
    with travel(uk(2026, 3, 3, 9)):
        done = notices.acknowledge(actor=w.prime_user, delivery=lead)
    assert done.acknowledged_by == w.prime_user
    with pytest.raises(ValidationError, match="already acknowledged on 3 March 2026"):
        notices.acknowledge(actor=w.prime_user, delivery=lead)
    assert AuditEvent.objects.filter(action="contracts.notice_acknowledged").count() == 1


def test_deadlines_count_working_days_and_bank_holidays():
    assert notices.working_days_after(date(2026, 3, 2), 5) == date(2026, 3, 9)  # Monday: the next Monday
    assert notices.working_days_after(date(2026, 3, 7), 5) == date(2026, 3, 13)  # Saturday: the Friday
    # Sent Thursday 2 April 2026: Good Friday and Easter Monday are bank holidays
    assert notices.working_days_after(date(2026, 4, 2), 5) == date(2026, 4, 13)


def test_overdue_and_late_flags(w):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    lead = w.lead_delivery(notice)
    lead.notice = notice

    def state(delivery, day):
        delivery.refresh_from_db()
        return notices.delivery_states([delivery], day)[delivery.pk]

    on_time = state(lead, date(2026, 3, 9))
    assert on_time.forward_by == date(2026, 3, 9) and on_time.acknowledge_by == date(2026, 3, 9)
    assert not on_time.overdue and len(on_time.to_forward) == 3
    late = state(lead, date(2026, 3, 10))
    assert late.cascade_overdue and late.acknowledgement_overdue
    with travel(uk(2026, 3, 11)):
        created = notices.forward_notice(actor=w.prime_user, delivery=lead)
        notices.acknowledge(actor=w.prime_user, delivery=lead)
    after = state(lead, date(2026, 3, 12))
    assert not after.cascade_overdue and after.cascade_late and after.forwarded_to == 3
    assert after.acknowledged_late and not after.acknowledgement_overdue
    member = created[0]
    assert state(member, date(2026, 3, 18)).acknowledge_by == date(2026, 3, 18)
    assert not state(member, date(2026, 3, 18)).overdue
    assert state(member, date(2026, 3, 19)).acknowledgement_overdue


def test_a_notice_not_required_to_be_passed_on_is_never_overdue_for_it(w):
    with travel(uk(2026, 3, 2)):
        notice = w.send(cascade_required=False)
    lead = w.lead_delivery(notice)
    state = notices.delivery_states([lead], date(2026, 4, 1))[lead.pk]
    assert not state.cascade_overdue and state.acknowledgement_overdue


def test_notice_summaries(w, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2)):
        first = w.send([w.contract, w.second])
        second = w.send([w.contract], cascade_required=False)
    with travel(uk(2026, 3, 3)):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(first))
        notices.acknowledge(actor=w.sub_users[0], delivery=first.deliveries.get(organisation=w.subs[0]))
    with django_assert_max_num_queries(3):
        one, two = notices.notice_summaries([first, second], today=date(2026, 3, 20))
    assert (one.lead_providers, one.forwarded, one.acknowledged) == (2, 1, 0)
    assert (one.members_reached, one.members_acknowledged) == (3, 1)
    # NOT-2 has no supply chain, so nothing is overdue to pass on; every unacknowledged copy is overdue
    assert one.overdue_cascades == 0 and one.overdue_acknowledgements == 4
    assert (two.lead_providers, two.forwarded, two.overdue_acknowledgements) == (1, 0, 1)
