from django.core.management.base import BaseCommand

from dynamic_framework.core.demo import DEMO_PASSWORD, USERS, load_demo_data


class Command(BaseCommand):
    help = (
        "Create the demo organisations, one user for every role, applications to join the framework at every "
        "stage and call-off competitions (demo only; idempotent)."
    )

    def handle(self, *args, **options):
        lines, call_off_lines = [], []
        created = load_demo_data(report=lines.append, report_call_offs=call_off_lines.append)
        self.stdout.write(
            f"Demo data: {created['organisations']} organisations, {created['users']} users and "
            f"{created['roles']} roles created."
        )
        if lines:
            self.stdout.write(f"Demo applications to join the framework: {created['applications']} created.")
            for line in lines:
                self.stdout.write(f"  {line}")
        else:
            from dynamic_framework.qualification.selectors import the_framework

            framework = the_framework()
            why = "they are already there" if framework and framework.is_open else "the framework is not open"
            self.stdout.write(f"Demo applications to join the framework: 0 created ({why}).")
        if call_off_lines:
            self.stdout.write(f"Demo call-offs: {created['call_offs']} created.")
            for line in call_off_lines:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write("Demo call-offs: 0 created (they are already there).")
        if options["verbosity"] > 1:
            for user in USERS:
                self.stdout.write(f"  {user.email} ({user.role}) password: {DEMO_PASSWORD}")
