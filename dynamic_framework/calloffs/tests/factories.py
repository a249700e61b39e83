"""Builders for call-offs in each state, through the real services.

    world = CallOffWorld.build()             # two commissioners for region A, evaluators, two qualified providers
    call_off = world.draft()                 # a ready draft: one lot (Durham), two quality questions, 60/30/10
    call_off = world.published()             # approved by the second commissioner
    bid = world.bid(world.provider_a, call_off, price=...)   # a submitted bid with a supply chain
    world.after_deadline(call_off)           # a time_machine traveller to just after the deadline
    world.evaluated(call_off)                # panel formed, declarations, scores, sheets and consensus recorded

Time: call-offs are created with a deadline 20 days ahead; `travel(to)` moves the clock (time-machine).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import count

import time_machine
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Bid, CallOff
from dynamic_framework.geography.models import Region
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification.tests import factories as q

_numbers = count(1)


def pounds(amount: int) -> int:
    return amount * 100


@dataclass
class CallOffWorld:
    region: Region
    commissioner: object
    approver: object
    evaluators: list
    manager: object
    providers: list = field(default_factory=list)
    admins: dict = field(default_factory=dict)

    @classmethod
    def build(cls, *, providers: int = 2, categories=("women",), areas=("durham", "northumbria")):
        """Needs the reference data. Providers are qualified (through qualification's services) for the
        categories in the areas."""
        region = Region.objects.get(code="A")
        world = cls(
            region=region,
            commissioner=user_with_role(
                "commissioner", regions=[region], email=f"commissioner{next(_numbers)}@example.org"
            ),
            approver=user_with_role("commissioner", regions=[region], email=f"approver{next(_numbers)}@example.org"),
            evaluators=[user_with_role("evaluator", email=f"evaluator{next(_numbers)}@example.org") for _i in range(2)],
            manager=user_with_role("framework_manager", email=f"manager{next(_numbers)}@example.org"),
        )
        for _index in range(providers):
            org = ProviderFactory(name=f"Bidder {next(_numbers)} Trust")
            admin = q.confirm_email(user_with_role("provider_administrator", organisation=org))
            q.qualify_directly(org, manager=world.manager, categories=categories, areas=areas)
            world.providers.append(org)
            world.admins[org.pk] = admin
        return world

    def admin(self, org):
        return self.admins[org.pk]

    def draft(
        self,
        *,
        deadline_in_days: int = 20,
        lots=(("pcc_area", ["durham"]),),
        price_weight=30,
        social=10,
        questions=((60, 300),),
        minimum_quality_percent=50,
        funding="grant",
        categories=("women",),
    ):
        from dynamic_framework.categories.models import ServiceCategory

        now = timezone.now()
        deadline = (now + timedelta(days=deadline_in_days)).replace(microsecond=0)
        call_off = services.create_call_off(
            actor=self.commissioner,
            region=self.region,
            title=f"Women's centre services {next(_numbers)}",
            summary="Support for women on probation in County Durham, in a women-only space.",
            categories=list(ServiceCategory.objects.filter(slug__in=categories)),
            funding_mechanism=funding,
            funding_reason="A grant suits a local women's centre: it funds core costs with light reporting.",
            term_start=(deadline + timedelta(days=60)).date(),
            term_months=24,
            extension_months=[12],
            cohort_sex="women",
            cohort_min_age=18,
            price_weight=price_weight,
            social_value_weight=social,
            social_value_question="How will your service benefit the local community?" if social else "",
            minimum_quality_percent=minimum_quality_percent,
            questions_close_at=deadline - timedelta(days=5),
            deadline_at=deadline,
            expected_award_on=(deadline + timedelta(days=14)).date(),
            standstill_days=10,
        )
        first_year = call_off.term_start.year if call_off.term_start.month >= 4 else call_off.term_start.year - 1
        for kind, areas in lots:
            services.add_lot(
                actor=self.commissioner,
                call_off=call_off,
                kind=kind,
                pcc_areas=areas,
                years=[
                    {"financial_year": first_year, "max_value_pence": pounds(100_000), "expected_people": 40},
                    {"financial_year": first_year + 1, "max_value_pence": pounds(120_000), "expected_people": 60},
                ],
            )
        for weight, words in questions:
            services.add_quality_question(
                actor=self.commissioner,
                call_off=call_off,
                question="How will you work with women with complex needs?",
                guidance="A good answer shows trauma-informed, women-only delivery with evidence.",
                word_limit=words,
                weight=weight,
            )
        call_off.refresh_from_db()
        return call_off

    def published(self, **kwargs) -> CallOff:
        call_off = self.draft(**kwargs)
        services.submit_for_approval(actor=self.commissioner, call_off=call_off)
        return services.approve_and_publish(actor=self.approver, call_off=call_off)

    def content(self, call_off, *, prices=(90_000, 110_000), lots=None, supply_chain=()) -> dict:
        lots = lots or list(call_off.lots.all())
        content = {"lots": {}, "answers": {}, "social_value": "", "supply_chain": list(supply_chain)}
        for lot in lots:
            years = list(lot.years.all())
            content["lots"][str(lot.pk)] = {
                "years": {str(y.financial_year): pounds(price) for y, price in zip(years, prices, strict=False)}
            }
        for question in call_off.quality_questions.all():
            content["answers"][str(question.pk)] = "We run a women-only centre with trauma-informed staff."
        if call_off.social_value_weight:
            content["social_value"] = "We employ local women with lived experience."
        return content

    def bid(self, org, call_off, *, prices=(90_000, 110_000), supply_chain=(), key=None) -> Bid:
        admin = self.admin(org)
        bid = services.start_bid(actor=admin, call_off=call_off, organisation=org)
        services.save_bid(
            actor=admin,
            bid=bid,
            content=self.content(call_off, prices=prices, supply_chain=supply_chain),
            complete=True,
        )
        services.submit_bid(actor=admin, bid=bid, idempotency_key=key or f"key-{next(_numbers)}")
        bid.refresh_from_db()
        return bid


def travel(to: datetime):
    """A time_machine traveller (use as a context manager) that keeps ticking from `to`."""
    return time_machine.travel(to, tick=True)


def after_deadline(call_off, seconds: int = 60):
    return travel(call_off.deadline_at + timedelta(seconds=seconds))


def evaluate(world: CallOffWorld, call_off, scores: dict | None = None):
    """Form the panel, declare no conflicts, score every answer (`scores`: bid id -> score, default 3), submit the
    sheets and record the same scores as consensus. Call after the deadline."""
    scores = scores or {}
    services.form_panel(actor=world.commissioner, call_off=call_off, members=world.evaluators)
    bids = services.counted_bids(call_off)
    for evaluator in world.evaluators:
        for bid in bids:
            services.declare_bid_conflict(actor=evaluator, call_off=call_off, bid=bid, has_conflict=False)
            for question in services.criteria(call_off):
                services.score_answer(
                    actor=evaluator,
                    call_off=call_off,
                    bid=bid,
                    question=question,
                    score=scores.get(bid.pk, 3),
                    justification="Clear evidence of women-only delivery.",
                )
            services.submit_score_sheet(actor=evaluator, call_off=call_off, bid=bid)
    for bid in bids:
        for question in services.criteria(call_off):
            services.record_consensus(
                actor=world.commissioner,
                call_off=call_off,
                bid=bid,
                question=question,
                score=scores.get(bid.pk, 3),
                reason="The panel agreed the answer was well evidenced.",
            )


def today() -> date:
    return timezone.localdate()
