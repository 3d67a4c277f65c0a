"""Integrators hear of what the domain announces: every component status change, however it came
about (a probe, silence, ops), and every incident update. Deliveries are written inside the
change's transaction and posted once it commits."""

from django.db import transaction

from integrations import events
from integrations.tasks import deliver_many
from statuspage import events as domain


def _post_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: deliver_many.delay(ids), robust=True)


def _status_changed(sender, change, **kwargs) -> None:
    _post_after_commit(events.component_changed(change))


def _update_published(sender, update, **kwargs) -> None:
    _post_after_commit(events.incident_updated(update.incident))


domain.status_changed.connect(_status_changed, dispatch_uid="integrations-component-update")
domain.update_published.connect(_update_published, dispatch_uid="integrations-incident-update")
