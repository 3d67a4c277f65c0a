"""Console pages: never in a shared cache, strict CSP (no inline script or style), HSTS, no framing."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/console/", "/console/sign-in/", "/console/audit/", "/console/incidents/new/"])
def test_console_responses_carry_the_headers(url, staff, demo):
    response = staff("admin").get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    # What the CSP would block must not be there to block: inline scripts, handlers, style attributes.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)
    assert not re.search(r"\sstyle=", html)


def test_refusals_and_redirects_carry_them_too(client, db):
    response = client.get("/console/")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"


def test_public_pages_stay_cacheable(client, demo):
    assert "public" in client.get("/").headers["Cache-Control"]
