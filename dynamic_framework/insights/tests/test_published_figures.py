"""THE PUBLISHED FIGURES, FROM THE IMPORTED DATA (not hand-built cases).

The reference data, the 2021 award list and the HMPPS register are loaded once for this module with the
real importers (about 7 seconds), in a transaction rolled back at the end. The figures asserted are the ones
the Ministry of Justice (seed 003) and Clinks (seed 000) published; where the published text and the list
disagree (£118 million for personal wellbeing), the test asserts that the page shows both and why.
"""

import re

import pytest
from django.db import transaction

from dynamic_framework.contracts.models import LotType
from dynamic_framework.insights import published
from dynamic_framework.insights.analysis import analyse
from dynamic_framework.insights.figures import Share


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    from dynamic_framework.contracts import importers
    from dynamic_framework.core.services import load_reference_data

    with django_db_blocker.unblock(), transaction.atomic():
        load_reference_data()
        importers.import_awards_2021()
        importers.import_hmpps_contracts()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def a(imported, db):
    return analyse()


def test_the_default_round_is_the_2021_awards(a):
    assert a.selection.round.slug == "2021-national-awards"


def test_110_contracts_66_awards(a):
    assert a.figure("contracts").value == 110
    assert a.figure("awards").value == 66


def test_26_lead_organisations_of_which_23_voluntary(a):
    assert a.figure("lead_providers").value == 26
    assert a.figure("voluntary_lead_providers").value == 23
    assert a.figure("voluntary_lead_share").value == Share(23, 26)
    assert a.figure("voluntary_lead_share").value.percent() == 88


def test_the_total_of_the_award_lines_and_each_lot_type(a):
    assert a.figure("total_value").value == 196_074_277_00
    lots = a.table("lot-types")
    assert lots.value(LotType.PERSONAL_WELLBEING, "value") == 81_979_053_00
    assert lots.value(LotType.WOMENS_SERVICES, "value") == 46_609_099_00
    assert lots.value(LotType.EDUCATION_TRAINING_EMPLOYMENT, "value") == 33_836_715_00
    assert lots.value(LotType.ACCOMMODATION, "value") == 33_649_410_00
    assert [(r.key, r.cells["contracts"].value) for r in lots.rows] == [
        (LotType.WOMENS_SERVICES, 40),
        (LotType.PERSONAL_WELLBEING, 45),
        (LotType.ACCOMMODATION, 14),
        (LotType.EDUCATION_TRAINING_EMPLOYMENT, 11),
        ("total", 110),
    ]


def test_voluntary_share_of_the_value_is_about_two_thirds(a):
    share = a.figure("voluntary_value_share").value
    assert share.percent() == 64
    assert "about two thirds" in a.table("lead-sectors").summary


def test_voluntary_contracts_by_lot_type(a):
    table = a.table("voluntary-by-lot-type")
    assert table.value(LotType.PERSONAL_WELLBEING, "voluntary_contract_share") == Share(34, 45)
    assert table.value(LotType.ACCOMMODATION, "voluntary_contract_share") == Share(9, 14)
    assert table.value(LotType.WOMENS_SERVICES, "voluntary_contract_share") == Share(40, 40)
    assert table.value(LotType.PERSONAL_WELLBEING, "voluntary_lead_providers") == 6


def test_one_voluntary_lead_in_education_training_and_employment_the_growth_company(a):
    table = a.table("voluntary-by-lot-type")
    assert table.value(LotType.EDUCATION_TRAINING_EMPLOYMENT, "voluntary_lead_providers") == 1
    key = table.cell(LotType.EDUCATION_TRAINING_EMPLOYMENT, "voluntary_lead_providers").contracts
    assert {c.lead_provider.name for c in a.contracts_for(key)} == {"The Growth Company"}


def test_wales_no_welsh_leads_and_three_welsh_organisations_in_supply_chains(a):
    table = a.table("wales")
    assert table.value("welsh_lead_providers", "value") == 0
    assert table.value("welsh_supply_chain_organisations", "value") == 3


def test_re_commissioning_dates(a):
    table = a.table("end-dates")
    assert {r.key: r.cells["contracts"].value for r in table.rows} == {
        "2023-06-30": 17,  # the areas served "until June 2023"
        "2025-03-31": 61,
        "2026-03-31": 32,  # women's services
    }


def test_the_published_comparison(a):
    by_key = {c.statement.key: c for c in a.published}
    assert len(by_key) == len(published.load())
    for key in (
        "moj-organisations",
        "clinks-88-percent-voluntary-leads",
        "clinks-110-contracts",
        "clinks-26-lead-providers",
        "clinks-23-voluntary-leads",
        "clinks-accommodation-9-of-14",
        "clinks-personal-wellbeing-34-of-45",
        "clinks-personal-wellbeing-6-voluntary-leads",
        "clinks-ete-one-voluntary-lead",
        "clinks-wales-no-welsh-leads",
        "clinks-wales-three-welsh-members",
        "clinks-womens-all-voluntary",
    ):
        assert by_key[key].status == published.MATCHES, key
    for key in (
        "moj-total-value",
        "moj-womens-over-45m",
        "moj-accommodation-over-33m",
        "moj-ete-33m",
        "moj-two-thirds-charities",
        "clinks-two-thirds-value",
    ):
        assert by_key[key].status == published.CONSISTENT, key
    pwb = by_key["moj-personal-wellbeing-118m"]
    assert pwb.status == published.DIFFERS
    assert pwb.computed_text == "£81,979,053"
    assert "standard term" in pwb.reason
    assert by_key["moj-could-rise-270m"].status == published.NOT_COMPARABLE
    # every statement found its computed figure (none is "not known" for want of a row)
    for c in a.published:
        assert c.value is not None, c.statement.key


def test_the_dashboard_shows_the_figures_and_both_personal_wellbeing_values(a, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/insights/")
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
    for expected in (
        "110 Contracts",
        "26 Lead providers",
        "23 Lead providers in the voluntary and community sector",
        "88% Share of lead providers",
        "£196.1m Total value of the awards",
        "64% Share of the value",
        "£81,979,053",
        "up to £118 million",
        "34 of 45",
        "9 of 14",
    ):
        assert expected in text, expected


def test_the_api_and_the_command_give_the_same_figures(a, client):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("insights", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == client.get("/api/v1/insights/").json()
    assert data["headline"]["contracts"]["value"] == 110
    assert data["headline"]["total_value"]["value"] == 196_074_277_00
    assert data["headline"]["voluntary_lead_share"]["value"]["percent"] == "88.5"


def test_query_count_on_the_real_data(a, django_assert_num_queries):
    with django_assert_num_queries(6):
        analyse()
