from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "rapport.outreach"
    label = "outreach"
    verbose_name = "Reach-out list"
    clock_tasks = ["rapport.outreach.tasks.send_digests"]
