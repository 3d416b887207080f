from django.apps import AppConfig


class UnderstandingConfig(AppConfig):
    name = "rapport.understanding"
    label = "understanding"
    verbose_name = "Understanding"

    def ready(self):
        from rapport.understanding import panels, signals  # noqa: F401  (signals: its receivers)

        panels.register()
