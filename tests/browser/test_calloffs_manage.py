"""Commissioners run a call-off in a real browser, with axe-core on every page: the list, creating one (with an
error first), its lots, quality questions, documents, the overview, sending it for approval, approval by a second
commissioner, an amendment, and answering a provider's question."""

import re

import pytest

from tests.browser.steps import sign_in

pytestmark = pytest.mark.browser


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


def fill_date(page, prefix, day, month, year):
    page.locator(f"#id_{prefix}").fill(str(day))
    page.locator(f"#id_{prefix}_month").fill(str(month))
    page.locator(f"#id_{prefix}_year").fill(str(year))


def test_commissioners_create_approve_amend_and_answer(page, live_server, live_reference_data, axe):
    from django.utils import timezone

    from dynamic_framework.calloffs import services
    from dynamic_framework.calloffs.models import CallOff
    from dynamic_framework.calloffs.tests.factories import CallOffWorld

    world = CallOffWorld.build(providers=1)
    year = timezone.now().year + 1
    problems: list[str] = []

    sign_in(page, world.commissioner)
    page.goto("/call-offs/")
    check(page, axe, problems, "Your call-offs")
    page.get_by_role("button", name="Create a call-off").click()
    page.wait_for_url("**/call-offs/new/")
    check(page, axe, problems, "Create a call-off")

    # Everything but the title, then the error.
    page.locator("#id_summary").fill("A women-only space for women on probation in County Durham.")
    page.get_by_label("Women", exact=True).first.check()
    page.get_by_label("North East").check()
    page.get_by_label("Grant", exact=True).check()
    page.locator("#id_funding_reason").fill("A local women's centre: a grant funds its core costs.")
    fill_date(page, "term_start", 1, 10, year)
    page.locator("#id_term_months").fill("24")
    page.locator("#id_extension_months").fill("12, 12")
    page.locator("#id_cohort_sex").check()  # the first option: anyone
    page.locator("#id_price_weight").fill("30")
    page.locator("#id_social_value_weight").fill("10")
    page.locator("#id_social_value_question").fill("How will the local community benefit?")
    page.locator("#id_minimum_quality_percent").fill("50")
    fill_date(page, "questions_close_on", 1, 7, year)
    page.locator("#id_questions_close_time").fill("17:00")
    fill_date(page, "deadline_on", 15, 7, year)
    page.locator("#id_deadline_time").fill("12:00")
    fill_date(page, "expected_award_on", 1, 8, year)
    page.get_by_role("button", name="Create the draft").click()
    assert page.locator(".govuk-error-summary").get_by_role("link", name="Enter a title").count() == 1
    check(page, axe, problems, "Create a call-off")
    assert not CallOff.objects.exists()

    page.locator("#id_title").fill("Women's centre services in County Durham")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url(re.compile(r".*/call-offs/DFC-[A-Z0-9-]+/$"))
    check(page, axe, problems, "Women's centre services in County Durham")
    call_off = CallOff.objects.get()

    page.get_by_role("link", name="Lots and their values").click()
    page.wait_for_url("**/lots/")
    check(page, axe, problems, "Lots")
    page.get_by_label("The whole region: North East").check()
    for row, value in enumerate(["545,000", "1,200,000", "1,700,000", "1,800,000"], start=1):
        page.locator(f"#id_value_{row}").fill(value)
    page.get_by_role("button", name="Add the lot").click()
    page.wait_for_url("**/lots/")
    assert page.locator("table").get_by_text("£1,800,000").count() == 1
    check(page, axe, problems, "Lots")

    page.goto(f"/call-offs/{call_off.reference}/criteria/")
    check(page, axe, problems, "Quality questions and weights")
    page.get_by_role("button", name="Add the question").click()
    assert page.locator(".govuk-error-summary").count() == 1
    check(page, axe, problems, "Quality questions and weights")
    page.get_by_label("Question", exact=True).fill("How will you work with women with complex needs?")
    page.get_by_label("Weight", exact=True).fill("60")
    page.get_by_role("button", name="Add the question").click()
    page.wait_for_url("**/criteria/")
    assert page.get_by_text("quality 60 + price 30 + social value 10 = 100").count() == 1
    check(page, axe, problems, "Quality questions and weights")

    page.goto(f"/call-offs/{call_off.reference}/documents/")
    check(page, axe, problems, "Documents")
    page.goto(f"/call-offs/{call_off.reference}/edit/")
    check(page, axe, problems, "Change the call-off's details")

    page.goto(f"/call-offs/{call_off.reference}/")
    check(page, axe, problems, "Women's centre services")
    page.get_by_role("button", name="Send for approval").click()
    page.wait_for_url(f"**/call-offs/{call_off.reference}/")
    assert page.get_by_text("the person who sent it cannot approve it").count() == 1
    check(page, axe, problems, "Women's centre services")

    # A second commissioner approves.
    sign_in(page, world.approver)
    page.goto(f"/call-offs/{call_off.reference}/")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url("**/approve/")
    check(page, axe, problems, "Approve and publish")
    page.get_by_role("button", name="Approve and publish").click()
    page.wait_for_url(f"**/call-offs/{call_off.reference}/")
    check(page, axe, problems, "Women's centre services")
    call_off.refresh_from_db()
    assert call_off.published_by == world.approver

    page.get_by_role("button", name="Amend the call-off").click()
    page.wait_for_url("**/amend/")
    check(page, axe, problems, "Amend the call-off")
    page.locator("#id_deadline_time").fill("15:00")
    page.get_by_label("What has changed?").fill("The deadline is now 3pm.")
    page.get_by_role("button", name="Publish the amendment").click()
    page.wait_for_url(f"**/call-offs/{call_off.reference}/")
    assert page.get_by_text("The deadline is now 3pm.").count() == 1

    org = world.providers[0]
    services.ask_question(
        actor=world.admin(org), call_off=call_off, organisation=org, question="Can we run it from our own centre?"
    )
    page.get_by_role("link", name="See the questions from providers").click()
    page.wait_for_url("**/questions/")
    check(page, axe, problems, "Questions from providers")
    assert page.get_by_text(org.name).count() == 0
    page.get_by_role("link", name=re.compile("Answer this question")).click()
    page.wait_for_url(re.compile(r".*/questions/\d+/$"))
    check(page, axe, problems, "Answer a question")
    page.get_by_label("The question as it will be published").fill("Can a provider's own centre be used?")
    page.get_by_label("Your answer").fill("Yes, if it is in County Durham.")
    page.get_by_role("button", name="Publish the answer").click()
    page.wait_for_url("**/questions/")
    check(page, axe, problems, "Questions from providers")

    assert not problems, "\n\n".join(problems)
    call_off.refresh_from_db()
    assert call_off.amendments.count() == 1
    assert call_off.questions.get().answered_by == world.approver
    assert [y.max_value_pence for y in call_off.lots.get().years.all()] == [
        54_500_000,
        120_000_000,
        170_000_000,
        180_000_000,
    ]
