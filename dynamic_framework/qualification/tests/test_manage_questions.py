"""The framework managers' pages for the questions: the versions, one version, and changing a draft (sections,
questions), publishing and discarding it. Bad input shows the GOV.UK error summary and saves nothing."""

import copy
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import Application, QuestionSet
from dynamic_framework.qualification.tests import factories

pytestmark = pytest.mark.django_db

QUESTIONS = "/framework/manage/questions/"


@pytest.fixture
def framework(reference_data):
    return factories.the_framework()


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="manager@example.org", full_name="Morgan Manager")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def draft(framework, manager):
    return services.start_new_version(actor=manager, framework=framework)


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def error_summary(response) -> list[tuple[str, str]]:
    body = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', body, re.S)
    if not match:
        return []
    items = re.findall(r"<li>\s*(?:<a href=\"([^\"]*)\">)?\s*(.*?)\s*(?:</a>)?\s*</li>", match.group(1), re.S)
    return [(href, html.unescape(message)) for href, message in items]


def version_url(version, name="question-set", **kwargs):
    return reverse(f"qualification:{name}", kwargs={"version": version, **kwargs})


def question_form(**overrides) -> dict:
    data = {
        "kind": "long_text",
        "label": "How do you help people find work?",
        "hint": "Tell us about one person you helped.",
        "size_bands": ["micro", "small", "medium", "large", "major"],
        "required": "on",
        "word_limit": "300",
        "explain_when": "",
        "explain_label": "",
        "options": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_url_names():
    assert reverse("qualification:questions") == QUESTIONS
    assert version_url(2) == "/framework/manage/questions/2/"
    assert version_url(2, "edit-section", section_key="eligibility") == (
        "/framework/manage/questions/2/sections/eligibility/"
    )
    assert version_url(2, "add-question", section_key="eligibility") == (
        "/framework/manage/questions/2/sections/eligibility/add/"
    )
    assert version_url(2, "edit-question", question_key="tax") == "/framework/manage/questions/2/questions/tax/"
    assert version_url(2, "remove-question", question_key="tax") == (
        "/framework/manage/questions/2/questions/tax/remove/"
    )
    assert version_url(2, "publish") == "/framework/manage/questions/2/publish/"
    assert version_url(2, "discard") == "/framework/manage/questions/2/discard/"


def test_only_framework_managers(client, framework, draft):
    pages = [QUESTIONS, version_url(1), version_url(2, "edit-question", question_key="tax"), version_url(2, "publish")]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    client.force_login(user_with_role("evaluator"))
    for path in pages:
        assert client.get(path).status_code == 403
    assert client.post(version_url(2, "discard")).status_code == 403
    assert QuestionSet.objects.filter(pk=draft.pk).exists()


# The versions --------------------------------------------------------------------------------------------------


def test_the_versions_with_the_current_one_marked_and_the_counts(manager_client, framework, manager):
    org = ProviderFactory(name="Counted Charity", latest_income_pence=None, income_year="")
    factories.draft_application(org, user_with_role("provider_administrator", organisation=org))
    response = manager_client.get(QUESTIONS)
    assert response.status_code == 200
    body = response.content.decode()
    row = re.search(r'<tr class="govuk-table__row" data-version="1">(.*?)</tr>', body, re.S).group(1)
    assert "Current" in row
    assert "The first version, as shipped with the service." in row
    assert re.search(r"govuk-table__cell--numeric\">\s*1\s*</td>", row)  # one application answered it
    page = text(response)
    assert "How many questions each size of organisation answers in version 1" in page
    assert re.search(r"Micro.*?income under £10,000.*?<td[^>]*>29</td>", page)
    assert "Make a new version" in page


def test_make_a_new_version_then_not_a_second(manager_client, framework):
    response = manager_client.post(QUESTIONS)
    assert response.status_code == 302 and response["Location"] == version_url(2)
    draft = QuestionSet.objects.get(framework=framework, version=2)
    assert not draft.is_published
    page = text(manager_client.get(QUESTIONS))
    assert "Version 2 is a draft." in page and "Draft" in page and "Make a new version" not in page
    response = manager_client.post(QUESTIONS, follow=True)
    assert "There is already a draft version" in text(response)
    assert QuestionSet.objects.filter(framework=framework).count() == 2


@pytest.mark.parametrize("versions", [2, 12])
def test_the_versions_page_makes_a_fixed_number_of_queries(
    manager_client, framework, manager, versions, django_assert_max_num_queries
):
    content = services.current_question_set(framework).content
    for number in range(2, versions + 1):
        QuestionSet.objects.create(
            framework=framework,
            version=number,
            content=content,
            change_note=f"Change {number}",
            published_at=timezone.now(),
            published_by=manager,
        )
    with django_assert_max_num_queries(12):
        response = manager_client.get(QUESTIONS)
    assert response.content.decode().count('data-version="') == versions


def test_the_versions_page_is_paginated(manager_client, framework, manager):
    content = services.current_question_set(framework).content
    for number in range(2, 23):
        QuestionSet.objects.create(framework=framework, version=number, content=content, published_at=timezone.now())
    first = manager_client.get(QUESTIONS).content.decode()
    assert first.count('data-version="') == 20 and 'data-version="22"' in first
    second = manager_client.get(QUESTIONS + "?page=2").content.decode()
    assert second.count('data-version="') == 2 and 'data-version="1"' in second


# One version ---------------------------------------------------------------------------------------------------


def test_a_published_version_is_read_only(manager_client, framework):
    response = manager_client.get(version_url(1))
    assert response.status_code == 200
    page = text(response)
    assert "Published versions never change: make a new version" in page
    assert "Who can join" in page and "Has a court or HMRC found" in page
    assert "Yes or no, with an explanation" in page
    assert "Everyone" in page and "Micro, Small" in page  # who answers each question
    assert "Only in Wales: if they apply for areas in Wales" in page  # the Welsh language section
    assert "150 words" in page  # safer_recruitment's word limit
    assert "Exclusion grounds" in page  # glossary terms by name
    assert "How many questions each size of organisation answers in this version" in page
    body = response.content.decode()
    assert version_url(1, "edit-question", question_key="tax") not in body
    assert version_url(1, "remove-question", question_key="tax") not in body
    assert version_url(1, "publish") not in body


def test_unknown_version_section_or_question_is_404(manager_client, framework, draft):
    assert manager_client.get(version_url(99)).status_code == 404
    assert manager_client.get(version_url(2, "edit-section", section_key="nothing")).status_code == 404
    assert manager_client.get(version_url(2, "edit-question", question_key="nothing")).status_code == 404
    assert manager_client.post(version_url(2, "remove-question", question_key="nothing")).status_code == 404
    assert manager_client.get(version_url(2, "add-question", section_key="nothing")).status_code == 404
    assert manager_client.get(version_url(99, "publish")).status_code == 404
    assert manager_client.post(version_url(99, "discard")).status_code == 404


def test_a_draft_has_links_to_change_everything_and_shows_what_changes(manager_client, framework, manager, draft):
    body = manager_client.get(version_url(2)).content.decode()
    for link in (
        version_url(2, "edit-section", section_key="eligibility"),
        version_url(2, "edit-section", section_key="organisation"),
        version_url(2, "add-question", section_key="eligibility"),
        version_url(2, "edit-question", question_key="tax"),
        version_url(2, "edit-question", question_key="case_study"),
        version_url(2, "remove-question", question_key="tax"),
        version_url(2, "publish"),
        version_url(2, "discard"),
    ):
        assert link in body, link
    assert version_url(2, "add-question", section_key="organisation") not in body
    assert version_url(2, "remove-question", question_key="case_study") not in body
    assert "Nothing yet: this draft is the same as version 1." in text(manager_client.get(version_url(2)))

    services.remove_question(actor=manager, question_set=draft, question_key="misconduct")
    services.add_question(
        actor=manager,
        question_set=draft,
        section_key="eligibility",
        key="new_question",
        kind="yes_no",
        label="Is this new?",
    )
    tax = services.current_question_set(framework).parsed.section("eligibility").question("tax")
    fields = {k: v for k, v in tax.as_dict().items() if k != "key"}
    fields["hint"] = "A shorter hint."
    services.update_question(actor=manager, question_set=draft, question_key="tax", **fields)
    body = manager_client.get(version_url(2)).content.decode()
    added = re.search(r'data-changes="added">(.*?)</ul>', body, re.S).group(1)
    removed = re.search(r'data-changes="removed">(.*?)</ul>', body, re.S).group(1)
    changed = re.search(r'data-changes="changed">(.*?)</ul>', body, re.S).group(1)
    assert "new_question" in added and "misconduct" not in added
    assert "misconduct" in removed
    assert "tax" in changed and "changed hint" in changed and "new_question" not in changed


# Sections ------------------------------------------------------------------------------------------------------


def test_changing_a_section(manager_client, draft):
    path = version_url(2, "edit-section", section_key="eligibility")
    page = text(manager_client.get(path))
    assert 'value="Who can join"' in page
    response = manager_client.post(path, {"title": "Can you join?", "guidance": "Answer honestly."})
    assert response.status_code == 302 and response["Location"] == version_url(2) + "#eligibility"
    draft.refresh_from_db()
    assert draft.parsed.section("eligibility").title == "Can you join?"
    assert draft.parsed.section("eligibility").guidance == "Answer honestly."


def test_a_section_needs_a_title_and_nothing_is_saved(manager_client, draft):
    content = copy.deepcopy(draft.content)
    path = version_url(2, "edit-section", section_key="eligibility")
    response = manager_client.post(path, {"title": "", "guidance": "Typed guidance"})
    assert response.status_code == 200
    assert error_summary(response) == [("#id_title", "Enter the section's title")]
    assert "Typed guidance" in response.content.decode()
    response = manager_client.post(path, {"title": "x" * 101, "guidance": ""})
    assert error_summary(response) == [("#id_title", "The title must be 100 characters or fewer")]
    draft.refresh_from_db()
    assert draft.content == content


def test_a_published_version_cannot_be_edited_from_the_pages(manager_client, framework):
    content = copy.deepcopy(services.current_question_set(framework).content)
    for path in (
        version_url(1, "edit-section", section_key="eligibility"),
        version_url(1, "edit-question", question_key="tax"),
        version_url(1, "add-question", section_key="eligibility"),
    ):
        response = manager_client.post(path, {"title": "Changed", **question_form(key="abc")}, follow=True)
        assert response.redirect_chain[-1][0] == version_url(1)
        assert "Published versions never change" in text(response)
    response = manager_client.post(version_url(1, "remove-question", question_key="tax"), follow=True)
    assert "cannot change" in text(response)
    response = manager_client.post(version_url(1, "discard"), follow=True)
    assert "cannot change" in text(response)
    response = manager_client.get(version_url(1, "publish"), follow=True)
    assert "Version 1 is already published" in text(response)
    assert services.current_question_set(framework).content == content


# Questions -----------------------------------------------------------------------------------------------------


def test_the_question_form_shows_every_field_and_the_key_read_only(manager_client, draft):
    response = manager_client.get(version_url(2, "edit-question", question_key="tax"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in (
        "kind",
        "label",
        "hint",
        "size_bands",
        "wales_only",
        "required",
        "word_limit",
        "explain_when",
        "explain_label",
        "options",
        "glossary",
    ):
        assert f'name="{name}"' in body, name
    assert 'name="key"' not in body
    assert "<code>tax</code>" in body and "The key cannot change" in body
    assert re.search(r'value="yes_no_explain" checked', body)
    assert "Micro (income under £10,000)" in html.unescape(body)
    assert 'value="exclusion-grounds"' in body and "Exclusion grounds" in body  # glossary terms to choose from


def test_changing_a_question(manager_client, draft):
    path = version_url(2, "edit-question", question_key="tax")
    data = question_form(
        kind="choice",
        label="Do you owe tax?",
        word_limit="300",  # ignored: only longer answers have a word limit
        options="Yes\nNo\nWe are paying it back",
        size_bands=["micro", "small"],
        wales_only="on",
        required=None,
        glossary=["exclusion-grounds"],
    )
    response = manager_client.post(path, data)
    assert response.status_code == 302 and response["Location"] == version_url(2) + "#question-tax"
    draft.refresh_from_db()
    tax = draft.parsed.section("eligibility").question("tax")
    assert (tax.kind, tax.label, tax.options) == ("choice", "Do you owe tax?", ("Yes", "No", "We are paying it back"))
    assert tax.size_bands == ("micro", "small") and tax.when == "wales" and tax.required is False
    assert tax.word_limit is None and tax.glossary == ("exclusion-grounds",)
    assert AuditEvent.objects.filter(action="qualification.question_set_question_changed").count() == 1
    body = manager_client.get(version_url(2)).content.decode()
    card = html.unescape(re.sub(r"\s+", " ", body.split('id="question-tax"')[1].split('class="govuk-summary-card"')[0]))
    assert "One of a list" in card and "Micro, Small" in card and "Only in Wales" in card
    assert "No, it is optional" in card and "We are paying it back" in card and "Exclusion grounds" in card


def test_a_longer_answer_without_a_word_limit_is_shown_on_the_word_limit_field(manager_client, draft):
    content = copy.deepcopy(draft.content)
    path = version_url(2, "edit-question", question_key="tax")
    response = manager_client.post(path, question_form(word_limit="", label="Typed label"))
    assert response.status_code == 200
    assert error_summary(response) == [
        ("#id_word_limit", "The word limit must be a whole number from 1 to 1000"),
    ]
    body = response.content.decode()
    assert "Typed label" in body  # what was typed is kept
    assert 'id="id_word_limit-error"' in body
    draft.refresh_from_db()
    assert draft.content == content
    assert not AuditEvent.objects.filter(action="qualification.question_set_question_changed").exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": ""}, ("#id_kind", "Choose the type of answer")),
        ({"label": ""}, ("#id_label", "Enter the question")),
        ({"size_bands": []}, ("#id_size_bands", "Choose at least one size of organisation")),
        ({"size_bands": ["micro", "huge"]}, ("#id_size_bands", "Choose sizes of organisation from the list")),
        ({"glossary": ["not-a-term"]}, ("#id_glossary", "Choose glossary terms from the list")),
        ({"word_limit": "lots"}, ("#id_word_limit", "Enter the word limit as a whole number, like 300")),
        ({"word_limit": "5000"}, ("#id_word_limit", "The word limit must be a whole number from 1 to 1000")),
        (
            {"kind": "checklist", "options": "Only one"},
            ("#id_options", "A checklist question needs at least 2 options"),
        ),
        ({"kind": "choice", "options": "A\nA"}, ("#id_options", "Options must be different from each other")),
        ({"kind": "yes_no_explain", "explain_when": "yes"}, ("#id_explain_label", "Explain_label is empty")),
    ],
)
def test_bad_questions_are_shown_and_nothing_is_saved(manager_client, draft, changes, expected):
    content = copy.deepcopy(draft.content)
    response = manager_client.post(version_url(2, "edit-question", question_key="tax"), question_form(**changes))
    assert response.status_code == 200
    summary = error_summary(response)
    assert expected[0] in [href for href, _message in summary], summary
    draft.refresh_from_db()
    assert draft.content == content


def test_the_case_study_label_must_keep_the_category(manager_client, draft):
    path = version_url(2, "edit-question", question_key="case_study")
    page = text(manager_client.get(path))
    assert "This is the case study question" in page
    response = manager_client.post(path, question_form(label="Tell us about your past work", word_limit="500"))
    assert response.status_code == 200
    assert error_summary(response) == [
        ("#id_label", "The case study label must contain {category} (the category's name goes there)")
    ]
    response = manager_client.post(path, question_form(kind="text", label="Past {category} work", word_limit=""))
    assert ("#id_kind", "A case study is a longer answer question") in error_summary(response)
    response = manager_client.post(path, question_form(label="Tell us about your {category} work", word_limit="400"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.parsed.case_study_section.case_study.word_limit == 400


def test_adding_a_question(manager_client, draft):
    path = version_url(2, "add-question", section_key="safeguarding")
    page = manager_client.get(path).content.decode()
    assert 'name="key"' in page and 'value="micro" checked' in page
    response = manager_client.post(path, question_form(key="mentoring", glossary=["safeguarding"]))
    assert response.status_code == 302 and response["Location"] == version_url(2) + "#question-mentoring"
    draft.refresh_from_db()
    added = draft.parsed.section("safeguarding").questions[-1]
    assert (added.key, added.kind, added.word_limit, added.for_every_band) == ("mentoring", "long_text", 300, True)
    assert draft.content["sections"][5]["questions"][-1].get("size_bands") is None  # every band: left out
    assert AuditEvent.objects.filter(action="qualification.question_set_question_added").count() == 1


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("", "Enter a key for the question"),
        ("Bad Key", "The key must be lower case letters, digits and _, starting with a letter, like insurance_cover"),
        ("tax", "There is already a question with this key in this version: choose another"),
    ],
)
def test_a_new_question_needs_a_good_new_key(manager_client, draft, key, expected):
    content = copy.deepcopy(draft.content)
    response = manager_client.post(version_url(2, "add-question", section_key="safeguarding"), question_form(key=key))
    assert response.status_code == 200
    assert error_summary(response) == [("#id_key", expected)]
    draft.refresh_from_db()
    assert draft.content == content


def test_questions_are_added_only_to_sections_of_questions(manager_client, draft):
    for section_key in ("organisation", "scope", "past_work"):
        assert manager_client.get(version_url(2, "add-question", section_key=section_key)).status_code == 404
        path = version_url(2, "add-question", section_key=section_key)
        assert manager_client.post(path, question_form(key="extra")).status_code == 404


def test_removing_questions(manager_client, draft):
    response = manager_client.post(version_url(2, "remove-question", question_key="welsh_speakers"), follow=True)
    assert response.redirect_chain == [(version_url(2) + "#welsh_language", 302)]
    assert "The question welsh_speakers is removed" in text(response)
    draft.refresh_from_db()
    assert draft.parsed.section("welsh_language").question("welsh_speakers") is None

    response = manager_client.post(version_url(2, "remove-question", question_key="welsh_service"), follow=True)
    assert response.status_code == 200
    assert "has no questions" in text(response)
    response = manager_client.post(version_url(2, "remove-question", question_key="case_study"), follow=True)
    assert response.status_code == 200
    assert "This question cannot be removed: the service needs it" in text(response)
    draft.refresh_from_db()
    assert draft.parsed.section("welsh_language").question("welsh_service") is not None
    assert draft.parsed.case_study_section.case_study is not None
    assert manager_client.get(version_url(2, "remove-question", question_key="tax")).status_code == 405


# Publishing and discarding -------------------------------------------------------------------------------------


def test_publishing_needs_a_note(manager_client, framework, draft):
    path = version_url(2, "publish")
    page = text(manager_client.get(path))
    assert "new applications answer version 2" in page
    assert "Applications already started keep the version they started with" in page
    response = manager_client.post(path, {"change_note": ""})
    assert response.status_code == 200
    assert error_summary(response) == [("#id_change_note", "Say what has changed in this version")]
    draft.refresh_from_db()
    assert not draft.is_published

    response = manager_client.post(path, {"change_note": "Shorter questions about tax."}, follow=True)
    assert response.redirect_chain == [(QUESTIONS, 302)]
    assert "Version 2 is published: new applications answer it" in text(response)
    draft.refresh_from_db()
    assert draft.is_published and draft.change_note == "Shorter questions about tax."
    assert services.current_question_set(framework) == draft


def test_discarding_a_draft(manager_client, framework, draft):
    response = manager_client.post(version_url(2, "discard"), follow=True)
    assert response.redirect_chain == [(QUESTIONS, 302)]
    assert "The draft version 2 is discarded" in text(response)
    assert not QuestionSet.objects.filter(pk=draft.pk).exists()
    assert manager_client.get(version_url(2, "discard")).status_code == 405


def test_a_draft_that_applications_use_is_not_discarded(manager_client, framework, draft):
    org = ProviderFactory(name="Using Charity", latest_income_pence=None, income_year="")
    application = factories.draft_application(org, user_with_role("provider_administrator", organisation=org))
    Application.objects.filter(pk=application.pk).update(question_set=draft)
    response = manager_client.post(version_url(2, "discard"), follow=True)
    assert response.status_code == 200
    assert "Applications use this version, so it cannot be discarded" in text(response)
    assert QuestionSet.objects.filter(pk=draft.pk).exists()


def test_content_errors_about_other_things_go_at_the_top_of_the_page():
    from django.core.exceptions import ValidationError

    from dynamic_framework.qualification.forms_manage import QuestionForm

    form = QuestionForm({"kind": "text", "label": "A question", "size_bands": ["micro"]})
    assert form.is_valid(), form.errors
    form.add_content_errors(
        ValidationError(
            [
                "question 'tax': only long_text questions have a word limit",
                "question 'other': label is empty",
                "section 'eligibility': has no questions",
            ]
        ),
        "tax",
    )
    assert form.errors["word_limit"] == ["Only longer answer questions have a word limit"]
    assert form.non_field_errors() == ["Question 'other': label is empty", "Section 'eligibility': has no questions"]
