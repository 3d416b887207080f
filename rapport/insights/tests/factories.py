"""A small Alice's Bakery with something in each of the four groups, last month, built through
the real actions; and the survey helpers the dashboard tests share.

Refreshes read the real clock, so everything is dated relative to the workspace's today:
``Bakery.day`` is the tenth of last month, always in the past and inside one month.
"""

import datetime as dt
import uuid
from decimal import Decimal

from rapport.accounts.models import Automation
from rapport.engine.periods import MONTH, window_of
from rapport.feedback import actions as feedback
from rapport.feedback.choices import Anonymity, Channel, QuestionKind, SurveyStatus
from rapport.people.actions import create_person, record_interaction, record_purchase
from rapport.people.choices import Channel as Via
from rapport.people.choices import Direction, EmploymentEventKind, Group
from rapport.people.models import CommunityEvent, Delivery, EmploymentEvent, Team


def today_of(workspace) -> dt.date:
    return workspace.today()


def last_month(workspace):
    return window_of(today_of(workspace), MONTH).previous()


def noon(workspace, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=workspace.zone)


def person(workspace, group, name, **fields):
    return create_person(workspace, group=group, name=name, via="test", **fields)


def survey(
    workspace,
    kind=QuestionKind.NPS,
    *,
    audience=Group.CUSTOMER,
    comment=False,
    anonymity=Anonymity.CONFIDENTIAL,
    title="After your visit",
):
    questions = [{"kind": kind, "text": "How likely are you to recommend us?", "key": "score"}]
    if comment:
        questions.append({"kind": QuestionKind.TEXT, "text": "Anything else?", "key": "comment"})
    found = feedback.create_survey(
        workspace,
        title=title,
        audience_group=audience,
        anonymity=anonymity,
        questions=questions,
    )
    feedback.set_status(found, SurveyStatus.OPEN)
    return found


def answer(survey, who, score, *, when: dt.datetime, comment=""):
    questions = {q.key: q for q in survey.questions.all()}
    raw = {questions["score"]: score}
    if comment:
        raw[questions["comment"]] = comment
    # Each answer comes from its own form: two people giving the same anonymous score are
    # not a duplicate.
    return feedback.submit_response(
        survey, raw, channel=Channel.PERSONAL, person=who, now=when, submission_key=uuid.uuid4().hex
    ).response


# Customer → (segment, their NPS answer).
CUSTOMERS = {
    "Dana": ("Regulars", 10),
    "Eli": ("Tourists", 10),
    "Fay": ("Regulars", 9),
    "Gus": ("Tourists", 8),
    "Hal": ("Regulars", 6),
    "Ida": ("Tourists", 2),
}


class Bakery:
    """Last month at Alice's Bakery.

    Customers: six, three "Regulars" and three "Tourists", who answered an NPS survey
    10, 9, 6 (Regulars) and 10, 8, 2 (Tourists). Messages: Dana wrote and Bob replied (two
    handled by a person), Eli was answered by the shop's chatbot. Purchases: Dana twice,
    Eli once. Staff: Kim and Lou in the Kitchen since 2025; Kim was off one day. Supplier:
    the Flour Mill delivered once on time and once two days late. Community: the school,
    whose fair Kim took part in, and one message to it that Bob handled.
    """

    def __init__(self, personas):
        ws = self.workspace = personas.bakery
        self.month = last_month(ws)
        self.day = day = self.month.start + dt.timedelta(days=9)
        self.at = at = noon(ws, day)
        bob = personas.bob_member

        self.customers = {
            name: person(ws, Group.CUSTOMER, f"{name} Client", segment=segment)
            for name, (segment, _) in CUSTOMERS.items()
        }
        c = self.customers
        self.survey = survey(ws)
        for name, (_, score) in CUSTOMERS.items():
            answer(self.survey, c[name], score, when=at)

        bot = Automation.objects.create(workspace=ws, name="Shop Assistant", kind="chatbot")
        for who, direction, kwargs in (
            (c["Dana"], Direction.INBOUND, {"handled_by": bob}),
            (c["Dana"], Direction.OUTBOUND, {"handled_by": bob}),
            (c["Eli"], Direction.INBOUND, {"handled_by_automation": bot}),
        ):
            record_interaction(
                who, occurred_at=at, channel=Via.EMAIL, direction=direction, text="Hello", **kwargs
            )
        for who, offset in ((c["Dana"], 0), (c["Dana"], 1), (c["Eli"], 0)):
            record_purchase(
                who,
                purchased_on=day + dt.timedelta(days=offset),
                amount=Decimal("4.50"),
                location="Centre",
            )

        kitchen = Team.objects.create(workspace=ws, name="Kitchen")
        self.kim, self.lou = (
            person(ws, Group.EMPLOYEE, name, team=kitchen, start_date=dt.date(2025, 1, 1))
            for name in ("Kim Cook", "Lou Baker")
        )
        EmploymentEvent.objects.create(
            workspace=ws,
            person=self.kim,
            kind=EmploymentEventKind.ABSENCE,
            date=day,
            days=Decimal("1"),
        )

        self.mill = person(ws, Group.SUPPLIER, "Flour Mill")
        Delivery.objects.create(workspace=ws, supplier=self.mill, promised_on=day, delivered_on=day)
        Delivery.objects.create(
            workspace=ws,
            supplier=self.mill,
            promised_on=day + dt.timedelta(days=1),
            delivered_on=day + dt.timedelta(days=3),
        )

        self.school = person(ws, Group.COMMUNITY, "Jules Ferry School")
        fair = CommunityEvent.objects.create(
            workspace=ws, title="School fair", date=day, partner=self.school, attendance=40
        )
        fair.staff_participants.add(self.kim)
        record_interaction(
            self.school,
            occurred_at=at,
            channel=Via.EMAIL,
            direction=Direction.OUTBOUND,
            handled_by=bob,
            text="See you at the fair",
        )

    def working_days(self) -> int:
        """Monday-to-Friday days of last month."""
        days = (self.month.end - self.month.start).days
        return sum(
            1 for i in range(days) if (self.month.start + dt.timedelta(days=i)).weekday() < 5
        )
