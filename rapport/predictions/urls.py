from django.urls import path

from rapport.predictions import views

app_name = "predictions"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("refresh/", views.refresh, name="refresh"),
    path("settings/", views.update_settings, name="settings"),
]
