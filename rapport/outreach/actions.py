"""The weekly reach-out list: the database read into the engine's rows, the prompts routed to
members, and what members did with them.

``reach_out_list`` reads a fixed number of queries however many items the list holds: the
people, purchases, deliveries, readings, low answers and pulse answers of the window the
rules look at, the teams, the members and the stored states.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Avg, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.engine import outreach as engine
from rapport.engine.periods import week_start
from rapport.feedback.choices import Anonymity, FollowUp, QuestionKind, SurveyKind
from rapport.feedback.models import Answer
from rapport.inbox.choices import OPEN_STATUSES
from rapport.inbox.models import Conversation
from rapport.outreach.choices import ItemState
from rapport.outreach.effect import DONE_REST_DAYS, done_recently
from rapport.outreach.models import OutreachItem, OutreachSettings
from rapport.people.choices import Direction, Group, PartyKind
from rapport.people.models import Delivery, Person, Purchase, Team
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast
from rapport.understanding.models import InteractionReading

# Low scores, as the feedback inbox's "actionable" counts them: 0–6 of 10, 1–2 of 5.
LOW_SCORES = {QuestionKind.NPS: 6, QuestionKind.ENPS: 6, QuestionKind.CSAT: 2}
SCALE_MAX = {QuestionKind.NPS: 10, QuestionKind.ENPS: 10, QuestionKind.CSAT: 5}


class OutreachError(Exception):
    """A request the list cannot take (a snooze date out of range)."""


class NotOnList(OutreachError):
    """The item is not on the member's list this week."""


def outreach_settings(workspace: Workspace) -> OutreachSettings:
    found, _ = OutreachSettings.objects.get_or_create(workspace=workspace)
    return found


def set_individual_employees(workspace: Workspace, enabled: bool, *, actor=None) -> None:
    """Name employees in the list (off by default: they appear as teams). Audited."""
    settings = outreach_settings(workspace)
    if settings.individual_employees == enabled:
        return
    record_audit(
        workspace,
        AuditAction.UPDATE,
        settings,
        actor=actor,
        object_repr="reach-out list settings",
        changes={"individual_employees": [settings.individual_employees, enabled]},
    )
    settings.individual_employees = enabled
    settings.save(update_fields=["individual_employees"])


def thresholds(workspace: Workspace, settings: OutreachSettings) -> engine.Thresholds:
    return engine.Thresholds(
        human_contact_days=workspace.human_contact_alert_days,
        min_group_size=workspace.min_group_size,
        individual_employees=settings.individual_employees,
    )


def _start_of(workspace: Workspace, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=workspace.zone)


@dataclass
class Facts:
    """What the rules read, as the engine's rows, and names to show."""

    people: list[engine.PersonRow]
    names: dict[int, str]
    purchases: list[engine.PurchaseRow]
    deliveries: list[engine.DeliveryRow]
    readings: list[engine.ReadingRow]
    low_answers: list[engine.LowAnswerRow]
    pulse: list[engine.PulseRow]
    teams: dict[int, str]
    risks: list[engine.RiskRow] = field(default_factory=list)


def read_facts(workspace: Workspace, today: dt.date, t: engine.Thresholds) -> Facts:
    """The database as the engine's rows: one query per kind of fact.

    A supplier's or community organisation's named contacts count as the organisation: their
    messages and contact dates are the organisation's, so a supplier is listed once."""
    rows = list(
        Person.objects.filter(workspace=workspace)
        .order_by()
        .values(
            "id",
            "name",
            "group",
            "kind",
            "organisation_id",
            "owner_id",
            "may_contact",
            "team_id",
            "end_date",
            "last_human_contact_at",
            "first_purchase_on",
            "start_date",
            "birthday",
        )
    )
    partners = (Group.SUPPLIER, Group.COMMUNITY)
    subject = {
        r["id"]: r["organisation_id"]
        if r["organisation_id"] and r["group"] in partners
        else r["id"]
        for r in rows
    }
    last_contact: dict[int, dt.date] = {}
    for r in rows:
        if r["last_human_contact_at"] is not None:
            day = r["last_human_contact_at"].astimezone(workspace.zone).date()
            key = subject[r["id"]]
            last_contact[key] = max(day, last_contact.get(key, day))
    people = [
        engine.PersonRow(
            id=r["id"],
            name=r["name"],
            group=r["group"],
            owner_id=r["owner_id"],
            is_key=r["owner_id"] is not None
            or (r["group"] in partners and r["kind"] == PartyKind.ORGANISATION),
            may_contact=r["may_contact"],
            team_id=r["team_id"],
            current=r["end_date"] is None or r["end_date"] > today,
            last_human_contact=last_contact.get(r["id"]),
            first_purchase_on=r["first_purchase_on"],
            start_date=r["start_date"],
            birthday=r["birthday"],
        )
        for r in rows
        if subject[r["id"]] == r["id"]
    ]
    since = today - dt.timedelta(days=365 + t.slowing_days)
    purchases = [
        engine.PurchaseRow(pk, day)
        for pk, day in Purchase.objects.filter(
            workspace=workspace,
            person__group=Group.CUSTOMER,
            purchased_on__gte=since,
            purchased_on__lte=today,
        )
        .order_by()
        .values_list("person_id", "purchased_on")
    ]
    deliveries = [
        engine.DeliveryRow(subject.get(pk, pk), promised, delivered)
        for pk, promised, delivered in Delivery.objects.filter(
            workspace=workspace,
            promised_on__gte=today - dt.timedelta(days=365 + t.supplier_recent_days),
            promised_on__lte=today,
        )
        .order_by()
        .values_list("supplier_id", "promised_on", "delivered_on")
    ]
    readings = [
        engine.ReadingRow(subject.get(pk, pk), at, score)
        for pk, at, score in InteractionReading.objects.filter(
            workspace=workspace,
            interaction__direction=Direction.INBOUND,
            interaction__occurred_at__gte=_start_of(
                workspace, today - dt.timedelta(days=t.sentiment_days)
            ),
            interaction__occurred_at__lt=_start_of(workspace, today + dt.timedelta(days=1)),
            interaction__person__may_analyse=True,
            sentiment_score__isnull=False,
        )
        .order_by()
        .values_list("interaction__person_id", "interaction__occurred_at", "sentiment_score")
    ]
    low = Q()
    for kind, top in LOW_SCORES.items():
        low |= Q(question__kind=kind, number__lte=top)
    # Confidential answers stay out: staff may not see who gave them (feedback's inbox rule).
    low_answers = [
        engine.LowAnswerRow(person_id, kind, number, SCALE_MAX[kind], day, title, str(response))
        for person_id, kind, number, day, title, response in Answer.objects.filter(
            low,
            response__workspace=workspace,
            response__person__isnull=False,
            response__survey__anonymity=Anonymity.IDENTIFIED,
            response__status=FollowUp.NEW,
            response__acknowledged_at__isnull=True,
            response__submitted_on__gte=today - dt.timedelta(days=t.unhappy_days),
            response__submitted_on__lte=today,
            number__isnull=False,
        )
        .order_by()
        .values_list(
            "response__person_id",
            "question__kind",
            "number",
            "response__submitted_on",
            "response__survey__title",
            "response_id",
        )
    ]
    pulse_since = today - dt.timedelta(weeks=2 * t.pulse_weeks)
    pulse = [
        engine.PulseRow(row["response__team_id"], row["response__submitted_on"], row["score"])
        for row in Answer.objects.filter(
            response__workspace=workspace,
            response__survey__kind=SurveyKind.PULSE,
            response__team__isnull=False,
            response__submitted_on__gte=pulse_since,
            response__submitted_on__lte=today,
            question__kind=QuestionKind.LIKERT,
            number__isnull=False,
        )
        .order_by()
        .values("response_id", "response__team_id", "response__submitted_on")
        .annotate(score=Avg("number"))
    ]
    teams = dict(Team.objects.filter(workspace=workspace).values_list("id", "name"))
    risks = [
        engine.RiskRow(pk, risk, value, reasons[0] if reasons else "")
        for pk, risk, value, reasons in Forecast.objects.filter(
            workspace=workspace,
            run__current=True,
            run__subject=Subject.CUSTOMERS,
            enough=True,
            risk__gte=t.at_risk,
        )
        .order_by()
        .values_list("person_id", "risk", "expected_value", "reasons")
    ]
    return Facts(
        people=people,
        names={p.id: p.name for p in people},
        purchases=purchases,
        deliveries=deliveries,
        readings=readings,
        low_answers=low_answers,
        pulse=pulse,
        teams=teams,
        risks=risks,
    )


@dataclass
class Item:
    """One prompt as a page shows it."""

    prompt: engine.Prompt
    subject: str
    person_id: int | None
    owner: Membership | None
    # Where the item opens (the context card): the person's open inbox conversation, else
    # their page; "" for a team.
    link: str = ""

    @property
    def kind(self) -> str:
        return self.prompt.kind

    @property
    def owner_name(self) -> str:
        return str(self.owner) if self.owner else "managers and owners"


@dataclass
class KindGroup:
    kind: str
    label: str
    items: list[Item]
    # Items left out of a trimmed list (ReachOutList.trim).
    more: int = 0


@dataclass
class ReachOutList:
    today: dt.date
    week: dt.date
    everyone: bool
    settings: OutreachSettings | None = None
    groups: list[KindGroup] = field(default_factory=list)
    # Items on the list but done (in the last DONE_REST_DAYS) or snoozed.
    resting: int = 0
    # Done in the last DONE_REST_DAYS, with what followed (effect.done_recently).
    done: list[OutreachItem] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    def __len__(self) -> int:
        return sum(len(g.items) + g.more for g in self.groups)

    def trim(self, per_kind: int) -> None:
        """Keep the first ``per_kind`` items of each kind (the rules list the most pressing
        first); ``more`` counts the rest."""
        for group in self.groups:
            group.more += max(0, len(group.items) - per_kind)
            group.items = group.items[:per_kind]


def _all_prompts(workspace: Workspace, today: dt.date, settings=None):
    settings = settings or outreach_settings(workspace)
    t = thresholds(workspace, settings)
    facts = read_facts(workspace, today, t)
    prompts = engine.reach_out(
        today,
        people=facts.people,
        purchases=facts.purchases,
        deliveries=facts.deliveries,
        readings=facts.readings,
        low_answers=facts.low_answers,
        pulse=facts.pulse,
        risks=facts.risks,
        teams=facts.teams,
        thresholds=t,
    )
    return prompts, facts


def _resting_keys(workspace: Workspace, today: dt.date) -> set[tuple[str, int]]:
    rest_from = week_start(today - dt.timedelta(days=DONE_REST_DAYS))
    return set(
        OutreachItem.objects.filter(workspace=workspace)
        .filter(
            Q(state=ItemState.SNOOZED, snoozed_until__gt=today)
            | Q(state=ItemState.DONE, week__gte=rest_from)
        )
        .values_list("kind", "subject_id")
    )


def reach_out_list(
    workspace: Workspace,
    member: Membership,
    today: dt.date | None = None,
    *,
    everyone: bool = False,
) -> ReachOutList:
    """This week's list for ``member``: the prompts whose relationship they keep
    (``Person.owner``), and, for managers and owners, those with no keeper (or a former
    member as keeper); ``everyone`` (managers and owners only) shows every member's items."""
    today = today or workspace.today()
    everyone = everyone and member.can_manage
    settings = outreach_settings(workspace)
    prompts, facts = _all_prompts(workspace, today, settings)
    members = {
        m.pk: m
        for m in Membership.objects.filter(workspace=workspace, removed_at__isnull=True)
        .select_related("user")
        .order_by()
    }
    resting = _resting_keys(workspace, today)
    result = ReachOutList(today=today, week=week_start(today), everyone=everyone, settings=settings)
    groups: dict[str, KindGroup] = {}
    for prompt in prompts:
        owner = members.get(prompt.owner_id)
        mine = owner == member if owner else member.can_manage
        if not (everyone or mine):
            continue
        if prompt.key in resting:
            result.resting += 1
            continue
        team = prompt.kind in engine.TEAM_KINDS
        item = Item(
            prompt=prompt,
            subject=facts.teams.get(prompt.subject_id, "A team")
            if team
            else facts.names.get(prompt.subject_id, ""),
            person_id=None if team else prompt.subject_id,
            owner=owner,
        )
        if prompt.kind not in groups:
            groups[prompt.kind] = KindGroup(prompt.kind, engine.KINDS[prompt.kind], [])
        groups[prompt.kind].items.append(item)
    result.groups = list(groups.values())
    _link(workspace, result.items)
    result.done = done_recently(workspace, today, member=None if everyone else member)
    return result


def conversation_path(slug: str, conversation_id: int) -> str:
    """The inbox conversation's page (by its URL name once the inbox pages exist)."""
    try:
        return reverse("inbox:conversation", args=[slug, conversation_id])
    except NoReverseMatch:
        return f"/w/{slug}/inbox/{conversation_id}/"


def _link(workspace: Workspace, items: list[Item]) -> None:
    """Each item's link, in one query: a person's latest open conversation, else their page."""
    people = {item.person_id for item in items if item.person_id}
    talking = dict(
        Conversation.objects.filter(
            workspace=workspace, person_id__in=people, status__in=OPEN_STATUSES
        )
        .order_by("person_id", "last_message_at", "id")
        .values_list("person_id", "id")
    )
    for item in items:
        if item.person_id in talking:
            item.link = conversation_path(workspace.slug, talking[item.person_id])
        elif item.person_id:
            item.link = reverse("people:person", args=[workspace.slug, item.person_id])


def _find(workspace, member, kind, subject_id, today) -> engine.Prompt:
    """The prompt on this week's list (done or snoozed ones included) that ``member`` may act
    on: their own, or anyone's for managers and owners."""
    prompts, _ = _all_prompts(workspace, today)
    for prompt in prompts:
        if prompt.key != (kind, subject_id):
            continue
        keeper = (
            Membership.objects.filter(pk=prompt.owner_id, removed_at__isnull=True).first()
            if prompt.owner_id
            else None
        )
        if member.can_manage or keeper == member:
            return prompt
        break
    raise NotOnList("That item is not on your reach-out list this week.")


def _record(workspace, member, prompt, today, **state) -> OutreachItem:
    item, _ = OutreachItem.objects.update_or_create(
        workspace=workspace,
        kind=prompt.kind,
        subject_id=prompt.subject_id,
        week=week_start(today),
        defaults={
            "owner_id": prompt.owner_id,
            "why": prompt.why,
            "numbers": prompt.numbers,
            "updated_at": timezone.now(),
            **state,
        },
    )
    return item


@transaction.atomic
def mark_done(
    workspace: Workspace,
    member: Membership,
    kind: str,
    subject_id: int,
    today: dt.date | None = None,
) -> OutreachItem:
    """Mark an item of this week's list done: kept with who and when, off the list for
    DONE_REST_DAYS. Raises OutreachError when it is not on ``member``'s list (managers and
    owners may act on anyone's)."""
    today = today or workspace.today()
    prompt = _find(workspace, member, kind, subject_id, today)
    return _record(
        workspace,
        member,
        prompt,
        today,
        state=ItemState.DONE,
        done_at=timezone.now(),
        done_by=member,
    )


@transaction.atomic
def snooze(
    workspace: Workspace,
    member: Membership,
    kind: str,
    subject_id: int,
    until: dt.date,
    today: dt.date | None = None,
) -> OutreachItem:
    """Hide an item until ``until`` (after today, within a year); it comes back then if its
    rule still holds."""
    today = today or workspace.today()
    if not today < until <= today + dt.timedelta(days=365):
        raise OutreachError("Snooze until a day after today and within a year.")
    prompt = _find(workspace, member, kind, subject_id, today)
    return _record(
        workspace,
        member,
        prompt,
        today,
        state=ItemState.SNOOZED,
        snoozed_until=until,
        snoozed_by=member,
    )
