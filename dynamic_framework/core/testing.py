"""pytest plugin (loaded with `-p dynamic_framework.core.testing`): lets the test database be emptied.

The audit table rejects UPDATE, DELETE and TRUNCATE in the database itself. Django's test teardown must
still empty it between transactional tests (browser tests with a live server, for example), so during
teardown only: on PostgreSQL the session ignores triggers (session_replication_role = replica; tests run as
a superuser), and on SQLite the two triggers are dropped and put back straight after.
"""

import contextlib

import pytest


def _connection():
    from django.db import connection

    return connection


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    uses_db = any(
        name in getattr(item, "fixturenames", ())
        for name in ("db", "transactional_db", "live_server", "django_db_reset_sequences", "_django_db_helper")
    ) or item.get_closest_marker("django_db")
    if not uses_db:
        yield
        return
    from pytest_django.plugin import blocking_manager_key

    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        connection = _connection()
        with contextlib.suppress(Exception):  # no test database (yet): nothing to empty
            _allow_purge(connection)
    try:
        yield
    finally:
        with blocker.unblock():
            connection = _connection()
            with contextlib.suppress(Exception):
                _restore(connection)


def _allow_purge(connection):
    from .db_triggers import SQLITE_DROP

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)


def _restore(connection):
    from .db_triggers import SQLITE_CREATE

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("RESET session_replication_role")
        elif connection.vendor == "sqlite":
            for statement in SQLITE_CREATE:
                cursor.execute(statement)
