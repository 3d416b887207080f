from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rapport.accounts"
    label = "accounts"
    # Queued by the clock of `rapport serve` (rapport/lib/serving.py): the nightly backup, and
    # forgetting the rate limits' ended windows.
    clock_tasks = [
        "rapport.accounts.tasks.back_up_nightly",
        "rapport.accounts.tasks.prune_rate_counts",
    ]
