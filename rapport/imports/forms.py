"""The import pages' forms: the upload, and the mapping of a table's columns.

They know no kind by name: the kinds are handed to them, and each kind says which options it
offers (``group_label``, ``group_required``, ``offers_create_missing``). Survey responses
have their own form beside their kind (``kinds/responses/form.py``).
"""

from django import forms
from django.conf import settings

from rapport.imports.choices import ImportKind
from rapport.imports.mapping import mapping_problems
from rapport.people.choices import Group

DATE_FORMATS = [
    ("", "Detect (day first when the file cannot tell)"),
    ("dmy", "Day first: 03/04/2024 is 3 April"),
    ("mdy", "Month first: 03/04/2024 is 4 March"),
]


KIND_CHOICES = ImportKind.choices


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, label="The file holds")
    file = forms.FileField(
        label="File",
        help_text=f"CSV, TSV, TXT or XLSX (survey responses: also JSON), up to "
        f"{settings.RAPPORT_MAX_UPLOAD_MB} MB",
        widget=forms.ClearableFileInput(),
    )

    def __init__(self, *args, kinds: dict, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        # Every suffix some kind reads, in the kinds' order.
        self.all_suffixes = tuple(dict.fromkeys(s for k in kinds.values() for s in k.suffixes))
        self.fields["file"].widget.attrs["accept"] = ",".join(self.all_suffixes)
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
        if not uploaded.name.lower().endswith(self.all_suffixes):
            raise forms.ValidationError("Choose a .csv, .tsv, .txt or .xlsx file.")
        if uploaded.size > settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {settings.RAPPORT_MAX_UPLOAD_MB} MB."
            )
        return uploaded

    def clean(self):
        data = super().clean()
        uploaded = data.get("file")
        if uploaded:
            suffix = next(s for s in self.all_suffixes if uploaded.name.lower().endswith(s))
            if suffix not in self.suffixes():
                readers = [k.label for k in self.kinds.values() if suffix in k.suffixes]
                names = " or ".join(label[:1].lower() + label[1:] for label in readers)
                self.add_error("file", f"Only {names} can be imported from {suffix[1:].upper()}.")
        return data

    def suffixes(self) -> tuple[str, ...]:
        """The suffixes the chosen kind reads (with none chosen, those every kind reads)."""
        kind = self.kinds.get(self.cleaned_data.get("kind"))
        if kind is not None:
            return kind.suffixes
        return tuple(
            s for s in self.all_suffixes if all(s in k.suffixes for k in self.kinds.values())
        )


class MappingForm(forms.Form):
    """One select per source column, plus the run's options."""

    group = forms.ChoiceField(choices=[("", "—"), *Group.choices], required=False)
    date_format = forms.ChoiceField(
        choices=DATE_FORMATS, required=False, label="Dates like 03/04/2024"
    )
    create_missing = forms.BooleanField(
        required=False, label="Create people the file names but Rapport does not know yet"
    )

    def __init__(self, *args, run, kind, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        self.kind = kind
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
        if kind.group_label:
            self.fields["group"].required = kind.group_required
            self.fields["group"].label = kind.group_label
        else:
            del self.fields["group"]
        if not kind.offers_create_missing:
            del self.fields["create_missing"]

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

    def mapping(self) -> dict[str, str]:
        """``{column: field}`` as the person chose it."""
        return self.cleaned_data["mapping"]

    def chosen_mapping(self) -> dict[str, str]:
        """The mapping a refused form shows its preview with: what was chosen, not detected."""
        return {
            c: self.data.get(n)
            for n, c in zip(self.column_fields, self.header, strict=True)
            if self.data.get(n)
        }

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "group": data.get("group", ""),
            "date_format": data.get("date_format", ""),
            "create_missing": bool(data.get("create_missing")),
        }
