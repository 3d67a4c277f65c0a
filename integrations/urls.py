from django.urls import path

from integrations import views

urlpatterns = [
    path("webhooks/", views.register, name="webhooks"),
    path("webhooks/confirm/<str:token>/", views.confirm, name="webhooks-confirm"),
    path("webhooks/manage/<str:token>/", views.manage, name="webhooks-manage"),
    path("webhooks/unsubscribe/<str:token>/", views.unsubscribe, name="webhooks-unsubscribe"),
]
