"""The insights pages and downloads: headline figures first, filters kept in the URL, links to the contracts
behind each figure, CSV and JSON downloads, bad input answered without a server error, fixed query counts."""

import csv
import io
import json
import re

import pytest

from dynamic_framework.contracts.models import LotType

from .factories import MemberFactory, award, charity


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_dashboard_shows_the_headline_figures_first(client, small_world):
    response = client.get("/insights/")
    assert response.status_code == 200
    html = response.content.decode()
    headline = html.index("Headline figures")
    assert headline < html.index('id="lot-types"') < html.index('id="coverage"') < html.index('id="published"')
    text = text_of(response)
    assert "4 Contracts" in text
    assert "£0.5m Total value of the awards" in text or "£500k Total value of the awards" in text
    assert "33% Share of lead providers in the voluntary and community sector" in text
    assert "Showing: Small round" in text


def test_every_chart_is_an_accessible_svg_followed_by_its_table_and_summary(client, small_world):
    html = client.get("/insights/").content.decode()
    svgs = re.findall(r"<svg class=\"app-chart\"[^>]*>", html)
    assert svgs
    for svg in svgs:
        assert 'role="img"' in svg
        for attribute in ("aria-labelledby", "aria-describedby"):
            element_id = re.search(rf'{attribute}="([^"]+)"', svg).group(1)
            assert f'id="{element_id}"' in html
    for block in html.split('<div class="app-figure"')[1:]:
        if "<svg" in block:
            assert block.index("<svg") < block.index("<table") < block.index("In short:")


def test_each_number_links_to_its_contracts_with_the_filters(client, small_world):
    html = client.get("/insights/?region=X").content.decode()
    assert "/insights/contracts/?round=small-round&amp;region=X&amp;metric=lot.womens_services" in html
    assert "/insights/download/lot-types.csv?round=small-round&amp;region=X" in html
    assert "/insights/download/insights.json?round=small-round&amp;region=X" in html


def test_filters_keep_their_state_in_the_form(client, small_world):
    html = client.get("/insights/?region=X&lot_type=accommodation").content.decode()
    assert re.search(r'<option value="X" selected', html)
    assert re.search(r'<option value="accommodation" selected', html)
    assert "Clear filters" in html
    text = text_of(client.get("/insights/?region=X&lot_type=accommodation"))
    assert "1 Contracts" in text


def test_a_bad_filter_is_shown_as_an_error_and_left_out(client, small_world):
    response = client.get("/insights/?region=nowhere&lot_type=accommodation")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a probation region from the list" in html
    assert "2 Contracts" in text_of(response)  # the lot type still applies


def test_an_area_outside_the_chosen_region_is_an_error(client, small_world):
    response = client.get("/insights/?region=W&pcc_area=x1")
    assert response.status_code == 200
    assert "Area X1 is not in Wales" in response.content.decode()


def test_a_pcc_area_says_how_award_values_are_counted(client, small_world):
    response = client.get("/insights/?pcc_area=x1")
    assert "counted whole" in response.content.decode()


def test_dashboard_query_count_is_fixed(client, small_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        client.get("/insights/")
    round_ = small_world["round"]
    for i in range(15):
        _a, contracts = award(round_, charity(f"Extra {i}"), lot_type=LotType.PERSONAL_WELLBEING, value=1)
        MemberFactory(contract=contracts[0], organisation=charity(f"Member {i}"))
    with django_assert_max_num_queries(10):
        response = client.get("/insights/")
    assert "19 Contracts" in text_of(response)


def test_dashboard_without_any_round(client, db):
    response = client.get("/insights/")
    assert response.status_code == 200
    assert "No contracts have been loaded yet" in response.content.decode()


def test_contracts_page_lists_the_contracts_behind_a_figure(client, small_world):
    response = client.get("/insights/contracts/?metric=lot.womens_services")
    assert response.status_code == 200
    html = response.content.decode()
    c1, c2, c3, _c4 = small_world["contracts"]
    assert c1.reference in html and c2.reference in html
    assert c3.reference not in html
    assert "Women&#39;s services contracts" in html or "Women's services contracts" in html
    assert "whole award, shared by 2 contracts" in html
    assert "/insights/download/contracts.csv?round=small-round&amp;metric=lot.womens_services" in html


def test_contracts_page_with_an_unknown_figure_shows_an_error_and_every_contract(client, small_world):
    response = client.get("/insights/contracts/?metric=no-such-figure")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "there is no figure no-such-figure" in html
    assert all(c.reference in html for c in small_world["contracts"])


def test_contracts_page_is_paginated_with_a_fixed_number_of_queries(client, small_world, django_assert_max_num_queries):
    round_ = small_world["round"]
    for i in range(60):
        award(round_, small_world["orgs"]["acme"], value=1)
    with django_assert_max_num_queries(10):
        response = client.get("/insights/contracts/?metric=all")
    html = response.content.decode()
    assert "Showing 1 to 50 of 64 contracts" in html
    assert "page=2" in html
    assert "Showing 51 to 64 of 64" in client.get("/insights/contracts/?metric=all&page=2").content.decode()


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_download_of_a_table(client, small_world):
    response = client.get("/insights/download/lot-types.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="lot-types-small-round.csv"' in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["Lot type", "Contracts", "Awards", "Value (£)", "Share of the value (%)", "Lead providers"]
    assert rows[1] == ["Women's services", "2", "1", "300000.00", "60.0", "1"]
    assert rows[-1][0] == "All lot types"


def test_every_table_can_be_downloaded(client, small_world):
    html = client.get("/insights/").content.decode()
    links = set(re.findall(r'href="(/insights/download/[a-z0-9-]+\.csv\?[^"]*)"', html))
    assert len(links) >= 20
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert len(_csv(response)) >= 1


def test_contracts_csv_for_a_figure(client, small_world):
    rows = _csv(client.get("/insights/download/contracts.csv?metric=lead-sector.unknown"))
    assert len(rows) == 2
    header, row = rows
    assert row[header.index("Lead provider")] == "Mystery Org"
    assert row[header.index("Award value (whole award) (£)")] == "100000.00"
    assert row[header.index("Supply chain")] == "Cymru Help; Hope Trust"


def test_figures_csv_lists_every_figure_with_its_contracts(client, small_world):
    rows = _csv(client.get("/insights/download/figures.csv"))
    header = rows[0]
    by_key = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_key["total_value"]["Value"] == "500000.00"
    assert by_key["total_value"]["Unit"] == "pounds"
    assert by_key["voluntary_lead_share"]["Value"] == "33.3"
    assert by_key["lot-types.womens_services.contracts"]["Number of contracts behind it"] == "2"


def test_downloads_with_a_bad_filter_or_table_are_refused(client, small_world):
    response = client.get("/insights/download/lot-types.csv?region=nowhere")
    assert response.status_code == 400
    assert "region" in response.content.decode()
    assert client.get("/insights/download/no-such-table.csv").status_code == 404
    assert client.get("/insights/download/contracts.csv?metric=nope").status_code == 400
    assert client.get("/insights/download/insights.json?lot_type=nope").status_code == 400


def test_json_download_is_the_api_answer(client, small_world):
    response = client.get("/insights/download/insights.json?region=X")
    assert response.status_code == 200
    assert 'filename="insights-small-round-region-x.json"' in response["Content-Disposition"]
    assert json.loads(response.content) == client.get("/api/v1/insights/?region=X").json()


def test_downloads_without_any_round_are_not_found(client, db):
    assert client.get("/insights/download/insights.json").status_code == 404
    assert client.get("/insights/download/lot-types.csv").status_code == 404


def test_navigation_has_insights(client, db):
    html = client.get("/").content.decode()
    assert 'href="/insights/"' in html


@pytest.mark.parametrize("path", ["/insights/", "/insights/contracts/"])
def test_pages_have_one_h1_and_captioned_tables(client, small_world, path):
    html = client.get(path).content.decode()
    assert html.count("<h1") == 1
    assert html.count("<table") == html.count("<caption")
