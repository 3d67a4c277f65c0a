from django.conf import settings
from django.utils.translation import gettext as _

from statuspage.uptime import HISTORY_DAYS

DEFAULT_NAME = "NHS Electronic Prescription Service"


def site(request) -> dict:
    name = settings.STATUS_PAGE["name"]
    # The page name is a setting in English; the default has its Welsh form in the catalogue.
    title = _("NHS Electronic Prescription Service status") if name == DEFAULT_NAME else f"{name} status"
    return {"site_name": name, "site_url": settings.SITE_URL, "site_title": title, "history_days": HISTORY_DAYS}
