"""The accounts pages: a workspace's settings, members, automations and audit log, the
password change, and the page for a login with no workspace. Mounted at the site root, with
un-namespaced names ({% url 'settings' slug %})."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from rapport.accounts import views

urlpatterns = [
    path(
        "no-workspace/",
        TemplateView.as_view(template_name="accounts/no_workspace.html"),
        name="no-workspace",
    ),
    path("w/<slug:slug>/audit/", views.audit_log, name="audit-log"),
    path("w/<slug:slug>/settings/", views.settings_page, name="settings"),
    path("w/<slug:slug>/settings/members/", views.invite, name="invite-member"),
    path(
        "w/<slug:slug>/settings/members/<int:membership_id>/role/",
        views.set_role,
        name="set-role",
    ),
    path(
        "w/<slug:slug>/settings/members/<int:membership_id>/remove/",
        views.remove,
        name="remove-member",
    ),
    path("w/<slug:slug>/settings/automations/", views.add_automation, name="add-automation"),
    path(
        "w/<slug:slug>/settings/tokens/<int:token_id>/revoke/",
        views.revoke_token,
        name="revoke-token",
    ),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password.html", success_url="/"
        ),
        name="password-change",
    ),
]
