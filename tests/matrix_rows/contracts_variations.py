"""Permission matrix rows for contract variations (contracts/views/variations.py, contracts/api/variations.py).

The history, one variation and the contract as at a date are public (who recorded a variation and why are shown
only to the contract's parties, which the matrix does not tell apart: the tests in
contracts/tests/test_variations_pages.py and test_variations_api.py do). Recording a variation is for commissioners
of the contract's region: the matrix commissioner commissions region A, where world.contract is, and not region B,
where world.other_contract is (403 there, as for every other role). Unknown references, numbers and kinds: 404.

Objects (contracts_world.py, and build() here): world.variation, variation 1 of world.contract (a change of the
first year's value from £240,000 to what it is now, recorded straight in the database as the world's other objects
are).
"""

from datetime import timedelta


def build(world) -> None:
    from dynamic_framework.contracts.models import Variation

    contract = world.contract
    year = contract.years.order_by("financial_year").first()
    world.variation = Variation.objects.create(
        contract=contract,
        number=1,
        kind=Variation.Kind.CHANGE_VALUE,
        effective_on=contract.start_date + timedelta(days=30),
        reason="More referrals than expected",
        changes={
            f"year:{year.financial_year}": {
                "from": {"value_pence": 240_000_00, "expected_people": year.expected_people},
                "to": {"value_pence": year.value_pence, "expected_people": year.expected_people},
            }
        },
        recorded_by=world.users["commissioner"],
    )


def rows(m) -> list:
    from django.utils import timezone

    Row, url, attr = m.Row, m.url, m.attr
    com = [m.COMMISSIONER]
    unknown_contract = m.only([], denied=404)
    today = timezone.localdate()

    def ref(name):
        return attr(f"{name}.reference")

    def terminate(day):
        return {
            "terminated_on_day": str(day.day),
            "terminated_on_month": str(day.month),
            "terminated_on_year": str(day.year),
            "reason": "The service is no longer needed",
            "confirm": "yes",
        }

    api_terminate = {"kind": "terminate", "terminated_on": today.isoformat(), "reason": "No longer needed"}

    return [
        # The history and one variation: public ---------------------------------------------------------------
        Row("contracts:variations", "GET", url("contracts:variations", reference=ref("contract")), m.public()),
        Row(
            "contracts:variations",
            "GET",
            url("contracts:variations", reference=ref("other_contract")),
            m.public(),
            variant="no variations",
        ),
        Row("contracts:variations", "GET", "/contracts/NO-SUCH/variations/", m.public(404), variant="unknown contract"),
        Row("contracts:variations", "POST", url("contracts:variations", reference=ref("contract")), m.public(405)),
        Row(
            "contracts:variation",
            "GET",
            url("contracts:variation", reference=ref("contract"), number=attr("variation.number")),
            m.public(),
        ),
        Row(
            "contracts:variation",
            "GET",
            url("contracts:variation", reference=ref("contract"), number=99),
            m.public(404),
            variant="unknown number",
        ),
        Row(
            "contracts:variation",
            "POST",
            url("contracts:variation", reference=ref("contract"), number=attr("variation.number")),
            m.public(405),
        ),
        # Recording one: the contract's commissioners ---------------------------------------------------------
        Row("contracts:variation-new", "GET", url("contracts:variation-new", reference=ref("contract")), m.only(com)),
        Row(
            "contracts:variation-new",
            "GET",
            url("contracts:variation-new", reference=ref("other_contract")),
            m.only([]),
            variant="another region's contract",
        ),
        Row(
            "contracts:variation-new",
            "GET",
            "/contracts/NO-SUCH/variations/new/",
            unknown_contract,
            variant="unknown contract",
        ),
        Row(
            "contracts:variation-new",
            "POST",
            url("contracts:variation-new", reference=ref("contract")),
            m.only(com),
            variant="empty form",
            data={},
        ),
        Row(
            "contracts:variation-new",
            "POST",
            url("contracts:variation-new", reference=ref("contract")),
            m.only(com, allowed=m.redirect(lambda w: f"/contracts/{w.contract.reference}/variations/new/novate/")),
            variant="a kind chosen",
            data={"kind": "novate"},
        ),
        *[
            Row(
                "contracts:variation-new-kind",
                "GET",
                url("contracts:variation-new-kind", reference=ref("contract"), kind=kind),
                m.only(com),
                variant=kind,
            )
            for kind in (
                "extend",
                "change_value",
                "change_end_date",
                "add_area",
                "remove_area",
                "novate",
                "terminate",
            )
        ],
        Row(
            "contracts:variation-new-kind",
            "GET",
            url("contracts:variation-new-kind", reference=ref("contract"), kind="merge"),
            m.only(com, allowed=404),
            variant="unknown kind",
        ),
        Row(
            "contracts:variation-new-kind",
            "GET",
            url("contracts:variation-new-kind", reference=ref("other_contract"), kind="terminate"),
            m.only([]),
            variant="another region's contract",
        ),
        Row(
            "contracts:variation-new-kind",
            "GET",
            "/contracts/NO-SUCH/variations/new/terminate/",
            unknown_contract,
            variant="unknown contract",
        ),
        Row(
            "contracts:variation-new-kind",
            "POST",
            url("contracts:variation-new-kind", reference=ref("contract"), kind="terminate"),
            m.only(com),
            variant="empty form",
            data={},
        ),
        Row(
            "contracts:variation-new-kind",
            "POST",
            url("contracts:variation-new-kind", reference=ref("contract"), kind="terminate"),
            m.only(com, allowed=m.redirect(lambda w: f"/contracts/{w.contract.reference}/variations/2/")),
            variant="valid",
            data=terminate(today),
        ),
        Row(
            "contracts:variation-new-kind",
            "POST",
            url("contracts:variation-new-kind", reference=ref("contract"), kind="terminate"),
            m.only(com),
            variant="valid, to check",
            data={key: value for key, value in terminate(today).items() if key != "confirm"},
        ),
        Row(
            "contracts:variation-new-kind",
            "POST",
            url("contracts:variation-new-kind", reference=ref("other_contract"), kind="terminate"),
            m.only([]),
            variant="another region's contract",
            data=terminate(today),
        ),
        # As at a date: public ---------------------------------------------------------------------------------
        Row("contracts:as-at", "GET", url("contracts:as-at", reference=ref("contract")), m.public()),
        Row(
            "contracts:as-at",
            "GET",
            lambda w: f"/contracts/{w.contract.reference}/as-at/?date={w.contract.start_date.isoformat()}",
            m.public(),
            variant="a date",
        ),
        Row(
            "contracts:as-at",
            "GET",
            lambda w: f"/contracts/{w.contract.reference}/as-at/?date=2023-02-30",
            m.public(),
            variant="not a real date: the form says so",
        ),
        Row("contracts:as-at", "GET", "/contracts/NO-SUCH/as-at/", m.public(404), variant="unknown contract"),
        Row("contracts:as-at", "POST", url("contracts:as-at", reference=ref("contract")), m.public(405)),
        # API -----------------------------------------------------------------------------------------------------
        Row(
            "api:contract-variation-list",
            "GET",
            url("api:contract-variation-list", reference=ref("contract")),
            m.api_public(),
        ),
        Row(
            "api:contract-variation-list",
            "GET",
            "/api/v1/contracts/NO-SUCH/variations/",
            m.api_public(404),
            variant="unknown contract",
        ),
        Row(
            "api:contract-variation-list",
            "POST",
            url("api:contract-variation-list", reference=ref("contract")),
            m.api_only(com, allowed=201),
            variant="valid",
            data=api_terminate,
        ),
        Row(
            "api:contract-variation-list",
            "POST",
            url("api:contract-variation-list", reference=ref("contract")),
            m.api_only(com, allowed=400),
            variant="nothing sent",
            data={},
        ),
        Row(
            "api:contract-variation-list",
            "POST",
            url("api:contract-variation-list", reference=ref("other_contract")),
            m.api_only([]),
            variant="another region's contract",
            data=api_terminate,
        ),
        Row(
            "api:contract-variation-list",
            "POST",
            "/api/v1/contracts/NO-SUCH/variations/",
            m.api_only([], denied=404),
            variant="unknown contract",
            data=api_terminate,
        ),
        Row(
            "api:contract-as-at-list", "GET", url("api:contract-as-at-list", reference=ref("contract")), m.api_public()
        ),
        Row(
            "api:contract-as-at-list",
            "GET",
            lambda w: f"/api/v1/contracts/{w.contract.reference}/as-at/?date=2023-02-30",
            m.api_public(400),
            variant="not a real date",
        ),
        Row(
            "api:contract-as-at-list",
            "GET",
            "/api/v1/contracts/NO-SUCH/as-at/",
            m.api_public(404),
            variant="unknown contract",
        ),
    ]
