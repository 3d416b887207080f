from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "rapport.listening"
    label = "listening"
    verbose_name = "Listening"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py).
    clock_tasks = ["rapport.listening.tasks.poll_mailboxes"]
