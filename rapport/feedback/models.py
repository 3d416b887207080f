"""Surveys, their answers, the suggestion box, and closing the loop on each piece of feedback.

A ``Survey`` holds ordered ``Question``s. A ``Response`` is one respondent's submission and
holds one ``Answer`` per answered question. ``Invitation`` is a personal link for one person
(one answer per person, reminders to those who have not answered). The suggestion box is a
survey of kind ``suggestions`` that never closes.

Anonymity is enforced by what is stored, not by what is shown: an anonymous response has no
person, no invitation, no exact time (``submitted_on`` is coarsened to the day or the week)
and a random primary key, so neither its id nor its row order tells who answered or when.
An invitation records only *that* its person answered, never which response is theirs.

Every response is also a feedback item: it has an owner, a follow-up status with its times
(for time-to-acknowledge and loop-closure rate), "what we did", and a conversation
(``FollowUpMessage``) that an anonymous respondent reads and answers through a secret link
whose hash alone is stored.
"""

import hashlib
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from rapport.accounts.models import Membership, Workspace
from rapport.feedback.choices import (
    SCALES,
    Anonymity,
    Author,
    Cadence,
    Channel,
    FollowUp,
    QuestionKind,
    Schedule,
    SurveyKind,
    SurveyStatus,
    TimePrecision,
)
from rapport.people.choices import Group
from rapport.people.models import Person, Tag, Team
from rapport.understanding.models import ReadingFields


def new_token() -> str:
    """A URL-safe secret with 192 bits of randomness."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Survey(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=SurveyKind.choices, default=SurveyKind.SURVEY)
    # The ready template it was made from (feedback/blueprints.py), if any.
    blueprint = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    anonymity = models.CharField(
        max_length=12, choices=Anonymity.choices, default=Anonymity.CONFIDENTIAL
    )
    time_precision = models.CharField(
        max_length=4, choices=TimePrecision.choices, default=TimePrecision.WEEK
    )
    intro = models.TextField(blank=True)
    thanks = models.TextField(blank=True)
    # The language of the answering page's own words (buttons, hints); see docs/feedback.md.
    language = models.CharField(max_length=10, default="en")

    # Who it is for. Empty means anyone with the public link.
    audience_group = models.CharField(max_length=10, choices=Group.choices, blank=True)
    audience_team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience_tag = models.ForeignKey(
        Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience_segment = models.CharField(max_length=60, blank=True)

    schedule = models.CharField(max_length=12, choices=Schedule.choices, default=Schedule.ONCE)
    # Rotating pulse questions asked per round, besides those asked every round.
    rotating_per_round = models.PositiveSmallIntegerField(default=2)
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    # Days after an invitation before one reminder goes to those who have not answered.
    remind_after_days = models.PositiveSmallIntegerField(default=3)

    # The public link (/s/<token>/) and whether it accepts answers.
    public_token = models.CharField(max_length=40, unique=True, default=new_token)
    public_link = models.BooleanField(default=True)
    # Respondents may leave a way to be told what changed.
    ask_contact = models.BooleanField(default=True)

    # Where an imported survey came from (tool and the file's question list), for re-imports.
    import_key = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "import_key"],
                condition=~Q(import_key=""),
                name="unique_survey_import_key",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity == Anonymity.ANONYMOUS

    @property
    def shows_names(self) -> bool:
        return self.anonymity == Anonymity.IDENTIFIED

    def accepts_answers(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != SurveyStatus.OPEN:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=300, blank=True)
    required = models.BooleanField(default=False)
    # SINGLE / MULTIPLE: the choices, in order.
    options = models.JSONField(default=list, blank=True)
    # RATING: the top of the scale (stars).
    scale_max = models.PositiveSmallIntegerField(default=5)
    # What the question measures, for pulse rotation and drivers (workload, recognition…).
    topic = models.CharField(max_length=40, blank=True)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.EVERY)
    # A stable name within the survey (imports match columns to it).
    key = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text

    @property
    def scale(self) -> tuple[int, int] | None:
        if self.kind == QuestionKind.RATING:
            return (1, self.scale_max)
        return SCALES.get(self.kind)


class Invitation(models.Model):
    """A personal link: one answer per person. Stores whether, never which, response."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    # The pulse round this invitation belongs to ("2026-W47"); empty for one-off surveys.
    round = models.CharField(max_length=12, blank=True)
    token = models.CharField(max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "person", "round"], name="one_invitation_per_round"
            )
        ]

    def __str__(self):
        return f"{self.person} → {self.survey}"


class Response(models.Model):
    # Random, so that neither ids nor row order reveal who answered when.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="responses")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Null for anonymous surveys, and for public answers from someone unknown.
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    # The date, or the Monday of the week for anonymous surveys kept to the week.
    submitted_on = models.DateField()
    # The exact time, kept only when the survey is not anonymous.
    submitted_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    round = models.CharField(max_length=12, blank=True)

    # Report dimensions, copied at submission so that reports never join to the person.
    group = models.CharField(max_length=10, choices=Group.choices, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment = models.CharField(max_length=60, blank=True)

    # The respondent allowed the business to tell them what changed; how to reach them when
    # they are not a known person (an email given on a public link, never for anonymous).
    may_contact = models.BooleanField(default=False)
    contact_email = models.EmailField(blank=True)
    # The name given beside that email (the suggestion box asks for one). Both are as typed,
    # never checked: they are never used to find or create a Person.
    contact_name = models.CharField(max_length=200, blank=True)
    # The anonymous conversation link: only the hash of its secret is kept.
    reply_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # A hash of the survey and the answers, to spot the same submission sent twice.
    fingerprint = models.CharField(max_length=64, blank=True)

    # Something to act on: a comment, a low score, or a suggestion (see actions.actionable).
    # The inbox shows these by default and the loop-closure rate counts them.
    actionable = models.BooleanField(default=True)
    # Closing the loop.
    owner = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=FollowUp.choices, default=FollowUp.NEW)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    what_we_did = models.TextField(blank=True)
    told_at = models.DateTimeField(null=True, blank=True)

    external_id = models.CharField(max_length=100, blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "import_key"],
                condition=~Q(import_key=""),
                name="unique_response_import_key",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "submitted_on"]),
            models.Index(fields=["workspace", "status"]),
            models.Index(fields=["workspace", "actionable", "submitted_on"]),
            models.Index(fields=["survey", "fingerprint"]),
        ]

    def __str__(self):
        return f"Response to {self.survey} on {self.submitted_on}"

    @property
    def anonymous(self) -> bool:
        return self.person_id is None and not self.contact_email


class Answer(models.Model):
    # Random like the response's: sequential ids would tell the order answers arrived in.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_each")
        ]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self):
        if self.number is not None:
            return str(self.number)
        return ", ".join(self.choices) if self.choices else self.text

    @property
    def value(self):
        if self.number is not None:
            return self.number
        return self.choices or self.text


class FollowUpMessage(models.Model):
    """One message in the conversation about a response, from either side."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(max_length=10, choices=Author.choices)
    member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    # Respondents' messages on anonymous responses keep the day only.
    sent_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    read_by_respondent = models.BooleanField(default=False)

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self):
        return f"{self.get_author_display()} on {self.sent_on}"


class ResponseReading(ReadingFields):
    """What Rapport read in a response's free-text answers (joined, in question order)."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="reading")

    class Meta:
        # The dashboards' refresh looks for what was read since it last ran.
        indexes = [models.Index(fields=["workspace", "analysed_at"])]

    def __str__(self):
        return f"Reading of {self.response_id}"
