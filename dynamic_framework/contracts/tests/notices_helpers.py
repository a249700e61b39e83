"""A small world for the notices tests: a commissioner in the North East, a live contract led by `prime` with
three subcontractors, a second contract of the prime's in the same region, and one in Yorkshire (region B).

    w = NoticeWorld.build()
    with travel(uk(2026, 3, 2, 10)):          # Monday 2 March 2026, 10am UK time
        notice = w.send(cascade_required=True)
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import time_machine

from dynamic_framework.accounts.models import Role
from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.time import UK
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.tests.factories import CommissioningBodyFactory, ProviderFactory

from ..models import LotType, SupplyChainMember
from .factories import AwardFactory, CommissioningRoundFactory, ContractFactory


def uk(year, month, day, hour=10, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UK)


def travel(when: datetime, tick: bool = False):
    return time_machine.travel(when, tick=tick)


@dataclass
class NoticeWorld:
    commissioner: object = None
    commissioning_body: object = None
    prime: object = None
    prime_user: object = None
    subs: list = field(default_factory=list)
    sub_users: list = field(default_factory=list)
    contract: object = None
    second: object = None
    elsewhere: object = None
    members: list = field(default_factory=list)

    @classmethod
    def build(cls, *, start=date(2025, 4, 1), end=date(2028, 3, 31), subs=3):
        w = cls()
        region_a, region_b = Region.objects.get(code="A"), Region.objects.get(code="B")
        w.commissioning_body = CommissioningBodyFactory(name="North East Commissioning")
        w.commissioner = user_with_role(
            Role.COMMISSIONER, regions=[region_a], organisation=w.commissioning_body, full_name="Cora Commissioner"
        )
        w.prime = ProviderFactory(name="Prime Partnership")
        w.prime_user = user_with_role(Role.PROVIDER_ADMINISTRATOR, organisation=w.prime, full_name="Pat Prime")
        round_ = CommissioningRoundFactory(slug="notices-round", name="Notices round")
        award = AwardFactory(round=round_, region=region_a, lead_provider=w.prime, lot_type=LotType.WOMENS_SERVICES)
        w.contract = ContractFactory(
            award=award, reference="NOT-1", title="Women's services", start_date=start, end_date=end
        )
        w.second = ContractFactory(award=award, reference="NOT-2", start_date=start, end_date=end)
        other = AwardFactory(round=round_, region=region_b, lead_provider=w.prime)
        w.elsewhere = ContractFactory(award=other, reference="NOT-B", start_date=start, end_date=end)
        for n in range(subs):
            sub = ProviderFactory(name=f"Sub {chr(65 + n)}")
            w.subs.append(sub)
            w.sub_users.append(user_with_role(Role.PROVIDER_STAFF, organisation=sub, full_name=f"Sam Sub {n}"))
            w.members.append(SupplyChainMember.objects.create(contract=w.contract, organisation=sub, joined_on=start))
        return w

    def send(self, contracts=None, *, cascade_required=True, public=True, kind="operational_guidance", **kwargs):
        from dynamic_framework.contracts import notices

        return notices.send_notice(
            actor=kwargs.pop("actor", self.commissioner),
            kind=kind,
            title=kwargs.pop("title", "Changes to referrals"),
            body=kwargs.pop("body", "From Monday, send referrals to the new address."),
            contracts=contracts if contracts is not None else [self.contract],
            cascade_required=cascade_required,
            public=public,
        )

    def lead_delivery(self, notice, contract=None):
        return notice.deliveries.get(contract=contract or self.contract, forwarded_from__isnull=True)


def later(when: datetime, days: int) -> datetime:
    return when + timedelta(days=days)
