"""Delivery receipts from the provider: a delivery's state only moves forward, however late, twice
or out of order its receipts arrive, and a receipt that arrives before we recorded the send is
kept until we do."""

import logging

from django.core.cache import cache
from django.utils import timezone

from notifications.models import Delivery

log = logging.getLogger(__name__)
S = Delivery.State
# Receipts may come twice and out of order; only a later rank may replace an earlier one.
RANK = {S.PENDING: 0, S.SENDING: 1, S.SENT: 2, S.DELIVERED: 3, S.FAILED: 3, S.CANCELLED: 3, S.SUPERSEDED: 3}
RECEIPTS = {"sent": S.SENT, "delivered": S.DELIVERED, "undelivered": S.FAILED, "failed": S.FAILED}


def _move(provider_id: str, new: str, error_code: str) -> bool:
    lower = [s for s, rank in RANK.items() if rank < RANK[new]]
    fields = {"state": new, "updated_at": timezone.now()}
    if new == S.FAILED:
        fields["error_code"] = error_code[:16]
    return bool(Delivery.objects.filter(provider_id=provider_id, state__in=lower).update(**fields))


# A receipt can overtake our record of the send: the provider may call back before the sender
# writes the message's id (it writes every 0.1 s). Such a receipt waits here, and
# delivery.record_sent applies it. Kept for longer than any sender holds an accepted id unwritten.
EARLY = "eps:early-receipt:"
EARLY_SECONDS = 15 * 60


def apply_receipt(provider_id: str, status: str, error_code: str = "") -> bool:
    """A delivery receipt from the provider; True if it moved the delivery forward."""
    new = RECEIPTS.get(status)
    if new is None or not provider_id:
        return False
    if _move(provider_id, new, error_code):
        return True
    if RANK[new] <= RANK[S.SENT] or Delivery.objects.filter(provider_id=provider_id).exists():
        # "sent" is what recording says anyway; otherwise it is late or repeated: the delivery is
        # already there or further on.
        return False
    # Kept first, then tried once more: either this second try sees the sender's record, or the
    # sender, writing after it, finds the receipt kept. Only final statuses are kept, and a message
    # has one, so receipts arriving together cannot overwrite a later one with an earlier one.
    try:
        cache.set(EARLY + provider_id, (new, error_code), EARLY_SECONDS)
    except Exception:
        log.warning("an early delivery receipt could not be kept: the cache is unreachable")
    return _move(provider_id, new, error_code)


def apply_early(provider_ids: list[str]) -> None:
    """Called once the sender has written these ids: the receipts that came before."""
    try:
        kept = cache.get_many([EARLY + p for p in provider_ids])
    except Exception:
        return
    for key, (new, error_code) in kept.items():
        _move(key.removeprefix(EARLY), new, error_code)
