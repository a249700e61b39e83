import pytest

from dynamic_framework.contracts.models import LotType
from dynamic_framework.geography.models import Region

from .factories import MemberFactory, PccAreaFactory, RegionFactory, RoundFactory, award, charity, company, unknown


@pytest.fixture
def small_world(db):
    """A round small enough to check by hand.

    Region X (England) has areas X1 and X2; region W (Wales) has area W1.
      - Award 1: Hope Trust (charity), women's services, X1 and X2, £300,000: two contracts sharing one value.
      - Award 2: Acme Ltd (company), accommodation, region X (regional), £100,000; supply chain: Hope Trust.
      - Award 3: Mystery Org (sector not known), accommodation, W1, £100,000 (ends 30 June 2023);
        supply chain: Hope Trust and Cymru Help (a charity).
    Total £500,000; contracts 4; lead providers 3 (1 voluntary, 1 private, 1 not known).
    """
    round_ = RoundFactory(slug="small-round", name="Small round", position=0)
    x = RegionFactory(code="X", name="Region X", slug="region-x")
    w = RegionFactory(code="W", name="Wales", slug="wales", nation=Region.Nation.WALES)
    x1 = PccAreaFactory(slug="x1", name="Area X1", region=x)
    x2 = PccAreaFactory(slug="x2", name="Area X2", region=x)
    w1 = PccAreaFactory(slug="w1", name="Area W1", region=w)
    hope = charity("Hope Trust")
    acme = company("Acme Ltd")
    mystery = unknown("Mystery Org")
    cymru = charity("Cymru Help")
    a1, (c1, c2) = award(round_, hope, lot_type=LotType.WOMENS_SERVICES, value=300_000, areas=[x1, x2])
    a2, (c3,) = award(round_, acme, lot_type=LotType.ACCOMMODATION, region=x, value=100_000)
    a3, (c4,) = award(round_, mystery, lot_type=LotType.ACCOMMODATION, value=100_000, areas=[w1])
    c4.end_date = c4.end_date.replace(year=2023, month=6, day=30)
    c4.end_date_note = "until June 2023"
    c4.save()
    MemberFactory(contract=c3, organisation=hope)
    MemberFactory(contract=c4, organisation=hope)
    MemberFactory(contract=c4, organisation=cymru)
    return {
        "round": round_,
        "regions": {"x": x, "w": w},
        "areas": {"x1": x1, "x2": x2, "w1": w1},
        "orgs": {"hope": hope, "acme": acme, "mystery": mystery, "cymru": cymru},
        "awards": [a1, a2, a3],
        "contracts": [c1, c2, c3, c4],
    }
