from django import forms

from rapport.feedback.blueprints import BLUEPRINTS
from rapport.feedback.choices import CHOICE_KINDS, LANGUAGES, QuestionKind
from rapport.feedback.models import Question, Survey
from rapport.people.models import Tag, Team


class NewSurveyForm(forms.Form):
    blueprint = forms.ChoiceField(
        label="Start from",
        choices=[("", "A blank survey")] + [(b.key, b.title) for b in BLUEPRINTS.values()],
        required=False,
    )
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to keep the template's."
    )


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "title",
            "intro",
            "thanks",
            "language",
            "anonymity",
            "time_precision",
            "audience_group",
            "audience_team",
            "audience_tag",
            "audience_segment",
            "schedule",
            "rotating_per_round",
            "opens_at",
            "closes_at",
            "remind_after_days",
            "public_link",
            "ask_contact",
        ]
        widgets = {
            "intro": forms.Textarea(attrs={"rows": 3}),
            "thanks": forms.Textarea(attrs={"rows": 2}),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        labels = {
            "language": "Language of the page's own words",
            "time_precision": "Anonymous answers keep",
            "rotating_per_round": "Rotating questions per round",
            "remind_after_days": "Remind after (days)",
            "public_link": "The public link takes answers",
            "ask_contact": "Ask respondents whether we may tell them what changed",
        }

    language = forms.ChoiceField(choices=LANGUAGES)

    def __init__(self, *args, workspace, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience_team"].queryset = Team.objects.filter(workspace=workspace)
        self.fields["audience_tag"].queryset = Tag.objects.filter(workspace=workspace)
        self.locked = locked
        if locked:
            # Answers were stored, and invitations sent, under the promise made then.
            for name in ("anonymity", "time_precision"):
                self.fields[name].disabled = True
                self.fields[
                    name
                ].help_text = "Fixed once invitations have gone out or answers have arrived."

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The survey must close after it opens.")
        return cleaned


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line, for one-choice and several-choices questions.",
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required", "scale_max", "topic", "cadence", "key"]
        labels = {"scale_max": "Stars (rating questions)", "key": "Short name"}

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(self.instance.options)
        if locked:
            # Changing the kind or the number of stars would make the stored answers mean
            # something else (a 4 of 5 read as a 4 of 10).
            for name in ("kind", "scale_max"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Fixed once the question has answers."

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        options = [
            line.strip() for line in cleaned.get("options_text", "").splitlines() if line.strip()
        ]
        if kind in CHOICE_KINDS:
            if len(options) < 2:
                self.add_error("options_text", "Give at least two choices, one per line.")
            elif len({o.casefold() for o in options}) != len(options):
                self.add_error("options_text", "Each choice must be different.")
        if kind == QuestionKind.RATING and not 3 <= (cleaned.get("scale_max") or 0) <= 10:
            self.add_error("scale_max", "A rating has 3 to 10 stars.")
        cleaned["options"] = options if kind in CHOICE_KINDS else []
        return cleaned

    def save(self, commit=True):
        self.instance.options = self.cleaned_data["options"]
        return super().save(commit)
