import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from dynamic_framework.core import audit
from dynamic_framework.core.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db(transaction=False)


def _record(n=3):
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(
                audit.record(
                    actor="system",
                    action="test.happened",
                    object_type="thing",
                    object_id=i,
                    before={"n": i},
                    after={"n": i + 1, "name": "Café £5"},
                )
            )
    return events


def test_events_are_chained():
    events = _record(3)
    assert events[0].previous_hash == audit.GENESIS_HASH
    assert events[1].previous_hash == events[0].hash
    assert events[2].previous_hash == events[1].hash
    assert len({e.hash for e in events}) == 3
    result = audit.verify_chain()
    assert result.ok and result.checked == 3


def test_hash_covers_the_stored_values():
    (event,) = _record(1)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert audit.compute_hash(stored.previous_hash, stored) == stored.hash


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record(actor="system", action="test.happened")


def test_a_failed_transaction_leaves_no_event():
    with pytest.raises(ValueError), transaction.atomic():
        audit.record(actor="system", action="test.happened")
        raise ValueError("the change failed")
    assert AuditEvent.objects.count() == 0


def test_the_application_cannot_update_or_delete_events():
    (event,) = _record(1)
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_rejects_update_and_delete():
    (event,) = _record(1)
    table = AuditEvent._meta.db_table
    for sql in (f"UPDATE {table} SET action = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.happened"


def _tamper(event_id, new_action):
    """Change a stored event behind the application's back, as an attacker with database access could."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER core_auditevent_append_only")
            cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", [new_action, event_id])
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER core_auditevent_append_only")
        else:
            cursor.execute("DROP TRIGGER core_auditevent_no_update")
            cursor.execute(f"UPDATE {table} SET action = %s WHERE id = %s", [new_action, event_id])


@pytest.mark.django_db(transaction=True)
def test_tampering_with_one_event_is_detected_by_verify_audit(capsys):
    events = _record(5)
    call_command("verify_audit")
    assert "5 events verified" in capsys.readouterr().out

    _tamper(events[2].pk, "test.covered_up")

    result = audit.verify_chain()
    assert not result.ok
    assert result.first_broken_id == events[2].pk
    assert result.checked == 2
    with pytest.raises(CommandError, match=f"broken at event {events[2].pk}"):
        call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_verify_audit_cli_exit_code(capsys):
    from dynamic_framework import cli

    _record(2)
    assert cli.main(["verify-audit"]) == 0
    assert "2 events verified" in capsys.readouterr().out
