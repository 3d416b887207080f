"""Small builders for people tests, going through the real actions."""

from datetime import timedelta

from django.utils import timezone

from rapport.people.actions import create_person, record_interaction
from rapport.people.choices import Channel, Direction, Group


def make_customer(workspace, name="Dana Petit", **fields):
    return create_person(workspace, group=Group.CUSTOMER, name=name, via="test", **fields)


def make_touch(
    person,
    *,
    days_ago=1,
    member=None,
    automation=None,
    text="Thanks for the lovely cake!",
    **fields,
):
    return record_interaction(
        person,
        occurred_at=timezone.now() - timedelta(days=days_ago),
        channel=fields.pop("channel", Channel.EMAIL),
        direction=fields.pop("direction", Direction.INBOUND),
        handled_by=member,
        handled_by_automation=automation,
        text=text,
        **fields,
    )
