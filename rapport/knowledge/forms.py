from django import forms

from rapport.knowledge.entries import MAX_ANSWER_CHARS


class EntryForm(forms.Form):
    """Only the shape; the action judges the values (one judge for the page, API and import)."""

    questions = forms.CharField(
        label="Questions people ask",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One question a line, in your customers' own words. Five or more help.",
    )
    answer = forms.CharField(
        label="Answer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"What a customer reads, as you would write it; at most {MAX_ANSWER_CHARS:,} "
        "characters.",
    )
    language = forms.CharField(
        label="Language",
        required=False,
        initial="en",
        max_length=10,
        help_text="Two letters: en, fr, de… Only English answers are sent automatically yet.",
    )
    active = forms.BooleanField(label="In use: may answer customers", required=False, initial=True)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV or XLSX with the columns id, question (or questions) and answer.",
    )
