"""The audit trail: every staff write, appended in the same transaction as the write."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone

from common.client_address import client_ip
from console.models import AuditEntry

# Never copied into the trail, whatever model they sit on.
SECRET_FIELDS = {"password", "digest", "key", "address_encrypted", "address_hash", "code_hash"}


def snapshot(obj: models.Model | None, fields: list[str] | None = None) -> dict | None:
    """A JSON-safe copy of an object's fields (many-to-many as lists of ids)."""
    if obj is None:
        return None
    data = model_to_dict(obj, fields=fields)
    for name, value in data.items():
        if isinstance(value, list):
            data[name] = sorted(getattr(v, "pk", v) for v in value)
    data = {k: v for k, v in data.items() if k not in SECRET_FIELDS}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    request: HttpRequest,
    action: str,
    obj: models.Model,
    summary: str,
    before: dict | None = None,
    after: dict | None = None,
    incident=None,
) -> AuditEntry:
    user = request.user if request.user.is_authenticated else None
    return AuditEntry.objects.create(
        at=timezone.now(),
        user=user,
        username=user.get_username() if user else getattr(request, "attempted_username", ""),
        action=action,
        object_type=obj._meta.model_name,
        object_id=str(obj.pk),
        summary=summary[:300],
        before=before,
        after=after,
        source_address=client_ip(request) or None,
        via=getattr(request, "console_via", "console"),
        incident=incident,
    )
