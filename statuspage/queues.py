"""Celery queue names. Workers are started with ``-Q`` set to ALL (see Procfile);
a test checks that every queue a task is routed to is in that list."""

SNAPSHOTS = "snapshots"
PERIODIC = "periodic"
DEFAULT = "default"
# Texts and emails: their own queue, so a million sends never delay a snapshot or a probe pull.
SEND = "send"
# Integrators' webhooks: a slow receiver waits here, never in front of a text or a snapshot.
WEBHOOKS = "webhooks"

ALL = (DEFAULT, SNAPSHOTS, PERIODIC, SEND, WEBHOOKS)
