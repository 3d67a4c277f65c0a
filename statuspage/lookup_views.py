"""The public "Is my pharmacy affected?" pages: a forgiving search, then one plain answer."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from statuspage import lookup
from statuspage.models import Pharmacy
from statuspage.response_cache import public_cache

SHOWN = 10


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = lookup.find_pharmacies(query, limit=SHOWN + 1) if query else []
    results, more = found[:SHOWN], len(found) > SHOWN
    # An exact ODS code, or the only pharmacy found, needs no list to choose from.
    if not request.htmx and len(results) == 1:
        return redirect("pharmacy", code=results[0].ods_code)
    template = "statuspage/pharmacies.html" + ("#results" if request.htmx else "")
    return render(request, template, {"query": query, "results": results, "more": more, "shown": SHOWN})


@require_safe
@public_cache()
def pharmacy(request: HttpRequest, code: str) -> HttpResponse:
    if code != code.upper():
        return redirect("pharmacy", code=code.upper(), permanent=True)
    place = get_object_or_404(Pharmacy.objects.select_related("system"), ods_code=code)
    template = "statuspage/pharmacy.html" + ("#live" if request.htmx else "")
    return render(request, template, {"pharmacy": place, "answer": lookup.for_pharmacy(place)})
