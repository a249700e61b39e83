"""Bidding in a real browser, with axe-core (WCAG 2.2 AA) on every page and on its error states: a provider starts a
bid, prices a lot (a price above the maximum first), answers the questions, builds a supply chain (one organisation
found on the service, one new by name with a percentage), submits and gets a receipt, withdraws and sees Your bids;
the subcontractor answers its invitation; and a bidder reads its outcome letter. One test walks it all (each
browser test reloads the database)."""

from datetime import timedelta

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser


def sign_in_as(context, live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def check(page, axe, *, heading: str | None = None, errors: bool = False):
    page.wait_for_load_state("load")  # a form posted back to the same URL: wait for the new page
    assert page.locator("h1").count() == 1
    if heading:
        assert heading in page.locator("h1").inner_text()
    assert (page.locator(".govuk-error-summary").count() == 1) == errors
    axe(page)


@pytest.fixture
def bidding(live_reference_data):
    """Two qualified providers, an open call-off, and an older call-off whose award is approved (letters sent)."""
    from django.utils import timezone

    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.tests.factories import CallOffWorld, evaluate, travel

    world = CallOffWorld.build()
    lead, sub = world.providers
    now = timezone.now()
    with travel(now - timedelta(days=60)):
        awarded = world.published()
        world.bid(lead, awarded)
        world.bid(sub, awarded, prices=(95_000, 115_000))
    with travel(now - timedelta(days=30)):
        evaluate(world, awarded)
        services.recommend_award(actor=world.commissioner, call_off=awarded)
        services.approve_award(actor=world.approver, call_off=awarded)
    call_off = world.published()
    return {"world": world, "lead": lead, "sub": sub, "call_off": call_off, "awarded": awarded}


def test_a_bid_from_start_to_receipt_an_invitation_and_an_outcome(make_context, live_server, bidding, axe):
    from dynamic_framework.calloffs.models import Bid, SupplyChainInvitation
    from dynamic_framework.organisations.models import Organisation

    world, lead, sub, call_off = bidding["world"], bidding["lead"], bidding["sub"], bidding["call_off"]
    ref = call_off.reference
    lot = call_off.lots.get()
    first, second = lot.years.all()
    question = call_off.quality_questions.get()
    page = make_context().new_page()
    sign_in_as(page.context, live_server, world.admin(lead))

    # The start page
    page.goto(f"/opportunities/{ref}/bid/")
    check(page, axe, heading="Bid for this opportunity")
    page.get_by_role("button", name="Start your bid").click()

    # Lots and prices: a price above the maximum is refused, then a good one saved
    assert page.url.endswith(f"/opportunities/{ref}/bid/prices/")
    check(page, axe, heading="Lots and prices")
    page.locator(f"#id_lot_{lot.pk}").check()
    page.locator(f"#id_price_{lot.pk}_{first.financial_year}").fill("100,001")
    page.locator(f"#id_price_{lot.pk}_{second.financial_year}").fill("110000")
    page.get_by_role("button", name="Save and continue").click()
    check(page, axe, errors=True)
    assert "no more than the published value, £100,000" in page.locator(".govuk-error-summary").inner_text()
    page.locator(f"#id_price_{lot.pk}_{first.financial_year}").fill("90,000")
    page.get_by_role("button", name="Save and continue").click()

    # Answers: over the word limit first
    assert page.url.endswith(f"/opportunities/{ref}/bid/answers/")
    check(page, axe, heading="Your answers")
    page.locator(f"#id_answer_{question.pk}").fill("word " * (question.word_limit + 1))
    page.locator("#id_social_value").fill("We employ local women with lived experience.")
    page.get_by_role("button", name="Save and continue").click()
    check(page, axe, errors=True)
    page.locator(f"#id_answer_{question.pk}").fill("We run a women-only centre with trauma-informed staff.")
    page.get_by_role("button", name="Save and continue").click()

    # Supply chain: find an organisation on the service, add a new one by name, a mistake first
    assert page.url.endswith(f"/opportunities/{ref}/bid/supply-chain/")
    check(page, axe, heading="Your supply chain")
    page.get_by_label("Find an organisation on the service").fill(sub.name[:8])
    page.get_by_role("button", name="Find", exact=True).click()
    check(page, axe)
    page.get_by_role("button", name=f"Add {sub.name}").click()
    check(page, axe)
    page.locator("#id_sc-1-role").fill("Mentoring for women leaving prison")
    page.locator("#id_sc-1-share_type").check()
    page.locator("#id_sc-1-share_value").fill("20")
    page.locator("#id_sc-1-payment_terms-2").check()
    page.locator("#id_sc-1-material").check()
    page.get_by_role("button", name="Add another subcontractor").click()
    check(page, axe)
    page.locator("#id_sc-2-name").fill("Brand New Mentoring CIC")
    page.locator("#id_sc-2-role").fill("Peer support")
    page.locator("#id_sc-2-share_type").check()
    page.locator("#id_sc-2-share_value").fill("101")
    page.locator("#id_sc-2-payment_terms-3").check()
    page.locator("#id_sc-2-material-2").check()
    page.get_by_role("button", name="Save and continue").last.click()
    check(page, axe, errors=True)
    assert "Subcontractor 2: Their share cannot be more than 100%" in page.locator(".govuk-error-summary").inner_text()
    page.locator("#id_sc-2-share_value").fill("12.5")
    page.get_by_role("button", name="Save and continue").last.click()

    # The bid page: a task list, then submit and the receipt
    assert page.url.endswith(f"/opportunities/{ref}/bid/")
    check(page, axe, heading="Your bid")
    assert Organisation.objects.filter(name="Brand New Mentoring CIC", verified_at__isnull=True).exists()
    page.get_by_role("button", name="Submit your bid").click()
    check(page, axe, heading="Bid received")
    bid = Bid.objects.get(call_off=call_off, organisation=lead)
    assert bid.latest_submission.receipt in page.locator(".govuk-panel").inner_text()
    assert bid.latest_submission.digest == page.locator("#digest").inner_text()

    # Withdraw, then the bid page and Your bids
    page.goto(f"/opportunities/{ref}/bid/")
    check(page, axe, heading="Your bid")
    page.get_by_role("button", name="Withdraw your bid").click()
    check(page, axe, heading="Are you sure you want to withdraw your bid?")
    page.get_by_role("button", name="Withdraw your bid").click()
    check(page, axe, heading="Your bid")
    assert "Withdrawn" in page.locator("#bid-status").inner_text()
    page.goto("/bids/")
    check(page, axe, heading="Your bids")

    # The outcome letter of the older call-off
    page.goto(f"/opportunities/{bidding['awarded'].reference}/outcome/")
    check(page, axe, heading="The outcome of")
    assert f"Dear {lead.name}," in page.locator("main").inner_text()

    # The subcontractor answers its invitation: nothing chosen first
    invitation = SupplyChainInvitation.objects.get(bid=bid, organisation=sub)
    sub_page = make_context().new_page()
    sign_in_as(sub_page.context, live_server, world.admin(sub))
    sub_page.goto("/bids/")
    check(sub_page, axe, heading="Your bids")
    sub_page.get_by_role("link", name=f"{lead.name}: {call_off.title}").click()
    check(sub_page, axe, heading="You have been named in a bid")
    assert "20% of the value" in sub_page.locator("main").inner_text()
    assert "Brand New Mentoring CIC" not in sub_page.locator("main").inner_text()
    sub_page.get_by_role("button", name="Send your answer").click()
    check(sub_page, axe, errors=True)
    sub_page.get_by_label("Yes, we confirm we will take part on these terms").check()
    sub_page.get_by_role("button", name="Send your answer").click()
    check(sub_page, axe, heading="You have been named in a bid")
    invitation.refresh_from_db()
    assert invitation.confirmed_at is not None


def test_choosing_the_organisation_an_incomplete_submission_and_an_organisation_that_cannot_lead(
    make_context, live_server, bidding, axe
):
    from dynamic_framework.accounts.tests.factories import RoleGrantFactory, user_with_role
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    world, lead, sub = bidding["world"], bidding["lead"], bidding["sub"]
    ref = bidding["call_off"].reference
    # Someone in two organisations chooses which one bids; submitting an empty bid lists what is missing
    both = world.admin(lead)
    RoleGrantFactory(user=both, role="provider_administrator", organisation=sub)
    page = make_context().new_page()
    sign_in_as(page.context, live_server, both)
    page.goto(f"/opportunities/{ref}/bid/")
    check(page, axe, heading="Which organisation is bidding?")
    page.get_by_role("link", name=f"Start a bid for {sub.name}").click()
    check(page, axe, heading="Bid for this opportunity")
    page.get_by_role("button", name="Start your bid").click()
    page.get_by_role("link", name="Back to your bid").click()
    check(page, axe, heading="Your bid")
    page.get_by_role("button", name="Submit your bid").click()
    check(page, axe, heading="Your bid", errors=True)
    assert "Choose at least one lot to bid for" in page.locator(".govuk-error-summary").inner_text()
    page.locator(".govuk-error-summary").get_by_role("link", name="Choose at least one lot to bid for").click()
    assert f"/opportunities/{ref}/bid/prices/?organisation={sub.slug}" in page.url

    # An organisation not qualified for any lot is told plainly
    outsider = user_with_role("provider_administrator", organisation=ProviderFactory(name="Not Yet Qualified CIC"))
    page = make_context().new_page()
    sign_in_as(page.context, live_server, outsider)
    page.goto(f"/opportunities/{ref}/bid/")
    check(page, axe, heading="Your organisation cannot lead a bid")
