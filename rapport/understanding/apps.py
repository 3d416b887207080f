from django.apps import AppConfig


class UnderstandingConfig(AppConfig):
    name = "rapport.understanding"
    label = "understanding"
    verbose_name = "Understanding"

    def ready(self):
        from rapport.understanding import arrival, panels

        arrival.connect()
        panels.register()
