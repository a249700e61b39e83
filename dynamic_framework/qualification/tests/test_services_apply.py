"""Applying: starting, answering each kind of question, proportionality, uploads, submitting and withdrawing."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.audit import verify_chain
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import CommissioningBodyFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import Application, ApplicationDocument
from dynamic_framework.qualification.services import SectionState
from dynamic_framework.qualification.tests import factories as f


def actions():
    return list(AuditEvent.objects.values_list("action", flat=True))


def states(application):
    application.refresh_from_db()
    return {section.key: state for section, state in services.progress(application)}


# Starting ----------------------------------------------------------------------------------------------------


def test_starting_prefills_the_organisation_section_and_pins_the_questions(framework, charity, applicant):
    charity.address = "2 Mill Lane"
    charity.contact_email = "hello@riverside.example"
    charity.save()
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    assert application.question_set == services.current_question_set(framework)
    assert application.organisation_details["name"] == charity.name
    assert application.organisation_details["address"] == "2 Mill Lane"
    assert application.reference.startswith("DFQ-") and len(application.reference) == 13
    assert application.status == Application.Status.DRAFT
    assert application.size_band == ""  # no income recorded yet
    assert "qualification.application_started" in actions()


def test_only_providers_can_apply(framework, reference_data):
    body = CommissioningBodyFactory(commissioning_body_type="police_and_crime_commissioner")
    someone = user_with_role("commissioner")
    with pytest.raises(ValidationError, match="Only provider organisations"):
        services.start_application(actor=someone, organisation=body, framework=framework)


def test_one_application_in_progress_at_a_time(framework, charity, applicant):
    services.start_application(actor=applicant, organisation=charity, framework=framework)
    with pytest.raises(ValidationError, match="already has an application in progress"):
        services.start_application(actor=applicant, organisation=charity, framework=framework)
    assert Application.objects.count() == 1


def test_the_database_refuses_a_second_open_application_too(framework, charity, applicant):
    first = services.start_application(actor=applicant, organisation=charity, framework=framework)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            framework=framework,
            organisation=charity,
            question_set=first.question_set,
            reference="DFQ-TEST-0001",
            started_by=applicant,
        )


def test_no_application_while_the_framework_is_closed(framework, charity, applicant, manager):
    services.close_framework(actor=manager, framework=framework, reason="Refreshing the documents")
    framework.refresh_from_db()
    with pytest.raises(ValidationError, match="not open for applications"):
        services.start_application(actor=applicant, organisation=charity, framework=framework)


def test_a_provider_can_apply_again_after_a_withdrawal(framework, charity, applicant):
    first = services.start_application(actor=applicant, organisation=charity, framework=framework)
    services.withdraw_application(actor=applicant, application=first, reason="Not ready yet")
    second = services.start_application(actor=applicant, organisation=charity, framework=framework)
    assert second.pk != first.pk and second.reference != first.reference


def test_a_provider_not_qualified_can_apply_again(framework, charity, applicant, assessor, manager):
    application = f.assessed_application(charity, applicant, assessor, manager=manager, fail="insurance")
    decisions = dict.fromkeys(f.DEFAULT_CATEGORIES, ("not_qualified", "Insurance is needed."))
    services.decide_application(actor=manager, application=application, decisions=decisions)
    again = services.start_application(actor=applicant, organisation=charity, framework=framework)
    assert again.is_draft


# The organisation section --------------------------------------------------------------------------------------


def test_the_income_decides_the_size_band(framework, charity, applicant):
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    for income, band in (("9,999.99", "micro"), ("10,000", "small"), ("250000", "medium"), ("£4.2m", None)):
        raw = f.organisation_raw(charity, income=income)
        if band is None:
            with pytest.raises(ValidationError) as caught:
                services.save_organisation_section(actor=applicant, application=application, raw=raw)
            assert "income" in caught.value.message_dict
            continue
        services.save_organisation_section(actor=applicant, application=application, raw=raw)
        application.refresh_from_db()
        assert application.size_band == band


def test_missing_organisation_details_are_named_and_nothing_is_saved(framework, charity, applicant):
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    before = dict(application.organisation_details)
    raw = f.organisation_raw(charity, income="", address="", contact_email="not an email", charity_number="12")
    with pytest.raises(ValidationError) as caught:
        services.save_organisation_section(actor=applicant, application=application, raw=raw)
    errors = caught.value.message_dict
    assert {"income", "address", "contact_email", "charity_number"} <= set(errors)
    application.refresh_from_db()
    assert application.organisation_details == before


def test_save_for_later_accepts_a_partly_filled_organisation_section(framework, charity, applicant):
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    raw = {"name": charity.name, "income": "", "address": ""}
    services.save_organisation_section(actor=applicant, application=application, raw=raw, complete=False)
    assert states(application)["organisation"] == SectionState.IN_PROGRESS


def test_a_name_another_organisation_has_is_refused(framework, charity, applicant):
    from dynamic_framework.organisations.tests.factories import ProviderFactory

    ProviderFactory(name="Taken Name Trust")
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    with pytest.raises(ValidationError) as caught:
        services.save_organisation_section(
            actor=applicant, application=application, raw=f.organisation_raw(charity, name="taken name trust")
        )
    assert "already an organisation called" in caught.value.message_dict["name"][0]


def test_the_organisation_record_changes_only_when_the_application_is_submitted(framework, charity, applicant):
    application = f.complete_application(charity, applicant)
    services.save_organisation_section(
        actor=applicant,
        application=application,
        raw=f.organisation_raw(charity, income="8,500", charity_number="1123456", address="3 New Road"),
    )
    charity.refresh_from_db()
    assert charity.latest_income_pence is None and charity.address == ""
    services.submit_application(
        actor=applicant, application=application, declaration_name="Jo Hughes", declaration_role="Chair", declared=True
    )
    charity.refresh_from_db()
    assert charity.latest_income_pence == 850_000
    assert charity.income_year == "2025-26"
    assert charity.address == "3 New Road"
    assert charity.size_band == "micro"
    assert [(i.scheme, i.identifier) for i in charity.identifiers.all()] == [("GB-CHC", "1123456")]


# Services and areas --------------------------------------------------------------------------------------------


def test_scope_is_checked_and_saved(framework, charity, applicant):
    application = f.draft_application(charity, applicant)
    with pytest.raises(ValidationError) as caught:
        services.save_scope(actor=applicant, application=application, categories=["astrology"], pcc_areas=["atlantis"])
    assert set(caught.value.message_dict) == {"categories", "pcc_areas"}
    with pytest.raises(ValidationError) as caught:
        services.save_scope(actor=applicant, application=application, categories=[], pcc_areas=[])
    assert set(caught.value.message_dict) == {"categories", "pcc_areas"}
    services.save_scope(
        actor=applicant, application=application, categories=["women", "accommodation"], pcc_areas=["durham"]
    )
    assert sorted(application.category_choices.values_list("category__slug", flat=True)) == ["accommodation", "women"]
    services.save_scope(actor=applicant, application=application, categories=["women"], pcc_areas=["durham", "gwent"])
    assert list(application.category_choices.values_list("category__slug", flat=True)) == ["women"]
    assert services.applies_in_wales(application)


# Answering questions -------------------------------------------------------------------------------------------


@pytest.fixture
def drafted(framework, charity, applicant):
    application = f.draft_application(charity, applicant)
    services.save_scope(actor=applicant, application=application, categories=["women"], pcc_areas=["durham"])
    application.refresh_from_db()
    return application


def test_sections_wait_for_the_organisation_section(framework, charity, applicant):
    application = services.start_application(actor=applicant, organisation=charity, framework=framework)
    assert states(application)["eligibility"] == SectionState.CANNOT_START
    assert states(application)["past_work"] == SectionState.CANNOT_START
    with pytest.raises(ValidationError, match="Fill in the section about your organisation first"):
        services.save_section(actor=applicant, application=application, section_key="eligibility", raw={})


def test_a_yes_needs_an_explanation(drafted, applicant):
    raw = dict.fromkeys(("serious_offences", "tax", "insolvency", "past_performance", "misconduct"), "no")
    raw["regulator"] = "yes"
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=drafted.started_by, application=drafted, section_key="eligibility", raw=raw)
    assert list(caught.value.message_dict) == ["regulator__explanation"]
    raw["regulator__explanation"] = "The Charity Commission looked at our accounts in 2024 and closed the case."
    services.save_section(actor=applicant, application=drafted, section_key="eligibility", raw=raw)
    drafted.refresh_from_db()
    assert drafted.answers["regulator"] == {"answer": "yes", "explanation": raw["regulator__explanation"]}
    assert drafted.answers["tax"] == {"answer": "no"}
    assert states(drafted)["eligibility"] == SectionState.COMPLETED


def test_word_limits_are_enforced(drafted, applicant):
    raw = {
        "safeguarding_policy": "yes",
        "safeguarding_lead": "Sam Jones, Manager",
        "safer_recruitment": " ".join(["word"] * 151),
    }
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=applicant, application=drafted, section_key="safeguarding", raw=raw)
    assert "150 words or fewer (it is 151 words)" in caught.value.message_dict["safer_recruitment"][0]
    raw["safer_recruitment"] = " ".join(["word"] * 150)
    services.save_section(actor=applicant, application=drafted, section_key="safeguarding", raw=raw)


def test_checklist_none_of_these_cannot_be_combined(drafted, applicant):
    first_option = (
        drafted.question_set.parsed.section("data_protection").question("security_self_assessment").options[0]
    )
    raw = {
        "ico_registration": "ZA123456",
        "data_protection_lead": "Sam",
        "data_breaches": "no",
        "security_self_assessment": ["__none__", first_option],
    }
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=applicant, application=drafted, section_key="data_protection", raw=raw)
    assert "security_self_assessment" in caught.value.message_dict
    raw["security_self_assessment"] = ["__none__"]
    services.save_section(actor=applicant, application=drafted, section_key="data_protection", raw=raw)
    drafted.refresh_from_db()
    assert drafted.answers["security_self_assessment"] == []
    assert states(drafted)["data_protection"] == SectionState.COMPLETED


def test_choices_must_be_one_of_the_options(drafted, applicant):
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant,
            application=drafted,
            section_key="insurance",
            raw={"public_liability": "Maybe", "employers_liability": "Yes"},
        )
    assert list(caught.value.message_dict) == ["public_liability"]


def test_save_for_later_keeps_partial_answers_and_the_section_is_in_progress(drafted, applicant):
    services.save_section(
        actor=applicant, application=drafted, section_key="insurance", raw={"public_liability": "Yes"}, complete=False
    )
    drafted.refresh_from_db()
    assert drafted.answers == {"public_liability": "Yes"}
    assert states(drafted)["insurance"] == SectionState.IN_PROGRESS
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant, application=drafted, section_key="insurance", raw={"public_liability": "Yes"}
        )
    assert list(caught.value.message_dict) == ["employers_liability"]


def test_questions_not_asked_of_the_size_band_are_ignored(drafted, applicant):
    """A micro charity is never asked for audited accounts or Cyber Essentials, even if a form sends them."""
    raw = {
        "ico_registration": "ZA123456",
        "data_protection_lead": "Sam",
        "data_breaches": "no",
        "security_self_assessment": ["__none__"],
        "cyber_essentials": "IASME-CE-012345",
    }
    services.save_section(actor=applicant, application=drafted, section_key="data_protection", raw=raw)
    drafted.refresh_from_db()
    assert "cyber_essentials" not in drafted.answers


def test_a_large_organisation_must_give_cyber_essentials_and_its_expiry(framework, charity, applicant):
    application = f.draft_application(charity, applicant, income="2,500,000")
    assert application.size_band == "large"
    raw = {"ico_registration": "ZA123456", "data_protection_lead": "Sam", "data_breaches": "no"}
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=applicant, application=application, section_key="data_protection", raw=raw)
    assert {"cyber_essentials", "cyber_essentials_expiry__day"} <= set(caught.value.message_dict)
    raw.update(
        cyber_essentials="IASME-CE-012345",
        cyber_essentials_expiry__day="31",
        cyber_essentials_expiry__month="2",
        cyber_essentials_expiry__year="2027",
    )
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=applicant, application=application, section_key="data_protection", raw=raw)
    assert caught.value.message_dict["cyber_essentials_expiry__day"] == ["The date must be a real date, like 31 3 2027"]
    raw["cyber_essentials_expiry__day"] = "28"
    services.save_section(actor=applicant, application=application, section_key="data_protection", raw=raw)
    application.refresh_from_db()
    assert application.answers["cyber_essentials_expiry"] == "2027-02-28"


def test_a_document_is_stored_with_its_digest_and_can_be_removed(drafted, applicant):
    services.save_section(
        actor=applicant,
        application=drafted,
        section_key="finances",
        raw={"financial_concerns": "no"},
        files={"income_statement": f.pdf("our accounts.pdf")},
    )
    drafted.refresh_from_db()
    document = ApplicationDocument.objects.get()
    assert drafted.answers["income_statement"] == {"document": document.pk, "name": "our accounts.pdf"}
    assert document.content_type == "application/pdf" and document.size_bytes == len(f.PDF_BYTES)
    assert "our accounts" not in document.file.name  # stored under a random name
    assert document.file.read() == f.PDF_BYTES
    assert states(drafted)["finances"] == SectionState.COMPLETED
    services.remove_document(actor=applicant, application=drafted, question_key="income_statement")
    drafted.refresh_from_db()
    assert "income_statement" not in drafted.answers
    assert states(drafted)["finances"] == SectionState.IN_PROGRESS


def test_a_bad_document_saves_nothing_at_all(drafted, applicant):
    fake = SimpleUploadedFile("accounts.pdf", b"MZ this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant,
            application=drafted,
            section_key="finances",
            raw={"financial_concerns": "yes", "financial_concerns__explanation": "A funder is leaving."},
            files={"income_statement": fake},
        )
    assert "is not a real PDF file" in caught.value.message_dict["income_statement"][0]
    drafted.refresh_from_db()
    assert drafted.answers == {}
    assert not ApplicationDocument.objects.exists()


def test_an_empty_document_is_refused(drafted, applicant):
    empty = SimpleUploadedFile("accounts.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant,
            application=drafted,
            section_key="finances",
            raw={"financial_concerns": "no"},
            files={"income_statement": empty},
        )
    assert caught.value.message_dict["income_statement"] == ["The selected file is empty"]


def test_a_required_document_must_be_given(drafted, applicant):
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant, application=drafted, section_key="finances", raw={"financial_concerns": "no"}
        )
    assert caught.value.message_dict["income_statement"] == ["Select a file"]


def test_one_example_of_work_per_category(drafted, applicant):
    services.save_scope(
        actor=applicant, application=drafted, categories=["women", "accommodation"], pcc_areas=["durham"]
    )
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant, application=drafted, section_key="past_work", raw={"case_study:women": "A group."}
        )
    assert list(caught.value.message_dict) == ["case_study:accommodation"]
    with pytest.raises(ValidationError) as caught:
        services.save_section(
            actor=applicant,
            application=drafted,
            section_key="past_work",
            raw={"case_study:women": "word " * 301, "case_study:accommodation": "Hostel support."},
        )
    assert "300 words or fewer" in caught.value.message_dict["case_study:women"][0]


def test_the_welsh_section_only_applies_in_wales(drafted, applicant):
    with pytest.raises(ValidationError, match="does not apply"):
        services.save_section(actor=applicant, application=drafted, section_key="welsh_language", raw={})
    services.save_scope(actor=applicant, application=drafted, categories=["women"], pcc_areas=["durham", "gwent"])
    drafted.refresh_from_db()
    assert "welsh_language" in states(drafted)
    with pytest.raises(ValidationError) as caught:
        services.save_section(actor=applicant, application=drafted, section_key="welsh_language", raw={})
    assert set(caught.value.message_dict) == {"welsh_speakers", "welsh_service"}


def test_unknown_and_fixed_sections_cannot_be_saved_as_questions(drafted, applicant):
    for key in ("nonsense", "organisation", "scope"):
        with pytest.raises(ValidationError, match="no such section"):
            services.save_section(actor=applicant, application=drafted, section_key=key, raw={})


# Submitting -----------------------------------------------------------------------------------------------


def test_an_incomplete_application_cannot_be_submitted(drafted, applicant):
    with pytest.raises(ValidationError, match="Complete every section before you submit: Who can join"):
        services.submit_application(
            actor=applicant, application=drafted, declaration_name="Jo", declaration_role="Chair", declared=True
        )
    drafted.refresh_from_db()
    assert drafted.submitted_at is None


def test_the_declaration_is_needed(charity, applicant):
    application = f.complete_application(charity, applicant)
    with pytest.raises(ValidationError) as caught:
        services.submit_application(
            actor=applicant, application=application, declaration_name=" ", declaration_role="", declared=False
        )
    assert set(caught.value.message_dict) == {"declared", "declaration_name", "declaration_role"}


def test_an_unconfirmed_email_address_cannot_submit(charity, applicant):
    application = f.complete_application(charity, applicant)
    if not hasattr(applicant, "email_confirmed_at"):
        pytest.skip("email confirmation is not in this build")
    applicant.email_confirmed_at = None
    applicant.save()
    with pytest.raises(ValidationError, match="Confirm your email address before you submit"):
        services.submit_application(
            actor=applicant, application=application, declaration_name="Jo", declaration_role="Chair", declared=True
        )


def test_submitting_records_who_and_when_emails_and_locks_the_answers(
    charity, applicant, staff, django_capture_on_commit_callbacks
):
    application = f.complete_application(charity, applicant)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit_application(
            actor=applicant,
            application=application,
            declaration_name="Jo Hughes",
            declaration_role="Chair",
            declared=True,
        )
    assert submitted.submitted_by == applicant and submitted.submitted_at is not None
    assert submitted.status == Application.Status.SUBMITTED
    assert "qualification.application_submitted" in actions()
    assert len(mail.outbox) == 1
    assert submitted.reference in mail.outbox[0].subject
    assert applicant.email in mail.outbox[0].to
    with pytest.raises(ValidationError, match="has been submitted"):
        services.save_section(
            actor=staff, application=submitted, section_key="insurance", raw={"public_liability": "No"}
        )
    assert verify_chain().ok


def test_submitting_twice_makes_one_submission(charity, applicant):
    application = f.complete_application(charity, applicant)
    first = services.submit_application(
        actor=applicant, application=application, declaration_name="Jo", declaration_role="Chair", declared=True
    )
    again = services.submit_application(
        actor=applicant, application=application, declaration_name="Jo", declaration_role="Chair", declared=True
    )
    assert again.submitted_at == first.submitted_at
    assert actions().count("qualification.application_submitted") == 1


def test_withdrawing(charity, applicant, assessor, manager):
    application = f.submitted_application(charity, applicant)
    withdrawn = services.withdraw_application(actor=applicant, application=application, reason="We merged")
    assert withdrawn.status == Application.Status.WITHDRAWN
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.withdraw_application(actor=applicant, application=application)
    decided = f.qualified_application(charity, applicant, assessor, manager)
    with pytest.raises(ValidationError, match="cannot be withdrawn"):
        services.withdraw_application(actor=applicant, application=decided)


def test_the_status_follows_the_recorded_times(charity, applicant, assessor, manager):
    application = f.submitted_application(charity, applicant)
    assert application.status == Application.Status.SUBMITTED
    application = services.assign_application(actor=manager, application=application, assessor=assessor)
    assert application.status == Application.Status.IN_ASSESSMENT
    services.assess_section(
        actor=assessor, application=application, section_key="insurance", outcome="clarification", note="Why?"
    )
    assert Application.objects.get(pk=application.pk).status == Application.Status.CLARIFICATION
    clarification = application.clarifications.get()
    services.answer_clarification(actor=applicant, clarification=clarification, answer="Because.")
    assert Application.objects.get(pk=application.pk).status == Application.Status.IN_ASSESSMENT


def test_a_new_version_of_the_questions_does_not_change_an_application_in_progress(
    framework, charity, applicant, manager
):
    application = f.draft_application(charity, applicant)
    draft = services.start_new_version(actor=manager, framework=framework)
    services.update_question(
        actor=manager,
        question_set=draft,
        question_key="safeguarding_lead",
        kind="text",
        label="Who leads on safeguarding?",
    )
    services.publish_question_set(actor=manager, question_set=draft, change_note="Shorter wording")
    application.refresh_from_db()
    assert application.question_set.version == 1
    label = application.question_set.parsed.section("safeguarding").question("safeguarding_lead").label
    assert label == "Who is responsible for safeguarding in your organisation?"


def test_started_at_and_updated_at_are_utc(drafted):
    assert drafted.started_at.utcoffset() == timezone.now().utcoffset()
