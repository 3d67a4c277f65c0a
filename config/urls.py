from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView

from config.metrics import metrics
from notifications.urls import patient_urlpatterns
from statuspage import lookup_views, views
from statuspage.calendar import maintenance_ics
from statuspage.feeds import HistoryAtom, HistoryRss
from statuspage.response_cache import public_cache

# What patients read, in English here and in Welsh under /cy/ (statuspage/language.py).
patient_pages = [
    path("", views.index, name="index"),
    path("history/", views.history, name="history"),
    path("incidents/<slug:code>/", views.incident, name="incident"),
    # The short form texts link to: every character of a text counts towards its cost.
    path("i/<slug:code>", RedirectView.as_view(pattern_name="incident", permanent=True), name="incident-short"),
    path("components/<slug:slug>/", views.component, name="component"),
    path("pharmacies/", lookup_views.search, name="pharmacies"),
    path("pharmacies/<str:code>/", lookup_views.pharmacy, name="pharmacy"),
    *patient_urlpatterns,
]

urlpatterns = [
    path("history.atom", public_cache(cors=True)(HistoryAtom()), name="history-atom"),
    path("history.rss", public_cache(cors=True)(HistoryRss()), name="history-rss"),
    path("maintenance.ics", maintenance_ics, name="maintenance-ics"),
    path("api/v2/", include("statuspage.api.urls")),
    path("api/v1/", include("detection.urls")),
    path("api/v1/", include("statuspage.api.v1_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/pipeline", views.pipeline_health, name="healthz-pipeline"),
    path("metrics", metrics, name="metrics"),
    path("console/", include("console.urls")),
    path("", include("notifications.urls")),
    path("", include("integrations.urls")),
    *i18n_patterns(*patient_pages, prefix_default_language=False),
]
handler404 = "statuspage.views.not_found"
