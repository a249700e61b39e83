"""The bidding pages: starting a bid, lots and prices, answers, the supply chain, submitting (once per idempotency
key, never after the deadline), receipts, withdrawing and submitting again, the outcome letter, a subcontractor's
invitation, and the "Your bids" list with its query counts."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import Bid, BidSubmission, SupplyChainInvitation
from dynamic_framework.calloffs.tests.factories import after_deadline, evaluate, pounds, travel
from dynamic_framework.calloffs.views.bidding import time_left, uk_datetime_seconds
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.organisations.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's words, without tags, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def path(name, call_off, **kwargs) -> str:
    return reverse(f"calloffs:{name}", kwargs={"reference": call_off.reference, **kwargs})


def error_summary(response) -> str:
    body = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))) if match else ""


def draft_of(bid, user) -> dict:
    bid.refresh_from_db()
    return services.bid_content(bid, actor=user)


@pytest.fixture
def org(world):
    return world.providers[0]


@pytest.fixture
def admin(world, org, client):
    user = world.admin(org)
    client.force_login(user)
    return user


@pytest.fixture
def started(call_off, org, admin):
    return services.start_bid(actor=admin, call_off=call_off, organisation=org)


def lot_and_years(call_off):
    lot = call_off.lots.get()
    return lot, list(lot.years.all())


# Starting ------------------------------------------------------------------------------------------------------------


def test_a_qualified_provider_sees_a_start_page_and_starts_a_bid(client, call_off, org, admin):
    response = client.get(path("bid", call_off))
    assert response.status_code == 200
    assert "Start your bid" in text(response)
    assert "Lot 1: Durham" in text(response)
    assert not Bid.objects.filter(call_off=call_off).exists()
    response = client.post(path("bid", call_off))
    assert response.status_code == 302
    assert response["Location"] == path("bid-prices", call_off)
    assert Bid.objects.filter(call_off=call_off, organisation=org).count() == 1
    # Starting again (a double click) does not make a second bid
    client.post(path("bid", call_off))
    assert Bid.objects.filter(call_off=call_off, organisation=org).count() == 1


def test_an_organisation_not_qualified_is_told_plainly_and_can_still_be_a_subcontractor(client, call_off):
    outsider = ProviderFactory(name="Not Yet Qualified CIC")
    client.force_login(user_with_role("provider_administrator", organisation=outsider))
    response = client.get(path("bid", call_off))
    assert response.status_code == 200
    page = text(response)
    assert "Your organisation cannot lead a bid" in page
    assert "supply chain" in page
    assert "Start your bid" not in page
    response = client.post(path("bid", call_off))
    assert response.status_code == 200
    assert "not qualified on the Dynamic Framework" in error_summary(response)
    assert not Bid.objects.filter(organisation=outsider).exists()


def test_someone_in_two_organisations_chooses_which_one_bids(client, world, call_off):
    from dynamic_framework.accounts.tests.factories import RoleGrantFactory

    first, second = world.providers
    user = world.admin(first)
    RoleGrantFactory(user=user, role="provider_administrator", organisation=second)
    client.force_login(user)
    response = client.get(path("bid", call_off))
    assert "Which organisation is bidding?" in text(response)
    assert f"?organisation={second.slug}" in response.content.decode()
    response = client.post(path("bid", call_off) + f"?organisation={second.slug}")
    assert response["Location"] == path("bid-prices", call_off) + f"?organisation={second.slug}"
    assert Bid.objects.get(call_off=call_off).organisation == second
    assert client.get(path("bid-prices", call_off) + f"?organisation={second.slug}").status_code == 200
    assert client.get(path("bid", call_off) + "?organisation=not-mine").status_code == 404


# Lots and prices ------------------------------------------------------------------------------------------------------


def test_prices_are_typed_in_pounds_and_stored_in_pence(client, call_off, started, admin):
    lot, (first, second) = lot_and_years(call_off)
    response = client.get(path("bid-prices", call_off))
    page = text(response)
    assert f"The most it can cost in {first.label} is £100,000." in page
    assert f"The most it can cost in {second.label} is £120,000." in page
    response = client.post(
        path("bid-prices", call_off),
        {
            f"lot_{lot.pk}": "on",
            f"price_{lot.pk}_{first.financial_year}": "£90,000",
            f"price_{lot.pk}_{second.financial_year}": "110000.50",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == path("bid-answers", call_off)
    years = draft_of(started, admin)["lots"][str(lot.pk)]["years"]
    assert years == {str(first.financial_year): pounds(90_000), str(second.financial_year): 11_000_050}
    # The page shows them again as typed pounds
    response = client.get(path("bid-prices", call_off))
    assert 'value="110000.50"' in response.content.decode()


def test_a_price_above_the_published_value_is_refused_and_nothing_is_saved(client, call_off, started, admin):
    lot, (first, second) = lot_and_years(call_off)
    response = client.post(
        path("bid-prices", call_off),
        {
            f"lot_{lot.pk}": "on",
            f"price_{lot.pk}_{first.financial_year}": "100,001",
            f"price_{lot.pk}_{second.financial_year}": "50000",
        },
    )
    assert response.status_code == 200
    assert f"The price for {first.label} must be no more than the published value, £100,000" in error_summary(response)
    assert f'href="#id_price_{lot.pk}_{first.financial_year}"' in response.content.decode()
    assert 'value="100,001"' in response.content.decode()  # what was typed is kept
    assert response.content.decode().count("govuk-error-message") == 1
    assert draft_of(started, admin) == {}


@pytest.mark.parametrize("typed", ["ninety thousand", "12.345", "-5", "0"])
def test_a_price_that_is_not_money_is_refused(client, call_off, started, admin, typed):
    lot, (first, _second) = lot_and_years(call_off)
    response = client.post(
        path("bid-prices", call_off), {f"lot_{lot.pk}": "on", f"price_{lot.pk}_{first.financial_year}": typed}
    )
    assert response.status_code == 200
    assert error_summary(response)
    assert draft_of(started, admin) == {}


def test_a_lot_the_organisation_is_not_qualified_for_is_listed_but_cannot_be_chosen(
    client, world, org, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_off = world.published(lots=(("pcc_area", ["durham"]), ("pcc_area", ["cleveland"])))
    services.start_bid(actor=admin, call_off=call_off, organisation=org)
    durham, cleveland = call_off.lots.order_by("position")
    response = client.get(path("bid-prices", call_off))
    body = response.content.decode()
    assert f'name="lot_{durham.pk}"' in body
    assert f'name="lot_{cleveland.pk}"' not in body
    assert "you are not qualified in all of its areas" in text(response)


# Answers -------------------------------------------------------------------------------------------------------------


def test_answers_show_guidance_weights_and_word_limits_and_are_saved(client, call_off, started, admin):
    question = call_off.quality_questions.get()
    response = client.get(path("bid-answers", call_off))
    body = response.content.decode()
    assert 'data-maxwords="300"' in body
    assert "worth 60 of the 100 marks" in text(response)
    assert question.guidance in text(response)
    assert call_off.social_value_question in text(response)
    response = client.post(
        path("bid-answers", call_off),
        {f"answer_{question.pk}": "We run a women-only centre.", "social_value": "We hire local women."},
    )
    assert response.status_code == 302
    assert response["Location"] == path("bid-supply-chain", call_off)
    draft = draft_of(started, admin)
    assert draft["answers"] == {str(question.pk): "We run a women-only centre."}
    assert draft["social_value"] == "We hire local women."


def test_an_answer_over_its_word_limit_is_refused_and_nothing_is_saved(client, call_off, started, admin):
    question = call_off.quality_questions.get()
    response = client.post(
        path("bid-answers", call_off), {f"answer_{question.pk}": "word " * 301, "social_value": "Fine."}
    )
    assert response.status_code == 200
    assert "Your answer must be 300 words or fewer (it is 301 words)" in error_summary(response)
    assert draft_of(started, admin) == {}


def test_saving_one_part_keeps_the_others(client, call_off, started, admin, world):
    services.save_bid(actor=admin, bid=started, content=world.content(call_off))
    question = call_off.quality_questions.get()
    client.post(path("bid-answers", call_off), {f"answer_{question.pk}": "A new answer.", "social_value": "Yes."})
    draft = draft_of(started, admin)
    assert draft["answers"][str(question.pk)] == "A new answer."
    assert draft["lots"] == world.content(call_off)["lots"]


# Supply chain ---------------------------------------------------------------------------------------------------------


def member(n, **fields):
    return {f"sc-{n}-{key}": value for key, value in fields.items()}


def test_a_new_subcontractor_named_by_name_with_a_percentage(client, call_off, started, admin):
    response = client.get(path("bid-supply-chain", call_off))
    assert "marked as not checked yet" in text(response)
    assert "paid only if the agreed outcomes are achieved" in text(response)
    response = client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(
                1,
                name="Brand New Mentoring CIC",
                role="Peer mentoring",
                share_type="percent",
                share_value="12.5",
                payment_terms="payment_by_results",
                material="yes",
            ),
        },
    )
    assert response.status_code == 302, error_summary(response)
    new = Organisation.objects.get(name="Brand New Mentoring CIC")
    assert new.verified_at is None  # unverified: "not checked yet"
    assert draft_of(started, admin)["supply_chain"] == [
        {
            "organisation": new.pk,
            "name": "Brand New Mentoring CIC",
            "role": "Peer mentoring",
            "share_type": "percent",
            "share_value": 1250,
            "payment_terms": "payment_by_results",
            "material": True,
        }
    ]
    # Shown again with the organisation chosen and the percentage as typed
    response = client.get(path("bid-supply-chain", call_off))
    body = response.content.decode()
    assert f'name="sc-1-organisation" value="{new.pk}"' in body
    assert 'value="12.5"' in body
    assert "Told when you submit" in text(response)


@pytest.mark.parametrize(
    ("typed", "stored"), [("15", 1500), ("15%", 1500), ("0.25", 25), ("100", 10_000), ("33.33", 3333)]
)
def test_percentages_are_stored_as_basis_points(client, call_off, started, admin, typed, stored):
    client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(1, name="Percent Partners", role="Advice", share_type="percent", share_value=typed),
            **member(1, payment_terms="fixed_fee", material="no"),
        },
    )
    assert draft_of(started, admin)["supply_chain"][0]["share_value"] == stored


@pytest.mark.parametrize("typed", ["101", "0", "12.345", "a lot"])
def test_a_percentage_that_cannot_be_right_is_refused(client, call_off, started, admin, typed):
    response = client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(1, name="Percent Partners", role="Advice", share_type="percent", share_value=typed),
            **member(1, payment_terms="fixed_fee", material="no"),
        },
    )
    assert response.status_code == 200
    assert "Subcontractor 1:" in error_summary(response)
    assert 'href="#id_sc-1-share_value"' in response.content.decode()
    assert draft_of(started, admin) == {}
    assert not Organisation.objects.filter(name="Percent Partners").exists()


def test_an_amount_in_pounds_is_stored_in_pence(client, call_off, started, admin, world):
    services.save_bid(actor=admin, bid=started, content=world.content(call_off))
    client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(1, name="Amount Allies", role="Advice", share_type="amount", share_value="£25,000.50"),
            **member(1, payment_terms="pass_through", material="no"),
        },
    )
    entry = draft_of(started, admin)["supply_chain"][0]
    assert (entry["share_type"], entry["share_value"]) == ("amount", 2_500_050)


def test_a_half_filled_subcontractor_shows_each_problem_and_saves_nothing(client, call_off, started, admin):
    response = client.post(path("bid-supply-chain", call_off), {"rows": "2", **member(2, name="Half Done Trust")})
    assert response.status_code == 200
    summary = error_summary(response)
    for message in (
        "Subcontractor 2: Say what they will do",
        "Subcontractor 2: Choose whether their share is a percentage or an amount in pounds",
        "Subcontractor 2: Choose how they will be paid",
        "Subcontractor 2: Say whether they are a material subcontractor",
    ):
        assert message in summary
    assert "Subcontractor 1" not in summary  # a blank row is ignored
    assert 'value="Half Done Trust"' in response.content.decode()
    assert draft_of(started, admin) == {}
    assert not Organisation.objects.filter(name="Half Done Trust").exists()


def test_the_services_refusals_are_shown_on_the_row(client, call_off, started, admin, org):
    response = client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(1, name=org.name, role="Everything", share_type="percent", share_value="10"),
            **member(1, payment_terms="fixed_fee", material="no"),
        },
    )
    assert response.status_code == 200
    assert "Subcontractor 1: The lead provider cannot be in its own supply chain" in error_summary(response)
    assert draft_of(started, admin) == {}


def test_add_another_and_remove_work_without_javascript_and_save_nothing(client, call_off, started, admin):
    typed = member(1, name="First Friends", role="Advice", share_type="percent", share_value="10")
    response = client.post(path("bid-supply-chain", call_off), {"rows": "1", "add": "1", **typed})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="rows" value="2"' in body
    assert 'name="sc-2-name"' in body
    assert 'value="First Friends"' in body
    assert "govuk-error-message" not in body
    response = client.post(
        path("bid-supply-chain", call_off),
        {"rows": "2", "remove": "1", **typed, **member(2, name="Second Sisters")},
    )
    body = response.content.decode()
    assert 'name="rows" value="1"' in body
    assert 'name="sc-1-name" type="text" value="Second Sisters"' in body or 'value="Second Sisters"' in body
    assert "First Friends" not in body
    assert draft_of(started, admin) == {}
    # At most ten
    rows = {"rows": "10", "add": "1"}
    body = client.post(path("bid-supply-chain", call_off), rows).content.decode()
    assert 'name="rows" value="10"' in body
    assert "Add another subcontractor" not in body


def test_find_an_organisation_on_the_service_and_add_it(client, world, call_off, started, admin):
    other = world.providers[1]
    response = client.post(path("bid-supply-chain", call_off), {"rows": "1", "search": "1", "q": other.name[:8]})
    body = response.content.decode()
    assert f'name="pick" value="{other.pk}"' in body
    assert f'name="pick" value="{started.organisation_id}"' not in body  # not the lead itself
    response = client.post(path("bid-supply-chain", call_off), {"rows": "1", "pick": str(other.pk)})
    body = response.content.decode()
    assert f'name="sc-1-organisation" value="{other.pk}"' in body
    response = client.post(
        path("bid-supply-chain", call_off),
        {
            "rows": "1",
            **member(1, organisation=str(other.pk), name=other.name, role="Housing advice", share_type="percent"),
            **member(1, share_value="20", payment_terms="pass_through", material="no"),
        },
    )
    assert response.status_code == 302
    assert draft_of(started, admin)["supply_chain"][0]["organisation"] == other.pk
    assert client.post(path("bid-supply-chain", call_off), {"rows": "1", "pick": "999999"}).status_code == 404


def test_each_members_answer_is_shown(client, world, call_off, org, admin):
    other = world.providers[1]
    entry = {
        "organisation": other.pk,
        "role": "Housing advice",
        "share_type": "percent",
        "share_value": 2000,
        "payment_terms": "pass_through",
        "material": False,
    }
    bid = world.bid(org, call_off, supply_chain=[entry])
    invitation = SupplyChainInvitation.objects.get(bid=bid)
    assert "Waiting for their answer" in text(client.get(path("bid-supply-chain", call_off)))
    services.respond_to_invitation(actor=world.admin(other), invitation=invitation, confirm=True)
    assert "Confirmed" in text(client.get(path("bid-supply-chain", call_off)))
    assert "Confirmed" in text(client.get(path("bid", call_off)))


# The bid page, submitting ---------------------------------------------------------------------------------------------


def idempotency_key(response) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', response.content.decode()).group(1)


def test_the_bid_page_is_a_task_list_with_the_deadline_and_time_left(client, call_off, started):
    response = client.get(path("bid", call_off))
    page = text(response)
    assert response.status_code == 200
    assert "govuk-task-list" in response.content.decode()
    assert "Lots and prices" in page and "Quality and social value answers" in page and "Supply chain" in page
    assert "Draft: not submitted" in page
    assert "(UK time)" in page and "from now" in page
    assert "Complete every part of your bid before you submit it." in page
    # A fresh key each time the page is shown
    assert idempotency_key(response) != idempotency_key(client.get(path("bid", call_off)))


def test_submitting_twice_with_the_same_key_gives_one_receipt(client, world, call_off, started, admin):
    services.save_bid(actor=admin, bid=started, content=world.content(call_off), complete=True)
    response = client.get(path("bid", call_off))
    assert "Complete every part" not in text(response)
    key = idempotency_key(response)
    first = client.post(path("bid-submit", call_off), {"idempotency_key": key})
    second = client.post(path("bid-submit", call_off), {"idempotency_key": key})
    submission = BidSubmission.objects.get(bid=started)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == path("bid-receipt", call_off, receipt=submission.receipt)
    # Another key (the page shown again) is another submission
    client.post(path("bid-submit", call_off), {"idempotency_key": idempotency_key(client.get(path("bid", call_off)))})
    assert BidSubmission.objects.filter(bid=started).count() == 2


def test_an_incomplete_bid_is_not_submitted_and_the_errors_link_to_the_parts(client, call_off, started):
    response = client.post(path("bid-submit", call_off), {"idempotency_key": "a-key"})
    assert response.status_code == 200
    assert "Your bid has not been submitted" in text(response)
    body = response.content.decode()
    assert f'href="{path("bid-prices", call_off)}' in body
    assert f'href="{path("bid-answers", call_off)}#id_answer_' in body
    assert "Choose at least one lot to bid for" in error_summary(response)
    assert not BidSubmission.objects.exists()


def test_a_submission_one_second_late_is_refused_with_the_deadline(client, world, call_off, started, admin):
    services.save_bid(actor=admin, bid=started, content=world.content(call_off), complete=True)
    key = idempotency_key(client.get(path("bid", call_off)))
    with travel(call_off.deadline_at + timedelta(seconds=1)):
        client.force_login(admin)  # (the session from 20 days ago has expired)
        response = client.post(path("bid-submit", call_off), {"idempotency_key": key})
    assert response.status_code == 200
    assert "The deadline for bids was" in error_summary(response)
    assert not BidSubmission.objects.exists()


def test_after_the_deadline_the_bid_is_read_only(client, world, call_off, org, admin):
    world.bid(org, call_off)
    with after_deadline(call_off):
        client.force_login(admin)
        response = client.get(path("bid", call_off))
        page = text(response)
        assert "Your bid can no longer be changed, submitted or withdrawn" in page
        assert "Submit your bid" not in page and "Withdraw your bid" not in page
        assert 'name="idempotency_key"' not in response.content.decode()
        assert "We run a women-only centre" in page  # their own bid, still readable
        for part in ("bid-prices", "bid-answers", "bid-supply-chain", "bid-withdraw"):
            assert client.get(path(part, call_off))["Location"] == path("bid", call_off)
        lot, (first, _second) = lot_and_years(call_off)
        response = client.post(
            path("bid-prices", call_off), {f"lot_{lot.pk}": "on", f"price_{lot.pk}_{first.financial_year}": "1"}
        )
        assert response.status_code == 302


def test_a_cancelled_call_off_shows_the_bid_read_only_with_the_reason(client, world, call_off, org, admin):
    world.bid(org, call_off)
    services.cancel_call_off(actor=world.commissioner, call_off=call_off, reason="The need has changed")
    page = text(client.get(path("bid", call_off)))
    assert "This call-off was cancelled on" in page and "The need has changed" in page
    assert "Submit your bid" not in page
    assert client.get(path("bid-prices", call_off))["Location"] == path("bid", call_off)


def test_staff_can_prepare_a_bid_but_only_administrators_submit(client, world, call_off, org, started):
    staff = user_with_role("provider_staff", organisation=org)
    client.force_login(staff)
    services.save_bid(actor=staff, bid=started, content=world.content(call_off), complete=True)
    response = client.get(path("bid", call_off))
    assert "Only your organisation's administrators can submit a bid" in text(response)
    assert 'name="idempotency_key"' not in response.content.decode()
    assert client.post(path("bid-submit", call_off), {"idempotency_key": "staff-key"}).status_code == 403
    assert not BidSubmission.objects.exists()


def test_the_receipt_shows_the_reference_the_time_to_the_second_and_the_digest(client, world, call_off, org, admin):
    bid = world.bid(org, call_off)
    submission = bid.latest_submission
    response = client.get(path("bid-receipt", call_off, receipt=submission.receipt))
    page = text(response)
    assert response.status_code == 200
    assert "govuk-panel--confirmation" in response.content.decode()
    assert submission.receipt in page
    assert submission.digest in page
    assert uk_datetime_seconds(submission.submitted_at) in page
    assert re.search(r"at \d{1,2}:\d\d:\d\d[ap]m", page)
    assert "a fingerprint of exactly what you sent" in page
    assert "What happens next" in page
    # The bid page shows the latest receipt
    response = client.get(path("bid", call_off))
    assert submission.receipt in text(response) and submission.digest in text(response)
    assert "Submitted" in text(response)
    assert client.get(path("bid-receipt", call_off, receipt="BID-NOPE-NOPE")).status_code == 404


def test_withdraw_then_submit_again_before_the_deadline(client, world, call_off, org, admin):
    bid = world.bid(org, call_off)
    response = client.get(path("bid-withdraw", call_off))
    assert "you can change it and submit it again at any time before the deadline" in text(response)
    response = client.post(path("bid-withdraw", call_off))
    assert response["Location"] == path("bid", call_off)
    bid.refresh_from_db()
    assert not bid.is_live
    response = client.get(path("bid", call_off))
    assert "Withdrawn" in text(response)
    assert "You can submit it again before the deadline" in text(response)
    # Nothing to withdraw now: back to the bid
    assert client.get(path("bid-withdraw", call_off))["Location"] == path("bid", call_off)
    key = idempotency_key(response)
    response = client.post(path("bid-submit", call_off), {"idempotency_key": key})
    bid.refresh_from_db()
    assert bid.is_live
    assert bid.submissions.count() == 2
    assert response["Location"] == path("bid-receipt", call_off, receipt=bid.latest_submission.receipt)
    # The first receipt still opens, marked as no longer counting
    first = bid.submissions.get(number=1)
    assert "it no longer counts" in text(client.get(path("bid-receipt", call_off, receipt=first.receipt)))


def test_after_a_change_to_the_call_off_the_bidder_is_asked_to_submit_again(client, world, call_off, org, admin):
    world.bid(org, call_off)
    services.amend_call_off(
        actor=world.commissioner,
        call_off=call_off,
        summary="The service is for women aged 18 and over.",
        cohort_note="Women aged 18 and over.",
    )
    page = text(client.get(path("bid", call_off)))
    assert "submit again to confirm your bid" in page
    assert "The service is for women aged 18 and over." in page
    assert "Submit again: the call-off changed" in text(client.get(reverse("calloffs:your-bids")))


def test_changing_a_submitted_bid_says_to_submit_again(client, world, call_off, org, admin):
    bid = world.bid(org, call_off)
    assert "You have changed your bid since you submitted it" not in text(client.get(path("bid", call_off)))
    content = world.content(call_off, prices=(80_000, 100_000))
    services.save_bid(actor=admin, bid=bid, content=content)
    assert "You have changed your bid since you submitted it" in text(client.get(path("bid", call_off)))


# The outcome ----------------------------------------------------------------------------------------------------------


def test_the_outcome_letter_is_shown_only_to_the_bidder_once_the_award_is_approved(client, world, org, admin):
    from django.utils import timezone

    now = timezone.now()
    with travel(now - timedelta(days=60)):
        call_off = world.published()
        world.bid(org, call_off)
        world.bid(world.providers[1], call_off, prices=(95_000, 115_000))
    with travel(now - timedelta(days=30)):
        evaluate(world, call_off)
        services.recommend_award(actor=world.commissioner, call_off=call_off)
        assert client.get(path("outcome", call_off)).status_code == 404  # recommended, not approved
        services.approve_award(actor=world.approver, call_off=call_off)
    response = client.get(path("outcome", call_off))
    assert response.status_code == 200
    page = text(response)
    assert f"Dear {org.name}," in page
    assert "The standstill period ends at" in page
    assert "Outcome available" in text(client.get(reverse("calloffs:your-bids")))
    # The other bidder sees its own letter, not this one
    client.force_login(world.admin(world.providers[1]))
    page = text(client.get(path("outcome", call_off)))
    assert f"Dear {world.providers[1].name}," in page and f"Dear {org.name}," not in page
    for user in (world.commissioner, world.evaluators[0], world.manager):
        client.force_login(user)
        assert client.get(path("outcome", call_off)).status_code == 404


# A subcontractor's invitation -----------------------------------------------------------------------------------------


@pytest.fixture
def invited(world, call_off, django_capture_on_commit_callbacks):
    """providers[0]'s bid names providers[1] (20%, pass-through) and a third organisation (a secret amount)."""
    lead, sub = world.providers
    third = ProviderFactory(name="Third Party Trust")
    bid = world.bid(
        lead,
        call_off,
        supply_chain=[
            {
                "organisation": sub.pk,
                "role": "Mentoring for women leaving prison",
                "share_type": "percent",
                "share_value": 2000,
                "payment_terms": "pass_through",
                "material": True,
            },
            {
                "organisation": third.pk,
                "role": "Secret role of the third party",
                "share_type": "amount",
                "share_value": pounds(12_345),
                "payment_terms": "fixed_fee",
                "material": False,
            },
        ],
    )
    return bid, SupplyChainInvitation.objects.get(bid=bid, organisation=sub)


def test_the_invitation_shows_who_named_them_and_only_their_own_terms(client, world, call_off, invited):
    bid, invitation = invited
    lead, sub = world.providers
    client.force_login(world.admin(sub))
    response = client.get(reverse("calloffs:invitation", kwargs={"pk": invitation.pk}))
    page = text(response)
    assert response.status_code == 200
    assert f"{lead.name} has named {sub.name}" in page
    assert "Mentoring for women leaving prison" in page
    assert "20% of the value" in page
    assert "A share of what the lead provider is paid (pass-through)" in page
    for secret in ("Third Party Trust", "Secret role", "£12,345", "£90,000", "women-only centre", "local women"):
        assert secret not in page


def test_a_subcontractor_confirms_or_declines(client, world, invited):
    _bid, invitation = invited
    sub = world.providers[1]
    client.force_login(world.admin(sub))
    url = reverse("calloffs:invitation", kwargs={"pk": invitation.pk})
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose whether your organisation will take part" in error_summary(response)
    invitation.refresh_from_db()
    assert invitation.confirmed_at is None and invitation.declined_at is None
    assert client.post(url, {"response": "confirm"})["Location"] == url
    invitation.refresh_from_db()
    assert invitation.confirmed_at is not None
    assert "You confirmed" in text(client.get(url))
    client.post(url, {"response": "decline"})
    invitation.refresh_from_db()
    assert invitation.declined_at is not None and invitation.confirmed_at is None


def test_the_invitation_is_a_404_for_everyone_else(client, world, invited):
    _bid, invitation = invited
    url = reverse("calloffs:invitation", kwargs={"pk": invitation.pk})
    for user in (world.admin(world.providers[0]), world.commissioner, world.manager, world.evaluators[0]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"response": "confirm"}).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_after_the_deadline_the_invitation_cannot_be_answered(client, world, call_off, invited):
    _bid, invitation = invited
    client.force_login(world.admin(world.providers[1]))
    url = reverse("calloffs:invitation", kwargs={"pk": invitation.pk})
    with after_deadline(call_off):
        client.force_login(world.admin(world.providers[1]))
        page = text(client.get(url))
        assert "your answer can no longer be changed" in page
        client.post(url, {"response": "confirm"})
    invitation.refresh_from_db()
    assert invitation.confirmed_at is None


# Your bids ------------------------------------------------------------------------------------------------------------


def test_your_bids_lists_bids_and_invitations(client, world, call_off, invited):
    lead, sub = world.providers
    client.force_login(world.admin(lead))
    page = text(client.get(reverse("calloffs:your-bids")))
    assert call_off.title in page and call_off.reference in page
    assert "Submitted" in page
    assert invited[0].latest_submission.receipt in page
    client.force_login(world.admin(sub))
    page = text(client.get(reverse("calloffs:your-bids")))
    assert f"{lead.name}: {call_off.title}" in page
    assert "Mentoring for women leaving prison" in page
    assert "Waiting for your answer" in page
    assert "Secret role" not in page
    client.force_login(world.commissioner)
    assert client.get(reverse("calloffs:your-bids")).status_code == 403


def _many(world, org, sub, count):
    """`count` call-offs, each with org's submitted bid naming sub in its supply chain."""
    for _i in range(count):
        call_off = world.published()
        world.bid(
            org,
            call_off,
            supply_chain=[
                {
                    "organisation": sub.pk,
                    "role": "Advice",
                    "share_type": "percent",
                    "share_value": 1000,
                    "payment_terms": "fixed_fee",
                    "material": False,
                }
            ],
        )


@pytest.mark.parametrize("count", [2, 12])
def test_your_bids_makes_the_same_number_of_queries_however_many_rows(
    client, world, count, django_assert_max_num_queries
):
    lead, sub = world.providers
    _many(world, lead, sub, count)
    for user, expected in ((world.admin(lead), f"{count} bids"), (world.admin(sub), f"{count} invitations")):
        client.force_login(user)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("calloffs:your-bids"))
        assert response.status_code == 200, expected


def test_your_bids_is_paginated(client, world):
    lead, sub = world.providers
    _many(world, lead, sub, 21)
    client.force_login(world.admin(lead))
    response = client.get(reverse("calloffs:your-bids"))
    assert "govuk-pagination" in response.content.decode()
    assert text(client.get(reverse("calloffs:your-bids") + "?page=2")).count("Women's centre services") == 1
    client.force_login(world.admin(sub))
    response = client.get(reverse("calloffs:your-bids") + "?invitations_page=2")
    assert response.status_code == 200
    assert "invitations_page=1" in response.content.decode()


def test_the_status_on_your_bids_agrees_with_the_service(client, world, call_off, org, admin):
    from django.db.models import OuterRef, Subquery
    from django.utils import timezone

    from dynamic_framework.calloffs.models import Amendment
    from dynamic_framework.calloffs.views.bidding import _bid_status

    bid = world.bid(org, call_off)
    services.amend_call_off(actor=world.commissioner, call_off=call_off, summary="Older.", cohort_note="Over 21.")
    latest = Amendment.objects.filter(call_off=OuterRef("call_off")).order_by("-published_at").values("published_at")
    annotated = Bid.objects.annotate(at=Subquery(latest[:1])).select_related("latest_submission").get(pk=bid.pk)
    code, _label, _colour = _bid_status(annotated, call_off, timezone.now(), latest_amendment_at=annotated.at)
    assert services.needs_reconfirmation(bid) is True
    assert code == "resubmit"


# Helpers --------------------------------------------------------------------------------------------------------------


def test_time_left_in_words():
    from datetime import datetime

    from django.utils import timezone as tz

    now = datetime(2026, 5, 1, 9, 0, tzinfo=tz.get_current_timezone())
    assert time_left(now + timedelta(days=14, hours=3), now) == "14 days and 3 hours"
    assert time_left(now + timedelta(days=1), now) == "1 day"
    assert time_left(now + timedelta(hours=2, minutes=5), now) == "2 hours and 5 minutes"
    assert time_left(now + timedelta(minutes=1, seconds=30), now) == "1 minute"
    assert time_left(now + timedelta(seconds=40), now) == "40 seconds"
    assert time_left(now - timedelta(seconds=1), now) == ""


def test_receipt_times_are_uk_time_to_the_second():
    from datetime import UTC, datetime

    assert uk_datetime_seconds(datetime(2026, 7, 1, 18, 13, 5, tzinfo=UTC)) == "1 July 2026 at 7:13:05pm"
    assert uk_datetime_seconds(datetime(2026, 1, 1, 0, 0, 9, tzinfo=UTC)) == "1 January 2026 at 12:00:09am"
