"""What followed the reach-out list's items, read from the facts each time (nothing is stored
but what members did): ``done_recently`` for the page's "Done recently", ``list_effect`` for
the list's effect (docs/outreach.md, "What followed").

Each reads a fixed number of queries however many items there are: the items (with the
first human contact and their next message after each, as subqueries), then the people,
the readings, the purchases and the deliveries around them. The rules are
``rapport.engine.outreach_effect``.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Case, F, OuterRef, Q, Subquery, When

from rapport.accounts.models import Membership, Workspace
from rapport.engine import outreach_effect as engine
from rapport.engine.outreach import TEAM_KINDS, DeliveryRow, ReadingRow
from rapport.engine.periods import week_start
from rapport.outreach.choices import ItemState
from rapport.outreach.models import OutreachItem
from rapport.people.choices import Direction, Group
from rapport.people.models import Delivery, Interaction, Person, Purchase
from rapport.understanding.models import InteractionReading

# An item marked done stays off the list this long, even if its rule still holds: the
# member acted, and the facts (a reply, the next purchase) need time to follow.
DONE_REST_DAYS = 28
# A supplier's or community organisation's named contacts count as the organisation.
PARTNERS = (Group.SUPPLIER, Group.COMMUNITY)


def _with_next(workspace: Workspace, items):
    """``items`` with ``marked_at`` (when marked done, or snoozed), ``next_contact_at`` (the
    first interaction a member handled with them after) and ``next_message_at`` (their
    first message after)."""
    theirs = Q(person_id=OuterRef("subject_id")) | Q(
        person__organisation_id=OuterRef("subject_id"), person__group__in=PARTNERS
    )
    after = Interaction.objects.filter(
        theirs, workspace=workspace, occurred_at__gt=OuterRef("marked_at")
    ).order_by("occurred_at")
    return items.annotate(
        marked_at=Case(When(state=ItemState.DONE, then=F("done_at")), default=F("updated_at")),
        next_contact_at=Subquery(after.filter(handled_by__isnull=False).values("occurred_at")[:1]),
        next_message_at=Subquery(
            after.filter(direction=Direction.INBOUND).values("occurred_at")[:1]
        ),
    )


def _marked(workspace: Workspace, items: list[OutreachItem]) -> dict[int, engine.Marked]:
    """Each person item's facts around when it was marked, by item id: four queries. Team
    items, and items whose person is gone, have none."""
    items = [i for i in items if i.kind not in TEAM_KINDS]
    if not items:
        return {}
    zone = workspace.zone
    subjects = {i.subject_id for i in items}
    first, last = min(i.marked_at for i in items), max(i.marked_at for i in items)
    people = Person.objects.filter(workspace=workspace).filter(
        Q(pk__in=subjects) | Q(organisation_id__in=subjects, group__in=PARTNERS)
    )
    whose, group = {}, {}
    for pk, org, kind in people.order_by().values_list("id", "organisation_id", "group"):
        whose[pk] = pk if pk in subjects else org
        if pk in subjects:
            group[pk] = kind
    readings = defaultdict(list)
    for pk, at, score in InteractionReading.objects.filter(
        workspace=workspace,
        interaction__person_id__in=whose,
        interaction__person__may_analyse=True,
        interaction__direction=Direction.INBOUND,
        interaction__occurred_at__gte=first - dt.timedelta(days=engine.SENTIMENT_BEFORE_DAYS),
        interaction__occurred_at__lte=last + dt.timedelta(days=engine.SENTIMENT_AFTER_DAYS),
        sentiment_score__isnull=False,
    ).values_list("interaction__person_id", "interaction__occurred_at", "sentiment_score"):
        readings[whose[pk]].append(ReadingRow(whose[pk], at.astimezone(zone), score))
    first_day, last_day = first.astimezone(zone).date(), last.astimezone(zone).date()
    purchases = defaultdict(list)
    for pk, day in Purchase.objects.filter(
        workspace=workspace,
        person_id__in=[pk for pk, kind in group.items() if kind == Group.CUSTOMER],
        purchased_on__gt=first_day,
        purchased_on__lte=last_day + dt.timedelta(days=engine.PURCHASE_DAYS),
    ).values_list("person_id", "purchased_on"):
        purchases[pk].append(day)
    deliveries = defaultdict(list)
    span = dt.timedelta(days=engine.DELIVERY_DAYS)
    for pk, promised, delivered in Delivery.objects.filter(
        workspace=workspace,
        supplier_id__in=[pk for pk, s in whose.items() if group.get(s) == Group.SUPPLIER],
        promised_on__gte=first_day - span,
        promised_on__lt=last_day + span,
    ).values_list("supplier_id", "promised_on", "delivered_on"):
        deliveries[whose[pk]].append(DeliveryRow(whose[pk], promised, delivered))
    return {
        i.pk: engine.Marked(
            at=i.marked_at.astimezone(zone),
            group=group[i.subject_id],
            next_message_at=i.next_message_at and i.next_message_at.astimezone(zone),
            readings=tuple(readings[i.subject_id]),
            purchases=tuple(purchases[i.subject_id]),
            deliveries=tuple(deliveries[i.subject_id]),
        )
        for i in items
        if i.subject_id in group
    }


def done_recently(
    workspace: Workspace, today: dt.date, *, member: Membership | None = None
) -> list[OutreachItem]:
    """Items done in the last DONE_REST_DAYS (the latest 50), each with ``next_contact_at``
    (the first interaction a member handled with that person after it was marked done) and
    ``followed`` (``engine.Followed``: their next message, sentiment, next purchase, a
    supplier's deliveries); both None for teams. Five queries."""
    done = OutreachItem.objects.filter(
        workspace=workspace,
        state=ItemState.DONE,
        week__gte=week_start(today - dt.timedelta(days=DONE_REST_DAYS)),
    )
    if member is not None:
        done = done.filter(done_by=member)
    done = list(
        _with_next(workspace, done).select_related("done_by__user").order_by("-done_at")[:50]
    )
    marked = _marked(workspace, done)
    for item in done:
        item.followed = None
        if item.pk in marked:
            item.followed = engine.what_followed(marked[item.pk], today)
        if item.kind in TEAM_KINDS:
            item.next_contact_at = None
    return done


def list_effect(workspace: Workspace, today: dt.date | None = None) -> engine.Effect:
    """The business's person items marked done against those snoozed over the last
    EFFECT_WEEKS weeks that have had their full time (``engine.list_effect``). Five
    queries."""
    today = today or workspace.today()
    since = today - dt.timedelta(days=engine.PURCHASE_DAYS, weeks=engine.EFFECT_WEEKS)
    items = list(
        _with_next(
            workspace,
            OutreachItem.objects.filter(
                workspace=workspace,
                state__in=[ItemState.DONE, ItemState.SNOOZED],
                week__gte=week_start(since),
                week__lte=today - dt.timedelta(days=engine.REPLY_DAYS),
            ).exclude(kind__in=TEAM_KINDS),
        ).order_by()
    )
    marked = _marked(workspace, items)
    by_state = {ItemState.DONE: [], ItemState.SNOOZED: []}
    for item in items:
        if item.pk in marked:
            by_state[item.state].append(marked[item.pk])
    return engine.list_effect(by_state[ItemState.DONE], by_state[ItemState.SNOOZED], today)
