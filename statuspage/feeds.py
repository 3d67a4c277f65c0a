"""Incident history as Atom and RSS, for feed readers and chat integrations."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from statuspage.models import Incident


class HistoryRss(Feed):
    title = f"{settings.STATUS_PAGE['name']} status – incident history"
    link = "/history/"
    description = "Incidents and planned maintenance affecting the NHS Electronic Prescription Service."

    def items(self):
        return Incident.objects.prefetch_related("updates").order_by("-updated_at")[:50]

    def item_title(self, item: Incident) -> str:
        return item.name

    def item_description(self, item: Incident) -> str:
        lines = [f"{u.get_status_display()} – {u.body}" for u in item.updates.all()]
        return "\n\n".join(lines)

    def item_pubdate(self, item: Incident):
        return item.created_at

    def item_updateddate(self, item: Incident):
        return item.updated_at

    def item_guid(self, item: Incident) -> str:
        return item.shortlink


class HistoryAtom(HistoryRss):
    feed_type = Atom1Feed
    subtitle = HistoryRss.description
