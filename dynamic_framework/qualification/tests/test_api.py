"""The qualification API: frameworks, the register (filters, 400s, query counts) and applications (who sees which)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.content import BANDS
from dynamic_framework.qualification.models import Qualification
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db

FRAMEWORKS = "/api/v1/frameworks/"
REGISTER = "/api/v1/register/"
APPLICATIONS = "/api/v1/applications/"


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def people(reference_data):
    return {
        "assessor": user_with_role("evaluator", email="api.assessor@example.org"),
        "manager": user_with_role("framework_manager", email="api.manager@example.org"),
    }


def qualify(people, name, slug, *, categories=q.DEFAULT_CATEGORIES, areas=q.DEFAULT_AREAS, legal_form=""):
    org = ProviderFactory(name=name, slug=slug)
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=org))
    application = q.qualified_application(
        org, admin, people["assessor"], people["manager"], categories=categories, areas=areas
    )
    if legal_form:
        Organisation.objects.filter(pk=org.pk).update(legal_form=legal_form)
    return org, admin, application


def as_user(client, user):
    token, _created = Token.objects.get_or_create(user=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


# Frameworks ------------------------------------------------------------------------------------------------


def test_frameworks_list_and_detail(client, framework):
    response = client.get(FRAMEWORKS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["results"]
    assert item["slug"] == "probation-services-dynamic-framework"
    assert item["name"] == "Probation Services Dynamic Framework"
    assert item["purpose"].startswith("HM Prison and Probation Service")
    assert len(item["categories"]) == 14
    assert item["categories"][0] == {"slug": "accommodation", "name": "Accommodation", "number": 1}
    assert item["starts_on"] == "2020-06-15" and item["ends_on"] == "2027-06-10"
    assert item["effective_end"] == "2027-06-10"
    assert item["extensions"][0] == {"position": 1, "months": 12, "exercise_by": "2027-03-10", "exercised": False}
    assert len(item["extensions"]) == 3
    assert item["status"] == "open"
    assert item["question_set_version"] == services.current_question_set(framework).version
    counts = {c["size_band"]: c for c in item["question_counts"]}
    assert list(counts) == list(BANDS)
    expected = services.current_question_set(framework).parsed.count("micro")
    assert counts["micro"] == {
        "size_band": "micro",
        "base": expected.base,
        "wales": expected.wales,
        "per_category": expected.per_category,
        "documents": expected.documents,
    }
    assert counts["micro"]["base"] < counts["major"]["base"]  # proportionate: small organisations answer fewer
    detail = client.get(f"{FRAMEWORKS}{framework.slug}/")
    assert detail.status_code == 200 and detail.json() == item


def test_an_exercised_extension_moves_the_effective_end(client, framework, people):
    services.exercise_extension(actor=people["manager"], extension=framework.extensions.get(position=1))
    item = client.get(f"{FRAMEWORKS}{framework.slug}/").json()
    assert item["effective_end"] == "2028-06-10"
    assert item["extensions"][0]["exercised"] is True


def test_unknown_framework_is_a_json_404(client, framework):
    response = client.get(f"{FRAMEWORKS}nothing/")
    assert response.status_code == 404 and "detail" in response.json()


def test_frameworks_are_read_only(client, framework, people):
    as_user(client, people["manager"])
    assert client.post(FRAMEWORKS, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{FRAMEWORKS}{framework.slug}/").status_code == 405


# The register ----------------------------------------------------------------------------------------------


@pytest.fixture
def register(people):
    alpha, alpha_admin, _ = qualify(people, "Alpha Women's Centre", "alpha")
    beta, _, _ = qualify(
        people, "Beta Housing Ltd", "beta", categories=("accommodation",), areas=("kent",), legal_form="private_company"
    )
    alpha.identifiers.create(scheme="GB-CHC", identifier="1123456")
    return {"alpha": alpha, "alpha_admin": alpha_admin, "beta": beta}


def test_register_list_shape(client, register, framework, people):
    women = register["alpha"].qualifications.get(category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint.")
    response = client.get(REGISTER)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    alpha = body["results"][0]
    assert alpha["name"] == "Alpha Women's Centre" and alpha["slug"] == "alpha"
    assert alpha["identifiers"] == ["GB-CHC-1123456"]
    assert alpha["sector"] == "voluntary_and_community" and alpha["size_band"] == "micro"
    assert alpha["specialisms"] == []
    assert alpha["qualified_until"] == framework.effective_end.isoformat()
    assert alpha["first_qualified_at"] == alpha["qualifications"][0]["qualified_at"]
    assert [(x["category"], x["pcc_areas"], x["regions"], x["suspended"]) for x in alpha["qualifications"]] == [
        ("emotional-wellbeing", ["durham", "northumbria"], ["A"], False),
        ("women", ["durham", "northumbria"], ["A"], True),
    ]
    assert alpha["qualifications"][1]["category_name"] == "Women"
    assert "A complaint" not in response.content.decode()  # reasons are not public


def test_register_detail(client, register):
    response = client.get(f"{REGISTER}alpha/")
    assert response.status_code == 200
    assert response.json()["slug"] == "alpha"
    assert len(response.json()["qualifications"]) == 2


def test_register_detail_404_for_unknown_and_no_longer_qualified(client, register, people):
    assert client.get(f"{REGISTER}nobody/").status_code == 404
    services.remove_qualification(
        actor=people["manager"], qualification=register["beta"].qualifications.get(), reason="Ceased trading."
    )
    response = client.get(f"{REGISTER}beta/")
    assert response.status_code == 404 and "detail" in response.json()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=women", ["alpha"]),
        ("category=accommodation", ["beta"]),
        ("region=K", ["beta"]),
        ("pcc_area=durham", ["alpha"]),
        ("sector=private", ["beta"]),
        ("sector=private,voluntary_and_community", ["alpha", "beta"]),
        ("size_band=micro", ["alpha", "beta"]),
        ("q=housing", ["beta"]),
        ("category=women&region=K", []),
    ],
)
def test_register_filters(client, register, query, expected):
    response = client.get(f"{REGISTER}?{query}")
    assert response.status_code == 200
    assert [o["slug"] for o in response.json()["results"]] == expected


def test_register_category_filter_narrows_the_qualifications_listed(client, register):
    (alpha,) = client.get(f"{REGISTER}?category=women").json()["results"]
    assert [x["category"] for x in alpha["qualifications"]] == ["women"]


def test_register_bad_filters_are_400_with_field_errors(client, register):
    response = client.get(f"{REGISTER}?category=nothing&region=Z&size_band=huge")
    assert response.status_code == 400
    assert response.json() == {
        "category": ["Choose a service category from the list"],
        "region": ["Choose a probation region from the list"],
        "size_band": ["Choose sizes from the list"],
    }


def test_register_is_read_only(client, register):
    assert client.post(REGISTER, {}, content_type="application/json").status_code == 405
    assert client.delete(f"{REGISTER}alpha/").status_code == 405


def test_register_list_query_count_does_not_grow(client, people, django_assert_max_num_queries):
    for number in range(2):
        qualify(people, f"Small {number}", f"small-{number}")
    with CaptureQueriesContext(connection) as two:
        assert client.get(f"{REGISTER}?region=A").json()["count"] == 2
    for number in range(10):
        qualify(people, f"More {number}", f"more-{number}")
    with django_assert_max_num_queries(len(two.captured_queries)):
        assert client.get(f"{REGISTER}?region=A").json()["count"] == 12


def test_frameworks_query_count(client, framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(FRAMEWORKS).status_code == 200


# Applications ----------------------------------------------------------------------------------------------


@pytest.fixture
def applications(people):
    org, admin, decided = qualify(people, "Riverside", "riverside")
    draft = q.draft_application(org, admin)
    other = ProviderFactory(name="Other", slug="other")
    other_admin = q.confirm_email(user_with_role("provider_administrator", organisation=other))
    other_draft = q.draft_application(other, other_admin)
    third = ProviderFactory(name="Third", slug="third")
    third_admin = q.confirm_email(user_with_role("provider_administrator", organisation=third))
    submitted = q.submitted_application(third, third_admin)
    return {
        "org": org,
        "admin": admin,
        "decided": decided,
        "draft": draft,
        "other_admin": other_admin,
        "other_draft": other_draft,
        "submitted": submitted,
    }


def references(response) -> set[str]:
    assert response.status_code == 200
    return {a["reference"] for a in response.json()["results"]}


def test_applications_need_signing_in(client, applications):
    response = client.get(APPLICATIONS)
    assert response.status_code == 401 and "detail" in response.json()
    assert client.get(f"{APPLICATIONS}{applications['decided'].reference}/").status_code == 401


def test_members_see_their_organisations_applications(client, applications):
    a = applications
    assert references(as_user(client, a["admin"]).get(APPLICATIONS)) == {a["decided"].reference, a["draft"].reference}
    staff = user_with_role("provider_staff", organisation=a["org"])
    assert references(as_user(client, staff).get(APPLICATIONS)) == {a["decided"].reference, a["draft"].reference}
    assert references(as_user(client, a["other_admin"]).get(APPLICATIONS)) == {a["other_draft"].reference}


def test_framework_managers_see_submitted_ones_but_no_drafts(client, applications, people):
    a = applications
    as_user(client, people["manager"])
    assert references(client.get(APPLICATIONS)) == {a["decided"].reference, a["submitted"].reference}
    response = client.get(f"{APPLICATIONS}{a['draft'].reference}/")
    assert response.status_code == 404 and "detail" in response.json()


def test_assessors_see_the_ones_assigned_to_them(client, applications, people):
    a = applications
    assert references(as_user(client, people["assessor"]).get(APPLICATIONS)) == {a["decided"].reference}
    assert client.get(f"{APPLICATIONS}{a['submitted'].reference}/").status_code == 404
    assert references(as_user(client, user_with_role("evaluator")).get(APPLICATIONS)) == set()


@pytest.mark.parametrize("role", ["platform_administrator", "commissioner", "probation_practitioner"])
def test_other_roles_see_none_and_get_404_not_403(client, applications, role):
    as_user(client, user_with_role(role))
    assert references(client.get(APPLICATIONS)) == set()
    for name in ("decided", "draft", "submitted"):
        response = client.get(f"{APPLICATIONS}{applications[name].reference}/")
        assert response.status_code == 404, name
    assert client.get(f"{APPLICATIONS}NOSUCHREF/").status_code == 404


def test_application_detail_shape_without_answers_or_documents(client, applications):
    decided = applications["decided"]
    response = as_user(client, applications["admin"]).get(f"{APPLICATIONS}{decided.reference}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "reference",
        "framework",
        "organisation",
        "status",
        "status_label",
        "question_set_version",
        "size_band",
        "categories",
        "pcc_areas",
        "started_at",
        "submitted_at",
        "decided_at",
        "withdrawn_at",
    }
    assert data["reference"] == decided.reference
    assert data["framework"] == "probation-services-dynamic-framework"
    assert data["organisation"] == {"slug": "riverside", "name": "Riverside"}
    assert data["status"] == "decided" and data["status_label"] == "Decision sent"
    assert data["size_band"] == "micro"
    assert data["pcc_areas"] == ["durham", "northumbria"]
    assert [(c["category"], c["outcome"]) for c in data["categories"]] == [
        ("emotional-wellbeing", "qualified"),
        ("women", "qualified"),
    ]
    assert all(c["decided_at"] for c in data["categories"])
    assert data["submitted_at"] and data["decided_at"] and data["withdrawn_at"] is None
    assert "answers" not in response.content.decode() and "documents" not in response.content.decode()

    draft = as_user(client, applications["admin"]).get(f"{APPLICATIONS}{applications['draft'].reference}/").json()
    assert draft["status"] == "draft" and draft["submitted_at"] is None
    assert draft["categories"] == [] and draft["pcc_areas"] == []


def test_applications_are_read_only(client, applications):
    as_user(client, applications["admin"])
    assert client.post(APPLICATIONS, {}, content_type="application/json").status_code == 405
    path = f"{APPLICATIONS}{applications['decided'].reference}/"
    assert client.put(path, {}, content_type="application/json").status_code == 405
    assert client.delete(path).status_code == 405


def test_applications_list_query_count_does_not_grow(client, people, django_assert_max_num_queries):
    org, admin, _ = qualify(people, "Busy", "busy")
    for _number in range(2):
        q.submitted_application(*_new_admin())
    as_user(client, people["manager"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(APPLICATIONS).json()["count"] == 3
    for _number in range(9):
        q.submitted_application(*_new_admin())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(APPLICATIONS).json()["count"] == 12


def _new_admin():
    org = ProviderFactory()
    return org, q.confirm_email(user_with_role("provider_administrator", organisation=org))


def test_suspended_status_in_the_register_api_follows_reinstatement(client, register, people):
    women = Qualification.objects.get(organisation=register["alpha"], category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint.")
    services.reinstate_qualification(actor=people["manager"], qualification=women, note="Resolved.")
    (alpha,) = client.get(f"{REGISTER}?category=women").json()["results"]
    assert alpha["qualifications"][0]["suspended"] is False
