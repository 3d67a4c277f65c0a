"""nginx as deploy/nginx configures it, in front of no application at all: the public pages still
answer from the snapshot, refusals are said in JSON, and the edge limits hold."""

import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command

from deploy.production.layout import free_port, nginx_main, self_signed
from statuspage.security_headers import CSP


@pytest.fixture
def edge(tmp_path, settings, program):
    settings.SNAPSHOT_DIR = tmp_path / "snapshot"
    (settings.SNAPSHOT_DIR / "api" / "v2").mkdir(parents=True)
    (settings.SNAPSHOT_DIR / "cy").mkdir()
    (settings.SNAPSHOT_DIR / "index.html").write_text("<html>the whole page</html>")
    (settings.SNAPSHOT_DIR / "index.hx.html").write_text('<div id="live">the live part</div>')
    (settings.SNAPSHOT_DIR / "cy" / "index.html").write_text("<html>y dudalen</html>")
    (settings.SNAPSHOT_DIR / "api" / "v2" / "summary.json").write_text('{"page": {}}')
    (settings.SNAPSHOT_DIR / ".version").write_text("1")
    for folder in ("logs", "nginx"):
        (tmp_path / folder).mkdir()
    cert, key = self_signed(tmp_path)
    port = free_port()
    config = tmp_path / "eps-status.conf"
    with config.open("w") as out:
        call_command(
            "nginx_config",
            "--server-name=localhost",
            f"--listen=127.0.0.1:{port}",
            f"--http-listen=127.0.0.1:{free_port()}",
            f"--app=127.0.0.1:{free_port()}",  # nothing listens there: the application is down
            f"--certificate={cert}",
            f"--certificate-key={key}",
            f"--access-log={tmp_path / 'logs' / 'access.log'}",
            "--trusted-proxy=127.0.0.1/32",  # the test plays our load balancer
            stdout=out,
        )
    (tmp_path / "nginx.conf").write_text(nginx_main(tmp_path))
    nginx = program("nginx")
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True
    )
    assert checked.returncode == 0, checked.stderr.decode()
    server = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"])
    session = requests.Session()
    session.trust_env = False
    session.verify = str(cert)
    base = f"https://localhost:{port}"
    for _ in range(100):
        try:
            session.get(base + "/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    yield session, base, tmp_path
    server.terminate()
    server.wait(10)


def access_log(work: Path, lines: int) -> str:
    """The access log once it holds ``lines`` lines (nginx writes it at least every second)."""
    log = work / "logs" / "access.log"
    for _ in range(40):
        text = log.read_text() if log.exists() else ""
        if text.count("\n") >= lines:
            return text
        time.sleep(0.1)
    return text


def test_public_pages_answer_from_the_snapshot_with_the_application_down(edge):
    http, base, _ = edge
    page = http.get(base + "/")
    assert page.status_code == 200 and page.text == "<html>the whole page</html>"
    assert page.headers["Content-Security-Policy"] == CSP
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Content-Language"] == "en-gb"
    assert http.get(base + "/cy/").headers["Content-Language"] == "cy"
    live = http.get(base + "/", headers={"HX-Request": "true"})
    assert live.text == '<div id="live">the live part</div>'
    summary = http.get(base + "/api/v2/summary.json")
    assert summary.json() == {"page": {}} and summary.headers["Access-Control-Allow-Origin"] == "*"
    assert summary.headers["Content-Type"] == "application/json"


def test_what_only_the_application_can_answer_is_refused_in_json(edge):
    http, base, _ = edge
    probe = http.post(base + "/api/v1/probes", json={"status": "pass"})
    assert probe.status_code == 503 and probe.headers["Content-Type"] == "application/problem+json"
    assert probe.json()["status"] == 503 and probe.headers["Retry-After"] == "15"
    # A query string is the application's to answer, even for a page the snapshot holds.
    assert http.get(base + "/?q=LS1").status_code == 503
    assert http.get(base + "/.version").status_code == 404
    assert http.get(base + "/metrics").status_code == 404


def test_oversized_bodies_and_floods_are_refused_at_the_edge(edge):
    http, base, _ = edge
    big = http.post(base + "/api/v1/probes", data=b"x" * 70_000, headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["title"] == "Content Too Large"
    answers = [http.post(base + "/subscribe/", data={"contact": "x"}).status_code for _ in range(20)]
    # 2 a second with a burst of 10: the first ones reach the (absent) application, the rest are refused.
    assert answers[:5] == [503] * 5 and 429 in answers
    refused = http.post(base + "/subscribe/", data={})
    assert refused.headers["Content-Type"] == "application/problem+json" and refused.headers["Retry-After"] == "1"
    # Reading the sign-up page is never limited: a surge of readers is not a flood.
    assert 429 not in [http.get(base + "/subscribe/").status_code for _ in range(20)]


def test_keys_in_links_never_reach_the_access_log(edge):
    http, base, work = edge
    http.get(base + "/subscribe/manage/secret-manage-token/")
    http.get(base + "/cy/subscribe/unsubscribe/another-secret/")
    log = access_log(work, lines=2)
    assert "secret-manage-token" not in log and "another-secret" not in log
    assert "/subscribe/manage/..." in log


def test_a_client_behind_our_load_balancer_is_itself_not_the_balancer(edge):
    http, base, work = edge
    # The balancer (127.0.0.1 here) appended the address it saw; anything before that the client wrote.
    http.get(base + "/", headers={"X-Forwarded-For": "203.0.113.5, 198.51.100.9"})
    line = access_log(work, lines=1).splitlines()[-1]
    assert '"client":"198.51.100.9"' in line
    # Each client behind the balancer has its own limit: one flooding does not refuse another.
    for _ in range(20):
        http.post(base + "/subscribe/", data={}, headers={"X-Forwarded-For": "198.51.100.9"})
    other = http.post(base + "/subscribe/", data={}, headers={"X-Forwarded-For": "198.51.100.10"})
    assert other.status_code == 503  # reached the (absent) application, not refused at the edge
