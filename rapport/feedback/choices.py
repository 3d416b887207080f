from django.db import models


class SurveyKind(models.TextChoices):
    SURVEY = "survey", "Survey"
    PULSE = "pulse", "Recurring pulse"
    SUGGESTIONS = "suggestions", "Suggestion box"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Anonymity(models.TextChoices):
    """How much of the respondent a survey keeps.

    identified: the answer is linked to the person and shown with their name.
    confidential: the answer is linked to the person (for follow-up they allowed and for
        response rates), but reports show groups only, under the same thresholds.
    anonymous: no link to the person is ever stored; times are coarsened.
    """

    IDENTIFIED = "identified", "Identified"
    CONFIDENTIAL = "confidential", "Confidential"
    ANONYMOUS = "anonymous", "Anonymous"


class TimePrecision(models.TextChoices):
    """How finely an anonymous answer's time is kept."""

    DAY = "day", "The day"
    WEEK = "week", "The week"


class Schedule(models.TextChoices):
    ONCE = "once", "Once"
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every three months"


class QuestionKind(models.TextChoices):
    NPS = "nps", "Net Promoter (0–10)"
    CSAT = "csat", "Satisfaction (1–5)"
    CES = "ces", "Customer effort (1–7)"
    ENPS = "enps", "Employee NPS (0–10)"
    LIKERT = "likert", "Agreement (1–5)"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    RATING = "rating", "Rating (stars)"
    TEXT = "text", "Free text"


# The numeric range of each scored kind; RATING's top comes from Question.scale_max.
SCALES = {
    QuestionKind.NPS: (0, 10),
    QuestionKind.ENPS: (0, 10),
    QuestionKind.CSAT: (1, 5),
    QuestionKind.CES: (1, 7),
    QuestionKind.LIKERT: (1, 5),
}
SCORED_KINDS = (*SCALES, QuestionKind.RATING)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Cadence(models.TextChoices):
    """When a pulse question is asked."""

    EVERY = "every", "Every round"
    ROTATING = "rotating", "In rotation"
    MONTHLY = "monthly", "First round of each month"


class Channel(models.TextChoices):
    """How an answer reached Rapport."""

    PUBLIC = "public", "Public link"
    PERSONAL = "personal", "Personal link"
    EMBED = "embed", "Website"
    IMPORT = "import", "Import"
    API = "api", "API or webhook"
    STAFF = "staff", "Entered by a member"


class FollowUp(models.TextChoices):
    """Where a feedback item stands in closing the loop."""

    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Author(models.TextChoices):
    BUSINESS = "business", "The business"
    RESPONDENT = "respondent", "The respondent"


# Languages of the answering page's own words (rapport/feedback/phrases.py has each one).
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("nl", "Nederlands"),
]
