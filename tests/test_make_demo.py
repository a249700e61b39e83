"""What `make demo` runs, twice, on a database of its own: `dynamic-framework demo` migrates, loads the
reference and demo data and serves the site. The second run must change nothing (same rows, no new audit
events) and the audit chain must verify.

On the PostgreSQL half (DATABASE_URL is PostgreSQL) this uses a fresh database in the same throwaway
cluster; otherwise a fresh SQLite file under a temporary VAR_DIR. The server listens on a free port on
127.0.0.1 and is stopped as soon as it has answered.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).parent / "dynamic-framework"


def cli() -> list[str]:
    # The console script `make demo` uses; without it (an unusual install) the same module.
    return [str(CLI)] if CLI.exists() else [sys.executable, "-m", "dynamic_framework.cli"]


@pytest.fixture(scope="module")
def demo_env(tmp_path_factory):
    drop = {"DJANGO_SETTINGS_MODULE", "TESTING", "PRODUCTION", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT", "SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # DEBUG=1 as `dynamic-framework demo` sets it, so the other commands see the same settings.
    env.update(VAR_DIR=str(tmp_path_factory.mktemp("demo-var")), PYTHONUNBUFFERED="1", DEBUG="1")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        env.pop("DATABASE_URL", None)
        yield env
        return

    import dj_database_url
    import psycopg

    settings = dj_database_url.parse(database_url)
    params = {
        "dbname": "postgres",
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["OPTIONS"].get("host") or settings["HOST"],
        "port": settings["PORT"],
    }
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
        [*cli(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, f"dynamic-framework {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def snapshot(env) -> list:
    """Every row (sessions and content types aside), as dumpdata sees them."""
    return json.loads(run(env, "dumpdata", "--exclude", "sessions", "--exclude", "contenttypes"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local http:// URL
        return response.status, response.read().decode("utf-8", "replace")


def run_demo(env, log_path: Path) -> str:
    """`dynamic-framework demo --port N`, until the site answers; then stop it. Returns what it printed."""
    port = free_port()
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*cli(), "demo", "--port", str(port), "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                assert server.poll() is None, f"demo stopped:\n{log_path.read_text()}"
                assert time.monotonic() < deadline, f"the demo site did not answer:\n{log_path.read_text()}"
                try:
                    status, html = get(f"http://127.0.0.1:{port}/")
                    break
                except OSError:
                    time.sleep(0.3)
            assert status == 200
            assert "Dynamic Framework" in html
            css_status, css = get(f"http://127.0.0.1:{port}/assets/govuk/govuk-frontend.min.css")
            assert css_status == 200 and ".govuk-header" in css, "the demo serves the GOV.UK stylesheet"
            listed_status, listed = get(f"http://127.0.0.1:{port}/opportunities/")
            assert listed_status == 200 and "County Durham and Northumbria" in listed, "the demo call-off is open"
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    return log_path.read_text()


def test_make_demo_runs_twice_and_the_second_run_changes_nothing(demo_env, tmp_path):
    first = run_demo(demo_env, tmp_path / "first.log")
    assert " created" in first
    assert "Demo applications to join the framework: 4 created." in first, "the qualification demo loaded"
    assert "Demo call-offs: 2 created." in first, "the call-off demo loaded"
    before = snapshot(demo_env)
    assert any(row["model"] == "organisations.organisation" for row in before), "demo organisations loaded"

    second = run_demo(demo_env, tmp_path / "second.log")
    assert "Demo applications to join the framework: 0 created" in second
    assert "Demo call-offs: 0 created (they are already there)." in second
    # Every load reports "N created, N updated" (and more); the second time, nothing is created or updated.
    counts = re.findall(r"^(.*?\b(\d+) created, (\d+) updated.*)$", second, flags=re.MULTILINE)
    assert counts, second
    for line, created, updated in counts:
        assert created == updated == "0", f"the second run changed something: {line}"
    after = snapshot(demo_env)
    assert len(after) == len(before), "the second run added or removed rows"
    assert after == before, "the second run changed rows"
    assert "Audit log intact" in run(demo_env, "verify-audit")
