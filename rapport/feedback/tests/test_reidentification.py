"""Attacks on anonymous survey results, each tried the way a curious member would: through the
results page and its CSV, by adding and subtracting what they show. Each test fails if the
protection it checks is taken away.
"""

import csv
import datetime as dt
import io
import itertools
import uuid
from collections import Counter

from django.core import mail
from django.db import connection
from django.urls import reverse

from rapport.feedback import actions, distribution
from rapport.feedback.choices import Channel, SurveyStatus
from rapport.feedback.models import Invitation, Response
from rapport.people.actions import create_person
from rapport.people.models import Team
from rapport.test import login

MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # round 2026-W45, when eNPS is asked
K = 5  # the bakery's min_group_size (the default)
K_COMMENTS = 8  # its min_comment_group_size (the default)


class Pulse:
    """Alice's Bakery's staff, hired and answering the weekly pulse through the real verbs."""

    def __init__(self, workspace):
        self.workspace = workspace
        self.survey = actions.create_survey(workspace, blueprint="employee_pulse")
        actions.set_status(self.survey, SurveyStatus.OPEN)
        round_key = actions.round_of(self.survey, MONDAY.date())
        self.questions = {q.key: q for q in actions.questions_for_round(self.survey, round_key)}
        self.teams: dict[str, Team] = {}
        self.people = []

    def hire(self, team: str, n: int, segment: str = ""):
        if team not in self.teams:
            self.teams[team] = Team.objects.create(workspace=self.workspace, name=team)
        hired = [
            create_person(
                self.workspace,
                group="employee",
                name=f"{team} Worker{len(self.people) + i}",
                email=f"{team.lower()}{len(self.people) + i}@example.com",
                team=self.teams[team],
                segment=segment,
            )
            for i in range(n)
        ]
        self.people += hired
        return hired

    def answer(self, person, *, enps=None, comment="", now=MONDAY) -> Response:
        actions.invite(self.survey, [person], now=now)
        invitation = Invitation.objects.get(survey=self.survey, person=person)
        raw = {}
        if enps is not None:
            raw[self.questions["enps"]] = enps
        if comment:
            raw[self.questions["better"]] = comment
        return actions.submit_response(
            self.survey,
            raw,
            channel=Channel.PERSONAL,
            invitation=invitation,
            now=now,
        ).response

    def team(self, name: str) -> str:
        return str(self.teams[name].pk)


def report(client, survey, **filters):
    url = reverse("feedback:results", args=[survey.workspace.slug, survey.pk])
    response = client.get(url, filters)
    assert response.status_code == 200
    return response.context["r"], response.content.decode()


def enps_seen(client, survey, **filters) -> Counter | None:
    """The eNPS answers an attacker can read for one group, or None when it is hidden."""
    r, _ = report(client, survey, **filters)
    if not r.respondents.shown:
        return None
    item = next(i for i in r.questions if i.question.key == "enps")
    if not item.verdict.shown:
        return None
    return Counter({bar.label: bar.count for bar in item.bars if bar.count})


def comments_seen(client, survey, **filters) -> Counter | None:
    r, _ = report(client, survey, **filters)
    if not r.respondents.shown:
        return None
    item = next(i for i in r.questions if i.question.key == "better")
    return Counter(item.comments) if item.verdict.shown else None


def every_view(client, survey, seen, **dimensions):
    """What the attacker reads under every combination of the given filters."""
    views = {}
    names = list(dimensions)
    for values in itertools.product(*[[None, *dimensions[d]] for d in names]):
        constraints = {d: v for d, v in zip(names, values, strict=True) if v is not None}
        views[frozenset(constraints.items())] = seen(client, survey, **constraints)
    return views


def isolated(views, threshold):
    """Groups of fewer than ``threshold`` an attacker computes as A - B or A - B - C, where
    B and C are shown groups inside A (more filters) and C does not overlap B."""
    shown = {c: v for c, v in views.items() if v is not None}
    found = []
    for a, seen_a in shown.items():
        inside = [b for b in shown if b > a]
        for b in inside:
            rest = seen_a - shown[b]
            if 0 < sum(rest.values()) < threshold:
                found.append((a, b, rest))
        for b, c in itertools.combinations(inside, 2):
            disjoint = any(d1 == d2 and v1 != v2 for (d1, v1), (d2, v2) in itertools.product(b, c))
            if disjoint:
                rest = seen_a - shown[b] - shown[c]
                total = sum(seen_a.values()) - sum(shown[b].values()) - sum(shown[c].values())
                if 0 < total < threshold:
                    found.append((a, b, c, rest))
    return found


# --- filter differencing --------------------------------------------------------------------


def test_everyone_minus_the_kitchen_does_not_reveal_the_office(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 12):
        pulse.answer(person, enps=9)
    ann, ben = pulse.hire("Office", 2)
    pulse.answer(ann, enps=0)
    pulse.answer(ben, enps=2)
    login(client, personas.vera)

    views = every_view(client, pulse.survey, enps_seen, team=[pulse.team("Kitchen")])

    assert views[frozenset()] is not None  # everyone (14) is shown
    assert isolated(views, K) == []
    r, html = report(client, pulse.survey, team=pulse.team("Kitchen"))
    assert "Not enough responses to show this group." in html
    assert "everyone minus this group" in r.respondents.reason


def test_everyone_minus_two_teams_does_not_reveal_the_third(client, personas):
    pulse = Pulse(personas.bakery)
    for team, scores in {"Kitchen": [9] * 6, "Front": [7] * 6, "Office": [0, 1]}.items():
        for person, score in zip(pulse.hire(team, len(scores)), scores, strict=True):
            pulse.answer(person, enps=score)
    login(client, personas.vera)

    teams = [pulse.team(t) for t in ("Kitchen", "Front", "Office")]
    views = every_view(client, pulse.survey, enps_seen, team=teams)

    assert views[frozenset()] == Counter({"9": 6, "7": 6, "0": 1, "1": 1})
    assert isolated(views, K) == []


def test_two_filters_cannot_be_combined_to_single_out_one_cook(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 5, segment="part-time"):
        pulse.answer(person, enps=8)
    (cook,) = pulse.hire("Kitchen", 1, segment="full-time")
    pulse.answer(cook, enps=0)
    for person in pulse.hire("Front", 8, segment="full-time"):
        pulse.answer(person, enps=10)
    login(client, personas.vera)

    views = every_view(
        client,
        pulse.survey,
        enps_seen,
        team=[pulse.team("Kitchen"), pulse.team("Front")],
        segment=["part-time", "full-time"],
    )

    # Kitchen (6) minus Kitchen-and-part-time (5), or full-time (9) minus Front (8), would
    # each be the cook's own answer.
    assert views[frozenset()] is not None
    assert isolated(views, K) == []


def test_a_team_of_two_in_a_business_of_fourteen_is_never_shown(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 6) + pulse.hire("Front", 6):
        pulse.answer(person, enps=9, comment="Fine week, thanks")
    for person in pulse.hire("Office", 2):
        pulse.answer(person, enps=0, comment="The office is cold and nobody listens")
    login(client, personas.vera)

    r, html = report(client, pulse.survey, team=pulse.team("Office"))
    assert not r.respondents.shown
    assert "Not enough responses to show this group." in html
    assert f"Fewer than {K} people answered in this group" in html
    assert "nobody listens" not in html

    r, html = report(client, pulse.survey, by="team")
    cells = dict(zip(r.breakdown.columns, r.breakdown.lines[0].cells, strict=True))
    assert cells["Office"].text == f"fewer than {K}"
    # One of the two teams of six is hidden too, else 14 - 6 - 6 would be the office.
    assert len([t for t in ("Kitchen", "Front") if not cells[t].shown]) == 1
    assert "nobody listens" in html  # everyone's comments (14 people) are shown, unlabelled


# --- the breakdown ------------------------------------------------------------------------


def test_the_total_minus_the_visible_rows_never_leaves_fewer_than_k(client, personas):
    pulse = Pulse(personas.bakery)
    for team, n in {"Kitchen": 6, "Front": 7, "Office": 2}.items():
        for person in pulse.hire(team, n):
            pulse.answer(person, enps=9 if team != "Office" else 0)
    login(client, personas.alice)

    r, _ = report(client, pulse.survey, by="team")
    respondents = r.breakdown.lines[0]
    total = int(respondents.total.text)
    visible = sum(int(cell.text) for cell in respondents.cells if cell.shown)
    assert total == 15
    assert total - visible == 0 or total - visible >= K
    enps_line = next(line for line in r.breakdown.lines if "recommend" in line.label)
    hidden = [
        c for c, cell in zip(r.breakdown.columns, enps_line.cells, strict=True) if not cell.shown
    ]
    assert "Office" in hidden and len(hidden) >= 2

    # The CSV says the same, and nothing more.
    url = reverse("feedback:results-csv", args=[personas.bakery.slug, pulse.survey.pk])
    body = b"".join(client.get(url, {"by": "team"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    office = [row for row in rows if row["group"] == "team: Office"]
    assert office and all(row["value"] == "" for row in office)


# --- comments -----------------------------------------------------------------------------


def test_comments_need_eight_people_who_wrote_one(client, personas):
    pulse = Pulse(personas.bakery)
    writers = pulse.hire("Kitchen", 7)
    for i, person in enumerate(writers):
        pulse.answer(person, enps=8, comment=f"Comment number {i}")
    login(client, personas.vera)

    r, html = report(client, pulse.survey)
    assert r.respondents.shown  # seven people: enough for scores
    assert "Comment number" not in html
    assert f"at least {K_COMMENTS} people in this group wrote one" in html

    (eighth,) = pulse.hire("Kitchen", 1)
    pulse.answer(eighth, enps=8, comment="Comment number 7")
    r, html = report(client, pulse.survey)
    assert all(f"Comment number {i}" in html for i in range(8))


def test_comments_of_a_small_team_cannot_be_had_by_subtraction(client, personas):
    pulse = Pulse(personas.bakery)
    for i, person in enumerate(pulse.hire("Kitchen", 8)):
        pulse.answer(person, enps=8, comment=f"Kitchen note {i}")
    for i, person in enumerate(pulse.hire("Front", 2)):
        pulse.answer(person, enps=3, comment=f"Front complaint {i}")
    login(client, personas.vera)

    views = every_view(
        client, pulse.survey, comments_seen, team=[pulse.team("Kitchen"), pulse.team("Front")]
    )

    assert views[frozenset()] is not None  # all ten comments, in random order
    assert isolated(views, K_COMMENTS) == []


# --- timing -------------------------------------------------------------------------------


def test_two_answers_on_different_days_of_one_week_look_alike_in_the_database(personas):
    pulse = Pulse(personas.bakery)
    ann, ben = pulse.hire("Kitchen", 2)
    monday = pulse.answer(ann, enps=9, now=MONDAY)
    thursday = pulse.answer(ben, enps=9, now=MONDAY + dt.timedelta(days=3, hours=8))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM feedback_response WHERE id IN (%s, %s)",
            [monday.pk.hex, thursday.pk.hex]
            if connection.vendor == "sqlite"
            else [monday.pk, thursday.pk],
        )
        columns = [c[0] for c in cursor.description]
        first, second = (dict(zip(columns, row, strict=True)) for row in cursor.fetchall())

    differing = {c for c in columns if first[c] != second[c]}
    assert differing <= {"id", "reply_token_hash"}
    assert first["person_id"] is None and first["submitted_at"] is None
    assert str(first["submitted_on"]) == str(second["submitted_on"]) == "2026-11-02"
    tokens = set(Invitation.objects.filter(survey=pulse.survey).values_list("token", flat=True))
    for value in first.values():
        assert str(value) not in tokens | {ann.name, ben.name, ann.email, ben.email}


def test_neither_ids_nor_the_page_give_the_order_of_answers(client, personas):
    pulse = Pulse(personas.bakery)
    people = pulse.hire("Kitchen", 12)
    answered = [
        pulse.answer(
            person, comment=f"Written at hour {i:02d}", now=MONDAY + dt.timedelta(hours=9 * i)
        )
        for i, person in enumerate(people)
    ]

    assert all(isinstance(r.pk, uuid.UUID) and r.pk.version == 4 for r in answered)
    by_id = sorted(answered, key=lambda r: r.pk)
    assert by_id != answered and by_id != answered[::-1]

    login(client, personas.vera)
    orders = set()
    for _ in range(4):
        r, html = report(client, pulse.survey)
        comments = next(i for i in r.questions if i.question.key == "better").comments
        assert len(comments) == 12
        orders.add(tuple(comments))
        assert "2026-11-0" not in html and "Nov 2026" not in html
    assert len(orders) > 1


# --- response rates -----------------------------------------------------------------------


def test_the_response_rate_is_never_shown_per_person(client, personas):
    pulse = Pulse(personas.bakery)
    kitchen, front = pulse.hire("Kitchen", 6), pulse.hire("Front", 6)
    (driver,) = pulse.hire("Delivery", 1)
    actions.invite(pulse.survey, pulse.people, now=MONDAY)
    distribution.send_invitations(pulse.survey, now=MONDAY)
    assert len(mail.outbox) == 13
    for person in kitchen[:5] + front[:4] + [driver]:
        pulse.answer(person, enps=9)
    login(client, personas.alice)

    r, html = report(client, pulse.survey)
    rates = {rate.label: rate for rate in r.response_rate.teams}
    assert r.response_rate.overall.text == "10 of 13 (77%)"
    assert rates["Delivery"].text == f"fewer than {K} invited"
    assert rates["Delivery"].percent is None
    unshown = 13 - sum(rate.invited for rate in rates.values() if rate.verdict.shown)
    assert unshown == 0 or unshown >= K  # the driver cannot be had by subtraction either
    r, html = report(client, pulse.survey, team=pulse.team("Delivery"))
    assert not r.response_rate.overall.verdict.shown
    for person in pulse.people:
        assert person.name not in html and person.email not in html

    url = reverse("feedback:results-csv", args=[personas.bakery.slug, pulse.survey.pk])
    body = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    delivery = next(row for row in csv.reader(io.StringIO(body)) if row[4] == "team: Delivery")
    assert delivery[6] == ""  # no rate
    assert all(person.name not in body for person in pulse.people)
