from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "rapport.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from rapport.imports.runs import forget_person
        from rapport.privacy.holdings import register_eraser

        # Rejected rows keep the cells they read: an erasure blanks those naming the person.
        register_eraser("rejected_import_rows", forget_person)
