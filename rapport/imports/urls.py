from django.urls import path

from rapport.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:run_id>/", views.run_page, name="run"),
    path("<int:run_id>/progress/", views.run_progress, name="progress"),
    path("<int:run_id>/errors.csv", views.run_errors, name="errors"),
]
