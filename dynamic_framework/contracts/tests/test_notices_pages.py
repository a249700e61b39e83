"""The notices pages: public list and notice, sending, sent, measures, your notices, acknowledging, passing on,
and the contract page's partial context. Lists are paginated and their query counts fixed."""

import re

import pytest
from django.urls import reverse

from dynamic_framework.contracts import notices
from dynamic_framework.contracts.models import Notice, NoticeDelivery
from dynamic_framework.contracts.views.notices import contract_page_context

from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build()


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_public_notices_newest_first_filtered_and_paginated(w, client, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2)):
        old = w.send(title="Old guidance")
    with travel(uk(2026, 3, 3)):
        w.send(title="Private matter", public=False)
        w.send(title="New policy", kind="policy_change")
    response = client.get(reverse("contracts:notices"))
    page = text(response)
    assert page.index("New policy") < page.index("Old guidance") and "Private matter" not in page
    assert "New policy" not in text(client.get("/notices/?kind=operational_guidance"))
    assert "Old guidance" in text(client.get("/notices/?region=A"))
    assert "No public notices match" in text(client.get("/notices/?region=B"))
    for n in range(25):
        Notice.objects.create(
            reference=f"N-TEST-{n:04}", kind="policy_change", title=f"Bulk {n}", body="x", sent_by=w.commissioner
        )
    with django_assert_max_num_queries(8):
        response = client.get("/notices/")
    assert response.status_code == 200 and "Showing 1 to 20 of 27" in text(response)
    assert "Old guidance" in text(client.get("/notices/?page=2"))
    assert client.get(f"/notices/{old.reference}/").status_code == 200


def test_a_notice_public_or_for_its_parties(w, client):
    secret = w.send(title="Private matter", public=False)
    assert client.get(f"/notices/{secret.reference}/").status_code == 404
    client.force_login(w.sub_users[0])
    assert client.get(f"/notices/{secret.reference}/").status_code == 404  # not passed on to them yet
    notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(secret))
    assert client.get(f"/notices/{secret.reference}/").status_code == 200
    client.force_login(w.commissioner)
    page = text(client.get(f"/notices/{secret.reference}/"))
    assert "Who it has reached" in page and "Sub A" in page and "Prime Partnership" in page
    assert client.get("/notices/N-NONE-NONE/").status_code == 404


def test_sending_through_the_page(w, client):
    client.force_login(w.commissioner)
    page = text(client.get("/notices/new/"))
    assert "NOT-1" in page and "NOT-2" in page and "NOT-B" not in page
    assert "North East: Women&#39;s services" in page
    assert "The seeds ask that operational guidance is published by default" in page
    assert re.search(
        r'<input[^>]*name="public"[^>]*value="yes"[^>]*checked', client.get("/notices/new/").content.decode()
    )
    filtered = text(client.get("/notices/new/?q=NOT-2"))
    assert "NOT-2" in filtered and "NOT-1:" not in filtered
    preselected = client.get("/notices/new/?contract=NOT-1").content.decode()
    assert 'value="NOT-1" checked' in preselected
    empty = client.post("/notices/new/", {})
    assert empty.status_code == 200
    assert "There is a problem" in text(empty) and "Choose at least one contract" in text(empty)
    response = client.post(
        "/notices/new/",
        {
            "kind": "operational_guidance",
            "title": "Referrals move",
            "body": "Use the new address.",
            "contracts": ["NOT-1", "NOT-2"],
            "cascade_required": "yes",
            "public": "yes",
        },
    )
    notice = Notice.objects.get(title="Referrals move")
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.reference}/"
    assert notice.cascade_required and notice.public and notice.deliveries.count() == 2


def test_sending_refuses_other_regions_contracts(w, client):
    client.force_login(w.commissioner)
    response = client.post(
        "/notices/new/",
        {
            "kind": "policy_change",
            "title": "T",
            "body": "B",
            "contracts": ["NOT-B"],
            "cascade_required": "no",
            "public": "yes",
        },
    )
    assert response.status_code == 200 and "Choose contracts in the regions you commission for" in text(response)
    assert not Notice.objects.exists()


def test_sent_notices_with_their_state(w, client, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2)):
        first = w.send([w.contract, w.second])
    with travel(uk(2026, 3, 3)):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(first))
    with travel(uk(2026, 3, 4)):
        for n in range(3):
            w.send([w.second], title=f"More {n}")
    client.force_login(w.commissioner)
    with travel(uk(2026, 3, 20)), django_assert_max_num_queries(12):
        response = client.get("/notices/sent/")
    page = text(response)
    assert (
        "Changes to referrals" in page and "5 acknowledgements overdue" in page and "1 acknowledgement overdue" in page
    )
    with travel(uk(2026, 3, 20)):
        for n in range(20):
            w.send([w.second], title=f"Bulk {n}")
        with django_assert_max_num_queries(12):
            assert client.get("/notices/sent/").status_code == 200


def test_your_notices_acknowledge_and_pass_on(w, client, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    lead = w.lead_delivery(notice)
    client.force_login(w.prime_user)
    with travel(uk(2026, 3, 10)):
        with django_assert_max_num_queries(10):
            page = text(client.get("/your-notices/"))
        assert "Passing on overdue" in page and "Acknowledgement overdue" in page
        forward_page = text(client.get(f"/notice-deliveries/{lead.pk}/forward/"))
        assert "Sub A" in forward_page and "Sub B" in forward_page and "Sub C" in forward_page
        response = client.post(f"/notice-deliveries/{lead.pk}/forward/", {"note": "Please read"})
        assert response.status_code == 302 and response["Location"] == "/your-notices/"
        assert NoticeDelivery.objects.filter(forwarded_from=lead, note="Please read").count() == 3
        again = client.post(f"/notice-deliveries/{lead.pk}/forward/", {"note": ""})
        assert "already passed this notice on to everyone" in text(again)
        assert client.post(f"/notice-deliveries/{lead.pk}/acknowledge/").status_code == 302
        page = text(client.get("/your-notices/"))
        assert "Acknowledged late" in page and "Passed on late" in page
        client.post(f"/notice-deliveries/{lead.pk}/acknowledge/")
        assert "already acknowledged" in text(client.get("/your-notices/"))
    client.force_login(w.sub_users[0])
    mine = notice.deliveries.get(organisation=w.subs[0])
    with travel(uk(2026, 3, 11)):
        page = text(client.get("/your-notices/"))
        assert "passed on by Prime Partnership" in page and "Please read" in page and "Not acknowledged yet" in page
        assert client.get(f"/notice-deliveries/{mine.pk}/forward/").status_code == 403
        assert client.post(f"/notice-deliveries/{lead.pk}/acknowledge/").status_code == 403
        client.post(f"/notice-deliveries/{mine.pk}/acknowledge/")
    mine.refresh_from_db()
    assert mine.acknowledged_by == w.sub_users[0]
    assert client.post("/notice-deliveries/999999/acknowledge/").status_code == 404
    for n in range(25):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(w.send(title=f"Bulk {n}")))
    with django_assert_max_num_queries(10):
        response = client.get("/your-notices/")
    assert response.status_code == 200 and "Bulk 24" in text(response) and "Bulk 0<" not in text(response)
    assert client.get("/your-notices/?page=2").status_code == 200


def test_your_notices_is_for_provider_users(w, client):
    assert client.get("/your-notices/").status_code == 302
    client.force_login(w.commissioner)
    assert client.get("/your-notices/").status_code == 403


def test_measures_page(w, client, django_assert_max_num_queries):
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    with travel(uk(2026, 3, 4, 10)):
        notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(notice))
    client.force_login(w.commissioner)
    with django_assert_max_num_queries(9):
        page = text(client.get("/notices/measures/"))
    assert "By lead provider" in page and "Prime Partnership" in page and "100%" in page
    assert "left out of the median" in page
    assert '<svg class="app-chart" role="img"' in page and "Share of supply chain members reached" in page
    assert "No notices that must be passed on" in text(client.get("/notices/measures/?region=B"))
    client.force_login(w.prime_user)
    assert client.get("/notices/measures/").status_code == 403


def test_contract_page_context(w, rf, django_assert_max_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with travel(uk(2026, 3, 2, 10)):
        public = w.send(title="Open")
        secret = w.send(title="Closed", public=False)
    notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(secret))
    request = rf.get("/")
    request.user = AnonymousUser()
    context = contract_page_context(request=request, contract=w.contract)
    assert [r["notice"] for r in context["notice_rows"]] == [public] and not context["notices_party"]
    request.user = w.prime_user
    with django_assert_max_num_queries(6):
        context = contract_page_context(request=request, contract=w.contract)
    rows = {r["notice"].title: r for r in context["notice_rows"]}
    assert set(rows) == {"Open", "Closed"} and rows["Closed"]["state"].forwarded_to == 3
    assert rows["Open"]["state"].to_forward
    from django.template.loader import render_to_string

    html = render_to_string("contracts/_notices.html", {**context, "contract": w.contract}, request=request)
    assert "Closed" in html and "Passed on to 3 organisations" in html


def test_the_contract_page_shows_its_notices(w, client):
    public = w.send(title="Open guidance")
    secret = w.send(title="Closed matter", public=False)
    notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(secret))
    page = text(client.get("/contracts/NOT-1/"))
    assert "Open guidance" in page and "Closed matter" not in page
    client.force_login(w.sub_users[0])
    page = text(client.get("/contracts/NOT-1/"))
    assert "Open guidance" in page and "Closed matter" in page and "Passed on to 3 organisations" in page
    client.force_login(w.commissioner)
    page = client.get("/contracts/NOT-1/").content.decode()
    assert "/notices/new/?contract=NOT-1" in page and public.reference in page


def test_links_to_the_notices_pages(w, client):
    client.force_login(w.prime_user)
    assert "/your-notices/" in client.get("/account/").content.decode()
    assert "/your-notices/" in client.get("/notices/").content.decode()
    client.force_login(w.commissioner)
    account = client.get("/account/").content.decode()
    assert "/notices/sent/" in account and "/notices/measures/" in account
    assert "/notices/" in client.get("/").content.decode()  # the footer


def test_the_notice_page_pages_its_deliveries_in_a_fixed_number_of_queries(w, client, django_assert_max_num_queries):
    from dynamic_framework.contracts.models import SupplyChainMember
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    for n in range(60):
        SupplyChainMember.objects.create(contract=w.contract, organisation=ProviderFactory(name=f"Member {n:02}"))
    notice = w.send()
    notices.forward_notice(actor=w.prime_user, delivery=w.lead_delivery(notice))
    client.force_login(w.commissioner)
    with django_assert_max_num_queries(12):
        response = client.get(f"/notices/{notice.reference}/")
    page = text(response)
    assert "Showing 1 to 50 of 64" in page and "Member 45" in page and "Member 58" not in page
    assert "Member 58" in text(client.get(f"/notices/{notice.reference}/?page=2"))


def test_the_send_page_in_a_fixed_number_of_queries(w, client, django_assert_max_num_queries):
    from .factories import ContractFactory

    for n in range(30):
        ContractFactory(award=w.contract.award, reference=f"MORE-{n:02}")
    client.force_login(w.commissioner)
    with django_assert_max_num_queries(8):
        response = client.get("/notices/new/")
    assert "MORE-29" in response.content.decode()
