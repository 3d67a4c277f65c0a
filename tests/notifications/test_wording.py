import pytest

from notifications import wording
from notifications.segments import count

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
