"""Two writers changing one component at once (a probe worker and an operator, say)
must leave a history in which every change starts where the previous one ended."""

import itertools
import threading

import pytest
from django.db import connection, connections

from statuspage.models import StatusChange
from statuspage.status import ComponentStatus as S
from statuspage.transitions import set_component_status
from tests import factories


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_keep_the_history_chain_intact():
    assert connection.vendor == "postgresql"
    component = factories.component()
    barrier = threading.Barrier(2)
    errors = []

    def writer(statuses):
        try:
            barrier.wait()
            for status in statuses * 15:
                set_component_status(component, status, f"writer {status}")
        except Exception as e:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(e)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=writer, args=([S.MAJOR_OUTAGE, S.OPERATIONAL],)),
        threading.Thread(target=writer, args=([S.DEGRADED_PERFORMANCE, S.PARTIAL_OUTAGE],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    history = list(StatusChange.objects.filter(component=component).order_by("id"))
    assert len(history) > 30
    for before, after in itertools.pairwise(history):
        assert after.previous_status == before.status
    component.refresh_from_db()
    assert component.status == history[-1].status
