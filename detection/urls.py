from django.urls import path

from detection.openapi import openapi
from detection.push import probes_view

# Under /api/v1/, beside statuspage/api/v1_urls.py.
urlpatterns = [
    path("probes", probes_view, name="api-probes"),
    path("openapi.json", openapi, name="api-openapi"),
]
