from django.contrib.auth import views as auth_views
from django.urls import include, path

from rapport.accounts.scope import home_redirect
from rapport.accounts.signin import SignInView
from rapport.api import api

urlpatterns = [
    # First: the answering pages are what a busy day serves most, and Django tries each
    # pattern in order (no other pattern starts with s/, a/ or r/).
    path("", include("rapport.feedback.public_urls")),
    path("", home_redirect, name="home"),
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("rapport.accounts.urls")),
    path("w/<slug:slug>/people/", include("rapport.people.urls")),
    path("w/<slug:slug>/imports/", include("rapport.imports.urls")),
    path("w/<slug:slug>/understanding/", include("rapport.understanding.urls")),
    path("w/<slug:slug>/feedback/", include("rapport.feedback.urls")),
    path("w/<slug:slug>/insights/", include("rapport.insights.urls")),
    path("w/<slug:slug>/knowledge/", include("rapport.knowledge.urls")),
    path("w/<slug:slug>/inbox/", include("rapport.inbox.urls")),
    path("w/<slug:slug>/predictions/", include("rapport.predictions.urls")),
    path("w/<slug:slug>/outreach/", include("rapport.outreach.urls")),
    path("w/<slug:slug>/privacy/", include("rapport.privacy.urls")),
    path("", include("rapport.intake.urls")),
    path("", include("rapport.inbox.widget_urls")),
    path("api/", api.urls),
]
