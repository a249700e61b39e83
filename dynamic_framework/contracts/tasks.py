"""Background work for contracts, through django-tasks: the daily notice reminders.

send_notice_reminders.enqueue()          what a scheduler runs once a day (or more often: nothing is sent twice
                                         on the same day); the command `dynamic-framework send-notice-reminders`
                                         does the same in the foreground.
"""

from datetime import date

from django_tasks import task


@task()
def send_notice_reminders(*, today: str = "") -> int:
    """Remind recipients who have not acknowledged a notice, and lead providers who have not passed a
    cascade-required one on, 3 working days on (contracts/notices.py send_reminders). Returns how many were sent."""
    from . import notices

    return len(notices.send_reminders(actor="system", today=date.fromisoformat(today) if today else None))
