"""Who may see and change organisations. Deny by default; the directory and profiles are public."""

import rules

from dynamic_framework.accounts.rules import (
    is_administrator_of_organisation,
    is_framework_manager,
    is_platform_administrator,
)

# The directory and every profile (object: the organisation, or None for the directory).
rules.add_perm("organisations.view_organisation", rules.always_allow)
# Edit an organisation's details, other names and identifiers (object: the organisation).
rules.add_perm("organisations.change_organisation", is_platform_administrator | is_administrator_of_organisation)
# Record or remove a sector override, with its reason (object: the organisation).
rules.add_perm("organisations.set_sector_override", is_platform_administrator | is_framework_manager)
# Mark a record as checked against the registers (object: the organisation).
rules.add_perm("organisations.verify_organisation", is_platform_administrator | is_framework_manager)
