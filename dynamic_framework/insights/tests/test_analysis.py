"""Each metric on small hand-built cases where the right answer is obvious."""

from datetime import date
from fractions import Fraction

import pytest

from dynamic_framework.contracts.models import LotType
from dynamic_framework.insights.analysis import SelectionError, analyse
from dynamic_framework.insights.figures import Share, hhi, round_half_up, short_money, top_share
from dynamic_framework.organisations.classification import LegalForm

from .factories import (
    ContractFactory,
    MemberFactory,
    PccAreaFactory,
    RegionFactory,
    RoundFactory,
    award,
    charity,
    company,
    specialism,
)

# -- the arithmetic -----------------------------------------------------------------------------------------


def test_round_half_up_rounds_halves_up_exactly():
    assert round_half_up(Fraction(1, 2)) == 1
    assert round_half_up(Fraction(5, 2)) == 3  # not banker's rounding
    assert round_half_up(Fraction(1, 3)) == 0
    assert str(round_half_up(Fraction(1, 8) * 100, 1)) == "12.5"
    assert str(round_half_up(Fraction(1, 16) * 100, 1)) == "6.3"  # 6.25 -> 6.3


def test_shares_are_exact_and_rounded_only_when_shown():
    share = Share(23, 26)
    assert share.fraction == Fraction(23, 26)
    assert share.percent() == 88  # 88.46...
    assert str(share.percent(1)) == "88.5"
    assert str(share) == "88%"
    assert share.as_json() == {"numerator": 23, "denominator": 26, "percent": "88.5"}
    assert not Share(0, 0).known
    assert Share(0, 0).percent() is None
    assert str(Share(0, 0)) == ""


def test_hhi_of_two_equal_providers_is_5000():
    assert hhi([50, 50]) == 5_000


def test_hhi_of_one_provider_is_10000_and_of_nothing_is_not_known():
    assert hhi([123]) == 10_000
    assert hhi([]) is None
    assert hhi([0, 0]) is None


def test_hhi_of_four_equal_providers_is_2500_and_of_uneven_ones_is_the_sum_of_squared_shares():
    assert hhi([1, 1, 1, 1]) == 2_500
    assert hhi([60, 30, 10]) == 3_600 + 900 + 100
    assert hhi([2, 1]) == 5_556  # (66.67^2 + 33.33^2) = 5555.56, rounded half up


def test_top_five_share_takes_the_five_largest():
    assert top_share([10, 10, 10, 10, 10, 50]) == Share(90, 100)
    assert top_share([1, 1]) == Share(2, 2)


def test_short_money_keeps_one_decimal_in_millions():
    assert short_money(8_197_905_300) == "£82.0m"
    assert short_money(19_607_427_700) == "£196.1m"
    assert short_money(54_499_200) == "£545k"
    assert short_money(90_000) == "£900"


# -- the small world ----------------------------------------------------------------------------------------


def test_headline_figures(small_world):
    a = analyse()
    assert a.selection.round == small_world["round"]
    assert a.figure("contracts").value == 4
    assert a.figure("awards").value == 3
    assert a.figure("total_value").value == 500_000_00  # the shared award counted once
    assert a.figure("lead_providers").value == 3
    assert a.figure("voluntary_lead_providers").value == 1
    assert a.figure("voluntary_lead_share").value == Share(1, 3)
    assert a.figure("voluntary_value_share").value == Share(300_000_00, 500_000_00)
    assert a.figure("supply_chain_organisations").value == 2


def test_an_award_value_shared_by_contracts_is_counted_once_by_lot_type_and_region(small_world):
    a = analyse()
    lots = a.table("lot-types")
    assert lots.value("womens_services", "contracts") == 2
    assert lots.value("womens_services", "awards") == 1
    assert lots.value("womens_services", "value") == 300_000_00
    assert lots.value("accommodation", "value") == 200_000_00
    assert lots.value("total", "value") == 500_000_00
    assert lots.value("womens_services", "value_share").fraction == Fraction(3, 5)
    regions = a.table("regions")
    assert regions.value("X", "value") == 400_000_00
    assert regions.value("W", "value") == 100_000_00
    assert regions.value("X", "contracts") == 3


def test_sectors_show_unknown_and_never_drop_it(small_world):
    sectors = analyse().table("lead-sectors")
    assert [r.key for r in sectors.rows] == ["voluntary_and_community", "private", "public", "unknown"]
    assert sectors.value("unknown", "lead_providers") == 1
    assert sectors.value("unknown", "contracts") == 1
    assert sectors.value("unknown", "value") == 100_000_00
    assert sectors.value("unknown", "sector") == "Not known"
    assert sectors.value("public", "lead_providers") == 0
    assert sum(r.cells["lead_providers"].value for r in sectors.rows) == 3


def test_voluntary_contracts_and_value_by_lot_type(small_world):
    table = analyse().table("voluntary-by-lot-type")
    assert table.value("womens_services", "voluntary_contract_share") == Share(2, 2)
    assert table.value("accommodation", "voluntary_contract_share") == Share(0, 2)
    assert table.value("accommodation", "voluntary_value") == 0
    assert table.value("total", "voluntary_contracts") == 2
    assert table.value("total", "voluntary_lead_providers") == 1


def test_lead_providers_ranked_by_value(small_world):
    table = analyse().table("lead-providers")
    assert [r.key for r in table.rows] == ["hope-trust", "acme-ltd", "mystery-org"]
    assert table.value("hope-trust", "contracts") == 2
    assert table.value("hope-trust", "awards") == 1
    assert table.value("mystery-org", "sector") == "Not known"
    assert table.value("mystery-org", "size_band") == "Not known"


def test_supply_chains_count_organisations_once_and_places_each_time(small_world):
    table = analyse().table("supply-chains")
    assert table.value("organisations", "value") == 2  # Hope Trust (twice) and Cymru Help
    assert table.value("places", "value") == 3
    assert table.value("not_leads", "value") == 1  # Cymru Help; Hope Trust also leads
    assert table.value("full", "value") == 4  # 3 leads + Cymru Help
    assert table.value("full_voluntary", "value") == 2
    assert table.value("full_sector_unknown", "value") == 1
    assert table.value("contracts_none", "value") == 2  # the two women's services contracts
    assert table.value("contracts_one_or_two", "value") == 2


def test_a_contract_with_no_subcontractors_is_counted_once(small_world):
    sizes = analyse().table("supply-chain-sizes")
    assert sizes.value("none", "contracts") == 2
    assert sizes.value("one", "contracts") == 1
    assert sizes.value("two", "contracts") == 1
    assert sum(r.cells["contracts"].value for r in sizes.rows) == 4
    by_lot = analyse().table("supply-chain-sizes-by-lot-type")
    assert by_lot.value("womens_services", "none") == 2
    assert by_lot.value("accommodation", "one_or_two") == 2
    assert by_lot.value("total", "places") == 3


def test_a_contract_missing_from_the_register_has_a_supply_chain_not_known(small_world):
    c = small_world["contracts"][0]
    c.hmpps_reference = None
    c.save()
    a = analyse()
    assert a.table("supply-chain-sizes").value("not_known", "contracts") == 1
    assert a.table("supply-chain-sizes").value("none", "contracts") == 1
    assert a.table("supply-chains").value("contracts_not_known", "value") == 1


def test_supply_chain_sectors_and_sizes(small_world):
    a = analyse()
    sectors = a.table("supply-chain-sectors")
    assert sectors.value("voluntary_and_community", "organisations") == 2
    assert sectors.value("voluntary_and_community", "places") == 3
    assert sectors.value("unknown", "full") == 1
    bands = a.table("supply-chain-size-bands")
    # the factory's charities have an income of £250,000: medium, so "small" (under £1 million)
    assert bands.value("medium", "places") == 3
    figures = a.table("supply-chains")
    assert figures.value("small_place_share", "value") == Share(3, 3)
    assert figures.value("unknown_size_places", "value") == 0


def test_organisations_in_many_areas(db):
    round_ = RoundFactory(slug="r", position=0)
    region = RegionFactory(code="M")
    areas = [PccAreaFactory(region=region) for _ in range(6)]
    everywhere, somewhere = charity("Everywhere"), charity("Somewhere")
    lead = charity("Lead")
    _a, contracts = award(round_, lead, lot_type=LotType.PERSONAL_WELLBEING, value=10, areas=areas)
    for c in contracts:
        MemberFactory(contract=c, organisation=everywhere)
    for c in contracts[:4]:
        MemberFactory(contract=c, organisation=somewhere)
    table = analyse().table("repeat-partners")
    assert [r.key for r in table.rows] == ["everywhere"]  # 6 areas; Somewhere is in 4, under 5
    assert table.value("everywhere", "areas") == 6
    assert table.value("everywhere", "lead_providers") == 1
    assert analyse().table("supply-chains").value("many_areas", "value") == 1


def test_concentration_two_providers_half_each(db):
    round_ = RoundFactory(slug="r", position=0)
    region = RegionFactory(code="N")
    award(round_, charity("One"), region=region, value=1_000)
    award(round_, company("Two"), region=RegionFactory(code="O"), value=1_000)
    table = analyse().table("concentration")
    assert table.value("accommodation", "hhi") == 5_000
    assert table.value("accommodation", "providers") == 2
    assert table.value("accommodation", "top_share") == Share(2_000_00, 2_000_00)
    assert table.value("accommodation", "level") == "Highly concentrated"
    top = analyse().table("top-providers")
    assert [r.cells["rank"].value for r in top.rows] == [1, 2]
    assert top.value("accommodation.1", "value_share").fraction == Fraction(1, 2)


def test_concentration_sums_a_providers_awards_and_counts_the_top_five(db):
    round_ = RoundFactory(slug="r", position=0)
    big = company("Big")
    award(round_, big, value=400)
    award(round_, big, value=400)
    for i in range(6):
        award(round_, charity(f"Small {i}"), value=100)
    table = analyse().table("concentration")
    assert table.value("accommodation", "providers") == 7
    # Big 800 of 1,400; the next four 100 each: 1,200 of 1,400
    assert table.value("accommodation", "top_share") == Share(1_200_00, 1_400_00)
    expected = round_half_up(Fraction(10_000 * (800**2 + 6 * 100**2), 1_400**2))
    assert table.value("accommodation", "hhi") == int(expected)


def test_wales_counts_welsh_organisations(small_world):
    welsh = specialism("welsh-organisation", "Welsh organisation")
    small_world["orgs"]["cymru"].specialisms.set([welsh])
    a = analyse()
    table = a.table("wales")
    assert table.value("contracts", "value") == 1
    assert table.value("lead_providers", "value") == 1
    assert table.value("welsh_lead_providers", "value") == 0
    assert table.value("supply_chain_organisations", "value") == 2
    assert table.value("welsh_supply_chain_organisations", "value") == 1
    assert "Cymru Help" in table.summary
    orgs = a.table("wales-organisations")
    assert orgs.rows[0].key == "cymru-help"
    assert orgs.value("cymru-help", "welsh") == "Yes"
    assert orgs.summary == "3 organisations hold contracts or places in supply chains in Wales, 1 of them Welsh."


def test_specialist_organisations_as_leads_and_in_supply_chains(small_world):
    womens = specialism("womens-organisation", "Women's organisation")
    specialism("led-by-and-for-racially-minoritised-people", "Led by and for racially minoritised people")
    small_world["orgs"]["hope"].specialisms.set([womens])
    a = analyse()
    table = a.table("specialisms")
    assert table.value("womens-organisation", "lead_providers") == 1
    assert table.value("womens-organisation", "contracts") == 2
    assert table.value("womens-organisation", "value") == 300_000_00
    assert table.value("womens-organisation", "supply_chain_organisations") == 1
    assert table.value("womens-organisation", "places") == 2
    assert table.value("led-by-and-for-racially-minoritised-people", "supply_chain_organisations") == 0
    assert [r.key for r in a.table("specialist-organisations").rows] == ["hope-trust"]


def test_coverage_grid_every_area_and_lot_type(small_world):
    a = analyse()
    assert a.coverage_lot_types == [LotType.WOMENS_SERVICES, LotType.ACCOMMODATION]
    grid = {(row.area.slug, cell.lot_type): cell.contracts for row in a.coverage for cell in row.cells}
    assert len(grid) == 3 * 2
    # region X's regional accommodation contract covers both its areas
    assert grid[("x1", LotType.ACCOMMODATION)] == [small_world["contracts"][2]]
    assert grid[("x2", LotType.ACCOMMODATION)] == [small_world["contracts"][2]]
    assert grid[("w1", LotType.WOMENS_SERVICES)] == []
    table = a.table("coverage")
    assert table.value("w1.womens_services", "contracts") == 0
    assert "1 of the 6" in table.summary


def test_end_dates_timeline(small_world):
    table = analyse().table("end-dates")
    assert [r.key for r in table.rows] == ["2023-06-30", "2025-03-31"]
    assert table.value("2025-03-31", "contracts") == 3
    assert table.value("2023-06-30", "notes") == ["until June 2023"]
    assert table.chart.kind == "timeline"
    assert table.summary.startswith("3 contracts end on 31 March 2025")


def test_a_contract_without_an_end_date_is_not_known_not_dropped(small_world):
    c = small_world["contracts"][0]
    c.end_date = None
    c.save()
    table = analyse().table("end-dates")
    assert table.rows[-1].key == "not-known"
    assert sum(r.cells["contracts"].value for r in table.rows) == 4


# -- filters ---------------------------------------------------------------------------------------------------


def test_filter_by_region(small_world):
    a = analyse(region="W")
    assert a.figure("contracts").value == 1
    assert a.figure("total_value").value == 100_000_00
    assert [row.area.slug for row in a.coverage] == ["w1"]


def test_filter_by_lot_type(small_world):
    a = analyse(lot_type=LotType.ACCOMMODATION)
    assert a.figure("contracts").value == 2
    assert [r.key for r in a.table("lot-types").rows] == ["accommodation"]  # no totals row for one lot type


def test_filter_by_pcc_area_includes_regional_contracts_and_counts_awards_whole(small_world):
    a = analyse(pcc_area="x1")
    refs = {c.reference for c in a.contracts}
    c1, _c2, c3, _c4 = small_world["contracts"]
    assert refs == {c1.reference, c3.reference}
    # the women's award covers X1 and X2 and is counted whole: £300,000, not £150,000
    assert a.figure("total_value").value == 400_000_00
    assert any("counted whole" in note for note in a.notes)


def test_unknown_filter_values_and_mismatched_area_are_refused(small_world):
    with pytest.raises(SelectionError) as exc:
        analyse(region="Q")
    assert exc.value.field == "region"
    with pytest.raises(SelectionError):
        analyse(round="no-such-round")
    with pytest.raises(SelectionError):
        analyse(lot_type="nothing")
    with pytest.raises(SelectionError):
        analyse(pcc_area="nowhere")
    with pytest.raises(SelectionError) as exc:
        analyse(region="W", pcc_area="x1")
    assert exc.value.field == "pcc_area"


def test_another_round_is_chosen_by_slug_and_the_default_is_position_0(small_world):
    other = RoundFactory(slug="later", name="Later", position=5)
    ContractFactory(
        award=None, round=other, lead_provider=small_world["orgs"]["acme"], region=small_world["regions"]["x"]
    )
    assert analyse().selection.round.slug == "small-round"
    a = analyse(round="later")
    assert a.figure("contracts").value == 1
    assert a.figure("awards").value == 0
    assert a.figure("total_value").value is None  # no published value: not known, not £0
    assert any("no award" in note for note in a.notes)
    assert a.table("concentration").rows == []


def test_an_award_without_a_value_is_noted_and_left_out_of_the_values(small_world):
    award(small_world["round"], small_world["orgs"]["acme"], value=None, region=small_world["regions"]["x"])
    a = analyse()
    assert a.figure("total_value").value == 500_000_00
    assert a.figure("awards").value == 4
    assert any("no published value" in note for note in a.notes)


# -- every figure has its contracts, in a fixed number of queries -------------------------------------------


def test_every_figure_links_to_a_set_of_contracts_that_exists(small_world):
    a = analyse()
    for f in a.all_figures():
        if f["contracts"] is not None:
            assert f["contracts"] in a.contract_sets, f["key"]
    for table in a.tables.values():
        for row in table.rows:
            for cell in row.cells.values():
                assert cell.contracts is None or cell.contracts in a.contract_sets, (table.slug, row.key)


def test_contract_sets_list_the_right_contracts(small_world):
    a = analyse()
    c1, c2, c3, c4 = small_world["contracts"]
    assert a.contract_sets["all"].references == sorted(c.reference for c in small_world["contracts"])
    assert set(a.contract_sets["lot.womens_services"].references) == {c1.reference, c2.reference}
    assert a.contract_sets["lead-sector.unknown"].references == [c4.reference]
    assert set(a.contract_sets["supply-chain-size.none"].references) == {c1.reference, c2.reference}
    assert a.contracts_for("wales") == [c4]


def test_the_analysis_makes_a_fixed_number_of_queries(small_world, django_assert_num_queries):
    with django_assert_num_queries(6):  # round, contracts, supply chains, specialisms (2), PCC areas
        analyse()
    round_ = small_world["round"]
    region = small_world["regions"]["x"]
    for i in range(20):
        _a, contracts = award(round_, charity(f"More {i}"), region=region, value=1)
        MemberFactory(contract=contracts[0], organisation=charity(f"Partner {i}"))
    with django_assert_num_queries(6):
        a = analyse()
    assert a.figure("contracts").value == 24


def test_filters_given_as_objects_need_no_lookups(small_world, django_assert_num_queries):
    with django_assert_num_queries(5):
        analyse(round=small_world["round"], region=small_world["regions"]["x"])


def test_no_round_at_all_is_a_selection_error(db):
    with pytest.raises(SelectionError):
        analyse()


def test_income_recorded_or_declared_sets_the_size_band(db):
    round_ = RoundFactory(slug="r", position=0)
    lead = charity("Lead")
    _a, (c,) = award(round_, lead, value=1)
    tiny = charity("Tiny", latest_income_pence=5_000_00)
    big = charity("Big", latest_income_pence=None, income_year="", declared_size_band="major")
    MemberFactory(contract=c, organisation=tiny)
    MemberFactory(contract=c, organisation=big)
    bands = analyse().table("supply-chain-size-bands")
    assert bands.value("micro", "places") == 1
    assert bands.value("major", "places") == 1
    assert analyse().table("supply-chains").value("small_place_share", "value") == Share(1, 2)


def test_sector_override_wins_over_legal_form(db):
    round_ = RoundFactory(slug="r", position=0)
    lead = charity("Subsidiary", legal_form=LegalForm.COMPANY_LIMITED_BY_GUARANTEE)
    lead.sector_override = "private"
    lead.sector_override_reason = "a private group's subsidiary"
    lead.save()
    award(round_, lead, value=1)
    assert analyse().table("lead-sectors").value("private", "lead_providers") == 1


def test_dates_are_shown_in_uk_style_in_text(small_world):
    from dynamic_framework.insights.figures import display

    assert display(date(2025, 3, 31), "date") == "31 March 2025"
