"""The contract register objects of the permission matrix's world (added after the call-off objects).

world.contract        a live contract in region A (North East, where the matrix commissioner commissions) for
                      Durham: lead provider world.org (the provider users' organisation), with years, an
                      extension option not yet taken up and one supply chain member
world.member          world.other_org's place in world.contract's supply chain (material, 25% pass-through)
world.other_contract  a live contract in region B (the matrix commissioner does not commission there), lead
                      provider world.other_org, with world.org in its supply chain (world.other_member)

Each part of issue 6 (contracts_register.py, contracts_variations.py, contracts_supply_chain.py,
contracts_notices.py) may add its own objects in a `build(world)` of its module; they run after these.
"""

from datetime import timedelta


def build(world) -> None:
    from django.utils import timezone

    from dynamic_framework.contracts.models import (
        ContractArea,
        ContractYear,
        ExtensionOption,
        LotType,
        SupplyChainMember,
    )
    from dynamic_framework.contracts.tests.factories import AwardFactory, CommissioningRoundFactory, ContractFactory
    from dynamic_framework.geography.models import PccArea, Region

    today = timezone.localdate()
    region_a, region_b = Region.objects.get(code="A"), Region.objects.get(code="B")
    durham = PccArea.objects.get(slug="durham")
    round_ = CommissioningRoundFactory(slug="matrix-contracts", name="Matrix contracts", position=50)
    start, end = today - timedelta(days=200), today + timedelta(days=400)

    award = AwardFactory(round=round_, region=region_a, lead_provider=world.org, lot_type=LotType.WOMENS_SERVICES)
    world.contract = ContractFactory(
        award=award,
        reference="MATRIX-1",
        title="Women's services in Durham",
        pcc_area=durham,
        commissioner=None,
        start_date=start,
        end_date=end,
        original_end_date=end,
    )
    ContractArea.objects.create(contract=world.contract, pcc_area=durham, added_on=start)
    for offset, year in enumerate((start.year, start.year + 1)):
        ContractYear.objects.create(
            contract=world.contract, financial_year=year, value_pence=250_000_00 + offset, expected_people=120
        )
    ExtensionOption.objects.create(contract=world.contract, position=1, months=12, exercise_by=end - timedelta(days=90))
    world.member = SupplyChainMember.objects.create(
        contract=world.contract,
        organisation=world.other_org,
        service="Peer mentoring",
        share_type="percent",
        share_value=2500,
        payment_terms="pass_through",
        material=True,
        joined_on=start,
    )

    other_award = AwardFactory(round=round_, region=region_b, lead_provider=world.other_org)
    world.other_contract = ContractFactory(
        award=other_award, reference="MATRIX-2", start_date=start, end_date=end, original_end_date=end
    )
    for area in region_b.pcc_areas.all():
        ContractArea.objects.create(contract=world.other_contract, pcc_area=area, added_on=start)
    world.other_member = SupplyChainMember.objects.create(
        contract=world.other_contract,
        organisation=world.org,
        service="Housing advice",
        share_type="amount",
        share_value=10_000_00,
        payment_terms="fixed_fee",
        joined_on=start,
    )

    from tests.matrix_rows import contracts_notices, contracts_register, contracts_supply_chain, contracts_variations

    for part in (contracts_register, contracts_variations, contracts_supply_chain, contracts_notices):
        if hasattr(part, "build"):
            part.build(world)

    # Payments (issue 7): each part may add objects in a build(world) of its module.
    from tests.matrix_rows import payments_costs, payments_simulator, payments_statements

    for part in (payments_statements, payments_simulator, payments_costs):
        if hasattr(part, "build"):
            part.build(world)
