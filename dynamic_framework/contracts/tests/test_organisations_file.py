"""organisations.csv: one organisation per real organisation, every spelling resolving to it, classified with
sources (unknown left unknown), loaded through the organisations services."""

import csv

import pytest

from dynamic_framework.contracts import providers
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.core.reference_data import ReferenceDataError
from dynamic_framework.organisations.matching import NameIndex, normalise_name
from dynamic_framework.organisations.models import Organisation

from .conftest import DATA


@pytest.fixture
def loaded(refdata):
    return providers.load_organisations()


# Spellings found in the award list and the HMPPS register, and the one organisation each must find.
SPELLINGS = {
    "The Forward Trust": ["Forward Trust", "The Forward Trust", "THE FORWARD TRUST"],
    "Catch22": ["Catch 22", "Catch22 Charity Limited"],
    "St Mungo's": ["St Mungo", "St Mungos", "St Mungo’s"],
    "St Giles Wise Group Partnership": ["St Giles Wise (SGW)", "St Giles Wise Group Partnership"],
    "Ingeus UK Limited": ["Ingeus", "Ingeus UK Limited"],
    "Seetec Business Technology Centre Limited": ["Seetec"],
    "MAXIMUS UK Services Limited": ["Maximus", "Maximus UK Services Limited"],
    "The Nelson Trust": ["Nelson Trust"],
    "Advance": ["Advance Charity"],
    "Brighton Women's Centre": ["Brighton Women’s Centre", "BWC (Brighton Women's Centre)"],
    "Women's Work (Derbyshire) Ltd": ["Women’s Work Derbyshire"],
    "The Women's Centre Cornwall": ["The Women’s Centre Cornwall", "The Women’s Centre Cornwall (TWCC)"],
    "Together Women Project": ["Together Women"],
    "Willowdene Rehabilitation and Training": ["Willowdene"],
    "The Growth Company": ["The Growth Company Ltd"],
    "The Wise Group": ["The Wise Group Limited"],
    "Nacro": ["NACRO"],
    "HMPPS North West probation region": ["North West Probation Service"],
}


def test_each_spelling_resolves_to_one_organisation(loaded):
    names = NameIndex()
    assert not names.ambiguous
    for canonical, spellings in SPELLINGS.items():
        org = Organisation.objects.get(name=canonical)
        for spelling in spellings:
            assert names.find(spelling) == org, spelling
    # Exact names only: near misses are not guessed.
    for near_miss in ["Forward Trust Ltd", "Catch-22", "St Giles", "Foundation 9", "PACT Futures"]:
        assert names.find(near_miss) is None, near_miss
    # Organisations HMPPS lists under separate codes stay separate.
    assert names.find("PACT") != names.find("Prison Advice and Care Trust (Pact)")
    assert names.find("Foundation") != names.find("Foundation 92")
    assert names.find("St Giles Wise Ltd") != names.find("St Giles Wise Group Partnership")


def test_every_name_in_both_sources_is_covered_once(loaded):
    names = NameIndex()
    with (DATA / "awards_2021.csv").open(encoding="utf-8") as handle:
        spellings = {row["provider_as_written"] for row in csv.DictReader(handle)}
    with (DATA / "hmpps_contracts.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            spellings.add(row["prime_provider_name"])
            spellings.update(n.strip() for n in row["subcontractor_names"].split(";") if n.strip())
    assert all(names.find(s) for s in spellings), [s for s in spellings if not names.find(s)]
    providers_count = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).count()
    assert providers_count == 138  # 139 HMPPS provider codes, one of them (NWPS) the North West public body
    assert Organisation.objects.exclude(hmpps_provider_code="").count() == 139


def test_classification_with_sources(loaded):
    def org(name):
        return Organisation.objects.get(name=name)

    ingeus = org("Ingeus UK Limited")
    assert (ingeus.legal_form, ingeus.sector, ingeus.size_band) == ("private_company", "private", "major")
    assert ingeus.size_band_is_declared and "APM" in ingeus.classification_source
    assert org("Kent, Surrey and Sussex CRC").sector == "private"

    sgw = org("St Giles Wise Group Partnership")
    assert sgw.legal_form == "partnership_or_other" and sgw.sector == "voluntary_and_community"
    assert "two charities" in sgw.sector_override_reason
    assert sorted(sgw.members.values_list("name", flat=True)) == ["St Giles Trust", "The Wise Group"]
    growth = org("The Growth Company")
    assert (growth.legal_form, growth.sector) == ("company_limited_by_guarantee", "voluntary_and_community")
    assert org("Thirteen Housing Group").legal_form == "housing_association"
    assert org("Pennine Care NHS Foundation Trust - Pathfinder Stockport").sector == "public"

    nwc = org("Nottingham Women's Centre")
    assert nwc.sector == "voluntary_and_community" and not nwc.legal_form  # sector from Clinks, form not checked
    assert list(nwc.specialisms.values_list("slug", flat=True)) == ["womens-organisation"]
    assert list(org("CAIS Ltd").specialisms.values_list("slug", flat=True)) == ["welsh-organisation"]
    assert "led-by-and-for-racially-minoritised-people" in org("Khidmat Centre").specialisms.values_list(
        "slug", flat=True
    )
    # Unknown stays unknown, and says so.
    unknown = org("PS EoE Housing Support")
    assert (unknown.sector, unknown.size_band) == ("unknown", "unknown")
    assert "not confirmed" in unknown.classification_source
    assert org("Magistra").classification_source == "legal form, sector, size and specialisms not checked"
    assert not Organisation.objects.filter(kind="provider", classification_source="").exists()
    assert not Organisation.objects.filter(kind="provider", latest_income_pence__isnull=False).exists()


def test_loading_goes_through_the_services_and_a_second_load_changes_nothing(loaded):
    assert loaded.created == 138
    assert AuditEvent.objects.filter(action="organisations.organisation_created").count() == 138
    events = AuditEvent.objects.count()
    again = providers.load_organisations()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 138)
    assert AuditEvent.objects.count() == events


def test_a_changed_row_is_updated_and_aliases_are_only_added(loaded, edited_copy):
    org = Organisation.objects.get(name="Magistra")
    org.aliases.create(name="Magistra (by hand)")

    def edit(rows):
        row = next(r for r in rows if r["name"] == "Magistra")
        row["aliases"] = "Magistra CIC"
        row["legal_form"] = "community_interest_company"
        row["source"] = "community interest company (checked)"

    report = providers.load_organisations(path=edited_copy("organisations.csv", edit))
    assert (report.created, report.updated) == (0, 1)
    org.refresh_from_db()
    assert org.legal_form == "community_interest_company" and org.sector == "voluntary_and_community"
    assert sorted(org.aliases.values_list("name", flat=True)) == ["Magistra (by hand)", "Magistra CIC"]
    assert AuditEvent.objects.filter(action="organisations.alias_added").count() == 1


BAD_ROWS = [
    ("legal_form", "charity", "legal_form 'charity' is not one of"),
    ("sector", "third", "sector 'third' is not one of"),
    ("declared_size_band", "huge", "declared_size_band 'huge' is not one of"),
    ("specialisms", "welsh", "unknown specialism 'welsh'"),
    ("aliases", "Nacro", "the name 'Nacro' is also given on line"),
    ("aliases", "MOPAC", "the name 'MOPAC' is already used by the organisation 'mayors-office-for-policing-and-crime'"),
    ("source", "", "source is empty"),
    ("identifiers", "GB-CHC-12", "identifier 'GB-CHC-12'"),
    ("slug", "yss-2", "must be the name's slug"),
]


@pytest.mark.parametrize(("column", "value", "reason"), BAD_ROWS)
def test_a_bad_row_refuses_the_file(refdata, edited_copy, column, value, reason):
    def edit(rows):
        assert rows[-1]["name"] == "YSS"
        rows[-1][column] = value

    path = edited_copy("organisations.csv", edit)
    with pytest.raises(ReferenceDataError) as exc:
        providers.load_organisations(path=path)
    message = str(exc.value)
    assert str(path) in message and "line 139:" in message and reason in message, message
    assert not Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).exists()


def test_names_are_normalised_for_typography_only():
    assert normalise_name("  The  Women’s\u00a0Centre ") == "The Women's Centre"
