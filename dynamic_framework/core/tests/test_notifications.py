"""In-service notifications: written with the change they tell people about, emailed after it commits, listed on
/notifications/ and marked read there."""

import pytest
from django.core import mail
from django.db import transaction

from dynamic_framework.accounts.tests.factories import user_with_role
from dynamic_framework.core.models import Notification
from dynamic_framework.core.notifications import notify


@pytest.fixture
def people(reference_data):
    return [user_with_role("provider_staff", email=f"person{n}@example.org") for n in range(3)]


def test_notify_writes_one_row_each_and_emails_after_commit(people, django_capture_on_commit_callbacks):
    inactive = user_with_role("provider_staff", email="gone@example.org", is_active=False)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            users=[*people, people[0], inactive], title="New opportunity: housing in Durham", link="/opportunities/X/"
        )
        assert not mail.outbox  # nothing is sent before the change commits
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert "http://127.0.0.1:8000/opportunities/X/" in mail.outbox[0].body or "/opportunities/X/" in mail.outbox[0].body


def test_nothing_is_sent_if_the_change_rolls_back(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notify(users=people, title="Will not happen")
                raise RuntimeError
        except RuntimeError:
            pass
    assert not Notification.objects.exists() and not mail.outbox


def test_the_page_lists_your_own_notifications_newest_first_and_marks_them_read(client, people):
    me, other = people[0], people[1]
    notify(users=[me], title="First", email=False)
    notify(users=[me], title="Second", body="More detail", link="/bids/", email=False)
    notify(users=[other], title="Not yours", email=False)
    client.force_login(me)
    response = client.get("/notifications/")
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Second") < text.index("First") and "Not yours" not in text
    assert "You have 2 unread notifications." in text
    response = client.post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()


def test_the_page_makes_the_same_queries_however_many_there_are(client, people, django_assert_max_num_queries):
    me = people[0]
    client.force_login(me)
    notify(users=[me], title="One", email=False)
    with django_assert_max_num_queries(8) as few:
        client.get("/notifications/")
    for n in range(25):
        notify(users=[me], title=f"Notification {n}", email=False)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notifications/")


def test_signed_out_visitors_sign_in_first(client):
    assert client.get("/notifications/")["Location"].startswith("/sign-in/")
