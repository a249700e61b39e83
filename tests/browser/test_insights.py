"""The insights dashboard in a real browser, on the real 2021 data (the importers run once for the test):
zero axe-core WCAG 2.2 AA violations on the dashboard, a filtered dashboard and the contracts list; the
filters keep their state in the URL with and without JavaScript; a number leads to its contracts; the
downloads download."""

import csv
import io
import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def contract_data(live_reference_data):
    from dynamic_framework.contracts import importers

    importers.import_awards_2021()
    importers.import_hmpps_contracts()


def test_dashboard_filters_contracts_and_downloads(page, live_server, contract_data, axe):
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_role("link", name="Insights").first.click()
    page.wait_for_url("**/insights/")
    assert page.locator("h1").count() == 1
    assert re.search(r" – GOV\.UK$", page.title())
    headline = page.locator(".app-headline-figures")
    expect(headline).to_contain_text("110")
    expect(headline).to_contain_text("£196.1m")
    expect(headline).to_contain_text("88%")
    assert page.locator("svg.app-chart").count() >= 8
    axe(page)

    # A filter: the state is in the URL and the form shows it
    page.get_by_label("Probation region", exact=True).select_option(label="Wales")
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_url(re.compile(r"/insights/\?.*region=D"))
    expect(page.get_by_label("Probation region", exact=True)).to_have_value("D")
    expect(page.locator(".app-headline-figures")).to_contain_text("17")
    axe(page)

    # A number leads to the contracts behind it
    page.locator(".app-headline-figure a").first.click()
    page.wait_for_url(re.compile(r"/insights/contracts/\?.*metric=all"))
    assert page.locator("h1").inner_text().strip() == "Contracts behind a figure"
    assert page.locator("table.app-contracts-table tbody tr").count() == 17
    axe(page)

    # Its CSV downloads
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these contracts (CSV)").click()
    with open(download_info.value.path(), encoding="utf-8") as handle:
        rows = list(csv.reader(io.StringIO(handle.read())))
    assert len(rows) == 18
    assert rows[0][0] == "Reference"

    # The whole analysis as JSON
    response = page.request.get("/insights/download/insights.json?region=D")
    assert response.status == 200
    assert response.json()["headline"]["contracts"]["value"] == 17


def test_filters_work_without_javascript(make_context, live_server, contract_data):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/insights/")
    page.get_by_label("Lot type", exact=True).select_option(label="Accommodation")
    page.get_by_role("button", name="Show the figures").click()
    page.wait_for_url(re.compile(r"/insights/\?.*lot_type=accommodation"))
    assert "14" in page.locator(".app-headline-figures").inner_text()
    assert page.get_by_label("Lot type", exact=True).input_value() == "accommodation"
    assert page.locator("svg.app-chart").count() >= 4
