"""The payment statements demo on the imported Durham contract: terms, two approved months with payments (one
late), one waiting for approval; a second run makes nothing."""

from dynamic_framework.contracts import supply_chain as supply_chain_services
from dynamic_framework.contracts.models import Contract, ContractYear, SubcontractorPayment
from dynamic_framework.core import demo_contracts_supply_chain as supply_chain_demo
from dynamic_framework.core import demo_payments_statements as demo
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.payments.models import PaymentStatement


def test_the_demo_makes_terms_statements_and_payments_once(db):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.contracts import importers
    from dynamic_framework.core.services import load_reference_data
    from dynamic_framework.geography.models import Region
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    load_reference_data()
    importers.import_awards_2021()
    importers.import_hmpps_contracts()
    durham = Contract.objects.get(reference=demo.CONTRACT)
    ContractYear.objects.update_or_create(
        contract=durham, financial_year=2025, defaults={"value_pence": 420_000_00, "expected_people": 150}
    )
    user_with_role("commissioner", regions=[durham.region], email=demo.COMMISSIONER)
    organisations = {name: ProviderFactory(name=name) for name in (supply_chain_demo.RIVERSIDE,)}
    supply_chain_demo.load_supply_chain_demo(organisations=organisations)
    assert Region.objects.filter(pk=durham.region_id).exists()

    lines = demo.load_payments_statements_demo()
    assert len(lines) == 4, lines
    statuses = [s.status for s in PaymentStatement.objects.order_by("period")]
    assert statuses == ["approved", "approved", "waiting"]
    recorded = SubcontractorPayment.objects.filter(statement_line__isnull=False)
    assert supply_chain_services.with_days(recorded).filter(late=True).count() == 1
    events = AuditEvent.objects.count()
    assert demo.load_payments_statements_demo() == []
    assert AuditEvent.objects.count() == events
