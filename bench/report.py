"""Turns bench/run's wrk outputs into the Markdown table for docs/benchmarks.md."""

import platform
import re
import subprocess
import sys

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse(raw: str) -> dict:
    text = raw.replace("\a", "\n")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p99": float(value) * UNITS[unit], "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0)}


def main(path: str, duration: str, connections: str, workers: str) -> None:
    rows = []
    for line in open(path):
        page, label, size, raw = line.rstrip("\n").split("|", 3)
        rows.append((page, label, int(size), parse(raw)))
    cpu = subprocess.run(
        ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"wrk -t2 -c{connections} -d{duration} --latency; gunicorn {workers} sync workers; "
        f"{platform.node()}: {cpu}, {subprocess.getoutput('nproc')} cores, Python {platform.python_version()}\n"
    )
    columns = [
        "page",
        "server",
        "bytes",
        "requests/s",
        "p99 (ms)",
        "errors",
        "share of framework ceiling",
        "share of static ceiling",
    ]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for page, label, size, r in rows:
        same_page = {lbl: res for p, lbl, _, res in rows if p == page}
        framework = next(v["rps"] for k, v in same_page.items() if k.startswith("framework"))
        static = next(v["rps"] for k, v in same_page.items() if k.startswith("static"))
        print(
            f"| `{page}` | {label} | {size:,} | {r['rps']:,.0f} | {r['p99']:.1f} | {r['errors']} "
            f"| {100 * r['rps'] / framework:.0f}% | {100 * r['rps'] / static:.0f}% |"
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
