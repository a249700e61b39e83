"""A framework manager keeps the framework and its questions up to date in a real browser, with axe-core on every
page: the framework page, closing it, the versions, a version, changing a section, a question with an error,
adding a question, and publishing the new version."""

import re

import pytest

pytestmark = pytest.mark.browser


def sign_in(page, user):
    from dynamic_framework.accounts.tests.factories import PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def check(page, axe, problems: list, heading: str):
    """One h1 with the expected text, a GOV.UK title, and no axe violations."""
    page.wait_for_load_state("load")  # a form posted back to the same URL: wait for the new page
    h1 = page.locator("h1")
    if h1.count() != 1 or heading not in h1.inner_text():
        problems.append(f"{page.url}: h1 {h1.all_inner_texts()!r}, expected {heading!r}")
    if not re.search(r" – GOV\.UK$", page.title()):
        problems.append(f"{page.url}: title {page.title()!r}")
    try:
        axe(page)
    except AssertionError as error:
        problems.append(str(error))


def test_a_framework_manager_changes_and_publishes_the_questions(page, live_server, live_reference_data, axe):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.qualification import services
    from dynamic_framework.qualification.tests.factories import the_framework

    manager = user_with_role("framework_manager", email="manager.browser@example.org", full_name="Morgan Manager")
    problems: list[str] = []
    sign_in(page, manager)

    page.get_by_role("link", name="Manage the framework").click()
    page.wait_for_url("**/framework/manage/")
    check(page, axe, problems, "Manage the framework")

    # Bad details: the error summary, nothing saved.
    page.locator("#id_ends_on").fill("31")
    page.locator("#id_ends_on_month").fill("2")
    page.get_by_role("button", name="Save the details").click()
    assert page.locator(".govuk-error-summary").get_by_text("The end date must be a real date").count() == 1
    check(page, axe, problems, "Manage the framework")

    page.get_by_role("button", name="Close it to new applications").click()
    page.wait_for_url("**/framework/manage/close/")
    check(page, axe, problems, "Close the framework to new applications")
    page.get_by_role("button", name="Close to new applications").click()
    assert page.locator(".govuk-error-summary").count() == 1
    check(page, axe, problems, "Close the framework to new applications")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url("**/framework/manage/")

    page.get_by_role("link", name="Questions and guidance").first.click()
    page.wait_for_url("**/framework/manage/questions/")
    check(page, axe, problems, "Questions and guidance")

    page.get_by_role("button", name="Make a new version").click()
    page.wait_for_url("**/framework/manage/questions/2/")
    check(page, axe, problems, "Version 2 of the questions")

    page.get_by_role("link", name="Change the title and guidance of the section Who can join").click()
    page.wait_for_url("**/sections/eligibility/")
    check(page, axe, problems, "Change the section Who can join")
    page.get_by_label("Title").fill("Can you join?")
    page.get_by_role("button", name="Save the section").click()
    page.wait_for_url("**/framework/manage/questions/2/#eligibility")

    page.get_by_role("link", name="Change the question tax").click()
    page.wait_for_url("**/questions/tax/")
    check(page, axe, problems, "Change the question tax")
    page.get_by_label("Longer answer, with a word limit").check()
    page.get_by_role("button", name="Save the question").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name="The word limit must be a whole number from 1 to 1000").count() == 1
    check(page, axe, problems, "Change the question tax")
    page.get_by_label("Word limit", exact=True).fill("200")
    page.get_by_role("button", name="Save the question").click()
    page.wait_for_url("**/framework/manage/questions/2/#question-tax")

    page.get_by_role("link", name="Add a question to the section Keeping people safe").click()
    page.wait_for_url("**/sections/safeguarding/add/")
    check(page, axe, problems, "Add a question to Keeping people safe")
    page.get_by_label("Key").fill("mentoring")
    page.get_by_label("Yes or no", exact=True).check()
    page.get_by_label("Question", exact=True).fill("Do you offer mentoring?")
    page.get_by_role("button", name="Add the question").click()
    page.wait_for_url("**/framework/manage/questions/2/#question-mentoring")
    check(page, axe, problems, "Version 2 of the questions")  # with what changes from version 1

    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_url("**/questions/2/publish/")
    check(page, axe, problems, "Publish version 2 of the questions")
    page.get_by_label("What has changed in this version?").fill("Can you join, tax and mentoring.")
    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_url("**/framework/manage/questions/")
    assert page.get_by_text("Version 2 is published: new applications answer it").count() == 1
    check(page, axe, problems, "Questions and guidance")

    assert not problems, "\n\n".join(problems)
    current = services.current_question_set(the_framework())
    assert current.version == 2
    content = current.parsed
    assert content.section("eligibility").title == "Can you join?"
    assert content.section("eligibility").question("tax").word_limit == 200
    assert content.section("safeguarding").question("mentoring").kind == "yes_no"
