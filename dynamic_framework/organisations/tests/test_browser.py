"""The organisation pages in a real browser: zero axe-core WCAG 2.2 AA violations, and the filters work
without JavaScript."""

import pytest
from django.conf import settings

from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Specialism
from dynamic_framework.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def organisations(live_reference_data):
    womens = Specialism.objects.get(slug="womens-organisation")
    orgs = [
        OrganisationFactory(
            name=f"Browser Provider {n:02d}",
            specialisms=[womens] if n % 2 else [],
            pcc_areas_served=list(PccArea.objects.filter(region__code="K")[: n % 3 + 1]),
            latest_income_pence=None if n % 5 == 0 else n * 1_000_000,
            income_year="" if n % 5 == 0 else "2023-24",
        )
        for n in range(25)
    ]
    orgs[1].aliases.create(name="BP1")
    orgs[1].identifiers.create(scheme="GB-CHC", identifier="1123456")
    orgs[1].identifiers.create(scheme="GB-MPR", identifier="31433R")
    return orgs


def sign_in_as(context, live_server, role, organisation=None):
    """Give the browser context a signed-in session for a new user with `role`."""
    from django.test import Client

    from dynamic_framework.accounts.tests.factories import user_with_role

    client = Client()
    client.force_login(user_with_role(role, organisation=organisation))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/",
        "/organisations/?page=2",
        "/organisations/?region=K&sector=voluntary_and_community&size_band=unknown&specialism=womens-organisation",
        "/organisations/?region=Z&sector=nonsense",
        "/organisations/?q=nothing-matches-this",
        "/organisations/browser-provider-01/",
        "/organisations/hmpps-london/",
    ],
)
def test_organisation_pages_are_accessible(page, live_server, organisations, axe, path):
    path = path.replace("browser-provider-01", organisations[1].slug)
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    axe(page)


def test_edit_and_sector_pages_are_accessible(context, live_server, organisations, axe):
    org = organisations[1]
    sign_in_as(context, live_server, "platform_administrator")
    page = context.new_page()
    page.goto(f"/organisations/{org.slug}/")
    axe(page)  # with the change links and the verify button
    page.goto(f"/organisations/{org.slug}/edit/")
    axe(page)
    page.get_by_label("Website").fill("not a website")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".govuk-error-summary").count() == 1
    assert page.get_by_label("Website").input_value() == "not a website"
    axe(page)
    page.goto(f"/organisations/{org.slug}/sector/")
    axe(page)


def test_filters_work_without_javascript(make_context, live_server, organisations):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/organisations/")
    page.get_by_label("Women's organisation").check()
    page.get_by_label("Probation region").select_option("K")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state()
    assert "specialism=womens-organisation" in page.url
    rows = page.locator("tbody th[scope=row] a").all_inner_texts()
    assert rows and all(name.startswith("Browser Provider") for name in rows)
    assert len(rows) == 12
