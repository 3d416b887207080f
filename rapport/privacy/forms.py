from django import forms

from rapport.privacy.models import RetentionRules


class RetentionForm(forms.ModelForm):
    class Meta:
        model = RetentionRules
        fields = list(RetentionRules.RULES)
        labels = {
            "message_text_months": "Words of messages, after (months)",
            "closed_conversation_months": "Closed inbox conversations, after (months)",
            "survey_text_months": "Written survey answers, after (months)",
            "audit_log_months": "Audit log entries, after (months)",
        }


class EraseForm(forms.Form):
    typed = forms.CharField(label="Type the person's name to confirm", max_length=200)
