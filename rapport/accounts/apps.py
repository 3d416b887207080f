from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rapport.accounts"
    label = "accounts"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): the nightly backup.
    clock_tasks = ["rapport.accounts.tasks.back_up_nightly"]
