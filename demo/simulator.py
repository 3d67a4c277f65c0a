"""Simulated brokers: what each one reports, second by second. Pure: time in, document out.

The national demo timeline, in real minutes from the start (README, "What you will see"):
  0-1    everything works.
  1-13   Cegedim Pharmacy Manager in England loses NHS Spine and its queue grows: the June 2016 outage,
         replayed in real time. Other nations carry on. Nobody acts on the draft, so its holding notice
         is published 10 minutes after detection, and the pharmacies' followers are texted.
  13-15  it recovers and drains its backlog; the demo's ops (demo/ops.py) resolve it 2 minutes later,
         and the same people are texted that it is fixed.
  5-12   Invatech Titan in Wales goes silent; it comes back before its holding notice is due.
  8-11   ProScript Connect in Scotland is slow, briefly.
After that everything is healthy, unless the timeline loops.
"""

import random
from collections.abc import Callable
from datetime import datetime

Scenario = Callable[[float, datetime, random.Random], dict | None]

REPLAY_2016 = "cegedim-pharmacy-manager-england"


def document(
    at: datetime,
    *,
    spine: bool = True,
    depth: int = 3,
    oldest: float = 4.0,
    latency: float = 400.0,
    error_rate: float = 0.0,
    throughput: float = 300.0,
) -> dict:
    when = at.isoformat()
    return {
        "status": "fail" if not spine or error_rate > 0.75 else "warn" if latency > 5000 else "pass",
        "releaseId": "sim-1",
        "checks": {
            "spine:connection": [{"observedValue": spine, "status": "pass" if spine else "fail", "time": when}],
            "outboundQueue:depth": [{"observedValue": depth, "time": when}],
            "outboundQueue:oldestMessageAge": [{"observedValue": round(oldest, 1), "observedUnit": "s", "time": when}],
            "delivery:latency": [{"observedValue": round(latency), "observedUnit": "ms", "time": when}],
            "delivery:errorRate": [{"observedValue": round(error_rate, 3), "time": when}],
            "delivery:throughput": [{"observedValue": throughput, "time": when}],
        },
    }


def healthy(t: float, at: datetime, rng: random.Random) -> dict:
    return document(at, depth=rng.randint(0, 12), oldest=rng.uniform(0.5, 20), latency=rng.uniform(250, 900))


def slow(t: float, at: datetime, rng: random.Random) -> dict:
    return document(at, depth=rng.randint(40, 80), oldest=rng.uniform(60, 240), latency=rng.uniform(6500, 9000))


def failing(t: float, at: datetime, rng: random.Random) -> dict:
    return document(at, spine=False, depth=int(40 * t / 60), oldest=t, latency=0, error_rate=1.0, throughput=0)


def between(start_min: float, end_min: float, inside: Scenario, outside: Scenario = healthy) -> Scenario:
    def scenario(t: float, at: datetime, rng: random.Random) -> dict | None:
        if start_min * 60 <= t < end_min * 60:
            return inside(t - start_min * 60, at, rng)
        return outside(t, at, rng)

    return scenario


def silent(t: float, at: datetime, rng: random.Random) -> None:
    return None


# Minutes from the start: Spine is lost, restored, and the backlog has drained.
LOST, RESTORED, DRAINED = 1, 13, 15


def replay_2016(t: float, at: datetime, rng: random.Random) -> dict:
    """Spine lost at 1 min; the queue grows in real time; restored at 13 min; drained by 15."""
    minutes = t / 60
    if minutes < LOST or minutes >= DRAINED:
        return healthy(t, at, rng)
    outage = (min(minutes, RESTORED) - LOST) * 60  # seconds the queue has been growing
    if minutes < RESTORED:
        return failing(outage, at, rng)
    # Draining: the backlog shrinks steadily; the oldest waiting message gets younger.
    left = 1 - (minutes - RESTORED) / (DRAINED - RESTORED)
    return document(
        at,
        depth=int(40 * outage / 60 * left),
        oldest=outage * left + 30 * (1 - left),
        latency=rng.uniform(900, 2500),
        throughput=40 * outage / 60 / (DRAINED - RESTORED),
    )


NATIONAL: dict[str, Scenario] = {
    REPLAY_2016: replay_2016,
    "invatech-titan-wales": between(5, 12, silent),
    "emis-proscript-connect-scotland": between(8, 11, slow),
}
ONLY: dict[str, Scenario] = {
    "healthy": healthy,
    "slow": slow,
    "silent": silent,
    "failing": failing,
    "replay-2016": replay_2016,
}


def delayed(scenario: Scenario, after_seconds: float) -> Scenario:
    """Healthy for ``after_seconds``, then ``scenario`` from its own start."""
    if not after_seconds:
        return scenario
    return lambda t, at, rng: healthy(t, at, rng) if t < after_seconds else scenario(t - after_seconds, at, rng)


def scenario_for(slug: str, name: str) -> Scenario:
    """`national` plays the timeline above; any other name plays that one scenario for every broker."""
    if name == "national":
        return NATIONAL.get(slug, healthy)
    return ONLY[name]
