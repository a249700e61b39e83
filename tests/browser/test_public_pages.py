"""The public site in a real browser: every public page has zero axe-core WCAG 2.2 AA violations and the
GOV.UK styles load; the Welsh toggle works with and without JavaScript; the directory can be filtered;
someone can sign in and out.

The pages are visited in one test (one database load, one report listing every page with a problem):
each browser test pays for emptying and reloading the database, because the live server needs the
data committed."""

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def organisations(live_reference_data):
    """Two providers: one serving every area of the North East (region A), one serving London only."""
    from dynamic_framework.geography.models import PccArea
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    north_east = ProviderFactory(
        name="Tyne Valley Futures",
        slug="tyne-valley-futures",
        pcc_areas_served=PccArea.objects.filter(region__code="A"),
    )
    london = ProviderFactory(
        name="Thames Bridge Trust",
        slug="thames-bridge-trust",
        pcc_areas_served=PccArea.objects.exclude(region__code="A")[:1],
    )
    return north_east, london


def _first_slug(model_path: str) -> str:
    from django.apps import apps

    return apps.get_model(model_path).objects.order_by("pk").values_list("slug", flat=True).first()


def public_pages(north_east_org):
    """(path, expected status) for every public page."""
    return [
        ("/", 200),
        ("/regions/", 200),
        (f"/regions/{_first_slug('geography.Region')}/", 200),
        ("/service-categories/", 200),
        (f"/service-categories/{_first_slug('categories.ServiceCategory')}/", 200),
        ("/organisations/", 200),
        (f"/organisations/{north_east_org.slug}/", 200),
        ("/cookies/", 200),
        ("/accessibility/", 200),
        ("/privacy/", 200),
        ("/api/", 200),
        ("/api/docs/", 200),
        ("/sign-in/", 200),
        ("/password-reset/", 200),
        ("/register/", 200),
        ("/no-such-page/", 404),
    ]


def test_every_public_page_is_accessible(page, live_server, organisations, axe):
    problems = []
    for path, expected_status in public_pages(organisations[0]):
        response = page.goto(path)
        if response.status != expected_status:
            problems.append(f"{path}: status {response.status}, expected {expected_status}")
            continue
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} h1 elements, expected exactly one")
        if not re.search(r" – GOV\.UK$", page.title()):
            problems.append(f"{path}: title {page.title()!r} does not end with ' – GOV.UK'")
        try:
            axe(page)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, "\n\n".join(problems)


def test_govuk_styles_and_scripts_load(page, live_server, live_reference_data):
    failed = []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})"))
    page.on(
        "response",
        lambda response: failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None,
    )
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert failed == [], f"requests that failed: {failed}"

    css = page.request.get("/assets/govuk/govuk-frontend.min.css")
    assert css.status == 200
    assert "text/css" in css.headers["content-type"]
    assert ".govuk-header" in css.text()
    assert page.request.get("/assets/moj/moj-frontend.min.css").status == 200
    # The stylesheet is applied: the GOV.UK font stack on headings, the GOV.UK template's body margin.
    font_family = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font_family, font_family
    assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px"
    # GOV.UK Frontend's JavaScript ran (initAll marks <body>).
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def _switch_to_welsh_and_back(page):
    from playwright.sync_api import expect

    page.goto("/regions/")
    assert _lang(page) == "en"
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")  # waits for the new page
    assert page.url.endswith("/regions/"), "switching language keeps you on the same page"
    # The choice sticks on the next page.
    page.goto("/service-categories/")
    assert _lang(page) == "cy"
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/service-categories/")


def test_language_toggle_switches_to_welsh(page, live_server, live_reference_data, axe):
    from playwright.sync_api import expect

    _switch_to_welsh_and_back(page)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.wait_for_load_state()
    axe(page)


def test_language_toggle_works_without_javascript(make_context, live_server, live_reference_data):
    page = make_context(java_script_enabled=False).new_page()
    _switch_to_welsh_and_back(page)
    assert not page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")


def test_browse_the_directory_with_a_filter(page, live_server, organisations, axe):
    north_east, london = organisations
    page.goto("/")
    page.get_by_role("link", name="Organisations").first.click()
    page.wait_for_url("**/organisations/")
    assert page.get_by_role("link", name=north_east.name).count() == 1
    assert page.get_by_role("link", name=london.name).count() == 1

    page.get_by_label("Probation region").select_option(label="North East")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/organisations/\?.*region="))
    assert page.get_by_role("link", name=north_east.name).count() == 1
    assert page.get_by_role("link", name=london.name).count() == 0
    axe(page)

    page.get_by_role("link", name=north_east.name).click()
    page.wait_for_url(f"**/organisations/{north_east.slug}/")
    assert page.locator("h1").inner_text().strip() == north_east.name
    axe(page)


def test_sign_in_and_out(page, live_server, live_reference_data, axe):
    from dynamic_framework.accounts.tests.factories import PASSWORD, user_with_role

    user = user_with_role("provider_staff", email="signing.in@example.org", full_name="Sam Signing")
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/sign-in/")
    axe(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    assert page.locator("h1").inner_text().strip() == "Your account"
    assert page.get_by_role("link", name="Your account").count() == 1
    axe(page)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Sign in").count() == 1
    assert page.get_by_role("link", name="Your account").count() == 0
    # Signed out for real: the account page sends you to sign in.
    page.goto("/account/")
    assert "/sign-in/" in page.url
