"""The variations part of the demo: changes to imported 2021 contracts, recorded through the variation services.

- North East accommodation (2021-L29-north-east): an option to extend by 12 months (to take up by 31 December
  2024, demo data: the 2021 award list publishes no options) taken up on 30 September 2024, so the contract ran to
  31 March 2026. Recorded by Grace Okafor (commissioner.northeast@example.org).
- Women's services in Durham (2021-L26-durham): the value for 2025-26 set to £420,000 for 150 women, from 1 April
  2025. Recorded by Grace Okafor.
- North West accommodation (2021-L36-north-west): Cumbria served until 30 June 2023, as the 2021 awards did for
  Cumbria ("until June 2023"). Recorded by the North West demo commissioner (commissioner.northwest@example.org),
  whom this module adds: variations are for the commissioners of a contract's region, and the North East demo
  commissioner does not commission the North West.

Every reason starts "Demo:": the variations are demo data, not published facts. Each variation is made only if
its contract exists (the 2021 import ran) and has no variation of that kind yet, so a second run changes nothing.
The demo never novates or terminates a real organisation's contract.
"""

from dataclasses import dataclass
from datetime import date

NORTH_EAST = "commissioner.northeast@example.org"
NORTH_WEST = "commissioner.northwest@example.org"
NORTH_WEST_NAME = "Aisha Rahman"


@dataclass(frozen=True)
class DemoVariation:
    contract: str
    kind: str
    recorded_by: str
    reason: str
    values: dict


VARIATIONS = [
    DemoVariation(
        contract="2021-L29-north-east",
        kind="extend",
        recorded_by=NORTH_EAST,
        reason="Demo: The service is meeting its targets and the new accommodation service cannot start before April "
        "2026, so we took up the option to extend by a year.",
        values={
            "option": {"position": 1, "months": 12, "exercise_by": date(2024, 12, 31)},
            "exercised_on": date(2024, 9, 30),
        },
    ),
    DemoVariation(
        contract="2021-L26-durham",
        kind="change_value",
        recorded_by=NORTH_EAST,
        reason="Demo: More women are being referred from HMP Low Newton: extra money for 2025-26 to see 150 women.",
        values={
            "financial_year": 2025,
            "value_pence": 420_000_00,
            "expected_people": 150,
            "effective_on": date(2025, 4, 1),
        },
    ),
    DemoVariation(
        contract="2021-L36-north-west",
        kind="remove_area",
        recorded_by=NORTH_WEST,
        reason="Demo: Cumbria is served only until June 2023, as the 2021 awards say for Cumbria; its services are "
        "bought separately from July 2023.",
        values={"pcc_area": "cumbria", "last_day": date(2023, 6, 30)},
    ),
]


def _north_west_commissioner(actor):
    from dynamic_framework.accounts import services as account_services
    from dynamic_framework.accounts.models import Role, RoleGrant, User
    from dynamic_framework.geography.models import Region

    from .demo import DEMO_PASSWORD

    user = User.objects.filter(email__iexact=NORTH_WEST).first()
    if user is None:
        user = account_services.create_user(
            actor=actor, email=NORTH_WEST, full_name=NORTH_WEST_NAME, password=DEMO_PASSWORD
        )
    if user.email_confirmed_at is None:
        account_services.mark_email_confirmed(actor=actor, user=user, how="demo data")
    if not RoleGrant.objects.filter(user=user, role=Role.COMMISSIONER, revoked_at__isnull=True).exists():
        account_services.grant_role(
            actor=actor, user=user, role=Role.COMMISSIONER, regions=list(Region.objects.filter(code="B"))
        )
    return user


def load_variations_demo(*, users: dict, actor="demo data") -> list[str]:
    """Record the demo's variations that are missing; one line for each one made."""
    from dynamic_framework.accounts.rules import forget_grants
    from dynamic_framework.contracts import variations
    from dynamic_framework.contracts.models import Contract, ExtensionOption
    from dynamic_framework.geography.models import PccArea

    lines = []
    wanted = {demo.contract for demo in VARIATIONS}
    contracts = {c.reference: c for c in Contract.objects.filter(reference__in=wanted)}
    if not contracts:
        return lines
    people = dict(users)
    for demo in VARIATIONS:
        contract = contracts.get(demo.contract)
        if contract is None or contract.variations.filter(kind=demo.kind).exists():
            continue
        if demo.recorded_by not in people:
            if demo.recorded_by != NORTH_WEST:
                continue
            people[NORTH_WEST] = _north_west_commissioner(actor)
        commissioner = people[demo.recorded_by]
        forget_grants(commissioner)
        values = dict(demo.values)
        if demo.kind == "extend":
            wanted_option = values.pop("option")
            option, _created = ExtensionOption.objects.get_or_create(
                contract=contract,
                position=wanted_option["position"],
                defaults={"months": wanted_option["months"], "exercise_by": wanted_option["exercise_by"]},
            )
            values["option"] = option
        if "pcc_area" in values:
            values["pcc_area"] = PccArea.objects.get(slug=values["pcc_area"])
        service = getattr(variations, demo.kind)
        variation = service(actor=commissioner, contract=contract, reason=demo.reason, **values)
        lines.append(
            f"{contract.reference} variation {variation.number}: "
            + "; ".join(variations.describe_changes(variation))
            + f" (recorded by {commissioner.email})"
        )
    return lines
