"""Who may do what with contracts, supply chains and notices. Deny by default.

The public register shows what a citizen or a small charity needs (who delivers what, where, until when, for how
much) to everyone. Everything else about a contract (documents not marked public, supply chain terms, payments,
proposed changes, notices not marked public) is for the contract's commissioners (the commissioner users of its
region) and the members of the contract's organisations (the lead provider and its supply chain members).
"""

import rules

from dynamic_framework.accounts.rules import (
    commissioner_region_ids,
    is_commissioner,
    is_framework_manager,
    is_member_of_organisation,
    is_provider_administrator,
    is_provider_staff,
    member_organisation_ids,
)


def _contract(obj):
    """The contract an object belongs to: a contract, or anything with .contract (or .member.contract)."""
    if obj is None:
        return None
    for attribute in ("contract", "member"):
        inner = getattr(obj, attribute, None)
        if inner is not None:
            return _contract(inner)
    return obj


@rules.predicate
def is_commissioner_for_contract(user, obj) -> bool:
    contract = _contract(obj)
    return contract is not None and contract.region_id in commissioner_region_ids(user)


@rules.predicate
def is_lead_provider_member(user, obj) -> bool:
    contract = _contract(obj)
    return contract is not None and contract.lead_provider_id in member_organisation_ids(user)


@rules.predicate
def is_supply_chain_member(user, obj) -> bool:
    """A member of an organisation in the contract's supply chain (current or past)."""
    contract = _contract(obj)
    if contract is None:
        return False
    organisations = member_organisation_ids(user)
    return bool(organisations) and contract.supply_chain.filter(organisation_id__in=organisations).exists()


@rules.predicate
def is_the_member_organisation(user, member) -> bool:
    """A member of the organisation of this supply chain place (a subcontractor looking at its own terms)."""
    return member is not None and member.organisation_id in member_organisation_ids(user)


@rules.predicate
def is_recipient(user, delivery) -> bool:
    return delivery is not None and delivery.organisation_id in member_organisation_ids(user)


@rules.predicate
def is_lead_recipient(user, delivery) -> bool:
    """The lead provider's own delivery of a notice, which it passes on to its supply chain."""
    return (
        delivery is not None
        and delivery.forwarded_from_id is None
        and delivery.organisation_id in member_organisation_ids(user)
        and delivery.organisation_id == delivery.contract.lead_provider_id
    )


@rules.predicate
def is_public_notice(user, notice) -> bool:
    return notice is not None and notice.public


@rules.predicate
def is_notice_party(user, notice) -> bool:
    """The notice's commissioners (its region) and the organisations it was delivered to."""
    if notice is None:
        return False
    if notice.region_id is not None and notice.region_id in commissioner_region_ids(user):
        return True
    organisations = member_organisation_ids(user)
    return bool(organisations) and notice.deliveries.filter(organisation_id__in=organisations).exists()


is_provider_member = is_provider_administrator | is_provider_staff
is_contract_party = is_commissioner_for_contract | is_lead_provider_member | is_supply_chain_member

# The register
rules.add_perm("contracts.view_contract_details", is_contract_party)
rules.add_perm("contracts.manage_documents", is_commissioner_for_contract)
rules.add_perm("contracts.view_pipeline", is_commissioner | is_framework_manager)
# Variations
rules.add_perm("contracts.vary_contract", is_commissioner_for_contract)
# Supply chains
rules.add_perm("contracts.propose_supply_chain_change", is_lead_provider_member & is_provider_member)
rules.add_perm("contracts.decide_supply_chain_change", is_commissioner_for_contract)
rules.add_perm(
    "contracts.view_member_terms", is_commissioner_for_contract | is_lead_provider_member | is_the_member_organisation
)
rules.add_perm("contracts.record_subcontractor_payment", is_lead_provider_member & is_provider_member)
rules.add_perm("contracts.view_subcontracts", is_provider_member)
rules.add_perm("contracts.view_payment_summary", is_commissioner)
# Notices
rules.add_perm("contracts.send_notice", is_commissioner)
rules.add_perm("contracts.send_notice_about", is_commissioner_for_contract)
rules.add_perm("contracts.view_notice", is_public_notice | is_notice_party)
rules.add_perm("contracts.forward_notice", is_lead_recipient & is_provider_member)
rules.add_perm("contracts.acknowledge_notice", is_recipient & is_provider_member)
rules.add_perm("contracts.view_notice_measures", is_commissioner | is_framework_manager)
rules.add_perm("contracts.view_organisation_notices", is_member_of_organisation)
