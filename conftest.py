"""Fixtures shared by the whole suite: Playwright driving the system Chromium, and axe-core checks.

Browser tests (marked `@pytest.mark.browser`) use pytest-django's `live_server` and the fixtures here:

    @pytest.mark.browser
    def test_start_page(page, live_server, live_reference_data, axe):
        page.goto(live_server.url + "/")
        axe(page)

- `browser`: one headless /usr/bin/chromium for the whole session (never `playwright install`).
- `context` / `page`: a fresh context (cookies, storage) and page for each test; an uncaught JavaScript
  error in the page fails the test.
- `make_context(**options)`: more contexts, e.g. `make_context(java_script_enabled=False)`.
- `axe(page)`: runs axe-core (node_modules/axe-core) for WCAG 2.2 AA and fails on any violation.
- `live_reference_data`: the reference data, loaded in a transactional database (live_server needs one).

Without /usr/bin/chromium the browser tests are skipped, except under CI=true, where they fail.
Browser tests run after every other test: Playwright's sync API keeps an asyncio loop running in the main
thread, so Django's async-safety check is relaxed (DJANGO_ALLOW_ASYNC_UNSAFE) from the first browser test on.
"""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_JS = Path(os.environ.get("NODE_MODULES", ROOT / "node_modules")) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_dependency(message: str):
    """Under CI a missing browser (or other test dependency) is a failure; elsewhere a skip."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing dependency is a failure, not a skip)", pytrace=False)
    pytest.skip(message)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests last (stable order otherwise), after pytest-django has grouped tests by database use."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _static_files_found_on_request():
    """WhiteNoise with finders (WHITENOISE_USE_FINDERS under TESTING) scans every static file, node_modules
    included, each time its middleware is built, which is once per test client: about 0.2s a test. With
    autorefresh it looks a file up only when one is requested, and serves the same files."""
    from django.test.utils import override_settings

    override = override_settings(WHITENOISE_AUTOREFRESH=True)
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session", autouse=True)
def _uploads_in_a_temporary_directory(tmp_path_factory):
    """Uploaded documents go to a fresh directory for the test session, never into var/uploads."""
    from django.test.utils import override_settings

    override = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("uploads")))
    override.enable()
    yield
    override.disable()


@pytest.fixture(scope="session")
def _playwright():
    if not CHROMIUM.exists():
        missing_dependency(f"Chromium not found at {CHROMIUM} (install it with: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        yield playwright
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def make_context(browser, live_server):
    """Open browser contexts (closed after the test) whose relative URLs go to the live server."""
    contexts = []

    def make(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "en-GB")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(make_context):
    return make_context()


@pytest.fixture
def page(context):
    """A page in a fresh context. A JavaScript error on any page it shows fails the test."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    yield page
    assert not errors, "JavaScript errors in the page:\n" + "\n".join(errors)


@pytest.fixture
def live_reference_data(transactional_db):
    """Reference data in a transactional database, for tests whose pages are served by `live_server`."""
    from dynamic_framework.core.services import load_reference_data

    return load_reference_data()


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation.get("nodes", []):
            lines.append(f"    target: {', '.join(map(str, node.get('target', [])))}")
            lines.append(f"    html:   {node.get('html', '').strip()[:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n            ")
            if summary:
                lines.append(f"    why:    {summary}")
    return "\n".join(lines)


def run_axe(page) -> dict:
    """Inject axe-core into the page (once) and run the WCAG 2.2 AA rules on the whole document."""
    if not AXE_JS.exists():
        missing_dependency(f"{AXE_JS} not found: run `make install` (npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )


@pytest.fixture
def axe():
    """`axe(page)`: assert the page has zero axe-core violations for WCAG 2.0/2.1/2.2 A and AA."""

    def check(page):
        page.wait_for_load_state("load")
        results = run_axe(page)
        violations = results["violations"]
        assert not violations, format_violations(page.url, violations)
        return results

    return check
