"""/api/v1/insights/ (the whole analysis) and /api/v1/insights/contracts/ (the contracts behind a figure)."""

import json


def test_analysis_json(client, small_world):
    response = client.get("/api/v1/insights/")
    assert response.status_code == 200
    data = response.json()
    assert data["selection"]["round"] == {"slug": "small-round", "name": "Small round"}
    assert data["headline"]["contracts"] == {"label": "Contracts", "value": 4, "unit": "count", "contracts": "all"}
    assert data["headline"]["total_value"]["value"] == 500_000_00
    assert data["headline"]["total_value"]["unit"] == "pence"
    assert data["headline"]["voluntary_lead_share"]["value"] == {"numerator": 1, "denominator": 3, "percent": "33.3"}
    lot = next(r for r in data["tables"]["lot-types"]["rows"] if r["key"] == "womens_services")
    assert lot["cells"]["contracts"] == {"value": 2, "contracts": "lot.womens_services"}
    assert data["contract_sets"]["lot.womens_services"]["count"] == 2
    assert set(data["rules"]) == {"values", "percentages", "hhi", "sectors_and_sizes"}
    # every figure's contracts key is listed
    for table in data["tables"].values():
        for row in table["rows"]:
            for cell in row["cells"].values():
                assert cell["contracts"] is None or cell["contracts"] in data["contract_sets"]


def test_analysis_json_filtered(client, small_world):
    data = client.get("/api/v1/insights/?pcc_area=x1&lot_type=womens_services").json()
    assert data["selection"]["pcc_area"] == {"slug": "x1", "name": "Area X1"}
    assert data["headline"]["contracts"]["value"] == 1
    assert data["headline"]["total_value"]["value"] == 300_000_00  # the whole award, as the notes say
    assert any("counted whole" in n for n in data["notes"])


def test_bad_filters_answer_400_with_field_errors(client, small_world):
    response = client.get("/api/v1/insights/?region=nowhere&lot_type=nothing")
    assert response.status_code == 400
    data = response.json()
    assert set(data) == {"region", "lot_type"}
    assert data["region"] == ["Choose a probation region from the list"]
    response = client.get("/api/v1/insights/?region=W&pcc_area=x1")
    assert response.status_code == 400
    assert "pcc_area" in response.json()


def test_no_round_answers_404_with_detail(client, db):
    response = client.get("/api/v1/insights/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_contracts_behind_a_figure(client, small_world):
    response = client.get("/api/v1/insights/contracts/?metric=lot.womens_services")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert data["metric"]["key"] == "lot.womens_services"
    first = data["results"][0]
    assert first["lot_type"] == "womens_services"
    assert first["lead_provider"]["name"] == "Hope Trust"
    assert first["lead_provider"]["sector"] == "voluntary_and_community"
    assert first["award"]["value_pence"] == 300_000_00
    assert first["award"]["contracts_in_selection"] == 2
    assert first["end_date"] == "2025-03-31"


def test_contracts_with_their_supply_chain_and_every_contract_by_default(client, small_world):
    data = client.get("/api/v1/insights/contracts/").json()
    assert data["count"] == 4
    assert data["metric"] is None
    wales = next(c for c in data["results"] if c["pcc_area"] == "w1")
    assert [m["name"] for m in wales["supply_chain"]] == ["Cymru Help", "Hope Trust"]


def test_contracts_are_paginated(client, small_world):
    from .factories import award

    for _ in range(55):
        award(small_world["round"], small_world["orgs"]["acme"], value=1)
    data = client.get("/api/v1/insights/contracts/?metric=all").json()
    assert data["count"] == 59
    assert len(data["results"]) == 50
    assert "page=2" in data["next"]


def test_unknown_metric_answers_400(client, small_world):
    response = client.get("/api/v1/insights/contracts/?metric=nothing-here")
    assert response.status_code == 400
    assert "metric" in response.json()


def test_the_api_is_public_and_read_only(client, small_world):
    response = client.post("/api/v1/insights/", data=json.dumps({}), content_type="application/json")
    assert response.status_code == 405


def test_the_schema_documents_the_insights_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/insights/" in schema
    assert "/api/v1/insights/contracts/" in schema
    assert "The contracts behind a figure" in schema
