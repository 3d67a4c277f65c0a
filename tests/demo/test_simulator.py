import random
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from demo import simulator
from detection.health import Thresholds, assess
from detection.healthdoc import parse
from statuspage.models import Broker, BrokerToken, Probe

AT = datetime(2026, 6, 15, 9, 40, tzinfo=UTC)


def simulate(live_server, slug: str, scenario: str = "healthy", duration: str = "0.3") -> None:
    """Play one broker against the live server, posting every 0.2 s."""
    call_command(
        "simulate_brokers",
        "--url",
        live_server.url,
        "--scenario",
        scenario,
        "--interval",
        "0.2",
        "--duration",
        duration,
        "--brokers",
        slug,
    )


def verdict(doc):
    return assess(parse(doc, AT).reading, Thresholds()).status


def at_minute(scenario, minute):
    return scenario(minute * 60, AT, random.Random(1))


def test_the_2016_replay_fails_then_drains_its_backlog_then_recovers():
    play = simulator.scenario_for(simulator.REPLAY_2016, "national")
    assert verdict(at_minute(play, 0.5)) == "operational"
    assert verdict(at_minute(play, 5)) == "major_outage"
    depths = [parse(at_minute(play, m), AT).reading.queue_depth for m in (6, 10, 12.9, 13.2, 14, 14.9)]
    assert depths[:3] == sorted(depths[:3]) and depths[3:] == sorted(depths[3:], reverse=True)
    assert verdict(at_minute(play, 13.5)) == "operational"  # draining, and nobody has waited 15 minutes
    assert verdict(at_minute(play, 16)) == "operational"


def test_the_replay_runs_in_real_time_from_an_all_good_start():
    play = simulator.scenario_for(simulator.REPLAY_2016, "national")
    # The oldest waiting prescription is as old as the outage, in real seconds: "since" on the page is true.
    assert parse(at_minute(play, 6), AT).reading.oldest_message_age == pytest.approx(5 * 60, abs=1)
    every = [slug for slug, _ in simulator.NATIONAL.items()]
    assert all(verdict(at_minute(simulator.scenario_for(slug, "national"), 0.5)) == "operational" for slug in every)


def test_the_replay_stays_down_long_enough_for_its_holding_notice(settings):
    # Detection takes about a minute (3 bad probes 10 s apart, then the sweep); the holding notice is due
    # HOLDING_NOTICE_AFTER_SECONDS after that. The replay must still be failing then.
    detected = simulator.LOST * 60 + 60
    assert detected + settings.HOLDING_NOTICE_AFTER_SECONDS < simulator.RESTORED * 60


def test_titan_in_wales_goes_quiet_for_a_while():
    play = simulator.scenario_for("invatech-titan-wales", "national")
    assert at_minute(play, 4) is not None
    assert at_minute(play, 6) is None
    assert at_minute(play, 12.5) is not None


def test_everyone_else_is_healthy_in_the_national_timeline():
    play = simulator.scenario_for("emis-web-england", "national")
    assert all(verdict(at_minute(play, m)) == "operational" for m in range(0, 25, 3))


@pytest.mark.django_db(transaction=True)
def test_the_command_plays_brokers_over_http_and_the_site_detects_the_failure(live_server, broker):
    simulate(live_server, broker.component.slug, scenario="failing", duration="1.5")
    assert Probe.objects.filter(broker=broker, source="push").count() >= 3
    broker.component.refresh_from_db()
    assert broker.component.status == "major_outage"
    assert broker.component.status_reason.startswith("Connection to NHS Spine failed")


@pytest.mark.django_db(transaction=True)
def test_a_second_run_revokes_the_first_runs_tokens(live_server, broker):
    for _ in range(2):
        simulate(live_server, broker.component.slug)
    assert BrokerToken.objects.filter(label="simulator", revoked_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simulators_playing_different_brokers_keep_their_own_tokens(live_server, broker):
    other = Broker.objects.get(component__slug="cegedim-pharmacy-manager-wales")
    for slug in (broker.component.slug, other.component.slug):
        simulate(live_server, slug)
    live = BrokerToken.objects.filter(label="simulator", revoked_at__isnull=True)
    assert sorted(live.values_list("broker__component__slug", flat=True)) == sorted(
        [broker.component.slug, other.component.slug]
    )
