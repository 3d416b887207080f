from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "rapport.privacy"
    label = "privacy"
    verbose_name = "Personal data"
    # Queued by the clock of `rapport serve`: each business's retention rules, once a day,
    # and consent withdrawn by a bulk write (an import) that sent no signal.
    clock_tasks = ["rapport.privacy.tasks.apply_due"]

    def ready(self):
        from rapport.privacy import panels, signals  # noqa: F401  (connects the receivers)

        panels.register()
