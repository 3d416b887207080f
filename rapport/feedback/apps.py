from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rapport.feedback"
    label = "feedback"
    verbose_name = "Feedback"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): recurring survey rounds
    # and reminders.
    clock_tasks = ["rapport.feedback.schedule.tick"]

    def ready(self):
        from rapport.feedback import analysis, signals  # noqa: F401  (signals: its receivers)
        from rapport.understanding import actions as understanding

        # `rapport reanalyze` analyzes survey responses too, through understanding's registry
        # of analyzers (understanding may not import feedback).
        understanding.register_pending_analyzer("responses", analysis.analyze_pending_responses)
