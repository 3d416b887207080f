from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from rapport.accounts import views as account_views
from rapport.accounts.scope import home_redirect
from rapport.api import api

urlpatterns = [
    path("", home_redirect, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "no-workspace/",
        TemplateView.as_view(template_name="accounts/no_workspace.html"),
        name="no-workspace",
    ),
    path("w/<slug:slug>/audit/", account_views.audit_log, name="audit-log"),
    path("w/<slug:slug>/settings/", account_views.settings_page, name="settings"),
    path("w/<slug:slug>/settings/members/", account_views.invite, name="invite-member"),
    path(
        "w/<slug:slug>/settings/members/<int:membership_id>/role/",
        account_views.set_role,
        name="set-role",
    ),
    path(
        "w/<slug:slug>/settings/members/<int:membership_id>/remove/",
        account_views.remove,
        name="remove-member",
    ),
    path(
        "w/<slug:slug>/settings/automations/", account_views.add_automation, name="add-automation"
    ),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password.html", success_url="/"
        ),
        name="password-change",
    ),
    path("w/<slug:slug>/people/", include("rapport.people.urls")),
    path("w/<slug:slug>/imports/", include("rapport.imports.urls")),
    path("w/<slug:slug>/understanding/", include("rapport.understanding.urls")),
    path("w/<slug:slug>/feedback/", include("rapport.feedback.urls")),
    path("w/<slug:slug>/insights/", include("rapport.insights.urls")),
    path("", include("rapport.feedback.public_urls")),
    path("", include("rapport.intake.urls")),
    path("api/", api.urls),
]
