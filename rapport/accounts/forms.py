from django import forms

from rapport.accounts.choices import AutomationKind, Role
from rapport.accounts.models import validate_time_zone


class InviteMemberForm(forms.Form):
    email = forms.EmailField()
    name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.STAFF)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class AutomationForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="As it appears on the timeline, e.g. “Shop Assistant”."
    )
    kind = forms.ChoiceField(choices=AutomationKind.choices)
    started_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “till sync”.")
    read_only = forms.BooleanField(required=False, label="Read only")
    expires = forms.DateField(
        required=False,
        label="Last day",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It stops working after this day (UTC); empty: until revoked.",
    )


class WorkspaceSettingsForm(forms.Form):
    name = forms.CharField(max_length=150)
    time_zone = forms.CharField(max_length=64)
    currency = forms.CharField(max_length=3, min_length=3)
    min_group_size = forms.IntegerField(
        min_value=3,
        max_value=50,
        help_text="Smallest group whose answers are shown in aggregate (anonymity).",
    )
    min_comment_group_size = forms.IntegerField(
        min_value=3,
        max_value=50,
        help_text="Smallest group whose comments are shown: higher, as words identify more.",
    )
    human_contact_alert_days = forms.IntegerField(
        min_value=7,
        max_value=730,
        help_text="Days without a human touch before a relationship is flagged.",
    )
    require_two_factor = forms.BooleanField(
        required=False,
        label="Owners sign in with two factors",
        help_text="Owners must also type a code from an authenticator app when they sign in.",
    )

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        validate_time_zone(value)
        return value

    def clean(self):
        cleaned = super().clean()
        scores, comments = cleaned.get("min_group_size"), cleaned.get("min_comment_group_size")
        if scores and comments and comments < scores:
            self.add_error(
                "min_comment_group_size", "Comments need at least as large a group as scores."
            )
        return cleaned

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()
