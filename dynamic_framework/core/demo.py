"""A small, realistic demo: provider organisations of different sizes and sectors, a user for every role,
applications to join the framework at every stage (see demo_qualification.py) and call-off competitions open for
bids and waiting for approval (see demo_calloffs.py).

Demo only. The organisations are fictional; the passwords are published in the README. `load_demo_data()`
is idempotent: a second run finds everything in place and changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credential, never used outside `make demo`
ACTOR = "demo data"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    legal_form: str
    income_pence: int | None
    income_year: str
    specialisms: tuple[str, ...]
    areas: tuple[str, ...]
    description: str
    website: str = ""


ORGANISATIONS = [
    DemoOrganisation(
        name="Riverside Women's Centre (demo)",
        legal_form="registered_charity",
        income_pence=8_500_000,
        income_year="2024-25",
        specialisms=("womens-organisation",),
        areas=("durham", "northumbria"),
        description="A women's centre offering drop-in support, key workers and peer groups for women in contact "
        "with the criminal justice system.",
    ),
    DemoOrganisation(
        name="Cwm Valley Recovery Project (demo)",
        legal_form="charitable_incorporated_organisation",
        income_pence=42_000_000,
        income_year="2024-25",
        specialisms=("welsh-organisation", "led-by-people-with-lived-experience"),
        areas=("south-wales", "gwent"),
        description="Peer-led recovery support in the South Wales valleys, in Welsh and English.",
    ),
    DemoOrganisation(
        name="Northgate Housing Trust (demo)",
        legal_form="housing_association",
        income_pence=620_000_000,
        income_year="2023-24",
        specialisms=(),
        areas=("cleveland", "durham", "northumbria"),
        description="Supported and move-on housing for people leaving prison across the North East.",
    ),
    DemoOrganisation(
        name="Pathway Employment Services Ltd (demo)",
        legal_form="private_company",
        income_pence=4_800_000_000,
        income_year="2024-25",
        specialisms=(),
        areas=(
            "cleveland",
            "durham",
            "northumbria",
            "humberside",
            "north-yorkshire",
            "south-yorkshire",
            "west-yorkshire",
        ),
        description="Employment support and training provider working across the North East and Yorkshire.",
    ),
    DemoOrganisation(
        name="Unity Mentoring Collective (demo)",
        legal_form="community_interest_company",
        income_pence=750_000,
        income_year="2024-25",
        specialisms=("led-by-and-for-racially-minoritised-people", "led-by-people-with-lived-experience"),
        areas=("west-midlands",),
        description="Mentoring by and for young Black men leaving custody in Birmingham and the Black Country.",
    ),
    DemoOrganisation(
        name="Second Chances Co-operative (demo)",
        legal_form="cooperative_or_community_benefit_society",
        income_pence=None,
        income_year="",
        specialisms=(),
        areas=("merseyside",),
        description="A workers' co-operative running a café and catering training for people on probation.",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: str
    organisation: str = ""  # demo organisation name
    regions: tuple[str, ...] = ()  # region codes
    delivery_unit: int | None = None  # PDU code


USERS = [
    DemoUser("platform.admin@example.org", "Priya Shah", "platform_administrator"),
    DemoUser("framework.manager@example.org", "Tom Evans", "framework_manager"),
    DemoUser("commissioner.northeast@example.org", "Grace Okafor", "commissioner", regions=("A", "C")),
    # A second commissioner for the North East: call-offs and awards are approved by a second person (four eyes).
    DemoUser("commissioner2.northeast@example.org", "Ben Carter", "commissioner", regions=("A",)),
    DemoUser("commissioner.wales@example.org", "Rhys Morgan", "commissioner", regions=("D",)),
    DemoUser("evaluator@example.org", "Sam Patel", "evaluator"),
    DemoUser("admin@riverside.example.org", "Jo Hughes", "provider_administrator", "Riverside Women's Centre (demo)"),
    DemoUser("staff@riverside.example.org", "Amira Khan", "provider_staff", "Riverside Women's Centre (demo)"),
    DemoUser("admin@northgate.example.org", "Chris Bell", "provider_administrator", "Northgate Housing Trust (demo)"),
    DemoUser(
        "admin@cwmvalley.example.org", "Catrin Jones", "provider_administrator", "Cwm Valley Recovery Project (demo)"
    ),
    DemoUser("admin@unity.example.org", "Marcus Reid", "provider_administrator", "Unity Mentoring Collective (demo)"),
    DemoUser("practitioner@example.org", "Dan Wright", "probation_practitioner", delivery_unit=30),
]


def load_demo_data(report=None, report_call_offs=None) -> dict:
    """Create what is missing; return counts of what was created. `report(line)` is told what each demo
    application created is (a line each), and `report_call_offs(line)` what each demo call-off created is."""
    from django.test.utils import override_settings

    from dynamic_framework.accounts import services as account_services
    from dynamic_framework.accounts.models import RoleGrant, User
    from dynamic_framework.geography.models import PccArea, ProbationDeliveryUnit, Region
    from dynamic_framework.organisations import services as organisation_services
    from dynamic_framework.organisations.models import Organisation, Specialism

    from .demo_calloffs import load_calloffs_demo
    from .demo_qualification import load_qualification_demo

    created = {"organisations": 0, "users": 0, "roles": 0, "applications": 0, "call_offs": 0}
    # The demo's history is not news: no emails about it (the services queue them when the transaction commits).
    no_emails = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    with no_emails, transaction.atomic():
        organisations = {}
        for demo in ORGANISATIONS:
            org = Organisation.objects.filter(name=demo.name).first()
            if org is None:
                org = organisation_services.create_organisation(
                    actor=ACTOR,
                    name=demo.name,
                    legal_form=demo.legal_form,
                    latest_income_pence=demo.income_pence,
                    income_year=demo.income_year,
                    description=demo.description,
                    specialisms=list(Specialism.objects.filter(slug__in=demo.specialisms)),
                    pcc_areas_served=list(PccArea.objects.filter(slug__in=demo.areas)),
                    verified=True,
                )
                created["organisations"] += 1
            organisations[demo.name] = org

        for demo in USERS:
            user = User.objects.filter(email__iexact=demo.email).first()
            if user is None:
                user = account_services.create_user(
                    actor=ACTOR, email=demo.email, full_name=demo.full_name, password=DEMO_PASSWORD
                )
                created["users"] += 1
            if user.email_confirmed_at is None:
                # Demo addresses cannot receive email; count them as confirmed, as an invitation would.
                account_services.mark_email_confirmed(actor=ACTOR, user=user, how="demo data")
            organisation = organisations.get(demo.organisation) if demo.organisation else None
            has_grant = RoleGrant.objects.filter(
                user=user, role=demo.role, organisation=organisation, revoked_at__isnull=True
            ).exists()
            if not has_grant:
                account_services.grant_role(
                    actor=ACTOR,
                    user=user,
                    role=demo.role,
                    organisation=organisation,
                    regions=list(Region.objects.filter(code__in=demo.regions)),
                    delivery_unit=ProbationDeliveryUnit.objects.get(code=demo.delivery_unit)
                    if demo.delivery_unit
                    else None,
                )
                created["roles"] += 1

        users = {user.email: user for user in User.objects.filter(email__in=[demo.email for demo in USERS])}
        for line in load_qualification_demo(organisations=organisations, users=users):
            created["applications"] += 1
            if report:
                report(line)
        # After the applications: the demo's qualified providers can bid.
        for line in load_calloffs_demo(organisations=organisations, users=users):
            created["call_offs"] += 1
            if report_call_offs:
                report_call_offs(line)
        # Contract variations (issue 6, variations part): see demo_contracts_variations.py.
        from .demo_contracts_variations import load_variations_demo

        load_variations_demo(users=users)
        # The contract register (issue 6, register part): see demo_contracts_register.py.
        from .demo_contracts_register import load_register_demo

        load_register_demo(users=users)
        # Supply chains (issue 6, supply_chain part): see demo_contracts_supply_chain.py.
        from .demo_contracts_supply_chain import load_supply_chain_demo

        load_supply_chain_demo(organisations=organisations)
        # Payment statements (issue 7, statements part), after the supply chain demo: demo_payments_statements.py.
        from .demo_payments_statements import load_payments_statements_demo

        load_payments_statements_demo()
        # Notices (issue 6, notices part), after the supply chain demo's lead provider login: demo_contracts_notices.py.
        from .demo_contracts_notices import load_notices_demo

        load_notices_demo(users=users)
        # Full-cost-recovery checks (issue 7, costs part), after the call-offs: see demo_payments_costs.py.
        from .demo_payments_costs import load_costs_demo

        load_costs_demo(organisations=organisations, users=users)
    return created
