"""The insights count the supply chain members current today: one removed through the service is not counted after
its last day (history is kept, so its row is still there); one leaving later still is."""

from datetime import timedelta

from dynamic_framework.contracts.models import SupplyChainMember
from dynamic_framework.insights import selectors


def test_members_that_have_left_are_not_counted(sc):
    sc.minor.left_on = sc.today - timedelta(days=1)
    sc.minor.save()
    sc.material.left_on = sc.today + timedelta(days=10)
    sc.material.save()
    contract = selectors.contracts(round=sc.contract.round).get(pk=sc.contract.pk)
    assert [m.pk for m in contract.supply_chain.all()] == [sc.material.pk]
    assert SupplyChainMember.objects.filter(contract=sc.contract).count() == 2
    earlier = selectors.contracts(round=sc.contract.round, on=sc.today - timedelta(days=5)).get(pk=sc.contract.pk)
    assert len(earlier.supply_chain.all()) == 2
