"""Who may do what with payments. Each part adds its permissions in its own section below."""

import rules  # noqa: F401

# Costs part ------------------------------------------------------------------------------------------------------
# The check itself is for everyone, signed in or not (nothing is saved). Saved checks are private to the members of
# their organisation; commissioners and framework managers see only the anonymous aggregate of shared checks.


@rules.predicate
def is_cost_check_member(user, check) -> bool:
    """A member (administrator or staff) of the organisation the saved check belongs to."""
    from dynamic_framework.accounts.rules import member_organisation_ids

    return check is not None and check.organisation_id in member_organisation_ids(user)


from dynamic_framework.accounts import rules as _accounts  # noqa: E402

rules.add_perm("payments.save_cost_check", _accounts.is_provider_administrator | _accounts.is_provider_staff)
rules.add_perm("payments.view_cost_check", is_cost_check_member)
rules.add_perm("payments.change_cost_check", is_cost_check_member)
rules.add_perm("payments.share_cost_check", is_cost_check_member)
rules.add_perm("payments.view_shared_costs", _accounts.is_commissioner | _accounts.is_framework_manager)


# Statements part -------------------------------------------------------------------------------------------------
# Payment terms and statements are for the contract's commissioners (its region) and its lead provider's people. A
# supply chain member sees only its own subcontract terms and its own statement lines, never another member's. The
# commissioner sets the contract's terms and approves or returns statements; the lead provider sets its
# subcontracts' terms, enters the month's figures and records the payments it makes against the lines.

from dynamic_framework.contracts import rules as _contracts  # noqa: E402

_sees_contract_payments = _contracts.is_commissioner_for_contract | _contracts.is_lead_provider_member
_lead_provider_person = _contracts.is_lead_provider_member & _contracts.is_provider_member

rules.add_perm("payments.view_payment_terms", _sees_contract_payments)
rules.add_perm("payments.set_contract_terms", _contracts.is_commissioner_for_contract)
rules.add_perm("payments.set_subcontract_terms", _lead_provider_person)
rules.add_perm("payments.view_subcontract_terms", _sees_contract_payments | _contracts.is_the_member_organisation)
rules.add_perm("payments.view_statements", _sees_contract_payments)
rules.add_perm("payments.view_statement", _sees_contract_payments | _contracts.is_supply_chain_member)
rules.add_perm("payments.enter_statement", _lead_provider_person)
rules.add_perm("payments.decide_statement", _contracts.is_commissioner_for_contract)
rules.add_perm("payments.record_statement_payment", _lead_provider_person)
rules.add_perm("payments.view_own_statement_lines", _contracts.is_provider_member)
