"""Reading pharmacies from a CSV: every row checked before anything is written."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from statuspage import brokers
from statuspage.models import Nation, Pharmacy, Supplier
from statuspage.models.places import PHARMACY_ODS, POSTCODE, normalise_postcode

COLUMNS = ("ods_code", "name", "address", "postcode", "nation", "system")


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


def _nation(value: str) -> str | None:
    wanted = value.strip().lower().replace("_", " ")
    for choice in Nation:
        if wanted in (choice.value.replace("_", " "), choice.label.lower()):
            return choice.value
    return None


def _systems() -> dict[str, Supplier]:
    """Suppliers by slug, by system name and by 'vendor system', all lower case."""
    found = {}
    for s in Supplier.objects.filter(kind=Supplier.Kind.PHARMACY):
        for key in (s.slug, s.name, f"{s.vendor} {s.name}"):
            found[key.lower()] = s
    return found


def parse(lines: Iterable[str]) -> tuple[list[Pharmacy], list[RowError]]:
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [RowError(1, f"missing column(s): {', '.join(missing)}; expected {', '.join(COLUMNS)}")]
    systems = _systems()
    pharmacies, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        problems = []
        code = (row["ods_code"] or "").strip().upper()
        postcode = normalise_postcode(row["postcode"] or "")
        for validator, value, label in ((PHARMACY_ODS, code, "ods_code"), (POSTCODE, postcode, "postcode")):
            try:
                validator(value)
            except ValidationError as e:
                problems.append(f"{label} {value!r}: {e.messages[0]}")
        if code in seen:
            problems.append(f"ods_code {code} also appears on line {seen[code]}")
        seen.setdefault(code, line)
        for field in ("name", "address"):
            if not (row[field] or "").strip():
                problems.append(f"{field} is empty")
        nation = _nation(row["nation"] or "")
        if nation is None:
            problems.append(f"nation {row['nation']!r} is not one of: {', '.join(map(str, Nation.labels))}")
        system = systems.get((row["system"] or "").strip().lower())
        if system is None:
            problems.append(f"system {row['system']!r} is not a known pharmacy system")
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        pharmacies.append(
            Pharmacy(
                ods_code=code,
                name=row["name"].strip(),
                address=row["address"].strip(),
                postcode=postcode,
                nation=nation,
                system=system,
            )
        )
    return pharmacies, errors


@transaction.atomic
def save(pharmacies: list[Pharmacy]) -> tuple[int, int]:
    """Insert new pharmacies and update known ones (by ODS code). Returns (created, updated)."""
    created = updated = 0
    for p in pharmacies:
        obj, was_created = Pharmacy.objects.update_or_create(
            ods_code=p.ods_code,
            defaults={f: getattr(p, f) for f in ("name", "address", "postcode", "nation", "system")},
        )
        created += was_created
        updated += not was_created
        if obj.system.topology == Supplier.Topology.PER_SITE:
            brokers.site_broker(obj)
    return created, updated
