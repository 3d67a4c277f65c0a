"""The domain announces what happened; the apps above write their outbox rows in the same transaction."""

import pytest
from django.db import transaction

from integrations import endpoints
from integrations.models import Delivery as Webhook
from notifications.models import Notice
from statuspage import events
from statuspage.models import Incident, StatusChange
from statuspage.publishing import open_incident
from statuspage.transitions import set_component_status

pytestmark = pytest.mark.django_db


class Abandoned(Exception):
    pass


def test_an_update_and_its_notice_commit_together_or_not_at_all(broker, people):
    with pytest.raises(Abandoned), transaction.atomic():
        open_incident("Pharmacy Manager down", "We are investigating.", "major", {broker.component: "major_outage"})
        # Written by notifications, which heard the domain's announcement inside this transaction.
        assert Notice.objects.filter(kind=Notice.Kind.ALERT).count() == 1
        raise Abandoned
    assert not Incident.objects.exists()
    assert not Notice.objects.exists()

    open_incident("Pharmacy Manager down", "We are investigating.", "major", {broker.component: "major_outage"})
    assert Notice.objects.filter(kind=Notice.Kind.ALERT).count() == 1


def test_a_status_change_and_its_webhooks_commit_together_or_not_at_all(broker, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    endpoint, _secret = endpoints.register("http://127.0.0.1:9/hook", "integrator@example.org")
    endpoints.confirm(endpoint)
    with pytest.raises(Abandoned), transaction.atomic():
        set_component_status(broker.component, "major_outage", "Spine unreachable")
        assert Webhook.objects.filter(event="component_update").exists()
        raise Abandoned
    assert not StatusChange.objects.exists()
    assert not Webhook.objects.exists()


def test_status_changed_names_the_change_and_is_sent_once_per_change(broker):
    heard = []

    def listen(sender, change, **kwargs):
        heard.append((change.component_id, change.previous_status, change.status))

    events.status_changed.connect(listen)
    try:
        set_component_status(broker.component, "major_outage", "Spine unreachable")
        set_component_status(broker.component, "major_outage", "Still unreachable")  # no change: no event
    finally:
        events.status_changed.disconnect(listen)
    # The broker's own component, then its group rolled up.
    assert heard[0] == (broker.component_id, "operational", "major_outage")
    assert [h[0] for h in heard[1:]] == [broker.component.group_id]
