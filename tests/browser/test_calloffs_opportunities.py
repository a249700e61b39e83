"""The public Opportunities pages in a real browser, with axe on each: the list filtered without JavaScript (and with
a bad filter), an opportunity in each status, the alerts form with an error and then subscribing, and a provider
asking a question (the error and the success)."""

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def opportunities(live_reference_data):
    from django.utils import timezone

    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.tests.factories import CallOffWorld, evaluate, travel
    from dynamic_framework.qualification.tests.factories import pdf

    world = CallOffWorld.build()
    first, second = world.providers
    durham = world.published(lots=(("pcc_area", ["durham"]),))
    services.add_document(actor=world.commissioner, call_off=durham, title="Specification", uploaded=pdf("spec.pdf"))
    asked = services.ask_question(
        actor=world.admin(first), call_off=durham, organisation=first, question="Can we use our own centre?"
    )
    services.answer_question(
        actor=world.commissioner,
        question=asked,
        published_question="Can a provider use its own centre?",
        answer="Yes, if it is women-only.",
    )
    northumbria = world.published(lots=(("pcc_area", ["northumbria"]),), funding="contract")
    now = timezone.now()
    with travel(now - timedelta(days=90)):
        awarded = world.published()
        world.bid(first, awarded)
        world.bid(second, awarded, prices=(99_000, 119_000))
    with travel(now - timedelta(days=60)):
        evaluate(world, awarded)
        services.recommend_award(actor=world.commissioner, call_off=awarded)
        services.approve_award(actor=world.approver, call_off=awarded)
    with travel(now - timedelta(days=40)):
        services.confirm_award(actor=world.commissioner, call_off=awarded)
        cancelled = world.published()
    services.cancel_call_off(actor=world.commissioner, call_off=cancelled, reason="The budget was withdrawn.")
    return {
        "world": world,
        "durham": durham,
        "northumbria": northumbria,
        "awarded": awarded,
        "cancelled": cancelled,
    }


def sign_in(page, user):
    from dynamic_framework.accounts.tests.factories import PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def test_the_list_filtered_without_javascript(make_context, live_server, opportunities):
    page = make_context(java_script_enabled=False).new_page()
    page.goto("/opportunities/")
    assert page.locator("h1").inner_text().strip() == "Opportunities"
    durham, northumbria = opportunities["durham"], opportunities["northumbria"]
    assert page.get_by_role("link", name=durham.title).count() == 1
    assert page.get_by_role("link", name=northumbria.title).count() == 1
    page.get_by_label("Police and Crime Commissioner area").select_option(label="Durham")
    page.get_by_label("Status").select_option(label="Open for bids now")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"/opportunities/\?.*pcc_area=durham"))
    assert page.get_by_role("link", name=northumbria.title).count() == 0
    assert "1 opportunity" in page.locator("#results-heading").inner_text()
    assert "pcc_area=durham" in page.get_by_role("link", name="Atom feed of these opportunities").get_attribute("href")
    page.get_by_role("link", name=durham.title).click()
    page.wait_for_url(f"**/opportunities/{durham.reference}/")
    assert page.locator("h1").inner_text().strip() == durham.title


def test_opportunity_pages_are_accessible(page, live_server, opportunities, axe):
    """axe runs in the page, so these are checked with JavaScript on; the pages are the same without it."""
    problems = []
    paths = [
        "/opportunities/",
        "/opportunities/?category=women&region=A&pcc_area=durham&funding=grant&status=open",
        "/opportunities/?region=Z&status=maybe",
        *(f"/opportunities/{opportunities[k].reference}/" for k in ("durham", "awarded", "cancelled")),
        "/opportunities/alerts/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        if page.locator("h1").count() != 1:
            problems.append(f"{path}: {page.locator('h1').count()} h1 elements")
        try:
            axe(page)
        except AssertionError as error:
            problems.append(str(error))
    assert not problems, "\n\n".join(problems)
    page.goto(f"/opportunities/{opportunities['awarded'].reference}/")
    assert page.get_by_role("heading", name="Who won").count() == 1


def test_the_alerts_form_with_an_error_then_subscribing(page, live_server, opportunities, axe):
    page.goto("/opportunities/alerts/")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Women").check()
    page.get_by_role("button", name="Send me the link to start alerts").click()
    assert page.get_by_text("There is a problem").count() == 1
    assert page.title().startswith("Error: ")
    axe(page)
    assert page.get_by_label("Women").is_checked()
    page.get_by_role("link", name="Enter an email address in the correct format, like name@example.org").click()
    page.get_by_label("Email address").fill("jo@small-charity.example")
    page.get_by_label("Durham").check()
    page.get_by_role("button", name="Send me the link to start alerts").click()
    assert page.locator("h1").inner_text().strip() == "Check your email"
    axe(page)


def test_a_provider_asks_a_question(page, live_server, opportunities, axe):
    world, durham = opportunities["world"], opportunities["durham"]
    sign_in(page, world.admin(world.providers[1]))
    page.goto(f"/opportunities/{durham.reference}/")
    axe(page)
    page.get_by_role("link", name="Ask a question about this opportunity").click()
    page.wait_for_url(f"**/opportunities/{durham.reference}/ask/")
    axe(page)
    page.get_by_role("button", name="Send your question").click()
    assert page.get_by_text("There is a problem").count() == 1
    axe(page)
    page.get_by_label("Your question").fill("Is there a TUPE list?")
    page.get_by_role("button", name="Send your question").click()
    assert page.get_by_text("Your question has been sent").count() == 1
    assert page.get_by_text("Is there a TUPE list?").count() == 1
    axe(page)
