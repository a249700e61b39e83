"""Permission matrix rows for qualification, one module per group of pages, and the objects they need.

Each module has `rows(m)`, where `m` is tests.test_permission_matrix (for Row, url, attr, only, public, ...), and
returns its rows. `world.build(world)` adds the qualification objects to the matrix's world.
"""

from . import (
    api,
    apply,
    assess,
    calloffs_api,
    calloffs_bidding,
    calloffs_bidding_api,
    calloffs_evaluation,
    calloffs_evaluation_api,
    calloffs_invitations_api,
    calloffs_manage,
    calloffs_manage_api,
    calloffs_opportunities,
    contracts_notices,
    contracts_register,
    contracts_supply_chain,
    contracts_variations,
    manage,
    payments_costs,
    payments_simulator,
    payments_statements,
    register,
)


def rows_for(m) -> list:
    return [
        *apply.rows(m),
        *assess.rows(m),
        *register.rows(m),
        *manage.rows(m),
        *api.rows(m),
        *calloffs_manage.rows(m),
        *calloffs_opportunities.rows(m),
        *calloffs_api.rows(m),
        *calloffs_bidding.rows(m),
        *calloffs_bidding_api.rows(m),
        *calloffs_evaluation.rows(m),
        *calloffs_evaluation_api.rows(m),
        *calloffs_manage_api.rows(m),
        *calloffs_invitations_api.rows(m),
        *contracts_register.rows(m),
        *contracts_variations.rows(m),
        *contracts_supply_chain.rows(m),
        *contracts_notices.rows(m),
        *payments_statements.rows(m),
        *payments_simulator.rows(m),
        *payments_costs.rows(m),
    ]
