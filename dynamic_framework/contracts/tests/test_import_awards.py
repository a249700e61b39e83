"""The 2021 award list: the published figures, idempotency, and refusing a malformed file whole."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dynamic_framework.contracts import importers, selectors
from dynamic_framework.contracts.models import Award, CommissioningRound, Contract
from dynamic_framework.contracts.reporting import ImportRefused
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.classification import Sector
from dynamic_framework.organisations.models import Organisation

VOLUNTARY = Sector.VOLUNTARY


def test_the_2021_round_has_the_published_figures(awards_imported):
    round_ = selectors.default_round()
    assert round_.slug == "2021-national-awards" and round_.position == 0
    assert round_.name == "2021 national awards (day-one contracts)"
    assert round_.announced_on == date(2021, 5, 21)
    assert "seed 003" in round_.source and "seed 000" in round_.source

    contracts = list(selectors.contracts(round=round_))
    assert len(contracts) == 110
    by_lot = {}
    for c in contracts:
        by_lot.setdefault(c.lot_type, []).append(c)
    assert {lot: len(cs) for lot, cs in by_lot.items()} == {
        "womens_services": 40,
        "personal_wellbeing": 45,
        "accommodation": 14,
        "education_training_employment": 11,
    }
    assert Award.objects.filter(round=round_).count() == 66

    leads = list(selectors.lead_organisations(round=round_))
    assert len(leads) == 26
    assert sum(o.sector_code == VOLUNTARY for o in leads) == 23
    assert sorted(o.name for o in leads if o.sector_code != VOLUNTARY) == [
        "Ingeus UK Limited",
        "MAXIMUS UK Services Limited",
        "Seetec Business Technology Centre Limited",
    ]
    assert all(o.sector_code == Sector.PRIVATE for o in leads if o.sector_code != VOLUNTARY)

    assert selectors.award_value_total(round=round_) == 19_607_427_700  # £196,074,277
    assert selectors.award_value_total(round=round_, lot_type="personal_wellbeing") == 8_197_905_300

    def voluntary(lot):
        return sum(c.lead_provider.sector == VOLUNTARY for c in by_lot[lot])

    assert voluntary("personal_wellbeing") == 34
    assert voluntary("accommodation") == 9
    assert voluntary("womens_services") == 40
    ete_voluntary = {
        c.lead_provider.name for c in by_lot["education_training_employment"] if c.lead_provider.sector == VOLUNTARY
    }
    assert ete_voluntary == {"The Growth Company"}
    for name in ["The Growth Company", "St Giles Wise Group Partnership", "Thirteen Housing Group", "Foundation"]:
        assert Organisation.objects.get(name=name).sector == VOLUNTARY, name


def test_contracts_lots_dates_and_commissioners(awards_imported):
    c = Contract.objects.get(reference="2021-L10-northamptonshire")
    assert c.award.reference == "2021-line-10" and c.lead_provider.name == "St Giles Wise Group Partnership"
    assert c.start_date == date(2021, 6, 26)
    assert c.end_date == date(2023, 6, 30)
    assert c.end_date_note == "until June 2023 (day not published; last day of the month assumed)"
    assert c.commissioner.slug == "hmpps-east-of-england"
    assert c.lead_provider_as_written == "St Giles Wise (SGW)"
    # Women's services end a year later than the other lots.
    assert Contract.objects.get(reference="2021-L10-cambridgeshire").end_date == date(2026, 3, 31)
    assert Contract.objects.get(reference="2021-L7-east-midlands").end_date == date(2025, 3, 31)

    # An award line naming three PCC areas is three contracts sharing one award value.
    award = Award.objects.get(reference="2021-line-6")
    assert award.value_pence == 602_106_400
    assert sorted(award.contracts.values_list("pcc_area__slug", flat=True)) == [
        "derbyshire",
        "leicestershire",
        "nottinghamshire",
    ]
    # Regional lots: no PCC area. London personal wellbeing: the one London PCC area.
    regional = Contract.objects.get(reference="2021-L7-east-midlands")
    assert regional.pcc_area is None and regional.is_regional and regional.lot_name == "East Midlands"
    assert Contract.objects.get(reference="2021-L22-metropolitan").pcc_area.slug == "metropolitan"
    # Accommodation in Wales is bought by PCC area.
    assert Contract.objects.filter(award__reference="2021-line-50").count() == 3

    # Wales personal wellbeing: each area is two contracts, young adults and aged 26 and over.
    wales = Contract.objects.filter(award__reference="2021-line-49")
    assert wales.count() == 8
    assert set(wales.values_list("cohort", flat=True)) == {"young_adults", "aged_26_plus"}
    gwent = Contract.objects.get(reference="2021-L49-gwent-young-adults")
    assert gwent.end_date == date(2023, 6, 30)
    assert Contract.objects.get(reference="2021-L49-north-wales-aged-26-plus").end_date == date(2025, 3, 31)

    # Service categories come from the lot type.
    assert sorted(gwent.service_categories.values_list("number", flat=True)) == [5, 6, 7, 8]
    assert list(c.service_categories.values_list("number", flat=True)) == [9]
    assert list(regional.service_categories.values_list("number", flat=True)) == [1]


def test_award_values_notes_and_source_wording(awards_imported):
    orgs, report = awards_imported
    stray = Award.objects.get(reference="2021-line-64")
    assert stray.value_as_written == "£2,593, 567"
    assert stray.value_pence == 259_356_700
    assert any("stray space" in w and "line 65" in w for w in report.warnings)
    cumbria = Award.objects.get(reference="2021-line-33")
    assert cumbria.subject_to_contract is True
    assert cumbria.source_text.endswith("(Cumbria – until June 2023) (Subject to contract)")
    assert Award.objects.filter(subject_to_contract=True).count() == 1
    assert Award.objects.get(reference="2021-line-22").provider_as_written == "Catch 22"


def test_a_second_run_changes_nothing_and_records_nothing(awards_imported):
    _orgs, first = awards_imported
    assert first.created == 177  # 1 round, 66 awards, 110 contracts
    assert AuditEvent.objects.filter(action="contracts.awards_2021_imported").count() == 1
    assert AuditEvent.objects.filter(action="organisations.organisation_created").count() == 138
    events = AuditEvent.objects.count()
    orgs, second = importers.import_awards_2021()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 177)
    assert (orgs.created, orgs.updated, orgs.unchanged) == (0, 0, 138)
    assert AuditEvent.objects.count() == events


def test_a_changed_value_is_updated_with_one_event(awards_imported, edited_copy):
    def edit(rows):
        rows[0]["value_as_written"] = "£544,993"

    orgs, report = importers.import_awards_2021(path=edited_copy("awards_2021.csv", edit))
    assert (report.created, report.updated) == (0, 1)
    assert Award.objects.get(reference="2021-line-1").value_pence == 54_499_300
    event = AuditEvent.objects.filter(action="contracts.awards_2021_imported").last()
    assert event.after["counts"]["awards"] == {"unchanged": 65, "updated": 1}


BAD_ROWS = [
    ("value_as_written", "about £500k", "value 'about £500k' is not an amount"),
    ("region", "Mercia", "unknown region 'Mercia'"),
    ("pcc_areas", "Lincolnshire; Rutland", "unknown PCC area 'Rutland'"),
    ("pcc_areas", "Kent", "PCC area 'Kent' is not in East Midlands"),
    ("provider_as_written", "Lincs Action Trust", "provider 'Lincs Action Trust' matches no organisation"),
    ("lot_type", "gardening", "lot_type 'gardening' is not one of"),
    ("line", "first", "line 'first' must be a whole number"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_ROWS)
def test_a_malformed_row_refuses_the_whole_file(refdata, edited_copy, column, value, reason):
    def edit(rows):
        rows[0][column] = value

    path = edited_copy("awards_2021.csv", edit)
    with pytest.raises(ImportRefused) as exc:
        importers.import_awards_2021(path=path)
    message = str(exc.value)
    assert str(path) in message
    assert "line 2:" in message and reason in message, message
    assert Award.objects.count() == 0
    assert Contract.objects.count() == 0
    assert CommissioningRound.objects.count() == 0
    assert not Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).exists()  # the organisations too
    assert not AuditEvent.objects.filter(action__startswith="contracts.").exists()


def test_every_unmatched_name_is_reported(refdata, edited_copy):
    def edit(rows):
        rows[4]["provider_as_written"] = "The Forwards Trust"
        rows[20]["provider_as_written"] = "Seetec Ltd"
        rows[30]["region"] = "Narnia"

    with pytest.raises(ImportRefused) as exc:
        importers.import_awards_2021(path=edited_copy("awards_2021.csv", edit))
    assert exc.value.unmatched == ["line 6: provider 'The Forwards Trust'", "line 22: provider 'Seetec Ltd'"]
    assert [line for line, _ in exc.value.problems] == [6, 22, 32]


def test_the_command_prints_the_report_and_fails_on_a_refused_file(refdata, edited_copy, capsys):
    call_command("import_awards_2021")
    out = capsys.readouterr().out
    assert "2021 awards: 177 created, 0 updated, 0 unchanged" in out
    assert "contracts: 110 created" in out
    assert "stray space" in out

    def edit(rows):
        rows[2]["pcc_areas"] = "Nottingham"

    with pytest.raises(CommandError) as exc:
        call_command("import_awards_2021", file=edited_copy("awards_2021.csv", edit))
    assert "line 4: unknown PCC area 'Nottingham'" in str(exc.value)


def test_the_awards_need_the_reference_data(db):
    with pytest.raises(importers.ReferenceDataError, match="load-reference-data"):
        importers.import_awards_2021()


def test_a_contract_no_longer_in_the_file_is_reported_not_deleted(awards_imported, edited_copy):
    def edit(rows):
        rows.pop()  # line 66, The Growth Company, ETE

    _orgs, report = importers.import_awards_2021(path=edited_copy("awards_2021.csv", edit))
    assert any("2021-L66-yorkshire-and-the-humber is no longer in awards_2021.csv" in w for w in report.warnings)
    assert Contract.objects.filter(reference="2021-L66-yorkshire-and-the-humber").exists()
    assert not report.changed
