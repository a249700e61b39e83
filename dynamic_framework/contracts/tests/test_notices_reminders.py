"""Notice reminders: after 3 working days, at most once a working day, overdue ones flagged (send_reminders, the
send_notice_reminders task and command)."""

from io import StringIO

import pytest
from django.core.management import call_command

from dynamic_framework.contracts import notices, tasks
from dynamic_framework.core.models import AuditEvent, Notification

from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build(subs=2)


def reminders_on(day):
    with travel(day):
        return notices.send_reminders()


def titles(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


def test_the_reminder_schedule(w):
    with travel(uk(2026, 3, 2, 10)):  # Monday
        notice = w.send(cascade_required=True)
    assert reminders_on(uk(2026, 3, 3, 9)) == []  # 1 working day
    assert reminders_on(uk(2026, 3, 4, 9)) == []  # 2
    (first,) = reminders_on(uk(2026, 3, 5, 9))  # 3: pass it on and acknowledge it
    assert first.forward and first.acknowledge and not first.overdue
    assert titles(w.prime_user)[-1] == "Reminder: notice Changes to referrals"
    body = Notification.objects.filter(user=w.prime_user).latest("pk").body
    assert "pass it on to 2 member(s) of your supply chain by 9 March 2026" in body
    assert "acknowledge it by 9 March 2026" in body
    assert reminders_on(uk(2026, 3, 5, 16)) == []  # once a working day at most
    assert len(reminders_on(uk(2026, 3, 6, 9))) == 1  # Friday: again
    assert reminders_on(uk(2026, 3, 7, 9)) == []  # Saturday: never
    assert reminders_on(uk(2026, 3, 9, 9))[0].overdue is False  # the due day itself
    (overdue,) = reminders_on(uk(2026, 3, 10, 9))
    assert overdue.overdue
    assert titles(w.prime_user)[-1] == "Overdue: notice Changes to referrals"
    assert AuditEvent.objects.filter(action="contracts.notice_reminder_sent").count() == 4

    # Passed on and acknowledged on Tuesday 10th: the lead is not reminded again; the members are 3 working days on.
    with travel(uk(2026, 3, 10, 11)):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(notice))
        notices.acknowledge(actor=w.prime_user, delivery=w.lead_delivery(notice))
    assert reminders_on(uk(2026, 3, 12, 9)) == []
    members = reminders_on(uk(2026, 3, 13, 9))
    assert sorted(r.delivery.organisation.name for r in members) == ["Sub A", "Sub B"]
    assert all(r.acknowledge and not r.forward and not r.overdue for r in members)
    assert titles(w.sub_users[0])[-1] == "Reminder: notice Changes to referrals"
    with travel(uk(2026, 3, 13, 12)):
        notices.acknowledge(actor=w.sub_users[0], delivery=notice.deliveries.get(organisation=w.subs[0]))
    (late,) = reminders_on(uk(2026, 3, 18, 9))  # Sub B: 6 working days on, overdue
    assert late.delivery.organisation == w.subs[1] and late.overdue


def test_a_notice_not_to_be_passed_on_only_asks_for_acknowledgement(w):
    with travel(uk(2026, 3, 2, 10)):
        w.send(cascade_required=False)
    (reminder,) = reminders_on(uk(2026, 3, 5, 9))
    assert reminder.acknowledge and not reminder.forward
    assert "pass it on" not in Notification.objects.filter(user=w.prime_user).latest("pk").body


def test_bank_holidays_are_not_working_days(w):
    with travel(uk(2026, 4, 1, 10)):  # Wednesday before Easter
        w.send()
    assert reminders_on(uk(2026, 4, 3, 9)) == []  # Good Friday
    assert reminders_on(uk(2026, 4, 6, 9)) == []  # Easter Monday
    assert reminders_on(uk(2026, 4, 7, 9)) == []  # Thursday 2, Tuesday 7: 2 working days
    assert len(reminders_on(uk(2026, 4, 8, 9))) == 1


def test_the_command_and_the_task(w):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    with travel(uk(2026, 3, 5, 9)):
        out = StringIO()
        call_command("send_notice_reminders", stdout=out)
    assert f"Reminded Prime Partnership to pass on and acknowledge {notice.reference} for NOT-1" in out.getvalue()
    assert "1 reminder sent" in out.getvalue()
    with travel(uk(2026, 3, 6, 9)):
        out = StringIO()
        call_command("send_notice_reminders", "--today", "2026-03-10", stdout=out)
    assert "(overdue)" in out.getvalue()
    with travel(uk(2026, 3, 11, 9)):
        result = tasks.send_notice_reminders.enqueue()
    assert result.return_value == 1
    with pytest.raises(Exception, match="not a date"):
        call_command("send_notice_reminders", "--today", "soon")


def test_the_console_script_lists_the_command_and_passes_it_through(w, capsys):
    from dynamic_framework import cli

    assert "dynamic-framework send-notice-reminders [--today YYYY-MM-DD]" in cli.__doc__
    with travel(uk(2026, 3, 7, 9)):  # a Saturday: nothing is sent
        assert cli.main(["send-notice-reminders"]) == 0
    assert "0 reminders sent" in capsys.readouterr().out


def test_the_command_can_queue_the_task(w):
    out = StringIO()
    call_command("send_notice_reminders", "--background", stdout=out)
    assert "Notice reminders queued" in out.getvalue()
