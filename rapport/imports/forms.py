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


KIND_CHOICES = ImportKind.choices
RESPONSES_SUFFIXES = (*ALLOWED_SUFFIXES, ".json")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, label="The file holds")
    file = forms.FileField(
        label="File",
        help_text=f"CSV, TSV, TXT or XLSX (survey responses: also JSON), up to "
        f"{settings.RAPPORT_MAX_UPLOAD_MB} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(RESPONSES_SUFFIXES)}),
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
        if not uploaded.name.lower().endswith(RESPONSES_SUFFIXES):
            raise forms.ValidationError("Choose a .csv, .tsv, .txt or .xlsx file.")
        if uploaded.size > settings.RAPPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                f"The file is larger than {settings.RAPPORT_MAX_UPLOAD_MB} MB."
            )
        return uploaded

    def clean(self):
        data = super().clean()
        uploaded = data.get("file")
        if uploaded and data.get("kind") != "responses" and uploaded.name.lower().endswith(".json"):
            self.add_error("file", "Only survey responses can be imported from JSON.")
        return data

    def suffixes(self) -> tuple[str, ...]:
        return RESPONSES_SUFFIXES if self.cleaned_data["kind"] == "responses" else ALLOWED_SUFFIXES


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


class ResponsesForm(forms.Form):
    """The survey the responses go to, and what each detected column becomes."""

    survey = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Add the responses to",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        label="Title of the new survey",
        help_text="Leave empty to name it after the file.",
    )
    anonymity = forms.ChoiceField(
        choices=[
            ("confidential", "Confidential: linked to known people, reported in groups"),
            ("identified", "Identified: linked to known people and shown with their names"),
            ("anonymous", "Anonymous: linked to no one, dated to the week"),
        ],
        required=False,
        label="Anonymity of the new survey",
    )
    group = forms.ChoiceField(
        choices=[("", "Anyone"), *Group.choices],
        required=False,
        label="Who answered (emails are looked up among them)",
    )
    date_format = forms.ChoiceField(
        choices=DATE_FORMATS, required=False, label="Dates like 03/04/2024"
    )

    def __init__(self, *args, plan, surveys, **kwargs):
        from rapport.feedback.choices import QuestionKind
        from rapport.imports.kinds.responses import ResponsesKind

        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["survey"].choices = [
            ("", "A new survey (or the one an earlier import of this file made)"),
            *[(s.pk, s.title) for s in surveys],
        ]
        # The survey an earlier import made takes only answers of its own anonymity.
        found = plan.survey.anonymity if plan.survey is not None else ""
        self.fields["anonymity"].initial = found or "confidential"
        roles = [(f.name, f"{f.label} (not an answer)") for f in ResponsesKind.fields]
        labels = dict(roles)
        kinds = [(k.value, f"Question: {k.label}") for k in QuestionKind]
        self.source_fields = []
        for position, source in enumerate(plan.layout.sources):
            name = f"src_{position}"
            detected = labels.get(source.role) or source.describe()
            choices = [("", f"As detected: {detected}"), ("ignore", "Ignore")]
            if len(source.positions) == 1:
                choices += roles + kinds
            self.fields[name] = forms.ChoiceField(
                choices=choices, required=False, label=source.text
            )
            self.source_fields.append((name, source))

    def source_rows(self):
        return [(self[name], source) for name, source in self.source_fields]

    def overrides(self) -> dict[str, str]:
        """``{column: target}`` for the columns the person changed, as ``--map`` takes them."""
        export = self.plan.export
        chosen = {}
        for name, source in self.source_fields:
            target = self.cleaned_data.get(name)
            if not target:
                continue
            column = export.columns[source.positions[0]]
            # A question spread over several columns is named by its heading (SurveyMonkey)
            # or, for Typeform's option columns, changed column by column.
            names = (
                [column.group]
                if column.sub and len(source.positions) > 1
                else [export.columns[p].name for p in source.positions]
            )
            for column_name in names:
                chosen[column_name] = "" if target == "ignore" else target
        return chosen

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "survey_id": data.get("survey"),
            "title": data.get("title", ""),
            "anonymity": data.get("anonymity", ""),
            "group": data.get("group", ""),
            "date_format": data.get("date_format", ""),
        }
