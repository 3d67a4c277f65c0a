"""Our own counters, for Prometheus (GET /metrics, config/metrics.py).

In production every role's processes write these to files under PROMETHEUS_MULTIPROC_DIR
(deploy/run-role sets it), so gunicorn's and Celery's worker processes all count, and the web's
/metrics adds them up. Without it (a laptop, the tests) they count in this process only.

What can be read from the database or Redis at any time (each broker's status, deliveries by state,
queue depths, how old the snapshot is) is not counted here: /metrics reads it when scraped.
"""

from prometheus_client import Counter

PROBES = Counter("eps_probes_received", "Probes received, by the HTTP status we answered", ["code"])
DRAFTS_OPENED = Counter("eps_drafts_opened", "Incident drafts opened for ops when a broker's status worsened")
HOLDING_NOTICES = Counter("eps_holding_notices_published", "Holding notices published because nobody acted in time")
SENT = Counter("eps_messages_sent", "Texts and emails the provider accepted, by channel", ["channel"])
PROVIDER_ERRORS = Counter(
    "eps_provider_errors", "Texts and emails not accepted, by channel and provider error code", ["channel", "code"]
)
BUCKET_WAITS = Counter(
    "eps_send_bucket_waits", "Times a sender had texts to start and the shared send-rate bucket held some back"
)
TASK_FAILURES = Counter("eps_task_failures", "Celery tasks that raised, by task", ["task"])
