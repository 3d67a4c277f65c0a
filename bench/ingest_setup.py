"""Creates N brokers with a token each for bench/ingest, and writes the wrk script that uses them.

Run by bench/ingest with the bench settings; never against a real database.
"""

import sys

import django

django.setup()

from detection import tokens  # noqa: E402
from statuspage.models import Broker, Component, Pharmacy, Supplier  # noqa: E402


def main(count: int, lua_path: str) -> None:
    supplier = Supplier.objects.create(vendor="Bench", name="Bench", slug="bench", kind="pharmacy", topology="per_site")
    components = Component.objects.bulk_create(
        Component(name=f"Bench broker {i}", slug=f"bench-{i}", showcase=False, only_show_if_degraded=True)
        for i in range(count)
    )
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sites = Pharmacy.objects.bulk_create(
        Pharmacy(
            ods_code="F" + "".join(digits[(i // 36**k) % 36] for k in (3, 2, 1, 0)),
            name=f"Bench {i}",
            address="1 Bench Road",
            postcode="LS1 4AP",
            nation="england",
            system=supplier,
        )
        for i in range(count)
    )
    Broker.objects.bulk_create(
        Broker(component=c, supplier=supplier, nation="england", site=s, heartbeat_seconds=10)
        for c, s in zip(components, sites, strict=True)
    )
    issued = [tokens.issue(b) for b in Broker.objects.filter(supplier=supplier)]
    body = (
        '{"status":"pass","checks":{"spine:connection":[{"status":"pass"}],'
        '"outboundQueue:depth":[{"observedValue":4}],"outboundQueue:oldestMessageAge":[{"observedValue":3,'
        '"observedUnit":"s"}],"delivery:latency":[{"observedValue":420,"observedUnit":"ms"}],'
        '"delivery:errorRate":[{"observedValue":0.0}]}}'
    )
    with open(lua_path, "w") as f:
        f.write("tokens = {\n" + ",\n".join(f'"{t}"' for t in issued) + "\n}\n")
        f.write(f"body = '{body}'\n")
        f.write(
            "math.randomseed(os.time())\n"
            "request = function()\n"
            "  local headers = {}\n"
            '  headers["Content-Type"] = "application/health+json"\n'
            '  headers["Authorization"] = "Bearer " .. tokens[math.random(#tokens)]\n'
            '  return wrk.format("POST", nil, headers, body)\n'
            "end\n"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
