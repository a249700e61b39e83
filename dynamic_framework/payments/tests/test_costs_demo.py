"""The cost check demo: three organisations share checks for the Durham lot, so the aggregate shows; once only."""

from django.urls import reverse

from dynamic_framework.core import demo_payments_costs as demo
from dynamic_framework.core.demo import load_demo_data
from dynamic_framework.payments import services_costs as services
from dynamic_framework.payments.models import CostCheck


def test_the_demo_shares_enough_checks_for_the_aggregate_once(client, reference_data):
    from dynamic_framework.accounts.models import User

    load_demo_data()
    assert CostCheck.objects.count() == 4 and CostCheck.objects.filter(shared_at__isnull=False).count() == 3
    shared = CostCheck.objects.filter(shared_at__isnull=False).select_related("lot__call_off").first()
    result = services.shared_aggregate(lot=shared.lot)
    assert result.shown and result.organisations == 3
    assert result.years[0].ramp_ups == 3 and any(y.shortfalls for y in result.years)
    by_category = services.shared_aggregate(category=shared.category, region=shared.region)
    assert by_category.shown
    client.force_login(User.objects.get(email="commissioner.northeast@example.org"))
    html = client.get(reverse("payments:shared-costs"), {"call_off": shared.lot.call_off.reference}).content.decode()
    assert "Middle (median) full cost per person" in html
    for name, *_rest in demo.CHECKS:
        assert name not in html
    client.force_login(User.objects.get(email="admin@riverside.example.org"))
    html = client.get(reverse("payments:cost-checks")).content.decode()
    assert demo.PRIVATE_CHECK[2] in html and demo.CHECKS[0][2].replace("'", "&#39;") in html
    load_demo_data()
    assert CostCheck.objects.count() == 4
