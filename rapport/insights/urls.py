from django.urls import path

from rapport.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("report/", views.report, name="report"),
    path("metrics.csv", views.export_csv, name="export"),
    path("refresh/", views.refresh, name="refresh"),
    path("weights/", views.weights, name="weights"),
    path("<slug:group_slug>/", views.group_page, name="group"),
    path("<slug:group_slug>/<slug:metric>/", views.metric_page, name="metric"),
]
