"""Story 3: Levain Assistant goes live in month 18 and takes over customer chat and email."""

from datetime import timedelta

from django.db.models import Count, Q

from rapport.accounts.choices import AutomationKind
from rapport.accounts.models import Automation
from rapport.demo.builder import add_months
from rapport.demo.customers import REGULARS
from rapport.demo.tests.conftest import AS_OF
from rapport.people.choices import Group, PartyKind
from rapport.people.models import Interaction


def test_the_chatbot_starts_in_month_eighteen(demo, db):
    bot = Automation.objects.get(workspace=demo, kind=AutomationKind.CHATBOT)
    assert bot.name == "Levain Assistant"
    assert bot.started_on == add_months(AS_OF - timedelta(days=730), 17)


def test_after_launch_most_customer_chats_and_emails_are_handled_by_automation(demo, db):
    bot = Automation.objects.get(workspace=demo, kind=AutomationKind.CHATBOT)
    talk = (
        Interaction.objects.filter(
            workspace=demo,
            person__group=Group.CUSTOMER,
            person__kind=PartyKind.PERSON,
            channel__in=["chat", "email"],
        )
        .exclude(handled_by_automation__kind=AutomationKind.CAMPAIGN)
        .aggregate(
            before=Count("id", filter=Q(occurred_at__date__lt=bot.started_on)),
            before_bot=Count(
                "id", filter=Q(occurred_at__date__lt=bot.started_on, handled_by_automation=bot)
            ),
            after=Count("id", filter=Q(occurred_at__date__gte=bot.started_on)),
            after_automated=Count(
                "id",
                filter=Q(
                    occurred_at__date__gte=bot.started_on, handled_by_automation__isnull=False
                ),
            ),
        )
    )
    assert talk["before_bot"] == 0
    assert talk["after_automated"] / talk["after"] >= 0.55


def test_regulars_get_fewer_human_touches_per_month_after_launch(demo, db):
    bot = Automation.objects.get(workspace=demo, kind=AutomationKind.CHATBOT)
    since = (AS_OF - bot.started_on).days
    window_start = bot.started_on - timedelta(days=since)
    touches = Interaction.objects.filter(
        workspace=demo,
        person__segment__in=REGULARS,
        handled_by__isnull=False,
        occurred_at__date__gte=window_start,
    ).aggregate(
        before=Count("id", filter=Q(occurred_at__date__lt=bot.started_on)),
        after=Count("id", filter=Q(occurred_at__date__gte=bot.started_on)),
    )
    # Equal-length windows either side of the launch, so totals compare as monthly rates.
    assert touches["after"] <= 0.75 * touches["before"]
