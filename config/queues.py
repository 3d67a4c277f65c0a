"""Celery queues, and the worker pools that serve them.

Each pool is its own worker (Procfile, Procfile.production, `make run`), so work of one kind can
never wait behind another: a webhook receiver that trickles for its whole deadline holds one
outbound process, never a silence sweep, a holding notice, a text or the snapshot. A test checks
that every queue a task is routed to is served by exactly one pool in each Procfile.
"""

SNAPSHOTS = "snapshots"
PERIODIC = "periodic"
# Planning a notice's deliveries, and the odd email about a webhook registration.
DEFAULT = "default"
# Texts and emails to patients.
SEND = "send"
# A sign-up's confirmation code, and a newcomer's first text: served by the same pool as SEND, but a
# national fan-out's hundreds of queued batches must never stand in front of one person's code.
CONFIRM = "confirm"
# Integrators' webhooks, and fetching pull brokers' health documents: calls to strangers.
WEBHOOKS = "webhooks"
PULLS = "pulls"

ALL = (DEFAULT, SNAPSHOTS, PERIODIC, CONFIRM, SEND, WEBHOOKS, PULLS)

POOLS = {
    # Detection and periodic work: silence sweeps, holding notices, maintenance, the dispatcher, planning.
    "detection": (PERIODIC, DEFAULT),
    "sends": (CONFIRM, SEND),
    "outbound": (WEBHOOKS, PULLS),
    "snapshots": (SNAPSHOTS,),
}
