from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "rapport.insights"
    label = "insights"
    verbose_name = "Insights"

    def ready(self):
        from rapport.insights import signals  # noqa: F401  (marks snapshots stale on writes)
