"""The supply chain demo on the imported contracts: what it makes, and a second run makes nothing."""

from dynamic_framework.contracts.models import SubcontractorPayment, SupplyChainChange
from dynamic_framework.core import demo_contracts_supply_chain as demo
from dynamic_framework.core.models import AuditEvent


def test_the_demo_makes_payments_and_a_waiting_change_once(imported):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    user_with_role("commissioner")  # the North East's commissioner is told about the change
    organisations = {name: ProviderFactory(name=name) for name in (demo.RIVERSIDE, demo.NORTHGATE)}
    lines = demo.load_supply_chain_demo(organisations=organisations)
    assert len(lines) == 3, lines
    riverside = SubcontractorPayment.objects.filter(member__organisation=organisations[demo.RIVERSIDE])
    assert riverside.count() == 6
    change = SupplyChainChange.objects.get()
    assert change.needs_approval and change.member.organisation == organisations[demo.NORTHGATE]
    events = AuditEvent.objects.count()
    assert demo.load_supply_chain_demo(organisations=organisations) == []
    assert AuditEvent.objects.count() == events
