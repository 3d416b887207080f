from django.db.models import Count, Q

from rapport.accounts.choices import AutomationKind, Role
from rapport.accounts.models import Automation, Membership
from rapport.demo.tests.conftest import AS_OF
from rapport.people.choices import Direction, EmploymentEventKind, Group, PartyKind
from rapport.people.models import (
    CommunityEvent,
    Delivery,
    EmploymentEvent,
    Interaction,
    Person,
    Purchase,
)

CHANNELS = {
    Group.CUSTOMER: {"email", "phone", "visit", "chat", "review", "social"},
    Group.EMPLOYEE: {"visit", "chat", "email", "phone"},
    Group.SUPPLIER: {"email", "phone", "delivery", "visit"},
    Group.COMMUNITY: {"email", "event", "visit"},
}


def test_it_has_a_believable_number_of_everything(demo, db):
    people = dict(
        Person.objects.filter(workspace=demo)
        .values_list("group")
        .annotate(n=Count("id"))
        .order_by()
    )
    assert 1400 <= people[Group.CUSTOMER] <= 1600
    assert (
        20
        <= Person.objects.filter(
            workspace=demo, group=Group.EMPLOYEE, end_date__isnull=True
        ).count()
        <= 30
    )
    orgs = Person.objects.filter(workspace=demo, kind=PartyKind.ORGANISATION)
    assert orgs.filter(group=Group.SUPPLIER).count() == 8
    assert orgs.filter(group=Group.COMMUNITY).count() >= 6
    assert 15 <= orgs.filter(group=Group.CUSTOMER).count() <= 60
    assert 8000 <= Interaction.objects.filter(workspace=demo).count() <= 15000
    assert Purchase.objects.filter(workspace=demo).count() > 20000
    assert Delivery.objects.filter(workspace=demo).count() > 300
    assert CommunityEvent.objects.filter(workspace=demo, attendance__isnull=False).count() >= 15
    assert demo.teams.count() == 4


def test_it_has_an_owner_managers_and_staff_logins(demo, db):
    roles = sorted(Membership.objects.filter(workspace=demo).values_list("role", flat=True))
    assert roles.count(Role.OWNER) == 1
    assert 1 <= roles.count(Role.MANAGER) <= 2
    assert roles.count(Role.STAFF) >= 2


def test_it_has_a_chatbot_an_autoresponder_and_a_campaign(demo, db):
    kinds = set(Automation.objects.filter(workspace=demo).values_list("kind", flat=True))
    assert kinds == {AutomationKind.CHATBOT, AutomationKind.AUTORESPONDER, AutomationKind.CAMPAIGN}


def test_employees_have_teams_managers_dates_and_exits_with_reasons(demo, db):
    staff = Person.objects.filter(workspace=demo, group=Group.EMPLOYEE)
    assert not staff.filter(
        Q(team__isnull=True) | Q(start_date__isnull=True) | Q(birthday__isnull=True)
    ).exists()
    assert staff.filter(manager__isnull=False).count() == staff.count() - 1  # all but the owner
    exits = EmploymentEvent.objects.filter(
        workspace=demo,
        kind__in=[EmploymentEventKind.EXIT_VOLUNTARY, EmploymentEventKind.EXIT_INVOLUNTARY],
    )
    assert exits.filter(kind=EmploymentEventKind.EXIT_VOLUNTARY).count() >= 2
    assert exits.filter(kind=EmploymentEventKind.EXIT_INVOLUNTARY).count() >= 1
    assert not exits.filter(reason="").exists()
    assert staff.filter(end_date__isnull=False).exclude(exit_reason="").count() == exits.count()


def test_customers_carry_consent_tags_owners_segments_and_referrals(demo, db):
    customers = Person.objects.filter(workspace=demo, group=Group.CUSTOMER)
    no_contact = customers.filter(may_contact=False).count()
    assert 0 < no_contact < customers.count() * 0.15
    tags = set(customers.values_list("tags__name", flat=True))
    assert {"wholesale", "allergy: nuts", "VIP", "newsletter"} <= tags
    assert customers.filter(owner__isnull=False).count() >= 50
    assert customers.filter(referred_by__isnull=False).count() >= 50
    assert customers.filter(segment="").count() == 0
    assert not customers.filter(tags__name="newsletter", may_contact=False).exists()


def test_every_channel_suits_its_group(demo, db):
    used = (
        Interaction.objects.filter(workspace=demo)
        .values_list("person__group", "channel")
        .distinct()
    )
    for group, channel in used:
        assert channel in CHANNELS[group], (group, channel)


def test_every_closed_interaction_has_one_handler_and_open_ones_await_a_reply(demo, db):
    interactions = Interaction.objects.filter(workspace=demo)
    assert not interactions.filter(
        is_open=False, handled_by__isnull=True, handled_by_automation__isnull=True
    ).exists()
    open_items = interactions.filter(is_open=True)
    assert 5 <= open_items.count() <= 80
    assert not open_items.exclude(direction=Direction.INBOUND).exists()
    assert not open_items.filter(
        Q(handled_by__isnull=False) | Q(handled_by_automation__isnull=False)
    ).exists()


def test_threads_link_questions_and_replies(demo, db):
    threads = (
        Interaction.objects.filter(workspace=demo)
        .exclude(thread_key="")
        .values("thread_key")
        .annotate(
            inbound=Count("id", filter=Q(direction=Direction.INBOUND)),
            outbound=Count("id", filter=Q(direction=Direction.OUTBOUND)),
        )
        .filter(inbound__gte=1, outbound__gte=1)
    )
    assert threads.count() >= 2000


def test_nothing_happens_on_or_after_the_as_of_date(demo, db):
    assert not Interaction.objects.filter(workspace=demo, occurred_at__date__gte=AS_OF).exists()
    assert not Purchase.objects.filter(workspace=demo, purchased_on__gte=AS_OF).exists()


def test_contact_and_purchase_dates_are_filled_in(demo, db):
    customers = Person.objects.filter(workspace=demo, group=Group.CUSTOMER)
    assert not customers.filter(first_purchase_on__isnull=True).exists()
    assert customers.filter(last_human_contact_at__isnull=False).count() > 500


def test_it_shows_the_owners_retention_rules_an_erasure_and_a_till_token(demo, db):
    from rapport.accounts.models import ApiToken, AuditEvent
    from rapport.demo.privacy import FORGOTTEN, TILL_SCRIPT
    from rapport.privacy.models import RetentionRules

    rules = RetentionRules.objects.get(workspace=demo)
    assert (rules.message_text_months, rules.closed_conversation_months) == (36, 24)
    assert not Person.objects.filter(workspace=demo, name=FORGOTTEN).exists()
    erased = AuditEvent.objects.get(workspace=demo, object_repr__endswith="(erased)")
    assert erased.changes["erased"]["purchases"] == 10
    assert not AuditEvent.objects.filter(workspace=demo, object_repr__contains="Odile").exists()
    token = ApiToken.objects.get(membership__workspace=demo)
    assert (token.name, token.scope, token.last_used_at is not None) == (TILL_SCRIPT, "read", True)
