"""`dynamic-framework send-confirmation-reminders [--today YYYY-MM-DD]`: remind qualified providers to confirm
their details. Run it once a day (from cron or a scheduler): each provider whose yearly confirmation is due within
30 days, or overdue, is emailed once for each due date, so running it more often sends nothing twice.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from dynamic_framework.qualification import services


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today: {text!r} is not a date like 2026-03-31") from exc


class Command(BaseCommand):
    help = (
        "Email each qualified provider whose yearly confirmation of details is due within 30 days (or overdue), "
        "once for each due date. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", default="", help="Act as if today were this date (YYYY-MM-DD), for testing. Default: today."
        )

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else None
        sent = services.send_confirmation_reminders(actor="system", today=today)
        for organisation, due_on in sent:
            self.stdout.write(f"Reminded {organisation.name} ({organisation.slug}): confirmation due by {due_on}")
        self.stdout.write(f"{len(sent)} reminder{'' if len(sent) == 1 else 's'} sent")
