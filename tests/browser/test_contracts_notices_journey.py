"""Issue 6's information-flow journey in a real browser, only through the web pages, with axe-core on every page:
the commissioner sends a cascade-required notice (an error first) -> the prime passes it on to its two
subcontractors with a note and acknowledges it -> one subcontractor acknowledges the next day, the other only after
its 5 working days, seeing the overdue flag first -> the commissioner's sent notices, the notice page and the
measure show it, the public notices page lists it, and the insights dashboard shows the measure by region.

The clock (time-machine, which moves it for the live server too, running in this process) starts on Monday 2 March
2026 and moves on to each person's day; everyone signs in again on their day, as they would."""

import re

import pytest
import time_machine

pytestmark = pytest.mark.browser

TITLE = "Referrals move to the new form"
BODY = "From 16 March, send referrals through the new form.\n\nThe old mailbox closes on 31 March."
NOTE = "Please brief your referral teams this week."


class Journey:
    def __init__(self, page, axe):
        self.page, self.axe, self.problems = page, axe, []

    def check(self, heading: str, *, errors: bool = False):
        page = self.page
        page.wait_for_load_state("load")
        h1 = page.locator("h1")
        if h1.count() != 1 or heading not in h1.inner_text():
            self.problems.append(f"{page.url}: h1 {h1.all_inner_texts()!r}, expected {heading!r}")
        if not re.search(r" – GOV\.UK$", page.title()):
            self.problems.append(f"{page.url}: title {page.title()!r}")
        if (page.locator(".govuk-error-summary").count() == 1) != errors:
            self.problems.append(f"{page.url}: error summary {'missing' if errors else 'not expected'}")
        try:
            self.axe(page)
        except AssertionError as error:
            self.problems.append(str(error))

    def sign_in(self, user):
        from dynamic_framework.accounts.tests.factories import PASSWORD

        page = self.page
        page.context.clear_cookies()
        page.goto("/sign-in/")
        page.get_by_label("Email address").fill(user.email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/account/")


def at(year, month, day, hour=10):
    from dynamic_framework.contracts.tests.notices_helpers import uk

    return time_machine.travel(uk(year, month, day, hour), tick=True)


def test_notice_passed_down_the_supply_chain_one_acknowledged_late(page, live_server, live_reference_data, axe):
    from dynamic_framework.contracts.models import Notice, NoticeDelivery
    from dynamic_framework.contracts.tests.notices_helpers import NoticeWorld

    w = NoticeWorld.build(subs=2)
    j = Journey(page, axe)

    # Monday 2 March: the commissioner sends the notice
    with at(2026, 3, 2):
        j.sign_in(w.commissioner)
        page.goto("/notices/sent/")
        j.check("Notices you have sent")
        page.get_by_role("button", name="Send a notice").click()
        j.check("Send a notice to lead providers")
        page.get_by_label("Provider, area or reference contains").fill("NOT-1")
        page.get_by_role("button", name="Show contracts").click()
        page.wait_for_url("**/notices/new/?*")
        j.check("Send a notice to lead providers")
        assert page.locator('input[name="contracts"]').count() == 1
        page.get_by_role("button", name="Send the notice").click()
        j.check("Send a notice to lead providers", errors=True)
        assert "Choose at least one contract" in page.locator(".govuk-error-summary").inner_text()
        page.locator('input[name="contracts"][value="NOT-1"]').check()
        page.get_by_label("Policy change").check()
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("What the notice says").fill(BODY)
        page.get_by_role("group", name="Must the lead providers pass it on to their supply chains?").get_by_label(
            "Yes"
        ).check()
        public = page.get_by_role("group", name="Publish it on the public notices page?")
        assert public.get_by_label("Yes").is_checked()
        assert "operational guidance is published by default" in public.inner_text()
        page.get_by_role("button", name="Send the notice").click()
        page.wait_for_url("**/notices/N-*/")
        j.check(TITLE)
        assert "Yes, to every supply chain member by 9 March 2026" in page.content()
        notice = Notice.objects.get(title=TITLE)

    # Tuesday 3 March: the prime passes it on with a note, and acknowledges it
    with at(2026, 3, 3):
        j.sign_in(w.prime_user)
        page.goto("/your-notices/")
        j.check("Your notices")
        assert page.locator(".govuk-tag", has_text="To pass on").count() == 1
        page.get_by_role("button", name=re.compile("Pass it on to your supply chain")).click()
        j.check("Pass the notice on to your supply chain")
        assert "Sub A" in page.content() and "Sub B" in page.content()
        page.get_by_label("A note to your supply chain (optional)").fill(NOTE)
        page.get_by_role("button", name="Pass it on").click()
        page.wait_for_url("**/your-notices/")
        j.check("Your notices")
        assert "passed on to 2 organisations" in page.content()
        page.get_by_role("button", name=re.compile("^Acknowledge")).click()
        page.wait_for_url("**/your-notices/")
        j.check("Your notices")
        assert page.locator(".govuk-tag", has_text="Acknowledged").count() == 1

    # Wednesday 4 March: Sub A acknowledges on time
    with at(2026, 3, 4):
        j.sign_in(w.sub_users[0])
        page.goto("/your-notices/")
        j.check("Your notices")
        assert NOTE in page.content() and "passed on by Prime Partnership" in page.content()
        assert "10 March 2026" in page.content()  # 5 working days after it reached them
        page.get_by_role("button", name=re.compile("^Acknowledge")).click()
        page.wait_for_url("**/your-notices/")
        j.check("Your notices")

    # Wednesday 11 March: the commissioner sees Sub B's acknowledgement overdue
    with at(2026, 3, 11):
        j.sign_in(w.commissioner)
        page.goto("/notices/sent/")
        j.check("Notices you have sent")
        row = page.locator("tr", has_text=TITLE)
        assert "1 acknowledgement overdue" in row.inner_text()
        row.get_by_role("link", name=TITLE).click()
        j.check(TITLE)
        sub_b = page.locator("tr", has_text="Sub B")
        assert "Acknowledgement overdue" in sub_b.inner_text()

        # Sub B sees the flag, and acknowledges late
        j.sign_in(w.sub_users[1])
        page.goto("/your-notices/")
        j.check("Your notices")
        assert page.locator(".govuk-tag--red", has_text="Acknowledgement overdue").count() == 1
        page.get_by_role("button", name=re.compile("^Acknowledge")).click()
        page.wait_for_url("**/your-notices/")
        j.check("Your notices")
        assert page.locator(".govuk-tag", has_text="Acknowledged late").count() == 1

        # The commissioner: the late acknowledgement and the measure (both reached in 1 working day)
        j.sign_in(w.commissioner)
        page.goto(f"/notices/{notice.reference}/")
        j.check(TITLE)
        assert "Acknowledged late" in page.locator("tr", has_text="Sub B").inner_text()
        assert "Acknowledged late" not in page.locator("tr", has_text="Sub A").inner_text()
        page.goto("/notices/sent/")
        j.check("Notices you have sent")
        row = page.locator("tr", has_text=TITLE).inner_text()
        assert "None" in row and "2 (2)" in row
        page.get_by_role("link", name="How quickly notices reach supply chains").click()
        j.check("How quickly notices reach supply chains")
        lead_row = page.locator("table", has_text="By lead provider").locator("tr", has_text="Prime Partnership")
        assert re.sub(r"\s+", " ", lead_row.inner_text()).split("Prime Partnership")[1].split() == [
            "1",
            "2",
            "2",
            "0",
            "0",
            "100%",
            "1",
        ]

        # Everyone: the public notices page
        page.context.clear_cookies()
        page.goto("/notices/")
        j.check("Notices to providers")
        page.get_by_role("link", name=TITLE).click()
        j.check(TITLE)

        # Everyone: the measure in aggregate, by region, on the insights dashboard
        page.goto("/insights/#notices-cascade")
        j.check("Insights: who holds the contracts")
        section = page.locator("section", has_text="Notices passed down supply chains")
        north_east = re.sub(r"\s+", " ", section.locator("tr", has_text="North East").inner_text())
        assert north_east.split("North East")[1].split() == ["1", "2", "2", "0", "0", "100%", "1"]
        assert "Prime Partnership" not in section.inner_text()

    assert NoticeDelivery.objects.filter(notice=notice, acknowledged_at__isnull=False).count() == 3
    assert not j.problems, "\n".join(j.problems)
