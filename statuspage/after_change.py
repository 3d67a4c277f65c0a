"""What follows a change to anything public, once its transaction commits: every cached answer is
invalidated at once and the static snapshot is rewritten."""

import logging

from django.db import transaction

from statuspage.response_cache import bump_version
from statuspage.tasks import write_snapshot

log = logging.getLogger(__name__)


def _after_commit() -> None:
    bump_version()
    try:
        write_snapshot.delay()
    except Exception:
        # The change is committed and the cache is invalidated; the snapshot catches up
        # on the scheduler's next minute. A broker hiccup must not fail the request.
        log.exception("Could not enqueue the snapshot; the periodic refresh will write it")


def changed() -> None:
    """Call when anything public changes; acts once, after the transaction commits."""
    connection = transaction.get_connection()
    if any(callback is _after_commit for _, callback, _ in connection.run_on_commit):
        return
    transaction.on_commit(_after_commit, robust=True)
