from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "rapport.intake"
    label = "intake"
    verbose_name = "Intake"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py).
    clock_tasks = ["rapport.intake.tasks.poll_mailboxes"]
