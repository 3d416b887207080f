from django.db import models

from rapport.engine import outreach


class PromptKind(models.TextChoices):
    """The kinds of prompt the engine's rules give (``rapport.engine.outreach.KINDS``)."""

    NO_HUMAN_CONTACT = outreach.NO_HUMAN_CONTACT, outreach.KINDS[outreach.NO_HUMAN_CONTACT]
    UNHAPPY_ANSWER = outreach.UNHAPPY_ANSWER, outreach.KINDS[outreach.UNHAPPY_ANSWER]
    DECLINING_SENTIMENT = (
        outreach.DECLINING_SENTIMENT,
        outreach.KINDS[outreach.DECLINING_SENTIMENT],
    )
    AT_RISK = outreach.AT_RISK, outreach.KINDS[outreach.AT_RISK]
    GOING_QUIET = outreach.GOING_QUIET, outreach.KINDS[outreach.GOING_QUIET]
    SUPPLIER_SLIPPING = outreach.SUPPLIER_SLIPPING, outreach.KINDS[outreach.SUPPLIER_SLIPPING]
    COMMUNITY_QUIET = outreach.COMMUNITY_QUIET, outreach.KINDS[outreach.COMMUNITY_QUIET]
    TEAM_PULSE = outreach.TEAM_PULSE, outreach.KINDS[outreach.TEAM_PULSE]
    TEAM_MOOD = outreach.TEAM_MOOD, outreach.KINDS[outreach.TEAM_MOOD]
    CUSTOMER_ANNIVERSARY = (
        outreach.CUSTOMER_ANNIVERSARY,
        outreach.KINDS[outreach.CUSTOMER_ANNIVERSARY],
    )
    WORK_ANNIVERSARY = outreach.WORK_ANNIVERSARY, outreach.KINDS[outreach.WORK_ANNIVERSARY]
    BIRTHDAY = outreach.BIRTHDAY, outreach.KINDS[outreach.BIRTHDAY]


class ItemState(models.TextChoices):
    DONE = "done", "Done"
    SNOOZED = "snoozed", "Snoozed"
