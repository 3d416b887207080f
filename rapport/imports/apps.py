from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "rapport.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self):
        from rapport.imports.runs import forget_person, forget_uploads
        from rapport.privacy.holdings import register_eraser

        # Rejected rows keep the cells they read: an erasure blanks those naming the person.
        register_eraser("rejected_import_rows", forget_person)
        # So may the uploaded files of ended imports: they go once the erasure commits.
        register_eraser("uploaded_import_files", forget_uploads)
