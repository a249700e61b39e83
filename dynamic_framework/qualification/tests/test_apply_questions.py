"""Section pages of questions: every kind of question, proportionate to size, glossary links, saving, errors
(nothing saved), uploads refused with GOV.UK errors, removing a document, and the examples of past work."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core import uploads
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.answers import NONE_OF_THESE
from dynamic_framework.qualification.models import ApplicationDocument
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("&#39;", "'")


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def charity(framework):
    return ProviderFactory(name="Riverside Women's Group", slug="riverside", latest_income_pence=None, income_year="")


@pytest.fixture
def admin(charity):
    return q.confirm_email(user_with_role("provider_administrator", organisation=charity))


@pytest.fixture
def micro(charity, admin):
    """A micro charity's draft, applying for women and emotional wellbeing in Durham and Northumbria."""
    application = q.draft_application(charity, admin)
    services.save_scope(
        actor=admin, application=application, categories=q.DEFAULT_CATEGORIES, pcc_areas=q.DEFAULT_AREAS
    )
    return application


@pytest.fixture
def large(framework):
    org = ProviderFactory(name="Northgate Housing Trust", slug="northgate")
    admin = user_with_role("provider_administrator", organisation=org)
    return q.draft_application(org, admin, income="2,500,000"), admin


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def section_url(application, key):
    return f"/applications/{application.reference}/sections/{key}/"


def post(client, application, key, data, files=None, action="continue"):
    return client.post(section_url(application, key), {**data, **(files or {}), "action": action})


def refreshed(application):
    application.refresh_from_db()
    return application


# Every kind of question ----------------------------------------------------------------------------------------------


def test_text_long_text_and_yes_no_explain_questions(as_admin, micro):
    page = text(as_admin.get(section_url(micro, "safeguarding")))
    assert "Keeping people safe" in page and "People on probation, their families and your staff" in page
    assert 'enctype="multipart/form-data"' in page
    # text: an input with its hint
    assert re.search(
        r'<input class="govuk-input[^"]*" id="safeguarding_lead" name="safeguarding_lead" type="text"', page
    )
    assert "Their name and job title, for example Sam Jones, Project Manager." in page
    # long text: a character count with the word limit
    assert 'id="safer_recruitment" name="safer_recruitment"' in page
    assert 'data-module="govuk-character-count" data-maxwords="150"' in page
    # yes or no, with an explanation box for the answer that needs one ("no" here)
    assert 'name="safeguarding_policy" type="radio" value="yes"' in page
    assert 'name="safeguarding_policy" type="radio" value="no"' in page
    assert 'id="safeguarding_policy__explanation" name="safeguarding_policy__explanation"' in page
    assert "If you answered no: tell us how you keep people safe without one" in page
    # a glossary link for the hard word
    assert 'href="/framework/glossary/#safeguarding"' in page and "What is Safeguarding?" in page
    assert 'href="/framework/glossary/#dbs-check"' in page
    # two ways to save
    assert 'value="continue" name="action"' in page and 'value="later" name="action"' in page
    assert "Save and come back later" in page


def test_choice_questions_are_radios(as_admin, micro):
    page = text(as_admin.get(section_url(micro, "insurance")))
    for option in ("Yes", "No, but we will get it before we start delivering a service", "No"):
        assert f'name="public_liability" type="radio" value="{option}"' in page
    assert 'name="employers_liability" type="radio" value="We do not employ anyone"' in page


def test_checklist_questions_have_an_exclusive_none_of_these(as_admin, micro):
    page = text(as_admin.get(section_url(micro, "data_protection")))
    assert page.count('name="security_self_assessment" type="checkbox"') == 7
    assert f'name="security_self_assessment" type="checkbox" value="{NONE_OF_THESE}" data-behaviour="exclusive"' in page
    assert "None of these" in page


def test_file_questions_are_uploads_with_the_types_allowed(as_admin, micro):
    page = text(as_admin.get(section_url(micro, "finances")))
    assert 'id="income_statement" name="income_statement" type="file"' in page
    assert f'accept="{uploads.ACCEPT_ATTRIBUTE}"' in page
    assert "PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX), OpenDocument spreadsheet (ODS), PNG, JPEG" in page
    assert "up to 10MB" in page


def test_date_questions_have_day_month_and_year(client, large):
    application, admin = large
    client.force_login(admin)
    page = text(client.get(section_url(application, "data_protection")))
    for part in ("day", "month", "year"):
        assert f'id="cyber_essentials_expiry__{part}" name="cyber_essentials_expiry__{part}"' in page
    assert "When does your Cyber Essentials certificate run out?" in page


def test_yes_no_questions_are_inline_radios(client, framework, charity, admin):
    draft = services.start_new_version(actor="system", framework=framework)
    services.add_question(
        actor="system",
        question_set=draft,
        section_key="insurance",
        key="vehicles",
        kind="yes_no",
        label="Do your staff drive people in their own cars?",
        hint="For example, to appointments.",
    )
    services.publish_question_set(actor="system", question_set=draft, change_note="A question about cars.")
    application = q.draft_application(charity, admin)
    client.force_login(admin)
    page = text(client.get(section_url(application, "insurance")))
    assert "Do your staff drive people in their own cars?" in page
    assert 'class="govuk-radios govuk-radios--inline"' in page
    assert 'name="vehicles" type="radio" value="yes"' in page and 'name="vehicles" type="radio" value="no"' in page
    response = post(client, application, "insurance", {"vehicles": "maybe"}, action="later")
    assert "Select yes or no" in text(response) and 'href="#vehicles"' in text(response)
    post(client, application, "insurance", {"vehicles": "no"}, action="later")
    assert refreshed(application).answers["vehicles"] == "no"


# Proportionate to size ---------------------------------------------------------------------------------------------


def test_a_micro_charity_sends_an_income_statement_and_a_short_security_checklist(as_admin, micro):
    finances = text(as_admin.get(section_url(micro, "finances")))
    assert "Your latest accounts or a statement of your income and spending" in finances
    assert "Your audited accounts for the last financial year" not in finances
    assert "Is your organisation part of a group" not in finances
    security = text(as_admin.get(section_url(micro, "data_protection")))
    assert "Which of these does your organisation do?" in security
    assert "certificate number" not in security and "cyber_essentials" not in security


def test_a_large_organisation_sends_audited_accounts_and_cyber_essentials(client, large):
    application, admin = large
    client.force_login(admin)
    finances = text(client.get(section_url(application, "finances")))
    assert "Your audited accounts for the last financial year" in finances
    assert "Is your organisation part of a group, or owned by another organisation?" in finances
    assert "statement of your income and spending" not in finances
    security = text(client.get(section_url(application, "data_protection")))
    assert "Your Cyber Essentials or Cyber Essentials Plus certificate number" in security
    assert 'href="/framework/glossary/#cyber-essentials"' in security
    assert "Which of these does your organisation do?" not in security


# Saving, and errors -------------------------------------------------------------------------------------------------


SAFEGUARDING = {
    "safeguarding_policy": "yes",
    "safeguarding_lead": "Sam Jones, Project Manager",
    "safer_recruitment": "DBS checks and two references for everyone.",
}


def test_save_and_continue(as_admin, micro):
    response = post(as_admin, micro, "safeguarding", SAFEGUARDING)
    assert response.status_code == 302 and response["Location"] == f"/applications/{micro.reference}/"
    answers = refreshed(micro).answers
    assert answers["safeguarding_policy"] == {"answer": "yes"}
    assert answers["safeguarding_lead"] == "Sam Jones, Project Manager"
    # shown again next time
    page = text(as_admin.get(section_url(micro, "safeguarding")))
    assert 'value="Sam Jones, Project Manager"' in page
    assert 'name="safeguarding_policy" type="radio" value="yes" checked' in page


def test_save_and_continue_needs_every_answer_and_saves_nothing_otherwise(as_admin, micro):
    events = AuditEvent.objects.count()
    response = post(as_admin, micro, "safeguarding", {"safeguarding_lead": "Sam Jones", "safeguarding_policy": "no"})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error: " in page
    assert 'href="#safeguarding_policy__explanation"' in page
    assert "Tell us how you keep people safe without one, and when you will have one</a>" in page
    assert 'href="#safer_recruitment"' in page and "Enter your answer" in page
    # what was typed is kept
    assert 'value="Sam Jones"' in page
    assert 'name="safeguarding_policy" type="radio" value="no" checked' in page
    # and nothing is saved
    assert "safeguarding_lead" not in refreshed(micro).answers
    assert AuditEvent.objects.count() == events


def test_save_and_come_back_later_checks_only_what_was_given(as_admin, micro):
    response = post(as_admin, micro, "safeguarding", {"safeguarding_lead": "Sam Jones"}, action="later")
    assert response["Location"] == f"/applications/{micro.reference}/"
    assert refreshed(micro).answers["safeguarding_lead"] == "Sam Jones"
    assert "Your answers have been saved" in text(as_admin.get(f"/applications/{micro.reference}/"))
    # but what is given must still be right
    response = post(as_admin, micro, "safeguarding", {"safer_recruitment": "word " * 151}, action="later")
    assert "Your answer must be 150 words or fewer (it is 151 words)" in text(response)


def test_a_yes_needs_its_explanation(as_admin, micro):
    data = dict.fromkeys(("serious_offences", "tax", "insolvency", "past_performance", "misconduct"), "no")
    response = post(as_admin, micro, "eligibility", {**data, "regulator": "yes", "regulator__explanation": ""})
    assert 'href="#regulator__explanation"' in text(response)
    response = post(
        as_admin,
        micro,
        "eligibility",
        {**data, "regulator": "yes", "regulator__explanation": "The Charity Commission, about a late return."},
    )
    assert response.status_code == 302
    assert refreshed(micro).answers["regulator"] == {
        "answer": "yes",
        "explanation": "The Charity Commission, about a late return.",
    }
    page = text(as_admin.get(section_url(micro, "eligibility")))
    assert "The Charity Commission, about a late return." in page


def test_checklist_none_of_these(as_admin, micro):
    option = "Computers have antivirus or built-in protection switched on"
    response = post(as_admin, micro, "data_protection", {"security_self_assessment": [option, NONE_OF_THESE]})
    assert "Select the things you do, or select 'None of these'" in text(response)
    assert 'href="#security_self_assessment"' in text(response)
    post(as_admin, micro, "data_protection", {"security_self_assessment": [NONE_OF_THESE]}, action="later")
    assert refreshed(micro).answers["security_self_assessment"] == []
    page = text(as_admin.get(section_url(micro, "data_protection")))
    assert f'value="{NONE_OF_THESE}" checked data-behaviour="exclusive"' in page
    post(as_admin, micro, "data_protection", {"security_self_assessment": [option]}, action="later")
    assert refreshed(micro).answers["security_self_assessment"] == [option]


def test_choice_from_outside_the_list_is_refused(as_admin, micro):
    response = post(as_admin, micro, "insurance", {"public_liability": "Maybe"}, action="later")
    assert "Select one of the options" in text(response) and 'href="#public_liability"' in text(response)
    assert "public_liability" not in refreshed(micro).answers


def test_dates(client, large):
    application, admin = large
    client.force_login(admin)
    data = {
        "cyber_essentials_expiry__day": "31",
        "cyber_essentials_expiry__month": "2",
        "cyber_essentials_expiry__year": "2027",
    }
    response = post(client, application, "data_protection", data, action="later")
    page = text(response)
    assert "The date must be a real date" in page and 'href="#cyber_essentials_expiry__day"' in page
    assert 'name="cyber_essentials_expiry__month" type="text" value="2"' in page
    assert "cyber_essentials_expiry" not in refreshed(application).answers
    post(client, application, "data_protection", {**data, "cyber_essentials_expiry__day": "28"}, action="later")
    assert refreshed(application).answers["cyber_essentials_expiry"] == "2027-02-28"
    page = text(client.get(section_url(application, "data_protection")))
    assert 'name="cyber_essentials_expiry__day" type="text" value="28"' in page


# Uploads --------------------------------------------------------------------------------------------------------------


def _refused(client, application, upload, message):
    events = AuditEvent.objects.count()
    response = post(client, application, "finances", {"financial_concerns": "no"}, files={"income_statement": upload})
    page = text(response)
    assert response.status_code == 200, page
    assert "There is a problem" in page and 'href="#income_statement"' in page
    assert message in page
    assert 'class="govuk-file-upload govuk-file-upload--error"' in page or "govuk-file-upload--error" in page
    assert not ApplicationDocument.objects.exists()
    assert "financial_concerns" not in refreshed(application).answers, "nothing is saved"
    assert AuditEvent.objects.count() == events


def test_an_upload_of_the_wrong_type_is_refused(as_admin, micro):
    upload = SimpleUploadedFile("notes.txt", b"some notes", content_type="text/plain")
    _refused(as_admin, micro, upload, "The selected file must be a PDF, DOCX, ODT, XLSX, ODS, PNG or JPEG")


def test_a_renamed_file_is_refused(as_admin, micro):
    upload = SimpleUploadedFile("accounts.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    _refused(as_admin, micro, upload, "The selected file is not a real PDF file")


def test_an_empty_file_is_refused(as_admin, micro):
    upload = SimpleUploadedFile("accounts.pdf", b"", content_type="application/pdf")
    _refused(as_admin, micro, upload, "The selected file is empty")


def test_a_file_too_large_is_refused(as_admin, micro, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", len(q.PDF_BYTES) - 1)
    _refused(as_admin, micro, q.pdf(), "The selected file must be smaller than 10MB")


def test_a_good_upload_is_kept_and_shown(as_admin, micro):
    response = post(as_admin, micro, "finances", {"financial_concerns": "no"}, files={"income_statement": q.pdf()})
    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert refreshed(micro).answers["income_statement"] == {"document": document.pk, "name": "accounts.pdf"}
    page = text(as_admin.get(section_url(micro, "finances")))
    assert f'href="/applications/{micro.reference}/documents/{document.pk}/"' in page
    assert "accounts.pdf" in page
    # the remove button belongs to its own form, outside the section's form (not the default button)
    assert 'form="remove-income_statement"' in page
    remove = f'action="/applications/{micro.reference}/documents/income_statement/remove/"'
    assert f'<form id="remove-income_statement" method="post" {remove}>' in page
    assert page.index(remove) > page.index("</form>")
    assert "Choose a new file only if you want to replace the one you sent." in page
    # saving again without a new file keeps it
    post(as_admin, micro, "finances", {"financial_concerns": "no"})
    assert refreshed(micro).answers["income_statement"]["document"] == document.pk


def test_a_file_chosen_on_a_page_with_a_problem_must_be_chosen_again(as_admin, micro):
    response = post(as_admin, micro, "finances", {"financial_concerns": "yes"}, files={"income_statement": q.pdf()})
    page = text(response)
    assert 'href="#financial_concerns__explanation"' in page
    assert "Choose the file again: files are not kept when there is a problem on the page." in page
    assert not ApplicationDocument.objects.exists()


def test_removing_a_document(as_admin, micro):
    post(as_admin, micro, "finances", {"financial_concerns": "no"}, files={"income_statement": q.pdf()})
    url = f"/applications/{micro.reference}/documents/income_statement/remove/"
    assert as_admin.get(url).status_code == 405
    response = as_admin.post(url)
    assert response["Location"] == section_url(micro, "finances")
    assert "income_statement" not in refreshed(micro).answers
    page = text(as_admin.get(section_url(micro, "finances")))
    assert "The document has been removed" in page and 'form="remove-income_statement"' not in page
    # nothing left to remove: said plainly
    as_admin.post(url)
    assert "There is no document to remove" in text(as_admin.get(section_url(micro, "finances")))
    assert as_admin.post(f"/applications/{micro.reference}/documents/safeguarding_lead/remove/").status_code == 404


# Examples of past work ----------------------------------------------------------------------------------------------


def test_case_studies_one_for_each_category(as_admin, micro):
    page = text(as_admin.get(section_url(micro, "past_work")))
    assert "Examples of your work" in page
    assert 'id="case_study-women" name="case_study:women"' in page
    assert 'id="case_study-emotional-wellbeing" name="case_study:emotional-wellbeing"' in page
    assert "Tell us about one piece of work you have done that shows you can provide women services" in page
    assert "shows you can provide emotional wellbeing services" in page
    assert page.count('data-maxwords="300"') == 2
    response = post(as_admin, micro, "past_work", {"case_study:women": "A weekly group for women."})
    assert 'href="#case_study-emotional-wellbeing"' in text(response)
    assert "case_study:women" not in refreshed(micro).answers
    post(
        as_admin,
        micro,
        "past_work",
        {"case_study:women": "A weekly group for women.", "case_study:emotional-wellbeing": "Peer support."},
    )
    answers = refreshed(micro).answers
    assert answers["case_study:women"] == "A weekly group for women."
    assert answers["case_study:emotional-wellbeing"] == "Peer support."
