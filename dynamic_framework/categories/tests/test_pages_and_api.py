import pytest

pytestmark = pytest.mark.django_db


def test_category_list_shows_all_14_with_need_or_cohort(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/service-categories/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in [
        "Accommodation",
        "Women",
        "Restorative Justice",
        "Service User Involvement",
        "Young Adults (18 to 25)",
    ]:
        assert name in html
    assert html.count("govuk-tag--purple") == 3  # three cohorts


def test_category_page_shows_current_and_retired_outcomes(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/service-categories/accommodation/")
    html = response.content.decode()
    assert "Service User is prevented from losing existing accommodation or becoming homeless." in html
    assert "Retired outcomes for Accommodation" in html
    assert "retired 3 April 2025" in html
    assert "High complexity" in html


def test_women_category_covers_all_eight_needs(client, reference_data):
    html = client.get("/service-categories/women/").content.decode()
    for name in ["Accommodation", "Social Inclusion", "Finance, Benefits and Debt (FBD)", "Emotional Wellbeing"]:
        assert f'<h2 class="govuk-heading-l">{name}</h2>' in html.replace("&amp;", "&")


def test_category_without_hmpps_outcomes_says_so(client, reference_data):
    html = client.get("/service-categories/restorative-justice/").content.decode()
    assert "has not yet published desired outcomes" in html


def test_api_lists_14_framework_categories(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        data = client.get("/api/v1/service-categories/").json()
    assert data["count"] == 14
    first = data["results"][0]
    assert first == {
        "number": 1,
        "name": "Accommodation",
        "slug": "accommodation",
        "kind": "need",
        "grouping": "day-one contract lot (regional; PCC area in Wales)",
        "referral_categories": ["accommodation"],
    }


def test_api_outcomes_mark_retired_ones(client, reference_data):
    data = client.get("/api/v1/desired-outcomes/?page=1").json()
    assert data["count"] == 330
    retired = client.get("/api/v1/desired-outcomes/301ead30-30a4-4c7c-8296-2768abfb59b5/").json()
    assert retired["current"] is False
    assert retired["retired_on"] == "2025-04-03"
    rc = client.get("/api/v1/referral-categories/dependency-and-recovery-london/").json()
    assert rc["core_category"] == "dependency-and-recovery-d-and-r"
