"""The demo's stories of personal data and of scripts: the owner's retention rules, a former
customer who asked to be forgotten (the audit log keeps the erasure and its counts, not her
name), and a read-only API token the till uses every morning."""

from datetime import timedelta
from decimal import Decimal

from rapport.accounts.actions import issue_api_token
from rapport.accounts.models import ApiToken
from rapport.demo.builder import Builder
from rapport.people.actions import record_interaction, record_purchase
from rapport.people.choices import Channel, Direction, Group
from rapport.people.models import Person
from rapport.privacy.actions import erase_person, set_retention_rules

# Who asked to be forgotten, and when (days before the demo's day).
FORGOTTEN = "Odile Ferrand"
ASKED_DAYS_AGO = 40
TILL_SCRIPT = "Till sync"


def generate_privacy(b: Builder) -> None:
    owner = b.members["owner"]
    set_retention_rules(
        b.workspace,
        actor=owner.user,
        via="demo",
        message_text_months=36,
        closed_conversation_months=24,
        audit_log_months=36,
    )
    _forgotten_customer(b, owner)
    _till_token(b, owner)


def _forgotten_customer(b: Builder, owner) -> None:
    """A regular of the first year who moved away and asked, by e-mail, to be forgotten."""
    person = Person.objects.create(
        workspace=b.workspace,
        group=Group.CUSTOMER,
        name=FORGOTTEN,
        email="odile.ferrand@example.net",
        external_id="C-ERASED",
    )
    first = b.start + timedelta(days=30)
    for week in range(0, 40, 4):
        record_purchase(person, purchased_on=first + timedelta(weeks=week), amount=Decimal("12.40"))
    asked = b.end - timedelta(days=ASKED_DAYS_AGO)
    record_interaction(
        person,
        occurred_at=b.at(asked, 9, 12),
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        subject="Please delete my data",
        text="I moved to Lyon last year. Please delete everything you hold about me. Odile",
    )
    erase_person(person, typed=FORGOTTEN, actor=owner.user, via="demo")


def _till_token(b: Builder, owner) -> None:
    """The till reads today's orders and the customer list each morning: read only."""
    token, _secret = issue_api_token(
        owner, TILL_SCRIPT, read_only=True, actor=owner.user, via="demo"
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=b.at(b.end, 6, 30))
