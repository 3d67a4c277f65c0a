"""``GET /api/v1/advice``: for clinical systems, whether the route to a pharmacy works and what to do.

Asked with ``pharmacy=FW844``, or ``supplier=<slug>&nation=<nation>`` for a supplier's central
broker. Answers are cached like the status page: a surge of prescribers asking costs one render
per change.
"""

import re

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from statuspage import language, lookup
from statuspage.api.problems import problem, read_only
from statuspage.api.shapes import iso
from statuspage.models import Nation, Pharmacy, Supplier
from statuspage.models.places import PHARMACY_ODS
from statuspage.response_cache import public_cache


def body(answer: lookup.Answer) -> dict:
    advice, pharmacy, incident = answer.advice, answer.pharmacy, answer.incident
    return {
        "pharmacy": (
            {
                "ods_code": pharmacy.ods_code,
                "name": pharmacy.name,
                "postcode": pharmacy.postcode,
                "nation": pharmacy.nation,
                "url": settings.SITE_URL + reverse("pharmacy", args=[pharmacy.ods_code]),
            }
            if pharmacy
            else None
        ),
        "supplier": {"slug": answer.supplier.slug, "name": answer.supplier.name, "vendor": answer.supplier.vendor},
        "nation": answer.nation,
        "status": advice.status,
        "working": advice.working,
        "advice": advice.action.value,
        "headline": advice.headline,
        "summary": advice.patient,
        "guidance": advice.professional,
        "route": [{"id": c.code, "name": c.name, "status": c.public_status} for c in answer.route],
        "incident": (
            {
                "id": incident.code,
                "name": incident.name,
                "status": incident.status,
                "impact": incident.impact,
                "url": settings.SITE_URL + incident.get_absolute_url(),
            }
            if incident
            else None
        ),
        "last_probe_at": iso(answer.last_probe_at),
        "generated_at": iso(timezone.now()),
    }


SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def _bad(detail: str, parameter: str) -> JsonResponse:
    return problem(400, "Bad Request", detail, [(f"/query/{parameter}", detail)])


def _answer(request: HttpRequest) -> lookup.Answer | JsonResponse:
    code = request.GET.get("pharmacy", "").strip().upper()
    slug = request.GET.get("supplier", "").strip()
    nation = request.GET.get("nation", "").strip().lower()
    if code and (slug or nation):
        return _bad("Ask with pharmacy alone, or with supplier and nation, not both.", "pharmacy")
    if code:
        if not PHARMACY_ODS.regex.match(code):
            return _bad(
                f"{code!r} is not a pharmacy ODS code: five characters beginning with F, e.g. FW844.", "pharmacy"
            )
        pharmacy = Pharmacy.objects.select_related("system").filter(ods_code=code).first()
        if pharmacy is None:
            return problem(404, "Not Found", f"There is no pharmacy with the ODS code {code}.")
        return lookup.for_pharmacy(pharmacy)
    if not slug or not nation:
        return _bad("Ask with pharmacy=<ODS code>, or with supplier=<slug> and nation=<nation>.", "pharmacy")
    if nation not in Nation.values:
        return _bad(f"nation must be one of {', '.join(Nation.values)}.", "nation")
    if not SLUG.fullmatch(slug.lower()):
        # Checked before the database sees it: PostgreSQL refuses a NUL byte in a string outright.
        return _bad(
            "supplier must be a supplier's slug (letters, digits and hyphens), e.g. cegedim-pharmacy-manager.",
            "supplier",
        )
    supplier = Supplier.objects.filter(slug=slug.lower()).first()
    if supplier is None:
        return problem(404, "Not Found", f"There is no supplier {slug!r}; /api/v2/components.json lists them.")
    try:
        return lookup.for_supplier(supplier, nation)
    except lookup.PerSite:
        return _bad(f"{supplier.name} has a broker at each pharmacy: ask with pharmacy=<ODS code>.", "supplier")


@read_only
@public_cache(cors=True, query=("pharmacy", "supplier", "nation"))
def advice(request: HttpRequest) -> JsonResponse:
    with override(language.code("en")):  # a machine-readable contract: one language
        answer = _answer(request)
        if isinstance(answer, JsonResponse):
            answer["Access-Control-Allow-Origin"] = "*"
            return answer
        return JsonResponse(body(answer), json_dumps_params={"ensure_ascii": False})
