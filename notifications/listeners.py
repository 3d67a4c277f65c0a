"""Patients hear of what the domain announces: a published update writes its notice (outbox.py),
inside the publishing transaction."""

from notifications import outbox
from statuspage import events


def _update_published(sender, update, first: bool, notify: bool, by, **kwargs) -> None:
    outbox.record(update, first=first, notify=notify, by=by)


events.update_published.connect(_update_published, dispatch_uid="notifications-outbox")
