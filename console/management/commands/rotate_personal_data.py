"""Re-encrypt every piece of personal data and secret at rest with the newest PERSONAL_DATA_KEY.

    1. PERSONAL_DATA_KEY=new,old (new first) on every node; restart them. Nothing is lost: any listed
       key decrypts, and the look-up hashes come from the last key listed (common/personal.py).
    2. manage.py rotate_personal_data
       re-encrypts everything with the new key. An old key that was only ever a backup can go now.
    3. To retire the old key entirely (it leaked, say): manage.py rotate_personal_data --rehash --retire-last
       recomputes every look-up hash under the new key, then drop the old key everywhere at once.

Safe to run twice, and to stop half-way: each row is rewritten in its own small transaction, and a
row already under the newest key is rewritten to the same effect.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from common import personal
from console.authenticators import Authenticator
from integrations.models import Endpoint
from notifications.models import Subscriber

BATCH = 500
ENCRYPTED = (
    (Subscriber, ("address_encrypted",)),
    (Endpoint, ("secret_encrypted", "contact_encrypted")),
    (Authenticator, ("seed_encrypted",)),
)


class Command(BaseCommand):
    help = "Re-encrypt personal data and secrets at rest with the first PERSONAL_DATA_KEY (see docs/operations.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="also recompute look-up hashes as if the last key were already dropped (with --retire-last)",
        )
        parser.add_argument("--retire-last", action="store_true", help="hash under the key before the last")

    def handle(self, rehash: bool, retire_last: bool, **options) -> None:
        for model, fields in ENCRYPTED:
            done = 0
            for pks in _batches(model):
                with transaction.atomic():
                    rows = list(model.objects.select_for_update().filter(pk__in=pks).only("pk", *fields))
                    for row in rows:
                        for field in fields:
                            setattr(row, field, personal.rotate(getattr(row, field)))
                    model.objects.bulk_update(rows, fields)
                done += len(rows)
            self.stdout.write(f"{model._meta.label}: {done} re-encrypted with the newest key")
        if rehash:
            if not retire_last:
                raise CommandError("--rehash goes with --retire-last: the hashes already use the last key.")
            self._rehash()

    def _rehash(self) -> None:
        keys = list(settings.PERSONAL_DATA_KEYS)
        if len(keys) < 2:
            raise CommandError("Only one key is set: there is no last key to retire.")
        under = keys[-2]
        for pks in _batches(Subscriber):
            with transaction.atomic():
                rows = list(Subscriber.objects.select_for_update().filter(pk__in=pks))
                for row in rows:
                    row.address_hash = personal.lookup_hash(row.channel, row.address, under=under)
                Subscriber.objects.bulk_update(rows, ["address_hash"])
        for pks in _batches(Endpoint):
            with transaction.atomic():
                rows = list(Endpoint.objects.select_for_update().filter(pk__in=pks))
                for row in rows:
                    row.contact_hash = personal.lookup_hash("webhook-contact", row.contact, under=under)
                Endpoint.objects.bulk_update(rows, ["contact_hash"])
        self.stdout.write(
            "Look-up hashes recomputed. Now drop the last key from PERSONAL_DATA_KEY on every node at once "
            "and restart them: codes sent before the restart will not work, and people ask for new ones."
        )


def _batches(model) -> list[list[int]]:
    pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
    return [pks[i : i + BATCH] for i in range(0, len(pks), BATCH)]
