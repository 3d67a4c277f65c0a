import pytest
from django.utils.translation import override

from notifications import wording
from notifications.segments import count
from statuspage.models import Pharmacy

LINK = "https://status.eps.nhs.uk/i/abc123def456"


@pytest.mark.parametrize(
    ("what", "short"),
    [
        ("to pharmacies in England that use Pharmacy Manager", "to Pharmacy Manager pharmacies in England"),
        ("to pharmacies in Northern Ireland that use Apotec CRM", "to Apotec CRM pharmacies in Northern Ireland"),
        ("to pharmacies in Wales that use ProScript Connect", "to ProScript Connect pharmacies in Wales"),
        ("from GP practices in England that use EMIS Web", "from EMIS Web GP practices in England"),
        ("to Kirkstall Road Pharmacy, LS3 1HR", ""),
    ],
)
def test_an_alert_says_it_all_in_one_plain_segment(what, short):
    sms = wording.alert(what, LINK, short).sms
    assert count(sms).count == 1 and count(sms).encoding == "GSM-7", sms
    assert "safe" in sms and "GP" in sms and "STOP" in sms and "status.eps.nhs.uk/i/abc123def456" in sms


def test_the_full_wording_is_kept_when_it_fits():
    sms = wording.alert("to Station Pharmacy", "http://x.uk/i/a").sms
    assert "You do not need to contact your GP practice" in sms


def test_the_resolution_is_one_segment_too():
    sms = wording.resolution(
        "to pharmacies in Northern Ireland that use Apotec CRM", LINK, "to Apotec CRM pharmacies in Northern Ireland"
    ).sms
    assert count(sms).count == 1 and "arriving again" in sms and "STOP" in sms


def _every_text(what: str, short: str = "") -> list[str]:
    return [
        wording.alert(what, LINK, short).sms,
        wording.resolution(what, LINK, short).sms,
        wording.maintenance(what, "6am Sunday", LINK).sms,
        wording.planned(what, "midnight Saturday", "6am Sunday", LINK).sms,
        wording.update(what, "We found the cause.", LINK).sms,
    ]


@pytest.mark.parametrize(
    ("what", "short"),
    [
        ("to pharmacies in Northern Ireland that use Apotec CRM", "to Apotec CRM pharmacies in Northern Ireland"),
        ("to Kirkstall Road Pharmacy, LS3 1HR", ""),
    ],
)
def test_every_text_says_it_is_from_the_nhs_first(what, short):
    for sms in _every_text(what, short):
        assert sms.startswith("NHS: "), sms
    with override("cy"):
        for sms in _every_text(what, short):
            assert sms.startswith("GIG: "), sms


@pytest.mark.django_db
def test_the_alert_for_the_longest_pharmacy_name_in_the_data_is_one_plain_segment(demo):
    longest = max(Pharmacy.objects.all(), key=lambda p: len(p.name))
    sms = wording.alert(f"to {longest.name}, {longest.postcode}", LINK).sms
    assert sms.startswith("NHS: ") and count(sms).count == 1 and count(sms).encoding == "GSM-7", sms
