"""The demo's surveys and their answers: a weekly anonymous staff pulse, customer NPS, a
post-visit CSAT behind a QR code, a quarterly supplier check, a community survey and the
suggestion box, with follow-ups on part of the feedback.

Answers go through ``feedback.actions.prepare_response``, so the demo stores exactly what a
real answer would (anonymous ones without a person and with the week only). The stories of
docs/demo.md show in them: the Bakehouse's workload and well-being items fall over the last
six months and its eNPS with them; office catering accounts turn from promoters into
passives and detractors.
"""

from datetime import date, timedelta

from rapport.demo.builder import Builder
from rapport.demo.customers import OFFICE_CATERING, ONE_OFF
from rapport.demo.staff import BAKEHOUSE
from rapport.engine.periods import week_start
from rapport.feedback import actions
from rapport.feedback.choices import Anonymity, FollowUp, QuestionKind, SurveyStatus
from rapport.feedback.models import Answer, FollowUpMessage, Invitation, Response
from rapport.people.models import Person

PULSE_WEEKS = 26
PULSE_ANSWER_RATE = 0.72

WENT_WELL = {
    "good": [
        "The new croissant shaping went really well.",
        "Good teamwork on Saturday, we sold out by noon.",
        "Customers loved the seasonal tart.",
        "Training with the new barista went smoothly.",
        "Quiet, well-organised week.",
    ],
    "strained": [
        "We got everything out, but only just.",
        "The team kept going despite the mixer breaking down.",
        "Not much, honestly. Everyone is tired.",
    ],
}
BETTER = {
    "good": [
        "More oat milk in stock would help.",
        "A clearer rota for the market stall.",
        "Nothing in particular, keep it up.",
        "A few more shelves in the back room.",
    ],
    "strained": [
        "We need another baker on the early shift, we are always short.",
        "Please fix the spiral mixer properly, it broke again this week.",
        "Starting at 3am five days in a row is not sustainable.",
        "I skipped my break three times this week because we were understaffed.",
        "Too many special orders on top of the normal production.",
    ],
}
NPS_REASONS = {
    "promoter": [
        "Best sourdough in town and the staff are lovely.",
        "Always fresh, always friendly.",
        "The catering for our meeting was perfect, thank you.",
        "Great coffee and croissants, my morning ritual.",
    ],
    "passive": [
        "Good bread but the queue on Saturdays is long.",
        "Nice, a bit pricey.",
        "Deliveries have been a bit late recently.",
        "Fine, nothing special lately.",
    ],
    "detractor": [
        "Our last two catering orders arrived late and one was incomplete.",
        "We are reducing our orders, the service has slipped.",
        "Hard to reach anyone when something goes wrong with an order.",
        "Waited twenty minutes and the cake was not what I ordered.",
    ],
}
SUGGESTIONS = [
    ("A member of staff", "Could we get a second proofing cabinet? We lose an hour every morning."),
    ("A customer", "Please offer a gluten-free loaf at least once a week."),
    ("A customer", "A loyalty card for regulars would be lovely."),
    (
        "A member of staff",
        "Let us swap shifts through a shared calendar instead of the paper rota.",
    ),
    ("A supplier", "Sending orders by Thursday noon would let us deliver on Monday for sure."),
    ("A neighbour", "Could the delivery van avoid idling outside the school at drop-off time?"),
    ("A customer", "Reusable bags or a discount for bringing your own."),
    ("A member of staff", "A short handover note between the early and late shifts."),
    ("A customer", "Open a bit earlier on Saturdays, the queue at 7:30 is long."),
    ("A member of staff", "Fix the back door, it does not lock properly."),
    ("A neighbour", "A bench outside would be nice for older customers."),
    ("A customer", "Print allergens on the price labels."),
]
DONE = {
    "Please offer a gluten-free loaf at least once a week.": "Gluten-free buckwheat loaf every Friday since March.",
    "A short handover note between the early and late shifts.": "A handover board in the bakehouse, filled at 11:00 each day.",
    "Print allergens on the price labels.": "New labels with the 14 allergens printed in both shops.",
    "Fix the back door, it does not lock properly.": "Lock replaced by the maintenance company.",
}


def generate_surveys(b: Builder) -> None:
    """All demo surveys, answers and follow-ups; call after the people are written."""
    workspace = b.workspace
    people = list(Person.objects.filter(workspace=workspace).select_related("team").order_by("pk"))
    writer = _Writer()
    _pulse(b, [p for p in people if p.group == "employee"], writer)
    _customer_nps(b, [p for p in people if p.group == "customer"], writer)
    _post_visit(b, writer)
    _suppliers(b, [p for p in people if p.group == "supplier" and p.organisation_id], writer)
    _community(b, writer)
    _suggestions(b, [p for p in people if p.group == "customer"], writer)
    writer.flush()


class _Writer:
    def __init__(self):
        self.responses: list[Response] = []
        self.answers: list[Answer] = []
        self.invitations: list[Invitation] = []
        self.messages: list[FollowUpMessage] = []

    def add(self, survey, answers: dict, *, now, person=None, channel="public", round_key=""):
        prepared = actions.prepare_response(
            survey,
            answers,
            channel=channel,
            person=person,
            now=now,
            round_key=round_key,
            may_contact=person is not None,
        )
        self.responses.append(prepared.response)
        self.answers.extend(prepared.answers)
        return prepared.response

    def flush(self):
        Invitation.objects.bulk_create(self.invitations, batch_size=1000)
        Response.objects.bulk_create(self.responses, batch_size=1000)
        Answer.objects.bulk_create(self.answers, batch_size=2000)
        FollowUpMessage.objects.bulk_create(self.messages, batch_size=1000)


def _survey(b: Builder, blueprint: str, created: date, **settings):
    survey = actions.create_survey(b.workspace, blueprint=blueprint, **settings)
    survey.status = SurveyStatus.OPEN
    survey.created_at = b.at(created, 9)
    survey.save(update_fields=["status", "created_at"])
    return survey, {q.key: q for q in survey.questions.all()}


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _employed(person: Person, day: date) -> bool:
    started = person.start_date is None or person.start_date <= day
    return started and (person.end_date is None or day < person.end_date)


def _pulse(b: Builder, staff: list[Person], w: _Writer) -> None:
    first_monday = week_start(b.end) - timedelta(weeks=PULSE_WEEKS - 1)
    survey, _ = _survey(b, "employee_pulse", first_monday - timedelta(days=3))
    for week in range(PULSE_WEEKS):
        monday = first_monday + timedelta(days=7 * week)
        round_key = actions.round_of(survey, monday)
        questions = actions.questions_for_round(survey, round_key)
        for person in staff:
            if not _employed(person, monday):
                continue
            rng = b.rng("pulse", week, person.external_id)
            answered = rng.random() < PULSE_ANSWER_RATE
            w.invitations.append(
                Invitation(
                    workspace=b.workspace,
                    survey=survey,
                    person=person,
                    round=round_key,
                    sent_at=b.at(monday, 8),
                    answered=answered,
                )
            )
            if not answered:
                continue
            # The strain grows faster towards the end: the last two months fall clearly below
            # the two before (the reach-out list's team pulse, a drop of 0.4 or more), not
            # just on a lucky draw.
            bakehouse = person.team and person.team.name == BAKEHOUSE
            strain = b.progress(monday) ** 2 if bakehouse else 0.0
            answers = {}
            for q in questions:
                if q.kind == QuestionKind.LIKERT:
                    hit = 1.8 if q.topic in ("workload", "wellbeing") else 0.7
                    answers[q] = _clip(rng.gauss(4.1 - hit * strain, 0.7), 1, 5)
                elif q.kind == QuestionKind.ENPS:
                    answers[q] = _clip(rng.gauss(8.2 - 4.5 * strain, 1.4), 0, 10)
                elif q.kind == QuestionKind.TEXT and rng.random() < 0.35:
                    mood = "strained" if rng.random() < strain else "good"
                    pool = WENT_WELL if q.key == "went_well" else BETTER
                    answers[q] = rng.choice(pool[mood])
            day = monday + timedelta(days=rng.randint(0, 4))
            w.add(
                survey,
                answers,
                now=b.random_time(rng, day, 7, 18),
                person=person,
                channel="personal",
                round_key=round_key,
            )


def _band(score: int) -> str:
    return "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"


def _customer_nps(b: Builder, customers: list[Person], w: _Writer) -> None:
    survey, q = _survey(b, "customer_nps", b.start)
    candidates = [c for c in customers if c.segment != ONE_OFF and c.email]
    owner = b.members["manager"]
    for month in range(24):
        start = b.start + timedelta(days=30 * month)
        rng = b.rng("nps", month)
        for person in rng.sample(candidates, min(len(candidates), 22)):
            day = start + timedelta(days=rng.randint(0, 29))
            if day > b.end:
                continue
            catering = person.segment == OFFICE_CATERING
            mean = 8.6 - (4.0 * b.progress(day) if catering else 0.0)
            score = _clip(rng.gauss(mean, 1.3), 0, 10)
            answers = {q["nps"]: score}
            if rng.random() < 0.6:
                answers[q["reason"]] = rng.choice(NPS_REASONS[_band(score)])
            response = w.add(
                survey,
                answers,
                now=b.random_time(rng, day, 8, 20),
                person=person,
                channel="personal",
            )
            if score <= 6 and day < b.end - timedelta(days=10):
                _follow_up(b, rng, response, owner, day, w)


def _follow_up(b: Builder, rng, response: Response, owner, day: date, w: _Writer) -> None:
    """Most detractors are acknowledged within days; about half of those are closed."""
    if rng.random() < 0.25:
        return
    acknowledged = b.at(day + timedelta(days=rng.randint(0, 3)), rng.randint(9, 17))
    response.owner = owner
    response.status = FollowUp.ACKNOWLEDGED
    response.acknowledged_at = acknowledged
    w.messages.append(
        FollowUpMessage(
            workspace=b.workspace,
            response=response,
            author="business",
            member=owner,
            text="Thank you for telling us. I am sorry we let you down; I will look into it "
            "myself and come back to you this week.",
            sent_on=acknowledged.date(),
            sent_at=acknowledged,
        )
    )
    if rng.random() < 0.55:
        done = acknowledged + timedelta(days=rng.randint(1, 10))
        if done.date() <= b.end:
            response.status = FollowUp.DONE
            response.done_at = done
            response.what_we_did = rng.choice(
                [
                    "Called them, refunded the late order and moved their deliveries to the "
                    "first van of the day.",
                    "Apologised in person; added a second person on the Saturday counter.",
                    "Replaced the order and set up a confirmation call the day before.",
                ]
            )
            response.told_at = done


def _post_visit(b: Builder, w: _Writer) -> None:
    survey, q = _survey(
        b, "post_visit_csat", b.end - timedelta(days=365), anonymity=Anonymity.ANONYMOUS
    )
    for day in b.days(b.end - timedelta(days=364)):
        if not b.shop_open(day):
            continue
        rng = b.rng("csat", day.isoformat())
        for _ in range(rng.choice((0, 1, 1, 2))):
            answers = {
                q["csat"]: _clip(rng.gauss(4.3, 0.8), 1, 5),
                q["ces"]: _clip(rng.gauss(6.0, 1.0), 1, 7),
            }
            if rng.random() < 0.5:
                answers[q["stood_out"]] = rng.sample(q["stood_out"].options, rng.randint(1, 2))
            w.add(survey, answers, now=b.random_time(rng, day, 8, 19))


def _suppliers(b: Builder, contacts: list[Person], w: _Writer) -> None:
    survey, q = _survey(b, "supplier_check", b.end - timedelta(days=365))
    for quarter in range(4):
        day = b.end - timedelta(days=365 - 91 * quarter - 10)
        for person in contacts:
            rng = b.rng("supplier", quarter, person.external_id)
            if rng.random() < 0.2:
                continue
            answers = {
                q["nps"]: _clip(rng.gauss(8.0, 1.2), 0, 10),
                q["orders"]: _clip(rng.gauss(3.6, 0.8), 1, 5),
                q["payment"]: _clip(rng.gauss(4.4, 0.6), 1, 5),
                q["communication"]: _clip(rng.gauss(4.0, 0.7), 1, 5),
            }
            w.add(
                survey,
                answers,
                now=b.random_time(rng, day, 9, 17),
                person=person,
                channel="personal",
                round_key=actions.round_of(survey, day),
            )


def _community(b: Builder, w: _Writer) -> None:
    survey, q = _survey(b, "community_perception", b.end - timedelta(days=200))
    rng = b.rng("community")
    ideas = [
        "Host a bread-making workshop for the school.",
        "More benches and plants outside.",
        "Keep sponsoring the football club.",
        "Give unsold bread to the food bank daily.",
    ]
    for _ in range(38):
        day = b.end - timedelta(days=rng.randint(1, 199))
        answers = {
            q["rating"]: _clip(rng.gauss(4.2, 0.8), 1, 5),
            q["contributes"]: _clip(rng.gauss(3.9, 0.9), 1, 5),
            q["relation"]: [rng.choice(q["relation"].options)],
        }
        if rng.random() < 0.4:
            answers[q["ideas"]] = rng.choice(ideas)
        w.add(survey, answers, now=b.random_time(rng, day, 9, 20))


def _suggestions(b: Builder, customers: list[Person], w: _Writer) -> None:
    box = actions.suggestion_box(b.workspace)
    box.created_at = b.at(b.end - timedelta(days=365), 9)
    box.save(update_fields=["created_at"])
    q = {x.key: x for x in box.questions.all()}
    owner = b.members["owner"]
    for i, (writer, text) in enumerate(SUGGESTIONS):
        rng = b.rng("suggestion", i)
        day = b.end - timedelta(days=30 * (len(SUGGESTIONS) - i) + rng.randint(0, 20))
        person = rng.choice(customers) if writer == "A customer" and rng.random() < 0.5 else None
        response = w.add(
            box,
            {q["writer"]: [writer], q["suggestion"]: text},
            now=b.random_time(rng, day, 8, 20),
            person=person,
        )
        if text in DONE:
            response.status = FollowUp.DONE
            response.owner = owner
            response.acknowledged_at = b.at(day + timedelta(days=2), 10)
            response.done_at = b.at(day + timedelta(days=20), 10)
            response.what_we_did = DONE[text]
            w.messages.append(
                FollowUpMessage(
                    workspace=b.workspace,
                    response=response,
                    author="business",
                    member=owner,
                    text=f"Thank you for the idea. {DONE[text]}",
                    sent_on=response.done_at.date(),
                    sent_at=response.done_at,
                )
            )
