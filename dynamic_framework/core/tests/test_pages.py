import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/cookies/", "/accessibility/", "/privacy/", "/api/"])
def test_public_pages_render_in_the_govuk_frame(client, reference_data, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-template' in html
    assert "/assets/govuk/govuk-frontend.min.css" in html
    assert "govuk-footer" in html
    assert "Sign in" in html


def test_start_page_says_what_the_service_is_for(client, reference_data):
    html = client.get("/").content.decode()
    assert "Buy and provide rehabilitation services for people on probation" in html
    assert "12 probation regions" in html
    assert "42 Police and Crime Commissioner areas" in html
    assert "14 service categories" in html


def test_unknown_page_is_the_custom_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_unknown_api_path_is_json_404(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_500_page(client, db, settings):
    from django.test import RequestFactory

    from dynamic_framework.core.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    api = server_error(RequestFactory().get("/api/v1/regions/"))
    assert api.status_code == 500 and b"detail" in api.content


def test_403_page(client, db):
    from django.test import RequestFactory

    from dynamic_framework.core.views import permission_denied

    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_openapi_schema_is_served(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ["/api/v1/regions/", "/api/v1/pcc-areas/", "/api/v1/service-categories/"]:
        assert path in schema["paths"]


def test_api_docs_page_lists_endpoints(client, db):
    html = client.get("/api/").content.decode()
    assert "/api/v1/regions/" in html
    assert "List the 42 Police and Crime Commissioner areas" in html
