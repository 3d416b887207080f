from django import forms

from rapport.accounts.models import Membership
from rapport.people.models import TAG_MAX, Person


class PersonForm(forms.ModelForm):
    tags = forms.CharField(required=False, help_text="Comma-separated.")

    class Meta:
        model = Person
        fields = [
            "name",
            "email",
            "phone",
            "address",
            "owner",
            "segment",
            "category",
            "job_title",
            "birthday",
            "may_contact",
            "may_analyse",
            "notes",
        ]
        widgets = {
            "birthday": forms.DateInput(attrs={"type": "date"}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        # Only members of this business can keep one of its relationships.
        self.fields["owner"].queryset = Membership.objects.filter(
            workspace=workspace
        ).select_related("user")
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(
                self.instance.tags.values_list("name", flat=True)
            )

    def clean_tags(self):
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        too_long = [t for t in tags if len(t) > TAG_MAX]
        if too_long:
            raise forms.ValidationError(
                f"A tag can have at most {TAG_MAX} characters: “{too_long[0][:40]}…” has "
                f"{len(too_long[0])}."
            )
        return tags
