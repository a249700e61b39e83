"""Permission matrix rows for the supply chain invitations API. world.supply_chain_invitation names world.org (whose
members are the provider users) in world.other_org's bid for co_open; anyone else's invitation is a 404."""


def rows(m) -> list:
    Row, url, attr, api_only, api_signed_in = m.Row, m.url, m.attr, m.api_only, m.api_signed_in
    members = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]
    theirs = url("api:supply-chain-invitation-detail", pk=attr("supply_chain_invitation.pk"))
    respond = url("api:supply-chain-invitation-respond", pk=attr("supply_chain_invitation.pk"))
    return [
        Row("api:supply-chain-invitation-list", "GET", url("api:supply-chain-invitation-list"), api_only(members)),
        Row("api:supply-chain-invitation-detail", "GET", theirs, api_only(members, denied=404)),
        Row(
            "api:supply-chain-invitation-detail",
            "GET",
            "/api/v1/supply-chain-invitations/999999/",
            api_only([], denied=404),
            variant="unknown",
        ),
        Row("api:supply-chain-invitation-detail", "DELETE", theirs, api_signed_in(405)),
        Row(
            "api:supply-chain-invitation-respond",
            "POST",
            respond,
            api_only(members, denied=404),
            variant="confirm",
            data={"confirm": True},
        ),
        Row(
            "api:supply-chain-invitation-respond",
            "POST",
            respond,
            api_only(members, allowed=400, denied=404),
            variant="nothing sent",
            data={},
        ),
    ]
