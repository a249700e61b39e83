"""The first platform administrator, from the command line; and the superuser flag grants nothing."""

import pytest
from django.core.management import CommandError, call_command

from dynamic_framework.accounts import rules as r
from dynamic_framework.accounts.models import User
from dynamic_framework.accounts.tests.factories import UserFactory
from dynamic_framework.core.models import AuditEvent


@pytest.mark.django_db
def test_create_platform_administrator(capsys):
    call_command("create_platform_administrator", email="Ada@Example.org", full_name="Ada Lovelace")
    user = User.objects.get(email="ada@example.org")
    assert r.is_platform_administrator(user)
    assert not user.has_usable_password()
    assert "now a platform administrator" in capsys.readouterr().out
    assert list(AuditEvent.objects.values_list("action", flat=True)) == [
        "accounts.user_created",
        "accounts.role_granted",
    ]
    # Twice: nothing more.
    call_command("create_platform_administrator", email="ada@example.org")
    assert user.role_grants.count() == 1
    assert "already a platform administrator" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_platform_administrator_for_an_existing_account():
    user = UserFactory(email="existing@example.org")
    call_command("create_platform_administrator", email="existing@example.org")
    assert r.is_platform_administrator(user)


@pytest.mark.django_db
def test_create_platform_administrator_with_bad_input_writes_nothing():
    with pytest.raises(CommandError, match="full_name"):
        call_command("create_platform_administrator", email="new@example.org")
    assert not User.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_the_superuser_flag_grants_no_permission():
    superuser = User.objects.create_superuser("root@example.org", "irrelevant password", full_name="Root")
    assert not superuser.has_perm("accounts.invite")
    assert not superuser.has_perm("accounts.view_team")
    assert not superuser.has_perm("organisations.change_organisation")


@pytest.mark.django_db
def test_django_model_permissions_grant_nothing(plain_user):
    from django.contrib.auth.models import Permission

    plain_user.user_permissions.add(Permission.objects.get(codename="change_organisation"))
    plain_user = User.objects.get(pk=plain_user.pk)
    assert not plain_user.has_perm("organisations.change_organisation")
    assert not plain_user.has_perms(["organisations.change_organisation"])
