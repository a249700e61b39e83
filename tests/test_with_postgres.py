"""scripts/with-postgres.sh: a throwaway cluster that is always cleaned up, and a clear answer without one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "with-postgres.sh"


def run(*command, **env):
    return subprocess.run(
        [str(SCRIPT), *command],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def test_without_server_binaries_the_postgresql_half_is_skipped_outside_ci():
    result = run("true", PG_BIN="/nonexistent", CI="")
    assert result.returncode == 0
    assert "SKIPPED" in result.stdout
    assert "PostgreSQL half" in result.stdout


def test_without_server_binaries_ci_fails():
    result = run("true", PG_BIN="/nonexistent", CI="true")
    assert result.returncode == 1
    assert "not found" in result.stderr


def test_runs_the_command_against_a_private_cluster_and_removes_it():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("PostgreSQL server binaries not found (CI=true: a failure, not a skip)")
        pytest.skip("no PostgreSQL server binaries")
    program = (
        'import os, psycopg; url = os.environ["DATABASE_URL"]; host = url.split("host=")[1]; '
        'print(host); c = psycopg.connect(dbname="dynamic_framework", user="postgres", host=host); '
        'print(c.execute("show fsync").fetchone()[0], c.execute("show listen_addresses").fetchone()[0] or "-"); '
        "raise SystemExit(3)"
    )
    result = run(sys.executable, "-c", program, PG_BIN="")
    assert result.returncode == 3, result.stderr  # the command's own exit status
    socket_dir, settings = result.stdout.strip().splitlines()[-2:]
    assert settings == "off -", "durability off, no TCP listener"
    assert not Path(socket_dir).exists(), "the cluster's directory is removed afterwards"
