import pytest
from tests.console.conftest import *  # noqa

@pytest.mark.django_db
def test_smoke(staff, demo):
    c = staff("admin")
    for url in ["/console/", "/console/incidents/", "/console/incidents/new/", "/console/maintenance/", "/console/maintenance/new/", "/console/sends/", "/console/audit/", "/console/staff/", "/console/brokers/new/", "/console/audit.csv"]:
        r = c.get(url)
        print(url, r.status_code)
        assert r.status_code == 200, r.content[:3000]
