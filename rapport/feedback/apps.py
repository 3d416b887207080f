from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rapport.feedback"
    label = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        from rapport.feedback import analysis, signals  # noqa: F401  (signals: its receivers)
        from rapport.understanding import actions as understanding

        # `rapport reanalyze` analyzes survey responses too, through understanding's registry
        # of analyzers (understanding may not import feedback).
        understanding.register_pending_analyzer("responses", analysis.analyze_pending_responses)
