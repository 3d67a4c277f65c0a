from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from detection import tokens
from statuspage.models import Broker


class Command(BaseCommand):
    help = (
        "Issue a probe token for a broker (its component id from components.json, or its slug) and print it, "
        "alone, on standard output. It is shown this once; only its hash is kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("broker", help="component id (e.g. 'k3j2h1g0f9e8') or slug")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the broker's tokens starting with PREFIX")
        parser.add_argument("--list", action="store_true", help="list the broker's tokens (prefixes only)")

    def handle(self, broker: str, revoke: str | None, list: bool, **options) -> None:
        found = (
            Broker.objects.select_related("component")
            .filter(Q(component__code=broker) | Q(component__slug=broker))
            .first()
        )
        if found is None:
            raise CommandError(f"No broker with id or slug {broker!r}.")
        if list:
            for t in found.tokens.order_by("created_at"):
                state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "live"
                used = f"last used {t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
                self.stdout.write(f"{t.prefix}…  created {t.created_at:%Y-%m-%d %H:%M}  {used}  {state}")
            return
        if revoke:
            if len(revoke) < 6:
                raise CommandError("Give at least the first 6 characters of the token to revoke.")
            count = tokens.revoke(found, revoke)
            if not count:
                raise CommandError(f"No live token for {found.component.slug} starts with {revoke!r}.")
            self.stderr.write(f"Revoked {count} token(s).")
            return
        self.stdout.write(tokens.issue(found))
