"""Changing what a confirmed subscriber follows, from their manage page, and how each is doing now.

The manage link proves the address is theirs, so a pharmacy added there is confirmed at once.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Subscriber, Subscription
from statuspage import lookup
from statuspage.banner import page_indicator
from statuspage.models import Pharmacy

# Enough for a household's pharmacies; a list longer than this is no longer "my pharmacy".
MOST_FOLLOWED = 5


class Refused(Exception):
    """Why a change cannot be made, in words for the page."""


@transaction.atomic
def add_pharmacy(subscriber: Subscriber, pharmacy: Pharmacy) -> Subscription:
    # Locked so two quick clicks cannot both pass the count.
    Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    follows = subscriber.subscriptions.all()
    if follows.filter(scope=Subscription.Scope.PHARMACY, pharmacy=pharmacy).exists():
        raise Refused(_("You already follow %(pharmacy)s.") % {"pharmacy": pharmacy.name})
    if follows.count() >= MOST_FOLLOWED:
        raise Refused(_("You can follow up to %(n)d places. Remove one first.") % {"n": MOST_FOLLOWED})
    return Subscription.objects.create(
        subscriber=subscriber, scope=Subscription.Scope.PHARMACY, pharmacy=pharmacy, confirmed_at=timezone.now()
    )


@transaction.atomic
def remove(subscriber: Subscriber, subscription_id: int) -> None:
    Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    follows = subscriber.subscriptions.all()
    if follows.count() <= 1:
        raise Refused(_("This is the only thing you follow. To get no more messages, choose Stop messages."))
    follows.filter(pk=subscription_id).delete()


@dataclass(frozen=True)
class Now:
    """How something a subscriber follows is doing at this moment."""

    subscription: Subscription
    working: bool
    sentence: str
    link: str


def now(follows: list[Subscription]) -> list[Now]:
    found = []
    # The whole page's state, worked out once for however many nations or "everything" are followed.
    level = None
    for follow in follows:
        if follow.pharmacy is not None:
            advice = lookup.for_pharmacy(follow.pharmacy).advice
            link = reverse("pharmacy", args=[follow.pharmacy.ods_code])
            found.append(Now(follow, advice.working, advice.patient, link))
            continue
        if level is None:
            level, _description = page_indicator()
        working = level in ("none", "maintenance")
        sentence = (
            _("Prescriptions are being sent normally.")
            if working
            else _("There is a problem sending some prescriptions. See what it means for you.")
        )
        found.append(Now(follow, working, sentence, reverse("index")))
    return found
