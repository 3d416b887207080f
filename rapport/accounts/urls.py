"""The accounts pages: a workspace's settings, members, automations and audit log, the
password change, and the page for a login with no workspace. Mounted at the site root, with
un-namespaced names ({% url 'settings' slug %})."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from rapport.accounts import signin, views

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
    path(
        "w/<slug:slug>/settings/members/<int:membership_id>/unlock/",
        views.unlock_member,
        name="unlock-member",
    ),
    path("w/<slug:slug>/settings/automations/", views.add_automation, name="add-automation"),
    path("w/<slug:slug>/settings/tokens/", views.issue_token, name="issue-token"),
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
    path("account/two-factor/", signin.two_factor, name="two-factor"),
    path("login/code/", signin.signin_code, name="signin-code"),
    path("account/reset/", signin.ResetView.as_view(), name="password-reset"),
    path(
        "account/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        signin.ResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_done.html"),
        name="password-reset-done",
    ),
]
