"""Celery queue names. Workers are started with ``-Q`` set to ALL (see Procfile);
a test checks that every queue a task is routed to is in that list."""

SNAPSHOTS = "snapshots"
PERIODIC = "periodic"
DEFAULT = "default"

ALL = (DEFAULT, SNAPSHOTS, PERIODIC)
