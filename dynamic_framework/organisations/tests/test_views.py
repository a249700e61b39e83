import html
import re

import pytest
from django.urls import reverse

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Organisation, Specialism
from dynamic_framework.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/organisations/"


ROW_LINK = re.compile(
    r'<th scope="row" class="govuk-table__header">\s*<a class="govuk-link" href="/organisations/[^/]+/">([^<]+)</a>'
)


def names(response):
    """The organisation names in the results table, in order."""
    return [html.unescape(name) for name in ROW_LINK.findall(response.content.decode())]


def test_directory_url_name():
    assert reverse("organisations:directory") == DIRECTORY


def test_directory_lists_organisations_with_sector_size_and_areas(client, refdata):
    OrganisationFactory(
        name="Durham Women's Centre",
        latest_income_pence=5_000_00,
        specialisms=[Specialism.objects.get(slug="womens-organisation")],
        pcc_areas_served=[PccArea.objects.get(slug="durham")],
    )
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Durham Women&#39;s Centre" in html
    assert "Micro" in html and "Voluntary and community" in html and "Women&#39;s organisation" in html
    assert "North East (all areas)" in html  # the HMPPS North East body serves the whole region
    assert re.search(r"<caption[^>]*>\s*Showing 1 to 15 of 15", html)


@pytest.fixture
def mixed(refdata):
    womens = Specialism.objects.get(slug="womens-organisation")
    welsh = Specialism.objects.get(slug="welsh-organisation")
    return {
        "charity": OrganisationFactory(
            name="Alpha Charity",
            legal_form="registered_charity",
            latest_income_pence=2_000_000_00,  # large
            specialisms=[womens],
            pcc_areas_served=[PccArea.objects.get(slug="kent")],
        ),
        "company": OrganisationFactory(
            name="Beta Ltd",
            legal_form="private_company",
            latest_income_pence=50_000_00,  # small
            pcc_areas_served=[PccArea.objects.get(slug="gwent")],
            specialisms=[welsh],
        ),
        "overridden": OrganisationFactory(
            name="Gamma CLG",
            legal_form="company_limited_by_guarantee",
            sector_override="private",
            sector_override_reason="Owned by Beta Ltd",
            latest_income_pence=None,
            income_year="",
            pcc_areas_served=[PccArea.objects.get(slug="surrey")],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=provider", ["Alpha Charity", "Beta Ltd", "Gamma CLG"]),
        ("kind=provider&pcc_area=kent", ["Alpha Charity"]),
        ("kind=provider&region=K", ["Alpha Charity", "Gamma CLG"]),
        ("kind=provider&sector=private", ["Beta Ltd", "Gamma CLG"]),
        ("sector=voluntary_and_community", ["Alpha Charity"]),
        ("kind=provider&sector=voluntary_and_community&sector=private", ["Alpha Charity", "Beta Ltd", "Gamma CLG"]),
        ("kind=provider&size_band=large", ["Alpha Charity"]),
        ("kind=provider&size_band=unknown", ["Gamma CLG"]),
        ("kind=provider&size_band=small&size_band=large", ["Alpha Charity", "Beta Ltd"]),
        ("specialism=welsh-organisation", ["Beta Ltd"]),
        ("q=beta", ["Beta Ltd"]),
        ("region=K&sector=private", ["Gamma CLG"]),
    ],
)
def test_directory_filters(client, mixed, query, expected):
    response = client.get(f"{DIRECTORY}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_region_filter_includes_the_regions_commissioning_bodies(client, refdata):
    response = client.get(f"{DIRECTORY}?region=J")
    assert names(response) == ["HMPPS London probation region", "Mayor's Office for Policing and Crime"]


def test_name_filter_matches_other_names(client, refdata):
    response = client.get(f"{DIRECTORY}?q=mopac")
    assert names(response) == ["Mayor's Office for Policing and Crime"]


def test_invalid_filters_give_a_message_not_an_error(client, refdata):
    response = client.get(f"{DIRECTORY}?region=Z&sector=charity&size_band=huge&pcc_area=atlantis&kind=x&page=zz")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    for message in (
        "Choose a probation region from the list",
        "Choose sectors from the list",
        "Choose sizes from the list",
        "Choose a Police and Crime Commissioner area from the list",
    ):
        assert message in html
    assert "<title>Error:" in html
    assert len(names(response)) == 14  # the bad filters are ignored, the rest still apply


def test_pagination_keeps_filters(client, refdata):
    for n in range(45):
        OrganisationFactory(name=f"Provider {n:02d}", legal_form="private_company")
    response = client.get(f"{DIRECTORY}?sector=private")
    assert len(names(response)) == 20
    html = response.content.decode()
    assert "?sector=private&amp;page=2" in html
    assert "Showing 1 to 20 of 45" in html
    page3 = client.get(f"{DIRECTORY}?sector=private&page=3")
    assert names(page3) == [f"Provider {n:02d}" for n in range(40, 45)]
    assert "(page 3 of 3)" in page3.content.decode()
    assert names(client.get(f"{DIRECTORY}?sector=private&page=999")) == names(page3)


def test_directory_makes_a_fixed_number_of_queries(client, refdata, django_assert_max_num_queries):
    areas = list(PccArea.objects.all()[:5])
    specialisms = list(Specialism.objects.all())
    for n in range(30):
        org = OrganisationFactory(specialisms=specialisms[: n % 4], pcc_areas_served=areas[: n % 5 + 1])
        org.aliases.create(name=f"Alias {n}")
        org.identifiers.create(scheme="GB-CHC", identifier=str(1_000_000 + n))
    with django_assert_max_num_queries(12):
        response = client.get(f"{DIRECTORY}?page=2")
    assert len(names(response)) == 20


def test_profile_shows_public_fields(client, refdata):
    org = OrganisationFactory(
        name="Second Chance",
        legal_form="company_limited_by_guarantee",
        sector_override="private",
        sector_override_reason="Owned by Acme plc",
        latest_income_pence=123_456_78,
        income_year="2022-23",
        website="https://second.example",
        contact_email="hello@second.example",
        pcc_areas_served=list(PccArea.objects.filter(region__code="D")) + [PccArea.objects.get(slug="kent")],
    )
    org.aliases.create(name="2C")
    org.identifiers.create(scheme="GB-CHC", identifier="1123456")
    response = client.get(f"/organisations/{org.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Second Chance",
        "2C",
        "Company limited by guarantee",
        "GB-CHC-1123456",
        "register-of-charities.charitycommission.gov.uk",
        "Private",
        "Set by the framework team: Owned by Acme plc",
        "Medium (income £100,000 to under £1 million)",
        "Income £123,456.78 in 2022-23",
        "https://second.example",
        "Wales (all areas)",
        "Kent, Surrey and Sussex",
        "Not checked",
    ):
        assert text in html, text
    assert "Change details" not in html


def test_profile_unknown_income_and_404(client, refdata):
    org = OrganisationFactory(latest_income_pence=None, income_year="")
    assert "Not known: no income recorded" in client.get(f"/organisations/{org.slug}/").content.decode()
    assert client.get("/organisations/no-such-organisation/").status_code == 404


# Editing ---------------------------------------------------------------------------------------------------


def edit_url(org):
    return f"/organisations/{org.slug}/edit/"


def form_data(**overrides):
    data = {
        "name": "Renamed Trust",
        "aliases": "RT\nThe Renamed",
        "description": "Housing advice",
        "legal_form": "charitable_incorporated_organisation",
        "identifiers": "GB-CHC-1123456\nGB-COH-01234567",
        "income": "£12,345.67",
        "income_year": "2023-24",
        "specialisms": ["led-by-people-with-lived-experience"],
        "pcc_areas_served": ["kent", "surrey"],
        "website": "https://renamed.example",
        "contact_email": "hello@renamed.example",
        "contact_phone": "01632 960 001",
        "address": "1 High Street\nMaidstone",
    }
    data.update(overrides)
    return data


def test_edit_needs_sign_in(client, refdata):
    org = OrganisationFactory()
    response = client.get(edit_url(org))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("role", ["provider_staff", "commissioner", "framework_manager", "evaluator"])
def test_edit_is_refused_to_others(client, refdata, role):
    org = OrganisationFactory()
    client.force_login(user_with_role(role, organisation=org if role == "provider_staff" else None))
    assert client.get(edit_url(org)).status_code == 403
    assert client.post(edit_url(org), form_data()).status_code == 403
    org.refresh_from_db()
    assert org.name != "Renamed Trust"


def test_provider_administrator_of_another_organisation_is_refused(client, refdata):
    org = OrganisationFactory()
    client.force_login(user_with_role("provider_administrator"))
    assert client.get(edit_url(org)).status_code == 403


def test_provider_administrator_edits_their_organisation(client, refdata):
    org = OrganisationFactory(name="Old Trust")
    user = user_with_role("provider_administrator", organisation=org)
    client.force_login(user)
    page = client.get(edit_url(org))
    assert page.status_code == 200
    assert 'value="Old Trust"' in page.content.decode()
    events = AuditEvent.objects.count()
    response = client.post(edit_url(org), form_data())
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{org.slug}/"
    org.refresh_from_db()
    assert org.name == "Renamed Trust"
    assert org.latest_income_pence == 1_234_567
    assert org.size_band == "small"
    assert sorted(org.aliases.values_list("name", flat=True)) == ["RT", "The Renamed"]
    assert sorted(i.org_id for i in org.identifiers.all()) == ["GB-CHC-1123456", "GB-COH-01234567"]
    assert sorted(org.pcc_areas_served.values_list("slug", flat=True)) == ["kent", "surrey"]
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.last().actor == user
    profile = client.get(response["Location"])
    assert "Organisation details saved" in profile.content.decode()
    assert "Change details" in profile.content.decode()


def test_edit_errors_keep_what_was_typed_and_save_nothing(client, refdata):
    org = OrganisationFactory(name="Old Trust")
    client.force_login(user_with_role("platform_administrator"))
    events = AuditEvent.objects.count()
    response = client.post(
        edit_url(org),
        form_data(
            income="lots", website="renamed dot example", identifiers="GB-CHC-12", pcc_areas_served=["kent", "narnia"]
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert 'href="#id_income"' in html
    assert 'href="#id_pcc_areas_served"' in html
    assert 'value="Renamed Trust"' in html  # what was typed is kept
    assert 'value="renamed dot example"' in html
    org.refresh_from_db()
    assert org.name == "Old Trust"
    assert AuditEvent.objects.count() == events


def test_service_errors_are_shown_on_the_fields(client, refdata):
    org = OrganisationFactory(name="Old Trust")
    client.force_login(user_with_role("platform_administrator"))
    response = client.post(edit_url(org), form_data(website="not a url", identifiers="GB-SC-12", income_year=""))
    html = response.content.decode()
    assert 'href="#id_website"' in html and "Enter a website address" in html
    assert 'href="#id_identifiers"' in html and "Scottish charity number" in html
    assert 'href="#id_income_year"' in html
    org.refresh_from_db()
    assert org.name == "Old Trust"
    assert not org.identifiers.exists()


# Sector override and verifying ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["platform_administrator", "framework_manager"])
def test_staff_can_override_sector(client, refdata, role):
    org = OrganisationFactory(legal_form="company_limited_by_guarantee")
    client.force_login(user_with_role(role))
    url = f"/organisations/{org.slug}/sector/"
    assert client.get(url).status_code == 200
    bad = client.post(url, {"sector_override": "private", "sector_override_reason": ""})
    assert bad.status_code == 200
    assert "Enter why this organisation" in bad.content.decode()
    org.refresh_from_db()
    assert org.sector_override == ""
    ok = client.post(url, {"sector_override": "private", "sector_override_reason": "Owned by Acme plc"})
    assert ok.status_code == 302
    org.refresh_from_db()
    assert (org.sector, org.sector_override_reason) == ("private", "Owned by Acme plc")
    client.post(url, {"sector_override": "none", "sector_override_reason": ""})
    org.refresh_from_db()
    assert org.sector == "voluntary_and_community"


def test_provider_administrator_cannot_override_sector_or_verify(client, refdata):
    org = OrganisationFactory()
    client.force_login(user_with_role("provider_administrator", organisation=org))
    assert client.get(f"/organisations/{org.slug}/sector/").status_code == 403
    assert client.post(f"/organisations/{org.slug}/verify/").status_code == 403
    org.refresh_from_db()
    assert not org.is_verified


def test_verify(client, refdata):
    org = OrganisationFactory()
    anonymous = client.post(f"/organisations/{org.slug}/verify/")
    assert anonymous.status_code == 302 and "sign-in" in anonymous["Location"]
    client.force_login(user_with_role("framework_manager"))
    assert client.get(f"/organisations/{org.slug}/verify/").status_code == 405
    assert "Mark as checked" in client.get(f"/organisations/{org.slug}/").content.decode()
    response = client.post(f"/organisations/{org.slug}/verify/")
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.is_verified
    assert Organisation.objects.get(pk=org.pk).verified_at is not None


def test_profile_shows_a_declared_size_band_and_the_classification_sources(client, refdata):
    org = OrganisationFactory(
        name="Big National Charity",
        latest_income_pence=None,
        income_year="",
        declared_size_band="major",
        classification_source="registered charity; accounts show income far above £10m",
    )
    page = html.unescape(client.get(f"/organisations/{org.slug}/").content.decode())
    assert "Major (income £10 million or more)" in page
    assert "Known from public facts; exact income not recorded" in page
    assert "Sources for this classification" in page and "accounts show income far above £10m" in page
    # No income and no declared band: not known.
    other = OrganisationFactory(name="Small Group", latest_income_pence=None, income_year="")
    assert "Not known: no income recorded" in client.get(f"/organisations/{other.slug}/").content.decode()
