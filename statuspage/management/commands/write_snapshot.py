from django.conf import settings
from django.core.management.base import BaseCommand

from statuspage import snapshot


class Command(BaseCommand):
    help = "Write the static snapshot of the public site now (the worker does this after every change)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Rewrite even if it is already current.")

    def handle(self, force: bool, **options) -> None:
        written = snapshot.write(force=force)
        state = "written to" if written else "already current in"
        self.stdout.write(f"Snapshot {state} {settings.SNAPSHOT_DIR}")
