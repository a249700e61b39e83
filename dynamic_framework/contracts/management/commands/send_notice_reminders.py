"""`dynamic-framework send-notice-reminders [--today YYYY-MM-DD] [--background]`: the daily notice reminders.

Reminds each organisation that has not acknowledged a notice 3 working days after receiving it, and each lead
provider that has not passed a cascade-required notice on to its whole current supply chain 3 working days after it
was sent; overdue ones (past the 5 working days) say so. Each copy of a notice is reminded at most once a working day,
and nothing is sent at weekends or on bank holidays, so running it more often than daily sends nothing twice.
"""

from django.core.management.base import BaseCommand

from dynamic_framework.contracts import notices, tasks
from dynamic_framework.core.commands import add_today_argument, today_from


class Command(BaseCommand):
    help = (
        "Remind organisations to acknowledge notices, and lead providers to pass them on to their supply chains, "
        "3 working days after they arrive (at most once a working day). Run it daily."
    )

    def add_arguments(self, parser):
        add_today_argument(parser)
        parser.add_argument(
            "--background", action="store_true", help="Queue the reminders as a background task instead."
        )

    def handle(self, *args, **options):
        today = today_from(options)
        if options["background"]:
            tasks.send_notice_reminders.enqueue(today=today.isoformat() if today else "")
            self.stdout.write("Notice reminders queued")
            return
        sent = notices.send_reminders(actor="system", today=today)
        for reminder in sent:
            d = reminder.delivery
            what = " and ".join(
                part
                for part, wanted in (("pass on", reminder.forward), ("acknowledge", reminder.acknowledge))
                if wanted
            )
            flag = " (overdue)" if reminder.overdue else ""
            self.stdout.write(
                f"Reminded {d.organisation.name} to {what} {d.notice.reference} for {d.contract.reference}{flag}"
            )
        self.stdout.write(f"{len(sent)} reminder{'' if len(sent) == 1 else 's'} sent")
