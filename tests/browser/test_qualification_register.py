"""The register of qualified providers in a real browser, with axe on every page: the register filtered without
JavaScript (and with a bad filter), an organisation's entry, a framework manager suspending a qualification
(the error and the success), and a provider administrator confirming their details."""

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def register(live_reference_data):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.organisations.tests.factories import ProviderFactory
    from dynamic_framework.qualification.tests import factories as q

    manager = user_with_role("framework_manager", email="browser.manager@example.org")
    assessor = user_with_role("evaluator", email="browser.assessor@example.org")
    riverside = ProviderFactory(name="Riverside Women's Centre", slug="riverside")
    admin = q.confirm_email(
        user_with_role("provider_administrator", organisation=riverside, email="browser.admin@example.org")
    )
    q.qualified_application(riverside, admin, assessor, manager)
    kent = ProviderFactory(name="Kent Housing Trust", slug="kent-housing")
    kent_admin = q.confirm_email(user_with_role("provider_administrator", organisation=kent))
    q.qualified_application(kent, kent_admin, assessor, manager, categories=("accommodation",), areas=("kent",))
    return {"manager": manager, "admin": admin, "riverside": riverside, "kent": kent}


def sign_in(page, user):
    from dynamic_framework.accounts.tests.factories import PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def test_register_filtered_without_javascript(make_context, live_server, register):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/framework/register/")
    assert page.locator("h1").inner_text().strip() == "Register of qualified providers"
    assert page.get_by_role("link", name="Riverside Women's Centre").count() == 1
    assert page.get_by_role("link", name="Kent Housing Trust").count() == 1

    page.get_by_label("Service category").select_option(label="Women")
    page.get_by_label("Police and Crime Commissioner area").select_option(label="Durham")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/framework/register/\?.*category=women"))
    assert "1 organisation is qualified for Women in Durham" in page.locator("#results-heading").inner_text()
    assert page.get_by_role("link", name="Kent Housing Trust").count() == 0
    download = page.get_by_role("link", name="Download this list as a spreadsheet (CSV)")
    assert "category=women" in download.get_attribute("href")
    page.get_by_role("link", name="Riverside Women's Centre").click()
    page.wait_for_url("**/framework/register/riverside/")
    assert page.locator("h1").inner_text().strip() == "Riverside Women's Centre"


def test_register_pages_are_accessible(page, live_server, register, axe):
    """axe runs in the page, so these are checked with JavaScript on; the pages are the same without it."""
    problems = []
    for path in (
        "/framework/register/",
        "/framework/register/?category=women&pcc_area=durham&size_band=micro",
        "/framework/register/?region=Z&category=nothing",
        "/framework/register/riverside/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} h1 elements")
        try:
            axe(page)
        except AssertionError as error:
            problems.append(str(error))
    assert page.goto("/framework/register/?region=Z").ok
    assert page.get_by_text("There is a problem").count() == 1
    assert not problems, "\n\n".join(problems)


def test_a_framework_manager_suspends_a_qualification(page, live_server, register, axe):
    sign_in(page, register["manager"])
    page.goto("/framework/register/riverside/")
    axe(page)
    page.get_by_role("link", name="Suspend Women").click()
    page.wait_for_url(re.compile(r"/framework/register/qualifications/\d+/suspend/"))
    assert page.locator("h1").inner_text().strip() == "Suspend this qualification"
    axe(page)

    page.get_by_role("button", name="Suspend").click()
    assert page.get_by_text("There is a problem").count() == 1
    assert page.get_by_role("link", name="Say why the qualification is suspended").count() == 1
    axe(page)

    page.get_by_label("Why is it suspended?").fill("Insurance certificate has lapsed.")
    page.get_by_role("button", name="Suspend").click()
    page.wait_for_url("**/framework/register/riverside/")
    assert page.get_by_text("Riverside Women's Centre is suspended for Women").count() == 1
    assert page.get_by_text("Reason: Insurance certificate has lapsed.").count() == 1
    axe(page)

    page.goto("/framework/register/")
    assert page.locator(".govuk-tag--orange", has_text="Suspended").count() == 1
    axe(page)


def test_a_provider_administrator_confirms_their_details(page, live_server, register, axe):
    sign_in(page, register["admin"])
    page.goto("/framework/register/riverside/")
    page.get_by_role("button", name="Confirm your details").click()
    page.wait_for_url("**/framework/confirm-your-details/?organisation=riverside")
    assert page.locator("h1").inner_text().strip() == "Confirm your details"
    axe(page)

    page.get_by_role("button", name="Continue").click()
    assert page.get_by_text("There is a problem").count() == 1
    axe(page)

    page.get_by_label("Yes, they are still accurate").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/framework/register/riverside/")
    assert page.get_by_text("details are confirmed").count() == 1
    axe(page)

    # The withdraw page, and the confirm page after updating the details, pass axe too
    page.get_by_role("link", name=re.compile(r"^Withdraw from this category\W+Women$")).click()
    page.wait_for_url(re.compile(r"/framework/register/qualifications/\d+/withdraw/"))
    assert page.get_by_text("You can apply again at any time").count() == 1
    axe(page)
    page.goto("/framework/confirm-your-details/?organisation=riverside&step=updated")
    assert page.get_by_role("button", name="Confirm my details are now up to date").count() == 1
    axe(page)
