"""The cascade measure in aggregate on the public insights page and in the insights API."""

import re

import pytest

from dynamic_framework.contracts.models import NoticeDelivery

from .notices_helpers import NoticeWorld, travel, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(reference_data):
    return NoticeWorld.build()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def reach(w, notice, sub, when):
    lead = notice.deliveries.get(forwarded_from__isnull=True)
    NoticeDelivery.objects.create(
        notice=notice,
        organisation=sub,
        contract=w.contract,
        forwarded_from=lead,
        delivered_at=when,
        delivered_by=w.prime_user,
    )


def test_the_insights_page_and_api_show_the_measure_by_region(w, client):
    assert "No notices that must be passed on have been sent yet" in text(client.get("/insights/"))
    with travel(uk(2026, 3, 2, 10)):
        notice = w.send()
    reach(w, notice, w.subs[0], uk(2026, 3, 4))
    reach(w, notice, w.subs[1], uk(2026, 3, 6))
    reach(w, notice, w.subs[2], uk(2026, 3, 11))
    page = text(client.get("/insights/"))
    assert "Notices passed down supply chains" in page
    assert "North East 1 3 2 1 0 67% 4" in page
    assert "All regions 1 3 2 1 0 67% 4" in page
    assert "Prime Partnership" not in page.split("Notices passed down supply chains")[-1].split("Downloads")[0]
    data = client.get("/api/v1/insights/").json()["notice_cascade"]
    assert data["overall"]["members"] == 3 and data["overall"]["median_working_days"] == 4
    assert data["by_region"][0]["code"] == "A" and data["by_region"][0]["share_reached_within_5_working_days"] == 0.6667
