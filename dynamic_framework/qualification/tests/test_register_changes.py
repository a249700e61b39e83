"""Changing the register through the pages: suspend, reinstate, remove (framework managers), withdraw (the
organisation's provider administrator), and the yearly confirmation of details, both ways."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.organisations.tests.factories import ProviderFactory
from dynamic_framework.qualification import services
from dynamic_framework.qualification.models import DetailsConfirmation, Qualification, Suspension
from dynamic_framework.qualification.tests import factories as q

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.fixture
def framework(reference_data):
    return q.the_framework()


@pytest.fixture
def manager(reference_data):
    return user_with_role("framework_manager", email="changes.manager@example.org")


@pytest.fixture
def on_register(manager):
    org = ProviderFactory(name="Riverside Women's Centre", slug="riverside")
    admin = q.confirm_email(user_with_role("provider_administrator", organisation=org, email="admin@riverside.example"))
    assessor = user_with_role("evaluator")
    q.qualified_application(org, admin, assessor, manager)
    women = Qualification.objects.get(organisation=org, category__slug="women")
    return {"org": org, "admin": admin, "women": women}


def url(action, qualification):
    return f"/framework/register/qualifications/{qualification.pk}/{action}/"


ENTRY = "/framework/register/riverside/"


# Suspend ----------------------------------------------------------------------------------------------------


def test_suspend_page_asks_for_a_reason(client, on_register, manager):
    client.force_login(manager)
    response = client.get(url("suspend", on_register["women"]))
    assert response.status_code == 200
    page = text(response)
    assert "Suspend this qualification" in page
    assert "Riverside Women's Centre: Women" in page
    assert "Why is it suspended?" in page
    assert "Durham, Northumbria" in page


def test_suspending_without_a_reason_shows_the_error_and_changes_nothing(client, on_register, manager):
    client.force_login(manager)
    response = client.post(url("suspend", on_register["women"]), {"reason": "  "})
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Say why the qualification is suspended" in page
    assert 'href="#id_reason"' in response.content.decode()
    assert not Suspension.objects.exists()


def test_suspend_then_reinstate_through_the_pages(
    client, on_register, manager, mailoutbox, django_capture_on_commit_callbacks
):
    women = on_register["women"]
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("suspend", women), {"reason": "Insurance has lapsed."})
    assert response.status_code == 302 and response["Location"] == ENTRY
    suspension = Suspension.objects.get(qualification=women)
    assert suspension.reason == "Insurance has lapsed." and suspension.suspended_by == manager
    assert AuditEvent.objects.filter(action="qualification.suspended").count() == 1
    assert any("suspended" in m.body for m in mailoutbox)
    page = text(client.get(ENTRY))
    assert "Riverside Women's Centre is suspended for Women" in page
    assert "Insurance has lapsed." in page

    # Suspending again: the page says so and shows no form; a POST shows the service's error
    page = text(client.get(url("suspend", women)))
    assert "This qualification is already suspended" in page
    assert 'name="reason"' not in page
    response = client.post(url("suspend", women), {"reason": "Again."})
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "This qualification is already suspended" in text(response)
    assert Suspension.objects.filter(qualification=women).count() == 1

    response = client.get(url("reinstate", women))
    assert "Reinstate this qualification" in text(response) and "Insurance has lapsed." in text(response)
    response = client.post(url("reinstate", women), {"note": ""})
    assert "Say why the qualification is reinstated" in text(response)
    response = client.post(url("reinstate", women), {"note": "New certificate seen."})
    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lift_note == "New certificate seen."
    assert AuditEvent.objects.filter(action="qualification.reinstated").count() == 1


def test_reinstating_one_that_is_not_suspended_shows_the_reason_why_not(client, on_register, manager):
    client.force_login(manager)
    women = on_register["women"]
    page = text(client.get(url("reinstate", women)))
    assert "This qualification is not suspended" in page
    response = client.post(url("reinstate", women), {"note": "Why not."})
    assert response.status_code == 200
    assert "There is a problem" in text(response) and "This qualification is not suspended" in text(response)


def test_remove_through_the_page(client, on_register, manager):
    women = on_register["women"]
    client.force_login(manager)
    assert "Remove this qualification" in text(client.get(url("remove", women)))
    response = client.post(url("remove", women), {"reason": ""})
    assert "Say why the qualification is removed" in text(response)
    response = client.post(url("remove", women), {"reason": "Ceased trading."})
    assert response.status_code == 302
    women.refresh_from_db()
    assert women.ending == "removed" and women.ending_reason == "Ceased trading." and women.ended_by == manager
    page = text(client.get(ENTRY))
    assert "Removed by the framework manager" in page and "Ceased trading." in page


def test_changes_to_an_ended_qualification_show_the_error(client, on_register, manager):
    women = on_register["women"]
    services.remove_qualification(actor=manager, qualification=women, reason="Ceased trading.")
    client.force_login(manager)
    for action, field in (("suspend", "reason"), ("reinstate", "note"), ("remove", "reason")):
        page = text(client.get(url(action, women)))
        assert "This qualification has ended" in page, action
        response = client.post(url(action, women), {field: "Something."})
        assert response.status_code == 200, action
        assert "There is a problem" in text(response) and "This qualification has ended" in text(response), action
    assert AuditEvent.objects.filter(action="qualification.removed").count() == 1


def test_only_framework_managers_change_the_register(client, on_register):
    women = on_register["women"]
    client.force_login(on_register["admin"])
    for action in ("suspend", "reinstate", "remove"):
        assert client.get(url(action, women)).status_code == 403
        assert client.post(url(action, women), {"reason": "x", "note": "x"}).status_code == 403
    client.logout()
    response = client.get(url("suspend", women))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/?next=")
    assert not Suspension.objects.exists()


def test_unknown_qualification_is_404(client, manager, reference_data):
    client.force_login(manager)
    assert client.get("/framework/register/qualifications/987654/suspend/").status_code == 404


# Withdraw ---------------------------------------------------------------------------------------------------


def test_the_provider_administrator_withdraws_from_a_category(client, on_register):
    women = on_register["women"]
    client.force_login(on_register["admin"])
    page = text(client.get(url("withdraw", women)))
    assert "Withdraw from this category" in page
    assert "You can apply again at any time" in page
    response = client.post(url("withdraw", women), {"reason": ""})
    assert "Tell us why you are withdrawing" in text(response)
    women.refresh_from_db()
    assert women.ended_at is None
    response = client.post(url("withdraw", women), {"reason": "We no longer run this service."})
    assert response.status_code == 302 and response["Location"] == ENTRY
    women.refresh_from_db()
    assert women.ending == "withdrawn" and women.ended_by == on_register["admin"]
    assert AuditEvent.objects.filter(action="qualification.withdrawn").count() == 1
    page = text(client.get(ENTRY))
    assert "Riverside Women's Centre has withdrawn from Women" in page
    assert "Withdrawn by the provider" in page
    # Withdrawing again shows the error
    response = client.post(url("withdraw", women), {"reason": "Again."})
    assert "This qualification has ended" in text(response)


def test_staff_and_other_organisations_cannot_withdraw(client, on_register):
    women = on_register["women"]
    client.force_login(user_with_role("provider_staff", organisation=on_register["org"]))
    assert client.get(url("withdraw", women)).status_code == 403
    client.force_login(user_with_role("provider_administrator"))
    assert client.post(url("withdraw", women), {"reason": "Not mine."}).status_code == 403
    women.refresh_from_db()
    assert women.ended_at is None


# Confirm your details -------------------------------------------------------------------------------------------

CONFIRM = "/framework/confirm-your-details/"


def test_confirm_page_shows_the_details_the_qualifications_and_when_it_is_due(client, on_register, framework):
    org = on_register["org"]
    org.contact_email = "hello@riverside.example"
    org.save()
    client.force_login(on_register["admin"])
    response = client.get(CONFIRM)
    assert response.status_code == 200
    page = text(response)
    assert "Confirm your details" in page
    assert "hello@riverside.example" in page
    assert "Women" in page and "Emotional Wellbeing" in page
    due = services.confirmation_due_on(framework=framework, organisation=org)
    assert f"Confirm by {due.day} {due:%B %Y}" in page
    assert "Are these details still accurate?" in page
    assert "Yes, they are still accurate" in page and "No, I need to update them" in page


def test_confirming_still_accurate(client, on_register, framework):
    client.force_login(on_register["admin"])
    response = client.post(CONFIRM, {})
    assert response.status_code == 200
    assert "Select whether your details are still accurate" in text(response)
    assert not DetailsConfirmation.objects.exists()
    response = client.post(CONFIRM, {"outcome": "still_accurate"})
    assert response.status_code == 302 and response["Location"] == ENTRY
    confirmation = DetailsConfirmation.objects.get()
    assert confirmation.outcome == "still_accurate" and confirmation.confirmed_by == on_register["admin"]
    assert AuditEvent.objects.filter(action="qualification.details_confirmed").count() == 1
    page = text(client.get(ENTRY))
    assert "details are confirmed. The next confirmation is due by" in page
    today = timezone.localdate()
    assert f"Last confirmed on {today.day} {today:%B %Y}" in page


def test_needing_an_update_goes_to_the_edit_page_and_back(client, on_register):
    org = on_register["org"]
    client.force_login(on_register["admin"])
    response = client.post(CONFIRM, {"outcome": "update"})
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/organisations/{org.slug}/edit/"
    back = parse_qs(location.query)["next"][0]
    assert back == f"{CONFIRM}?organisation=riverside&step=updated"
    assert not DetailsConfirmation.objects.exists()

    # Save the organisation's details: the edit page sends them back here
    from dynamic_framework.organisations.forms import OrganisationForm

    data = {k: v for k, v in OrganisationForm.initial_for(org).items() if v not in (None, [])}
    data["contact_email"] = "new@riverside.example"
    response = client.post(response["Location"], data)
    assert response.status_code == 302, text(response)[:2000]
    assert response["Location"] == back
    page = text(client.get(back))
    assert "new@riverside.example" in page
    assert "If you have finished updating your details, confirm them now." in page
    response = client.post(back, {"outcome": "updated"})
    assert response.status_code == 302
    assert DetailsConfirmation.objects.get().outcome == "updated"


def test_the_edit_page_ignores_a_next_to_another_site(client, on_register):
    from dynamic_framework.organisations.forms import OrganisationForm

    org = on_register["org"]
    client.force_login(on_register["admin"])
    data = {k: v for k, v in OrganisationForm.initial_for(org).items() if v not in (None, [])}
    response = client.post(f"/organisations/{org.slug}/edit/?next=https://evil.example/", data)
    assert response.status_code == 302 and response["Location"] == f"/organisations/{org.slug}/"


def test_not_qualified_means_nothing_to_confirm(client, reference_data):
    org = ProviderFactory(name="Never Qualified", slug="never-qualified")
    admin = user_with_role("provider_administrator", organisation=org)
    client.force_login(admin)
    response = client.get(CONFIRM)
    assert response.status_code == 200
    assert "Never Qualified is not on the register of qualified providers, so there is nothing to confirm." in text(
        response
    )
    assert client.post(CONFIRM, {"outcome": "still_accurate"}).status_code == 200
    assert not DetailsConfirmation.objects.exists()


def test_a_withdrawn_organisation_has_nothing_to_confirm(client, on_register):
    for qualification in Qualification.objects.filter(organisation=on_register["org"]):
        services.withdraw_qualification(actor=on_register["admin"], qualification=qualification, reason="Closing.")
    client.force_login(on_register["admin"])
    assert "so there is nothing to confirm" in text(client.get(CONFIRM))


def test_administrator_of_several_organisations_chooses_which(client, on_register, manager):
    admin = on_register["admin"]
    second = ProviderFactory(name="Another Qualified Org", slug="another-qualified")
    from dynamic_framework.accounts.tests.factories import RoleGrantFactory

    RoleGrantFactory(user=admin, role="provider_administrator", organisation=second)
    admin = type(admin).objects.get(pk=admin.pk)
    other_admin = q.confirm_email(user_with_role("provider_administrator", organisation=second))
    q.qualified_application(second, other_admin, user_with_role("evaluator"), manager)
    client.force_login(admin)
    page = text(client.get(CONFIRM))
    assert "Choose the one whose details you want to confirm" in page
    assert f"{CONFIRM}?organisation=another-qualified" in page and f"{CONFIRM}?organisation=riverside" in page
    response = client.post(f"{CONFIRM}?organisation=another-qualified", {"outcome": "still_accurate"})
    assert response.status_code == 302 and response["Location"] == "/framework/register/another-qualified/"
    assert DetailsConfirmation.objects.get().organisation == second


def test_someone_elses_organisation_is_403_and_unknown_404(client, on_register):
    client.force_login(user_with_role("provider_administrator"))
    assert client.get(f"{CONFIRM}?organisation=riverside").status_code == 403
    assert client.post(f"{CONFIRM}?organisation=riverside", {"outcome": "still_accurate"}).status_code == 403
    assert client.get(f"{CONFIRM}?organisation=nobody").status_code == 404
    client.force_login(user_with_role("provider_staff", organisation=on_register["org"]))
    assert client.get(CONFIRM).status_code == 403
    assert not DetailsConfirmation.objects.exists()
