"""GET /api/v1/me/: 401 without credentials, your name, email and roles with a token or a session."""

import pytest
from rest_framework.test import APIClient

from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import user_with_role

ME = "/api/v1/me/"


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db
def test_anonymous_gets_401_json(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_bad_token_gets_401_json(api):
    api.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    response = api.get(ME)
    assert response.status_code == 401 and "detail" in response.json()


@pytest.mark.django_db
def test_me_with_a_token(api, region_a, region_b, provider):
    user = user_with_role(Role.COMMISSIONER, regions=[region_a, region_b], full_name="Chris C", email="c@example.org")
    services.grant_role(actor="system", user=user, role=Role.PROVIDER_STAFF, organisation=provider)
    token = services.create_api_token(actor=user, user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(ME)
    assert response.status_code == 200
    data = response.json()
    assert data["full_name"] == "Chris C" and data["email"] == "c@example.org"
    roles = {r["role"]: r for r in data["roles"]}
    assert roles["commissioner"]["regions"] == [
        {"code": "A", "name": "North East"},
        {"code": "B", "name": "North West"},
    ]
    assert roles["commissioner"]["organisation"] is None
    assert roles["provider_staff"]["organisation"] == {"slug": provider.slug, "name": provider.name}
    assert roles["provider_staff"]["role_name"] == "Provider staff"
    assert "password" not in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_token_stops_working(api, plain_user):
    token = services.create_api_token(actor=plain_user, user=plain_user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(ME).status_code == 200
    services.revoke_api_token(actor=plain_user, user=plain_user)
    assert api.get(ME).status_code == 401


@pytest.mark.django_db
def test_me_with_a_session(client, practitioner, delivery_unit):
    client.force_login(practitioner)
    data = client.get(ME).json()
    [role] = data["roles"]
    assert role["probation_delivery_unit"] == {"code": delivery_unit.code, "name": delivery_unit.name}


@pytest.mark.django_db
def test_me_is_read_only(api, plain_user):
    api.force_authenticate(plain_user)
    response = api.post(ME, {"full_name": "Changed"}, format="json")
    assert response.status_code == 405 and "detail" in response.json()


@pytest.mark.django_db
def test_me_is_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/me/" in text and "Your name, email address and roles" in text
