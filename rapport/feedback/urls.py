"""Member pages of the feedback app, under /w/<slug>/feedback/. Each view module lists its
own routes, so surveys, results and the inbox can grow apart."""

from rapport.feedback import inbox_views, results_views, share_views, views

app_name = "feedback"
urlpatterns = [*views.routes, *results_views.routes, *inbox_views.routes, *share_views.routes]
