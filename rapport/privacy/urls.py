from django.urls import path

from rapport.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("apply/", views.apply_now, name="apply"),
    path("people/<int:person_id>/export/", views.export, name="export"),
    path("people/<int:person_id>/erase/", views.erase, name="erase"),
]
