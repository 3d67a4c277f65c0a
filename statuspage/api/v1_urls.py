from django.urls import path

from statuspage.api.openapi import openapi
from statuspage.api.push import probes_view

urlpatterns = [
    path("probes", probes_view, name="api-probes"),
    path("openapi.json", openapi, name="api-openapi"),
]
