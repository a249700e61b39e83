"""The settings module as production would load it: each case in a fresh interpreter with a clean environment
(no pytest, so TESTING is off), and a temporary VAR_DIR so nothing touches the developer's var/."""

import os
import subprocess
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONTROLLED = {
    "SECRET_KEY",
    "DEBUG",
    "TESTING",
    "PRODUCTION",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def run_django(code: str, tmp_path, **env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(DJANGO_SETTINGS_MODULE="dynamic_framework.settings", VAR_DIR=str(tmp_path / "var"))
    env.update(env_overrides)
    program = "import django\ndjango.setup()\n" + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = run_django("", tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_start_with_a_secret_key(tmp_path):
    result = run_django(
        """
        from django.conf import settings
        assert not settings.DEBUG
        assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
        assert settings.ALLOWED_HOSTS == [], settings.ALLOWED_HOSTS
        assert "MD5PasswordHasher" not in settings.PASSWORD_HASHERS[0]
        print("ok")
        """,
        tmp_path,
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_debug_is_refused_in_production(tmp_path):
    result = run_django("", tmp_path, DEBUG="1", PRODUCTION="1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_default_database_is_sqlite_under_var_dir_in_wal_mode(tmp_path):
    result = run_django(
        """
        from django.conf import settings
        from django.db import connection
        print(settings.DATABASES["default"]["ENGINE"])
        print(settings.DATABASES["default"]["NAME"])
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            print(cursor.fetchone()[0])
            cursor.execute("PRAGMA foreign_keys")
            print(cursor.fetchone()[0])
        """,
        tmp_path,
        SECRET_KEY="x" * 50,
    )
    assert result.returncode == 0, result.stderr
    engine, name, journal_mode, foreign_keys = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "var" / "dynamic-framework.sqlite3")
    assert journal_mode == "wal"
    assert foreign_keys == "1"
    assert (tmp_path / "var" / "dynamic-framework.sqlite3").exists()


def test_database_url_is_honoured(tmp_path):
    result = run_django(
        """
        from django.conf import settings
        db = settings.DATABASES["default"]
        print(db["ENGINE"], db["NAME"], db["USER"], db["OPTIONS"].get("host", db["HOST"]))
        """,
        tmp_path,
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgresql://df@/dynamic_framework?host=/run/postgresql",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "dynamic_framework", "df", "/run/postgresql"]


@pytest.mark.parametrize(
    ("host", "expected_status"),
    [("service.example", 200), ("www.service.example", 200), ("evil.example", 400)],
)
def test_allowed_hosts_are_honoured(tmp_path, host, expected_status):
    result = run_django(
        f"""
        from django.conf import settings
        from django.test import Client
        print(settings.ALLOWED_HOSTS)
        response = Client(HTTP_HOST={host!r}).get("/cookies/")
        print(response.status_code)
        """,
        tmp_path,
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="service.example, www.service.example",
    )
    assert result.returncode == 0, result.stderr
    hosts, status = result.stdout.strip().splitlines()
    assert hosts == "['service.example', 'www.service.example']"
    assert int(status) == expected_status
