from django.urls import path

from rapport.understanding import views

app_name = "understanding"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("corrections.csv", views.export_corrections, name="export-corrections"),
    path("messages/<int:interaction_id>/", views.message, name="message"),
    path("messages/<int:interaction_id>/correct/", views.correct, name="correct"),
]
