"""Creates N confirmed SMS subscribers following one pharmacy, for bench/fanout.

Numbers are +4474 followed by 8 digits: they only ever reach the fake Twilio. Addresses are
encrypted and hashed exactly as sign-up does, then loaded with COPY. Bench settings only.
"""

import sys
import time

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from common import personal  # noqa: E402
from notifications.models import Subscriber  # noqa: E402
from statuspage.brokers import central_broker  # noqa: E402
from statuspage.models import Pharmacy, Supplier  # noqa: E402


def main(count: int) -> None:
    started = time.perf_counter()
    supplier = Supplier.objects.create(
        vendor="Cegedim", name="Pharmacy Manager", slug="cegedim-pharmacy-manager", kind="pharmacy", topology="central"
    )
    broker = central_broker(supplier, "england")
    pharmacy = Pharmacy.objects.create(
        ods_code="FW844",
        name="Kirkstall Road Pharmacy",
        address="12 Kirkstall Road, Leeds",
        postcode="LS3 1HR",
        nation="england",
        system=supplier,
    )
    now = timezone.now()
    table = Subscriber._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    with (
        raw.cursor() as cursor,
        cursor.copy(
            f"COPY {table} (channel, address_encrypted, address_hash, state, language, created_at, confirmed_at, "
            "code_hash, code_tries) FROM STDIN"
        ) as copy,
    ):
        for i in range(count):
            number = f"+4474{i:08d}"
            copy.write_row(
                ("sms", personal.encrypt(number), personal.lookup_hash("sms", number), "active", "en", now, now, "", 0)
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_subscription "
            "(subscriber_id, scope, pharmacy_id, nation, created_at, confirmed_at) "
            "SELECT id, 'pharmacy', %s, '', %s, %s FROM notifications_subscriber",
            [pharmacy.pk, now, now],
        )
        cursor.execute("ANALYZE")
    print(
        f"{count} subscribers following {pharmacy.ods_code} (broker {broker.component.slug}) "
        f"in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
