from django.urls import path

from notifications import views

urlpatterns = [path("dev/outbox/", views.outbox, name="dev-outbox")]
