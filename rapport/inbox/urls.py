from django.urls import path

from rapport.inbox import settings_views, views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("views/", views.save_view, name="save-view"),
    path("views/<int:view_id>/delete/", views.delete_view, name="delete-view"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    *(
        path(f"<int:conversation_id>/{verb}/", views.act, {"verb": verb}, name=verb)
        for verb in views.VERBS
    ),
]

# The inbox's settings and figures (inbox/settings_views.py).
urlpatterns += [
    path("settings/", settings_views.hours_page, name="settings"),
    path("settings/holidays/add/", settings_views.add_holiday, name="settings-add-holiday"),
    path(
        "settings/holidays/remove/", settings_views.remove_holiday, name="settings-remove-holiday"
    ),
    path("settings/sla/", settings_views.sla_page, name="settings-sla"),
    path("settings/duty/", settings_views.duty_page, name="settings-duty"),
    path("settings/duty/<int:membership_id>/", settings_views.set_duty, name="settings-set-duty"),
    path("settings/rules/", settings_views.rules_page, name="settings-rules"),
    path("settings/rules/new/", settings_views.new_rule, name="settings-new-rule"),
    path("settings/rules/try/", settings_views.try_rules, name="settings-try-rules"),
    path("settings/rules/<int:rule_id>/", settings_views.edit_rule, name="settings-edit-rule"),
    path(
        "settings/rules/<int:rule_id>/delete/",
        settings_views.delete_rule,
        name="settings-delete-rule",
    ),
    path("settings/rules/<int:rule_id>/move/", settings_views.move_rule, name="settings-move-rule"),
    path(
        "settings/rules/<int:rule_id>/switch/",
        settings_views.switch_rule,
        name="settings-switch-rule",
    ),
    path("settings/widget/", settings_views.widget_page, name="settings-widget"),
    path("settings/widget/new-key/", settings_views.new_widget_key, name="settings-widget-key"),
    path("figures/", settings_views.figures_page, name="figures"),
]
