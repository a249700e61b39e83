"""The register part of the demo: options to extend and yearly values for some imported 2021 contracts in the demo
commissioner's regions (North East; Yorkshire and the Humber), so that the contract pages and the re-commissioning
pipeline show something real. Options taken up are recorded through the variation service, as a commissioner would.

Demo: the 2021 award list publishes no options to extend and no yearly values; everything below is demo data.

- Demo: 2021-L30-north-east (education, training and employment, Ingeus): two options of 12 months, taken up on
  30 September 2024 and 30 September 2025, so it runs to 31 March 2027; a third option of 12 months can be taken up
  until 31 December 2026. Yearly values add up to the award's £2,903,359 for 2021-22 to 2024-25, and £770,000 a year
  after that; 520 people a year expected.
- Demo: 2021-L66-yorkshire-and-the-humber (education, training and employment, The Growth Company): two options of
  12 months, both taken up, so it runs to 31 March 2027 with no option left: the pipeline shows it must be bought
  again.
- Demo: 2021-L59-south-yorkshire (women's services, Changing Lives): an option of 12 months taken up on 1 October
  2025 (to 31 March 2027) and an option of 6 months that can be taken up until 31 December 2026.

Everything is made only if missing (options by position, years by financial year; an option is taken up only if it
has not been), so a second run changes nothing. The contracts must exist (the 2021 import ran).
"""

from dataclasses import dataclass, field
from datetime import date

COMMISSIONER = "commissioner.northeast@example.org"
DEMO_NOTE = "Demo: the options to extend and the yearly values are demo data, not published facts."


@dataclass(frozen=True)
class DemoOption:
    position: int
    months: int
    exercise_by: date
    exercised_on: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class DemoContract:
    reference: str
    options: tuple[DemoOption, ...]
    years: dict = field(default_factory=dict)  # financial year -> (value in pence, expected people)


DEMO_CONTRACTS = [
    DemoContract(
        reference="2021-L30-north-east",
        options=(
            DemoOption(
                1,
                12,
                date(2024, 12, 31),
                date(2024, 9, 30),
                "Demo: employment outcomes are on target and the next service is not ready, so we took up the first "
                "option to extend by a year.",
            ),
            DemoOption(
                2,
                12,
                date(2025, 12, 31),
                date(2025, 9, 30),
                "Demo: the new employment service is being designed with people on probation; a second year keeps "
                "support going meanwhile.",
            ),
            DemoOption(3, 12, date(2026, 12, 31)),
        ),
        years={
            2021: (600_000_00, 400),
            2022: (770_000_00, 520),
            2023: (770_000_00, 520),
            2024: (763_359_00, 520),
            2025: (770_000_00, 520),
            2026: (770_000_00, 520),
        },
    ),
    DemoContract(
        reference="2021-L66-yorkshire-and-the-humber",
        options=(
            DemoOption(
                1,
                12,
                date(2024, 12, 31),
                date(2024, 10, 31),
                "Demo: taken up so that the service continues while the region plans the next one.",
            ),
            DemoOption(
                2,
                12,
                date(2025, 12, 31),
                date(2025, 10, 31),
                "Demo: the last option, taken up to give time to buy the next service.",
            ),
        ),
    ),
    DemoContract(
        reference="2021-L59-south-yorkshire",
        options=(
            DemoOption(
                1,
                12,
                date(2025, 12, 31),
                date(2025, 10, 1),
                "Demo: the women's centre is well used and the courts refer more women each quarter.",
            ),
            DemoOption(2, 6, date(2026, 12, 31)),
        ),
    ),
]


def load_register_demo(*, users: dict) -> list[str]:
    """Add the demo's options and years that are missing; one line for each thing made."""
    from dynamic_framework.accounts.rules import forget_grants
    from dynamic_framework.contracts import variations
    from dynamic_framework.contracts.models import Contract, ContractYear, ExtensionOption

    lines = []
    commissioner = users.get(COMMISSIONER)
    contracts = {c.reference: c for c in Contract.objects.filter(reference__in=[d.reference for d in DEMO_CONTRACTS])}
    if commissioner is None or not contracts:
        return lines
    forget_grants(commissioner)
    for demo in DEMO_CONTRACTS:
        contract = contracts.get(demo.reference)
        if contract is None:
            continue
        if DEMO_NOTE not in contract.notes:
            contract.notes = f"{contract.notes}\n{DEMO_NOTE}".strip()
            contract.save(update_fields=["notes"])
        for year, (value, people) in demo.years.items():
            _year, created = ContractYear.objects.get_or_create(
                contract=contract, financial_year=year, defaults={"value_pence": value, "expected_people": people}
            )
            if created:
                lines.append(f"{contract.reference}: {year} value and people")
        for wanted in demo.options:
            option, created = ExtensionOption.objects.get_or_create(
                contract=contract,
                position=wanted.position,
                defaults={"months": wanted.months, "exercise_by": wanted.exercise_by},
            )
            if created:
                lines.append(f"{contract.reference}: option {wanted.position} to extend by {wanted.months} months")
            if wanted.exercised_on and option.exercised_at is None:
                contract.refresh_from_db()
                variations.extend(
                    actor=commissioner,
                    contract=contract,
                    option=option,
                    reason=wanted.reason,
                    exercised_on=wanted.exercised_on,
                )
                lines.append(f"{contract.reference}: option {wanted.position} taken up on {wanted.exercised_on}")
    return lines
