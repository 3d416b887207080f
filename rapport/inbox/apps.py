from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "rapport.inbox"
    label = "inbox"
    verbose_name = "Inbox"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): missed messages,
    # waiting conversations, SLA warnings and alerts, e-mails to retry.
    clock_tasks = ["rapport.inbox.tasks.tick"]

    def ready(self):
        from rapport.inbox import signals  # noqa: F401  (its receivers)
        from rapport.inbox.figures import dashboard_panel
        from rapport.insights.panels import register_dashboard_panel

        register_dashboard_panel(dashboard_panel)
