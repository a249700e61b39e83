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
