"""The person page's reading of a relationship: each message's sentiment and emotions, and
the relationship's trend (see rapport.people.panels)."""

from datetime import timedelta

from django.utils import timezone

from rapport.engine.text.emotions import GROUP_NAMES
from rapport.people.choices import Direction
from rapport.people.panels import Panel, register_person_panel
from rapport.understanding.models import InteractionReading

TREND_MONTHS = 24


def relationship_trend(person):
    """The sentiment trajectory of what ``person`` wrote over the last TREND_MONTHS months."""
    from rapport.engine.text.trajectory import relationship_trajectory

    since = timezone.now() - timedelta(days=30 * TREND_MONTHS)
    points = list(
        InteractionReading.objects.filter(
            interaction__person=person,
            interaction__direction=Direction.INBOUND,
            interaction__occurred_at__gte=since,
            sentiment_score__isnull=False,
        )
        .order_by("interaction__occurred_at")
        .values_list("interaction__occurred_at", "sentiment_score")
    )
    return relationship_trajectory(points), len(points)


def person_reading(request, person, entries) -> Panel:
    readings = {
        r.interaction_id: r
        for r in InteractionReading.objects.filter(interaction__in=[e.pk for e in entries])
    }
    for entry in entries:
        entry.reading_view = reading = readings.get(entry.pk)
        entry.reading_groups = (
            [GROUP_NAMES[g] for g in reading.detected_groups[:3]] if reading else []
        )
    context = {"may_analyse": person.may_analyse}
    if person.may_analyse:
        context["trend"], context["trend_n"] = relationship_trend(person)
    return Panel(
        template="understanding/_person_trend.html",
        context=context,
        entry_template="understanding/_entry_reading.html",
    )


def register() -> None:
    register_person_panel(person_reading)
