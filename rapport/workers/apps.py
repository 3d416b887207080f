from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "rapport.workers"
    label = "workers"
    verbose_name = "Background workers"
