from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "rapport.intake"
    label = "intake"
    verbose_name = "Intake"
