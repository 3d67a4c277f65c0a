"""Publishing an incident update writes its notice here, in the same transaction (the outbox).

The dispatcher is kicked after commit; if the queue is down at that moment the periodic
dispatcher finds the notice anyway, so a broker hiccup never loses a publish.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from notifications import notice_words
from notifications.audience import brokers_of
from notifications.fanout import reached
from notifications.models import Notice
from notifications.tasks import plan_notice
from statuspage import language as languages
from statuspage.models import Broker, Incident, IncidentUpdate
from statuspage.status import IncidentStatus, MaintenanceStatus
from statuspage.wording import describe, describe_short

log = logging.getLogger(__name__)


def kind_for(incident: Incident, update: IncidentUpdate, first: bool, notify: bool) -> str | None:
    """Which notice an update makes, if any. By default: declared, resolved, maintenance started."""
    if incident.kind == Incident.Kind.MAINTENANCE:
        if update.status == MaintenanceStatus.IN_PROGRESS:
            return Notice.Kind.MAINTENANCE
        return Notice.Kind.PLANNED if update.status == MaintenanceStatus.SCHEDULED and notify else None
    if update.status == IncidentStatus.RESOLVED:
        return Notice.Kind.RESOLUTION
    if first:
        return Notice.Kind.ALERT
    return Notice.Kind.UPDATE if notify else None


def _words(kind: str, incident: Incident, update: IncidentUpdate, brokers: list[Broker], language: str):
    with override(languages.code(language)):
        what, short = describe(brokers), describe_short(brokers)
    return notice_words.words(kind, incident, update, what, short, language)


def record(update: IncidentUpdate, first: bool = False, notify: bool = False, by=None) -> Notice | None:
    """Write the notice for an update (inside the publishing transaction) and kick the dispatcher.
    A send from the console (``by``) to more than TWO_PERSON_RULE_RECIPIENTS people is held
    until a second publisher approves it."""
    incident = update.incident
    kind = kind_for(incident, update, first, notify)
    if kind is None:
        return None
    components = list(incident.components.all())
    brokers = brokers_of(components)
    words, welsh = _words(kind, incident, update, brokers, "en"), _words(kind, incident, update, brokers, "cy")
    notice, created = Notice.objects.get_or_create(
        update=update,
        defaults={
            "incident": incident,
            "kind": kind,
            "created_at": update.created_at,
            "sms_body": words.sms,
            "email_subject": words.subject,
            "email_body": words.email,
            "sms_body_cy": welsh.sms,
            "email_subject_cy": welsh.subject,
            "email_body_cy": welsh.email,
        },
    )
    if created:
        notice.components.set(components)
        if by is not None:
            hold(notice, by)
        if notice.state == Notice.State.PENDING:
            transaction.on_commit(lambda: kick(notice.pk), robust=True)
    return notice


def hold(notice: Notice, by) -> None:
    """Count who it reaches; over the threshold it waits for a second publisher."""
    notice.recipients = reached(notice, timezone.now()).count()
    notice.requested_by = by
    if notice.recipients > settings.TWO_PERSON_RULE_RECIPIENTS:
        notice.state = Notice.State.HELD
    notice.save(update_fields=["recipients", "requested_by", "state"])


class SamePerson(Exception):
    """The two-person rule: the publisher who sent it cannot approve it too."""


def approve(notice_id: int, by) -> bool:
    """A second publisher lets a held send go. True if it was waiting and now goes."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id, state=Notice.State.HELD).first()
        if notice is None:
            return False
        if notice.requested_by_id == by.pk:
            raise SamePerson("A second publisher must approve this send.")
        # Planning still closes notices published more than two hours ago unsent: an approval that
        # late would announce an outage that may be long over.
        notice.state, notice.approved_by, notice.approved_at = Notice.State.PENDING, by, timezone.now()
        notice.save(update_fields=["state", "approved_by", "approved_at"])
        transaction.on_commit(lambda: kick(notice.pk), robust=True)
    return True


def kick(notice_id: int) -> None:
    try:
        plan_notice.delay(notice_id)
    except Exception as e:
        log.warning("could not queue notice %s now (%s); the dispatcher will", notice_id, type(e).__name__)
