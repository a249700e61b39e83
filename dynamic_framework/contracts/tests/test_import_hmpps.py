"""The HMPPS contract register: matching rows to 2021 award contracts, other rounds, supply chains, bad input."""

from datetime import UTC, date, datetime

import pytest

from dynamic_framework.contracts import importers, selectors
from dynamic_framework.contracts.models import CommissioningRound, Contract, SupplyChainMember
from dynamic_framework.contracts.reporting import ImportRefused
from dynamic_framework.core.models import AuditEvent


def test_register_rows_match_their_2021_award_contracts(imported):
    assert Contract.objects.filter(round__slug="2021-national-awards", hmpps_reference__isnull=False).count() == 110

    north_wales = Contract.objects.get(hmpps_reference="PRJ_5591")
    assert north_wales.reference == "2021-L49-north-wales-young-adults"
    assert (north_wales.min_age, north_wales.max_age) == (18, 25)
    assert north_wales.title == "Personal Wellbeing Services in North Wales (18-25)"
    assert Contract.objects.get(hmpps_reference="PRJ_5650").reference == "2021-L49-north-wales-aged-26-plus"
    assert Contract.objects.get(hmpps_reference="PRJ_6521").reference == "2021-L49-dyfed-powys-aged-26-plus"
    assert Contract.objects.get(hmpps_reference="PRJ_6528").reference == "2021-L49-dyfed-powys-young-adults"

    london = Contract.objects.get(hmpps_reference="PRJ_5628")
    assert london.reference == "2021-L22-metropolitan" and london.lot_type == "personal_wellbeing"

    ete = Contract.objects.get(hmpps_reference="PRJ_5428")
    assert ete.reference == "2021-L30-north-east"
    assert ete.referrals_closed_at == datetime(2023, 12, 31, 23, 59, tzinfo=UTC)
    assert ete.referrals_opened_on == date(2021, 1, 1)
    assert (ete.allows_female, ete.allows_male) == (False, True)
    assert ete.hmpps_contract_type == "ETE"
    # The register does not move the published dates.
    assert ete.end_date == date(2025, 3, 31)
    womens = Contract.objects.get(hmpps_reference="PRJ_5809")
    assert (womens.allows_female, womens.allows_male) == (True, False)


def test_supply_chains(imported):
    lincs = Contract.objects.get(hmpps_reference="PRJ_5600")
    members = {m.name_as_written: m for m in lincs.supply_chain.select_related("organisation")}
    # Six names as published; "Reform,Restore,Respect" is one organisation, not three.
    assert sorted(members) == [
        "DVIP (Richmond Fellowship)",
        "Lincolnshire Action Trust",
        "Magistra",
        "RFEA",
        "Reform,Restore,Respect",
        "Up Beat Life",
    ]
    assert {m.role for m in members.values()} == {"subcontractor"}
    assert members["Lincolnshire Action Trust"].source == "HMPPS register PRJ_5600"

    # St Giles Trust and The Wise Group are the partnership's members, not its subcontractors.
    durham = Contract.objects.get(hmpps_reference="PRJ_5781")
    roles = {m.organisation.name: m.role for m in durham.supply_chain.select_related("organisation")}
    assert roles == {"HumanKind": "subcontractor", "St Giles Trust": "partner", "The Wise Group": "partner"}
    assert Contract.objects.get(hmpps_reference="PRJ_5822").supply_chain.count() == 0
    assert SupplyChainMember.objects.count() == 343


def test_other_register_rows_are_contracts_in_other_rounds(imported):
    others = Contract.objects.exclude(round__slug="2021-national-awards")
    assert others.count() == 86
    assert not others.filter(award__isnull=False).exists()  # no award value is published for them
    assert CommissioningRound.objects.count() == 11

    nwps = Contract.objects.get(reference="PRJ_5556NWPS")
    assert nwps.round.slug == "2025-north-west-in-house-accommodation"
    assert nwps.lead_provider.slug == "hmpps-north-west"  # "North West Probation Service": the public body
    assert nwps.lead_provider.sector == "public"
    custody = Contract.objects.get(hmpps_reference="PRJ_5556")
    assert custody.round.slug == "2021-national-awards" and custody.lead_provider.name.startswith("Seetec")

    london = Contract.objects.get(reference="PRJ_7283_E")
    assert london.round.slug == "2022-london-womens-services"
    assert london.lot_type == "womens_services" and london.region.code == "J" and london.pcc_area is None
    assert london.commissioner.slug == "hmpps-london"
    assert london.supply_chain.count() == 7

    gm = Contract.objects.get(reference="DN547952_1")
    assert gm.round.slug == "2021-greater-manchester" and gm.lot_type == "womens_services"
    assert Contract.objects.get(reference="DN671065_BOLTON_FBD").lot_type == "finance_benefit_debt"
    assert Contract.objects.get(reference="PRJ_14249").lot_type == "dependency_recovery"
    assert Contract.objects.get(reference="DN545200").lot_type == "mentoring"
    assert list(Contract.objects.get(reference="DN545200").service_categories.values_list("number", flat=True)) == [6]
    assert Contract.objects.get(reference="PRJ_7647").lead_provider.name == "St Giles Wise Ltd"


def test_messy_values_are_reported_not_hidden(imported):
    _awards, (_orgs, report) = imported
    text = "\n".join(report.warnings)
    assert "'Reform,Restore,Respect'" in text and "comma without a space" in text
    assert "Finance,Benefit and Debt in Custody in the North East" in text
    assert "curly apostrophe" in text
    # Every "until June 2023" area is a "DA" row in the register and the other way round: no warning.
    assert "'DA'" not in text
    assert "has no row in the HMPPS register" not in text


def test_a_second_run_changes_nothing_and_records_nothing(imported):
    _awards, (_orgs, first) = imported
    assert AuditEvent.objects.filter(action="contracts.hmpps_contracts_imported").count() == 1
    events = AuditEvent.objects.count()
    orgs, second = importers.import_hmpps_contracts()
    assert (second.created, second.updated, second.total("deleted")) == (0, 0, 0)
    assert second.unchanged == first.created + first.updated
    assert orgs.changed is False
    assert AuditEvent.objects.count() == events


def test_a_removed_subcontractor_leaves_the_supply_chain(imported, edited_copy):
    def edit(rows):
        row = next(r for r in rows if r["contract_reference"] == "PRJ_5600")
        row["subcontractor_names"] = "Magistra; RFEA"

    _orgs, report = importers.import_hmpps_contracts(path=edited_copy("hmpps_contracts.csv", edit))
    assert report.total("deleted") == 4
    assert Contract.objects.get(hmpps_reference="PRJ_5600").supply_chain.count() == 2


def _row(rows, ref):
    return next(r for r in rows if r["contract_reference"] == ref)


BAD_ROWS = [
    ("PRJ_5591", "allows_male", "yes", "allows_male 'yes' must be True or False"),
    ("PRJ_5428", "nps_region", "Z", "unknown region 'Z'"),
    ("PRJ_5596", "pcc_region", "rutland", "unknown PCC area 'rutland'"),
    ("PRJ_5596", "subcontractor_names", "Change Grow Live", "subcontractor 'Change Grow Live' matches no organisation"),
    ("PRJ_5596", "contract_type_code", "XYZ", "unknown contract_type_code 'XYZ'"),
    ("PRJ_5596", "hide_after", "31/12/2023", "hide_after '31/12/2023' is not a time"),
    ("PRJ_5591", "prime_provider_name", "Nacro", "is not the award's lead provider"),
    ("PRJ_7283_E", "contract_reference", "PRJ_9999", "belongs to no commissioning round"),
    ("PRJ_5428", "prime_provider_code", "NACRO", "whose HMPPS code is INGEUS_UK_LIMITED, not NACRO"),
]


@pytest.mark.parametrize(("ref", "column", "value", "reason"), BAD_ROWS)
def test_a_malformed_row_refuses_the_whole_file(awards_imported, edited_copy, ref, column, value, reason):
    line = {}

    def edit(rows):
        row = _row(rows, ref)
        line["n"] = rows.index(row) + 2
        row[column] = value

    path = edited_copy("hmpps_contracts.csv", edit)
    with pytest.raises(ImportRefused) as exc:
        importers.import_hmpps_contracts(path=path)
    message = str(exc.value)
    assert str(path) in message
    assert f"line {line['n']}:" in message and reason in message, message
    assert not Contract.objects.filter(hmpps_reference__isnull=False).exists()
    assert not Contract.objects.exclude(round__slug="2021-national-awards").exists()
    assert not SupplyChainMember.objects.exists()
    assert not AuditEvent.objects.filter(action="contracts.hmpps_contracts_imported").exists()


def test_the_register_needs_the_awards_first(refdata):
    with pytest.raises(importers.ReferenceDataError, match="import-awards-2021 first"):
        importers.import_hmpps_contracts()


def test_selectors_load_contracts_in_a_fixed_number_of_queries(imported, django_assert_max_num_queries):
    round_ = selectors.default_round()
    with django_assert_max_num_queries(4):
        rows = [
            (
                c.reference,
                c.lead_provider.name,
                c.region.name,
                c.pcc_area.name if c.pcc_area else "",
                c.award.value_pence if c.award else None,
                c.commissioner.name,
                [m.organisation.name for m in c.supply_chain.all()],
                [s.number for s in c.service_categories.all()],
            )
            for c in selectors.contracts(round=round_)
        ]
    assert len(rows) == 110
    with django_assert_max_num_queries(3):
        awards = [
            (a.lead_provider.name, a.region.name, [c.lot_name for c in a.contracts.all()])
            for a in selectors.awards(round=round_)
        ]
    assert len(awards) == 66 and sum(len(a[2]) for a in awards) == 110
    with django_assert_max_num_queries(2):
        leads = [
            (o.name, o.sector_code, o.size_band_code, [s.slug for s in o.specialisms.all()])
            for o in selectors.lead_organisations(round=round_)
        ]
    assert len(leads) == 26
