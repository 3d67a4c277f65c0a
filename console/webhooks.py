"""Admins register and look after integrators' webhooks; each action with its audit entry."""

from django.db import transaction
from django.http import HttpRequest

from console import audit
from integrations import endpoints
from integrations.models import Endpoint

FIELDS = ["url", "state", "components", "disabled_reason"]


@transaction.atomic
def register(request: HttpRequest, url: str, contact: str, components) -> tuple[Endpoint, str]:
    endpoint, secret = endpoints.register(url, contact, components, by=request.user)
    audit.record(
        request, "webhook.create", endpoint, f"Added webhook {endpoint.url}", None, audit.snapshot(endpoint, FIELDS)
    )
    return endpoint, secret


@transaction.atomic
def act(request: HttpRequest, endpoint: Endpoint, action: str) -> str | None:
    """disable, enable, rotate (returns the new secret) or delete."""
    before = audit.snapshot(endpoint, FIELDS)
    secret = None
    if action == "disable":
        endpoints.disable(endpoint, f"Switched off by {request.user.get_username()}.")
    elif action == "enable":
        endpoints.enable(endpoint)
    elif action == "rotate":
        secret = endpoints.rotate_secret(endpoint)
    elif action == "delete":
        audit.record(request, "webhook.delete", endpoint, f"Deleted webhook {endpoint.url}", before, None)
        endpoint.delete()
        return None
    endpoint.refresh_from_db()
    audit.record(
        request,
        f"webhook.{action}",
        endpoint,
        f"{action.capitalize()} webhook {endpoint.url}",
        before,
        audit.snapshot(endpoint, FIELDS),
    )
    return secret
