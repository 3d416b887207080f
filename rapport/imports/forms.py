from django import forms
from django.conf import settings

from rapport.imports.actions import ALLOWED_SUFFIXES, mapping_problems
from rapport.imports.choices import ImportKind
from rapport.imports.kinds import get_kind
from rapport.people.choices import Group

DATE_FORMATS = [
    ("", "Detect (day first when the file cannot tell)"),
    ("dmy", "Day first: 03/04/2024 is 3 April"),
    ("mdy", "Month first: 03/04/2024 is 4 March"),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=ImportKind.choices, label="The file holds")
    file = forms.FileField(
        label="File",
        help_text=f"CSV, TSV, TXT or XLSX, up to {settings.RAPPORT_MAX_UPLOAD_MB} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The upload handler skipped the file: it is missing because it was too large.
        self.too_large = too_large
        if too_large:
            self.fields["file"].required = False

    def clean_file(self):
        if self.too_large:
            raise forms.ValidationError(
                f"The file is larger than {settings.RAPPORT_MAX_UPLOAD_MB} MB, the limit for "
                "uploads: split it, or import it with the rapport import command."
            )
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError("Choose a .csv, .tsv, .txt or .xlsx file.")
        if uploaded.size > settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {settings.RAPPORT_MAX_UPLOAD_MB} MB."
            )
        return uploaded


class MappingForm(forms.Form):
    """One select per source column, plus the run's options."""

    group = forms.ChoiceField(choices=[("", "—"), *Group.choices], required=False)
    date_format = forms.ChoiceField(
        choices=DATE_FORMATS, required=False, label="Dates like 03/04/2024"
    )
    create_missing = forms.BooleanField(
        required=False, label="Create people the file names but Rapport does not know yet"
    )

    def __init__(self, *args, run, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.kind = get_kind(run.kind)
        self.header = header
        choices = [("", "— ignore —")] + [(f.name, f.label) for f in self.kind.fields]
        self.column_fields = []
        for position, column in enumerate(header):
            name = f"col_{position}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=column,
                initial=run.mapping.get(column, ""),
            )
            self.column_fields.append(name)
        self.fields["group"].initial = run.options.get("group", "")
        self.fields["date_format"].initial = run.options.get("date_format", "")
        self.fields["create_missing"].initial = run.options.get("create_missing", False)
        if run.kind == ImportKind.PEOPLE:
            self.fields["group"].required = True
            self.fields["group"].label = "Everyone in this file is a"
            del self.fields["create_missing"]
        elif run.kind == ImportKind.INTERACTIONS:
            self.fields["group"].label = "Look people up among"
        else:
            del self.fields["group"]
        if run.kind == ImportKind.DELIVERIES:
            # Suppliers named in a delivery file are always created when missing.
            self.fields.pop("create_missing", None)

    def column_rows(self):
        return [
            (self[name], column)
            for name, column in zip(self.column_fields, self.header, strict=True)
        ]

    def clean(self):
        data = super().clean()
        mapping = {
            column: data[name]
            for name, column in zip(self.column_fields, self.header, strict=True)
            if data.get(name)
        }
        problems = mapping_problems(self.kind, self.header, mapping)
        if problems:
            raise forms.ValidationError([p[0].upper() + p[1:] + "." for p in problems])
        data["mapping"] = mapping
        return data

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "group": data.get("group", ""),
            "date_format": data.get("date_format", ""),
            "create_missing": bool(data.get("create_missing")),
        }
