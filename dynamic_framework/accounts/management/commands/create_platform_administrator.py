"""Give someone the platform administrator role, making their account if needed: how a new installation gets
its first administrator (who then invites everyone else).

    dynamic-framework create-platform-administrator --email ada@example.org --full-name "Ada Lovelace"

Without --set-password a new account has no password: its owner sets one with "I have forgotten my password".
"""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dynamic_framework.accounts import services
from dynamic_framework.accounts.models import Role, RoleGrant, User

ACTOR = "command line: create_platform_administrator"


class Command(BaseCommand):
    help = "Give someone the platform administrator role (making their account if there is none)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--full-name", default="", help="Needed when the account does not exist yet.")
        parser.add_argument(
            "--set-password", action="store_true", help="Ask for a password for a new account (typed twice)."
        )

    def handle(self, *args, email, full_name, set_password, **options):
        password = None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None and set_password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The passwords do not match.")
        try:
            with transaction.atomic():
                if user is None:
                    user = services.create_user(actor=ACTOR, email=email, full_name=full_name, password=password)
                    self.stdout.write(f"Created the account for {user.email}.")
                if RoleGrant.objects.active().filter(user=user, role=Role.PLATFORM_ADMINISTRATOR).exists():
                    self.stdout.write(f"{user.email} is already a platform administrator.")
                    return
                services.grant_role(actor=ACTOR, user=user, role=Role.PLATFORM_ADMINISTRATOR)
        except ValidationError as error:
            messages = [f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
            raise CommandError("; ".join(messages)) from error
        self.stdout.write(self.style.SUCCESS(f"{user.email} is now a platform administrator."))
        if not user.has_usable_password():
            self.stdout.write('They have no password yet: they can set one with "I have forgotten my password".')
