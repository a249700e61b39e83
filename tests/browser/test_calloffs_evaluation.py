"""Evaluating and awarding a call-off in a real browser, with axe-core (WCAG 2.2 AA) on every page and on its error
states: forming the panel, declaring conflicts of interest, scoring on the published scale, seeing the others'
scores after submitting, moderation, the results, the recommendation, four-eyes approval with the letters, the
standstill and the confirmation that creates the contract. One test walks it all (each browser test reloads the
database); the clock is moved past the deadline and then past the standstill with time-machine."""

import re
from datetime import timedelta

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def sign_in_as(page, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def check(page, axe, problems: list, heading: str, *, errors: bool = False):
    """One h1 with the expected text, a GOV.UK title, an error summary only when expected, no axe violations."""
    page.wait_for_load_state("load")  # a form posted back to the same URL: wait for the new page
    h1 = page.locator("h1")
    if h1.count() != 1 or heading not in h1.inner_text():
        problems.append(f"{page.url}: h1 {h1.all_inner_texts()!r}, expected {heading!r}")
    if not re.search(r" – GOV\.UK$", page.title()):
        problems.append(f"{page.url}: title {page.title()!r}")
    if (page.locator(".govuk-error-summary").count() == 1) != errors:
        problems.append(f"{page.url}: error summary {'missing' if errors else 'not expected'}")
    try:
        axe(page)
    except AssertionError as error:
        problems.append(str(error))


def press(page, name: str, role: str = "button"):
    """Click a button (or link) that loads a page, and wait for that page to load."""
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def key(question) -> str:
    return str(question.pk) if question is not None else "social-value"


def test_evaluating_and_awarding_a_call_off(make_context, live_server, live_reference_data, axe):
    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.models import CallOff
    from dynamic_framework.calloffs.tests.factories import CallOffWorld, travel
    from dynamic_framework.contracts.models import Contract, SupplyChainMember
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    world = CallOffWorld.build()
    call_off = world.published()
    subcontractor = ProviderFactory(name="Tiny Mentors CIC")
    first = world.bid(
        world.providers[0],
        call_off,
        supply_chain=[
            {
                "organisation": subcontractor.pk,
                "role": "Peer mentoring",
                "share_type": "percent",
                "share_value": 1000,
                "payment_terms": "pass_through",
                "material": True,
            }
        ],
    )
    second = world.bid(world.providers[1], call_off, prices=(80_000, 100_000))
    criteria = services.criteria(call_off)
    alex, sam = world.evaluators
    ref = call_off.reference
    first_name, second_name = world.providers[0].name, world.providers[1].name
    problems: list[str] = []
    commissioner_page = make_context().new_page()
    evaluator_page = make_context().new_page()

    with travel(call_off.deadline_at + timedelta(minutes=1)):
        # The commissioner sees only the number of bids, then forms the panel (an error first)
        page = commissioner_page
        sign_in_as(page, live_server, world.commissioner)
        page.goto(f"/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        assert "2 bids received by the deadline" in page.locator("#bid-count").inner_text()
        assert first_name not in page.content()
        press(page, "Form the evaluation panel")
        check(page, axe, problems, "The evaluation panel")
        press(page, "Form the panel")
        check(page, axe, problems, "The evaluation panel", errors=True)
        for evaluator in world.evaluators:
            page.get_by_label(re.compile(re.escape(evaluator.email))).check()
        press(page, "Form the panel")
        page.wait_for_url(f"**/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        assert first_name in page.content() and second_name in page.content()

        # Alex declares no conflict with the first bid (an error first) and one with the second
        page = evaluator_page
        sign_in_as(page, live_server, alex)
        page.goto(f"/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        press(page, f"Declare any conflict of interest with {first_name}", "link")
        check(page, axe, problems, "Declare any conflict of interest")
        assert subcontractor.name in page.locator("#organisations").inner_text()
        press(page, "Save my declaration")
        check(page, axe, problems, "Declare any conflict of interest", errors=True)
        page.get_by_label("No", exact=True).check()
        press(page, "Save my declaration")
        page.wait_for_url(f"**/bids/{first.pk}/score/")
        check(page, axe, problems, f"Score the bid from {first_name}")

        # Scoring: a score without a reason is refused, then every answer is scored and submitted
        question = criteria[0]
        page.locator(f"input[name='answer-{key(question)}-score'][value='3']").check()
        press(page, "Save my scores")
        check(page, axe, problems, "Score the bid", errors=True)
        for item in criteria:
            page.locator(f"input[name='answer-{key(item)}-score'][value='3']").check()
            page.locator(f"#id_answer-{key(item)}-justification").fill("Alex: clear evidence of women-only delivery")
        press(page, "Save my scores")
        page.wait_for_url(f"**/bids/{first.pk}/score/")
        check(page, axe, problems, "Score the bid")
        press(page, "Submit my scores")
        page.wait_for_url(f"**/bids/{first.pk}/score/")
        check(page, axe, problems, "Score the bid")
        assert "No other evaluator has submitted their scores yet" in page.content()

        page.goto(f"/evaluation/{ref}/bids/{second.pk}/declare/")
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("What is the conflict of interest?").fill("I volunteer for this charity")
        press(page, "Save my declaration")
        page.wait_for_url(f"**/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        assert "You are removed from this bid" in page.content()

        # Sam scores both bids (through the services); Alex now sees Sam's scores for the first
        for bid, score in ((first, 2), (second, 3)):
            services.declare_bid_conflict(actor=sam, call_off=call_off, bid=bid, has_conflict=False)
            for item in criteria:
                services.score_answer(
                    actor=sam, call_off=call_off, bid=bid, question=item, score=score, justification="Sam: some gaps"
                )
            services.submit_score_sheet(actor=sam, call_off=call_off, bid=bid)
        page.goto(f"/evaluation/{ref}/bids/{first.pk}/score/")
        check(page, axe, problems, "Score the bid")
        assert "Sam: some gaps" in page.content()
        page.goto(f"/evaluation/{ref}/results/")
        check(page, axe, problems, "Results")

        # Moderation: the evaluators' scores side by side, an error, then the agreed scores
        page = commissioner_page
        page.goto(f"/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        press(page, f"See the scores and record the agreed scores for the bid from {first_name}", "link")
        check(page, axe, problems, "Moderate the scores")
        assert "Alex: clear evidence" in page.content() and "Sam: some gaps" in page.content()
        press(page, "Save the agreed score for question 1")
        check(page, axe, problems, "Moderate the scores", errors=True)
        for bid in (first, second):
            page.goto(f"/evaluation/{ref}/bids/{bid.pk}/moderate/")
            for item in criteria:
                name = f"question {item.position}" if item else "social value"
                page.locator(f"input[name='agree-{key(item)}-score'][value='{3 if bid == first else 2}']").check()
                page.locator(f"#id_agree-{key(item)}-reason").fill("The panel agreed the evidence was clear")
                press(page, f"Save the agreed score for {name}")
                page.wait_for_url(f"**/bids/{bid.pk}/moderate/")
        check(page, axe, problems, "Moderate the scores")

        # Results, recommendation, and the recommender cannot approve
        page.goto(f"/evaluation/{ref}/results/")
        check(page, axe, problems, "Results")
        assert first_name in page.locator("#ranking-1").inner_text()
        page.goto(f"/evaluation/{ref}/")
        press(page, "Recommend the award")
        page.wait_for_url(f"**/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        page.goto(f"/evaluation/{ref}/approve/")
        check(page, axe, problems, "Approve the award")
        assert "you cannot approve it" in page.content()

        # A second commissioner approves: the letters are sent and the standstill starts
        page = make_context().new_page()
        sign_in_as(page, live_server, world.approver)
        page.goto(f"/evaluation/{ref}/")
        press(page, "Check and approve the award")
        check(page, axe, problems, "Approve the award")
        page.get_by_text(f"The letter to {second_name}").click()  # open the details
        check(page, axe, problems, "Approve the award")
        press(page, "Approve the award and send the letters")
        page.wait_for_url(f"**/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        assert page.locator("#standstill-end").count() == 1

        # During the standstill there is nothing to confirm yet (the refusal of a confirmation is a page test)
        page = commissioner_page
        page.goto(f"/evaluation/{ref}/letters/")
        check(page, axe, problems, "Letters to bidders")
        page.goto(f"/evaluation/{ref}/")
        assert page.get_by_role("button", name="Confirm the award").count() == 0
    call_off = CallOff.objects.get(pk=call_off.pk)
    assert call_off.awarded_at is None

    with travel(call_off.standstill_ends_at + timedelta(minutes=5)):
        page = commissioner_page
        sign_in_as(page, live_server, world.commissioner)
        page.goto(f"/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        press(page, "Confirm the award")
        page.wait_for_url(f"**/evaluation/{ref}/")
        check(page, axe, problems, "Evaluation")
        contract = Contract.objects.get(round__slug=f"call-off-{ref.lower()}")
        assert contract.reference in page.content()
        assert SupplyChainMember.objects.filter(contract=contract, organisation=subcontractor).exists()
        press(page, "See these contracts in the contract register (insights)", "link")
        assert f"round=call-off-{ref.lower()}" in page.url
        assert contract.lead_provider.name in page.locator("main").inner_text()
    assert not problems, "\n\n".join(problems)
