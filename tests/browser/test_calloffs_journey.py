"""Issue 5's "Done when", end to end in a real browser and only through the web pages: from a commissioner's need
to an awarded grant in the contract register and on the insights pages.

Commissioner A creates a grant with two lots (values per financial year that ramp up), two quality questions with
weights, price and social value weights that make 100 with them, and a timetable; sends it for approval; commissioner
B (same region) approves and publishes it. It is on /opportunities/ and in the Atom feed. Provider 1 asks a question
that the commissioner answers: the answer is on the opportunity page, without who asked. Providers 1 and 2 each bid
(prices, answers and a supply chain: provider 1 names a new organisation by name, provider 2 finds one on the service)
and get a receipt with a SHA-256 digest; provider 2's subcontractor confirms from its invitation page. The clock
passes the deadline (time-machine moves it for the live server too): a late submission is refused. The commissioner
forms a panel of two evaluators, who declare no conflict and score every answer; the commissioner moderates; the
results rank the bids; commissioner A recommends, commissioner B approves, and each provider reads its letter. After
the standstill (the clock moves again), commissioner A confirms: the contracts exist with the winners' supply chains,
and the new commissioning round is on /insights/ with its contracts on /insights/contracts/.

Each person has their own browser context and signs in through /sign-in/ (again after the clock has moved weeks on,
as they would). axe-core checks every page they see for WCAG 2.2 AA. Everything is done with links, radios,
checkboxes, text boxes and submit buttons: nothing depends on a script. Evaluators open the link in the email the
service sends them (the live server runs in this process: emails land in django.core.mail.outbox)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail

pytestmark = pytest.mark.browser

TITLE = "Women's centre services in County Durham and Northumbria"
QUESTION = "Can the service be run from a church hall that men also use on other days?"
PUBLISHED_QUESTION = "Can the service be run from a building that men also use on other days?"
ANSWER = "Yes, if the space is women-only whenever the service is running."
NEW_PARTNER = "Hilltop Advice Collective"
PARTNER = "Tyne Peer Mentors CIC"


class Journey:
    """The people, their browser pages and what each page check found (reported together at the end)."""

    def __init__(self, make_context, axe):
        self.make_context, self.axe = make_context, axe
        self.problems: list[str] = []
        self.js_errors: list[str] = []

    def person(self):
        page = self.make_context().new_page()
        page.on("pageerror", lambda error: self.js_errors.append(f"{page.url}: {error}"))
        return page

    def check(self, page, heading: str, *, errors: bool = False):
        """One h1 with the expected text, a GOV.UK title, an error summary only when expected, no axe violations."""
        page.wait_for_load_state()
        h1 = page.locator("h1")
        if h1.count() != 1 or heading not in h1.inner_text():
            self.problems.append(f"{page.url}: h1 {h1.all_inner_texts()!r}, expected {heading!r}")
        if not re.search(r" – GOV\.UK$", page.title()):
            self.problems.append(f"{page.url}: title {page.title()!r}")
        summaries = page.locator(".govuk-error-summary")
        if (summaries.count() == 1) != errors:
            found = summaries.first.inner_text() if summaries.count() else ""
            self.problems.append(f"{page.url}: error summary {'missing' if errors else 'not expected'} {found!r}")
        try:
            self.axe(page)
        except AssertionError as error:
            self.problems.append(str(error))

    def sign_in(self, page, user):
        from dynamic_framework.accounts.tests.factories import PASSWORD

        page.context.clear_cookies()
        page.goto("/sign-in/")
        self.check(page, "Sign in")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account/")
        self.check(page, "Your account")


def press(page, name, role: str = "button", *, within: str = "body", **options):
    """Click a button (or link) that loads a page, and wait for that page. `within`: a CSS selector to look in."""
    with page.expect_navigation():
        page.locator(within).get_by_role(role, name=name, **options).click()


def choose(scope, group: str, label: str):
    """Check the radio or checkbox `label` in the fieldset whose legend is `group`."""
    scope.get_by_role("group", name=group, exact=True).get_by_label(label, exact=True).check()


def fill_date(page, prefix: str, day):
    page.locator(f"#id_{prefix}").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))


def emailed_link(address: str, subject_start: str) -> str:
    [message] = [m for m in mail.outbox if address in m.to and m.subject.startswith(subject_start)]
    return re.search(r"https?://\S+", message.body).group(0)


def pounds(amount: int) -> int:
    return amount * 100


def test_a_call_off_from_a_commissioners_need_to_an_awarded_grant_in_the_register(
    make_context, live_server, live_reference_data, axe, settings
):
    from django.utils import timezone

    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.calloffs.models import Bid, CallOff, SupplyChainInvitation
    from dynamic_framework.contracts.models import Contract, SupplyChainMember
    from dynamic_framework.core.time import UK
    from dynamic_framework.geography.models import Region
    from dynamic_framework.organisations.models import Organisation
    from dynamic_framework.organisations.tests.factories import ProviderFactory
    from dynamic_framework.qualification.tests.factories import confirm_email, qualify_directly

    settings.SITE_URL = live_server.url
    mail.outbox.clear()
    journey = Journey(make_context, axe)
    check, sign_in = journey.check, journey.sign_in

    # The people ------------------------------------------------------------------------------------------------
    north_east = Region.objects.get(code="A")
    commissioner_a = user_with_role(
        "commissioner", regions=[north_east], full_name="Grace Adams", email="grace.adams@example.org"
    )
    commissioner_b = user_with_role(
        "commissioner", regions=[north_east], full_name="Bilal Hussain", email="bilal.hussain@example.org"
    )
    evaluators = [
        user_with_role("evaluator", full_name="Alex Lee", email="alex.lee@example.org"),
        user_with_role("evaluator", full_name="Sam Jones", email="sam.jones@example.org"),
    ]
    manager = user_with_role("framework_manager", email="manager@example.org")
    providers, admins = [], []
    for name, person, email in (
        ("Wearside Women in Action", "Ann Lewis", "ann@wearside.example.org"),
        ("Tyneside Women Together", "Bea Carr", "bea@tyneside.example.org"),
    ):
        org = ProviderFactory(name=name)
        admins.append(
            confirm_email(user_with_role("provider_administrator", organisation=org, full_name=person, email=email))
        )
        qualify_directly(org, manager=manager, categories=["women"], areas=["durham", "northumbria"])
        providers.append(org)
    partner = ProviderFactory(name=PARTNER)
    partner_admin = confirm_email(
        user_with_role(
            "provider_administrator", organisation=partner, full_name="Cal Dodd", email="cal@tpm.example.org"
        )
    )
    first, second = providers

    today = timezone.now().astimezone(UK).date()
    questions_close_on, deadline_on = today + timedelta(days=9), today + timedelta(days=12)
    expected_award_on, term_start = today + timedelta(days=20), (today + timedelta(days=70)).replace(day=1)

    # 1. Commissioner A creates the call-off ------------------------------------------------------------------------
    grace = journey.person()
    sign_in(grace, commissioner_a)
    press(grace, "Your call-off competitions", "link")
    check(grace, "Your call-offs")
    press(grace, "Create a call-off")
    check(grace, "Create a call-off")
    grace.get_by_label("Title").fill(TITLE)
    grace.get_by_label("Summary").fill(
        "A women-only space for women on probation: key workers, peer groups and help to get to appointments."
    )
    choose(grace, "Service categories", "Women")
    choose(grace, "Probation region", "North East")
    choose(grace, "Will it be a grant or a contract?", "Grant")
    grace.get_by_label("Why a grant or a contract?").fill(
        "A grant: local women's centres run this best, and a grant can fund their core costs."
    )
    fill_date(grace, "term_start", term_start)
    grace.get_by_label("Length, in months").fill("36")
    grace.get_by_label("Options to extend (optional)").fill("12, 12")
    choose(grace, "Who the service is for", "Women")
    grace.get_by_label("Lowest age (optional)").fill("18")
    grace.get_by_label("Price weight").fill("30")
    grace.get_by_label("Social value weight").fill("10")
    grace.get_by_label("Social value question").fill("How will your service benefit women in the local area?")
    grace.get_by_label("Minimum quality score, as a percentage of the quality marks").fill("50")
    fill_date(grace, "questions_close_on", questions_close_on)
    grace.get_by_label("Time questions close").fill("17:00")
    fill_date(grace, "deadline_on", deadline_on)
    grace.get_by_label("Time of the deadline").fill("12:00")
    fill_date(grace, "expected_award_on", expected_award_on)
    press(grace, "Create the draft")
    check(grace, TITLE)
    call_off = CallOff.objects.get(title=TITLE)
    ref = call_off.reference
    assert grace.url.endswith(f"/call-offs/{ref}/")

    # Two lots, one PCC area each, with values that ramp up over three financial years
    press(grace, "Lots and their values", "link")
    check(grace, "Lots")
    for area, values, people in (
        ("Durham", ("60,000", "90,000", "120,000"), ("30", "45", "60")),
        ("Northumbria", ("40,000", "70,000", "80,000"), ("20", "35", "40")),
    ):
        choose(grace, "What the lot covers", "One Police and Crime Commissioner (PCC) area")
        choose(grace, "PCC areas", area)
        for row, (value, count) in enumerate(zip(values, people, strict=True), start=1):
            grace.locator(f"#id_value_{row}").fill(value)
            grace.locator(f"#id_people_{row}").fill(count)
        press(grace, "Add the lot")
        check(grace, "Lots")
    assert grace.get_by_role("heading", name="Lot 2: Northumbria").count() == 1
    assert grace.locator("table").get_by_text("£120,000").count() == 1

    # Quality questions with weights: with price and social value they make 100
    press(grace, "Back to the call-off", "link", within="main")
    check(grace, TITLE)
    press(grace, "Quality questions and weights", "link")
    check(grace, "Quality questions and weights")
    for question, guidance, words, weight in (
        (
            "How will you work with women with complex needs?",
            "Trauma-informed, women-only delivery, with evidence of what worked.",
            "300",
            "40",
        ),
        ("How will you make sure women keep coming?", "Practical help, like travel and childcare.", "200", "20"),
    ):
        grace.get_by_label("Question", exact=True).fill(question)
        grace.get_by_label("Scoring guidance (optional)").fill(guidance)
        grace.get_by_label("Word limit").fill(words)
        grace.get_by_label("Weight", exact=True).fill(weight)
        press(grace, "Add the question")
        check(grace, "Quality questions and weights")
    assert "quality 60 + price 30 + social value 10 = 100" in grace.locator("#running-total").inner_text()
    assert "The weights add up to 100." in grace.locator("#running-total").inner_text()

    # 2. Sent for approval; commissioner B approves and publishes -------------------------------------------------
    press(grace, "Back to the call-off", "link", exact=True)  # the back link
    check(grace, TITLE)
    press(grace, "Send for approval")
    check(grace, TITLE)
    assert "Sent for approval" in grace.locator(".govuk-notification-banner").inner_text()
    assert "Waiting for approval" in grace.locator("main").inner_text()
    assert grace.get_by_role("button", name="Approve and publish").count() == 0

    bilal = journey.person()
    sign_in(bilal, commissioner_b)
    press(bilal, "Your call-off competitions", "link")
    check(bilal, "Your call-offs")
    press(bilal, TITLE, "link")
    check(bilal, TITLE)
    press(bilal, "Approve and publish")
    check(bilal, "Approve and publish")
    assert "2 people at organisations qualified" in bilal.locator("#told").inner_text()
    press(bilal, "Approve and publish")
    check(bilal, TITLE)
    assert "Open for bids" in bilal.locator("main").inner_text()
    call_off.refresh_from_db()
    assert (call_off.submitted_for_approval_by, call_off.published_by) == (commissioner_a, commissioner_b)

    # 3. On the public Opportunities page and in the Atom feed ----------------------------------------------------
    visitor = journey.person()
    visitor.goto("/")
    check(visitor, "Buy and provide rehabilitation services")
    press(visitor, "Opportunities", "link", exact=True)
    check(visitor, "Opportunities")
    feed_url = visitor.get_by_role("link", name="Atom feed of these opportunities").get_attribute("href")
    feed = visitor.request.get(feed_url)
    assert feed.ok and "application/atom+xml" in feed.headers["content-type"]
    assert "County Durham and Northumbria" in feed.text()
    assert f"/opportunities/{ref}/" in feed.text()
    press(visitor, TITLE, "link")
    check(visitor, TITLE)
    assert "Lot 1: Durham" in visitor.locator("main").inner_text()

    # 4. Provider 1 asks a question; the commissioner answers it without saying who asked ------------------------
    ann = journey.person()
    sign_in(ann, admins[0])
    press(ann, "Opportunities", "link", exact=True)
    check(ann, "Opportunities")
    press(ann, TITLE, "link")
    check(ann, TITLE)
    press(ann, "Ask a question about this opportunity", "link")
    check(ann, "Ask a question")
    ann.get_by_label("Your question").fill(QUESTION)
    press(ann, "Send your question")
    check(ann, "Ask a question")
    assert "Your question has been sent" in ann.locator(".govuk-notification-banner").inner_text()

    grace.reload()
    check(grace, TITLE)
    assert "1 question asked" in grace.locator("main").inner_text()
    press(grace, "See the questions from providers", "link")
    check(grace, "Questions from providers")
    assert QUESTION in grace.locator("main").inner_text()
    assert first.name not in grace.content() and admins[0].email not in grace.content()
    press(grace, re.compile("^Answer this question"), "link")
    check(grace, "Answer a question")
    grace.get_by_label("The question as it will be published").fill(PUBLISHED_QUESTION)
    grace.get_by_label("Your answer").fill(ANSWER)
    press(grace, "Publish the answer")
    check(grace, "Questions from providers")

    visitor.reload()
    check(visitor, TITLE)
    answers = visitor.locator("main").inner_text()
    assert PUBLISHED_QUESTION in answers and ANSWER in answers
    for who in (first.name, admins[0].full_name, admins[0].email, QUESTION):
        assert who not in visitor.content(), who

    # 5. Both providers bid ---------------------------------------------------------------------------------------
    durham, northumbria = call_off.lots.order_by("position")
    quality_questions = list(call_off.quality_questions.order_by("position"))

    def bid(page, org, prices: dict, answers: list[str], social_value: str, add_partner):
        page.goto(f"/opportunities/{ref}/")
        check(page, TITLE)
        press(page, f"Start a bid for {org.name}", "link")
        check(page, "Bid for this opportunity")
        press(page, "Start your bid")
        check(page, "Lots and prices")
        for lot, amounts in prices.items():
            page.locator(f"#id_lot_{lot.pk}").check()
            for year, amount in zip(lot.years.order_by("financial_year"), amounts, strict=True):
                page.locator(f"#id_price_{lot.pk}_{year.financial_year}").fill(f"{amount:,}")
        press(page, "Save and continue")
        check(page, "Your answers")
        for question, text in zip(quality_questions, answers, strict=True):
            page.locator(f"#id_answer_{question.pk}").fill(text)
        page.locator("#id_social_value").fill(social_value)
        press(page, "Save and continue")
        check(page, "Your supply chain")
        add_partner(page)
        member = page.locator("#member-1")
        member.get_by_label("What they will do").fill("Peer mentoring for women leaving prison")
        choose(member, "Their share of the value", "A percentage of the value")
        member.get_by_label("Their share", exact=True).fill("15")
        choose(member, "How they will be paid", "A fixed fee")
        choose(member, "Are they a material subcontractor?", "Yes")
        press(page, "Save and continue", exact=True)
        check(page, "Your bid")
        assert "Your supply chain has been saved" in page.locator(".govuk-notification-banner").inner_text()
        press(page, "Submit your bid")
        check(page, "Bid received")
        submission = Bid.objects.get(call_off=call_off, organisation=org).latest_submission
        assert submission.receipt in page.locator(".govuk-panel").inner_text()
        assert page.locator("#digest").inner_text() == submission.digest
        assert re.fullmatch(r"[0-9a-f]{64}", submission.digest)
        return submission

    def new_by_name(page):
        page.locator("#member-1").get_by_label("Organisation name").fill(NEW_PARTNER)

    def found_on_the_service(page):
        page.get_by_label("Find an organisation on the service").fill("Tyne Peer")
        press(page, "Find", exact=True)
        check(page, "Your supply chain")
        press(page, f"Add {PARTNER}")
        check(page, "Your supply chain")

    first_receipt = bid(
        ann,
        first,
        {durham: (58_000, 88_000, 118_000), northumbria: (39_000, 69_000, 79_000)},
        [
            "Our women-only centre has trauma-informed key workers, and we work with the local refuge.",
            "We pay bus fares and run a creche on group days.",
        ],
        "We employ local women with lived experience as peer workers.",
        new_by_name,
    )
    assert Organisation.objects.filter(name=NEW_PARTNER, verified_at__isnull=True).exists()

    bea = journey.person()
    sign_in(bea, admins[1])
    second_receipt = bid(
        bea,
        second,
        {durham: (55_000, 85_000, 115_000)},
        [
            "Every key worker is trained in trauma-informed practice; 9 in 10 women finish their orders with us.",
            "We meet women where they are: home visits, a creche and free travel.",
        ],
        "Our peer mentors are paid, and half of them have been on probation themselves.",
        found_on_the_service,
    )
    assert first_receipt.digest != second_receipt.digest

    # Provider 2's subcontractor confirms from its invitation page
    cal = journey.person()
    sign_in(cal, partner_admin)
    press(cal, "Your bids and supply chain invitations", "link")
    check(cal, "Your bids")
    press(cal, f"{second.name}: {TITLE}", "link")
    check(cal, "You have been named in a bid")
    terms = cal.locator("main").inner_text()
    assert "Peer mentoring for women leaving prison" in terms and "15% of the value" in terms
    choose(cal, "Will your organisation take part?", "Yes, we confirm we will take part on these terms")
    press(cal, "Send your answer")
    check(cal, "You have been named in a bid")
    assert "You confirmed" in cal.locator("#answer").inner_text()
    assert SupplyChainInvitation.objects.get(organisation=partner).confirmed_at is not None

    # Provider 1 has its bid open to submit it again when the deadline passes
    ann.goto(f"/opportunities/{ref}/bid/")
    check(ann, "Your bid")
    assert ann.get_by_role("button", name="Submit your bid again").count() == 1

    # 6. The deadline passes ----------------------------------------------------------------------------------------
    with time_machine.travel(call_off.deadline_at + timedelta(seconds=1), tick=True):
        # A submission after the deadline is refused, and the bid stays as it was
        press(ann, "Submit your bid again")
        check(ann, "Your bid", errors=True)
        assert "The deadline for bids was" in ann.locator(".govuk-error-summary").inner_text()
        assert Bid.objects.get(call_off=call_off, organisation=first).submissions.count() == 1

        # The commissioner sees only the number of bids, then forms the panel
        sign_in(grace, commissioner_a)
        grace.goto(f"/call-offs/{ref}/")
        check(grace, TITLE)
        assert "2 bids received by the deadline" in grace.locator("#bid-count").inner_text()
        press(grace, "Evaluate the bids", "link")
        check(grace, "Evaluation")
        assert first.name not in grace.content() and second.name not in grace.content()
        press(grace, "Form the evaluation panel")
        check(grace, "The evaluation panel")
        for evaluator in evaluators:
            grace.get_by_label(re.compile(re.escape(evaluator.email))).check()
        press(grace, "Form the panel")
        check(grace, "Evaluation")
        assert first.name in grace.content() and second.name in grace.content()

        # Each evaluator opens the link in their email, declares no conflict and scores every answer
        criteria = [*quality_questions, None]
        scores = {first.name: 3, second.name: 4}
        for evaluator in evaluators:
            page = journey.person()
            sign_in(page, evaluator)
            page.goto(emailed_link(evaluator.email, "You are on the evaluation panel"))
            check(page, "Evaluation")
            for org in (first, second):
                press(page, f"Declare any conflict of interest with {org.name}", "link")
                check(page, "Declare any conflict of interest")
                choose(page, "Do you have a conflict of interest with any of these organisations?", "No")
                press(page, "Save my declaration")
                check(page, f"Score the bid from {org.name}")
                for item in criteria:
                    key = str(item.pk) if item else "social-value"
                    page.locator(f"input[name='answer-{key}-score'][value='{scores[org.name]}']").check()
                    page.locator(f"#id_answer-{key}-justification").fill(f"{evaluator.full_name}: clear evidence")
                press(page, "Save my scores")
                check(page, f"Score the bid from {org.name}")
                press(page, "Submit my scores")
                check(page, f"Score the bid from {org.name}")
                page.goto(f"/evaluation/{ref}/")
                check(page, "Evaluation")

        # Moderation: the commissioner records the agreed scores
        grace.reload()
        check(grace, "Evaluation")
        for org in (first, second):
            press(grace, f"See the scores and record the agreed scores for the bid from {org.name}", "link")
            check(grace, f"Moderate the scores for the bid from {org.name}")
            assert "Alex Lee: clear evidence" in grace.content() and "Sam Jones: clear evidence" in grace.content()
            for item in criteria:
                key = str(item.pk) if item else "social-value"
                grace.locator(f"input[name='agree-{key}-score'][value='{scores[org.name]}']").check()
                grace.locator(f"#id_agree-{key}-reason").fill("The panel agreed the evidence was clear.")
                press(grace, f"Save the agreed score for {f'question {item.position}' if item else 'social value'}")
                check(grace, f"Moderate the scores for the bid from {org.name}")
            press(grace, "Back to the evaluation", "link", within="main")
            check(grace, "Evaluation")

        # The results rank the bids: provider 2 wins Durham, provider 1 (the only bid) Northumbria
        press(grace, "See the results: scores and ranking for each lot", "link")
        check(grace, "Results")
        durham_ranking = grace.locator("#ranking-1 tbody tr")
        assert durham_ranking.count() == 2
        assert second.name in durham_ranking.nth(0).inner_text() and first.name in durham_ranking.nth(1).inner_text()
        assert first.name in grace.locator("#ranking-2 tbody tr").nth(0).inner_text()

        # Commissioner A recommends; commissioner B approves and the letters go
        press(grace, "Back to the evaluation", "link", exact=True)  # the back link
        check(grace, "Evaluation")
        press(grace, "Recommend the award")
        check(grace, "Evaluation")
        assert grace.get_by_role("button", name="Check and approve the award").count() == 0

        sign_in(bilal, commissioner_b)
        bilal.goto(f"/evaluation/{ref}/")
        check(bilal, "Evaluation")
        press(bilal, "Check and approve the award")
        check(bilal, "Approve the award")
        press(bilal, "Approve the award and send the letters")
        check(bilal, "Evaluation")
        assert "The standstill period ends at" in bilal.locator("#standstill-end").inner_text()

        # Each provider reads its letter
        for page, admin, org, outcome in (
            (ann, admins[0], first, "Your bid ranked 2 of 2."),
            (bea, admins[1], second, "Your bid ranked first. We intend to award this lot to you."),
        ):
            sign_in(page, admin)
            press(page, "Your bids and supply chain invitations", "link")
            check(page, "Your bids")
            press(page, f"Read your outcome letter for {TITLE}", "link")
            check(page, f"The outcome of {TITLE}")
            letter = page.locator(".app-letter").inner_text()
            assert f"Dear {org.name}," in letter and outcome in letter
            assert "The standstill period ends at" in letter
        assert "Your bid ranked first" in ann.locator(".app-letter").inner_text()  # Northumbria

        grace.reload()
        check(grace, "Evaluation")
        assert grace.get_by_role("button", name="Confirm the award").count() == 0

    # 7. After the standstill, commissioner A confirms: contracts in the register and on the insights pages --------
    call_off.refresh_from_db()
    with time_machine.travel(call_off.standstill_ends_at + timedelta(minutes=5), tick=True):
        sign_in(grace, commissioner_a)
        grace.goto(f"/evaluation/{ref}/")
        check(grace, "Evaluation")
        press(grace, "Confirm the award")
        check(grace, "Evaluation")
        contracts = {c.pcc_area.slug: c for c in Contract.objects.filter(round__slug=f"call-off-{ref.lower()}")}
        assert set(contracts) == {"durham", "northumbria"}
        assert contracts["durham"].lead_provider == second and contracts["northumbria"].lead_provider == first
        members = {
            slug: set(SupplyChainMember.objects.filter(contract=c).values_list("organisation__name", flat=True))
            for slug, c in contracts.items()
        }
        assert members == {"durham": {PARTNER}, "northumbria": {NEW_PARTNER}}
        assert contracts["durham"].award.value_pence == pounds(55_000 + 85_000 + 115_000)
        for contract in contracts.values():
            assert contract.reference in grace.locator("main").inner_text()

        press(grace, "See these contracts in the contract register (insights)", "link")
        check(grace, "Contracts behind a figure")
        assert f"round=call-off-{ref.lower()}" in grace.url
        listed = grace.locator("main").inner_text()
        for contract in contracts.values():
            assert contract.reference in listed and contract.lead_provider.name in listed

        visitor.goto(f"/insights/?round=call-off-{ref.lower()}")
        check(visitor, "Insights: who holds the contracts")
        assert visitor.get_by_label("Commissioning round").input_value() == f"call-off-{ref.lower()}"
        assert ref in visitor.locator("main").inner_text()

        visitor.goto(f"/opportunities/{ref}/")
        check(visitor, TITLE)
        assert visitor.get_by_role("heading", name="Who won").count() == 1

    assert not journey.problems, "\n\n".join(journey.problems)
    assert not journey.js_errors, "JavaScript errors in the page:\n" + "\n".join(journey.js_errors)
