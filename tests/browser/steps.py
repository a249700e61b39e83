"""Steps the browser tests share: signing in, checking a page (one h1, a GOV.UK title, axe) and filling a GOV.UK
date input."""

import re


def sign_in(page, user):
    from dynamic_framework.accounts.tests.factories import PASSWORD

    page.context.clear_cookies()
    page.goto("/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")


def check(page, axe, problems: list, heading: str):
    """Add to `problems` what is wrong with the page: not one h1 containing `heading`, a title not ending
    "– GOV.UK", or axe-core violations."""
    page.wait_for_load_state("load")
    h1 = page.locator("h1")
    if h1.count() != 1 or heading not in h1.inner_text():
        problems.append(f"{page.url}: h1 {h1.all_inner_texts()!r}, expected {heading!r}")
    if not re.search(r" – GOV\.UK$", page.title()):
        problems.append(f"{page.url}: title {page.title()!r}")
    try:
        axe(page)
    except AssertionError as error:
        problems.append(str(error))


def fill_date(page, prefix, day):
    page.locator(f"#id_{prefix}").fill(str(day.day))
    page.locator(f"#id_{prefix}_month").fill(str(day.month))
    page.locator(f"#id_{prefix}_year").fill(str(day.year))
