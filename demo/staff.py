"""Demo staff for `make run`: one of each role, with a known password. Never with DEBUG off."""

from django.conf import settings
from django.contrib.auth import get_user_model

from console import staff
from console.models import Role

PASSWORD = "eps-status-demo"  # noqa: S105 -- a laptop demo only; refused with DEBUG off
ACCOUNTS = {
    "ops-admin": Role.ADMIN,
    "ops-publisher": Role.PUBLISHER,
    "ops-second": Role.PUBLISHER,
    "ops-editor": Role.EDITOR,
    "ops-viewer": Role.VIEWER,
}


def ensure_staff() -> list[str]:
    """Creates the accounts that are missing; with DEBUG off (any real deployment) creates none."""
    if not settings.DEBUG:
        return []
    made = []
    for username, role in ACCOUNTS.items():
        if not get_user_model().objects.filter(username=username).exists():
            staff.create_enrolled(username, f"{username}@example.nhs.uk", role, PASSWORD)
            made.append(username)
    return made
