"""The production edge: nginx (TLS, deploy/nginx) serving the snapshot, beside the ceiling measured in the
same run, the same nginx serving the same files from disk with nothing of ours in the way; and how soon a
change is on the page nginx serves.

    .venv/bin/python -m bench.edge            (ROUNDS=3 DURATION=10s CONNECTIONS=64)

Starts the production layout of `make production-check` (deploy/production/layout.py): PostgreSQL, Redis,
gunicorn, every pool, beat, DEBUG off. Needs wrk and nginx (apt-get install wrk nginx-light).
"""

import os
import re
import statistics
import subprocess
import sys
import time

import requests

from deploy.production.layout import ROOT, Layout, free_port

ROUNDS = int(os.environ.get("ROUNDS", "5"))
DURATION = os.environ.get("DURATION", "6s")
CONNECTIONS = os.environ.get("CONNECTIONS", "64")
CHANGES = int(os.environ.get("CHANGES", "6"))
COMPONENT = "eps-spine"
SPINE = "Electronic Prescription Service (NHS Spine)"

# The same TLS, the same files, the same worker count: only our configuration is missing.
CEILING = """
server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_session_cache shared:ceiling_tls:10m;
    access_log off;
    root {root};
    types {{ text/html html; application/json json; }}
}}
"""


def wrk(url: str) -> float:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url], capture_output=True, text=True
    )
    found = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    if done.returncode or not found or "Non-2xx" in done.stdout:
        raise RuntimeError(f"wrk {url}: {done.stdout}{done.stderr}")
    return float(found.group(1))


def flip(layout: Layout, status: str) -> float:
    """Set the component's status; returns when the change was committed (epoch seconds)."""
    said = layout.manage(
        "shell",
        "-c",
        "import time; from statuspage.models import Component; "
        "from statuspage.transitions import set_component_status; "
        f"set_component_status(Component.objects.get(slug={COMPONENT!r}), {status!r}, 'bench'); print(time.time())",
    )
    return float(said.split()[-1])


def visible_after(http: requests.Session, url: str, status: str, committed: float) -> float:
    deadline = time.time() + 30
    while time.time() < deadline:
        components = http.get(url + "/api/v2/summary.json", timeout=5).json()["components"]
        if any(c["status"] == status for c in components if c["name"] == SPINE):
            return time.time() - committed
        time.sleep(0.05)
    raise RuntimeError(f"{status} not served within 30 s")


def main() -> int:
    layout = Layout(ROOT / "var" / "bench-edge")
    try:
        layout.prepare()
        ceiling_port = free_port()
        (layout.work / "ceiling.conf").write_text(
            CEILING.format(
                port=ceiling_port, cert=layout.cert, key=layout.cert.with_suffix(".key"), root=layout.work / "snapshot"
            )
        )
        conf = layout.work / "nginx.conf"
        conf.write_text(
            conf.read_text().replace(
                "include " + str(layout.work / "eps-status.conf") + ";",
                f"include {layout.work / 'eps-status.conf'};\n  include {layout.work / 'ceiling.conf'};",
            )
        )
        layout.start_all()
        http = requests.Session()
        http.trust_env, http.verify = False, str(layout.cert)
        layout.wait_until(
            "the site", lambda: http.get(layout.site + "/healthz/pipeline", timeout=5).ok, timeout=120, every=1
        )
        ours, ceiling = layout.site, f"https://localhost:{ceiling_port}"
        pairs = {
            "/": (ours + "/", ceiling + "/index.html"),
            "/api/v2/summary.json": (ours + "/api/v2/summary.json", ceiling + "/api/v2/summary.json"),
        }
        for ours_url, theirs_url in pairs.values():
            assert http.get(ours_url).content == http.get(theirs_url).content, ours_url
        results: dict[str, dict[str, list[float]]] = {p: {"ours": [], "ceiling": []} for p in pairs}
        app = []
        for _ in range(ROUNDS):
            for path, (ours_url, theirs_url) in pairs.items():
                results[path]["ours"].append(wrk(ours_url))
                results[path]["ceiling"].append(wrk(theirs_url))
            app.append(wrk(ours + "/?from=application"))
        delays = []
        for i in range(CHANGES):
            status = "major_outage" if i % 2 == 0 else "operational"
            delays.append(visible_after(http, ours, status, flip(layout, status)))
    finally:
        layout.stop_all()
    print(f"machine: {os.cpu_count()} cores; wrk -t2 -c{CONNECTIONS} -d{DURATION}; {ROUNDS} rounds, ours then ceiling")
    print("| path | nginx, our configuration | nginx, the same file (ceiling) | ours / ceiling, per round |")
    print("|---|---|---|---|")
    for path, r in results.items():
        o, c = statistics.median(r["ours"]), statistics.median(r["ceiling"])
        ratios = sorted(a / b for a, b in zip(r["ours"], r["ceiling"], strict=True))
        print(
            f"| `{path}` | {o:,.0f} req/s | {c:,.0f} req/s | median {statistics.median(ratios):.1%} "
            f"({', '.join(f'{x:.0%}' for x in ratios)}) |"
        )
    print(
        f"| `/?from=application` (gunicorn, {os.environ.get('WEB_CONCURRENCY', '3')} workers) | "
        f"{statistics.median(app):,.0f} req/s | | |"
    )
    print(
        f"change visible through nginx, {CHANGES} changes: median {statistics.median(delays):.2f} s, "
        f"worst {max(delays):.2f} s ({', '.join(f'{d:.2f}' for d in delays)})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
