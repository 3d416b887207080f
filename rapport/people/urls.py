from django.urls import path

from rapport.people import views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.csv", views.export_people, name="export"),
    path("<int:person_id>/", views.person_page, name="person"),
    path("<int:person_id>/edit/", views.edit_person, name="edit"),
]
