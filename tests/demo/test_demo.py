import pytest
from django.core.management import call_command

from statuspage.models import Broker, Component, GPPractice, Incident, Pharmacy, StatusChange
from statuspage.status import ComponentStatus as S


@pytest.mark.django_db
def test_the_demo_shows_the_national_picture(demo):
    names = set(Component.objects.groups().values_list("name", flat=True))
    assert "National services (NHS Spine)" in names
    for nation in ("England", "Scotland", "Wales", "Northern Ireland"):
        assert f"Pharmacy systems in {nation}" in names
        assert f"GP practice systems in {nation}" in names
    vendors = set(Broker.objects.values_list("supplier__name", flat=True))
    assert {
        "Pharmacy Manager",
        "ProScript Connect",
        "Analyst",
        "Titan",
        "EMIS Web",
        "SystmOne",
        "Vision",
        "Medicus",
    } <= vendors
    assert 200 <= Pharmacy.objects.count() <= 500
    assert GPPractice.objects.exists()
    assert Pharmacy.objects.filter(ods_code="FW844").exists()


@pytest.mark.django_db
def test_positive_solutions_runs_a_broker_at_each_pharmacy(demo):
    analyst = Pharmacy.objects.filter(system__slug="positive-solutions-analyst")
    assert analyst.exists()
    for pharmacy in analyst:
        broker = pharmacy.broker()
        assert broker.site == pharmacy
        assert broker.component.only_show_if_degraded


@pytest.mark.django_db
def test_the_june_2016_replay_hit_cegedim_in_england_only(demo):
    replay = Incident.objects.get(name__contains="England that use Pharmacy Manager")
    assert replay.is_finished
    assert [c.slug for c in replay.components.all()] == ["cegedim-pharmacy-manager-england"]
    hit = set(
        StatusChange.objects.filter(incident=replay, component__is_group=False).values_list(
            "component__slug", flat=True
        )
    )
    assert hit == {"cegedim-pharmacy-manager-england"}
    for nation in ("scotland", "wales", "northern-ireland"):
        assert not StatusChange.objects.filter(component__slug=f"cegedim-pharmacy-manager-{nation}").exists()


@pytest.mark.django_db
def test_the_demo_starts_all_good_with_90_days_of_history_and_work_ahead(demo):
    assert StatusChange.objects.count() > 10
    assert not Incident.objects.unresolved().exists()
    assert Incident.objects.upcoming().count() == 1
    assert set(Component.objects.values_list("status", flat=True)) == {S.OPERATIONAL}


@pytest.mark.django_db
def test_load_demo_runs_once_and_reset_starts_again(capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    count = Component.objects.count()
    call_command("load_demo", "--reset")
    assert Component.objects.count() == count
