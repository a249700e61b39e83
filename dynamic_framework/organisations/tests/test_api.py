import pytest

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Specialism
from dynamic_framework.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/organisations/"


def slugs(response):
    return [o["slug"] for o in response.json()["results"]]


@pytest.fixture
def charity(refdata):
    org = OrganisationFactory(
        name="Alpha Charity",
        slug="alpha-charity",
        legal_form="registered_charity",
        latest_income_pence=2_000_000_00,
        specialisms=[Specialism.objects.get(slug="womens-organisation")],
        pcc_areas_served=[PccArea.objects.get(slug="kent"), PccArea.objects.get(slug="surrey")],
    )
    org.aliases.create(name="Alpha")
    org.identifiers.create(scheme="GB-CHC", identifier="1123456")
    return org


def test_list_is_public_and_paginated(client, charity):
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 15
    assert "alpha-charity" in slugs(response)


def test_detail(client, charity):
    response = client.get(f"{LIST}alpha-charity/")
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "Alpha Charity"
    assert data["kind"] == "provider"
    assert data["aliases"] == ["Alpha"]
    assert data["identifiers"] == ["GB-CHC-1123456"]
    assert data["legal_form"] == "registered_charity"
    assert data["sector"] == "voluntary_and_community"
    assert data["size_band"] == "large"
    assert data["latest_income_pence"] == 2_000_000_00
    assert data["income_year"] == "2023-24"
    assert data["specialisms"] == ["womens-organisation"]
    assert data["pcc_areas_served"] == ["kent", "surrey"]
    assert data["verified"] is False


def test_unknown_slug_is_json_404(client, refdata):
    response = client.get(f"{LIST}nobody/")
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pcc_area=kent", ["alpha-charity", "hmpps-kent-surrey-and-sussex"]),
        ("region=K&kind=provider", ["alpha-charity"]),
        ("sector=voluntary_and_community", ["alpha-charity"]),
        ("sector=voluntary_and_community,private&kind=provider", ["alpha-charity"]),
        ("size_band=large", ["alpha-charity"]),
        ("specialism=womens-organisation", ["alpha-charity"]),
        ("specialism=welsh-organisation", []),
        ("kind=commissioning_body&region=L", ["greater-manchester-combined-authority", "hmpps-greater-manchester"]),
    ],
)
def test_filters(client, charity, query, expected):
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    assert slugs(response) == expected


def test_bad_filters_answer_400_with_field_errors(client, refdata):
    response = client.get(f"{LIST}?region=Z&sector=charity&size_band=huge&specialism=nope&pcc_area=x")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"region", "sector", "size_band", "specialism", "pcc_area"}
    assert errors["region"] == ["Choose a probation region from the list"]


def test_schema_documents_the_endpoint(client, refdata):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/v1/organisations/" in text
    assert "List organisations" in text
    assert "size_band" in text


# PATCH --------------------------------------------------------------------------------------------------


def patch(client, slug, data):
    return client.patch(f"{LIST}{slug}/", data, content_type="application/json")


def test_patch_needs_sign_in_and_permission(client, charity):
    assert patch(client, "alpha-charity", {"name": "X"}).status_code in (401, 403)
    client.force_login(user_with_role("provider_administrator"))
    response = patch(client, "alpha-charity", {"name": "X"})
    assert response.status_code == 403
    assert "detail" in response.json()
    charity.refresh_from_db()
    assert charity.name == "Alpha Charity"


def test_patch_by_the_organisations_administrator(client, charity):
    client.force_login(user_with_role("provider_administrator", organisation=charity))
    events = AuditEvent.objects.count()
    response = patch(
        client,
        "alpha-charity",
        {"website": "https://alpha.example", "identifiers": ["GB-CHC-1123456", "GB-COH-SC123456"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["identifiers"] == ["GB-CHC-1123456", "GB-COH-SC123456"]
    assert response.json()["website"] == "https://alpha.example"
    assert AuditEvent.objects.count() == events + 1


def test_patch_bad_input_is_400_with_field_errors_and_changes_nothing(client, charity):
    client.force_login(user_with_role("platform_administrator"))
    events = AuditEvent.objects.count()
    response = patch(
        client,
        "alpha-charity",
        {"name": "", "latest_income_pence": -1, "website": "nope", "specialisms": ["nope"]},
    )
    assert response.status_code == 400
    errors = response.json()
    assert {"name", "latest_income_pence", "website", "specialisms"} <= set(errors)
    assert patch(client, "alpha-charity", {"latest_income_pence": "lots"}).status_code == 400
    assert patch(client, "alpha-charity", {}).status_code == 400
    assert client.put(f"{LIST}alpha-charity/", {}, content_type="application/json").status_code == 405
    charity.refresh_from_db()
    assert charity.name == "Alpha Charity"
    assert AuditEvent.objects.count() == events
