from django import forms

from rapport.inbox.actions import MAX_REPLY
from rapport.inbox.models import SavedView


class TextForm(forms.Form):
    """A reply or an internal note (the actions say what is wrong with an empty one)."""

    text = forms.CharField(required=False, max_length=MAX_REPLY, widget=forms.Textarea)


class AssignForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="Assign to", empty_label=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=SavedView._meta.get_field("name").max_length)
    query = forms.CharField(required=False, max_length=500)


class LinkPersonForm(forms.Form):
    """Link a visitor to someone in the people list by e-mail, or add them."""

    email = forms.EmailField(label="Their e-mail")
    name = forms.CharField(
        required=False, max_length=200, label="Name (to add them as a new customer)"
    )
    create = forms.BooleanField(required=False, label="Add them if nobody has this e-mail")
