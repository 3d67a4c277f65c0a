from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications import tasks
from notifications.models import Delivery, Notice, Subscriber

pytestmark = pytest.mark.django_db


def test_the_demo_has_patients_following_its_pharmacy_and_no_history_is_texted(fake_twilio_api):
    call_command("load_demo")
    assert Subscriber.objects.filter(state="active", subscriptions__pharmacy__ods_code="FW844").count() >= 10
    assert all(s.address.startswith("+447700900") for s in Subscriber.objects.filter(channel="sms"))
    tasks.dispatch()
    # 90 days of past problems are on the page, but nobody is texted about an outage long over.
    stale = Notice.objects.filter(created_at__lt=timezone.now() - timedelta(hours=2))
    assert stale.exists() and not Delivery.objects.filter(notice__in=stale).exists()
    assert set(stale.values_list("state", flat=True)) == {"done"}
