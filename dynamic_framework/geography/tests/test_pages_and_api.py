import pytest

pytestmark = pytest.mark.django_db


def test_regions_page_lists_every_region_with_its_pcc_areas(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/regions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 probation regions" in html
    assert "Kent, Surrey and Sussex" in html
    assert "Dyfed-Powys, Gwent, North Wales, South Wales" in html
    assert "London (Metropolitan Police)" in html


def test_region_page_lists_areas_and_delivery_units(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/regions/wales/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cardiff and the Vale of Glamorgan" in html
    assert "Gwent" in html


def test_unknown_region_is_a_404_page(client, reference_data):
    response = client.get("/regions/atlantis/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_api_lists_12_regions_and_42_pcc_areas(client, reference_data):
    regions = client.get("/api/v1/regions/").json()
    assert regions["count"] == 12
    wales = next(r for r in regions["results"] if r["code"] == "D")
    assert sorted(wales["pcc_areas"]) == ["dyfed-powys", "gwent", "north-wales", "south-wales"]
    areas = client.get("/api/v1/pcc-areas/").json()
    assert areas["count"] == 42
    assert len(areas["results"]) == 42
    surrey = client.get("/api/v1/pcc-areas/surrey/").json()
    assert surrey == {"slug": "surrey", "name": "Surrey", "region": "K", "region_name": "Kent, Surrey and Sussex"}
    units = client.get("/api/v1/probation-delivery-units/").json()
    assert units["count"] == 108
    assert len(units["results"]) == 50
    assert units["next"].endswith("?page=2")


def test_api_not_found_is_json(client, reference_data):
    response = client.get("/api/v1/regions/Z/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Region matches the given query."} or "detail" in response.json()


def test_api_list_query_count_is_fixed(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/api/v1/pcc-areas/")
    with django_assert_max_num_queries(4):
        client.get("/api/v1/regions/")
