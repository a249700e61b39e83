# ruff: noqa: F811 - the fixtures are imported by name from variations_helpers
"""The variation pages: choosing a kind, each kind's form (errors on the fields, success to the confirmation),
who may see what in the history, the as-at page (good and bad dates), the contract page's partial."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.contracts import variations
from dynamic_framework.contracts.models import Variation
from dynamic_framework.contracts.tests.variations_helpers import (  # noqa: F401
    build_contract,
    commissioner,
    contract,
    lead_admin,
    member,
    other_commissioner,
)
from dynamic_framework.contracts.views.variations import contract_page_context
from dynamic_framework.core.models import AuditEvent, Notification
from dynamic_framework.geography.models import PccArea
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def day(prefix, value):
    return {f"{prefix}_day": str(value.day), f"{prefix}_month": str(value.month), f"{prefix}_year": str(value.year)}


def new_url(contract, kind=""):
    return f"/contracts/{contract.reference}/variations/new/" + (f"{kind}/" if kind else "")


@pytest.fixture
def signed_in(client, commissioner):
    client.force_login(commissioner)
    return client


def test_choose_a_kind(signed_in, contract):
    page = signed_in.get(new_url(contract))
    assert page.status_code == 200
    text = page.content.decode()
    assert "What is changing?" in text and "Cumbria until June 2023" in text
    empty = signed_in.post(new_url(contract), {})
    assert "Select what is changing" in empty.content.decode() and "govuk-error-summary" in empty.content.decode()
    chosen = signed_in.post(new_url(contract), {"kind": "novate"})
    assert chosen.status_code == 302 and chosen["Location"] == new_url(contract, "novate")


def test_an_unknown_kind_is_404(signed_in, contract):
    assert signed_in.get(new_url(contract, "merge")).status_code == 404


def test_who_may_record_a_variation(client, contract, other_commissioner, lead_admin):
    assert client.get(new_url(contract))["Location"].startswith("/sign-in/")
    for user in (other_commissioner, lead_admin):
        client.force_login(user)
        assert client.get(new_url(contract)).status_code == 403
        assert client.post(new_url(contract, "terminate"), {"reason": "x"}).status_code == 403
    assert not Variation.objects.exists()


def test_extend_through_the_page_then_the_confirmation(signed_in, contract, lead_admin):
    option = contract.extension_options.get(position=1)
    page = signed_in.get(new_url(contract, "extend"))
    assert "Option 1: 12 months" in page.content.decode()
    answers = {"option": str(option.pk), "reason": "Good results"}
    check = signed_in.post(new_url(contract, "extend"), answers).content.decode()
    assert "Check the variation before you record it" in check and "Extension option 1 (12 months) taken up" in check
    assert not Variation.objects.exists() and contract.extension_options.get(position=1).exercised_at is None
    assert not AuditEvent.objects.filter(action__startswith="contracts.variation").exists()
    assert not Notification.objects.exists()  # the check page is a trial, rolled back: no one is told
    again = signed_in.post(new_url(contract, "extend"), {**answers, "change": "yes"}).content.decode()
    assert "Which option are you taking up?" in again and "Good results" in again
    response = signed_in.post(new_url(contract, "extend"), {**answers, "confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{contract.reference}/variations/1/"
    confirmation = signed_in.get(response["Location"]).content.decode()
    assert "Variation 1 recorded" in confirmation and "Extension option 1 (12 months) taken up" in confirmation
    assert "Variation 1 recorded" not in signed_in.get(response["Location"]).content.decode()  # only once


def test_form_errors_and_service_refusals_show_on_the_fields(signed_in, contract):
    empty = signed_in.post(new_url(contract, "change_end_date"), {}).content.decode()
    assert "Enter the new end date" in empty and "Say why the contract is changing" in empty
    too_late = variations.add_months(contract.end_date, 18) + timedelta(days=1)
    refused = signed_in.post(
        new_url(contract, "change_end_date"),
        {**day("end_date", too_late), **day("effective_on", timezone.localdate()), "reason": "More time"},
    ).content.decode()
    assert "the last allowed date" in refused and 'href="#id_end_date"' in refused
    bad_date = signed_in.post(
        new_url(contract, "terminate"),
        {"terminated_on_day": "31", "terminated_on_month": "2", "terminated_on_year": "2025", "reason": "r"},
    ).content.decode()
    assert "must be a real date" in bad_date
    negative = signed_in.post(
        new_url(contract, "change_value"),
        {
            "financial_year": str(contract.years.first().financial_year),
            "value": "-5",
            **day("effective_on", timezone.localdate()),
            "reason": "r",
        },
    ).content.decode()
    assert "£0 or more" in negative
    outside = signed_in.post(
        new_url(contract, "add_area"),
        {
            "pcc_area": str(PccArea.objects.get(slug="cumbria").pk),
            **day("effective_on", timezone.localdate()),
            "reason": "r",
        },
    ).content.decode()
    assert "Select an area of the contract" in outside, outside[outside.find("govuk-error-summary") :][:1500]
    assert not Variation.objects.exists()


def test_each_kind_through_its_page(signed_in, contract):
    today = timezone.localdate()
    new = ProviderFactory(name="Taking Over Ltd")
    posts = [
        (
            "change_value",
            {
                "financial_year": str(contract.years.first().financial_year),
                "value": "95,000",
                "expected_people": "45",
                **day("effective_on", today),
            },
        ),
        ("change_end_date", {**day("end_date", contract.end_date - timedelta(days=10)), **day("effective_on", today)}),
        ("add_area", {"pcc_area": str(PccArea.objects.get(slug="cleveland").pk), **day("effective_on", today)}),
        ("remove_area", {"pcc_area": str(PccArea.objects.get(slug="durham").pk), **day("last_day", today)}),
        ("novate", {"new_lead_provider": str(new.pk), **day("effective_on", today)}),
        ("terminate", {**day("terminated_on", today + timedelta(days=5))}),
    ]
    for number, (kind, data) in enumerate(posts, start=1):
        response = signed_in.post(new_url(contract, kind), {**data, "reason": f"Reason {number}", "confirm": "yes"})
        assert response.status_code == 302, (kind, response.content.decode()[:3000])
        assert Variation.objects.get(contract=contract, number=number).kind == kind
    contract.refresh_from_db()
    assert contract.lead_provider == new and contract.terminated_on == today + timedelta(days=5)


def test_the_history_is_public_but_reasons_are_for_the_parties(client, contract, commissioner, lead_admin, member):
    variations.change_value(
        actor=commissioner,
        contract=contract,
        financial_year=contract.years.first().financial_year,
        value_pence=1_000_00,
        reason="A secret reason",
        effective_on=timezone.localdate(),
    )
    url = f"/contracts/{contract.reference}/variations/"
    public = client.get(url).content.decode()
    assert "Value for" in public and "A secret reason" not in public and "Grace Okafor" not in public
    assert "Record a variation" not in public
    detail = client.get(url + "1/").content.decode()
    assert "Value for" in detail and "A secret reason" not in detail
    member_user = user_with_role("provider_staff", organisation=member.organisation)
    for user in (lead_admin, member_user, commissioner):
        client.force_login(user)
        text = client.get(url).content.decode()
        assert "A secret reason" in text and "Grace Okafor" in text
        assert ("Record a variation" in text) == (user == commissioner)
    assert client.get(url + "99/").status_code == 404
    assert client.get("/contracts/NO-SUCH/variations/").status_code == 404


def test_the_history_is_paginated_with_a_fixed_number_of_queries(
    client, contract, commissioner, django_assert_max_num_queries
):
    first_year = contract.years.first().financial_year
    for value in range(1, 24):
        variations.change_value(
            actor=commissioner,
            contract=contract,
            financial_year=first_year,
            value_pence=value,
            reason="r",
            effective_on=timezone.localdate(),
        )
    client.force_login(commissioner)
    url = f"/contracts/{contract.reference}/variations/"
    client.get(url)
    with django_assert_max_num_queries(12):
        first = client.get(url).content.decode()
    assert ">23. Value changed</a>" in first and ">3. Value changed</a>" not in first
    assert ">3. Value changed</a>" in client.get(url + "?page=2").content.decode()


def test_as_at_page(client, contract, commissioner):
    last = timezone.localdate() - timedelta(days=5)
    variations.remove_area(
        actor=commissioner, contract=contract, pcc_area=PccArea.objects.get(slug="durham"), last_day=last, reason="r"
    )
    url = f"/contracts/{contract.reference}/as-at/"
    before = client.get(url, {"date": last.isoformat()}).content.decode()
    assert "Durham" in before and "1 variation took effect after this date" in before
    after = client.get(url, {"date": (last + timedelta(days=1)).isoformat()}).content.decode()
    assert "Durham served until" in after and "<li>Durham</li>" not in after
    boxes = client.get(url, day("date", last)).content.decode()
    assert "<li>Durham</li>" in boxes
    today = client.get(url)
    assert today.status_code == 200 and "Live" in today.content.decode()
    for bad in (
        {"date": "2023-02-30"},
        {"date": "yesterday"},
        {"date_day": "31", "date_month": "2", "date_year": "2023"},
        {"date_day": "", "date_month": "", "date_year": ""},
    ):
        response = client.get(url, bad)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.content.decode(), bad
    assert "from 2000 to 2100" in client.get(url, {"date": "1900-01-01"}).content.decode()
    assert client.get("/contracts/NO-SUCH/as-at/").status_code == 404


def test_the_contract_page_partial(rf_request, contract, commissioner, django_assert_max_num_queries):
    for value in (1, 2, 3, 4):
        variations.change_value(
            actor=commissioner,
            contract=contract,
            financial_year=contract.years.first().financial_year,
            value_pence=value,
            reason="Why",
            effective_on=timezone.localdate(),
        )
    request = rf_request(commissioner)
    with django_assert_max_num_queries(4):
        context = contract_page_context(request=request, contract=contract)
    assert [row["variation"].number for row in context["variations_latest"]] == [4, 3, 2]
    html = render_to_string("contracts/_variations.html", {**context, "contract": contract}, request=request)
    assert "See all 4 variations" in html and "Record a variation" in html and "Why" in html
    public = contract_page_context(request=rf_request(None), contract=contract)
    html = render_to_string("contracts/_variations.html", {**public, "contract": contract})
    assert "Record a variation" not in html and "Why" not in html


@pytest.fixture
def rf_request():
    from django.contrib.auth.models import AnonymousUser

    def make(user):
        request = RequestFactory().get("/")
        request.user = user or AnonymousUser()
        return request

    return make


def test_the_contract_page_shows_the_variations(client, contract, commissioner):
    variations.add_area(
        actor=commissioner,
        contract=contract,
        pcc_area=PccArea.objects.get(slug="cleveland"),
        effective_on=timezone.localdate(),
        reason="A private reason",
    )
    page = client.get(f"/contracts/{contract.reference}/").content.decode()
    assert 'id="variations-heading"' in page and "Cleveland served from" in page
    assert "A private reason" not in page and "Record a variation" not in page
    client.force_login(commissioner)
    page = client.get(f"/contracts/{contract.reference}/").content.decode()
    assert "A private reason" in page and f"/contracts/{contract.reference}/variations/new/" in page


def test_the_as_at_page_has_a_fixed_number_of_queries(client, contract, commissioner, django_assert_max_num_queries):
    year = contract.years.first().financial_year
    for value in range(1, 11):
        variations.change_value(
            actor=commissioner,
            contract=contract,
            financial_year=year,
            value_pence=value,
            reason="r",
            effective_on=timezone.localdate(),
        )
    client.force_login(commissioner)
    url = f"/contracts/{contract.reference}/as-at/"
    client.get(url)
    with django_assert_max_num_queries(16):
        page = client.get(url).content.decode()
    assert ">10. Value changed</a>" in page and ">1. Value changed</a>" in page


def test_the_termination_reason_is_public_on_the_as_at_page(client, signed_in, contract):
    assert "published with the contract" in signed_in.get(new_url(contract, "terminate")).content.decode()
    today = timezone.localdate()
    signed_in.post(
        new_url(contract, "terminate"),
        {**day("terminated_on", today), "reason": "The charity closed.", "confirm": "yes"},
    )
    client.logout()
    page = client.get(f"/contracts/{contract.reference}/as-at/", {"date": today.isoformat()}).content.decode()
    assert "The charity closed." in page and "Terminated" in page
