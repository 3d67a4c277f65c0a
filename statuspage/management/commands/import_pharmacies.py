from django.core.management.base import BaseCommand, CommandError

from statuspage import pharmacy_import


class Command(BaseCommand):
    help = (
        "Load pharmacies from a CSV with columns ods_code, name, address, postcode, nation, system. "
        "If any row is wrong, nothing is imported and every bad row is listed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("csv_file")

    def handle(self, csv_file: str, **options) -> None:
        try:
            with open(csv_file, newline="", encoding="utf-8-sig") as f:
                pharmacies, errors = pharmacy_import.parse(f)
        except (OSError, UnicodeDecodeError) as e:
            raise CommandError(f"Cannot read {csv_file}: {e}") from e
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(errors)} bad row(s); nothing was imported.")
        created, updated = pharmacy_import.save(pharmacies)
        self.stdout.write(f"Imported {created + updated} pharmacies: {created} new, {updated} updated.")
