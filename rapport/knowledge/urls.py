from django.urls import path

from rapport.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.entries_page, name="entries"),
    path("new/", views.new_entry, name="new"),
    path("import/", views.import_page, name="import"),
    path("export.csv", views.export_csv, name="export"),
    path("threshold/", views.threshold_page, name="threshold"),
    path("threshold/choose/", views.choose_threshold, name="choose-threshold"),
    path("recompute/", views.recompute, name="recompute"),
    path("suggestions/", views.suggestions_page, name="suggestions"),
    path("entries/<slug:key>/", views.edit_entry, name="edit"),
    path("entries/<slug:key>/delete/", views.delete_entry, name="delete"),
]
