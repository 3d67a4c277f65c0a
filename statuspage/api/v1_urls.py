from django.urls import path

from statuspage.api.advice import advice

# Under /api/v1/, beside detection/urls.py (the probe API and the OpenAPI description).
urlpatterns = [
    path("advice", advice, name="api-advice"),
]
