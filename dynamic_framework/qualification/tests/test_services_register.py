"""The register's services (suspend, reinstate, remove, withdraw, confirm details, reminders) with their refusals
and audit events, the reminder command, and the selectors the register pages and the API use."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.models import Specialism
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import selectors, services
from dynamic_framework.qualification.models import (
    ConfirmationReminder,
    DetailsConfirmation,
    Framework,
    Qualification,
    Suspension,
    add_months,
)
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="services.manager@example.org")


@pytest.fixture
def on_register(manager):
    org = ProviderFactory(name="Riverside Women's Centre", slug="riverside")
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=org, email="admin@riverside.example"))
    q.qualified_application(org, admin, user_with_role("evaluator"), manager)
    return {
        "org": org,
        "admin": admin,
        "women": Qualification.objects.get(organisation=org, category__slug="women"),
        "wellbeing": Qualification.objects.get(organisation=org, category__slug="emotional-wellbeing"),
    }


def events(action):
    return list(AuditEvent.objects.filter(action=action))


# Suspend and reinstate -------------------------------------------------------------------------------------


def test_suspend_and_reinstate(on_register, manager, mailoutbox, django_capture_on_commit_callbacks):
    women = on_register["women"]
    with django_capture_on_commit_callbacks(execute=True):
        suspension = services.suspend_qualification(actor=manager, qualification=women, reason=" Lapsed insurance. ")
    assert suspension.reason == "Lapsed insurance." and suspension.lifted_at is None
    assert not Qualification.objects.active().filter(pk=women.pk).exists()
    assert Qualification.objects.current().filter(pk=women.pk).exists()  # still on the register
    (event,) = events("qualification.suspended")
    assert event.after["reason"] == "Lapsed insurance." and event.after["category"] == "women"
    assert [m.to for m in mailoutbox if "suspended" in m.body] == [["admin@riverside.example"]]

    lifted = services.reinstate_qualification(actor=manager, qualification=women, note="Certificate seen.")
    assert lifted.pk == suspension.pk and lifted.lifted_by == manager and lifted.lift_note == "Certificate seen."
    assert Qualification.objects.active().filter(pk=women.pk).exists()
    assert len(events("qualification.reinstated")) == 1
    # It can be suspended again later: the earlier suspension stays as history
    services.suspend_qualification(actor=manager, qualification=women, reason="Another complaint.")
    assert Suspension.objects.filter(qualification=women).count() == 2


def test_suspending_twice_is_refused(on_register, manager):
    women = on_register["women"]
    services.suspend_qualification(actor=manager, qualification=women, reason="Lapsed insurance.")
    with pytest.raises(ValidationError, match="already suspended"):
        services.suspend_qualification(actor=manager, qualification=women, reason="Again.")
    assert Suspension.objects.filter(qualification=women).count() == 1
    assert len(events("qualification.suspended")) == 1


def test_a_suspension_needs_a_reason(on_register, manager):
    with pytest.raises(ValidationError) as raised:
        services.suspend_qualification(actor=manager, qualification=on_register["women"], reason=" ")
    assert raised.value.message_dict == {"reason": ["Say why the qualification is suspended"]}
    with pytest.raises(ValidationError) as raised:
        services.suspend_qualification(actor=manager, qualification=on_register["women"], reason="word " * 501)
    assert "500 words or fewer" in raised.value.message_dict["reason"][0]
    assert not Suspension.objects.exists()


def test_reinstating_one_that_is_not_suspended_is_refused(on_register, manager):
    with pytest.raises(ValidationError, match="not suspended"):
        services.reinstate_qualification(actor=manager, qualification=on_register["women"], note="Why not.")
    with pytest.raises(ValidationError) as raised:
        services.reinstate_qualification(actor=manager, qualification=on_register["women"], note="")
    assert raised.value.message_dict == {"note": ["Say why the qualification is reinstated"]}
    assert not events("qualification.reinstated")


# Remove and withdraw ---------------------------------------------------------------------------------------


def test_remove(on_register, manager):
    women = services.remove_qualification(actor=manager, qualification=on_register["women"], reason="Fraud.")
    assert women.ending == Qualification.Ending.REMOVED and women.ended_by == manager
    assert not Qualification.objects.current().filter(pk=women.pk).exists()
    (event,) = events("qualification.removed")
    assert event.after == {"organisation": "riverside", "category": "women", "reason": "Fraud."}


def test_withdraw_and_then_an_ended_one_is_refused(on_register, manager):
    admin, women = on_register["admin"], on_register["women"]
    services.withdraw_qualification(actor=admin, qualification=women, reason="We closed the service.")
    women.refresh_from_db()
    assert women.ending == Qualification.Ending.WITHDRAWN and women.ending_reason == "We closed the service."
    assert len(events("qualification.withdrawn")) == 1
    for call in (
        lambda: services.withdraw_qualification(actor=admin, qualification=women, reason="Again."),
        lambda: services.remove_qualification(actor=manager, qualification=women, reason="Again."),
        lambda: services.suspend_qualification(actor=manager, qualification=women, reason="Again."),
        lambda: services.reinstate_qualification(actor=manager, qualification=women, note="Again."),
    ):
        with pytest.raises(ValidationError, match="has ended"):
            call()
    assert len(events("qualification.withdrawn")) == 1 and not events("qualification.removed")


def test_withdrawal_needs_a_reason(on_register):
    with pytest.raises(ValidationError) as raised:
        services.withdraw_qualification(actor=on_register["admin"], qualification=on_register["women"], reason="")
    assert raised.value.message_dict == {"reason": ["Tell us why you are withdrawing"]}


def test_a_provider_that_withdrew_can_apply_and_qualify_again(on_register, manager):
    org, admin = on_register["org"], on_register["admin"]
    services.withdraw_qualification(actor=admin, qualification=on_register["women"], reason="A pause.")
    q.qualified_application(org, admin, user_with_role("evaluator"), manager, categories=("women",))
    assert Qualification.objects.current().filter(organisation=org, category__slug="women").count() == 1
    assert Qualification.objects.filter(organisation=org, category__slug="women").count() == 2


# Confirming details ----------------------------------------------------------------------------------------


def test_confirmation_is_due_a_year_after_qualifying_then_after_each_confirmation(on_register, framework):
    org, admin = on_register["org"], on_register["admin"]
    first = min(q.qualified_at for q in Qualification.objects.filter(organisation=org))
    expected = add_months(timezone.localtime(first).date(), 12)
    assert services.confirmation_due_on(framework=framework, organisation=org) == expected
    confirmation = services.confirm_details(actor=admin, framework=framework, organisation=org, outcome="updated")
    DetailsConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=timezone.now() + timedelta(days=40))
    later = add_months((timezone.localdate() + timedelta(days=40)), 12)
    assert services.confirmation_due_on(framework=framework, organisation=org) == later
    (event,) = events("qualification.details_confirmed")
    assert event.after == {"organisation": "riverside", "outcome": "updated"}


def test_confirming_when_not_qualified_is_refused(framework, reference_data):
    org = ProviderFactory()
    admin = user_with_role("provider_administrator", organisation=org)
    assert services.confirmation_due_on(framework=framework, organisation=org) is None
    with pytest.raises(ValidationError, match="nothing to confirm"):
        services.confirm_details(actor=admin, framework=framework, organisation=org, outcome="still_accurate")
    assert not DetailsConfirmation.objects.exists()
    assert not events("qualification.details_confirmed")


def test_confirming_with_an_unknown_outcome_is_refused(on_register, framework):
    with pytest.raises(ValidationError) as raised:
        services.confirm_details(
            actor=on_register["admin"], framework=framework, organisation=on_register["org"], outcome="maybe"
        )
    assert "outcome" in raised.value.message_dict


# Reminders -------------------------------------------------------------------------------------------------


def test_reminders_are_sent_once_per_due_date_and_again_for_the_next_year(
    on_register, framework, mailoutbox, django_capture_on_commit_callbacks
):
    org, admin = on_register["org"], on_register["admin"]
    due = services.confirmation_due_on(framework=framework, organisation=org)
    # More than 30 days before: nothing
    assert services.send_confirmation_reminders(today=due - timedelta(days=31)) == []
    # 30 days before: one reminder, by email, with an audit event
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_confirmation_reminders(today=due - timedelta(days=30)) == [(org, due)]
    reminders = [m for m in mailoutbox if "confirm-your-details" in m.body]
    assert len(reminders) == 1 and reminders[0].to == ["admin@riverside.example"]
    (event,) = events("qualification.confirmation_reminder_sent")
    assert event.after == {"framework": framework.slug, "due_on": due.isoformat()}
    # Not again for the same due date, even when overdue
    assert services.send_confirmation_reminders(today=due - timedelta(days=5)) == []
    assert services.send_confirmation_reminders(today=due + timedelta(days=10)) == []
    assert ConfirmationReminder.objects.count() == 1
    # Confirmed 10 days before it was due: the next due date is a year on, and is reminded about once
    confirmation = services.confirm_details(
        actor=admin, framework=framework, organisation=org, outcome="still_accurate"
    )
    confirmed_on = due - timedelta(days=10)
    DetailsConfirmation.objects.filter(pk=confirmation.pk).update(
        confirmed_at=timezone.make_aware(datetime.combine(confirmed_on, time(12)))
    )
    next_due = services.confirmation_due_on(framework=framework, organisation=org)
    assert next_due == add_months(confirmed_on, 12)
    assert services.send_confirmation_reminders(today=next_due - timedelta(days=1)) == [(org, next_due)]
    assert services.send_confirmation_reminders(today=next_due) == []
    assert ConfirmationReminder.objects.count() == 2
    assert len(events("qualification.confirmation_reminder_sent")) == 2


def test_reminders_go_to_suspended_but_not_to_ended_qualifications(on_register, framework, manager):
    org = on_register["org"]
    due = services.confirmation_due_on(framework=framework, organisation=org)
    for qualification in (on_register["women"], on_register["wellbeing"]):
        services.suspend_qualification(actor=manager, qualification=qualification, reason="A complaint.")
    assert services.send_confirmation_reminders(today=due) == [(org, due)]

    other = ProviderFactory(name="Withdrawn Org", slug="withdrawn-org")
    other_admin = q.confirm_email(user_with_role("provider_administrator", organisation=other))
    q.qualified_application(other, other_admin, user_with_role("evaluator"), manager)
    for qualification in Qualification.objects.filter(organisation=other):
        services.withdraw_qualification(actor=other_admin, qualification=qualification, reason="Closing.")
    assert services.send_confirmation_reminders(today=due) == []


# The command -----------------------------------------------------------------------------------------------


def test_command_prints_each_reminder_and_a_total(on_register, framework):
    due = services.confirmation_due_on(framework=framework, organisation=on_register["org"])
    out = StringIO()
    call_command("send_confirmation_reminders", "--today", (due - timedelta(days=3)).isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        f"Reminded Riverside Women's Centre (riverside): confirmation due by {due.isoformat()}",
        "1 reminder sent",
    ]
    out = StringIO()
    call_command("send_confirmation_reminders", "--today", (due - timedelta(days=3)).isoformat(), stdout=out)
    assert out.getvalue().splitlines() == ["0 reminders sent"]


def test_command_without_a_date_uses_today(on_register):
    out = StringIO()
    call_command("send_confirmation_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["0 reminders sent"]  # qualified today: due in a year


def test_command_refuses_a_bad_date(reference_data):
    with pytest.raises(CommandError, match="not a date like"):
        call_command("send_confirmation_reminders", "--today", "31/12/2026", stdout=StringIO())


def test_console_script_lists_the_command():
    from dynamic_framework import cli

    assert "dynamic-framework send-confirmation-reminders [--today YYYY-MM-DD]" in cli.__doc__


# Selectors -------------------------------------------------------------------------------------------------


def test_the_framework_is_the_first_set_up_even_when_a_later_one_starts_earlier(framework):
    Framework.objects.create(
        slug="later", name="Later framework", purpose="x", starts_on=date(2001, 1, 1), ends_on=date(2002, 1, 1)
    )
    assert selectors.the_framework() == framework


def test_effective_end_uses_prefetched_extensions(framework):
    with CaptureQueriesContext(connection) as queries:
        loaded = selectors.the_framework()
    count = len(queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        assert loaded.effective_end == framework.ends_on
    assert len(queries.captured_queries) == 0, "effective_end read the extensions again"
    assert count == 3  # the framework, its categories, its extensions


def test_register_specialism_filter_matches_any_of_them(on_register, framework):
    org = on_register["org"]
    womens = Specialism.objects.get(slug="womens-organisation")
    org.specialisms.set([womens])
    filters = selectors.RegisterFilters(specialism=["womens-organisation", "welsh-organisation"])
    assert list(selectors.register(framework, filters)) == [org]
    filters = selectors.RegisterFilters(specialism=["welsh-organisation"])
    assert list(selectors.register(framework, filters)) == []


def test_applications_visible_to_each_role(on_register, framework, manager):
    org, admin = on_register["org"], on_register["admin"]
    decided = org.framework_applications.get()
    draft = q.draft_application(org, admin)
    other = ProviderFactory()
    other_admin = q.confirm_email(user_with_role("provider_administrator", organisation=other))
    other_draft = q.draft_application(other, other_admin)
    evaluator = user_with_role("evaluator")
    third = ProviderFactory()
    third_admin = q.confirm_email(user_with_role("provider_administrator", organisation=third))
    assigned = q.assigned_application(third, third_admin, evaluator, manager=manager)

    def visible(user):
        return set(selectors.applications_visible_to(user).values_list("reference", flat=True))

    assert visible(admin) == {decided.reference, draft.reference}
    assert visible(user_with_role("provider_staff", organisation=org)) == {decided.reference, draft.reference}
    assert visible(manager) == {decided.reference, assigned.reference}  # submitted ones; no one's drafts
    assert visible(evaluator) == {assigned.reference}
    assert visible(other_admin) == {other_draft.reference}
    assert visible(user_with_role("platform_administrator")) == set()
    assert visible(user_with_role("commissioner")) == set()

    # An assessor who declares a conflict no longer sees the application assigned to them
    services.declare_conflict(actor=evaluator, organisation=assigned.organisation, reason="My sister runs it.")
    evaluator = type(evaluator).objects.get(pk=evaluator.pk)
    assert visible(evaluator) == set()
