"""Permission matrix rows for the contract register: supply_chain (objects: contracts_world.py, and build() below).

world.contract (region A, where the matrix commissioner commissions) is led by world.org, the provider users'
organisation; world.member is world.other_org's material place in it. world.other_contract (region B) is led by
world.other_org, with world.org as a member (world.other_member): there the provider users are a subcontractor.

build() adds:
world.sc_change         world.org's proposal to remove world.member (material): waiting for the commissioner
world.sc_payment        an unpaid invoice from world.member, recorded by world.org
world.sc_other_payment  a payment to world.org on world.other_contract (for the subcontractor's own view)
"""

from datetime import timedelta


def build(world) -> None:
    from django.utils import timezone

    from dynamic_framework.contracts import supply_chain
    from dynamic_framework.contracts.models import SubcontractorPayment

    today = timezone.localdate()
    lead = world.users["provider_administrator"]
    world.sc_change = supply_chain.propose_change(
        actor=lead,
        contract=world.contract,
        kind="remove",
        member=world.member,
        effective_on=today + timedelta(days=30),
        reason="The peer mentoring moves in-house.",
    )
    world.sc_payment = supply_chain.record_payment(
        actor=lead, member=world.member, invoiced_on=today - timedelta(days=40), amount_pence=2_500_00
    )
    world.sc_other_payment = SubcontractorPayment.objects.create(
        member=world.other_member,
        invoiced_on=today - timedelta(days=20),
        paid_on=today - timedelta(days=5),
        amount_pence=1_000_00,
        recorded_by=lead,  # any user: the matrix has no user of world.other_org
    )


def rows(m) -> list:
    com, admin, staff = m.COMMISSIONER, m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF
    lead = [admin, staff]
    parties = [com, admin, staff]
    nobody_404 = m.only([], denied=404)

    def ref(name):
        return m.attr(f"{name}.reference")

    def change_page(world):
        from django.urls import reverse

        return reverse("contracts:supply-chain-change", kwargs={"pk": world.sc_change.pk})

    def payments(contract, member):
        return m.url("contracts:supply-chain-payments", reference=ref(contract), member_pk=m.attr(f"{member}.pk"))

    mark_paid = m.url(
        "contracts:supply-chain-mark-paid",
        reference=ref("contract"),
        member_pk=m.attr("member.pk"),
        payment_pk=m.attr("sc_payment.pk"),
    )
    change_pk = m.attr("sc_change.pk")
    payment_pk = m.attr("sc_payment.pk")

    return [
        # The supply chain of a contract
        m.Row(
            "contracts:supply-chain", "GET", m.url("contracts:supply-chain", reference=ref("contract")), m.only(parties)
        ),
        m.Row(
            "contracts:supply-chain",
            "GET",
            m.url("contracts:supply-chain", reference=ref("other_contract")),
            m.only(lead),
            variant="as a subcontractor",
        ),
        m.Row(
            "contracts:supply-chain", "GET", "/contracts/NO-SUCH-CONTRACT/supply-chain/", nobody_404, variant="unknown"
        ),
        m.Row(
            "contracts:supply-chain", "POST", m.url("contracts:supply-chain", reference=ref("contract")), m.public(405)
        ),
        # Proposing a change
        m.Row(
            "contracts:supply-chain-change-new",
            "GET",
            m.url("contracts:supply-chain-change-new", reference=ref("contract")),
            m.only(lead),
        ),
        m.Row(
            "contracts:supply-chain-change-new",
            "GET",
            m.url("contracts:supply-chain-change-new", reference=ref("other_contract")),
            m.only([]),
            variant="not the lead provider",
        ),
        m.Row(
            "contracts:supply-chain-change-new",
            "POST",
            m.url("contracts:supply-chain-change-new", reference=ref("contract")),
            m.only(lead),
            variant="empty form",
            data={},
        ),
        m.Row(
            "contracts:supply-chain-change-new",
            "POST",
            m.url("contracts:supply-chain-change-new", reference=ref("contract")),
            m.only(lead, allowed=m.redirect()),
            variant="a kind",
            data={"kind": "add"},
        ),
        m.Row(
            "contracts:supply-chain-change-kind",
            "GET",
            m.url("contracts:supply-chain-change-kind", reference=ref("contract"), kind="remove"),
            m.only(lead),
        ),
        m.Row(
            "contracts:supply-chain-change-kind",
            "GET",
            m.url("contracts:supply-chain-change-kind", reference=ref("contract"), kind="merge"),
            m.only(lead, allowed=404),
            variant="unknown kind",
        ),
        m.Row(
            "contracts:supply-chain-change-kind",
            "POST",
            m.url("contracts:supply-chain-change-kind", reference=ref("contract"), kind="add"),
            m.only(lead),
            variant="empty form",
            data={},
        ),
        # One change
        m.Row(
            "contracts:supply-chain-change",
            "GET",
            m.url("contracts:supply-chain-change", pk=change_pk),
            m.only(parties),
        ),
        m.Row("contracts:supply-chain-change", "GET", "/supply-chain-changes/999999/", nobody_404, variant="unknown"),
        m.Row(
            "contracts:supply-chain-change", "POST", m.url("contracts:supply-chain-change", pk=change_pk), m.public(405)
        ),
        m.Row(
            "contracts:supply-chain-change-decide",
            "POST",
            m.url("contracts:supply-chain-change-decide", pk=change_pk),
            m.only([com]),
            variant="empty form",
            data={},
        ),
        m.Row(
            "contracts:supply-chain-change-decide",
            "POST",
            m.url("contracts:supply-chain-change-decide", pk=change_pk),
            m.only([com], allowed=m.redirect(change_page)),
            variant="refuse with a reason",
            data={"decision": "refuse", "reason": "The women would lose their mentors."},
        ),
        m.Row(
            "contracts:supply-chain-change-decide",
            "GET",
            m.url("contracts:supply-chain-change-decide", pk=change_pk),
            m.public(405),
        ),
        m.Row(
            "contracts:supply-chain-change-withdraw",
            "POST",
            m.url("contracts:supply-chain-change-withdraw", pk=change_pk),
            m.only(lead, allowed=m.redirect(change_page)),
        ),
        m.Row(
            "contracts:supply-chain-change-withdraw",
            "GET",
            m.url("contracts:supply-chain-change-withdraw", pk=change_pk),
            m.public(405),
        ),
        # Payments
        m.Row("contracts:supply-chain-payments", "GET", payments("contract", "member"), m.only(parties)),
        m.Row(
            "contracts:supply-chain-payments",
            "GET",
            payments("other_contract", "other_member"),
            m.only(lead),
            variant="the subcontractor's own",
        ),
        m.Row(
            "contracts:supply-chain-payments",
            "POST",
            payments("contract", "member"),
            m.only(lead),
            variant="empty form",
            data={},
        ),
        m.Row(
            "contracts:supply-chain-payments",
            "POST",
            payments("other_contract", "other_member"),
            m.only([]),
            variant="the subcontractor's own, empty form",
            data={},
        ),
        m.Row(
            "contracts:supply-chain-payments",
            "PUT",
            payments("contract", "member"),
            m.only(parties, allowed=405, denied=403),
        ),
        m.Row("contracts:supply-chain-mark-paid", "POST", mark_paid, m.only(lead), variant="empty form", data={}),
        m.Row("contracts:supply-chain-mark-paid", "GET", mark_paid, m.public(405)),
        # The subcontractor's own view and the commissioner's summary
        m.Row("contracts:your-subcontracts", "GET", "/your-subcontracts/", m.only(lead)),
        m.Row(
            "contracts:your-subcontracts",
            "GET",
            "/your-subcontracts/?page=99",
            m.only(lead),
            variant="past the last page",
        ),
        m.Row("contracts:your-subcontracts", "POST", "/your-subcontracts/", m.public(405)),
        m.Row("contracts:supply-chain-payment-summary", "GET", "/supply-chain-payments/", m.only([com])),
        m.Row(
            "contracts:supply-chain-payment-summary",
            "GET",
            "/supply-chain-payments/?region=B",
            m.only([com]),
            variant="not their region",
        ),
        m.Row("contracts:supply-chain-payment-summary", "POST", "/supply-chain-payments/", m.public(405)),
        # API
        m.Row(
            "api:contract-supply-chain-list",
            "GET",
            m.url("api:contract-supply-chain-list", reference=ref("contract")),
            m.api_only(parties),
        ),
        m.Row(
            "api:contract-supply-chain-list",
            "GET",
            m.url("api:contract-supply-chain-list", reference="NO-SUCH"),
            m.api_only([], denied=404),
            variant="unknown",
        ),
        m.Row(
            "api:contract-supply-chain-list",
            "POST",
            m.url("api:contract-supply-chain-list", reference=ref("contract")),
            m.api_signed_in(405),
            data={},
        ),
        m.Row("api:supply-chain-change-list", "GET", "/api/v1/supply-chain-changes/", m.api_signed_in()),
        m.Row("api:supply-chain-change-list", "POST", "/api/v1/supply-chain-changes/", m.api_signed_in(400), data={}),
        m.Row(
            "api:supply-chain-change-detail",
            "GET",
            m.url("api:supply-chain-change-detail", pk=change_pk),
            m.api_only(parties, denied=404),
        ),
        m.Row(
            "api:supply-chain-change-decide",
            "POST",
            m.url("api:supply-chain-change-decide", pk=change_pk),
            {**m.api_only([com], allowed=400, denied=404), admin: 403, staff: 403},
            data={},
        ),
        m.Row(
            "api:supply-chain-change-withdraw",
            "POST",
            m.url("api:supply-chain-change-withdraw", pk=change_pk),
            {**m.api_only(lead, denied=404), com: 403},
            data={},
        ),
        m.Row("api:subcontractor-payment-list", "GET", "/api/v1/subcontractor-payments/", m.api_signed_in()),
        m.Row(
            "api:subcontractor-payment-list", "POST", "/api/v1/subcontractor-payments/", m.api_signed_in(400), data={}
        ),
        m.Row(
            "api:subcontractor-payment-detail",
            "GET",
            m.url("api:subcontractor-payment-detail", pk=payment_pk),
            m.api_only(parties, denied=404),
        ),
        m.Row(
            "api:subcontractor-payment-mark-paid",
            "POST",
            m.url("api:subcontractor-payment-mark-paid", pk=payment_pk),
            {**m.api_only(lead, allowed=400, denied=404), com: 403},
            data={},
        ),
        m.Row(
            "api:supply-chain-payment-summary-list", "GET", "/api/v1/supply-chain-payment-summary/", m.api_only([com])
        ),
        m.Row(
            "api:supply-chain-payment-summary-list",
            "POST",
            "/api/v1/supply-chain-payment-summary/",
            m.api_signed_in(405),
            data={},
        ),
    ]
