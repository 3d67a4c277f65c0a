"""Turns a bench script's wrk outputs into the Markdown table for docs/benchmarks.md.

Rows whose server label starts "EPS Status" are ours; every other label names a ceiling
(its first word: framework, static, empty), and each row is shown as a share of each
ceiling measured for the same page in the same run.
"""

import argparse
import platform
import re
import subprocess

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse(raw: str) -> dict:
    text = raw.replace("\a", "\n")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {"rps": rps, "p99": float(value) * UNITS[unit], "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("duration")
    parser.add_argument("connections")
    parser.add_argument("workers")
    parser.add_argument("--ceiling", action="append", help="ignored; kept for older callers")
    args = parser.parse_args()
    rows = []
    for line in open(args.results):
        page, label, size, raw = line.rstrip("\n").split("|", 3)
        rows.append((page, label, int(size), parse(raw)))
    ceilings = list(dict.fromkeys(label.split()[0] for _, label, _, _ in rows if not label.startswith("EPS Status")))
    cpu = subprocess.run(
        ["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"wrk -t2 -c{args.connections} -d{args.duration} --latency; gunicorn {args.workers} sync workers; "
        f"{platform.node()}: {cpu}, {subprocess.getoutput('nproc')} cores, Python {platform.python_version()}\n"
    )
    columns = ["page", "server", "bytes", "requests/s", "p99 (ms)", "errors"]
    columns += [f"share of {c} ceiling" for c in ceilings]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|" + "---:|" * (len(columns) - 2))
    for page, label, size, r in rows:
        shares = []
        for ceiling in ceilings:
            base = next(res["rps"] for p, lbl, _, res in rows if p == page and lbl.startswith(ceiling))
            shares.append(f"{100 * r['rps'] / base:.0f}%")
        cells = [
            f"`{page}`",
            label,
            f"{size:,}" if size else "–",
            f"{r['rps']:,.0f}",
            f"{r['p99']:.1f}",
            str(r["errors"]),
            *shares,
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
