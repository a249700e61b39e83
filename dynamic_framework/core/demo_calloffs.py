"""The call-off part of the demo: competitions in the North East at the stages that can be shown today.

- "Women's centre services in County Durham and Northumbria": a grant with two lots whose values grow over three
  financial years. Grace Okafor (commissioner.northeast@example.org) created it and sent it for approval; the second
  North East commissioner (commissioner2.northeast@example.org) approved and published it, so it is open for bids,
  on the public Opportunities page and in its feed, for three weeks from the first run. Riverside Women's Centre
  (demo), qualified for Women in Durham and Northumbria, asked a question that Grace answered: the answer is
  published without saying who asked. Riverside has a bid in progress (a draft): prices for the Durham lot and its
  first answer.
- "Support for young adults on probation across the North East": a contract for one whole-region lot, for people
  aged 18 to 25, which Grace has sent for approval: it waits for the second commissioner (four eyes).

Everything goes through the call-off services, as the pages would, on the clock as it is: nothing after a deadline
(evaluation, award, contracts) can be made without moving the clock, so the demo stops at bidding. A call-off that
is already there (by its title, in the North East) is left alone, with everything done to it since, so a second run
changes nothing; its deadline passes three weeks after the first run, and then the commissioner can evaluate it.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError

COMMISSIONER = "commissioner.northeast@example.org"
APPROVER = "commissioner2.northeast@example.org"
BIDDER = "Riverside Women's Centre (demo)"
BIDDER_ADMIN = "admin@riverside.example.org"
REGION = "A"  # North East


@dataclass(frozen=True)
class DemoLot:
    kind: str  # pcc_area | areas | region
    areas: tuple[str, ...]  # PCC area slugs (none for a whole region)
    values: tuple[int, ...]  # the most it can cost in each financial year, in pounds, from the first year
    people: tuple[int, ...]


@dataclass(frozen=True)
class DemoQuestion:
    question: str
    guidance: str
    word_limit: int
    weight: int


@dataclass(frozen=True)
class DemoCallOff:
    title: str
    summary: str
    categories: tuple[str, ...]
    funding_mechanism: str
    funding_reason: str
    lots: tuple[DemoLot, ...]
    questions: tuple[DemoQuestion, ...]
    price_weight: int
    social_value_weight: int
    social_value_question: str
    deadline_in_days: int
    term_months: int
    extension_months: tuple[int, ...] = ()
    cohort_sex: str = "any"
    cohort_min_age: int | None = None
    cohort_max_age: int | None = None
    cohort_note: str = ""
    minimum_quality_percent: int = 50
    stage: str = "published"  # published | awaiting_approval
    #: A provider's question and its answer: (question, as published, answer)
    question_and_answer: tuple[str, str, str] | None = None
    #: The demo bidder's draft: {lot position: prices in pounds per year} and answers by question position
    bid_prices: dict | None = None
    bid_answers: dict | None = None


WOMENS_CENTRES = DemoCallOff(
    title="Women's centre services in County Durham and Northumbria",
    summary="A women-only space for women on probation, with key workers, peer groups and help to get to "
    "appointments. One lot for County Durham and one for Northumbria: a women's centre can bid for one or both, "
    "with other local organisations in its supply chain.\n"
    "Women tell us they do better with a worker they know, in a place where men are not present. This funds that, "
    "including the centres' core costs.",
    categories=("women",),
    funding_mechanism="grant",
    funding_reason="A grant: local women's centres run this best, and a grant can fund their core costs with light "
    "reporting, as the voluntary sector has asked.",
    lots=(
        DemoLot("pcc_area", ("durham",), (120_000, 180_000, 200_000), (60, 90, 100)),
        DemoLot("pcc_area", ("northumbria",), (90_000, 140_000, 150_000), (45, 70, 75)),
    ),
    questions=(
        DemoQuestion(
            "How will you work with women with complex needs, such as experience of domestic abuse, mental ill "
            "health or substance use?",
            "Trauma-informed, women-only delivery, with examples of what has worked and how you know.",
            500,
            40,
        ),
        DemoQuestion(
            "How will you make sure women keep coming, from their first appointment to the end of their order?",
            "Practical help (travel, childcare, a worker they know) and how you will follow up.",
            300,
            20,
        ),
    ),
    price_weight=30,
    social_value_weight=10,
    social_value_question="How will your service benefit women in the local area beyond those referred to it?",
    deadline_in_days=21,
    term_months=36,
    extension_months=(12, 12),
    cohort_sex="women",
    cohort_min_age=18,
    question_and_answer=(
        "Could we run the Durham service from our centre in Gateshead, which is just outside County Durham?",
        "Can the service for the Durham lot be run from a centre just outside County Durham?",
        "Yes, if women in County Durham can get there easily (the bid should say how you will pay for travel) and "
        "the space is women-only whenever the service is running.",
    ),
    bid_prices={1: (110_000, 170_000, 190_000)},
    bid_answers={
        1: "We are a women-only centre run by women, and our key workers are trained in trauma-informed practice. "
        "We work with the local refuge and with the community mental health team, and a woman sees the same key "
        "worker each time."
    },
)

YOUNG_ADULTS = DemoCallOff(
    title="Support for young adults on probation across the North East",
    summary="Mentoring and practical support for young adults aged 18 to 25 on probation anywhere in the North East, "
    "to help them finish their orders and move into work or training.",
    categories=("young-adults-18-to-25",),
    funding_mechanism="contract",
    funding_reason="A contract: one provider (or a lead with partners) across the whole region, with agreed "
    "outcomes and performance measures that the probation service needs to track.",
    lots=(DemoLot("region", (), (250_000, 400_000), (120, 200)),),
    questions=(
        DemoQuestion(
            "How will you build trust with young adults who have been let down by services before?",
            "Mentors young people relate to, including people with lived experience; flexible contact.",
            500,
            35,
        ),
        DemoQuestion(
            "How will you help young adults into work, training or education?",
            "Links with local employers and colleges; evidence of results.",
            400,
            25,
        ),
    ),
    price_weight=30,
    social_value_weight=10,
    social_value_question="How will you involve young adults with experience of probation in running the service?",
    deadline_in_days=35,
    term_months=24,
    extension_months=(12,),
    cohort_min_age=18,
    cohort_max_age=25,
    cohort_note="Referrals from every probation delivery unit in the North East.",
    stage="awaiting_approval",
)

DEMO_CALL_OFFS = [WOMENS_CENTRES, YOUNG_ADULTS]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    from dynamic_framework.core.time import UK

    return datetime.combine(day, time(hour, minute), tzinfo=UK)


def _first_of_next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def _timetable(demo: DemoCallOff, today: date) -> dict:
    """A timetable from today (UK time): the deadline at noon, questions closing a week before it, the award two
    weeks after it and the service starting on the first of a month after the standstill."""
    deadline_day = today + timedelta(days=demo.deadline_in_days)
    expected_award_on = deadline_day + timedelta(days=14)
    return {
        "questions_close_at": _at(deadline_day - timedelta(days=7), 17),
        "deadline_at": _at(deadline_day, 12),
        "expected_award_on": expected_award_on,
        "standstill_days": 10,
        "term_start": _first_of_next_month(expected_award_on + timedelta(days=10)),
    }


def _pence(pounds: int) -> int:
    return pounds * 100


def _create(demo: DemoCallOff, *, services, commissioner, region, today):
    from dynamic_framework.categories.models import ServiceCategory

    timetable = _timetable(demo, today)
    call_off = services.create_call_off(
        actor=commissioner,
        region=region,
        title=demo.title,
        summary=demo.summary,
        categories=list(ServiceCategory.objects.filter(slug__in=demo.categories)),
        funding_mechanism=demo.funding_mechanism,
        funding_reason=demo.funding_reason,
        term_months=demo.term_months,
        extension_months=list(demo.extension_months),
        cohort_sex=demo.cohort_sex,
        cohort_min_age=demo.cohort_min_age,
        cohort_max_age=demo.cohort_max_age,
        cohort_note=demo.cohort_note,
        price_weight=demo.price_weight,
        social_value_weight=demo.social_value_weight,
        social_value_question=demo.social_value_question,
        minimum_quality_percent=demo.minimum_quality_percent,
        **timetable,
    )
    start = timetable["term_start"]
    first_year = start.year if start.month >= 4 else start.year - 1
    for lot in demo.lots:
        services.add_lot(
            actor=commissioner,
            call_off=call_off,
            kind=lot.kind,
            pcc_areas=list(lot.areas),
            years=[
                {"financial_year": first_year + n, "max_value_pence": _pence(value), "expected_people": people}
                for n, (value, people) in enumerate(zip(lot.values, lot.people, strict=True))
            ],
        )
    for question in demo.questions:
        services.add_quality_question(
            actor=commissioner,
            call_off=call_off,
            question=question.question,
            guidance=question.guidance,
            word_limit=question.word_limit,
            weight=question.weight,
        )
    services.submit_for_approval(actor=commissioner, call_off=call_off)
    return call_off


def _draft_bid(demo: DemoCallOff, *, services, call_off, organisation, admin) -> str:
    """The demo bidder's bid in progress: saved, not submitted. Returns what was done, for the report."""
    if not services.eligible_lot_ids(call_off, organisation):
        return f"{organisation.name} is not qualified for it, so has not started a bid"
    bid = services.start_bid(actor=admin, call_off=call_off, organisation=organisation)
    lots = {lot.position: lot for lot in call_off.lots.prefetch_related("years")}
    questions = {q.position: q for q in call_off.quality_questions.all()}
    content = {
        "lots": {
            str(lots[position].pk): {
                "years": {
                    str(year.financial_year): _pence(price)
                    for year, price in zip(lots[position].years.all(), prices, strict=True)
                }
            }
            for position, prices in (demo.bid_prices or {}).items()
        },
        "answers": {str(questions[position].pk): text for position, text in (demo.bid_answers or {}).items()},
        "social_value": "",
        "supply_chain": [],
    }
    services.save_bid(actor=admin, bid=bid, content=content, complete=False)
    return f"{organisation.name} has a bid in progress (not submitted)"


def _run(demo: DemoCallOff, *, region, organisations, users, today) -> str:
    from dynamic_framework.calloffs import services

    commissioner, approver = users[COMMISSIONER], users[APPROVER]
    call_off = _create(demo, services=services, commissioner=commissioner, region=region, today=today)
    if demo.stage == "awaiting_approval":
        return (
            f"{call_off.reference} {demo.title}: sent for approval by {commissioner.email}, waiting for "
            f"{approver.email} to approve it"
        )
    call_off = services.approve_and_publish(actor=approver, call_off=call_off)
    done = [f"approved and published by {approver.email}", f"open for bids until {_uk(call_off.deadline_at)}"]
    bidder, admin = organisations.get(BIDDER), users.get(BIDDER_ADMIN)
    if bidder is not None and admin is not None:
        if demo.question_and_answer:
            question, published, answer = demo.question_and_answer
            asked = services.ask_question(actor=admin, call_off=call_off, organisation=bidder, question=question)
            services.answer_question(actor=commissioner, question=asked, published_question=published, answer=answer)
            done.append("a provider's question answered")
        if demo.bid_prices or demo.bid_answers:
            done.append(_draft_bid(demo, services=services, call_off=call_off, organisation=bidder, admin=admin))
    return f"{call_off.reference} {demo.title}: " + "; ".join(done)


def _uk(moment) -> str:
    from dynamic_framework.core.time import format_uk_datetime

    return format_uk_datetime(moment)


def load_calloffs_demo(*, organisations: dict, users: dict) -> list[str]:
    """Create the demo call-offs that are missing. `organisations` and `users`: the demo ones, by name and by email.
    Returns a line for each call-off created (none on a second run)."""
    from django.utils import timezone

    from dynamic_framework.calloffs.models import CallOff
    from dynamic_framework.core.time import UK
    from dynamic_framework.geography.models import Region

    if COMMISSIONER not in users or APPROVER not in users:
        return []
    region = Region.objects.get(code=REGION)
    today = timezone.now().astimezone(UK).date()
    created = []
    for demo in DEMO_CALL_OFFS:
        if CallOff.objects.filter(region=region, title=demo.title).exists():
            continue
        try:
            created.append(_run(demo, region=region, organisations=organisations, users=users, today=today))
        except ValidationError as exc:
            raise ValidationError(f"{demo.title}: {'; '.join(exc.messages)}") from exc
    return created
