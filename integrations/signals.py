"""Every component status change, however it came about (a probe, silence, ops), is an event."""

from django.db.models.signals import post_save

from statuspage.models import StatusChange


def _status_changed(sender, instance: StatusChange, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        from integrations import events

        events.component_changed(instance)


post_save.connect(_status_changed, sender=StatusChange, dispatch_uid="integrations-component-update")
