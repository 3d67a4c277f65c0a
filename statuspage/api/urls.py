from django.urls import path

from statuspage.api import views

urlpatterns = [
    path("status.json", views.status, name="api-status"),
    path("summary.json", views.summary, name="api-summary"),
    path("components.json", views.components, name="api-components"),
    path("incidents.json", views.incidents, name="api-incidents"),
    path("incidents/unresolved.json", views.unresolved_incidents, name="api-incidents-unresolved"),
    path("scheduled-maintenances.json", views.scheduled_maintenances, name="api-maintenances"),
    path("scheduled-maintenances/upcoming.json", views.upcoming_maintenances, name="api-maintenances-upcoming"),
    path("scheduled-maintenances/active.json", views.active_maintenances, name="api-maintenances-active"),
]
