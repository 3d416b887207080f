from django.apps import AppConfig


class PredictionsConfig(AppConfig):
    name = "rapport.predictions"
    label = "predictions"
    verbose_name = "Predictions"
    # Queued by the clock of `rapport serve`: refresh what is due (nightly, or after the data
    # changed, an import for one).
    clock_tasks = ["rapport.predictions.tasks.refresh_due"]

    def ready(self):
        from rapport.predictions import panels

        panels.register()
