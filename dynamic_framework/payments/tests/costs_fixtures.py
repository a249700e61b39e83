"""Objects for the cost-check tests (the cw fixture is imported in conftest.py).

cw.call_off     a published call-off in the North East (region A) for women's services: one lot (Durham), two years
                (£100,000 for 40 people, then £120,000 for 60)
cw.lot          its lot; cw.category its service category; cw.region region A
cw.orgs         four providers; cw.admins[i] an administrator of cw.orgs[i]; cw.staff a staff member of cw.orgs[0]
cw.commissioner a commissioner (region A); cw.manager a framework manager; cw.practitioner a probation practitioner
"""

from types import SimpleNamespace

import pytest

YEARS = [
    {
        "financial_year": 2026,
        "value_pence": 60_000_00,
        "contracted_people": 60,
        "expected_people": 100,
        "staff_pence": 70_000_00,
        "premises_pence": 10_000_00,
        "overheads_pence": 15_000_00,
        "volunteers_pence": 5_000_00,
    },
    {
        "financial_year": 2027,
        "value_pence": 120_000_00,
        "contracted_people": 100,
        "expected_people": 100,
        "staff_pence": 70_000_00,
        "premises_pence": 10_000_00,
        "overheads_pence": 15_000_00,
        "volunteers_pence": 5_000_00,
    },
]


@pytest.fixture
def cw(reference_data):
    return build()


def build() -> SimpleNamespace:
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.calloffs.tests.factories import CallOffWorld
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    calloffs = CallOffWorld.build(providers=0)
    world = SimpleNamespace(calloffs=calloffs, region=calloffs.region)
    world.call_off = calloffs.published()
    world.lot = world.call_off.lots.get()
    world.category = world.call_off.categories.get()
    world.orgs = [ProviderFactory(name=f"Cost Check Charity {i}") for i in range(4)]
    world.admins = [user_with_role("provider_administrator", organisation=org) for org in world.orgs]
    world.staff = user_with_role("provider_staff", organisation=world.orgs[0])
    world.commissioner = calloffs.commissioner
    world.manager = calloffs.manager
    world.practitioner = user_with_role("probation_practitioner")
    return world


def years(**changes) -> list[dict]:
    """The two standard years, with `changes` applied to both."""
    return [{**row, **changes} for row in YEARS]
