"""The shortest time a call-off is open for bids is a setting: 10 days in a real service, 0 in the demo."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dynamic_framework.calloffs import services


def test_a_deadline_sooner_than_the_minimum_is_refused(world, settings):
    call_off = world.draft(deadline_in_days=5)
    with pytest.raises(ValidationError) as caught:
        services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    assert "at least 10 days" in caught.value.message_dict["deadline_at"][0]


def test_the_demo_may_open_a_call_off_for_minutes(world, settings):
    settings.CALLOFF_MINIMUM_BIDDING_DAYS = 0
    call_off = world.draft(deadline_in_days=5)
    call_off.deadline_at = timezone.now() + timedelta(minutes=10)
    call_off.questions_close_at = call_off.deadline_at
    call_off.save()
    services.submit_for_approval(actor=world.commissioner, call_off=call_off)
    assert services.approve_and_publish(actor=world.approver, call_off=call_off).published_at
