"""The public Opportunities pages: the list (filters, bad filters, order, time left, pagination, query counts), one
opportunity in each status, documents, the Atom feed, and asking a question. Sealed bids: no bidder's name and no
number of bids on any public page or the feed before the award (and only the winners after it)."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.models import CallOff, CallOffDocument, ClarificationQuestion
from dynamic_framework.calloffs.tests.factories import CallOffWorld, evaluate, pounds, travel
from dynamic_framework.calloffs.views import opportunities as views
from dynamic_framework.qualification.tests.factories import pdf

pytestmark = pytest.mark.django_db

LIST = "/opportunities/"
FEED = "/opportunities/feed.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


def text(response) -> str:
    """The page's words, without tags, spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words))


def titles(response) -> list[str]:
    found = re.findall(
        r'<h3 class="govuk-heading-s govuk-!-margin-bottom-1">\s*<a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )
    return [html.unescape(t) for t in found]


def page_url(call_off) -> str:
    return reverse("calloffs:opportunity", kwargs={"reference": call_off.reference})


@pytest.fixture
def world(reference_data):
    return CallOffWorld.build()


@pytest.fixture
def states(world):
    """Published call-offs in each public status (built through the services, the clock moved), and a draft."""
    now = timezone.now()
    out = {"draft": world.draft()}
    # Open, with bids from both providers, an answered and an unanswered question, an amendment and a document
    out["open"] = world.published()
    for org in world.providers:
        world.bid(org, out["open"])
    first, second = world.providers
    asked = services.ask_question(
        actor=world.admin(first),
        call_off=out["open"],
        organisation=first,
        question="Can the service run from our existing centre in Durham? We are Bidder Trust.",
    )
    services.answer_question(
        actor=world.commissioner,
        question=asked,
        published_question="Can the service run from a provider's existing centre?",
        answer="Yes, if the centre is women-only.",
    )
    services.ask_question(
        actor=world.admin(second), call_off=out["open"], organisation=second, question="A secret unanswered question?"
    )
    services.amend_call_off(
        actor=world.commissioner,
        call_off=out["open"],
        summary="The deadline is a week later.",
        deadline_at=out["open"].deadline_at + timedelta(days=7),
    )
    out["document"] = services.add_document(
        actor=world.commissioner, call_off=out["open"], title="Service specification", uploaded=pdf("spec.pdf")
    )
    with travel(now - timedelta(days=40)):
        out["closed"] = world.published()
        world.bid(first, out["closed"])
        out["evaluation"] = world.published()
        world.bid(first, out["evaluation"])
        out["cancelled"] = world.published()
        out["no_award"] = world.published()
    services.form_panel(actor=world.commissioner, call_off=out["evaluation"], members=world.evaluators)
    services.cancel_call_off(actor=world.commissioner, call_off=out["cancelled"], reason="The budget was withdrawn.")
    services.close_with_no_award(
        actor=world.commissioner, call_off=out["no_award"], reason="No bids met the minimum quality score."
    )
    with travel(now - timedelta(days=90)):
        out["standstill"] = world.published()
        out["awarded"] = world.published()
        for call_off in (out["standstill"], out["awarded"]):
            world.bid(first, call_off)
            world.bid(second, call_off, prices=(99_000, 119_000))
    with travel(now - timedelta(days=60)):
        for call_off in (out["standstill"], out["awarded"]):
            evaluate(world, call_off, scores={})
            services.recommend_award(actor=world.commissioner, call_off=call_off)
            services.approve_award(actor=world.approver, call_off=call_off)
    with travel(now - timedelta(days=40)):
        services.confirm_award(actor=world.commissioner, call_off=out["awarded"])
    # The standstill call-off: approved but not confirmed (standstill over, the commissioner has not confirmed yet)
    for value in out.values():
        value.refresh_from_db()
    return out


# The list --------------------------------------------------------------------------------------------------------


def test_the_list_shows_published_call_offs_open_ones_first_by_deadline(client, world):
    later = world.published(deadline_in_days=30)
    sooner = world.published(deadline_in_days=12)
    with travel(timezone.now() - timedelta(days=40)):
        closed = world.published()
    draft = world.draft()
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == [sooner.title, later.title, closed.title]
    assert draft.title not in text(response)


def test_each_row_says_what_where_how_much_and_how_long_is_left(client, world):
    call_off = world.published(deadline_in_days=12, lots=(("pcc_area", ["durham"]), ("pcc_area", ["northumbria"])))
    page = text(client.get(LIST))
    assert "Services Women" in page
    assert "North East: Durham; Northumbria" in page
    assert "Grant, up to £440,000 in total" in page  # two lots of £100,000 + £120,000
    assert "11 days left" in page  # 12 days ahead, less a moment
    assert "Open for bids" in page
    assert views.format_uk_datetime(call_off.deadline_at) in page


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(days=3, hours=2), "3 days left"),
        (timedelta(days=1, minutes=1), "1 day left"),
        (timedelta(hours=5, minutes=3), "5 hours left"),
        (timedelta(hours=1), "1 hour left"),
        (timedelta(minutes=20), "Less than an hour left"),
        (timedelta(0), "Closed"),
        (-timedelta(days=2), "Closed"),
    ],
)
def test_time_left_in_plain_words(delta, expected):
    now = timezone.now()
    assert views.time_left(now + delta, now) == expected


def test_filters_by_category_region_area_funding_and_status(client, world, reference_data):
    durham = world.published(lots=(("pcc_area", ["durham"]),))
    northumbria = world.published(lots=(("pcc_area", ["northumbria"]),), funding="contract")
    other = world.published(lots=(("pcc_area", ["cleveland"]),), categories=("accommodation",))
    with travel(timezone.now() - timedelta(days=40)):
        closed = world.published()
    every = {durham.title, northumbria.title, other.title, closed.title}
    assert set(titles(client.get(LIST))) == every
    assert set(titles(client.get(f"{LIST}?pcc_area=durham"))) == {durham.title, closed.title}
    assert set(titles(client.get(f"{LIST}?category=accommodation"))) == {other.title}
    assert set(titles(client.get(f"{LIST}?funding=contract"))) == {northumbria.title}
    assert set(titles(client.get(f"{LIST}?status=open"))) == every - {closed.title}
    assert set(titles(client.get(f"{LIST}?status=closed"))) == {closed.title}
    assert set(titles(client.get(f"{LIST}?region=A"))) == every
    assert titles(client.get(f"{LIST}?region=B")) == []
    assert "No opportunities match these filters." in text(client.get(f"{LIST}?region=B"))
    # The filters are kept in the URL of the feed and API links, and in the form
    response = client.get(f"{LIST}?pcc_area=durham&status=open")
    body = response.content.decode()
    assert 'href="/opportunities/feed.atom?pcc_area=durham&amp;status=open"' in body
    assert 'href="/api/v1/opportunities/?pcc_area=durham&amp;status=open"' in body
    assert '<option value="durham" selected>' in body


def test_bad_filters_are_errors_on_the_page_never_a_500(client, world):
    call_off = world.published()
    response = client.get(f"{LIST}?category=nothing&region=Z&pcc_area=nowhere&funding=loan&status=maybe&page=zz")
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    for message in (
        "Choose a service category from the list",
        "Choose a probation region from the list",
        "Choose a Police and Crime Commissioner area from the list",
        "Choose grant or contract",
        "Choose a status from the list",
    ):
        assert message in page
    assert titles(response) == [call_off.title]  # the bad filters are left out
    assert response.content.decode().count("<title>Error: ") == 1


def test_the_list_is_paginated_with_the_filters_kept(client, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for days in (11, 12, 13):
        world.published(deadline_in_days=days)
    first = client.get(f"{LIST}?status=open")
    assert len(titles(first)) == 2
    assert "page 1 of 2" in text(first)
    assert "status=open&amp;page=2" in first.content.decode()
    second = client.get(f"{LIST}?status=open&page=2")
    assert len(titles(second)) == 1


def test_the_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lots = (("pcc_area", ["durham"]), ("pcc_area", ["northumbria"]))
    for _number in range(2):
        world.published(lots=lots)
    with CaptureQueriesContext(connection) as two:
        assert len(titles(client.get(f"{LIST}?region=A"))) == 2
    for _number in range(10):
        world.published(lots=lots)
    with django_assert_max_num_queries(len(two.captured_queries)):
        response = client.get(f"{LIST}?region=A")
    assert len(titles(response)) == 12


def test_the_list_links_to_alerts_the_feed_and_the_api(client, world):
    body = client.get(LIST).content.decode()
    assert 'href="/opportunities/alerts/"' in body
    assert 'href="/opportunities/feed.atom"' in body
    assert 'href="/api/v1/opportunities/"' in body


# One opportunity ---------------------------------------------------------------------------------------------


def test_an_open_opportunity_has_everything_needed_to_decide_whether_to_bid(client, states):
    call_off = states["open"]
    response = client.get(page_url(call_off))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        call_off.title,
        call_off.summary,
        "Open for bids",
        "days left",
        "Grant",
        "Why: A grant suits a local women's centre",
        "Women on probation aged 18 or over",
        "24 months from",
        "It can be extended once, by 12 months.",
        "Lot 1: Durham",
        "£100,000",
        "£120,000",
        "£220,000",
        "40",
        "How will you work with women with complex needs?",
        "A good answer: A good answer shows trauma-informed",
        "Social value: How will your service benefit the local community?",
        "60 for quality, 30 for price and 10 for social value",
        "less than 50% of the quality marks",
        "Excellent: a strong, well-evidenced answer that adds value",
        "If two bids for a lot have the same total score",
        "lowest price divided by their price",
        views.format_uk_datetime(call_off.questions_close_at),
        views.format_uk_datetime(call_off.deadline_at),
        "All times are UK time.",
        "Service specification",
        "Change 1, published",
        "The deadline is a week later.",
        "Change 2, published",
        "Document added: Service specification",
        "Deadline for bids",
        "Can the service run from a provider's existing centre?",
        "Yes, if the centre is women-only.",
        "Find out how to join the Dynamic Framework",
        "named in a lead provider's supply chain",
    ):
        assert expected in page, expected
    for year in call_off.lots.get().years.all():
        assert f"{year.label} £{year.max_value_pence // 100:,}" in page
    # The document link, the amendment's before and after in UK time
    body = response.content.decode()
    assert f'href="/opportunities/{call_off.reference}/documents/{states["document"].pk}/"' in body
    amendment = call_off.amendments.get(number=1)
    assert views.format_uk_datetime(call_off.deadline_at) in page
    assert views.format_uk_datetime(call_off.deadline_at - timedelta(days=7)) in page
    assert amendment.summary in page
    # Never the question as asked, the unanswered one, or who asked
    assert "We are Bidder Trust" not in page
    assert "A secret unanswered question?" not in page


def test_bidders_are_never_named_or_counted_before_the_award(client, world, states):
    names = [org.name for org in world.providers]
    public = [LIST, FEED, f"{LIST}?status=closed", "/api/v1/opportunities/"]
    for status in ("open", "closed", "evaluation", "standstill", "cancelled", "no_award"):
        public += [page_url(states[status]), f"/api/v1/opportunities/{states[status].reference}/"]
    for path in public:
        body = client.get(path).content.decode()
        for name in names:
            assert name not in body, f"{name} on {path}"
            assert html.escape(name) not in body, f"{name} on {path}"
        assert not re.search(r"\b\d+ (bids|bidders)\b", body), path
        assert "number of bids" not in body.lower(), path
    # Signed in, the public pages are no different: the region's commissioners and a platform administrator do not
    # see who bid, and each bidder sees its own name (in "Your organisation") but never the other's.
    first, second = world.providers
    viewers = [
        (world.commissioner, names),
        (user_with_role("platform_administrator"), names),
        (world.admin(first), [second.name]),
        (world.admin(second), [first.name]),
    ]
    for user, hidden in viewers:
        client.force_login(user)
        for status in ("open", "closed", "evaluation", "standstill"):
            body = client.get(page_url(states[status])).content.decode()
            for name in hidden:
                assert name not in body and html.escape(name) not in body, f"{name} on {status} as {user}"


def test_the_winners_are_shown_once_the_award_is_confirmed_and_not_the_others(client, world, states):
    winner, loser = world.providers  # the loser's prices are higher with the same scores
    standstill = text(client.get(page_url(states["standstill"])))
    assert "Closed for bids" in standstill
    assert "Who won" not in standstill
    assert winner.name not in standstill
    awarded = text(client.get(page_url(states["awarded"])))
    assert "Awarded" in awarded
    assert "Who won" in awarded
    assert f"Lot 1: Durham {winner.name}" in awarded
    assert loser.name not in awarded


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("closed", ["Closed for bids", "Bids closed at", "The commissioner is evaluating the bids"]),
        ("evaluation", ["Closed for bids", "The commissioner is evaluating the bids"]),
        ("cancelled", ["Cancelled", "This call-off was cancelled on", "The budget was withdrawn."]),
        ("no_award", ["Closed with no award", "No bids met the minimum quality score."]),
        ("awarded", ["Awarded", "This call-off was awarded on"]),
    ],
)
def test_the_status_of_each_call_off(client, states, status, expected):
    page = text(client.get(page_url(states[status])))
    for words in expected:
        assert words in page, words
    assert "days left" not in page


def test_not_published_is_a_404_for_everyone_commissioners_included(client, world, states):
    for user in (None, world.commissioner, world.approver, world.admin(world.providers[0])):
        if user:
            client.force_login(user)
        assert client.get(page_url(states["draft"])).status_code == 404
    assert client.get("/opportunities/DFC-NOPE-NOPE/").status_code == 404


def test_a_provider_member_sees_which_lots_they_can_lead_and_links_to_bid_and_ask(client, world, reference_data):
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    call_off = world.published(lots=(("pcc_area", ["durham"]), ("pcc_area", ["cleveland"])))
    org = world.providers[0]
    client.force_login(world.admin(org))
    page = text(client.get(page_url(call_off)))
    assert f"{org.name} can lead a bid for: Lot 1: Durham" in page
    assert "Lot 2: Cleveland" in page  # in the lots section
    assert f"Start a bid for {org.name}" in page
    body = client.get(page_url(call_off)).content.decode()
    assert f'href="/opportunities/{call_off.reference}/bid/"' in body
    assert f'href="/opportunities/{call_off.reference}/ask/"' in body
    services.start_bid(actor=world.admin(org), call_off=call_off, organisation=org)
    assert f"Go to your bid for {org.name}" in text(client.get(page_url(call_off)))
    # An organisation not qualified is told it can be in a supply chain
    outsider = ProviderFactory(name="Small Unqualified CIC")
    client.force_login(user_with_role("provider_staff", organisation=outsider))
    page = text(client.get(page_url(call_off)))
    assert "Small Unqualified CIC is not qualified" in page
    assert "supply chain" in page
    assert f"/opportunities/{call_off.reference}/bid/" not in client.get(page_url(call_off)).content.decode()


def test_anonymous_visitors_see_no_bid_link_and_a_sign_in_link_to_ask(client, world):
    call_off = world.published()
    body = client.get(page_url(call_off)).content.decode()
    assert "/bid/" not in body
    assert "Sign in to ask a question" in body


def test_the_opportunity_page_makes_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = world.published()
    big = world.published(
        lots=(("pcc_area", ["durham"]), ("pcc_area", ["northumbria"]), ("pcc_area", ["cleveland"])),
        questions=((20, 300), (20, 300), (20, 300)),
    )
    for index in range(3):
        services.add_document(
            actor=world.commissioner, call_off=big, title=f"Document {index}", uploaded=pdf(f"doc{index}.pdf")
        )
    with CaptureQueriesContext(connection) as one:
        client.get(page_url(small))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(page_url(big)).status_code == 200


# Documents -------------------------------------------------------------------------------------------------------


def document_url(call_off, document) -> str:
    return reverse("calloffs:document", kwargs={"reference": call_off.reference, "pk": document.pk})


def test_a_published_document_is_sent_as_an_attachment(client, states):
    response = client.get(document_url(states["open"], states["document"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "spec.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_draft_document_only_for_commissioners_for_its_region(client, world, reference_data):
    draft = world.draft()
    document = services.add_document(actor=world.commissioner, call_off=draft, title="Draft spec", uploaded=pdf())
    url = document_url(draft, document)
    assert client.get(url).status_code == 404
    client.force_login(world.admin(world.providers[0]))
    assert client.get(url).status_code == 404
    from dynamic_framework.geography.models import Region

    client.force_login(user_with_role("commissioner", regions=[Region.objects.get(code="B")]))
    assert client.get(url).status_code == 404
    client.force_login(world.approver)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_removed_and_unknown_documents_404(client, states):
    call_off, document = states["open"], states["document"]
    CallOffDocument.objects.filter(pk=document.pk).update(removed_at=timezone.now())
    assert client.get(document_url(call_off, document)).status_code == 404
    assert f"/documents/{document.pk}/" not in client.get(page_url(call_off)).content.decode()
    assert client.get(f"/opportunities/{call_off.reference}/documents/999999/").status_code == 404
    # A document of another call-off is not found under this one
    other = states["closed"]
    assert client.get(f"/opportunities/{other.reference}/documents/{document.pk}/").status_code == 404


# The Atom feed ---------------------------------------------------------------------------------------------------


def entries(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_an_entry_for_each_published_call_off(client, states):
    found = entries(client.get(FEED))
    published = [c for c in states.values() if isinstance(c, CallOff) and c.published_at]
    assert len(found) == len(published)
    by_title = {e.find(f"{ATOM}title").text: e for e in found}
    assert states["draft"].title not in by_title
    entry = by_title[states["open"].title]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/opportunities/{states['open'].reference}/"
    assert states["open"].summary in entry.find(f"{ATOM}summary").text
    terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
    assert terms == {"Women", "North East"}
    # Amended (twice: the deadline, then the document): updated is the latest amendment's time
    latest = states["open"].amendments.order_by("-number").first()
    updated = datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    published = datetime.fromisoformat(entry.find(f"{ATOM}published").text)
    assert published == states["open"].published_at
    assert updated == latest.published_at
    assert updated > published
    # Newest first
    published_times = [e.find(f"{ATOM}published").text for e in found]
    assert published_times == sorted(published_times, reverse=True)


def test_the_feed_takes_the_list_filters_and_refuses_bad_ones(client, world, reference_data):
    durham = world.published(lots=(("pcc_area", ["durham"]),))
    world.published(lots=(("pcc_area", ["cleveland"]),))
    found = entries(client.get(f"{FEED}?pcc_area=durham"))
    assert [e.find(f"{ATOM}title").text for e in found] == [durham.title]
    response = client.get(f"{FEED}?region=Z")
    assert response.status_code == 400
    assert "Choose a probation region from the list" in response.content.decode()


def test_the_feed_has_at_most_50_entries(client, world, monkeypatch):
    monkeypatch.setattr(views, "FEED_SIZE", 2)
    for _number in range(3):
        world.published()
    assert len(entries(client.get(FEED))) == 2


# Asking a question -----------------------------------------------------------------------------------------------


def ask_url(call_off) -> str:
    return reverse("calloffs:ask", kwargs={"reference": call_off.reference})


def test_a_provider_asks_a_question_privately(client, world):
    call_off = world.published()
    org = world.providers[0]
    client.force_login(world.admin(org))
    page = text(client.get(ask_url(call_off)))
    assert "Your question goes to the commissioner only" in page
    assert "They do not say who asked" in page
    response = client.post(ask_url(call_off), {"question": "Is a women-only building required?"})
    assert response.status_code == 302
    asked = ClarificationQuestion.objects.get(call_off=call_off)
    assert (asked.organisation, asked.question) == (org, "Is a women-only building required?")
    page = text(client.get(ask_url(call_off)))
    assert "Is a women-only building required?" in page
    assert "Not answered yet" in page
    services.answer_question(
        actor=world.commissioner, question=asked, published_question="Is a women-only building needed?", answer="Yes."
    )
    page = text(client.get(ask_url(call_off)))
    assert "Answer, published for everyone" in page
    # Another organisation's questions are not shown
    client.force_login(world.admin(world.providers[1]))
    assert "Is a women-only building required?" not in text(client.get(ask_url(call_off)))


def test_an_empty_or_long_question_is_an_error(client, world):
    call_off = world.published()
    client.force_login(world.admin(world.providers[0]))
    response = client.post(ask_url(call_off), {"question": ""})
    assert response.status_code == 200
    assert "Enter your question" in text(response)
    response = client.post(ask_url(call_off), {"question": "word " * 301})
    assert "This must be 300 words or fewer" in text(response)
    assert "word word" in text(response)  # what was typed is kept
    assert not ClarificationQuestion.objects.filter(call_off=call_off).exists()


def test_a_member_of_several_organisations_chooses_which(client, world):
    from dynamic_framework.accounts.models import Role, RoleGrant

    call_off = world.published()
    first, second = world.providers
    admin = world.admin(first)
    RoleGrant.objects.create(user=admin, role=Role.PROVIDER_STAFF, organisation=second)
    client.force_login(admin)
    page = text(client.get(ask_url(call_off)))
    assert "Which organisation are you asking for?" in page
    response = client.post(ask_url(call_off), {"question": "A question?"})
    assert "Select the organisation you are asking for" in text(response)
    response = client.post(ask_url(call_off), {"question": "A question?", "organisation": "999999"})
    assert "Select one of your organisations" in text(response)
    response = client.post(ask_url(call_off), {"question": "A question?", "organisation": str(second.pk)})
    assert response.status_code == 302
    assert ClarificationQuestion.objects.get(call_off=call_off).organisation == second


def test_asking_is_refused_after_questions_close(client, world):
    call_off = world.published()
    with travel(call_off.questions_close_at + timedelta(minutes=1)):
        client.force_login(world.admin(world.providers[0]))  # (a session from 15 days ago has expired)
        page = text(client.get(ask_url(call_off)))
        assert "Questions closed at" in page
        assert "Send your question" not in page
        response = client.post(ask_url(call_off), {"question": "Too late?"})
        assert response.status_code == 200
        assert f"Questions closed at {views.format_uk_datetime(call_off.questions_close_at)}" in text(response)
        assert "Ask a question about this opportunity" not in text(client.get(page_url(call_off)))
    assert not ClarificationQuestion.objects.filter(call_off=call_off).exists()


def test_only_provider_members_may_ask(client, world, states):
    call_off = states["open"]
    response = client.get(ask_url(call_off))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    client.force_login(world.commissioner)
    assert client.get(ask_url(call_off)).status_code == 403
    client.force_login(world.admin(world.providers[0]))
    assert client.get(ask_url(states["draft"])).status_code == 404
    assert client.get(ask_url(call_off)).status_code == 200


def test_prices_are_pence_in_the_total(world):
    """The list's total is the sum of every lot's years, in pence (no floats)."""
    call_off = world.published(lots=(("pcc_area", ["durham"]), ("pcc_area", ["northumbria"])))
    row = views.opportunity_list(views.OpportunityFilters()).get(pk=call_off.pk)
    assert row.total_value_pence == 2 * (pounds(100_000) + pounds(120_000))
