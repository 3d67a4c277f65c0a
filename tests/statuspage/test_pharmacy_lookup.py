"""'Is my pharmacy affected?': a forgiving search, then one plain sentence and a way to subscribe."""

import pytest

from statuspage.transitions import set_component_status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["FW844", "fw844", "LS1 4AP", "ls14ap", "station", "  Station   pharm "])
def test_one_match_goes_straight_to_the_answer(client, pharmacy, query):
    response = client.get("/pharmacies/", {"q": query})
    assert response.status_code == 302 and response["Location"] == "/pharmacies/FW844/"


def test_several_matches_are_listed(client, pharmacy):
    factories.pharmacy(pharmacy.system, "FX111", "Station Road Chemist", "LS1 4AQ")
    html = client.get("/pharmacies/", {"q": "LS1"}).content.decode()
    assert "2 pharmacies found" in html
    assert 'href="/pharmacies/FW844/"' in html and 'href="/pharmacies/FX111/"' in html


def test_a_short_query_that_finds_too_many_says_so_instead_of_a_count(client, pharmacy):
    for n in range(11):
        factories.pharmacy(pharmacy.system, f"FX{n:03d}", f"Leeds Pharmacy {n}", f"LS2 {n}AB")
    html = client.get("/pharmacies/", {"q": "LS"}).content.decode()
    assert "More than 10 pharmacies found" in html and "Add more of the name or postcode" in html
    assert html.count('href="/pharmacies/F') == 10


@pytest.mark.parametrize("query, shown", [("ZZ99 9ZZ", "ZZ99 9ZZ"), ("LS1 4A!", "LS1 4A!"), ("<b>FW8", "&lt;b&gt;FW8")])
def test_nothing_found_says_how_to_search_better(client, pharmacy, query, shown):
    response = client.get("/pharmacies/", {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"No pharmacy found for “{shown}”" in html and "Try the postcode" in html


def test_htmx_gets_just_the_results(client, pharmacy):
    response = client.get("/pharmacies/", {"q": "station"}, headers={"HX-Request": "true"})
    assert response.content.lstrip().startswith(b'<div id="pharmacy-results"')


def test_the_answer_when_all_is_well_and_the_subscribe_button(client, pharmacy):
    html = client.get("/pharmacies/FW844/").content.decode()
    assert "Prescriptions are reaching this pharmacy" in html
    assert "Prescriptions are reaching Station Pharmacy as usual" in html
    assert 'href="/subscribe/?pharmacy=FW844"' in html
    # The button lands on the sign-up with this pharmacy already chosen.
    assert "Chosen: Station Pharmacy, LS1 4AP" in client.get("/subscribe/?pharmacy=FW844").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_answer_during_an_outage_says_what_to_do(client, pharmacy, broker):
    set_component_status(broker.component, "major_outage", "Spine unreachable")
    html = client.get("/pharmacies/FW844/").content.decode()
    assert "Pharmacy Manager is not working" in html
    assert "you do not need to contact your GP practice" in html


def test_a_lower_case_code_is_redirected_and_an_unknown_one_is_404(client, pharmacy):
    assert client.get("/pharmacies/fw844/")["Location"] == "/pharmacies/FW844/"
    assert client.get("/pharmacies/FZZZ9/").status_code == 404
