"""Notifications: a message in the service for each person, and the same by email (in the background).

    notify(users=[...], title="...", body="...", link="/opportunities/DFC-.../", email=True)

Call it inside the transaction of the change it tells people about: the rows are written with the change, and the
emails are sent only after it commits.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task

from .models import Notification


def notify(*, users: Iterable, title: str, body: str = "", link: str = "", email: bool = True) -> list[Notification]:
    people = {user.pk: user for user in users if user is not None and getattr(user, "is_active", False)}
    created = Notification.objects.bulk_create(
        [Notification(user_id=pk, title=title[:200], body=body, link=link) for pk in sorted(people)]
    )
    if email and created:
        ids = [n.pk for n in created] if all(n.pk for n in created) else None
        if ids is None:  # backends that do not return ids from bulk_create
            ids = list(
                Notification.objects.filter(user_id__in=list(people), title=title[:200], link=link)
                .order_by("-id")
                .values_list("pk", flat=True)[: len(people)]
            )
        transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))
    return created


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


@task()
def send_notification_emails(*, notification_ids: list[int]) -> int:
    sent = 0
    for notification in Notification.objects.filter(pk__in=notification_ids).select_related("user"):
        lines = [notification.body.strip()] if notification.body.strip() else []
        if notification.link:
            lines.append(absolute_url(notification.link))
        lines += ["", "Dynamic Framework", settings.SITE_URL]
        send_mail(
            notification.title,
            "\n\n".join(lines[:-2]) + "\n\n" + "\n".join(lines[-2:]) + "\n",
            settings.DEFAULT_FROM_EMAIL,
            [notification.user.email],
        )
        sent += 1
    return sent


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())
