"""The public register page (filters, headline, pagination, query counts), its CSV download and the register entry
page as each kind of viewer sees it."""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.models import Organisation, Specialism
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import Qualification
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db

REGISTER = "/framework/register/"
CSV = "/framework/register.csv"

ROW_LINK = re.compile(
    r'<th scope="row" class="govuk-table__header">\s*'
    r'<a class="govuk-link" href="/framework/register/[^/]+/">([^<]+)</a>'
)


def names(response) -> list[str]:
    return [html.unescape(n) for n in ROW_LINK.findall(response.content.decode())]


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def people(reference_data):
    return {
        "assessor": user_with_role("evaluator", email="register.assessor@example.org"),
        "manager": user_with_role("framework_manager", email="register.manager@example.org"),
    }


def qualify(
    people, name, *, categories=q.DEFAULT_CATEGORIES, areas=q.DEFAULT_AREAS, income="8,500", legal_form="", **fields
):
    """A provider on the register (through the real journey), and its provider administrator."""
    org = ProviderFactory(name=name, slug=re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"), **fields)
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=org))
    q.qualified_application(
        org, admin, people["assessor"], people["manager"], categories=categories, areas=areas, income=income
    )
    if legal_form:  # the application's organisation section sets it; change it afterwards
        Organisation.objects.filter(pk=org.pk).update(legal_form=legal_form)
    return org, admin


@pytest.fixture
def register(people):
    """Three organisations on the register and one that never was."""
    womens = Specialism.objects.get(slug="womens-organisation")
    alpha, alpha_admin = qualify(people, "Alpha Women's Centre", specialisms=[womens])
    beta, _ = qualify(
        people,
        "Beta Housing Ltd",
        categories=("accommodation",),
        areas=("kent", "surrey"),
        income="2,000,000",
        legal_form="private_company",
    )
    gamma, _ = qualify(people, "Gamma Recovery", categories=("dependency-and-recovery",), areas=("durham",))
    never = ProviderFactory(name="Delta Never Qualified", slug="delta-never-qualified")
    return {"alpha": alpha, "alpha_admin": alpha_admin, "beta": beta, "gamma": gamma, "never": never}


def test_url_names():
    assert reverse("qualification:register") == REGISTER
    assert reverse("qualification:register-csv") == CSV
    assert reverse("qualification:register-entry", kwargs={"slug": "x"}) == "/framework/register/x/"


def test_register_lists_qualified_organisations_with_categories_areas_and_dates(client, register, framework):
    response = client.get(REGISTER)
    assert response.status_code == 200
    assert names(response) == ["Alpha Women's Centre", "Beta Housing Ltd", "Gamma Recovery"]
    page = text(response)
    assert "Delta Never Qualified" not in page
    assert "3 organisations are qualified for the Probation Services Dynamic Framework" in page
    assert "<strong>Women</strong>" in page and "<strong>Emotional Wellbeing</strong>" in page
    assert "Durham, Northumbria" in page
    assert "Kent, Surrey" in page
    today = timezone.localdate()
    assert f"{today.day} {today:%B %Y}" in page  # first qualified
    end = framework.effective_end
    assert f"{end.day} {end:%B %Y}" in page  # qualified until the framework ends
    assert 'href="/framework/register.csv"' in page
    assert re.search(r"<caption[^>]*>\s*Qualified organisations: showing 1 to 3 of 3", response.content.decode())


def test_a_whole_region_is_shown_as_the_region(client, people):
    north_east = tuple(PccArea.objects.filter(region__code="A").values_list("slug", flat=True))
    qualify(people, "Tyne Wide", categories=("women",), areas=north_east)
    assert "North East (all areas)" in text(client.get(REGISTER))


def test_suspended_qualifications_are_tagged(client, register, people):
    qualification = register["gamma"].qualifications.get()
    services.suspend_qualification(actor=people["manager"], qualification=qualification, reason="Lapsed insurance.")
    page = text(client.get(REGISTER))
    assert page.count("govuk-tag--orange") == 1
    assert re.search(
        r"<strong>Dependency and Recovery</strong> <strong class=\"govuk-tag govuk-tag--orange\"> Suspended", page
    )
    assert "Gamma Recovery" in page  # still on the register
    assert "Lapsed insurance" not in page  # the reason is not public


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=women", ["Alpha Women's Centre"]),
        ("category=accommodation", ["Beta Housing Ltd"]),
        ("pcc_area=durham", ["Alpha Women's Centre", "Gamma Recovery"]),
        ("pcc_area=kent", ["Beta Housing Ltd"]),
        ("region=A", ["Alpha Women's Centre", "Gamma Recovery"]),
        ("region=K", ["Beta Housing Ltd"]),
        ("category=women&region=K", []),
        ("size_band=micro", ["Alpha Women's Centre", "Gamma Recovery"]),
        ("size_band=large", ["Beta Housing Ltd"]),
        ("size_band=micro&size_band=large", ["Alpha Women's Centre", "Beta Housing Ltd", "Gamma Recovery"]),
        ("sector=private", ["Beta Housing Ltd"]),
        ("sector=voluntary_and_community", ["Alpha Women's Centre", "Gamma Recovery"]),
        ("specialism=womens-organisation", ["Alpha Women's Centre"]),
        ("specialism=womens-organisation&specialism=welsh-organisation", ["Alpha Women's Centre"]),
        ("q=gamma", ["Gamma Recovery"]),
        ("q=HOUSING", ["Beta Housing Ltd"]),
    ],
)
def test_filters(client, register, query, expected):
    response = client.get(f"{REGISTER}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_the_category_and_area_filters_also_narrow_the_categories_shown(client, register):
    page = text(client.get(f"{REGISTER}?category=women"))
    assert "1 organisation is qualified for Women" in page
    assert "<strong>Women</strong>" in page
    assert "<strong>Emotional Wellbeing</strong>" not in page
    page = text(client.get(f"{REGISTER}?pcc_area=durham"))
    assert "<strong>Dependency and Recovery</strong>" in page
    assert "<strong>Accommodation</strong>" not in page


def test_headline_names_the_category_and_place(client, register):
    assert "2 organisations are qualified to work in Durham" in text(client.get(f"{REGISTER}?pcc_area=durham"))
    assert "1 organisation is qualified for Accommodation in Kent, Surrey and Sussex" in text(
        client.get(f"{REGISTER}?category=accommodation&region=K")
    )
    page = text(client.get(f"{REGISTER}?q=alpha"))
    assert "1 organisation is qualified for the Probation Services Dynamic Framework" in page
    assert "(of those that match your other filters)" in page


def test_filters_are_kept_in_the_form_and_the_csv_link(client, register):
    response = client.get(f"{REGISTER}?category=women&pcc_area=durham&size_band=micro")
    content = response.content.decode()
    assert 'value="women" selected' in content
    assert 'value="durham" selected' in content
    assert re.search(r'value="micro"\s+checked', content)
    assert 'href="/framework/register.csv?category=women&amp;pcc_area=durham&amp;size_band=micro"' in content
    assert "Clear filters" in content


def test_invalid_filters_give_a_message_not_an_error(client, register):
    response = client.get(
        f"{REGISTER}?category=nothing&region=Z&pcc_area=atlantis&sector=charity&size_band=huge&specialism=x&page=zz"
    )
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    for message in (
        "Choose a service category from the list",
        "Choose a probation region from the list",
        "Choose a Police and Crime Commissioner area from the list",
        "Choose sectors from the list",
        "Choose sizes from the list",
        "Choose specialisms from the list",
    ):
        assert message in page
    # The bad filters are left out, so the whole register shows
    assert names(response) == ["Alpha Women's Centre", "Beta Housing Ltd", "Gamma Recovery"]


def test_no_matches(client, register):
    page = text(client.get(f"{REGISTER}?q=zzz"))
    assert "0 organisations are qualified" in page
    assert "No qualified organisations match these filters." in page


def test_withdrawn_and_removed_organisations_leave_the_register(client, register, people):
    services.remove_qualification(
        actor=people["manager"], qualification=register["gamma"].qualifications.get(), reason="Ceased trading."
    )
    assert "Gamma Recovery" not in names(client.get(REGISTER))


def test_register_is_paginated(client, people, settings):
    from dynamic_framework.qualification.views import register as register_views

    for number in range(register_views.PAGE_SIZE + 1):
        qualify(people, f"Provider {number:02d}", categories=("women",), areas=("durham",))
    first = client.get(REGISTER)
    assert len(names(first)) == register_views.PAGE_SIZE
    assert "page 1 of 2" in text(first)
    second = client.get(f"{REGISTER}?page=2")
    assert names(second) == [f"Provider {register_views.PAGE_SIZE:02d}"]


def test_register_query_count_does_not_grow_with_rows(client, people, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(2):
        qualify(people, f"Small {number}", categories=("women", "finance-benefits-and-debt"), areas=("durham",))
    with CaptureQueriesContext(connection) as two:
        assert len(names(client.get(f"{REGISTER}?region=A"))) == 2
    for number in range(10):
        qualify(people, f"More {number}", categories=("women", "finance-benefits-and-debt"), areas=("durham",))
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(f"{REGISTER}?region=A")
    assert len(names(response)) == 12


# The CSV --------------------------------------------------------------------------------------------------------


def rows_of(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_csv_has_a_row_per_organisation_and_category(client, register, framework):
    register["alpha"].identifiers.create(scheme="GB-CHC", identifier="1123456")
    response = client.get(CSV)
    assert response.status_code == 200
    assert re.fullmatch(
        r'attachment; filename="register-probation-services-dynamic-framework-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    rows = rows_of(response)
    assert list(rows[0]) == [
        "Organisation",
        "Register numbers",
        "Sector",
        "Size",
        "Specialisms",
        "Service category",
        "Police and Crime Commissioner areas",
        "Probation regions",
        "Qualified on",
        "Qualified until",
        "Suspended",
    ]
    assert [(r["Organisation"], r["Service category"]) for r in rows] == [
        ("Alpha Women's Centre", "Emotional Wellbeing"),
        ("Alpha Women's Centre", "Women"),
        ("Beta Housing Ltd", "Accommodation"),
        ("Gamma Recovery", "Dependency and Recovery"),
    ]
    alpha = rows[1]
    assert alpha["Register numbers"] == "GB-CHC-1123456"
    assert alpha["Sector"] == "Voluntary and community"
    assert alpha["Size"] == "Micro"
    assert alpha["Specialisms"] == "Women's organisation"
    assert alpha["Police and Crime Commissioner areas"] == "Durham; Northumbria"
    assert alpha["Probation regions"] == "North East"
    assert alpha["Qualified on"] == timezone.localdate().isoformat()
    assert alpha["Qualified until"] == framework.effective_end.isoformat()
    assert alpha["Suspended"] == "no"
    beta = next(r for r in rows if r["Organisation"] == "Beta Housing Ltd")
    assert beta["Sector"] == "Private"
    assert beta["Police and Crime Commissioner areas"] == "Kent; Surrey"


def test_csv_marks_suspended_and_follows_the_filters(client, register, people):
    women = register["alpha"].qualifications.get(category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="Checking a complaint.")
    rows = rows_of(client.get(f"{CSV}?category=women"))
    assert [(r["Organisation"], r["Service category"], r["Suspended"]) for r in rows] == [
        ("Alpha Women's Centre", "Women", "yes")
    ]
    assert [r["Organisation"] for r in rows_of(client.get(f"{CSV}?region=K"))] == ["Beta Housing Ltd"]
    assert rows_of(client.get(f"{CSV}?q=nobody")) == []


def test_csv_with_a_bad_filter_is_a_400_with_a_plain_message(client, register):
    response = client.get(f"{CSV}?region=Z&category=nothing")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "Not downloaded: a filter is wrong." in body
    assert "region: Choose a probation region from the list" in body
    assert "category: Choose a service category from the list" in body


def test_csv_is_utf8(client, people):
    qualify(people, "Cymdeithas Tŷ Newydd", categories=("women",), areas=("dyfed-powys",))
    rows = rows_of(client.get(CSV))
    assert rows[0]["Organisation"] == "Cymdeithas Tŷ Newydd"
    assert rows[0]["Probation regions"] == "Wales"


# One organisation's entry ----------------------------------------------------------------------------------------


def entry(slug):
    return f"/framework/register/{slug}/"


def test_entry_404s(client, register):
    assert client.get(entry("nobody-at-all")).status_code == 404
    assert client.get(entry(register["never"].slug)).status_code == 404


def test_public_entry_shows_current_qualifications_and_history_without_reasons(client, register, people):
    alpha = register["alpha"]
    women = alpha.qualifications.get(category__slug="women")
    wellbeing = alpha.qualifications.get(category__slug="emotional-wellbeing")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint to look into.")
    services.reinstate_qualification(actor=people["manager"], qualification=women, note="Complaint resolved.")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A second complaint.")
    services.withdraw_qualification(actor=register["alpha_admin"], qualification=wellbeing, reason="Funding ended.")
    response = client.get(entry(alpha.slug))
    assert response.status_code == 200
    page = text(response)
    assert "Current qualifications" in page
    today = timezone.localdate()
    assert f"Since {today.day} {today:%B %Y}" in page
    for event in ("Qualified", "Suspended", "Reinstated", "Withdrawn by the provider"):
        assert event in page
    for private in ("A complaint to look into", "Complaint resolved", "A second complaint", "Funding ended"):
        assert private not in page
    # No buttons for the public
    assert "/suspend/" not in page and "/remove/" not in page and "/withdraw/" not in page
    assert "Confirm your details" not in page


def test_entry_of_an_organisation_no_longer_on_the_register(client, register, people):
    gamma = register["gamma"]
    services.remove_qualification(
        actor=people["manager"], qualification=gamma.qualifications.get(), reason="Ceased trading."
    )
    page = text(client.get(entry(gamma.slug)))
    assert "Not on the register now" in page
    assert "Removed by the framework manager" in page
    assert "Ceased trading" not in page


def test_framework_managers_see_reasons_and_the_buttons(client, register, people):
    alpha = register["alpha"]
    women = alpha.qualifications.get(category__slug="women")
    wellbeing = alpha.qualifications.get(category__slug="emotional-wellbeing")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint to look into.")
    client.force_login(people["manager"])
    page = client.get(entry(alpha.slug)).content.decode()
    assert "A complaint to look into." in page
    assert f"/framework/register/qualifications/{women.pk}/reinstate/" in page
    assert f"/framework/register/qualifications/{women.pk}/suspend/" not in page
    assert f"/framework/register/qualifications/{wellbeing.pk}/suspend/" in page
    assert f"/framework/register/qualifications/{women.pk}/remove/" in page
    assert "/withdraw/" not in page


def test_the_organisations_administrator_sees_withdraw_and_the_yearly_confirmation(client, register, people, framework):
    alpha = register["alpha"]
    women = alpha.qualifications.get(category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint to look into.")
    client.force_login(register["alpha_admin"])
    response = client.get(entry(alpha.slug))
    page = text(response)
    assert "A complaint to look into." in page  # their own organisation's reason
    assert f"/framework/register/qualifications/{women.pk}/withdraw/" in page
    assert "/suspend/" not in page and "/remove/" not in page
    due = services.confirmation_due_on(framework=framework, organisation=alpha)
    assert f"is due by {due.day} {due:%B %Y}" in page
    assert "/framework/confirm-your-details/?organisation=alpha-women-s-centre" in response.content.decode()
    assert "you can apply again at any time" in page


def _as(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_overdue_confirmation_is_a_warning(client, register):
    alpha = register["alpha"]
    Qualification.objects.filter(organisation=alpha).update(qualified_at=timezone.now().replace(year=2020))
    page = text(_as(client, register["alpha_admin"], entry(alpha.slug)))
    assert "Your yearly confirmation was due by" in page


def test_staff_see_reasons_but_no_buttons(client, register, people):
    alpha = register["alpha"]
    women = alpha.qualifications.get(category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint to look into.")
    staff = user_with_role("provider_staff", organisation=alpha)
    page = text(_as(client, staff, entry(alpha.slug)))
    assert "A complaint to look into." in page
    assert "/withdraw/" not in page and "/suspend/" not in page
    assert "Confirm your details" not in page


def test_another_organisations_administrator_sees_the_public_entry(client, register, people):
    alpha = register["alpha"]
    women = alpha.qualifications.get(category__slug="women")
    services.suspend_qualification(actor=people["manager"], qualification=women, reason="A complaint to look into.")
    other = user_with_role("provider_administrator", organisation=register["beta"])
    page = text(_as(client, other, entry(alpha.slug)))
    assert "A complaint to look into." not in page
    assert "/withdraw/" not in page


def test_areas_added_later_are_in_the_history(client, register, people):
    alpha = register["alpha"]
    admin = register["alpha_admin"]
    q.qualified_application(alpha, admin, people["assessor"], people["manager"], categories=("women",), areas=("kent",))
    page = text(client.get(entry(alpha.slug)))
    assert "Areas added: Kent" in page
    assert re.search(r"Kent<br>\s*Durham, Northumbria<", page)  # regions by name


def test_effective_end_counts_exercised_extensions(client, register, framework, people):
    extension = framework.extensions.order_by("position").first()
    services.exercise_extension(actor=people["manager"], extension=extension)
    end = date(framework.ends_on.year + 1, framework.ends_on.month, framework.ends_on.day)
    page = text(client.get(entry(register["alpha"].slug)))
    assert f"until {end.day} {end:%B %Y}" in page
