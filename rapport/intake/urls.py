"""Intake endpoints with no login (signed webhooks) and the managers' intake settings page.
Mounted at the site root."""

from django.urls import path

from rapport.intake import views

app_name = "intake"
urlpatterns = [
    path("hooks/<uuid:endpoint_id>/", views.receive_webhook, name="webhook"),
    path("w/<slug:slug>/settings/intake/", views.intake_settings, name="intake"),
]
