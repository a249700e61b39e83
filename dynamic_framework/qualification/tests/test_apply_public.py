"""The framework's public pages: about the framework, what you will need, the glossary; and the links to them
from the start page and the account page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import GlossaryTerm
from dynamic_framework.qualification.tests.factories import the_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(reference_data):
    return the_framework()


def text(response) -> str:
    """The page, with the apostrophes Jinja escapes put back, so that tests can look for sentences."""
    return response.content.decode().replace("&#39;", "'")


# About the framework ---------------------------------------------------------------------------------------------


def test_framework_page_explains_the_framework(client, framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/framework/")
    assert response.status_code == 200
    page = text(response)
    assert framework.name in page
    assert "Organisations of any size can join at any time while the framework is open" in page  # the purpose
    # the 14 categories, each linked to its page
    for category in framework.categories.all():
        assert f'href="/service-categories/{category.slug}/"' in page
    assert "There are 14 types of service" in page
    # the term, with its extension options and the end date so far
    assert "15 June 2020" in page and "10 June 2027" in page
    assert page.count("Extension option") == 3
    assert "Up to 12 more months, if it is extended by 10 March 2027" in page
    # status: open, and dynamic
    assert "Open for applications" in page
    assert "you can apply at any time while it is open" in page
    # how joining works, in 4 steps
    assert page.count("<li>", page.index("How joining works"), page.index("Types of service")) == 4
    # links on
    assert 'href="/framework/what-you-will-need/"' in page
    assert 'href="/framework/glossary/"' in page
    assert 'href="/framework/register/"' in page


def test_framework_page_counts_questions_for_every_size_band(client, framework):
    page = text(client.get("/framework/"))
    assert "<caption" in page and "Number of questions for each size of organisation" in page
    content = services.current_question_set(framework).parsed
    table = page[page.index("<table") : page.index("</table>")]
    for count in content.counts():
        assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{count.base}</td>' in table
    micro, major = content.count("micro"), content.count("major")
    assert micro.base < major.base, "smaller organisations answer fewer questions"
    assert micro.per_category == 1 and micro.wales == 2
    for label in ("Micro", "Small", "Medium", "Large", "Major"):
        assert f'<th scope="row" class="govuk-table__header">{label} ' in table


def test_framework_page_shows_when_it_is_closed_or_ended(client, framework):
    services.close_framework(actor="system", framework=framework, reason="We are reviewing the questions.")
    page = text(client.get("/framework/"))
    assert "Closed to new applications" in page and "We are reviewing the questions." in page
    framework.ends_on = timezone.localdate() - timedelta(days=1)
    framework.starts_on = framework.ends_on - timedelta(days=400)
    framework.save()
    page = text(client.get("/framework/"))
    assert "The framework has ended." in page


def test_framework_page_start_button_depends_on_who_is_looking(client, framework):
    page = text(client.get("/framework/"))
    assert "Create an account to apply" in page and 'href="/register/"' in page
    assert 'href="/sign-in/?next=/applications/"' in page

    client.force_login(user_with_role("provider_staff"))
    page = text(client.get("/framework/"))
    assert 'href="/applications/"' in page and "Create an account to apply" not in page

    client.force_login(user_with_role("commissioner"))
    page = text(client.get("/framework/"))
    assert "you need to be an administrator or member of staff of a provider organisation" in page


def test_framework_page_answers_only_get(client, framework):
    assert client.post("/framework/").status_code == 405


def test_framework_page_without_a_framework_is_not_found(client, db):
    assert client.get("/framework/").status_code == 404
    assert client.get("/framework/what-you-will-need/").status_code == 404


# What you will need ---------------------------------------------------------------------------------------------------


def test_what_you_will_need_without_a_size_band_shows_a_chooser(client, framework):
    response = client.get("/framework/what-you-will-need/")
    page = text(response)
    assert response.status_code == 200
    assert 'name="size_band"' in page and 'value="micro"' in page and 'value="major"' in page
    assert "What a micro organisation is asked" not in page
    assert "There is a problem" not in page


def test_what_you_will_need_for_a_micro_organisation(client, framework):
    page = text(client.get("/framework/what-you-will-need/?size_band=micro"))
    content = services.current_question_set(framework).parsed
    count = content.count("micro")
    assert "What a micro organisation is asked" in page
    assert f"{count.base} questions, of which {count.documents} ask for a document" in page
    assert "Plus 1 for each type of service you apply for" in page
    assert f"Plus {count.wales} more if you apply for areas in Wales" in page
    # proportionate: an income statement and a short self-assessment, not audited accounts or a certificate
    assert "Your latest accounts or a statement of your income and spending" in page
    assert "Which of these does your organisation do?" in page
    assert "Your audited accounts for the last financial year" not in page
    assert "Cyber Essentials or Cyber Essentials Plus certificate number" not in page
    # each section, with every question a micro organisation answers
    for section, question in content.questions_for("micro", in_wales=True):
        assert section.title in page
        assert question.label in page
    # documents, with the types allowed; the Welsh section marked; one example of past work per category
    assert "Documents can be PDF, Word (DOCX), OpenDocument text (ODT), Excel (XLSX)" in page
    assert "up to 10MB each" in page
    assert "Welsh language (only if you apply for areas in Wales)" in page
    assert "One example of your past work for each type of service you apply for" in page
    assert "up to 300 words, one for each type of service" in page
    assert len(re.findall(r"govuk-tag--yellow\">\s*Document\s*<", page)) == count.documents


def test_what_you_will_need_for_a_large_organisation(client, framework):
    page = text(client.get("/framework/what-you-will-need/?size_band=large"))
    assert "Your audited accounts for the last financial year" in page
    assert "Your Cyber Essentials or Cyber Essentials Plus certificate number" in page
    assert "Your latest accounts or a statement of your income and spending" not in page
    assert "Which of these does your organisation do?" not in page


def test_what_you_will_need_with_a_bad_size_band_shows_an_error(client, framework):
    response = client.get("/framework/what-you-will-need/?size_band=enormous")
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the size of your organisation from the list" in page
    assert 'href="#id_size_band"' in page
    assert "<title>Error: " in page


def test_what_you_will_need_defaults_to_the_signed_in_providers_size(client, framework):
    org = ProviderFactory(latest_income_pence=2_000_000_00)  # £2 million: large
    client.force_login(user_with_role("provider_administrator", organisation=org))
    page = text(client.get("/framework/what-you-will-need/"))
    assert "What a large organisation is asked" in page
    assert 'value="large" checked' in page


def test_what_you_will_need_for_a_provider_whose_income_is_unknown_shows_the_chooser(client, framework):
    org = ProviderFactory(latest_income_pence=None, income_year="")
    client.force_login(user_with_role("provider_administrator", organisation=org))
    page = text(client.get("/framework/what-you-will-need/"))
    assert "organisation is asked" not in page and 'name="size_band"' in page


# The glossary --------------------------------------------------------------------------------------------------------


def test_glossary_lists_every_term_with_an_anchor(client, framework, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/framework/glossary/")
    page = text(response)
    terms = list(GlossaryTerm.objects.all())
    assert len(terms) > 10
    for term in terms:
        assert f'id="{term.slug}"' in page
    assert '<dt class="govuk-heading-s govuk-!-margin-bottom-1" id="cyber-essentials">Cyber Essentials</dt>' in page
    assert "<dl" in page


# Links from elsewhere -----------------------------------------------------------------------------------------------


def test_start_page_links_to_the_framework(client, reference_data):
    assert 'href="/framework/"' in text(client.get("/"))


def test_account_page_links_provider_members_to_their_applications(client, reference_data):
    client.force_login(user_with_role("provider_staff"))
    assert 'href="/applications/"' in text(client.get("/account/"))
    client.force_login(user_with_role("commissioner"))
    assert 'href="/applications/"' not in text(client.get("/account/"))
