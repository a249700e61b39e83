"""The sector rule and size bands: Python and database answers agree, boundaries fall where they should."""

import pytest

from dynamic_framework.organisations import classification
from dynamic_framework.organisations.classification import LegalForm, Sector, SizeBand
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.tests.factories import OrganisationFactory

EXPECTED_SECTOR = {
    LegalForm.REGISTERED_CHARITY: Sector.VOLUNTARY,
    LegalForm.CIO: Sector.VOLUNTARY,
    LegalForm.COMPANY_LIMITED_BY_GUARANTEE: Sector.VOLUNTARY,
    LegalForm.COMMUNITY_INTEREST_COMPANY: Sector.VOLUNTARY,
    LegalForm.COOPERATIVE_SOCIETY: Sector.VOLUNTARY,
    LegalForm.PRIVATE_COMPANY: Sector.PRIVATE,
    LegalForm.PUBLIC_BODY: Sector.PUBLIC,
    LegalForm.PUBLIC_SERVICE_MUTUAL: Sector.VOLUNTARY,
    LegalForm.HOUSING_ASSOCIATION: Sector.VOLUNTARY,
    LegalForm.PARTNERSHIP_OR_OTHER: Sector.PRIVATE,
    "": Sector.UNKNOWN,
}


def test_every_legal_form_has_an_expected_sector():
    assert set(classification.LEGAL_FORMS) | {""} == set(EXPECTED_SECTOR)


@pytest.mark.parametrize(("legal_form", "sector"), EXPECTED_SECTOR.items())
def test_sector_from_legal_form(legal_form, sector):
    assert classification.sector_for(legal_form) == sector
    assert Organisation(legal_form=legal_form).sector == sector


@pytest.mark.parametrize("legal_form", list(EXPECTED_SECTOR))
def test_override_wins_over_legal_form(legal_form):
    org = Organisation(legal_form=legal_form, sector_override=Sector.PUBLIC, sector_override_reason="Council-owned")
    assert org.sector == Sector.PUBLIC
    assert org.derived_sector == EXPECTED_SECTOR[legal_form]


@pytest.mark.django_db
def test_sector_in_queries_matches_python():
    for form in EXPECTED_SECTOR:
        OrganisationFactory(legal_form=form)
    OrganisationFactory(
        legal_form=LegalForm.COMPANY_LIMITED_BY_GUARANTEE,
        sector_override=Sector.PRIVATE,
        sector_override_reason="Subsidiary of a listed company",
    )
    OrganisationFactory(legal_form="", sector_override=Sector.PUBLIC, sector_override_reason="A council service")
    orgs = list(Organisation.objects.annotate(sector_code=classification.sector_annotation()))
    assert len(orgs) == len(EXPECTED_SECTOR) + 2
    for org in orgs:
        assert org.sector_code == org.sector
    for sector in classification.SECTOR_LABELS:
        in_db = set(Organisation.objects.filter(classification.sector_q(sector)).values_list("pk", flat=True))
        assert in_db == {o.pk for o in orgs if o.sector == sector}, sector


POUNDS = 100
BOUNDARIES = [
    (None, SizeBand.UNKNOWN),
    (0, SizeBand.MICRO),
    (9_999_99, SizeBand.MICRO),  # £9,999.99
    (10_000 * POUNDS, SizeBand.SMALL),
    (99_999_99, SizeBand.SMALL),
    (100_000 * POUNDS, SizeBand.MEDIUM),
    (999_999_99, SizeBand.MEDIUM),
    (1_000_000 * POUNDS, SizeBand.LARGE),
    (9_999_999_99, SizeBand.LARGE),
    (10_000_000 * POUNDS, SizeBand.MAJOR),
    (5_000_000_000 * POUNDS, SizeBand.MAJOR),
]


@pytest.mark.parametrize(("pence", "band"), BOUNDARIES)
def test_size_band_boundaries(pence, band):
    assert classification.size_band_for(pence) == band
    assert Organisation(latest_income_pence=pence).size_band == band


@pytest.mark.django_db
def test_size_band_in_queries_matches_python():
    for pence, _band in BOUNDARIES:
        OrganisationFactory(latest_income_pence=pence, income_year="2023-24" if pence is not None else "")
    orgs = list(Organisation.objects.annotate(band=classification.size_band_annotation()))
    for org in orgs:
        assert org.band == org.size_band
    for code in classification.SIZE_BAND_CODES:
        in_db = set(Organisation.objects.filter(classification.size_band_q(code)).values_list("pk", flat=True))
        assert in_db == {o.pk for o in orgs if o.size_band == code}, code


def test_unknown_income_is_shown_as_not_known():
    assert Organisation(latest_income_pence=None).size_band_label == "Not known"


# A declared size band (known from public facts, exact income not recorded) counts only when income is empty.
DECLARED = [
    (None, "", SizeBand.UNKNOWN),
    (None, SizeBand.MAJOR, SizeBand.MAJOR),
    (None, SizeBand.SMALL, SizeBand.SMALL),
    (5_000 * POUNDS, SizeBand.MAJOR, SizeBand.MICRO),  # income wins over the declared band
    (20_000_000 * POUNDS, SizeBand.MEDIUM, SizeBand.MAJOR),
    (None, "not-a-band", SizeBand.UNKNOWN),
]


@pytest.mark.parametrize(("pence", "declared", "band"), DECLARED)
def test_size_band_uses_income_first_then_declared_band(pence, declared, band):
    assert classification.size_band_for(pence, declared) == band
    org = Organisation(latest_income_pence=pence, declared_size_band=declared)
    assert org.size_band == band
    assert org.size_band_is_declared == (pence is None and band != SizeBand.UNKNOWN)


@pytest.mark.django_db
def test_declared_size_band_in_queries_matches_python():
    for pence, declared, _band in DECLARED:
        if declared == "not-a-band":
            continue  # refused by the database's check constraint
        OrganisationFactory(
            latest_income_pence=pence, income_year="2023-24" if pence is not None else "", declared_size_band=declared
        )
    orgs = list(Organisation.objects.annotate(band=classification.size_band_annotation()))
    assert [o.band for o in orgs] == [o.size_band for o in orgs]
    for code in classification.SIZE_BAND_CODES:
        in_db = set(Organisation.objects.filter(classification.size_band_q(code)).values_list("pk", flat=True))
        assert in_db == {o.pk for o in orgs if o.size_band == code}, code
    assert Organisation.objects.filter(classification.size_band_q(SizeBand.MAJOR)).count() == 2


@pytest.mark.django_db
def test_database_refuses_an_unknown_declared_size_band():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(declared_size_band="enormous")
