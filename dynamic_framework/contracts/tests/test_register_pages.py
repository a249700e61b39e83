"""The register pages: the public list and its filters, the CSV, the contract page, documents and the pipeline."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dynamic_framework.contracts.models import ContractDocument
from dynamic_framework.core.models import AuditEvent

from . import register_world as rw

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_world(reference_data):
    return rw.build()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def register(client, **params):
    return client.get(reverse("contracts:register"), params)


def test_the_register_lists_every_contract_with_its_public_facts(client, register_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = register(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "4 contracts and grant agreements" in html
    for ref in ("T-LIVE", "T-SHARED-cleveland", "T-ENDED"):
        assert ref in html
    assert "Northern Women&#39;s Trust" in html or "Northern Women's Trust" in html
    assert "£220,000" in html  # the years' values
    assert "shared by the award&#39;s 2 contracts" in html or "shared by the award's 2 contracts" in html
    assert "Ended" in html and "Live" in html


def test_the_query_count_does_not_grow_with_the_rows(client, register_world, django_assert_max_num_queries):
    from dynamic_framework.contracts.tests.factories import ContractFactory

    for n in range(10):
        ContractFactory(reference=f"T-MORE-{n}")
    with django_assert_max_num_queries(12):
        assert register(client).status_code == 200


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "B"}, {"T-ENDED", "T-LIVE"}),  # T-LIVE served Cumbria (North West) before
        ({"pcc_area": "cumbria"}, {"T-LIVE", "T-ENDED"}),  # T-LIVE served it before, through its areas
        ({"pcc_area": "northumbria"}, {"T-SHARED-northumbria"}),
        ({"category": "women"}, {"T-LIVE"}),
        ({"provider": "small-partner-cic"}, {"T-LIVE"}),  # a supply chain member
        ({"provider": "southern-housing"}, {"T-ENDED"}),
        ({"status": "ended"}, {"T-ENDED"}),
        ({"status": "live"}, {"T-LIVE", "T-SHARED-cleveland", "T-SHARED-northumbria"}),
        ({"funding": "grant"}, {"T-ENDED"}),
        ({"q": "durham"}, {"T-LIVE"}),
        ({"q": "small partner"}, {"T-LIVE"}),
        ({"round": "test-round", "status": "ended"}, {"T-ENDED"}),
    ],
)
def test_filters(client, register_world, params, expected):
    from dynamic_framework.contracts import selectors
    from dynamic_framework.contracts.forms_register import RegisterFilterForm

    form = RegisterFilterForm(params)
    assert form.is_valid(), form.errors
    refs = set(selectors.register_contracts(form.filters()).values_list("reference", flat=True))
    assert refs == expected
    html = register(client, **params).content.decode()
    for ref in expected:
        assert ref in html


def test_filter_by_end_date(client, register_world):
    today = register_world.today
    after = today + timedelta(days=300)
    params = {"ends_after_day": after.day, "ends_after_month": after.month, "ends_after_year": after.year}
    html = register(client, **params).content.decode()
    assert "T-SHARED-cleveland" in html and "T-LIVE" not in html


@pytest.mark.parametrize(
    "params",
    [
        {"region": "Z"},
        {"status": "asleep"},
        {"provider": "nobody"},
        {"ends_before_day": "31", "ends_before_month": "2", "ends_before_year": "2025"},
        {
            "ends_after_day": "1",
            "ends_after_month": "1",
            "ends_after_year": "2026",
            "ends_before_day": "1",
            "ends_before_month": "1",
            "ends_before_year": "2025",
        },
        {"page": "many"},
    ],
)
def test_bad_filters_show_an_error_never_a_500(client, register_world, params):
    response = register(client, **params)
    assert response.status_code == 200
    if "page" not in params:
        assert "There is a problem" in response.content.decode()
        assert client.get(reverse("contracts:register-csv"), params).status_code == 400


def test_the_csv_has_the_same_filters(client, register_world):
    response = client.get(reverse("contracts:register-csv"), {"region": "A"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Reference"
    assert {r[0] for r in rows[1:]} == {"T-LIVE", "T-SHARED-cleveland", "T-SHARED-northumbria"}
    live = next(r for r in rows if r[0] == "T-LIVE")
    assert "Durham" in live and "Small Partner CIC" in live and "220000.00" in live


def test_the_contract_page_shows_the_public_facts(client, register_world, django_assert_max_num_queries):
    w = register_world
    url = reverse("contracts:contract", kwargs={"reference": "T-LIVE"})
    with django_assert_max_num_queries(30):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Women aged 18 and over on probation." in html
    assert "2030-31" in html and "£100,000" in html and "50" in html
    assert "Durham" in html and "Served before" in html and "Cumbria" in html
    assert "Peer mentoring" in html and "Small Partner CIC" in html
    assert "Not yet" in html and "No, and it can no longer be" in html
    assert "Commissioner" not in html.split("Where it came from")[0].split("Lead provider")[-1] or not w
    assert "Live" in html


def test_the_shared_contract_page_says_the_value_is_shared(client, register_world):
    html = client.get(reverse("contracts:contract", kwargs={"reference": "T-SHARED-cleveland"})).content.decode()
    assert "£300,000" in html and "2 contracts" in html and "T-SHARED-northumbria" in html


def test_an_unknown_contract_is_404(client, register_world):
    assert client.get(reverse("contracts:contract", kwargs={"reference": "NOPE"})).status_code == 404


def _upload(client, user, public="no", name="spec.pdf", content=PDF):
    client.force_login(user)
    return client.post(
        reverse("contracts:document-add", kwargs={"reference": "T-LIVE"}),
        {
            "title": "Service specification",
            "public": public,
            "file": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )


def test_a_commissioner_adds_a_document_that_only_parties_may_download(client, register_world):
    w = register_world
    response = _upload(client, w.commissioner)
    assert response.status_code == 302
    document = ContractDocument.objects.get()
    assert document.public is False and document.uploaded_by == w.commissioner
    assert AuditEvent.objects.filter(action="contracts.document_added").count() == 1
    url = reverse("contracts:document", kwargs={"reference": "T-LIVE", "pk": document.pk})
    client.logout()
    assert client.get(url).status_code == 302  # sign in first
    assert (
        "Service specification"
        not in client.get(reverse("contracts:contract", kwargs={"reference": "T-LIVE"})).content.decode()
    )
    for user, expected in ((w.outsider, 403), (w.other_commissioner, 403), (w.provider, 200), (w.sub_staff, 200)):
        client.force_login(user)
        assert client.get(url).status_code == expected, user
    client.force_login(w.provider)
    page = client.get(reverse("contracts:contract", kwargs={"reference": "T-LIVE"})).content.decode()
    assert "Service specification" in page and "not published" in page


def test_a_public_document_is_for_everyone(client, register_world):
    _upload(client, register_world.commissioner, public="yes")
    document = ContractDocument.objects.get()
    client.logout()
    response = client.get(reverse("contracts:document", kwargs={"reference": "T-LIVE", "pk": document.pk}))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")


def test_a_bad_document_is_refused_with_a_message(client, register_world):
    response = _upload(client, register_world.commissioner, name="spec.pdf", content=b"MZ not a pdf")
    assert response.status_code == 200
    assert "not a real PDF file" in response.content.decode()
    assert not ContractDocument.objects.exists()


def test_only_the_contracts_commissioners_add_documents(client, register_world):
    w = register_world
    for user in (w.other_commissioner, w.provider):
        assert _upload(client, user).status_code == 403
    assert not ContractDocument.objects.exists()


def test_the_pipeline_shows_contracts_ending_with_their_options(client, register_world, django_assert_max_num_queries):
    w = register_world
    client.force_login(w.commissioner)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("contracts:pipeline"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "T-LIVE" in html  # ends in 200 days
    assert "T-SHARED" not in html  # ends in 500 days, after 12 months
    assert "12 months, take up by" in html and "6 months, take up by" not in html  # option 2's date has passed
    html = client.get(reverse("contracts:pipeline"), {"months": "18", "chosen": "1", "region": "A"}).content.decode()
    assert "T-SHARED-cleveland" in html
    html = client.get(reverse("contracts:pipeline"), {"months": "18", "chosen": "1"}).content.decode()
    assert "All regions." in html


def test_a_commissioner_sees_their_regions_by_default(client, register_world):
    client.force_login(register_world.other_commissioner)
    html = client.get(reverse("contracts:pipeline")).content.decode()
    assert "North East" not in html.split("Choose")[0] and "T-LIVE" not in html


def test_bad_pipeline_choices_show_an_error(client, register_world):
    client.force_login(register_world.commissioner)
    response = client.get(reverse("contracts:pipeline"), {"months": "7", "region": "Z"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_the_pipeline_is_for_commissioners_and_framework_managers(client, register_world):
    client.force_login(register_world.provider)
    assert client.get(reverse("contracts:pipeline")).status_code == 403
