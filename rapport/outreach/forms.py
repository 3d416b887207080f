from django import forms

from rapport.outreach.choices import PromptKind


class ItemForm(forms.Form):
    kind = forms.ChoiceField(choices=PromptKind.choices)
    subject_id = forms.IntegerField(min_value=1)


class SnoozeForm(ItemForm):
    until = forms.DateField()
