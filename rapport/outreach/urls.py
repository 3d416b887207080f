from django.urls import path

from rapport.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.reach_out_page, name="list"),
    path("done/", views.done, name="done"),
    path("snooze/", views.snooze, name="snooze"),
    path("settings/", views.update_settings, name="settings"),
    path("digest/", views.digest_setting, name="digest"),
]
