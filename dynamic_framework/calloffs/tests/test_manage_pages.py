"""Commissioners' call-off pages: the list, creating and changing a draft, lots, quality questions, documents,
sending for approval, four-eyes approval, amending, cancelling, no award and copying.

Sealed bids: the overview never names a bidder, and shows the number of bids only after the deadline. The
question pages (test_manage_questions.py) never show who asked."""

import html as html_module
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.calloffs import services
from dynamic_framework.calloffs.forms_manage import CallOffForm, parse_time, uk_datetime
from dynamic_framework.calloffs.models import CallOff, CallOffDocument, Lot, LotYear, QualityQuestion
from dynamic_framework.calloffs.tests.factories import CallOffWorld, after_deadline, pounds
from dynamic_framework.categories.models import ServiceCategory
from dynamic_framework.geography.models import Region


@pytest.fixture
def world(reference_data):
    return CallOffWorld.build(providers=1)


def body(response) -> str:
    """The page's HTML with entities decoded (so that "Women's" reads as typed)."""
    return html_module.unescape(response.content.decode())


def page(name, call_off=None, **kwargs):
    if call_off is not None:
        kwargs["reference"] = call_off.reference
    return reverse(f"calloffs:{name}", kwargs=kwargs or None)


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def create_data(**overrides) -> dict:
    """A complete create form, with a deadline of 12:00 on 15 July next year (British Summer Time)."""
    year = timezone.now().year + 1
    data = {
        "title": "Women's centre services in County Durham",
        "summary": "A women-only space for women on probation.",
        "categories": ["women"],
        "region": "A",
        "co_commissioner": "",
        "funding_mechanism": "grant",
        "funding_reason": "A local women's centre: a grant funds its core costs.",
        **_date("term_start", date(year, 10, 1)),
        "term_months": "24",
        "extension_months": "12, 12",
        "cohort_sex": "women",
        "cohort_min_age": "18",
        "cohort_max_age": "25",
        "cohort_note": "Young women leaving custody",
        "price_weight": "30",
        "social_value_weight": "10",
        "social_value_question": "How will the local community benefit?",
        "social_value_word_limit": "300",
        "minimum_quality_percent": "50",
        **_date("questions_close_on", date(year, 7, 1)),
        "questions_close_time": "5pm",
        **_date("deadline_on", date(year, 7, 15)),
        "deadline_time": "12:00",
        **_date("expected_award_on", date(year, 8, 1)),
        "standstill_days": "10",
    }
    data.update(overrides)
    return data


def edit_data(call_off, **overrides) -> dict:
    initial = CallOffForm.initial_for(call_off)
    data = {}
    for key, value in initial.items():
        if isinstance(value, date):
            data.update(_date(key, value))
        elif value is None:
            data[key] = ""
        else:
            data[key] = value if isinstance(value, list) else str(value)
    data.update(overrides)
    return data


def another_region():
    return Region.objects.exclude(code="A").order_by("code").first()


# The list ------------------------------------------------------------------------------------------------------


def test_the_list_is_for_commissioners_only(client, world):
    assert client.get(page("list")).status_code == 302
    client.force_login(user_with_role("provider_administrator"))
    assert client.get(page("list")).status_code == 403
    client.force_login(world.commissioner)
    response = client.get(page("list"))
    assert response.status_code == 200
    assert "Create a call-off" in body(response)


def _quick_call_off(world, actor, region, title):
    deadline = timezone.now() + timedelta(days=30)
    return services.create_call_off(
        actor=actor,
        region=region,
        title=title,
        summary="Summary.",
        categories=list(ServiceCategory.objects.filter(slug="women")),
        funding_mechanism="grant",
        funding_reason="Reason.",
        term_start=(deadline + timedelta(days=60)).date(),
        term_months=12,
        questions_close_at=deadline - timedelta(days=2),
        deadline_at=deadline,
        expected_award_on=(deadline + timedelta(days=10)).date(),
    )


def test_the_list_shows_only_the_commissioners_regions_with_status_and_uk_deadline(client, world):
    mine = _quick_call_off(world, world.commissioner, world.region, "Mine in the North East")
    elsewhere = user_with_role("commissioner", regions=[another_region()])
    _quick_call_off(world, elsewhere, another_region(), "Somebody else's region")
    client.force_login(world.commissioner)
    html = body(client.get(page("list")))
    assert "Mine in the North East" in html
    assert mine.reference in html
    assert "Somebody else's region" not in html
    assert "North East" in html and "Grant" in html and "Draft" in html


def test_the_list_filters_by_status(client, world):
    _quick_call_off(world, world.commissioner, world.region, "A plain draft")
    published = world.published()
    client.force_login(world.commissioner)
    html = body(client.get(page("list") + "?status=published"))
    assert published.title in html
    assert "A plain draft" not in html
    html = body(client.get(page("list") + "?status=draft"))
    assert "A plain draft" in html and published.title not in html
    assert "Open for bids (1)" in html and "Draft (1)" in html
    assert client.get(page("list") + "?status=nonsense").status_code == 200


def test_the_list_makes_the_same_number_of_queries_for_2_or_12_call_offs(client, world, django_assert_max_num_queries):
    client.force_login(world.commissioner)
    for number in range(2):
        _quick_call_off(world, world.commissioner, world.region, f"Call-off {number}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(page("list")).status_code == 200
    for number in range(2, 12):
        _quick_call_off(world, world.commissioner, world.region, f"Call-off {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = body(client.get(page("list")))
    assert "Call-off 11" in html
    assert len(few.captured_queries) <= 10


# Creating ---------------------------------------------------------------------------------------------------------


def test_creating_a_call_off_converts_uk_times_and_redirects_to_it(client, world):
    client.force_login(world.commissioner)
    response = client.post(page("create"), create_data())
    call_off = CallOff.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page("detail", call_off)
    year = timezone.now().year + 1
    # 12:00 on a summer date is British Summer Time: 11:00 UTC.
    assert call_off.deadline_at == datetime(year, 7, 15, 11, 0, tzinfo=UTC)
    assert call_off.questions_close_at == datetime(year, 7, 1, 16, 0, tzinfo=UTC)
    assert call_off.region == world.region
    assert call_off.extension_months == [12, 12]
    assert (call_off.cohort_sex, call_off.cohort_min_age, call_off.cohort_max_age) == ("women", 18, 25)
    assert (call_off.price_weight, call_off.social_value_weight, call_off.standstill_days) == (30, 10, 10)
    assert [c.slug for c in call_off.categories.all()] == ["women"]
    assert call_off.created_by == world.commissioner


def test_winter_times_are_gmt():
    assert uk_datetime(date(2027, 1, 15), parse_time("12:00")) == datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
    assert parse_time("5:30pm").hour == 17 and parse_time("midday").hour == 12 and parse_time("00:15").minute == 15
    with pytest.raises(ValueError):
        uk_datetime(date(2027, 3, 28), parse_time("1:30am"))  # the clocks go forward: 1:30am does not happen


def test_the_create_page_explains_grants_and_contracts_and_offers_only_the_commissioners_regions(client, world):
    client.force_login(world.commissioner)
    html = body(client.get(page("create")))
    assert "Use a grant unless you need a contract" in html
    assert "What the voluntary sector asks for".lower() in html.lower()
    assert 'value="A"' in html
    assert f'value="{another_region().code}"' not in html.split('name="region"')[-1][:200]
    assert html.count('name="categories"') == ServiceCategory.objects.count() == 14


def test_bad_input_shows_errors_keeps_what_was_typed_and_saves_nothing(client, world):
    client.force_login(world.commissioner)
    data = create_data(title="", deadline_time="25:99", price_weight="lots", term_start_month="")
    response = client.post(page("create"), data)
    html = body(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a title" in html
    assert "Enter the time of the deadline like 12:00, 17:30 or 5:30pm" in html
    assert "Enter the price weight as a whole number from 0 to 100" in html
    assert "The start date must include a month" in html
    assert 'value="25:99"' in html and "A women-only space for women on probation." in html
    assert not CallOff.objects.exists()


def test_questions_must_close_before_the_deadline(client, world):
    client.force_login(world.commissioner)
    year = timezone.now().year + 1
    response = client.post(page("create"), create_data(**_date("questions_close_on", date(year, 7, 20))))
    assert "Questions must close on or before the deadline for bids" in body(response)
    assert not CallOff.objects.exists()


def test_a_region_the_commissioner_does_not_commission_for_is_refused(client, world):
    client.force_login(world.commissioner)
    response = client.post(page("create"), create_data(region=another_region().code))
    assert "You can only create call-offs for the regions you commission for" in body(response)
    assert not CallOff.objects.exists()


def test_only_commissioners_may_create(client, world):
    client.force_login(world.evaluators[0])
    assert client.get(page("create")).status_code == 403
    assert client.post(page("create"), create_data()).status_code == 403
    assert not CallOff.objects.exists()


# Changing a draft -------------------------------------------------------------------------------------------------


def test_a_draft_can_be_changed(client, world):
    call_off = world.draft()
    client.force_login(world.commissioner)
    assert client.get(page("edit", call_off)).status_code == 200
    response = client.post(page("edit", call_off), edit_data(call_off, title="A better title", deadline_time="09:30"))
    assert response.status_code == 302
    call_off.refresh_from_db()
    assert call_off.title == "A better title"
    assert timezone.localtime(call_off.deadline_at).strftime("%H:%M") == "09:30"  # UK time, as typed


def test_changing_a_draft_with_errors_saves_nothing(client, world):
    call_off = world.draft()
    client.force_login(world.commissioner)
    response = client.post(page("edit", call_off), edit_data(call_off, title="", categories=[]))
    html = body(response)
    assert "Enter a title" in html and "Select at least one service category" in html
    call_off.refresh_from_db()
    assert call_off.title.startswith("Women's centre services")


def test_a_published_call_off_is_changed_by_amendment_not_edit(client, world):
    call_off = world.published()
    client.force_login(world.commissioner)
    response = client.get(page("edit", call_off), follow=True)
    assert "change it with an amendment" in body(response)


def test_a_commissioner_of_another_region_gets_403_and_unknown_references_404(client, world):
    call_off = world.draft()
    client.force_login(user_with_role("commissioner", regions=[another_region()]))
    for name in ("detail", "edit", "lots", "criteria", "documents", "amend", "cancel", "questions", "approve"):
        assert client.get(page(name, call_off)).status_code == 403, name
    assert client.post(page("submit-for-approval", call_off)).status_code == 403
    assert client.post(page("copy", call_off)).status_code == 403
    assert CallOff.objects.count() == 1
    client.force_login(world.commissioner)
    assert client.get(page("detail", reference="DFC-NONE-XXXX")).status_code == 404


# Lots ----------------------------------------------------------------------------------------------------------------


def _lot_rows(*rows):
    data = {}
    for number, (year, value, people) in enumerate(rows, start=1):
        data.update({f"year_{number}": year, f"value_{number}": value, f"people_{number}": people})
    return data


def test_a_ramp_up_is_stored_in_pence(client, world):
    call_off = _quick_call_off(world, world.commissioner, world.region, "Ramp-up")
    client.force_login(world.commissioner)
    html = body(client.get(page("lots", call_off)))
    assert "Durham" in html and "Northumbria" in html and "Cleveland" in html
    data = {
        "kind": "region",
        **_lot_rows(
            ("2027", "545,000", "100"),
            ("2028", "£1,200,000", "220"),
            ("2029", "1700000", "300"),
            ("2030", "1,800,000.00", ""),
        ),
    }
    response = client.post(page("lots", call_off), data)
    assert response.status_code == 302
    lot = call_off.lots.get()
    assert lot.kind == Lot.Kind.REGION
    assert [(y.financial_year, y.max_value_pence, y.expected_people) for y in lot.years.all()] == [
        (2027, 54_500_000, 100),
        (2028, 120_000_000, 220),
        (2029, 170_000_000, 300),
        (2030, 180_000_000, None),
    ]
    html = body(client.get(page("lots", call_off)))
    assert "£1,800,000" in html and "2030-31" in html


def test_lot_errors_are_shown_and_nothing_is_saved(client, world):
    call_off = _quick_call_off(world, world.commissioner, world.region, "Errors")
    client.force_login(world.commissioner)
    response = client.post(
        page("lots", call_off), {"kind": "pcc_area", "pcc_areas": ["durham"], **_lot_rows(("2027", "lots", "10"))}
    )
    html = body(response)
    assert "Enter the most it can cost in pounds, like 545,000" in html
    assert 'value="lots"' in html
    response = client.post(
        page("lots", call_off),
        {"kind": "pcc_area", "pcc_areas": ["durham"], **_lot_rows(("2027", "1000", ""), ("2029", "1000", ""))},
    )
    assert "Give the financial years one after another, with none missing" in body(response)
    response = client.post(
        page("lots", call_off),
        {"kind": "pcc_area", "pcc_areas": ["durham", "cleveland"], **_lot_rows(("2027", "1", ""))},
    )
    assert "A lot for one PCC area covers exactly one area" in body(response)
    assert not Lot.objects.exists() and not LotYear.objects.exists()


def test_a_lots_values_can_be_changed_and_a_lot_removed(client, world):
    call_off = world.draft()
    lot = call_off.lots.get()
    client.force_login(world.commissioner)
    html = body(client.get(page("lot", call_off, pk=lot.pk)))
    assert 'value="100,000"' in html
    first = lot.years.first().financial_year
    response = client.post(page("lot", call_off, pk=lot.pk), _lot_rows((str(first), "150,000", "45")))
    assert response.status_code == 302
    assert [(y.max_value_pence, y.expected_people) for y in lot.years.all()] == [(pounds(150_000), 45)]
    assert client.get(page("lot", call_off, pk=999999)).status_code == 404
    assert client.get(page("remove-lot", call_off, pk=lot.pk)).status_code == 405
    assert client.post(page("remove-lot", call_off, pk=lot.pk)).status_code == 302
    assert not call_off.lots.exists()


# Quality questions ---------------------------------------------------------------------------------------------------


def test_quality_questions_with_the_running_total_the_scale_and_the_tie_break(client, world):
    call_off = _quick_call_off(world, world.commissioner, world.region, "Criteria")
    call_off.price_weight, call_off.social_value_weight = 30, 10
    call_off.save()
    client.force_login(world.commissioner)
    html = body(client.get(page("criteria", call_off)))
    assert "quality 0 + price 30 + social value 10 = 40" in html
    assert "Excellent: a strong, well-evidenced answer that adds value" in html
    assert "the one with the higher quality score ranks higher" in html
    response = client.post(
        page("criteria", call_off),
        {
            "question": "How will you keep women safe?",
            "guidance": "Trauma-informed.",
            "word_limit": "400",
            "weight": "60",
        },
    )
    assert response.status_code == 302
    html = body(client.get(page("criteria", call_off)))
    assert "quality 60 + price 30 + social value 10 = 100" in html
    question = call_off.quality_questions.get()
    response = client.post(
        page("criterion", call_off, pk=question.pk),
        {"question": "How will you keep women safe?", "guidance": "", "word_limit": "400", "weight": "0"},
    )
    assert "Enter the weight as a whole number from 1 to 100" in body(response)
    question.refresh_from_db()
    assert question.weight == 60
    client.post(
        page("criterion", call_off, pk=question.pk),
        {"question": "How will you keep women safe?", "guidance": "", "word_limit": "400", "weight": "55"},
    )
    question.refresh_from_db()
    assert question.weight == 55
    assert client.post(page("remove-criterion", call_off, pk=question.pk)).status_code == 302
    assert not QualityQuestion.objects.exists()


def test_adding_a_question_with_errors_saves_nothing(client, world):
    call_off = _quick_call_off(world, world.commissioner, world.region, "Criteria")
    client.force_login(world.commissioner)
    response = client.post(page("criteria", call_off), {"question": "", "word_limit": "5000", "weight": "10"})
    html = body(response)
    assert "Enter the question" in html and "Enter the word limit as a whole number from 1 to 2,000" in html
    assert not QualityQuestion.objects.exists()


# Documents -----------------------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_document_is_uploaded_and_a_bad_file_refused(client, world):
    call_off = world.draft()
    client.force_login(world.commissioner)
    response = client.post(
        page("documents", call_off),
        {"title": "Service specification", "file": SimpleUploadedFile("spec.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    document = CallOffDocument.objects.get()
    assert (document.title, document.original_name) == ("Service specification", "spec.pdf")
    listed = body(client.get(page("documents", call_off)))
    assert reverse("calloffs:document", kwargs={"reference": call_off.reference, "pk": document.pk}) in listed
    response = client.post(
        page("documents", call_off),
        {"title": "Not a PDF", "file": SimpleUploadedFile("run.pdf", b"MZ\x90\x00binary", "application/pdf")},
    )
    assert response.status_code == 200 and "govuk-error-summary" in body(response)
    response = client.post(page("documents", call_off), {"title": ""})
    html = body(response)
    assert "Enter the document's title" in html
    assert CallOffDocument.objects.count() == 1


def test_a_document_added_after_publication_publishes_an_amendment(client, world):
    call_off = world.published()
    client.force_login(world.commissioner)
    client.post(
        page("documents", call_off),
        {"title": "Draft grant agreement", "file": SimpleUploadedFile("agreement.pdf", PDF, "application/pdf")},
    )
    assert call_off.amendments.get().summary == "Document added: Draft grant agreement"


# The overview and sending for approval ----------------------------------------------------------------------------


def test_the_overview_of_a_draft_shows_what_is_needed(client, world):
    call_off = _quick_call_off(world, world.commissioner, world.region, "Needs work")
    client.force_login(world.commissioner)
    html = body(client.get(page("detail", call_off)))
    assert "Before you send it for approval" in html
    assert "Add at least one lot" in html and "Add at least one quality question" in html
    assert "quality 0 + price 0 + social value 0 = 0" in html
    assert page("submit-for-approval", call_off) in html
    raw = client.get(page("detail", call_off)).content.decode()
    assert "<strong>Grant</strong><br>Reason." in raw  # the mechanism in bold, its reason below (not escaped)


def test_weights_not_adding_to_100_block_sending_for_approval_with_the_running_total(client, world):
    call_off = world.draft(price_weight=30, social=5)
    client.force_login(world.commissioner)
    response = client.post(page("submit-for-approval", call_off))
    html = body(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "You cannot send it for approval yet" in html
    assert "quality 60 + price 30 + social value 5 = 95" in html
    assert "make 95" in html
    call_off.refresh_from_db()
    assert call_off.submitted_for_approval_at is None


def test_sending_for_approval_then_the_four_eyes_rule(client, world):
    call_off = world.draft()
    client.force_login(world.commissioner)
    assert client.get(page("submit-for-approval", call_off)).status_code == 405
    response = client.post(page("submit-for-approval", call_off))
    assert response.status_code == 302
    call_off.refresh_from_db()
    assert call_off.status == CallOff.Status.AWAITING_APPROVAL

    html = body(client.get(page("detail", call_off)))
    assert "the person who sent it cannot approve it" in html
    assert page("approve", call_off) not in html
    html = body(client.get(page("approve", call_off)))
    assert "the person who sent it cannot approve it" in html
    assert 'id="approve"' in html and '<form method="post" novalidate id="approve">' not in html
    response = client.post(page("approve", call_off))
    assert "A second commissioner must approve the call-off: you sent it for approval" in body(response)
    call_off.refresh_from_db()
    assert call_off.published_at is None

    client.force_login(world.approver)
    html = body(client.get(page("approve", call_off)))
    assert "What will be published" in html and "Who will be told" in html
    # The one qualified provider's administrator is told.
    assert "1 person at organisations qualified" in html
    response = client.post(page("approve", call_off))
    assert response.status_code == 302
    call_off.refresh_from_db()
    assert call_off.published_by == world.approver
    assert call_off.status == CallOff.Status.PUBLISHED


def test_sending_back_needs_a_reason(client, world):
    call_off = world.draft()
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    client.force_login(world.approver)
    response = client.post(page("send-back", call_off), {"reason": ""})
    assert "Say what needs to change" in body(response)
    call_off.refresh_from_db()
    assert call_off.status == CallOff.Status.AWAITING_APPROVAL
    assert client.post(page("send-back", call_off), {"reason": "Add the specification."}).status_code == 302
    call_off.refresh_from_db()
    assert call_off.status == CallOff.Status.DRAFT


def test_before_the_deadline_nothing_about_bids_is_shown(client, reference_data):
    world = CallOffWorld.build(providers=2)
    call_off = world.published()
    for org in world.providers:
        world.bid(org, call_off)
    client.force_login(world.commissioner)
    html = body(client.get(page("detail", call_off)))
    assert "Bids are sealed until the deadline" in html
    assert "bids received" not in html
    for org in world.providers:
        assert org.name not in html


def test_after_the_deadline_only_the_number_of_bids_is_shown(client, reference_data):
    world = CallOffWorld.build(providers=2)
    call_off = world.published()
    for org in world.providers:
        world.bid(org, call_off)
    with after_deadline(call_off):
        client.force_login(world.commissioner)
        html = body(client.get(page("detail", call_off)))
        assert "2 bids received by the deadline" in html
        assert reverse("calloffs:evaluation", kwargs={"reference": call_off.reference}) in html
        for org in world.providers:
            assert org.name not in html
            assert org.slug not in html
        for pages in ("questions", "documents", "lots", "criteria"):
            for org in world.providers:
                assert org.name not in body(client.get(page(pages, call_off)))


# After publication -------------------------------------------------------------------------------------------------


def test_amending_a_published_call_off(client, world):
    call_off = world.published()
    lot = call_off.lots.get()
    client.force_login(world.commissioner)
    html = body(client.get(page("amend", call_off)))
    assert "Bids already submitted must be submitted again" in html
    assert 'value="100,000"' in html
    data = {
        "title": call_off.title,
        "call_off_summary": call_off.summary,
        "cohort_note": "",
        **_date("questions_close_on", timezone.localdate(call_off.questions_close_at)),
        "questions_close_time": timezone.localtime(call_off.questions_close_at).strftime("%H:%M"),
        **_date("deadline_on", timezone.localdate(call_off.deadline_at) + timedelta(days=7)),
        "deadline_time": "12:00",
        **_date("expected_award_on", call_off.expected_award_on + timedelta(days=7)),
        **_date("term_start", call_off.term_start),
    }
    first = lot.years.first().financial_year
    prefix = f"lot{lot.pk}-"
    data.update(
        {
            f"{prefix}year_1": str(first),
            f"{prefix}value_1": "100,000",
            f"{prefix}people_1": "40",
            f"{prefix}year_2": str(first + 1),
            f"{prefix}value_2": "130,000",
            f"{prefix}people_2": "60",
        }
    )
    response = client.post(page("amend", call_off), {**data, "amendment_summary": ""})
    assert "Say what has changed, in plain English" in body(response)
    assert not call_off.amendments.exists()
    before = call_off.deadline_at
    response = client.post(page("amend", call_off), {**data, "amendment_summary": "A week longer to bid."})
    assert response.status_code == 302
    call_off.refresh_from_db()
    assert call_off.deadline_at > before
    amendment = call_off.amendments.get()
    assert amendment.summary == "A week longer to bid."
    assert [y.max_value_pence for y in lot.years.all()] == [pounds(100_000), pounds(130_000)]
    assert "A week longer to bid." in body(client.get(page("detail", call_off)))


def test_a_call_off_cannot_be_amended_after_its_deadline(client, world):
    call_off = world.published()
    with after_deadline(call_off):
        client.force_login(world.commissioner)
        response = client.get(page("amend", call_off))
        assert response.status_code == 302 and response["Location"] == page("detail", call_off)


def test_cancelling_needs_a_reason(client, world):
    call_off = world.published()
    client.force_login(world.commissioner)
    response = client.post(page("cancel", call_off), {"reason": " "})
    assert "Say why the call-off is cancelled: this is published" in body(response)
    call_off.refresh_from_db()
    assert call_off.cancelled_at is None
    assert client.post(page("cancel", call_off), {"reason": "The funding ended."}).status_code == 302
    call_off.refresh_from_db()
    assert call_off.status == CallOff.Status.CANCELLED
    assert "The funding ended." in body(client.get(page("detail", call_off)))
    assert client.get(page("cancel", call_off)).status_code == 302  # once only


def test_no_award_only_after_the_deadline(client, world):
    call_off = world.published()
    client.force_login(world.commissioner)
    assert client.get(page("no-award", call_off)).status_code == 302
    with after_deadline(call_off):
        client.force_login(world.commissioner)
        assert client.get(page("no-award", call_off)).status_code == 200
        response = client.post(page("no-award", call_off), {"reason": "No bid met the minimum quality score."})
        assert response.status_code == 302
        call_off.refresh_from_db()
        assert call_off.status == CallOff.Status.NO_AWARD


def test_copying_makes_a_new_draft_and_asks_for_a_new_timetable(client, world):
    call_off = world.published()
    client.force_login(world.approver)
    assert client.get(page("copy", call_off)).status_code == 405
    response = client.post(page("copy", call_off), follow=True)
    copy = CallOff.objects.exclude(pk=call_off.pk).get()
    assert response.redirect_chain[-1][0] == page("detail", copy)
    assert "Set a new timetable" in body(response)
    assert copy.status == CallOff.Status.DRAFT and copy.lots.count() == 1 and copy.quality_questions.count() == 1
