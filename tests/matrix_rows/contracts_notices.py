"""Permission matrix rows for the contract register: notices (pages in contracts/views/notices.py, API in
contracts/api/notices.py). Objects: contracts_world.py, and build() below:

world.notice              a cascade-required notice the matrix commissioner sent about world.contract, not public;
                          world.org (the provider users' organisation) received it as lead provider and has not
                          passed it on or acknowledged it (world.notice_lead)
world.public_notice       a public notice about world.contract, which world.org passed on to world.other_org
                          (world.notice_member: world.other_org's copy, which no matrix user may acknowledge)
world.member_copy         world.org's copy, as supply chain member, of a notice about world.other_contract (region B)
                          passed on by world.other_org: world.org may acknowledge it but not pass it on

The public notices page and public notices are for everyone; a notice that is not public is a 404 to anyone but its
commissioners and the organisations it was delivered to. Sending and the sent list: commissioners. The measure:
commissioners and framework managers. Your notices, acknowledging and passing on: provider administrators and staff
of the organisation the copy was delivered to (passing on: only the lead provider's copy).
"""


def build(world) -> None:
    from dynamic_framework.accounts.models import Role
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.contracts import notices
    from dynamic_framework.geography.models import Region

    commissioner = world.users["commissioner"]
    lead_user = world.users["provider_administrator"]
    world.notice = notices.send_notice(
        actor=commissioner,
        kind="policy_change",
        title="Matrix policy change",
        body="Not for publication.",
        contracts=[world.contract],
        cascade_required=True,
        public=False,
    )
    world.notice_lead = world.notice.deliveries.get()
    world.public_notice = notices.send_notice(
        actor=commissioner,
        kind="operational_guidance",
        title="Matrix guidance",
        body="For everyone.",
        contracts=[world.contract],
        cascade_required=True,
        public=True,
    )
    (world.notice_member,) = notices.forward_notice(actor=lead_user, delivery=world.public_notice.deliveries.get())

    region_b = Region.objects.get(code="B")
    other_commissioner = user_with_role(Role.COMMISSIONER, regions=[region_b], email="notices.b@example.org")
    elsewhere = notices.send_notice(
        actor=other_commissioner,
        kind="contract_change",
        title="Matrix contract change in region B",
        body="For the supply chain.",
        contracts=[world.other_contract],
        cascade_required=True,
        public=False,
    )
    (world.member_copy,) = notices.forward_notice(
        actor=world.other_staff_grant.user, delivery=elsewhere.deliveries.get()
    )


def rows(m) -> list:
    com, fm = m.COMMISSIONER, m.FRAMEWORK_MANAGER
    providers = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]
    commissioners = m.only([com])
    measures = m.only([com, fm])
    for_providers = m.only(providers)
    # A notice that is not public: its commissioner and the organisation it went to; 404 for anyone else.
    private = {**m.public(404), com: 200, m.PROVIDER_ADMINISTRATOR: 200, m.PROVIDER_STAFF: 200}

    def notice_url(name):
        return m.url("contracts:notice", reference=m.attr(f"{name}.reference"))

    def delivery_url(page, name):
        return m.url(f"contracts:{page}", pk=m.attr(f"{name}.pk"))

    def api_delivery(route, name):
        return m.url(f"api:notice-delivery-{route}", pk=m.attr(f"{name}.pk"))

    your_notices = m.redirect("/your-notices/")

    page_rows = [
        m.Row("contracts:notices", "GET", m.url("contracts:notices"), m.public()),
        m.Row(
            "contracts:notices", "GET", "/notices/?region=A&kind=operational_guidance", m.public(), variant="filtered"
        ),
        m.Row("contracts:notices", "GET", "/notices/?region=nowhere", m.public(), variant="unknown region"),
        m.Row("contracts:notices", "POST", m.url("contracts:notices"), m.public(405)),
        m.Row("contracts:notice", "GET", notice_url("public_notice"), m.public(), variant="public"),
        m.Row("contracts:notice", "GET", notice_url("notice"), private, variant="not public"),
        m.Row("contracts:notice", "GET", "/notices/N-NONE-NONE/", m.public(404), variant="unknown"),
        m.Row("contracts:notice", "POST", notice_url("public_notice"), m.public(405)),
        m.Row("contracts:notice-new", "GET", m.url("contracts:notice-new"), commissioners),
        m.Row("contracts:notice-new", "GET", "/notices/new/?region=A&q=MATRIX", commissioners, variant="filtered"),
        m.Row("contracts:notice-new", "POST", m.url("contracts:notice-new"), commissioners, variant="empty form"),
        m.Row(
            "contracts:notice-new",
            "POST",
            m.url("contracts:notice-new"),
            m.only([com], allowed=m.redirect()),
            variant="valid",
            data={
                "kind": "operational_guidance",
                "title": "Sent in the matrix",
                "body": "Read this.",
                "contracts": ["MATRIX-1"],
                "cascade_required": "yes",
                "public": "yes",
            },
        ),
        m.Row("contracts:notices-sent", "GET", m.url("contracts:notices-sent"), commissioners),
        m.Row("contracts:notices-sent", "POST", m.url("contracts:notices-sent"), m.public(405)),
        m.Row("contracts:notice-measures", "GET", m.url("contracts:notice-measures"), measures),
        m.Row("contracts:notice-measures", "GET", "/notices/measures/?region=A", measures, variant="one region"),
        m.Row("contracts:notice-measures", "POST", m.url("contracts:notice-measures"), m.public(405)),
        m.Row("contracts:your-notices", "GET", m.url("contracts:your-notices"), for_providers),
        m.Row("contracts:your-notices", "GET", "/your-notices/?page=99", for_providers, variant="past the last page"),
        m.Row("contracts:your-notices", "POST", m.url("contracts:your-notices"), m.public(405)),
        m.Row("contracts:notice-acknowledge", "GET", delivery_url("notice-acknowledge", "notice_lead"), m.public(405)),
        m.Row(
            "contracts:notice-acknowledge",
            "POST",
            delivery_url("notice-acknowledge", "notice_lead"),
            m.only(providers, allowed=your_notices),
            variant="lead provider's copy",
        ),
        m.Row(
            "contracts:notice-acknowledge",
            "POST",
            delivery_url("notice-acknowledge", "member_copy"),
            m.only(providers, allowed=your_notices),
            variant="supply chain member's copy",
        ),
        m.Row(
            "contracts:notice-acknowledge",
            "POST",
            delivery_url("notice-acknowledge", "notice_member"),
            m.only([]),
            variant="another organisation's copy",
        ),
        m.Row(
            "contracts:notice-acknowledge",
            "POST",
            "/notice-deliveries/999999/acknowledge/",
            m.signed_in(404),
            variant="unknown",
        ),
        m.Row("contracts:notice-forward", "GET", delivery_url("notice-forward", "notice_lead"), for_providers),
        m.Row(
            "contracts:notice-forward",
            "POST",
            delivery_url("notice-forward", "notice_lead"),
            m.only(providers, allowed=your_notices),
            variant="valid",
            data={"note": "From the matrix"},
        ),
        m.Row(
            "contracts:notice-forward",
            "GET",
            delivery_url("notice-forward", "member_copy"),
            m.only([]),
            variant="a member's copy",
        ),
        m.Row(
            "contracts:notice-forward", "GET", "/notice-deliveries/999999/forward/", m.signed_in(404), variant="unknown"
        ),
    ]

    api_send = {
        "kind": "policy_change",
        "title": "Sent through the matrix API",
        "body": "Read this.",
        "contracts": ["MATRIX-1"],
        "cascade_required": True,
    }
    api_rows = [
        m.Row("api:notice-list", "GET", m.url("api:notice-list"), m.api_public()),
        m.Row("api:notice-list", "GET", "/api/v1/notices/?kind=nonsense", m.api_public(400), variant="bad filter"),
        m.Row("api:notice-list", "POST", m.url("api:notice-list"), m.api_only([com], allowed=201), data=api_send),
        m.Row(
            "api:notice-list",
            "POST",
            m.url("api:notice-list"),
            m.api_only([com], allowed=400),
            variant="empty",
            data={},
        ),
        m.Row(
            "api:notice-detail",
            "GET",
            m.url("api:notice-detail", reference=m.attr("public_notice.reference")),
            m.api_public(),
            variant="public",
        ),
        m.Row(
            "api:notice-detail",
            "GET",
            m.url("api:notice-detail", reference=m.attr("notice.reference")),
            private,
            variant="not public",
        ),
        m.Row("api:notice-detail", "GET", "/api/v1/notices/N-NONE-NONE/", m.api_public(404), variant="unknown"),
        m.Row("api:notice-delivery-list", "GET", m.url("api:notice-delivery-list"), m.api_only(providers)),
        m.Row("api:notice-delivery-detail", "GET", api_delivery("detail", "notice_lead"), m.api_only(providers)),
        m.Row(
            "api:notice-delivery-detail",
            "GET",
            api_delivery("detail", "notice_member"),
            m.api_only(providers, allowed=404),
            variant="another organisation's copy",
        ),
        m.Row(
            "api:notice-delivery-acknowledge", "POST", api_delivery("acknowledge", "notice_lead"), m.api_only(providers)
        ),
        m.Row(
            "api:notice-delivery-acknowledge",
            "POST",
            api_delivery("acknowledge", "notice_member"),
            m.api_only(providers, allowed=404),
            variant="another organisation's copy",
        ),
        m.Row(
            "api:notice-delivery-forward",
            "POST",
            api_delivery("forward", "notice_lead"),
            m.api_only(providers, allowed=201),
            data={"note": "From the matrix"},
        ),
        m.Row(
            "api:notice-delivery-forward",
            "POST",
            api_delivery("forward", "member_copy"),
            m.api_only([]),
            variant="a member's copy",
        ),
        m.Row("api:notice-measure-list", "GET", m.url("api:notice-measure-list"), m.api_only([com, fm])),
        m.Row(
            "api:notice-measure-list",
            "GET",
            "/api/v1/notice-measures/?region=ZZ",
            m.api_only([com, fm], allowed=400),
            variant="bad region",
        ),
    ]
    return page_rows + api_rows
