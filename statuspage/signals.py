"""Any write to what the public sees invalidates the cache and rewrites the snapshot."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from statuspage.after_change import changed
from statuspage.models import AffectedComponent, Component, Incident, IncidentUpdate

PUBLIC_MODELS = (Component, Incident, IncidentUpdate, AffectedComponent)


def _on_change(sender, **kwargs) -> None:
    changed()


for model in PUBLIC_MODELS:
    post_save.connect(_on_change, sender=model, dispatch_uid=f"public-change-save-{model.__name__}")
    post_delete.connect(_on_change, sender=model, dispatch_uid=f"public-change-delete-{model.__name__}")
m2m_changed.connect(_on_change, sender=Incident.components.through, dispatch_uid="public-change-incident-components")
