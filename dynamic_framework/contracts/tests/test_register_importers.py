"""The importers fill the register's facts: original end dates, funding mechanism, areas served (regional contracts
every area of the region; "until June 2023" areas with their last day), members' joining dates and eligibility;
and a second run of both changes nothing."""

from datetime import date

from dynamic_framework.contracts import importers
from dynamic_framework.contracts.models import Contract, ContractArea, SupplyChainMember


def test_the_imports_fill_the_register_facts_and_a_second_run_changes_nothing(imported):
    contracts = Contract.objects.filter(round__slug=importers.ROUND_2021)
    assert contracts.count() == 110
    assert (
        not contracts.exclude(original_end_date=importers.END_2021)
        .exclude(original_end_date__in=[importers.END_2021_WOMENS, importers.END_JUNE_2023])
        .exists()
    )
    assert all(c.original_end_date == c.end_date for c in contracts)
    assert set(Contract.objects.values_list("funding_mechanism", flat=True)) == {"contract"}

    # A PCC-area contract serves its area; "until June 2023" ones until the last day of June 2023
    until = Contract.objects.get(reference="2021-L10-northamptonshire")
    area = until.areas.get()
    assert (area.pcc_area.slug, area.added_on, area.removed_on) == (
        "northamptonshire",
        date(2021, 6, 26),
        date(2023, 6, 30),
    )
    assert Contract.objects.get(reference="2021-L10-cambridgeshire").areas.get().removed_on is None
    # A regional contract serves every PCC area of its region
    regional = contracts.filter(pcc_area__isnull=True).select_related("region").first()
    assert sorted(a.pcc_area_id for a in regional.areas.all()) == sorted(
        regional.region.pcc_areas.values_list("pk", flat=True)
    )
    assert not Contract.objects.filter(areas__isnull=True).exists()

    # Supply chain members join when the contract starts; eligibility comes from the sex and age facts
    members = SupplyChainMember.objects.filter(contract__round__slug=importers.ROUND_2021).select_related("contract")
    assert members.exists() and all(m.joined_on == m.contract.start_date for m in members)
    women = contracts.filter(lot_type="womens_services", allows_female=True, allows_male=False).first()
    assert women.eligibility.startswith("Women aged 18")
    young = contracts.filter(cohort="young_adults").first()
    assert "aged 18 to 25" in young.eligibility
    assert all(c.eligibility for c in Contract.objects.all())

    counts = (ContractArea.objects.count(), SupplyChainMember.objects.count())
    _orgs, awards = importers.import_awards_2021()
    assert (awards.created, awards.updated) == (0, 0)
    _orgs, hmpps = importers.import_hmpps_contracts()
    assert (hmpps.created, hmpps.updated, hmpps.total("deleted")) == (0, 0, 0)
    assert (ContractArea.objects.count(), SupplyChainMember.objects.count()) == counts


def test_a_varied_contract_keeps_its_end_date_and_areas(imported):
    from dynamic_framework.accounts.tests.factories import UserFactory
    from dynamic_framework.contracts.models import Variation

    contract = Contract.objects.get(reference="2021-L10-cambridgeshire")
    contract.end_date = date(2027, 3, 31)
    contract.save()
    contract.areas.update(removed_on=date(2026, 1, 31))
    Variation.objects.create(
        contract=contract,
        number=1,
        kind="extend",
        effective_on=date(2026, 3, 31),
        reason="Option taken up",
        changes={"end_date": {"from": "2026-03-31", "to": "2027-03-31"}},
        recorded_by=UserFactory(),
    )
    _orgs, report = importers.import_awards_2021()
    contract.refresh_from_db()
    assert contract.end_date == date(2027, 3, 31) and contract.original_end_date == date(2026, 3, 31)
    assert contract.areas.get().removed_on == date(2026, 1, 31)
    assert report.updated == 0


def _novate(contract, to):
    from dynamic_framework.accounts.tests.factories import UserFactory
    from dynamic_framework.contracts.models import Variation

    old = contract.lead_provider_id
    contract.lead_provider = to
    contract.save()
    Variation.objects.create(
        contract=contract,
        number=1,
        kind="novate",
        effective_on=date(2025, 4, 1),
        reason="The provider's services moved to another charity",
        changes={"lead_provider": {"from": old, "to": to.pk}},
        recorded_by=UserFactory(),
    )


def test_a_novated_contract_keeps_its_new_lead_provider(imported):
    """Re-importing (make demo runs the importers every time) does not undo a novation, and the HMPPS register's
    prime is still checked against the award's lead provider, not the contract's new one."""
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    awarded = Contract.objects.get(reference="2021-L10-cambridgeshire")
    other = Contract.objects.filter(award__isnull=True).first()  # from the HMPPS register only
    new_lead = ProviderFactory(name="Takes Over Charity")
    _novate(awarded, new_lead)
    _novate(other, new_lead)
    _orgs, awards = importers.import_awards_2021()
    _orgs, hmpps = importers.import_hmpps_contracts()
    awarded.refresh_from_db()
    other.refresh_from_db()
    assert awarded.lead_provider == new_lead and other.lead_provider == new_lead
    assert (awards.updated, hmpps.updated) == (0, 0)
