from django.core.validators import RegexValidator
from django.db import models

from statuspage.models.nations import Nation
from statuspage.models.suppliers import Broker

PHARMACY_ODS = RegexValidator(r"^F[A-Z0-9]{4}$", "A pharmacy ODS code is five characters beginning with F, e.g. FW844.")
GP_ODS = RegexValidator(r"^[A-Z][0-9]{5}$", "A GP practice ODS code is one letter and five digits, e.g. A81001.")
# The shape of a UK postcode, stored upper case with one space before the inward code.
POSTCODE = RegexValidator(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$", "Enter a UK postcode, e.g. LS1 4AP.")


def normalise_postcode(value: str) -> str:
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class Place(models.Model):
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=8, validators=[POSTCODE], db_index=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"


class Pharmacy(Place):
    ods_code = models.CharField("ODS code", max_length=5, unique=True, validators=[PHARMACY_ODS])
    system = models.ForeignKey(
        "statuspage.Supplier",
        on_delete=models.PROTECT,
        related_name="pharmacies",
        limit_choices_to={"kind": "pharmacy"},
    )

    class Meta(Place.Meta):
        verbose_name_plural = "pharmacies"

    def broker(self):
        """The broker that carries this pharmacy's prescriptions."""
        if self.system.topology == self.system.Topology.PER_SITE:
            return Broker.objects.filter(site=self).first()
        return Broker.objects.filter(supplier=self.system, nation=self.nation, site__isnull=True).first()


class GPPractice(Place):
    ods_code = models.CharField("ODS code", max_length=6, unique=True, validators=[GP_ODS])
    system = models.ForeignKey(
        "statuspage.Supplier", on_delete=models.PROTECT, related_name="practices", limit_choices_to={"kind": "gp"}
    )

    class Meta(Place.Meta):
        verbose_name = "GP practice"
