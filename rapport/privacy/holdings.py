"""Everything Rapport holds about one person, kind by kind: the one list that the export,
the erasure and their tests read.

Each ``Holding`` says where its rows are (``rows(found)`` over a ``Found``: the person and
the responses and conversations that are theirs) and what erasure does with them. A test
walks ``Person._meta.related_objects`` and fails when a model that points at a person is
missing here, so a new app's personal data cannot be left out of an export by mistake.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from rapport.accounts.models import AuditEvent
from rapport.engine.outreach import TEAM_KINDS
from rapport.feedback.models import Answer, FollowUpMessage, Invitation, Response, ResponseReading
from rapport.inbox.models import Conversation, ConversationEvent, Message
from rapport.outreach.models import OutreachItem
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
    Tag,
)
from rapport.predictions.models import Forecast
from rapport.understanding.models import Correction, InteractionReading


@dataclass
class Found:
    """A person and the identified responses and conversations that are theirs: linked to
    them, or (never for an anonymous survey) left under their e-mail address."""

    person: Person
    response_ids: list = field(default_factory=list)
    conversation_ids: list = field(default_factory=list)


def find(person: Person) -> Found:
    workspace = person.workspace_id
    email = person.email.strip()
    responses = Q(person=person)
    if email:
        # Only an identified response keeps a contact address (prepare_response): an
        # anonymous one has none, so this can never reach an anonymous answer.
        responses |= Q(person__isnull=True, contact_email__iexact=email)
    response_ids = list(
        Response.objects.filter(responses, workspace_id=workspace).values_list("pk", flat=True)
    )
    conversations = Q(person=person) | Q(response_id__in=response_ids)
    if email:
        conversations |= Q(person__isnull=True, visitor_email__iexact=email)
    conversation_ids = list(
        Conversation.objects.filter(conversations, workspace_id=workspace).values_list(
            "pk", flat=True
        )
    )
    return Found(person, response_ids, conversation_ids)


class Erasure:
    """What erasing the person does with a kind's rows."""

    DELETE = "deleted"  # deleted with the person
    UNLINK = "unlinked"  # kept, with the link to the person removed (someone else's record)
    REDACT = "redacted"  # kept, with the person's name and e-mail taken out


@dataclass(frozen=True)
class Holding:
    name: str  # the file's name in the archive, without .csv
    label: str  # what the erasure page lists, in plain words
    model: type
    describe: str  # one line of the archive's README, in plain words
    rows: Callable[[Found], QuerySet]
    erasure: str = Erasure.DELETE


def _person(f: Found):
    return Person.objects.filter(pk=f.person.pk)


def _tags(f: Found):
    return Tag.objects.filter(workspace_id=f.person.workspace_id, people=f.person)


def _interactions(f: Found):
    return Interaction.objects.filter(workspace_id=f.person.workspace_id, person=f.person)


def _readings(f: Found):
    return InteractionReading.objects.filter(
        workspace_id=f.person.workspace_id, interaction__person=f.person
    )


def _corrections(f: Found):
    return Correction.objects.filter(
        workspace_id=f.person.workspace_id, interaction__person=f.person
    )


def _by_person(model, field="person"):
    def rows(f: Found):
        return model.objects.filter(workspace_id=f.person.workspace_id, **{field: f.person})

    return rows


def _community(f: Found):
    return CommunityEvent.objects.filter(
        Q(partner=f.person) | Q(staff_participants=f.person),
        workspace_id=f.person.workspace_id,
    ).distinct()


def _responses(f: Found):
    return Response.objects.filter(workspace_id=f.person.workspace_id, pk__in=f.response_ids)


def _of_responses(model):
    def rows(f: Found):
        return model.objects.filter(
            response__workspace_id=f.person.workspace_id, response_id__in=f.response_ids
        )

    return rows


def _conversations(f: Found):
    return Conversation.objects.filter(
        workspace_id=f.person.workspace_id, pk__in=f.conversation_ids
    )


def _messages(f: Found):
    return Message.objects.filter(
        Q(conversation_id__in=f.conversation_ids) | Q(interaction__person=f.person),
        workspace_id=f.person.workspace_id,
    )


def _conversation_events(f: Found):
    return ConversationEvent.objects.filter(
        workspace_id=f.person.workspace_id, conversation_id__in=f.conversation_ids
    )


def _outreach(f: Found):
    return OutreachItem.objects.filter(
        workspace_id=f.person.workspace_id, subject_id=f.person.pk
    ).exclude(kind__in=TEAM_KINDS)


def _audit(f: Found):
    return AuditEvent.objects.filter(
        workspace_id=f.person.workspace_id, object_type="person", object_id=str(f.person.pk)
    )


HOLDINGS = (
    Holding(
        "person",
        "Their record",
        Person,
        "The person's record: name, contact details, consent, notes.",
        _person,
    ),
    Holding(
        "tags",
        "Tags",
        Tag,
        "The tags the person carries (the tags themselves stay; erasure removes the link).",
        _tags,
        Erasure.UNLINK,
    ),
    Holding(
        "timeline",
        "Timeline entries",
        Interaction,
        "Every message, call, visit or note on the person's timeline, with its words.",
        _interactions,
    ),
    Holding(
        "readings",
        "Readings of their messages",
        InteractionReading,
        "What Rapport read in each message: language, sentiment, emotions, whether it needed "
        "a person, personal details spotted, themes.",
        _readings,
    ),
    Holding(
        "corrections",
        "Corrections of those readings",
        Correction,
        "Where a member said Rapport read one of the person's messages wrongly.",
        _corrections,
    ),
    Holding(
        "purchases",
        "Purchases",
        Purchase,
        "Purchases: day, amount and what was bought.",
        _by_person(Purchase),
    ),
    Holding(
        "employment_events",
        "Employment events",
        EmploymentEvent,
        "Employment events: start, absences, reviews, leaving.",
        _by_person(EmploymentEvent),
    ),
    Holding(
        "deliveries",
        "Deliveries",
        Delivery,
        "Deliveries of a supplier: promised and delivered days, quality.",
        _by_person(Delivery, "supplier"),
    ),
    Holding(
        "community_events",
        "Community events",
        CommunityEvent,
        "Community events the person took part in or was the partner of (the business's "
        "events stay; erasure removes the person from them).",
        _community,
        Erasure.UNLINK,
    ),
    Holding(
        "invitations",
        "Survey invitations",
        Invitation,
        "Survey invitations sent to the person: which survey, when, whether answered.",
        _by_person(Invitation),
    ),
    Holding(
        "survey_responses",
        "Survey responses (not anonymous)",
        Response,
        "The person's own (not anonymous) survey responses. Answers to anonymous surveys "
        "were never linked to anyone, so they cannot be here.",
        _responses,
    ),
    Holding(
        "survey_answers",
        "Answers in those responses",
        Answer,
        "The answers inside those responses: scores, choices and written answers.",
        _of_responses(Answer),
    ),
    Holding(
        "survey_followups",
        "Follow-up messages about them",
        FollowUpMessage,
        "Messages exchanged with the person about one of their responses.",
        _of_responses(FollowUpMessage),
    ),
    Holding(
        "survey_readings",
        "Readings of their written answers",
        ResponseReading,
        "What Rapport read in the written answers of those responses.",
        _of_responses(ResponseReading),
    ),
    Holding(
        "conversations",
        "Inbox conversations",
        Conversation,
        "Inbox conversations with the person: their state, priority and who handled them.",
        _conversations,
    ),
    Holding(
        "conversation_messages",
        "Messages in those conversations",
        Message,
        "The messages of those conversations, the person's and the business's replies.",
        _messages,
    ),
    Holding(
        "conversation_events",
        "Events of those conversations",
        ConversationEvent,
        "What happened in those conversations: assigned, answered, resolved.",
        _conversation_events,
    ),
    Holding(
        "predictions",
        "Predictions",
        Forecast,
        "What Rapport predicted about the person: the chance of buying nothing, a late "
        "delivery or leaving, with the reasons.",
        _by_person(Forecast),
    ),
    Holding(
        "outreach",
        "Reach-out items done or snoozed",
        OutreachItem,
        "Prompts to get in touch with the person that a member marked done or snoozed.",
        _outreach,
    ),
    Holding(
        "audit_log",
        "Audit log entries",
        AuditEvent,
        "Who created, changed, viewed or exported the person's record, and when.",
        _audit,
        Erasure.REDACT,
    ),
)


# Apps above privacy that keep a person's details without a link to them (an import's rejected
# rows keep the cells they read) register here how to erase them: a name for the erasure's
# counts, and erase(person) → how many rows it changed, run inside the erasure's transaction.
ERASERS: dict[str, Callable[[Person], int]] = {}


def register_eraser(name: str, erase: Callable[[Person], int]) -> None:
    ERASERS[name] = erase
