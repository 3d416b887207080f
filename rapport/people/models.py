"""One model of every relationship: customers, employees, suppliers and community.

``Person`` is a person or an organisation in one of four groups. Group-specific details are
plain nullable columns on the same row rather than separate profile tables: the directory
filters on them and a bakery has thousands, not millions, of relationships, so one table
keeps every list a single query.

Facts the metric library reads (purchases, employment events, deliveries, community events)
are their own tables; each row carries an ``import_key`` so a re-import never duplicates.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from rapport.accounts.models import Automation, Membership, Workspace
from rapport.people.choices import (
    Channel,
    CommunityKind,
    Direction,
    EmploymentEventKind,
    Group,
    HandlerKind,
    PartyKind,
)


def unique_import_key(model_name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["workspace", "import_key"],
        condition=~Q(import_key=""),
        name=f"unique_{model_name}_import_key",
    )


class Team(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_team_name")
        ]

    def __str__(self):
        return self.name


# The longest tag: a longer one is refused with its reason (forms, imports), never cut.
TAG_MAX = 60


class Tag(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=TAG_MAX)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_tag_name")
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="people")
    group = models.CharField(max_length=10, choices=Group.choices)
    kind = models.CharField(max_length=12, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(max_length=200)
    # The identifier in the system the person came from (POS customer id, HR number, vendor code).
    external_id = models.CharField(max_length=100, blank=True)

    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    # A contact person at a supplier or community organisation.
    organisation = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )

    may_contact = models.BooleanField(default=True)
    may_analyse = models.BooleanField(default=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="people")
    owner = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relationships",
        help_text="The member who keeps this relationship.",
    )
    notes = models.TextField(blank=True)

    # Employee details.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    job_title = models.CharField(max_length=100, blank=True)
    start_date = models.DateField(null=True, blank=True)
    birthday = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=200, blank=True)

    # Customer details. First and last purchase are kept up to date by the purchase actions.
    segment = models.CharField(max_length=60, blank=True)
    first_purchase_on = models.DateField(null=True, blank=True)
    last_purchase_on = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )

    # Supplier and community details.
    category = models.CharField(max_length=60, blank=True)
    community_kind = models.CharField(max_length=12, choices=CommunityKind.choices, blank=True)

    # Kept up to date by the interaction actions so directories and reach-out lists need no
    # aggregate over the whole timeline.
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_human_contact_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    # Fields whose changes are recorded in the audit log.
    PERSONAL_FIELDS = (
        "name",
        "email",
        "phone",
        "address",
        "birthday",
        "may_contact",
        "may_analyse",
        "external_id",
        "notes",
        "exit_reason",
        "end_date",
        "start_date",
        "job_title",
        "segment",
        "category",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "group", "external_id"],
                condition=~Q(external_id=""),
                name="unique_person_external_id",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "group", "name"]),
            models.Index(fields=["workspace", "name"]),
            models.Index(fields=["workspace", "email"]),
            # Imports and mail find people by e-mail or name ignoring case
            # (people.lookup.ignoring_case): without these, an address or name not stored
            # exactly as asked reads every person of the workspace.
            models.Index(F("workspace"), Lower("email"), name="person_email_any_case"),
            models.Index(F("workspace"), Lower("name"), name="person_name_any_case"),
            models.Index(fields=["workspace", "last_human_contact_at"]),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current_employee(self) -> bool:
        return self.group == Group.EMPLOYEE and self.end_date is None

    def days_since_human_contact(self, now=None) -> int | None:
        if self.last_human_contact_at is None:
            return None
        now = now or timezone.now()
        return (now - self.last_human_contact_at).days


class Interaction(models.Model):
    """One touchpoint on a relationship's timeline."""

    # Both looked up through the indexes below that start with them: an index of their own
    # would only cost every write.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interactions", db_index=False
    )
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    # Who on the business's side handled it: a named member, a named automation, or nobody yet.
    handled_by = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_interactions",
    )
    handled_by_automation = models.ForeignKey(
        Automation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_interactions",
    )
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    # Messages sharing a thread key form one conversation.
    thread_key = models.CharField(max_length=100, blank=True)
    # An open item: something awaiting an answer or action from the business.
    is_open = models.BooleanField(default=False)
    external_id = models.CharField(max_length=100, blank=True)
    import_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            unique_import_key("interaction"),
            models.CheckConstraint(
                condition=Q(handled_by__isnull=True) | Q(handled_by_automation__isnull=True),
                name="interaction_one_handler",
            ),
        ]
        indexes = [
            # A person's timeline, newest first; with the handler, so that finding their last
            # human contact (``actions.refresh_contact_dates``, after every import batch)
            # reads this index alone.
            models.Index(
                fields=["person", "-occurred_at", "handled_by"], name="interaction_timeline_idx"
            ),
            # The dashboards' refresh reads a quarter's messages (a hundred thousand at a
            # large business) from this index alone, never the wide rows with their texts.
            models.Index(
                fields=[
                    "workspace",
                    "-occurred_at",
                    "person",
                    "direction",
                    "handled_by",
                    "handled_by_automation",
                    "thread_key",
                    "is_open",
                ],
                name="interaction_dashboard_idx",
                # PostgreSQL's index holds no row id of its own (SQLite's does): the refresh
                # joins the readings on it.
                include=["id"],
            ),
            models.Index(fields=["workspace", "thread_key"]),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def handler_kind(self) -> str:
        if self.handled_by_id:
            return HandlerKind.HUMAN
        if self.handled_by_automation_id:
            return HandlerKind.AUTOMATION
        return HandlerKind.NONE

    @property
    def handler_name(self) -> str:
        if self.handled_by_id:
            return str(self.handled_by)
        if self.handled_by_automation_id:
            return str(self.handled_by_automation)
        return ""


class Purchase(models.Model):
    # Both looked up through the indexes below that start with them.
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="purchases", db_index=False
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="purchases", db_index=False
    )
    purchased_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    quantity = models.PositiveIntegerField(default=1)
    # Shop, website, market stall: wherever the sale happened.
    location = models.CharField(max_length=60, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-purchased_on", "-id"]
        constraints = [unique_import_key("purchase")]
        indexes = [
            models.Index(fields=["person", "purchased_on"]),
            # Retention reads half a year of purchases from this index alone.
            models.Index(
                fields=["workspace", "purchased_on", "person", "location"],
                name="purchase_dashboard_idx",
            ),
        ]

    def __str__(self):
        return f"{self.amount} on {self.purchased_on}"


class EmploymentEvent(models.Model):
    """Hires, exits (voluntary or not), absences and role changes: the facts behind turnover."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="employment_events"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_events")
    kind = models.CharField(max_length=20, choices=EmploymentEventKind.choices)
    date = models.DateField()
    # For absences: working days lost (half days allowed).
    days = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [unique_import_key("employmentevent")]
        indexes = [models.Index(fields=["workspace", "kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class Delivery(models.Model):
    """One supplier delivery: promised against actual date, and what arrived broken."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="deliveries")
    supplier = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="deliveries")
    reference = models.CharField(max_length=100, blank=True)
    item = models.CharField(max_length=200, blank=True)
    ordered_on = models.DateField(null=True, blank=True)
    promised_on = models.DateField()
    delivered_on = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    defective_quantity = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-promised_on", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [unique_import_key("delivery")]
        indexes = [models.Index(fields=["supplier", "promised_on"])]

    def __str__(self):
        return self.reference or f"Delivery due {self.promised_on}"

    @property
    def days_late(self) -> int | None:
        if self.delivered_on is None:
            return None
        return (self.delivered_on - self.promised_on).days

    @property
    def on_time(self) -> bool | None:
        late = self.days_late
        return None if late is None else late <= 0


class CommunityEvent(models.Model):
    """A fair, a school visit, a sponsored match: community presence and participation."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="community_events"
    )
    title = models.CharField(max_length=200)
    date = models.DateField()
    partner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_events"
    )
    attendance = models.PositiveIntegerField(null=True, blank=True)
    # Staff who took part: community participation counts people, not only events.
    staff_participants = models.ManyToManyField(Person, blank=True, related_name="events_staffed")
    notes = models.TextField(blank=True)
    import_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [unique_import_key("communityevent")]

    def __str__(self):
        return self.title
