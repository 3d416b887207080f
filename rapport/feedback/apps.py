from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "rapport.feedback"
    label = "feedback"
    verbose_name = "Feedback"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): recurring survey rounds
    # and reminders.
    clock_tasks = ["rapport.feedback.schedule.tick"]

    def ready(self):
        from rapport.feedback import arrival, reading
        from rapport.understanding import actions as understanding

        arrival.connect()
        # `rapport reanalyse` reads survey responses too, through understanding's registry of
        # readers (understanding may not import feedback).
        understanding.register_pending_reader("responses", reading.analyse_pending_responses)
