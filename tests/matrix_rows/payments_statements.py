"""Permission matrix rows for payments: statements (objects: contracts_world.py, and build() below).

world.contract (region A, led by world.org, the provider users' organisation; world.member is world.other_org's
place in it) and world.other_contract (region B, led by world.other_org, with world.org as a member) come from the
contracts' world. build() adds:

world.pay_approved   an approved statement on world.contract (three months ago), with world.pay_line for world.member
world.pay_draft      a draft statement on world.contract (two months ago)
world.pay_waiting    a statement on world.contract waiting for the commissioner (last month)
world.pay_other      an approved statement on world.other_contract with a line for world.org (a subcontractor there)
"""

from datetime import timedelta


def _months_ago(today, n):
    month = today.replace(day=1)
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


def build(world) -> None:
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.contracts.models import ContractYear
    from dynamic_framework.payments import services

    today = timezone.localdate()
    commissioner = world.users["commissioner"]
    lead = world.users["provider_administrator"]
    months = [_months_ago(today, n) for n in (3, 2, 1)]
    for contract in (world.contract, world.other_contract):
        for year in {services.financial_year(m) for m in months}:
            ContractYear.objects.get_or_create(
                contract=contract,
                financial_year=year,
                defaults={"value_pence": 240_000_00, "expected_people": 500},
            )
    services.set_contract_terms(actor=commissioner, contract=world.contract, mechanism="fixed_fee")
    services.set_subcontract_terms(actor=lead, member=world.member, terms="pass_through", share_bp=2500)

    def statement(period, *, contract=world.contract, actor=lead, decider=commissioner, submit=True, approve=True):
        made = services.enter_figures(actor=actor, contract=contract, period=period, figures={})
        if submit:
            services.submit_statement(actor=actor, statement=made)
        if approve:
            services.approve_statement(actor=decider, statement=made)
        return made

    world.pay_approved = statement(months[0])
    world.pay_line = world.pay_approved.lines.get(member=world.member)
    world.pay_draft = statement(months[1], submit=False, approve=False)
    world.pay_waiting = statement(months[2], approve=False)

    other_commissioner = user_with_role("commissioner", regions=[world.other_contract.region])
    other_lead = user_with_role("provider_administrator", organisation=world.other_org)
    services.set_contract_terms(actor=other_commissioner, contract=world.other_contract, mechanism="fixed_fee")
    services.set_subcontract_terms(
        actor=other_lead, member=world.other_member, terms="protected_fixed_fee", protected_yearly_pence=12_000_00
    )
    world.pay_other = statement(months[0], contract=world.other_contract, actor=other_lead, decider=other_commissioner)


def rows(m) -> list:
    com, admin, staff = m.COMMISSIONER, m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF
    lead = [admin, staff]
    parties = [com, admin, staff]
    nobody_404 = m.only([], denied=404)

    def ref(name):
        return m.attr(f"{name}.reference")

    def pk(name):
        return m.attr(f"{name}.pk")

    def statement(name, obj):
        return m.url(name, pk=pk(obj))

    return [
        # Terms
        m.Row("payments:terms", "GET", m.url("payments:terms", reference=ref("contract")), m.only(parties)),
        m.Row(
            "payments:terms",
            "GET",
            m.url("payments:terms", reference=ref("other_contract")),
            m.only([]),
            variant="as a subcontractor",
        ),
        m.Row("payments:terms", "GET", "/contracts/NO-SUCH-CONTRACT/payment-terms/", nobody_404, variant="unknown"),
        m.Row("payments:terms", "POST", m.url("payments:terms", reference=ref("contract")), m.public(405)),
        m.Row(
            "payments:contract-terms", "GET", m.url("payments:contract-terms", reference=ref("contract")), m.only([com])
        ),
        m.Row(
            "payments:contract-terms",
            "POST",
            m.url("payments:contract-terms", reference=ref("contract")),
            m.only([com]),
            variant="empty form",
            data={},
        ),
        m.Row(
            "payments:member-terms",
            "GET",
            m.url("payments:member-terms", reference=ref("contract"), member_pk=pk("member")),
            m.only(lead),
        ),
        m.Row(
            "payments:member-terms",
            "GET",
            m.url("payments:member-terms", reference=ref("contract"), member_pk=999999),
            m.only(lead, allowed=404),
            variant="unknown member",
        ),
        m.Row(
            "payments:member-terms",
            "POST",
            m.url("payments:member-terms", reference=ref("contract"), member_pk=pk("member")),
            m.only(lead),
            variant="empty form",
            data={},
        ),
        # Statements of a contract
        m.Row("payments:statements", "GET", m.url("payments:statements", reference=ref("contract")), m.only(parties)),
        m.Row(
            "payments:statements",
            "GET",
            m.url("payments:statements", reference=ref("other_contract")),
            m.only([]),
            variant="as a subcontractor",
        ),
        m.Row("payments:statements", "POST", m.url("payments:statements", reference=ref("contract")), m.public(405)),
        m.Row(
            "payments:statements-csv",
            "GET",
            m.url("payments:statements-csv", reference=ref("contract")),
            m.only(parties),
        ),
        m.Row(
            "payments:statement-new", "GET", m.url("payments:statement-new", reference=ref("contract")), m.only(lead)
        ),
        m.Row(
            "payments:statement-new",
            "POST",
            m.url("payments:statement-new", reference=ref("contract")),
            m.only(lead),
            variant="empty form",
            data={},
        ),
        # One statement
        m.Row("payments:statement", "GET", statement("payments:statement", "pay_approved"), m.only(parties)),
        m.Row(
            "payments:statement",
            "GET",
            statement("payments:statement", "pay_other"),
            m.only(lead),
            variant="a subcontractor's own line",
        ),
        m.Row("payments:statement", "GET", "/statements/999999/", nobody_404, variant="unknown"),
        m.Row("payments:statement", "POST", statement("payments:statement", "pay_approved"), m.public(405)),
        m.Row("payments:statement-csv", "GET", statement("payments:statement-csv", "pay_approved"), m.only(parties)),
        m.Row(
            "payments:statement-csv",
            "GET",
            statement("payments:statement-csv", "pay_other"),
            m.only(lead),
            variant="a subcontractor's own line",
        ),
        m.Row("payments:statement-edit", "GET", statement("payments:statement-edit", "pay_draft"), m.only(lead)),
        m.Row(
            "payments:statement-edit",
            "GET",
            statement("payments:statement-edit", "pay_approved"),
            m.only([]),
            variant="approved",
        ),
        m.Row(
            "payments:statement-edit",
            "POST",
            statement("payments:statement-edit", "pay_draft"),
            m.only(lead, allowed=m.redirect()),
            variant="no figures",
            data={},
        ),
        m.Row(
            "payments:statement-submit",
            "POST",
            statement("payments:statement-submit", "pay_draft"),
            m.only(lead, allowed=m.redirect()),
        ),
        m.Row("payments:statement-submit", "GET", statement("payments:statement-submit", "pay_draft"), m.public(405)),
        m.Row("payments:statement-decide", "GET", statement("payments:statement-decide", "pay_waiting"), m.only([com])),
        m.Row(
            "payments:statement-decide",
            "GET",
            statement("payments:statement-decide", "pay_approved"),
            m.only([]),
            variant="approved",
        ),
        m.Row(
            "payments:statement-decide",
            "POST",
            statement("payments:statement-decide", "pay_waiting"),
            m.only([com]),
            variant="empty form",
            data={},
        ),
        m.Row(
            "payments:statement-decide",
            "POST",
            statement("payments:statement-decide", "pay_waiting"),
            m.only([com], allowed=m.redirect()),
            variant="approve",
            data={"decision": "approve"},
        ),
        m.Row("payments:statement-adjust", "GET", statement("payments:statement-adjust", "pay_approved"), m.only(lead)),
        m.Row(
            "payments:statement-adjust",
            "GET",
            statement("payments:statement-adjust", "pay_draft"),
            m.only([]),
            variant="not approved",
        ),
        m.Row(
            "payments:statement-adjust",
            "POST",
            statement("payments:statement-adjust", "pay_approved"),
            m.only(lead, allowed=m.redirect()),
            variant="no figures",
            data={},
        ),
        m.Row(
            "payments:line-payment",
            "GET",
            m.url("payments:line-payment", pk=pk("pay_approved"), line_pk=pk("pay_line")),
            m.only(lead),
        ),
        m.Row(
            "payments:line-payment",
            "POST",
            m.url("payments:line-payment", pk=pk("pay_approved"), line_pk=pk("pay_line")),
            m.only(lead, allowed=m.redirect()),
            variant="invoiced on approval, not paid yet",
            data={},
        ),
        m.Row(
            "payments:line-payment",
            "GET",
            m.url("payments:line-payment", pk=pk("pay_approved"), line_pk=999999),
            m.only(lead, allowed=404),
            variant="unknown line",
        ),
        # A supply chain member's own lines
        m.Row("payments:your-statements", "GET", "/your-payment-statements/", m.only(lead)),
        m.Row("payments:your-statements", "POST", "/your-payment-statements/", m.public(405)),
        # The API
        m.Row("api:payment-terms-list", "GET", "/api/v1/contracts/MATRIX-1/payment-terms/", m.api_only(parties)),
        m.Row(
            "api:payment-terms-list",
            "POST",
            "/api/v1/contracts/MATRIX-1/payment-terms/",
            m.api_only([com], allowed=400),
            variant="empty body",
            data={},
        ),
        m.Row(
            "api:subcontract-payment-terms-list",
            "POST",
            "/api/v1/subcontract-payment-terms/",
            m.api_signed_in(400),
            variant="empty body",
            data={},
        ),
        m.Row(
            "api:subcontract-payment-terms-list",
            "GET",
            "/api/v1/subcontract-payment-terms/",
            m.api_signed_in(405),
        ),
        m.Row("api:payment-statement-list", "GET", "/api/v1/payment-statements/", m.api_signed_in()),
        m.Row(
            "api:payment-statement-list",
            "POST",
            "/api/v1/payment-statements/",
            m.api_signed_in(400),
            variant="empty body",
            data={},
        ),
        m.Row(
            "api:payment-statement-detail",
            "GET",
            m.url("api:payment-statement-detail", pk=pk("pay_approved")),
            m.api_only(parties, denied=404),
        ),
        m.Row(
            "api:payment-statement-submit",
            "POST",
            m.url("api:payment-statement-submit", pk=pk("pay_draft")),
            {**m.api_only(lead, denied=404), com: 403},
            data={},
        ),
        m.Row(
            "api:payment-statement-approve",
            "POST",
            m.url("api:payment-statement-approve", pk=pk("pay_waiting")),
            {**m.api_only([com], denied=404), admin: 403, staff: 403},
            data={},
        ),
        m.Row(
            "api:payment-statement-return",
            "POST",
            m.url("api:payment-statement-return", pk=pk("pay_waiting")),
            {**m.api_only([com], allowed=400, denied=404), admin: 403, staff: 403},
            variant="no reason",
            data={},
        ),
        m.Row(
            "api:payment-statement-adjust",
            "POST",
            m.url("api:payment-statement-adjust", pk=pk("pay_approved")),
            {**m.api_only(lead, denied=404), com: 403},
            variant="no figures",
            data={},
        ),
        m.Row("api:payment-statement-line-list", "GET", "/api/v1/payment-statement-lines/", m.api_signed_in()),
        m.Row(
            "api:payment-statement-line-detail",
            "GET",
            m.url("api:payment-statement-line-detail", pk=pk("pay_line")),
            m.api_only(parties, denied=404),
        ),
        m.Row(
            "api:payment-statement-line-payment",
            "POST",
            m.url("api:payment-statement-line-payment", pk=pk("pay_line")),
            {**m.api_only(lead, denied=404), com: 403},
            variant="invoiced on approval",
            data={},
        ),
    ]
