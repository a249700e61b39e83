"""The full-cost-recovery part of the demo (issue 7, costs part): saved cost checks against the Durham lot of the
demo's open call-off "Women's centre services in County Durham and Northumbria" (see demo_calloffs.py), made
through the cost check services (payments/services_costs.py).

- Riverside Women's Centre (demo), Northgate Housing Trust (demo) and Unity Mentoring Collective (demo) each saved a
  check against the Durham lot and shared it anonymously: commissioner.northeast@example.org sees the aggregate on
  /shared-cost-checks/?call_off=<the call-off's reference> (and for Women, North East), with ramp-up years (the first
  year pays for 60 people; the centres already support about 100) and shortfalls.
- Riverside also has a private check with figures entered by hand (not shared): admin@riverside.example.org sees
  both on /cost-checks/.

Each check is skipped when its organisation already has a check of that name, or when the call-off is not there, so a
second run changes nothing.
"""

CALL_OFF_TITLE = "Women's centre services in County Durham and Northumbria"
LOT_POSITION = 1  # Durham

# (organisation, admin email, check title, shared?, people actually expected per year, yearly costs in pounds:
#  staff, premises, management and overheads, volunteers' support)
CHECKS = [
    (
        "Riverside Women's Centre (demo)",
        "admin@riverside.example.org",
        "Durham women's centre lot: full costs",
        True,
        (100, 100, 110),
        (112_000, 21_000, 19_000, 6_000),
    ),
    (
        "Northgate Housing Trust (demo)",
        "admin@northgate.example.org",
        "Durham lot, housing-led women's service",
        True,
        (90, 95, 100),
        (140_000, 30_000, 26_000, 4_000),
    ),
    (
        "Unity Mentoring Collective (demo)",
        "admin@unity.example.org",
        "Durham lot with peer mentors",
        True,
        (80, 90, 100),
        (95_000, 12_000, 15_000, 14_000),
    ),
]
PRIVATE_CHECK = ("Riverside Women's Centre (demo)", "admin@riverside.example.org", "A smaller service, just trying")


def _pence(pounds: int) -> int:
    return pounds * 100


def load_costs_demo(*, organisations, users) -> int:
    """Create the demo's cost checks that are missing; return how many were created."""
    from dynamic_framework.calloffs.models import Lot
    from dynamic_framework.payments import services_costs
    from dynamic_framework.payments.models import CostCheck

    lot = (
        Lot.objects.filter(
            call_off__title=CALL_OFF_TITLE, call_off__region__code="A", call_off__published_at__isnull=False
        )
        .filter(position=LOT_POSITION)
        .first()
    )
    if lot is None:
        return 0
    lot_years = list(lot.years.order_by("financial_year"))
    created = 0
    for name, email, title, share, expected, yearly in CHECKS:
        organisation, user = organisations.get(name), users.get(email)
        if (
            organisation is None
            or user is None
            or CostCheck.objects.filter(organisation=organisation, title=title).exists()
        ):
            continue
        staff, premises, overheads, volunteers = (_pence(p) for p in yearly)
        years = [
            {
                "financial_year": year.financial_year,
                "value_pence": year.max_value_pence,
                "contracted_people": year.expected_people or people,
                "expected_people": people,
                "staff_pence": staff,
                "premises_pence": premises,
                "overheads_pence": overheads,
                "volunteers_pence": volunteers,
            }
            for year, people in zip(lot_years, expected, strict=False)
        ]
        services_costs.save_check(actor=user, organisation=organisation, title=title, years=years, lot=lot, share=share)
        created += 1
    name, email, title = PRIVATE_CHECK
    organisation, user = organisations.get(name), users.get(email)
    if (
        organisation is not None
        and user is not None
        and not CostCheck.objects.filter(organisation=organisation, title=title).exists()
    ):
        first = lot_years[0].financial_year if lot_years else 2026
        services_costs.save_check(
            actor=user,
            organisation=organisation,
            title=title,
            years=[
                {
                    "financial_year": first + i,
                    "value_pence": _pence(value),
                    "contracted_people": people,
                    "expected_people": people,
                    "staff_pence": _pence(30_000),
                    "premises_pence": _pence(6_000),
                    "overheads_pence": _pence(5_000),
                    "volunteers_pence": _pence(2_000),
                }
                for i, (value, people) in enumerate(((40_000, 40), (45_000, 45)))
            ],
        )
        created += 1
    return created
