"""The mapping page of a survey export: the survey the responses go to, and what each
detected column becomes."""

from django import forms

from rapport.feedback.choices import QuestionKind
from rapport.imports.forms import DATE_FORMATS
from rapport.imports.kinds.responses.metadata import FIELDS
from rapport.imports.kinds.responses.plan import PlanError
from rapport.people.choices import Group


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

    def __init__(self, *args, plan, surveys, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        # check(overrides, options) plans the import again as chosen; raises PlanError.
        self.check = check
        self.fields["survey"].choices = [
            ("", "A new survey (or the one an earlier import of this file made)"),
            *[(s.pk, s.title) for s in surveys],
        ]
        # The survey an earlier import made takes only answers of its own anonymity.
        found = plan.survey.anonymity if plan.survey is not None else ""
        self.fields["anonymity"].initial = found or "confidential"
        roles = [(f.name, f"{f.label} (not an answer)") for f in FIELDS]
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

    def clean(self):
        data = super().clean()
        if self._errors:
            return data
        try:
            self.check(self.overrides(), self.options())
        except PlanError as error:
            raise forms.ValidationError(str(error)[:1].upper() + str(error)[1:] + ".")
        return data

    def mapping(self) -> dict[str, str]:
        """What the run starts with: the person's overrides."""
        return self.overrides()

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
