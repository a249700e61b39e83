"""Permission matrix rows for payments: costs (the full-cost-recovery check, saved checks, the aggregate).

world.cost_check        a saved, shared check of world.org (the provider users' organisation) against world.co_open's
                        lot
world.other_cost_check  a saved check of world.other_org (nobody in the matrix's roles is its member)
"""

YEARS = [
    {
        "financial_year": 2026,
        "value_pence": 60_000_00,
        "contracted_people": 60,
        "expected_people": 100,
        "staff_pence": 70_000_00,
        "premises_pence": 10_000_00,
    }
]


def build(world) -> None:
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.payments import services_costs

    admin = world.users["provider_administrator"]
    world.cost_lot = world.co_open.lots.order_by("position").first()
    world.cost_draft_lot = world.co_draft.lots.order_by("position").first()
    world.cost_check = services_costs.save_check(
        actor=admin, organisation=world.org, title="Matrix check", lot=world.cost_lot, years=YEARS, share=True
    )
    other_admin = user_with_role(
        "provider_administrator", organisation=world.other_org, email="costs.other@example.org"
    )
    world.other_cost_check = services_costs.save_check(
        actor=other_admin, organisation=world.other_org, title="Another check", years=YEARS
    )


def rows(m) -> list:
    admin, staff, com, fm = m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF, m.COMMISSIONER, m.FRAMEWORK_MANAGER
    members = [admin, staff]
    nobody = m.only([])
    unknown = m.only([], denied=404)

    def with_lot(attribute):
        def build(world):
            from django.urls import reverse

            return reverse("payments:cost-check") + f"?lot={getattr(world, attribute).pk}"

        return build

    def saved(name, attribute="cost_check"):
        return m.url(name, pk=m.attr(f"{attribute}.pk"))

    def saved_rows(name, post_outcome):
        return [
            m.Row(name, "GET", saved(name), m.only(members)),
            m.Row(name, "GET", saved(name, "other_cost_check"), nobody, variant="another organisation's"),
            m.Row(name, "GET", m.url(name, pk=99999999), unknown, variant="unknown"),
            m.Row(name, "POST", saved(name), m.only(members, allowed=post_outcome), variant="empty form", data={}),
            m.Row(
                name,
                "POST",
                saved(name, "other_cost_check"),
                nobody,
                variant="another organisation's, empty form",
                data={},
            ),
        ]

    aggregate = "/api/v1/shared-cost-checks/?category=women&region=A"
    return [
        # The check: everyone, signed in or not
        m.Row("payments:cost-check", "GET", m.url("payments:cost-check"), m.public()),
        m.Row("payments:cost-check", "GET", with_lot("cost_lot"), m.public(), variant="from a published lot"),
        m.Row("payments:cost-check", "GET", with_lot("cost_draft_lot"), m.public(404), variant="a draft's lot"),
        m.Row("payments:cost-check", "POST", m.url("payments:cost-check"), m.public(), variant="empty form", data={}),
        # Saved checks: the organisation's members
        m.Row("payments:cost-checks", "GET", m.url("payments:cost-checks"), m.only(members)),
        m.Row("payments:cost-check-detail", "GET", saved("payments:cost-check-detail"), m.only(members)),
        m.Row(
            "payments:cost-check-detail",
            "GET",
            saved("payments:cost-check-detail", "other_cost_check"),
            nobody,
            variant="another organisation's",
        ),
        m.Row(
            "payments:cost-check-detail",
            "GET",
            m.url("payments:cost-check-detail", pk=99999999),
            unknown,
            variant="unknown",
        ),
        *saved_rows("payments:cost-check-edit", 200),
        *saved_rows("payments:cost-check-sharing", 200),
        # The commissioners' aggregate
        m.Row("payments:shared-costs", "GET", m.url("payments:shared-costs"), m.only([com, fm])),
        m.Row(
            "payments:shared-costs",
            "GET",
            lambda w: f"/shared-cost-checks/?call_off={w.co_open.reference}",
            m.only([com, fm]),
            variant="a call-off's lots",
        ),
        # API
        m.Row(
            "api:cost-check-list",
            "POST",
            m.url("api:cost-check-list"),
            m.api_public(),
            data={"years": [dict(YEARS[0])]},
        ),
        m.Row("api:cost-check-list", "POST", m.url("api:cost-check-list"), m.api_public(400), variant="empty", data={}),
        m.Row("api:cost-checks-list", "GET", m.url("api:cost-checks-list"), m.api_only(members)),
        m.Row(
            "api:cost-checks-detail",
            "GET",
            m.url("api:cost-checks-detail", pk=m.attr("cost_check.pk")),
            m.api_only(members),
        ),
        m.Row(
            "api:cost-checks-detail",
            "GET",
            m.url("api:cost-checks-detail", pk=m.attr("other_cost_check.pk")),
            m.api_only(members, allowed=404),
            variant="another organisation's",
        ),
        m.Row("api:shared-cost-checks-list", "GET", aggregate, m.api_only([com, fm])),
        m.Row(
            "api:shared-cost-checks-list",
            "GET",
            m.url("api:shared-cost-checks-list"),
            m.api_only([com, fm], allowed=400),
            variant="no category or region",
        ),
    ]
