from django.urls import path

from notifications import subscribe, views, webhooks

# Patients' pages: in English at these paths and in Welsh under /cy/ (config/urls.py).
patient_urlpatterns = [
    path("subscribe/", subscribe.subscribe, name="subscribe"),
    path("subscribe/check/", subscribe.check, name="subscribe-check"),
    path("subscribe/confirm/<str:token>/", subscribe.confirm, name="subscribe-confirm"),
    path("subscribe/manage/<str:token>/", subscribe.manage, name="subscribe-manage"),
    path("subscribe/unsubscribe/<str:token>/", subscribe.unsubscribe, name="subscribe-unsubscribe"),
]

urlpatterns = [
    path("dev/outbox/", views.outbox, name="dev-outbox"),
    path("webhooks/twilio/sms", webhooks.inbound, name="twilio-sms"),
    path("webhooks/twilio/status", webhooks.status, name="twilio-status"),
    path("webhooks/twilio/voice", webhooks.voice, name="twilio-voice"),
]
