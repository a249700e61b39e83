"""`dynamic-framework send-confirmation-reminders [--today YYYY-MM-DD]`: remind qualified providers to confirm
their details. Run it once a day (from cron or a scheduler): each provider whose yearly confirmation is due within
30 days, or overdue, is emailed once for each due date, so running it more often sends nothing twice.
"""

from django.core.management.base import BaseCommand

from dynamic_framework.core.commands import add_today_argument, today_from
from dynamic_framework.qualification import services


class Command(BaseCommand):
    help = (
        "Email each qualified provider whose yearly confirmation of details is due within 30 days (or overdue), "
        "once for each due date. Run it daily."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)

    def handle(self, *args, **options):
        today = today_from(options)
        sent = services.send_confirmation_reminders(actor="system", today=today)
        for organisation, due_on in sent:
            self.stdout.write(f"Reminded {organisation.name} ({organisation.slug}): confirmation due by {due_on}")
        self.stdout.write(f"{len(sent)} reminder{'' if len(sent) == 1 else 's'} sent")
