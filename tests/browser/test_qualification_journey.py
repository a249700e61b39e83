"""Issue 4's "Done when", end to end in a real browser and only through the web pages: a new micro charity
registers and confirms its email address, applies for two types of service in two PCC areas, a framework manager
assigns it to an evaluator, the evaluator asks a question the charity answers, the framework manager qualifies it,
and an anonymous visitor finds it on the public register, its entry page, the CSV download and the API.

Three people, each in their own browser context: the charity's administrator (`page`), the framework manager and
the evaluator. axe-core checks every page they see. Everything is done the way someone without JavaScript would do
it (links, radios, checkboxes, text boxes, file inputs and submit buttons): nothing depends on a script.

The live server runs in this process: emails land in django.core.mail.outbox and tasks run at once, so the
confirmation link is read from the outbox."""

import csv
import json
import re

import pytest
from django.core import mail

pytestmark = pytest.mark.browser

PASSWORD = "purple elephants dance slowly"
CHARITY = "Hillside Women's Circle"
APPLICANT = "Ann Lewis"
APPLICANT_EMAIL = "ann@hillside.example.org"
CATEGORIES = ("Women", "Emotional Wellbeing")
AREAS = ("Durham", "Northumbria")


def _emailed(address: str, subject: str) -> bool:
    return any(address in message.to and message.subject == subject for message in mail.outbox)


def _watch(page, errors: list) -> None:
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))


def _choose(page, question: str, answer: str) -> None:
    """Select `answer` among the radios or checkboxes of the question (the fieldset's legend)."""
    page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()


def _save_and_continue(page, axe, reference: str) -> None:
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.count() == 0, summary.inner_text()
    assert page.url.endswith(f"/applications/{reference}/"), page.url
    axe(page)


def _open_section(page, axe, title: str) -> None:
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    axe(page)


def _sign_in(page, axe, user) -> None:
    from dynamic_framework.accounts.tests.factories import PASSWORD as USER_PASSWORD

    page.goto("/sign-in/")
    axe(page)
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")
    axe(page)


def _assess(page, axe, reference: str, title: str, outcome: str, note: str = "", again: bool = False) -> None:
    """On the review page: open the section, give the outcome (and note), save, and come back to the review."""
    page.get_by_role("link", name=f"{'Assess again' if again else 'Assess'} {title}", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == f"Assess {title}"
    axe(page)
    _choose(page, f"Your assessment of {title}", outcome)
    if note:
        page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Save assessment").click()
    page.wait_for_url(f"**/assessment/{reference}/*")
    assert page.locator(".govuk-error-summary").count() == 0
    axe(page)


def test_a_new_micro_charity_registers_applies_is_qualified_and_appears_on_the_register(
    page, make_context, live_server, live_reference_data, axe, settings, tmp_path
):
    from dynamic_framework.accounts.tests.factories import user_with_role
    from dynamic_framework.core.demo_qualification import demo_pdf
    from dynamic_framework.qualification.models import Application

    settings.SITE_URL = live_server.url
    mail.outbox.clear()
    errors = []
    accounts_pdf = tmp_path / "hillside-accounts-2025-26.pdf"
    accounts_pdf.write_bytes(
        demo_pdf(
            "Hillside Women's Circle: income and spending 2025-26",
            ["Income: 7,800 pounds from two small grants and donations.", "Spending: 7,150 pounds."],
        )
    )

    # 1. The charity creates its account and confirms its email address ------------------------------------
    page.goto("/")
    axe(page)
    page.get_by_role("link", name="Create an account for your organisation").click()
    page.wait_for_url("**/register/")
    axe(page)
    page.get_by_label("Your full name").fill(APPLICANT)
    page.get_by_label("Your email address").fill(APPLICANT_EMAIL)
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Your organisation's name").fill(CHARITY)
    page.get_by_label("Registered charity").check()
    page.get_by_label("I am allowed to act for this organisation").check()
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/account/")
    assert f"{CHARITY} is registered" in page.content()
    axe(page)

    [confirmation] = [m for m in mail.outbox if m.to == [APPLICANT_EMAIL]]
    link = re.search(r"https?://\S+/confirm-email/\S+/", confirmation.body).group(0)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Email address confirmed"
    axe(page)

    # 2. It applies: two types of service in two areas, every section, as a micro organisation --------------
    page.get_by_role("link", name="Join the framework").click()
    page.wait_for_url("**/framework/")
    axe(page)
    page.get_by_role("button", name="Your applications").click()
    page.wait_for_url("**/applications/")
    assert f"{CHARITY} has not applied yet." in page.content()
    axe(page)
    page.get_by_role("button", name="Start a new application").click()
    page.wait_for_url("**/applications/start/")
    assert page.locator("h1").inner_text() == "Before you start"
    axe(page)
    page.get_by_role("button", name="Start your application").click()
    page.wait_for_url(re.compile(r"/applications/DFQ-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    axe(page)

    _open_section(page, axe, "Your organisation")
    assert page.get_by_label("Name of your organisation").input_value() == CHARITY
    assert page.get_by_label("Registered charity").is_checked()
    page.get_by_label("Latest annual income, in pounds").fill("7,800")
    page.get_by_label("Financial year of that income").fill("2025-26")
    page.get_by_label("Address", exact=True).fill("The Old Chapel, Front Street\nDurham\nDH1 3NJ")
    page.get_by_label("Contact email address").fill("hello@hillside.example.org")
    _save_and_continue(page, axe, reference)
    assert "As a micro organisation" in page.locator("#question-count").inner_text()

    _open_section(page, axe, "Services and areas")
    for name in (*CATEGORIES, *AREAS):
        page.get_by_label(name, exact=True).check()
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Who can join")
    for question in (
        "Has your organisation, or anyone who runs it, been convicted of fraud, bribery, corruption, money "
        "laundering, terrorism, modern slavery or people trafficking, or of taking part in organised crime?",
        "Has a court or HMRC found that your organisation owes tax or National Insurance that it has not paid?",
        "Is your organisation insolvent, being wound up or in administration, or has it made a formal arrangement "
        "with the people it owes money to?",
        "In the last 3 years, has a funder or customer ended a contract or grant with you early, or made you pay "
        "damages, because the work was not done well?",
        "In the last 3 years, has your organisation been found to have broken employment, equality, health and "
        "safety or environmental law, or been found guilty of serious professional misconduct?",
        "Is a regulator, such as the Charity Commission or the Regulator of Social Housing, investigating your "
        "organisation, or has it been in the last 3 years?",
    ):
        _choose(page, question, "No")
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Your finances")
    page.get_by_label("Your latest accounts or a statement of your income and spending").set_input_files(accounts_pdf)
    _choose(page, "Is there anything about your finances we should know about?", "No")
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Insurance")
    _choose(
        page,
        "Do you have public liability insurance of at least £1 million?",
        "No, but we will get it before we start delivering a service",
    )
    _choose(page, "Do you have employer's liability insurance of at least £5 million?", "We do not employ anyone")
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Keeping people safe")
    _choose(page, "Do you have a written safeguarding policy for adults at risk and for children?", "Yes")
    page.get_by_label("Who is responsible for safeguarding in your organisation?").fill("Ann Lewis, Coordinator")
    page.get_by_label(
        "How do you check that your staff and volunteers are safe to work with people on probation?"
    ).fill("Our four volunteers have enhanced DBS checks and two references, and do safeguarding training every year.")
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Looking after personal information")
    page.get_by_label("Your Information Commissioner's Office (ICO) registration number").fill("ZA765432")
    page.get_by_label("Who is responsible for data protection in your organisation?").fill("Ann Lewis, Coordinator")
    for practice in (
        "Everyone uses their own strong password, and two-step sign-in for email",
        "Only people who need to can see personal information about people on probation",
    ):
        _choose(page, "Which of these does your organisation do?", practice)
    _choose(page, "In the last 3 years, have you had to report a data breach to the ICO?", "No")
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Equality and meeting people's needs")
    page.get_by_label("How does your service meet the needs of women?").fill(
        "We are a women-only group, run by women, meeting in a church hall with a creche."
    )
    page.get_by_label("How does your service meet the needs of racially minoritised people?").fill(
        "We meet with the local Bangladeshi women's association every month and pay for interpreters."
    )
    _save_and_continue(page, axe, reference)

    _open_section(page, axe, "Examples of your work")
    page.get_by_label("Tell us about one piece of work you have done that shows you can provide women services").fill(
        "Since 2023 we have run a weekly drop-in for women leaving HMP Low Newton: 31 women came in 2025."
    )
    page.get_by_label(
        "Tell us about one piece of work you have done that shows you can provide emotional wellbeing services"
    ).fill("Our volunteer-led walking group helps women with anxiety: 12 women walk with us each week.")
    _save_and_continue(page, axe, reference)

    application = Application.objects.get(reference=reference)
    count = application.question_set.parsed.count("micro").total(categories=2, in_wales=False)
    assert f"this application has {count} questions" in page.locator("#question-count").inner_text()
    assert "You have completed 9 of 9 sections." in page.content()

    # Check the answers, declare and submit
    page.get_by_role("link", name="Check your answers and submit").click()
    page.wait_for_url(f"**/applications/{reference}/check-your-answers/")
    assert page.get_by_role("link", name="hillside-accounts-2025-26.pdf").count() == 1
    assert "Our volunteer-led walking group" in page.content()
    axe(page)
    page.get_by_label("I confirm that the information I have given is true and complete").check()
    page.get_by_label("Your full name").fill(APPLICANT)
    page.get_by_label("Your role in the organisation").fill("Coordinator")
    page.get_by_role("button", name="Accept and submit").click()
    page.wait_for_url(f"**/applications/{reference}/submitted/")
    assert reference in page.locator(".govuk-panel").inner_text()
    axe(page)
    assert _emailed(APPLICANT_EMAIL, f"Application received: {reference}")

    # 3. The framework manager finds it in the queue and gives it to the evaluator ----------------------------
    manager = user_with_role("framework_manager", full_name="Tom Evans", email="tom.evans@example.org")
    evaluator = user_with_role("evaluator", full_name="Sam Patel", email="sam.patel@example.org")
    manager_page = make_context().new_page()
    _watch(manager_page, errors)
    _sign_in(manager_page, axe, manager)
    manager_page.get_by_role("link", name="Applications to assess").click()
    manager_page.wait_for_url("**/assessment/")
    axe(manager_page)
    manager_page.get_by_role("link", name=f"{reference} from {CHARITY}").click()
    manager_page.wait_for_url(f"**/assessment/{reference}/")
    axe(manager_page)
    manager_page.get_by_role("link", name="Assign an assessor").click()
    manager_page.wait_for_url(f"**/assessment/{reference}/assign/")
    axe(manager_page)
    manager_page.get_by_label("Sam Patel").check()
    manager_page.get_by_role("button", name="Assign").click()
    manager_page.wait_for_url(f"**/assessment/{reference}/")
    assert f"{reference} is assigned to Sam Patel" in manager_page.content()
    axe(manager_page)
    assert _emailed(evaluator.email, f"Application to assess: {reference} ({CHARITY})")

    # 4. The evaluator passes every section but one, and asks the charity a question about that one -----------
    evaluator_page = make_context().new_page()
    _watch(evaluator_page, errors)
    _sign_in(evaluator_page, axe, evaluator)
    evaluator_page.get_by_role("link", name="Applications to assess").click()
    evaluator_page.wait_for_url("**/assessment/")
    axe(evaluator_page)
    evaluator_page.get_by_role("link", name=f"{reference} from {CHARITY}").click()
    evaluator_page.wait_for_url(f"**/assessment/{reference}/")
    axe(evaluator_page)
    sections = [
        "Your organisation",
        "Services and areas",
        "Who can join",
        "Your finances",
        "Insurance",
        "Keeping people safe",
        "Looking after personal information",
        "Equality and meeting people's needs",
        *(f"Examples of your work: {category}" for category in CATEGORIES),
    ]
    question = "When will you have public liability insurance, and who will it be with?"
    for title in sections:
        if title == "Insurance":
            _assess(evaluator_page, axe, reference, title, "Clarification needed", note=question)
            assert "We have sent your question about Insurance to the applicant" in evaluator_page.content()
        else:
            _assess(evaluator_page, axe, reference, title, "Pass")

    # 5. The charity sees the question on its application page and answers it --------------------------------
    assert _emailed(APPLICANT_EMAIL, f"A question about your application {reference}")
    page.goto(f"/applications/{reference}/")
    assert question in page.content()
    axe(page)
    page.get_by_role("link", name="Answer the question about Insurance").click()
    page.wait_for_url(f"**/applications/{reference}/questions/*/")
    assert page.locator("#question").inner_text() == question
    axe(page)
    page.get_by_label("Your answer").fill(
        "We have a quote from a charity insurer for £5 million of cover, and will take it out before we start."
    )
    page.get_by_role("button", name="Send your answer").click()
    page.wait_for_url(f"**/applications/{reference}/")
    assert "Your answer has been sent to the assessor" in page.content()
    axe(page)

    # 6. The evaluator passes that section too --------------------------------------------------------------
    evaluator_page.reload()
    assert "a quote from a charity insurer" in evaluator_page.content()
    axe(evaluator_page)
    _assess(evaluator_page, axe, reference, "Insurance", "Pass", again=True)

    # 7. The framework manager decides: qualified in both ---------------------------------------------------
    manager_page.reload()
    assert "Every section has been assessed." in manager_page.content()
    axe(manager_page)
    manager_page.get_by_role("button", name="Make the decision").click()
    manager_page.wait_for_url(f"**/assessment/{reference}/decision/")
    axe(manager_page)
    for category in CATEGORIES:
        _choose(manager_page, f"Decision for {category}", "Qualified")
    manager_page.get_by_role("button", name="Send the decision").click()
    manager_page.wait_for_url(f"**/assessment/{reference}/")
    assert f"Decision sent: we have emailed {CHARITY}" in manager_page.content()
    axe(manager_page)
    assert _emailed(APPLICANT_EMAIL, f"Decision on your application {reference}")

    page.goto(f"/applications/{reference}/")
    decisions = page.locator("dl", has=page.get_by_text("Qualified", exact=True)).first.inner_text()
    assert all(category in decisions for category in CATEGORIES)
    assert page.get_by_text("Qualified", exact=True).count() == 2
    axe(page)

    # 8. Anyone can find it on the register, its entry page, the CSV and the API ------------------------------
    visitor = make_context().new_page()
    _watch(visitor, errors)
    visitor.goto("/framework/register/")
    axe(visitor)
    row = visitor.get_by_role("row").filter(has=visitor.get_by_role("link", name=CHARITY, exact=True))
    for text in (*CATEGORIES, ", ".join(AREAS)):
        assert text in row.inner_text()
    assert "micro" in row.inner_text().lower()

    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Download this list as a spreadsheet (CSV)").click()
    with open(download.value.path(), newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Organisation"] == CHARITY]
    assert sorted(r["Service category"] for r in rows) == sorted(CATEGORIES)
    assert {r["Police and Crime Commissioner areas"] for r in rows} == {"; ".join(AREAS)}

    row.get_by_role("link", name=CHARITY, exact=True).click()
    visitor.wait_for_url("**/framework/register/*/")
    slug = visitor.url.rstrip("/").rsplit("/", 1)[1]
    assert visitor.locator("h1").inner_text() == CHARITY
    current = visitor.locator(".govuk-summary-card")
    assert sorted(current.locator(".govuk-summary-card__title").all_inner_texts()) == sorted(CATEGORIES)
    assert all(", ".join(AREAS) in card for card in current.all_inner_texts())
    axe(visitor)

    api = visitor.request.get("/api/v1/register/")
    assert api.ok
    [entry] = [o for o in api.json()["results"] if o["name"] == CHARITY]
    assert entry["slug"] == slug and entry["size_band"] == "micro"
    assert {q["category_name"]: sorted(q["pcc_areas"]) for q in entry["qualifications"]} == {
        category: ["durham", "northumbria"] for category in CATEGORIES
    }
    one = visitor.request.get(f"/api/v1/register/{slug}/")
    assert one.ok and json.loads(one.text())["name"] == CHARITY

    assert not errors, "JavaScript errors in the page:\n" + "\n".join(errors)
