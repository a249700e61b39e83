"""Your account, API tokens, your team, inviting, and accepting an invitation."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.authtoken.models import Token

from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Invitation, Role, RoleGrant, User
from dynamic_framework.accounts.tests.factories import PASSWORD, UserFactory, provider_organisation, user_with_role
from dynamic_framework.core.models import AuditEvent

NEW_PASSWORD = "purple elephants dance slowly"


def html(response) -> str:
    return response.content.decode()


def token_from_outbox() -> str:
    return re.search(r"/invitations/([0-9a-f]{64})/", mail.outbox[-1].body).group(1)


# Your account -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_your_account_needs_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response.url == "/sign-in/?next=/account/"


@pytest.mark.django_db
def test_your_account_shows_name_email_and_roles_with_scope(client, region_a, region_b, provider):
    user = user_with_role(Role.COMMISSIONER, regions=[region_a, region_b], full_name="Chris Commissioner")
    RoleGrant.objects.create(user=user, role=Role.PROVIDER_STAFF, organisation=provider)
    client.force_login(user)
    page = html(client.get("/account/"))
    assert "Chris Commissioner" in page and user.email in page
    assert "Commissioner" in page and "North East, North West" in page
    assert "Provider staff" in page and "Acme Rehabilitation Trust" in page
    assert "/account/password/" in page
    assert "Create an API token" in page
    assert "/account/team/" not in page and "/account/invite/" not in page


@pytest.mark.django_db
def test_your_account_for_someone_without_roles(client, plain_user):
    client.force_login(plain_user)
    assert "You do not have a role yet" in html(client.get("/account/"))


@pytest.mark.django_db
def test_your_account_links_team_pages_for_administrators(client, provider_admin):
    client.force_login(provider_admin)
    page = html(client.get("/account/"))
    assert "/account/team/" in page and "/account/invite/" in page


@pytest.mark.django_db
def test_your_account_makes_a_fixed_number_of_queries(client, django_assert_max_num_queries, region_a, provider):
    user = user_with_role(Role.COMMISSIONER, regions=[region_a])
    for _ in range(5):
        RoleGrant.objects.create(user=user, role=Role.PROVIDER_STAFF, organisation=provider_organisation())
    client.force_login(user)
    with django_assert_max_num_queries(12):
        assert client.get("/account/").status_code == 200


# API tokens -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_and_revoke_an_api_token(client, plain_user):
    client.force_login(plain_user)
    assert client.get("/account/api-token/").status_code == 405
    response = client.post("/account/api-token/")
    assert response.status_code == 200
    key = Token.objects.get(user=plain_user).key
    assert key in html(response)
    assert "no-store" in response.headers.get("Cache-Control", "") or "max-age=0" in response["Cache-Control"]
    # Never shown again.
    page = html(client.get("/account/"))
    assert key not in page and "Revoke API token" in page
    # A second one is refused until the first is revoked.
    response = client.post("/account/api-token/", follow=True)
    assert "You already have an API token" in html(response)
    assert Token.objects.filter(user=plain_user).count() == 1
    response = client.post("/account/api-token/revoke/")
    assert response.status_code == 302 and response.url == "/account/"
    assert not Token.objects.filter(user=plain_user).exists()
    assert AuditEvent.objects.filter(action__startswith="accounts.api_token").count() == 2


@pytest.mark.django_db
def test_api_token_pages_need_sign_in(client):
    assert client.post("/account/api-token/").url.startswith("/sign-in/")
    assert client.post("/account/api-token/revoke/").url.startswith("/sign-in/")


# Team page --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.PLATFORM_ADMINISTRATOR, Role.PROVIDER_ADMINISTRATOR)]
)
def test_team_and_invite_pages_are_for_administrators_only(client, role, geography):
    client.force_login(user_with_role(role))
    assert client.get("/account/team/").status_code == 403
    assert client.get("/account/invite/").status_code == 403
    assert client.post("/account/invite/", {"email": "x@example.org", "role": "provider_staff"}).status_code == 403
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_team_pages_send_anonymous_visitors_to_sign_in(client):
    response = client.get("/account/team/")
    assert response.status_code == 302 and response.url == "/sign-in/?next=/account/team/"
    response = client.get("/account/invite/?organisation=x")
    assert response.url == "/sign-in/?next=/account/invite/%3Forganisation%3Dx"


@pytest.mark.django_db
def test_team_page_shows_members_and_pending_invitations(
    client, provider_admin, provider_staff, other_provider, platform_admin, provider
):
    outsider = user_with_role(Role.PROVIDER_STAFF, organisation=other_provider, full_name="Olive Outsider")
    services.invite(actor=provider_admin, email="pending@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    services.invite(actor=platform_admin, email="elsewhere@example.org", role=Role.EVALUATOR)
    expired = services.invite(
        actor=provider_admin, email="expired@example.org", role=Role.PROVIDER_ADMINISTRATOR, organisation=provider
    )
    Invitation.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=9), expires_at=timezone.now() - timedelta(days=2)
    )
    client.force_login(provider_admin)
    page = html(client.get("/account/team/"))
    assert "Acme Rehabilitation Trust" in page
    assert "Sam Staff" in page and "Pat Provider" in page
    assert outsider.full_name not in page
    assert "pending@example.org" in page
    assert "elsewhere@example.org" not in page and "expired@example.org" not in page
    # Remove links for staff, not for yourself.
    assert f"/account/team/roles/{provider_staff.role_grants.get().pk}/remove/" in page
    assert f"/account/team/roles/{provider_admin.role_grants.get().pk}/remove/" not in page
    assert "<caption" in page


@pytest.mark.django_db
def test_platform_administrators_see_every_pending_invitation(client, platform_admin, provider_admin, provider):
    services.invite(actor=provider_admin, email="pending@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    services.invite(actor=platform_admin, email="elsewhere@example.org", role=Role.EVALUATOR)
    client.force_login(platform_admin)
    page = html(client.get("/account/team/"))
    assert "pending@example.org" in page and "elsewhere@example.org" in page


@pytest.mark.django_db
def test_team_page_query_count_does_not_grow(client, provider_admin, provider, django_assert_max_num_queries):
    for n in range(15):
        user_with_role(Role.PROVIDER_STAFF, organisation=provider)
        services.invite(
            actor=provider_admin, email=f"invitee{n}@example.org", role=Role.PROVIDER_STAFF, organisation=provider
        )
    client.force_login(provider_admin)
    with django_assert_max_num_queries(14):
        response = client.get("/account/team/")
    assert html(response).count("invitee") == 15 * 2  # the address and the hidden button text


# Inviting ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_invite_page_offers_provider_admins_only_their_roles_and_organisations(
    client, provider_admin, provider, other_provider
):
    client.force_login(provider_admin)
    page = html(client.get("/account/invite/"))
    assert 'value="provider_staff"' in page and 'value="provider_administrator"' in page
    assert 'value="commissioner"' not in page and 'value="platform_administrator"' not in page
    assert provider.name in page and other_provider.name not in page
    assert f'<option value="{provider.pk}" selected' in page  # their only organisation, chosen for them
    assert 'name="regions"' not in page and 'name="delivery_unit"' not in page


@pytest.mark.django_db
def test_invite_page_offers_platform_admins_everything(client, platform_admin, provider, region_a):
    client.force_login(platform_admin)
    page = html(client.get("/account/invite/?organisation=" + provider.slug))
    for role in Role:
        assert f'value="{role.value}"' in page
    assert 'name="regions"' in page and 'name="delivery_unit"' in page
    assert f'<option value="{provider.pk}" selected' in page


@pytest.mark.django_db
def test_invite_sends_the_invitation(client, provider_admin, provider):
    client.force_login(provider_admin)
    response = client.post(
        "/account/invite/",
        {"email": "new.person@example.org", "role": "provider_staff", "organisation": provider.pk},
    )
    assert response.status_code == 302 and response.url == "/account/team/"
    invitation = Invitation.objects.get()
    assert invitation.invited_by == provider_admin and invitation.organisation == provider
    assert mail.outbox[-1].to == ["new.person@example.org"]
    assert "Invitation sent to new.person@example.org" in html(client.get("/account/team/"))


@pytest.mark.django_db
def test_invite_form_errors_keep_values_and_store_nothing(client, platform_admin, provider, region_a):
    client.force_login(platform_admin)
    response = client.post(
        "/account/invite/",
        {"email": "not an email", "role": "commissioner", "organisation": provider.pk},
    )
    page = html(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert 'value="not an email"' in page
    assert 'value="commissioner" checked' in page
    assert "Enter an email address in the correct format" in page
    assert Invitation.objects.count() == 0 and mail.outbox == []

    # Service errors land on their fields too.
    response = client.post(
        "/account/invite/",
        {"email": "c@example.org", "role": "commissioner", "organisation": provider.pk},
    )
    page = html(response)
    assert "Choose at least one region" in page and 'href="#id_regions"' in page
    assert "Choose a commissioning body, or no organisation" in page
    assert 'value="c@example.org"' in page
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_invite_ignores_fields_that_do_not_apply_to_the_role(client, platform_admin, region_a, delivery_unit):
    client.force_login(platform_admin)
    response = client.post(
        "/account/invite/",
        {"email": "e@example.org", "role": "evaluator", "regions": [region_a.pk], "delivery_unit": delivery_unit.pk},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.delivery_unit is None and not invitation.regions.exists()


@pytest.mark.django_db
def test_provider_admins_cannot_post_other_roles_or_organisations(client, provider_admin, other_provider):
    client.force_login(provider_admin)
    page = html(client.post("/account/invite/", {"email": "x@example.org", "role": "platform_administrator"}))
    assert "Choose a role" in page
    page = html(
        client.post(
            "/account/invite/", {"email": "x@example.org", "role": "provider_staff", "organisation": other_provider.pk}
        )
    )
    assert "Choose an organisation from the list" in page
    assert Invitation.objects.count() == 0


@pytest.mark.django_db
def test_garbage_input_is_a_form_error_not_a_500(client, platform_admin):
    client.force_login(platform_admin)
    response = client.post(
        "/account/invite/",
        {"email": "x" * 300, "role": "x" * 50, "organisation": "abc", "regions": ["zz"], "delivery_unit": "-1"},
    )
    assert response.status_code == 200
    assert Invitation.objects.count() == 0


# Cancelling invitations and removing roles ------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_an_invitation(client, provider_admin, provider):
    invitation = services.invite(
        actor=provider_admin, email="x@example.org", role=Role.PROVIDER_STAFF, organisation=provider
    )
    client.force_login(provider_admin)
    assert client.get(f"/account/invitations/{invitation.pk}/cancel/").status_code == 405
    response = client.post(f"/account/invitations/{invitation.pk}/cancel/")
    assert response.status_code == 302 and response.url == "/account/team/"
    invitation.refresh_from_db()
    assert invitation.revoked_by == provider_admin
    # Twice: a message, not an error.
    response = client.post(f"/account/invitations/{invitation.pk}/cancel/", follow=True)
    assert "already been cancelled" in html(response)


@pytest.mark.django_db
def test_cancel_someone_elses_invitation_is_forbidden(client, provider_admin, platform_admin, other_provider):
    invitation = services.invite(
        actor=platform_admin, email="x@example.org", role=Role.PROVIDER_STAFF, organisation=other_provider
    )
    client.force_login(provider_admin)
    assert client.post(f"/account/invitations/{invitation.pk}/cancel/").status_code == 403
    assert client.post("/account/invitations/999999/cancel/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


@pytest.mark.django_db
def test_remove_a_role(client, provider_admin, provider_staff):
    grant = provider_staff.role_grants.get()
    client.force_login(provider_admin)
    page = html(client.get(f"/account/team/roles/{grant.pk}/remove/"))
    assert "Remove Sam Staff as Provider staff?" in page
    response = client.post(f"/account/team/roles/{grant.pk}/remove/")
    assert response.status_code == 302 and response.url == "/account/team/"
    grant.refresh_from_db()
    assert grant.revoked_by == provider_admin
    # It has gone from the team, and cannot be removed again.
    assert client.get(f"/account/team/roles/{grant.pk}/remove/").status_code == 404


@pytest.mark.django_db
def test_provider_admins_cannot_remove_their_own_or_other_organisations_roles(client, provider_admin, other_provider):
    other = user_with_role(Role.PROVIDER_STAFF, organisation=other_provider).role_grants.get()
    client.force_login(provider_admin)
    assert client.post(f"/account/team/roles/{other.pk}/remove/").status_code == 403
    assert client.post(f"/account/team/roles/{provider_admin.role_grants.get().pk}/remove/").status_code == 403
    assert RoleGrant.objects.active().filter(pk=other.pk).exists()


# Accepting an invitation ------------------------------------------------------------------------------------


@pytest.fixture
def invitation_link(platform_admin, provider):
    services.invite(actor=platform_admin, email="invitee@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    return f"/invitations/{token_from_outbox()}/"


@pytest.mark.django_db
def test_accept_with_a_new_account(client, invitation_link, provider):
    page = html(client.get(invitation_link))
    assert "Create your account" in page and "invitee@example.org" in page and "Provider staff" in page
    response = client.post(
        invitation_link,
        {"full_name": "Ivy Invitee", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/account/"
    user = User.objects.get(email="invitee@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.role_grants.get().organisation == provider
    assert "Your account has been created" in html(client.get("/account/"))
    # The link is used up.
    client.logout()
    response = client.get(invitation_link)
    assert response.status_code == 410 and "already been accepted" in html(response)


@pytest.mark.django_db
def test_accept_form_errors_keep_values_and_store_nothing(client, invitation_link):
    response = client.post(
        invitation_link, {"full_name": "Ivy Invitee", "password": "short", "password_confirmation": "shorter"}
    )
    page = html(response)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'value="Ivy Invitee"' in page and "The passwords do not match" in page
    response = client.post(
        invitation_link,
        {"full_name": "Ivy Invitee", "password": "invitee12345", "password_confirmation": "invitee12345"},
    )
    page = html(response)
    assert 'href="#id_password"' in page  # validator errors (too similar to the email address)
    response = client.post(invitation_link, {"full_name": "", "password": "", "password_confirmation": ""})
    page = html(response)
    assert "Enter your full name" in page and "Enter a password" in page
    assert not User.objects.filter(email="invitee@example.org").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_accept_with_an_existing_account(client, platform_admin, provider):
    existing = UserFactory(email="invitee@example.org")
    services.invite(actor=platform_admin, email="invitee@example.org", role=Role.PROVIDER_STAFF, organisation=provider)
    link = f"/invitations/{token_from_outbox()}/"
    page = html(client.get(link))
    assert "Sign in to accept your invitation" in page
    assert "/sign-in/?next=%2Finvitations%2F" in page
    # Signing in brings them back, then they accept.
    response = client.post("/sign-in/", {"username": "invitee@example.org", "password": PASSWORD, "next": link})
    assert response.url == link
    assert "Accept invitation" in html(client.get(link))
    response = client.post(link)
    assert response.status_code == 302 and response.url == "/account/"
    assert existing.role_grants.get().organisation == provider


@pytest.mark.django_db
def test_accept_while_signed_in_as_someone_else(client, invitation_link, plain_user):
    client.force_login(plain_user)
    response = client.get(invitation_link)
    assert response.status_code == 403 and "This invitation is for someone else" in html(response)
    assert client.post(invitation_link).status_code == 403
    assert plain_user.role_grants.count() == 0


@pytest.mark.django_db
def test_expired_cancelled_and_unknown_links_show_a_clear_page(client, invitation_link, platform_admin):
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=8), expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(invitation_link)
    assert response.status_code == 410 and "This invitation has expired" in html(response)
    response = client.post(
        invitation_link, {"full_name": "Late", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="invitee@example.org").exists()

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    services.revoke_invitation(actor=platform_admin, invitation=invitation)
    response = client.get(invitation_link)
    assert response.status_code == 410 and "This invitation has been cancelled" in html(response)

    for bad in ["0" * 64, "not-a-token", "A" * 64]:
        response = client.get(f"/invitations/{bad}/")
        assert response.status_code == 404 and "This invitation link is not valid" in html(response)
