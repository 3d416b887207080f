from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "rapport.insights"
    label = "insights"
    verbose_name = "Insights"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): the dashboards' snapshots.
    clock_tasks = ["rapport.insights.tasks.refresh_all"]

    def ready(self):
        from rapport.insights import signals  # noqa: F401  (marks snapshots stale on writes)
