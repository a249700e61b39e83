"""What `make demo` runs, on a database of its own: migrate, then the reference and demo data loads, twice.

The second run of each load must change nothing (same data, no new audit events), so `make demo` can be
run again and again. On the PostgreSQL half (DATABASE_URL is PostgreSQL) this runs in a fresh database
in the same throwaway cluster; otherwise in a fresh SQLite file under a temporary VAR_DIR.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "dynamic-framework"


def _cli() -> list[str]:
    # The console script `make demo` uses; without it (an unusual install) the same module.
    return [str(CLI)] if CLI.exists() else [sys.executable, "-m", "dynamic_framework.cli"]


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "TESTING", "DEBUG", "PRODUCTION"}}
    env.update(VAR_DIR=str(tmp_path_factory.mktemp("demo-var")), SECRET_KEY="demo-check-" + "x" * 40)
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        env.pop("DATABASE_URL", None)
        yield env
        return

    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(database_url)
    params = {"dbname": "postgres", "user": settings["USER"], "password": settings["PASSWORD"] or None}
    params["host"] = settings["OPTIONS"].get("host") or settings["HOST"] or None
    params["port"] = settings["PORT"] or None
    params = {k: v for k, v in params.items() if v}
    name = f"demo_check_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = database_url.replace(f"/{settings['NAME']}", f"/{name}", 1)
    try:
        yield env
    finally:
        with psycopg.connect(**params, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(env, *args) -> str:
    result = subprocess.run(
        [*_cli(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, f"dynamic-framework {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def snapshot(env) -> list:
    """Every row the loads write (sessions aside), as dumpdata sees them."""
    return json.loads(run(env, "dumpdata", "--exclude", "sessions", "--exclude", "contenttypes"))


def has_command(env, name: str) -> bool:
    # (`dynamic-framework help` prints the CLI's own usage, so ask Django through manage.py.)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "help", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode == 0


@pytest.fixture(scope="module")
def migrated(demo_env):
    run(demo_env, "migrate", "--no-input", "-v", "0")
    return demo_env


def test_reference_data_loads_are_idempotent(migrated):
    first = run(migrated, "load-reference-data")
    assert " created" in first
    before = snapshot(migrated)
    second = run(migrated, "load-reference-data")
    for line in second.strip().splitlines():
        assert ": 0 created, 0 updated" in line, f"the second load changed something: {line}"
    assert snapshot(migrated) == before
    assert "Audit log intact" in run(migrated, "verify-audit")


def test_demo_data_loads_are_idempotent(migrated):
    if not has_command(migrated, "load_demo_data"):
        pytest.skip("no load_demo_data command yet")
    run(migrated, "load-reference-data")
    run(migrated, "load-demo-data")
    before = snapshot(migrated)
    assert len(before) > 0
    run(migrated, "load-demo-data")
    run(migrated, "load-reference-data")
    after = snapshot(migrated)
    assert len(after) == len(before), "a second load added or removed rows"
    assert after == before, "a second load changed rows"
    assert "Audit log intact" in run(migrated, "verify-audit")
