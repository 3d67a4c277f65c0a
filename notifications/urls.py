from django.urls import path

from notifications import views, webhooks

urlpatterns = [
    path("dev/outbox/", views.outbox, name="dev-outbox"),
    path("webhooks/twilio/sms", webhooks.inbound, name="twilio-sms"),
    path("webhooks/twilio/status", webhooks.status, name="twilio-status"),
]
