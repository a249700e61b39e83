from django.core.management.base import BaseCommand

from dynamic_framework.core.demo import DEMO_PASSWORD, USERS, load_demo_data


class Command(BaseCommand):
    help = "Create the demo organisations and one user for every role (demo only; idempotent)."

    def handle(self, *args, **options):
        created = load_demo_data()
        self.stdout.write(
            f"Demo data: {created['organisations']} organisations, {created['users']} users and "
            f"{created['roles']} roles created."
        )
        if options["verbosity"] > 1:
            for user in USERS:
                self.stdout.write(f"  {user.email} ({user.role}) password: {DEMO_PASSWORD}")
