"""The contract register in a real browser, with axe on every page: the register filtered without JavaScript (and a
bad filter), a contract's page, a commissioner adding a document (an error first), and the pipeline."""

import re
from datetime import timedelta

import pytest

from tests.browser.steps import check, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def register(live_reference_data):
    from dynamic_framework.contracts.tests import register_world

    return register_world.build()


def test_the_register_filtered_without_javascript(make_context, live_server, register):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/")
    page.get_by_role("link", name="Contracts", exact=True).first.click()
    page.wait_for_url("**/contracts/")
    assert page.locator("h1").inner_text().strip() == "Contract register"
    assert "4 contracts and grant agreements" in page.locator("#results-heading").inner_text()
    page.get_by_label("Status").select_option(label="Ended")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/contracts/\?.*status=ended"))
    assert "1 contract or grant agreement" in page.locator("#results-heading").inner_text()
    assert "status=ended" in page.get_by_role("link", name="Download this list as a spreadsheet (CSV)").get_attribute(
        "href"
    )
    page.get_by_role("link", name="T-ENDED").click()
    page.wait_for_url("**/contracts/T-ENDED/")
    assert "Grant agreement" in page.locator(".govuk-caption-l").inner_text()


def test_register_pages_are_accessible(page, live_server, register, axe):
    w = register
    problems: list[str] = []
    for path, heading in (
        ("/contracts/", "Contract register"),
        ("/contracts/?region=A&status=live&category=women", "Contract register"),
        ("/contracts/?region=Z&ends_after_day=40", "Contract register"),
        ("/contracts/T-LIVE/", "Women's centre in Durham"),
        ("/contracts/T-SHARED-cleveland/", ""),
    ):
        assert page.goto(path).status == 200, path
        check(page, axe, problems, heading)
    page.goto("/contracts/?region=Z")
    assert page.get_by_text("There is a problem").count() == 1

    sign_in(page, w.commissioner)
    page.goto("/contracts/T-LIVE/")
    page.get_by_role("link", name="Add a document").click()
    page.wait_for_url("**/documents/add/")
    check(page, axe, problems, "Add a document")
    page.get_by_role("button", name="Add the document").click()
    assert page.get_by_text("There is a problem").count() == 1
    check(page, axe, problems, "Add a document")
    page.get_by_label("Title").fill("Service specification")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "spec.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}
    )
    page.get_by_label("No, only the commissioner and the contract's organisations").check()
    page.get_by_role("button", name="Add the document").click()
    page.wait_for_url("**/contracts/T-LIVE/#documents")
    assert page.get_by_role("link", name="Service specification").count() == 1
    check(page, axe, problems, "Women's centre in Durham")

    page.goto("/contracts/pipeline/")
    check(page, axe, problems, "Re-commissioning pipeline")
    assert page.get_by_role("link", name="T-LIVE").count() == 1
    ends = (w.today + timedelta(days=200)).year
    assert str(ends) in page.locator("main").inner_text()
    page.get_by_label("18 months").check()
    page.get_by_role("button", name="Show contracts").click()
    page.wait_for_url(re.compile(r"months=18"))
    check(page, axe, problems, "Re-commissioning pipeline")
    assert page.get_by_role("link", name="T-SHARED-cleveland").count() == 1
    assert not problems, "\n\n".join(problems)
