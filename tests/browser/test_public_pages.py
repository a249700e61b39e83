"""Every public page in a real browser: GOV.UK styles load, zero axe-core WCAG 2.2 AA violations,
the Welsh language toggle works with and without JavaScript, and the directory can be browsed."""

import re

import pytest

pytestmark = pytest.mark.browser


def _first_slug(model_path: str) -> str:
    from django.apps import apps

    model = apps.get_model(model_path)
    return model.objects.order_by("pk").values_list("slug", flat=True).first()


PUBLIC_PAGES = [
    ("start", lambda: "/"),
    ("regions", lambda: "/regions/"),
    ("region", lambda: f"/regions/{_first_slug('geography.Region')}/"),
    ("service-categories", lambda: "/service-categories/"),
    ("service-category", lambda: f"/service-categories/{_first_slug('categories.ServiceCategory')}/"),
    ("cookies", lambda: "/cookies/"),
    ("accessibility", lambda: "/accessibility/"),
    ("privacy", lambda: "/privacy/"),
    ("api-docs", lambda: "/api/"),
    ("sign-in", lambda: "/sign-in/"),
]


@pytest.mark.parametrize(("name", "build_path"), PUBLIC_PAGES, ids=[name for name, _ in PUBLIC_PAGES])
def test_public_page_is_accessible(page, live_server, live_reference_data, axe, name, build_path):
    response = page.goto(build_path())
    assert response.status == 200, f"{name}: {response.status} {response.url}"
    assert page.locator("h1").count() == 1, f"{name}: a page has exactly one h1"
    assert re.search(r"– GOV\.UK$", page.title()), page.title()
    axe(page)


def test_not_found_page_is_accessible(page, live_server, live_reference_data, axe):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").count() == 1
    axe(page)


def test_govuk_styles_and_scripts_load(page, live_server, live_reference_data):
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert failed == [], f"assets that did not load: {failed}"

    css = page.request.get("/assets/govuk/govuk-frontend.min.css")
    assert css.status == 200
    assert "govuk-header" in css.text()
    # GOV.UK Frontend's stylesheet is applied: the GOV.UK font stack on headings, the template's body margin.
    font_family = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" in font_family, font_family
    assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px"
    # govuk-frontend's JavaScript ran (initAll adds this class to <body>).
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")


def _switch_to_welsh_and_back(page):
    page.goto("/regions/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.url.endswith("/regions/"), "switching language keeps the user on the same page"
    # The choice sticks on the next page.
    page.goto("/service-categories/")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_language_toggle_switches_to_welsh(page, live_server, live_reference_data, axe):
    _switch_to_welsh_and_back(page)
    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_load_state()
    axe(page)


def test_language_toggle_works_without_javascript(make_context, live_server, live_reference_data):
    context = make_context(java_script_enabled=False)
    page = context.new_page()
    _switch_to_welsh_and_back(page)
