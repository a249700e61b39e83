import io
import re

import pytest

from dynamic_framework.accounts.models import Role, RoleGrant, User
from dynamic_framework.calloffs.models import (
    Bid,
    BidSubmission,
    CallOff,
    ClarificationQuestion,
    Lot,
    LotYear,
    QualityQuestion,
)
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.demo import DEMO_PASSWORD, USERS, load_demo_data
from dynamic_framework.core.demo_calloffs import DEMO_CALL_OFFS
from dynamic_framework.core.demo_qualification import DEMO_APPLICATIONS, demo_pdf
from dynamic_framework.core.models import AuditEvent, Notification
from dynamic_framework.organisations.models import Organisation
from dynamic_framework.qualification.models import (
    Application,
    ApplicationDocument,
    Clarification,
    Qualification,
    QualifiedArea,
    SectionAssessment,
)

pytestmark = pytest.mark.django_db

NOTHING = {"organisations": 0, "users": 0, "roles": 0, "applications": 0, "call_offs": 0}


def _rows() -> dict:
    models = [
        Organisation,
        User,
        RoleGrant,
        Application,
        ApplicationDocument,
        SectionAssessment,
        Clarification,
        Qualification,
        QualifiedArea,
        CallOff,
        Lot,
        LotYear,
        QualityQuestion,
        ClarificationQuestion,
        Bid,
        BidSubmission,
        Notification,
    ]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def test_demo_data_has_a_user_for_every_role_and_loads_once(reference_data):
    first = load_demo_data()
    assert first == {
        "organisations": 6,
        "users": len(USERS),
        "roles": len(USERS),
        "applications": len(DEMO_APPLICATIONS),
        "call_offs": len(DEMO_CALL_OFFS),
    }
    events, rows = AuditEvent.objects.count(), _rows()
    lines, call_off_lines = [], []
    assert load_demo_data(report=lines.append, report_call_offs=call_off_lines.append) == NOTHING
    assert lines == [] and call_off_lines == []
    assert AuditEvent.objects.count() == events, "the second run wrote audit events"
    assert _rows() == rows, "the second run changed rows"
    roles = set(RoleGrant.objects.filter(revoked_at__isnull=True).values_list("role", flat=True))
    assert roles == set(Role.values)
    for demo in USERS:
        assert User.objects.get(email=demo.email).check_password(DEMO_PASSWORD)
    assert verify_chain().ok


def test_demo_organisations_cover_sizes_and_sectors(reference_data):
    from dynamic_framework.organisations.classification import sector_for, size_band_for

    load_demo_data()
    demo = Organisation.objects.filter(name__endswith="(demo)")
    sectors = {sector_for(o.legal_form, o.sector_override) for o in demo}
    bands = {size_band_for(o.latest_income_pence) for o in demo}
    assert {"voluntary_and_community", "private"} <= sectors
    assert len(bands) >= 4


def test_demo_users_can_sign_in(client, reference_data):
    load_demo_data()
    response = client.post("/sign-in/", {"username": "commissioner.wales@example.org", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Rhys Morgan" in client.get("/account/").content.decode()


def _application(name: str) -> Application:
    return Application.objects.get(organisation__name=name)


def _qualified(application) -> dict[str, set[str]]:
    return {
        q.category.slug: {a.pcc_area.slug for a in q.areas.all()}
        for q in Qualification.objects.current().filter(organisation=application.organisation)
    }


def test_demo_applications_show_every_stage_of_joining_the_framework(reference_data):
    from dynamic_framework.qualification import services

    lines = []
    load_demo_data(report=lines.append)
    applications = {demo.organisation: _application(demo.organisation) for demo in DEMO_APPLICATIONS}
    # The console says what was created: one line per application, with its reference.
    assert len(lines) == len(DEMO_APPLICATIONS)
    for line, (name, application) in zip(lines, applications.items(), strict=True):
        assert line.startswith(name) and application.reference in line

    evaluator = User.objects.get(email="evaluator@example.org")
    manager = User.objects.get(email="framework.manager@example.org")

    riverside = applications["Riverside Women's Centre (demo)"]
    assert riverside.status == Application.Status.DECIDED and riverside.size_band == "small"
    assert (riverside.assigned_to, riverside.assigned_by, riverside.decided_by) == (evaluator, manager, manager)
    assert _qualified(riverside) == {
        "women": {"durham", "northumbria"},
        "emotional-wellbeing": {"durham", "northumbria"},
    }
    [asked] = riverside.clarifications.all()
    assert asked.section_key == "safeguarding" and asked.answered_by.email == "admin@riverside.example.org"
    assert "Amira Khan" in asked.answer
    assert "qualified for Emotional Wellbeing and Women in Durham and Northumbria" in lines[0]

    cwm = applications["Cwm Valley Recovery Project (demo)"]
    assert cwm.status == Application.Status.DECIDED and cwm.size_band == "medium"
    assert _qualified(cwm) == {"dependency-and-recovery": {"south-wales", "gwent"}}
    assert services.applies_in_wales(cwm)
    assert cwm.answers["welsh_speakers"] == "Yes" and "bilingual" in cwm.answers["welsh_service"]
    assert "welsh_language" in dict(services.assessable_sections(cwm))

    northgate = applications["Northgate Housing Trust (demo)"]
    assert northgate.status == Application.Status.CLARIFICATION and northgate.size_band == "large"
    assert northgate.assigned_to == evaluator and northgate.decided_at is None
    [waiting] = northgate.clarifications.filter(answered_at__isnull=True)
    assert waiting.section_key == "data_protection" and "Cyber Essentials" in waiting.question
    passed = set(northgate.section_assessments.filter(outcome="pass").values_list("section_key", flat=True))
    assert passed == {"organisation", "scope", "eligibility", "finances", "insurance", "safeguarding"}
    assert not Qualification.objects.filter(organisation=northgate.organisation).exists()

    unity = applications["Unity Mentoring Collective (demo)"]
    assert unity.status == Application.Status.DRAFT and unity.size_band == "micro"
    states = {section.key: state for section, state in services.progress(unity)}
    assert [key for key, state in states.items() if state == services.SectionState.COMPLETED] == [
        "organisation",
        "scope",
        "eligibility",
    ]
    assert states["safeguarding"] == services.SectionState.IN_PROGRESS

    # The demo answers every question it is asked in its own words (no stand-in answers), and its documents
    # are small, real PDFs.
    for application in applications.values():
        content = application.question_set.parsed
        in_wales = services.applies_in_wales(application)
        for _section, question in content.questions_for(application.size_band, in_wales=in_wales):
            value = application.answers.get(question.key)
            assert "Please see our website" not in str(value), question.key
    documents = ApplicationDocument.objects.all()
    assert documents.count() == 1 + 2 + 4  # Riverside's accounts; Cwm Valley's 2; Northgate's 4
    for document in documents:
        assert document.content_type == "application/pdf" and document.original_name.endswith(".pdf")
        with document.file.open("rb") as handle:
            data = handle.read()
        assert len(data) == document.size_bytes < 5000
        _assert_valid_pdf(data)


def test_each_demo_login_sees_its_stage(client, reference_data):
    load_demo_data()
    northgate = _application("Northgate Housing Trust (demo)")
    riverside = _application("Riverside Women's Centre (demo)")
    unity = _application("Unity Mentoring Collective (demo)")

    def page(email, path):
        client.force_login(User.objects.get(email=email))
        response = client.get(path)
        assert response.status_code == 200, (email, path)
        return response.content.decode()

    for email in ("framework.manager@example.org", "evaluator@example.org"):
        queue = page(email, "/assessment/")
        assert northgate.reference in queue and "Waiting for the applicant" in queue
    decided = page("framework.manager@example.org", "/assessment/?status=decided")
    cwm = _application("Cwm Valley Recovery Project (demo)")
    assert riverside.reference in decided and cwm.reference in decided and northgate.reference not in decided
    assert f"Answer the question about application {northgate.reference}" in page(
        "admin@northgate.example.org", "/applications/"
    )
    status = page("admin@riverside.example.org", f"/applications/{riverside.reference}/")
    assert "Decision for each type of service" in status and "Questions answered" in status
    status = page("admin@cwmvalley.example.org", f"/applications/{cwm.reference}/")
    assert "Decision for each type of service" in status and "Welsh language" in status
    assert "You have completed 3 of 9 sections." in page("admin@unity.example.org", f"/applications/{unity.reference}/")
    client.logout()
    register = client.get("/framework/register/").content.decode()
    assert "Riverside Women&#39;s Centre (demo)" in register and "Cwm Valley Recovery Project (demo)" in register
    assert "Northgate Housing Trust (demo)" not in register


def _call_off(title: str) -> CallOff:
    return CallOff.objects.get(title=title)


def test_demo_call_offs_are_open_for_bids_and_waiting_for_a_second_commissioner(reference_data):
    """Made through the call-off services on the clock as it is: one published and open (a question answered, a bid
    in progress), one waiting for the second North East commissioner's approval."""
    from django.utils import timezone

    from dynamic_framework.calloffs import sealing, services
    from dynamic_framework.core.demo_calloffs import WOMENS_CENTRES, YOUNG_ADULTS
    from dynamic_framework.core.time import UK

    lines = []
    before = timezone.now()
    load_demo_data(report_call_offs=lines.append)
    grace = User.objects.get(email="commissioner.northeast@example.org")
    ben = User.objects.get(email="commissioner2.northeast@example.org")
    jo = User.objects.get(email="admin@riverside.example.org")
    riverside = Organisation.objects.get(name="Riverside Women's Centre (demo)")

    open_one = _call_off(WOMENS_CENTRES.title)
    assert open_one.status == CallOff.Status.PUBLISHED and open_one.open_for_bids()
    assert (open_one.created_by, open_one.submitted_for_approval_by, open_one.published_by) == (grace, grace, ben)
    assert open_one.region.code == "A" and open_one.funding_mechanism == "grant"
    deadline = open_one.deadline_at.astimezone(UK)
    assert (deadline.hour, deadline.minute) == (12, 0)
    days = {(moment.astimezone(UK).date() - deadline.date()).days for moment in (before, timezone.now())}
    assert -21 in days, "the deadline is 3 weeks from today"
    assert services.readiness(open_one, now=open_one.published_at) == {}
    assert open_one.quality_weight + open_one.price_weight + open_one.social_value_weight == 100
    lots = list(open_one.lots.prefetch_related("pcc_areas", "years"))
    assert [[a.slug for a in lot.pcc_areas.all()] for lot in lots] == [["durham"], ["northumbria"]]
    for lot in lots:
        values = [year.max_value_pence for year in lot.years.all()]
        assert len(values) == 3 and values == sorted(values) and values[0] < values[-1]  # a ramp-up
    # Riverside is qualified for the lots, asked a question and the commissioner answered it
    assert services.eligible_lot_ids(open_one, riverside) == {lot.pk for lot in lots}
    [asked] = open_one.questions.all()
    assert (asked.organisation, asked.asked_by, asked.answered_by) == (riverside, jo, grace)
    assert asked.published_question and asked.answer and asked.published_question != asked.question
    # Riverside's bid is in progress: saved (sealed), not submitted
    [bid] = Bid.objects.filter(call_off=open_one)
    assert bid.organisation == riverside and bid.latest_submission is None and not bid.is_live
    draft = sealing.open_for_bidder(open_one, bid.draft, bid=bid, organisation_ids={riverside.pk})
    assert draft["lots"] == {
        str(lots[0].pk): {
            "years": {
                str(y.financial_year): p
                for y, p in zip(lots[0].years.all(), [11_000_000, 17_000_000, 19_000_000], strict=True)
            }
        }
    }
    assert len(draft["answers"]) == 1 and draft["supply_chain"] == []
    with pytest.raises(sealing.SealedError):
        sealing.open_after_deadline(open_one, bid.draft)

    waiting = _call_off(YOUNG_ADULTS.title)
    assert waiting.status == CallOff.Status.AWAITING_APPROVAL
    assert waiting.submitted_for_approval_by == grace and waiting.published_at is None
    assert services.readiness(waiting) == {}, "the second commissioner can approve it"
    [lot] = waiting.lots.all()
    assert lot.kind == Lot.Kind.REGION and (waiting.cohort_min_age, waiting.cohort_max_age) == (18, 25)

    assert len(lines) == 2
    assert lines[0].startswith(f"{open_one.reference} {open_one.title}: approved and published by {ben.email}")
    assert "a provider's question answered" in lines[0] and "has a bid in progress" in lines[0]
    assert lines[1].startswith(f"{waiting.reference} {waiting.title}: sent for approval by {grace.email}")
    assert verify_chain().ok


def test_each_demo_login_sees_its_call_offs(client, reference_data):
    from dynamic_framework.core.demo_calloffs import WOMENS_CENTRES, YOUNG_ADULTS

    load_demo_data()
    open_one, waiting = _call_off(WOMENS_CENTRES.title), _call_off(YOUNG_ADULTS.title)
    asked = open_one.questions.get()

    def page(email, path):
        if email:
            client.force_login(User.objects.get(email=email))
        else:
            client.logout()
        response = client.get(path)
        assert response.status_code == 200, (email, path)
        return response.content.decode()

    for email in ("commissioner.northeast@example.org", "commissioner2.northeast@example.org"):
        listed = page(email, "/call-offs/")
        assert open_one.reference in listed and waiting.reference in listed
    # Four eyes: the commissioner who sent it cannot approve it; the second one can.
    sent = page("commissioner.northeast@example.org", f"/call-offs/{waiting.reference}/")
    assert "Approve and publish" not in sent and "the person who sent it cannot approve it" in sent
    assert "Approve and publish" in page("commissioner2.northeast@example.org", f"/call-offs/{waiting.reference}/")
    # Sealed: the commissioners see nothing of who is bidding.
    detail = page("commissioner.northeast@example.org", f"/call-offs/{open_one.reference}/")
    assert "Riverside" not in detail and "Bids are sealed until the deadline" in detail
    assert "Riverside" not in page("commissioner.northeast@example.org", f"/call-offs/{open_one.reference}/questions/")

    # Anyone sees the open one, and the answer without who asked; not the one waiting for approval.
    listed = page(None, "/opportunities/")
    assert open_one.title.replace("'", "&#39;") in listed and waiting.title not in listed
    public = page(None, f"/opportunities/{open_one.reference}/")
    assert asked.published_question in public and asked.answer in public
    assert "Riverside" not in public and asked.question not in public
    assert open_one.reference in page(None, "/opportunities/feed.atom")
    api = client.get("/api/v1/opportunities/").json()
    assert [o["reference"] for o in api["results"]] == [open_one.reference]

    # Riverside's people see their bid in progress.
    for email in ("admin@riverside.example.org", "staff@riverside.example.org"):
        bids = page(email, "/bids/")
        assert open_one.title.replace("'", "&#39;") in bids and "Draft: not submitted" in bids
        bid_page = page(email, f"/opportunities/{open_one.reference}/bid/")
        assert "Your bid" in bid_page and "£110,000" in bid_page and "In progress" in bid_page
    assert "Submit your bid" in page("admin@riverside.example.org", f"/opportunities/{open_one.reference}/bid/")


def test_after_the_deadline_the_demo_commissioner_can_evaluate_a_submitted_bid(client, reference_data):
    """What the README says: finish and submit Riverside's bid, and once the deadline has passed the commissioner
    sees the number of bids and forms the panel with the demo evaluator."""
    from datetime import timedelta

    import time_machine

    from dynamic_framework.calloffs import services
    from dynamic_framework.core.demo_calloffs import WOMENS_CENTRES

    load_demo_data()
    call_off = _call_off(WOMENS_CENTRES.title)
    jo = User.objects.get(email="admin@riverside.example.org")
    grace = User.objects.get(email="commissioner.northeast@example.org")
    bid = Bid.objects.get(call_off=call_off)
    content = services.bid_content(bid, actor=jo)
    content["answers"] = {str(q.pk): "We run a women-only centre." for q in call_off.quality_questions.all()}
    content["social_value"] = "We train local women as peer workers."
    services.save_bid(actor=jo, bid=bid, content=content, complete=True)
    receipt = services.submit_bid(actor=jo, bid=bid, idempotency_key="demo-test").receipt
    client.force_login(jo)
    assert receipt in client.get(f"/opportunities/{call_off.reference}/bid/receipts/{receipt}/").content.decode()

    with time_machine.travel(call_off.deadline_at + timedelta(minutes=1), tick=False):
        client.force_login(grace)
        overview = client.get(f"/evaluation/{call_off.reference}/").content.decode()
        assert "1 bid received by the deadline" in overview and "Form the evaluation panel" in overview
        assert "Riverside" not in overview
        evaluator = User.objects.get(email="evaluator@example.org")
        services.form_panel(actor=grace, call_off=call_off, members=[evaluator])
        client.force_login(evaluator)
        assert (
            "Riverside Women&#39;s Centre (demo)" in client.get(f"/evaluation/{call_off.reference}/").content.decode()
        )


def test_the_command_says_what_it_created(reference_data):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    printed = out.getvalue()
    assert "Demo applications to join the framework: 4 created." in printed
    for application in Application.objects.all():
        assert f"  {application.organisation.name}: " in printed and application.reference in printed
    assert "Demo call-offs: 2 created." in printed
    for call_off in CallOff.objects.all():
        assert f"  {call_off.reference} {call_off.title}: " in printed
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "Demo applications to join the framework: 0 created (they are already there)." in out.getvalue()
    assert "Demo call-offs: 0 created (they are already there)." in out.getvalue()


def test_no_demo_applications_while_the_framework_is_closed(reference_data):
    from django.core.management import call_command

    from dynamic_framework.qualification import services
    from dynamic_framework.qualification.tests.factories import the_framework

    services.close_framework(actor="test", framework=the_framework(), reason="Closed for a review of the questions.")
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "Demo applications to join the framework: 0 created (the framework is not open)." in out.getvalue()
    assert not Application.objects.exists()
    # The call-offs are made all the same; with nobody qualified, nobody has started a bid.
    assert CallOff.objects.count() == len(DEMO_CALL_OFFS) and not Bid.objects.exists()
    assert "Riverside Women's Centre (demo) is not qualified for it, so has not started a bid" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_demo_sends_no_emails_about_its_history(live_reference_data, mailoutbox):
    """Outside a test's transaction the services' emails are sent when the demo's transaction commits: the demo
    applications are history, not news, so none are sent (emails printed by `make demo` would bury its output)."""
    load_demo_data()
    assert Application.objects.count() == len(DEMO_APPLICATIONS)
    assert mailoutbox == []


def _assert_valid_pdf(data: bytes) -> None:
    """The structure a PDF reader relies on: header, objects where the cross-reference table says, the stream's
    length, the trailer and startxref."""
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)\s+%%EOF", data).group(1))
    assert data[startxref:].startswith(b"xref\n")
    count = int(re.match(rb"xref\n0 (\d+)\n", data[startxref:]).group(1))
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf]) \n", data[startxref:])
    assert len(entries) == count
    for number, (offset, _generation, kind) in enumerate(entries):
        if kind == b"n":
            assert data[int(offset) :].startswith(f"{number} 0 obj".encode()), number
    length = int(re.search(rb"/Length (\d+) >>\nstream\n", data).group(1))
    stream = data.split(b"stream\n", 1)[1]
    assert stream[length:].startswith(b"\nendstream")
    assert re.search(rb"trailer\n<< /Size %d /Root 1 0 R" % count, data)


def test_demo_pdf_is_a_valid_pdf_with_the_text_in_it():
    data = demo_pdf("Accounts (2024-25) for Ty\u2019r Afon", ["Income: \u00a385,000.", "A long line " * 30])
    _assert_valid_pdf(data)
    assert b"(Accounts \\(2024-25\\) for Ty\x92r Afon) Tj" in data  # escaped, in Windows-1252
    assert b"\xa385,000" in data
    assert data.count(b" Tj") == 1 + 1 + 5  # the title, one line, and the long paragraph wrapped over 5 lines
