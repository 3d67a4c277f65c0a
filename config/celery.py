import gc
import os

from celery import Celery
from celery.signals import (
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    worker_process_init,
    worker_process_shutdown,
)
from prometheus_client import multiprocess

from common import metrics, request_ids
from config import queues

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("eps_status")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_default_queue=queues.DEFAULT,
    task_routes={
        "statuspage.tasks.write_snapshot": {"queue": queues.SNAPSHOTS},
        "statuspage.tasks.refresh_snapshot": {"queue": queues.SNAPSHOTS},
        "detection.tasks.check_silence": {"queue": queues.PERIODIC},
        "detection.tasks.publish_holding_notices": {"queue": queues.PERIODIC},
        "detection.tasks.pull_due_brokers": {"queue": queues.PERIODIC},
        "detection.tasks.roll_up_probes": {"queue": queues.PERIODIC},
        "statuspage.tasks.advance_maintenance": {"queue": queues.PERIODIC},
        "detection.tasks.pull_brokers": {"queue": queues.PULLS},
        "notifications.tasks.plan_notice": {"queue": queues.DEFAULT},
        "notifications.tasks.send_batch": {"queue": queues.SEND},
        "notifications.tasks.dispatch": {"queue": queues.PERIODIC},
        "notifications.tasks.send_confirmation": {"queue": queues.CONFIRM},
        "notifications.tasks.tell_newcomer": {"queue": queues.CONFIRM},
        "notifications.tasks.forget_unconfirmed": {"queue": queues.PERIODIC},
        "integrations.tasks.deliver": {"queue": queues.WEBHOOKS},
        "integrations.tasks.deliver_many": {"queue": queues.WEBHOOKS},
        "integrations.tasks.retry_due": {"queue": queues.PERIODIC},
        "integrations.tasks.send_confirmation": {"queue": queues.DEFAULT},
        "integrations.tasks.tell_disabled": {"queue": queues.DEFAULT},
        # A member's set-up link is as urgent as a patient's code: the same pool, the same queue.
        "console.tasks.send_set_up_link": {"queue": queues.CONFIRM},
        "console.tasks.tell_member": {"queue": queues.CONFIRM},
    },
    # Every task has a time limit: soft (the task can tidy up), then hard (the process is
    # replaced). Tasks that call out of the process set their own, from their deadlines.
    task_soft_time_limit=120,
    task_time_limit=180,
    # A task is acknowledged only after it ran, so a worker killed mid-task hands it back.
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    # Redis away for an hour must not leave a worker or beat that has given up: retry for as long as it takes.
    broker_connection_max_retries=None,
    timezone="Europe/London",
    # Two beats started by mistake send each periodic task once per interval, not twice (config/beat.py).
    beat_scheduler="config.beat:OncePerInterval",
    # Django's LOGGING (JSON in production, with request ids) applies in workers and beat too.
    worker_hijack_root_logger=False,
    beat_schedule={
        # Relative wording ("started 5 minutes ago", today's uptime bar) goes stale with
        # time alone, so the snapshot is rewritten each minute even with no change.
        "refresh-snapshot": {"task": "statuspage.tasks.refresh_snapshot", "schedule": 60.0},
        "check-silence": {"task": "detection.tasks.check_silence", "schedule": 15.0},
        "publish-holding-notices": {"task": "detection.tasks.publish_holding_notices", "schedule": 30.0},
        "pull-due-brokers": {"task": "detection.tasks.pull_due_brokers", "schedule": 5.0},
        "advance-maintenance": {"task": "statuspage.tasks.advance_maintenance", "schedule": 15.0},
        "roll-up-probes": {"task": "detection.tasks.roll_up_probes", "schedule": 600.0},
        "dispatch-notices": {"task": "notifications.tasks.dispatch", "schedule": 5.0},
        "forget-unconfirmed": {"task": "notifications.tasks.forget_unconfirmed", "schedule": 3600.0},
        "retry-webhooks": {"task": "integrations.tasks.retry_due", "schedule": 15.0},
        # Each pool's heartbeat, on a queue only that pool consumes: /healthz/pipeline reads them.
        **{
            f"heartbeat-{pool}": {
                "task": "statuspage.tasks.heartbeat",
                "schedule": 15.0,
                "args": (pool,),
                "options": {"queue": served[0], "expires": 15},
            }
            for pool, served in queues.POOLS.items()
        },
    },
)
app.autodiscover_tasks()


@worker_process_init.connect
def _freeze_what_was_loaded(**_) -> None:
    # Django, Celery and the twilio library live as long as the worker process: without this the
    # garbage collector walks them all again and again, a real share of a sender's time.
    gc.freeze()


@task_failure.connect
def _count_failure(sender=None, **_) -> None:
    metrics.TASK_FAILURES.labels(task=getattr(sender, "name", "unknown")).inc()


@worker_process_shutdown.connect
def _forget_gauges(pid=None, **_) -> None:
    # prometheus_client's multiprocess mode: a process that ended keeps its counters, not its gauges.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR") and pid:
        multiprocess.mark_process_dead(pid)


# The request id follows the work: a task queued while handling a request (or another task) carries
# its id in a message header, and the task's log lines and provider calls carry it in turn.
@before_task_publish.connect
def _pass_request_id(headers=None, **_) -> None:
    if headers is not None and request_ids.current.get():
        headers[request_ids.HEADER] = request_ids.current.get()


@task_prerun.connect
def _take_request_id(task_id=None, task=None, **_) -> None:
    given = getattr(task.request, request_ids.HEADER, None) if task is not None else None
    request_ids.current.set(request_ids.accept(given or task_id))


@task_postrun.connect
def _drop_request_id(**_) -> None:
    request_ids.current.set("")
