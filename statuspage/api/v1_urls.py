from django.urls import path

from statuspage.api.advice import advice
from statuspage.api.openapi import openapi
from statuspage.api.push import probes_view

urlpatterns = [
    path("probes", probes_view, name="api-probes"),
    path("advice", advice, name="api-advice"),
    path("openapi.json", openapi, name="api-openapi"),
]
