"""The public "who gets paid if..." page: the seed 004 table as the page renders it, a set-up of one's own in the
query string, the years' chart and data table, and bad input (error summary, field errors, never a 500)."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db

URL = "/who-gets-paid/"


def table_rows(html: str, table_id: str) -> list[list[str]]:
    """The text of each body row's cells of the table with this id."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, f"no table {table_id}"
    body = re.search(r"<tbody.*?</tbody>", table.group(0), re.S).group(0)
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


def test_the_page_opens_on_the_transforming_rehabilitation_example_and_shows_the_seed_004_table(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A charity worker described payment by results under Transforming Rehabilitation" in html
    # Lead provider achieves target, paid; subcontractor achieves target, paid (conditional); not conditional;
    # protected fixed fee.
    assert table_rows(html, "seed-table") == [
        ["Yes", "Yes", "Yes", "Yes", "Yes", "Yes"],
        ["Yes", "Yes", "No", "No", "No", "Yes"],
        ["No", "No", "Yes", "No", "Yes", "Yes"],
    ]
    # The default scenario's own results: the same rows first, with amounts.
    rows = table_rows(html, "combinations-1")
    assert [row[:4] for row in rows] == [
        ["Yes", "Yes £115,000", "Yes", "Yes £20,000"],
        ["Yes", "Yes £115,000", "No", "No £0"],
        ["No", "No £0", "Yes", "No £0"],
        ["No", "No £0", "No", "No £0"],
    ]
    assert table_rows(html, "alternatives-1")[2] == ["No", "Yes", "£0", "£20,000", "£20,000"]
    # The form is filled in with the example.
    assert 'name="lead-fee" type="text" value="1000"' in html or 'value="1000"' in html
    assert 'value="Local charity"' in html


def test_the_years_chart_is_followed_by_its_data_table(client):
    html = client.get(URL).content.decode()
    assert '<svg class="app-chart" role="img" aria-labelledby="chart-years-title"' in html
    chart_at, table_at = html.index('id="chart-years-title"'), html.index('id="years-table"')
    assert chart_at < table_at
    assert table_rows(html, "years-table") == [
        ["Lead provider receives", "£115,000", "£140,000", "£0"],
        ["Local charity is paid", "£20,000", "£24,000", "£0"],
        ["Lead provider keeps", "£95,000", "£116,000", "£0"],
    ]


def protected_set_up(**changes) -> dict:
    query = {
        "results": "completed",
        "lead-mechanism": "hybrid",
        "lead-value": "100,000",
        "lead-fixed_share": "90",
        "lead-fee": "500",
        "lead-target": "50",
        "lead-expected": "40",
        "s1-name": "Women's Centre",
        "s1-terms": "protected_fixed_fee",
        "s1-protected_fee": "30000",
        "s1-expected": "10",
        "s2-terms": "pass_through",
        "s2-share": "12.5",
        "s2-expected": "8",
        "s2-good": "12",
        "s2-bad": "2",
    }
    query.update(changes)
    return {k: v for k, v in query.items() if v is not None}


def test_a_set_up_of_ones_own_in_the_query_string(client):
    html = client.get(URL + "?" + urlencode(protected_set_up())).content.decode()
    assert "There is a problem" not in html
    assert "Your example" in html
    women = table_rows(html, "combinations-1")
    # A protected fee: paid whatever happens (the centre has no target of its own: one row for each prime result).
    assert [row[:4] for row in women] == [
        ["Yes", "Yes £119,000", "No target", "Yes £30,000"],
        ["No", "Yes £90,000", "No target", "Yes £30,000"],
    ]
    years = table_rows(html, "years-table")
    assert years[0][0] == "Lead provider receives" and years[1][0] == "Women's Centre is paid"
    assert years[2] == [
        "Subcontractor 2 is paid",
        "£11,750",
        "£12,000",
        "£11,250",
    ]  # 12.5% of £90,000, + 12.5% of its results
    # when the whole supply chain reaches the target (58 and 74 of 50; 27 in the bad year)
    # Good and bad years left empty for the lead provider: worked out, and the page says so.
    assert "a good year is the expected year plus 25%" in html
    assert "(worked out)" in html
    assert 'id="alternatives-1"' not in html  # other terms are shown for payment by results only


def test_a_payment_by_results_subcontractor_on_its_own_terms(client):
    query = protected_set_up(
        **{
            "s1-terms": "payment_by_results",
            "s1-fee": "300",
            "s1-target": "5",
            "s1-conditional": "on",
            "s2-terms": "none",
        }
    )
    html = client.get(URL + "?" + urlencode(query)).content.decode()
    rows = table_rows(html, "combinations-1")
    assert [row[2:4] for row in rows] == [["Yes", "Yes £3,000"], ["No", "No £0"], ["Yes", "No £0"], ["No", "No £0"]]
    assert "Subcontractor 2" not in " ".join(" ".join(r) for r in table_rows(html, "years-table"))


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"lead-value": "-5"}, "lead-value", "Amount must be £0 or more"),
        ({"lead-value": "lots"}, "lead-value", "Enter an amount in pounds, like 1500 or 1,500.50"),
        ({"lead-fixed_share": "120"}, "lead-fixed_share", "Enter the fixed share from 0% to 100%"),
        ({"lead-fixed_share": "100"}, "lead-fixed_share", "The fixed share of a hybrid must be more than 0%"),
        ({"lead-fee": ""}, "lead-fee", "A hybrid needs at least one results fee as well as its fixed share"),
        ({"lead-expected": "4.5"}, "lead-expected", "Enter the expected year&#39;s results as a whole number"),
        ({"lead-target": "-1"}, "lead-target", "Enter the target as 0 or more"),
        ({"s2-share": "101"}, "s2-share", "Enter the share from 0% to 100%"),
        ({"s2-share": ""}, "s2-share", "A pass-through share must be more than 0% and no more than 100%"),
        ({"s1-protected_fee": ""}, "s1-protected_fee", "Enter the protected fee for the year"),
        ({"s1-terms": "payment_by_results"}, "s1-fee", "Payment by results needs at least one fee"),
        ({"s3-expected": "4"}, "s3-terms", "Choose how the lead provider pays this subcontractor, or choose"),
        ({"results": "hugs"}, "results", "Select a valid choice"),
        ({"lead-mechanism": None}, "lead-mechanism", "Choose how the contract pays the lead provider"),
        ({"lead-value": "9" * 25}, "lead-value", "Enter no more than 20 characters"),
        ({"lead-value": "1e999999"}, "lead-value", "Amount must be less than £100,000,000,000"),
        ({"s2-share": "1e999999"}, "s2-share", "from 0% to 100%"),
    ],
)
def test_bad_input_shows_the_error_summary_and_the_fields_error(client, changes, field, message):
    response = client.get(URL + "?" + urlencode(protected_set_up(**changes)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and html.count(message) >= 2, message  # the summary and the field
    assert f'href="#id_{field}"' in html
    assert "<title>Error:" in html
    assert 'id="combinations-1"' not in html  # no results from a set-up with errors


def test_pass_through_shares_adding_up_to_more_than_100_percent(client):
    query = protected_set_up(**{"s1-terms": "pass_through", "s1-share": "90", "s2-share": "10.01"})
    html = client.get(URL + "?" + urlencode(query)).content.decode()
    assert "add up to more than 100% of the lead provider&#39;s payment" in html
    assert 'href="#id_s1-share"' in html and 'href="#id_s2-share"' in html


@pytest.mark.parametrize(
    "query",
    [
        "results=",
        "lead-mechanism=grant",
        "lead-mechanism=grant&lead-value=%00",
        "s9-terms=pass_through&results=started",
        "results=started&lead-mechanism=payment_by_results&lead-fee=1&s1-terms=pass_through&s1-share=NaN",
        "results=outcomes&lead-mechanism=hybrid&lead-value=1&lead-fixed_share=Infinity&lead-fee=1",
        "results=outcomes&lead-mechanism=fixed_fee&lead-value=1&lead-expected=%EF%BC%91",  # a full-width digit
        "results=outcomes&lead-mechanism=fixed_fee&lead-value=1&s1-terms=x&s1-name=" + "n" * 500,
        "results=started&results=completed&lead-mechanism=fixed_fee&lead-value=10&lead-value=-1",
        "lead-mechanism=hybrid&lead-fixed_share=-0&lead-value=1e3&lead-fee=0.001",
    ],
)
def test_odd_query_strings_never_give_a_500(client, query):
    response = client.get(URL + "?" + query)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_the_page_is_linked_from_the_home_page(client):
    assert 'href="/who-gets-paid/"' in client.get("/").content.decode()


def test_the_contract_pages_supply_chain_part_links_to_the_simulator(client):
    from dynamic_framework.contracts.tests.supply_chain_fixtures import build

    sc = build()
    client.force_login(sc.lead_user)
    html = client.get(f"/contracts/{sc.contract.reference}/").content.decode()
    assert "Supply chain terms and payments" in html and 'href="/who-gets-paid/"' in html


def test_the_page_reads_nothing_from_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(URL + "?" + urlencode(protected_set_up())).status_code == 200
