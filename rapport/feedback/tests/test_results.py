"""The results page and its CSV: scores, distributions, choices, comments, filters, breakdowns
and response rates, for the roles that may see them."""

import csv
import datetime as dt
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.accounts.choices import AuditAction
from rapport.accounts.models import AuditEvent
from rapport.feedback import actions
from rapport.feedback.choices import Anonymity, Channel, SurveyStatus
from rapport.feedback.tests.test_reidentification import MONDAY, Pulse, report
from rapport.people.actions import create_person
from rapport.test import login


def open_survey(workspace, blueprint="", **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def customers(workspace, n, segment=""):
    return [
        create_person(
            workspace,
            group="customer",
            name=f"Customer Number{i}",
            email=f"c{i}@example.com",
            segment=segment,
        )
        for i in range(n)
    ]


def csv_url(survey):
    return reverse("feedback:results-csv", args=[survey.workspace.slug, survey.pk])


def download(client, survey, **filters):
    response = client.get(csv_url(survey), filters)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_viewer_sees_the_enps_its_distribution_and_the_comments(client, personas):
    pulse = Pulse(personas.bakery)
    scores = [10, 9, 9, 8, 7, 6, 3, 10, 9, None]
    for i, (person, score) in enumerate(zip(pulse.hire("Kitchen", 10), scores, strict=True)):
        pulse.answer(person, enps=score, comment=f"Idea {i}: more flour")
    login(client, personas.vera)

    r, html = report(client, pulse.survey)

    assert r.respondents.n == 10
    enps = next(i for i in r.questions if i.question.key == "enps")
    # 5 promoters, 2 detractors, 9 answers (the blank is not a zero).
    assert enps.score.result.n == 9
    assert enps.score.text == "+33"
    assert "eNPS: +33" in html and "from 9 answers" in html
    assert {bar.label: bar.count for bar in enps.bars}["9"] == 3
    comments = next(i for i in r.questions if i.question.key == "better").comments
    assert sorted(comments) == [f"Idea {i}: more flour" for i in range(10)]
    assert "Idea 3: more flour" in html


def test_satisfaction_effort_and_choices_are_scored_without_names(client, personas):
    survey = open_survey(personas.bakery, "post_visit_csat", anonymity=Anonymity.CONFIDENTIAL)
    questions = {q.key: q for q in survey.questions.all()}
    answers = [(5, 7, "Quality"), (4, 6, "Quality, Speed"), (3, 5, "Price"), (5, 2, "Choice"),
               (2, 4, "Speed"), (4, 6, "")]  # fmt: skip
    for person, (csat, ces, stood_out) in zip(customers(personas.bakery, 6), answers, strict=True):
        actions.submit_response(
            survey,
            {questions["csat"]: csat, questions["ces"]: ces, questions["stood_out"]: stood_out},
            channel=Channel.PUBLIC,
            person=person,
            now=MONDAY,
        )
    login(client, personas.vera)

    r, html = report(client, survey)

    by_key = {i.question.key: i for i in r.questions}
    assert by_key["csat"].score.text == "67%"  # 4 of 6 answered 4 or 5
    assert by_key["ces"].score.text == "5.0"
    assert {b.label: b.count for b in by_key["stood_out"].bars} == {
        "Quality": 2,
        "Friendliness": 0,
        "Speed": 2,
        "Price": 1,
        "Choice": 1,
        "Cleanliness": 0,
    }
    assert "Customer Number" not in html  # confidential: groups only


def test_an_identified_survey_lists_answers_with_names_and_says_when_a_score_is_thin(
    client, personas
):
    survey = open_survey(personas.bakery, "customer_nps")
    nps_q = survey.questions.get(key="nps")
    for person, score in zip(customers(personas.bakery, 2), [10, 3], strict=True):
        actions.submit_response(
            survey, {nps_q: score}, channel=Channel.PUBLIC, person=person, now=MONDAY
        )
    login(client, personas.vera)

    r, html = report(client, survey)

    assert sorted(n.name for n in r.named) == ["Customer Number0", "Customer Number1"]
    assert "Answers with names" in html
    assert "NPS: not enough answers for a score" in html and "a score needs 5" in html


def test_a_filter_by_round_shows_only_that_round(client, personas):
    pulse = Pulse(personas.bakery)
    later = MONDAY + dt.timedelta(days=7)
    for person in pulse.hire("Kitchen", 6):
        pulse.answer(person, comment="first week")
    for person in pulse.hire("Front", 5):
        pulse.answer(person, comment="second week", now=later)
    login(client, personas.vera)

    everyone, _ = report(client, pulse.survey)
    first, _ = report(client, pulse.survey, period="2026-W45")

    assert everyone.respondents.n == 11 and first.respondents.n == 6
    assert [value for value, _ in everyone.options.period] == ["2026-W46", "2026-W45"]
    assert everyone.options.period_name == "Round"


def test_a_breakdown_by_segment_has_a_column_per_segment(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 6, segment="part-time"):
        pulse.answer(person, enps=9)
    for person in pulse.hire("Front", 6, segment="full-time"):
        pulse.answer(person, enps=5)
    login(client, personas.vera)

    r, html = report(client, pulse.survey, by="segment")

    assert r.breakdown.columns == ["full-time", "part-time"]
    enps = next(line for line in r.breakdown.lines if "recommend" in line.label)
    assert [cell.text for cell in enps.cells] == ["-100", "+100"]
    assert enps.total.text == "+0"
    assert "By segment" in html


def test_an_unknown_filter_is_named_and_everyone_is_shown(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 5):
        pulse.answer(person, enps=9)
    login(client, personas.vera)

    r, html = report(client, pulse.survey, team="99999", by="shoe size")

    assert r.respondents.n == 5 and r.filters.team == ""
    assert "There is no team “99999” in these results; showing every team." in html
    assert "cannot be broken down by “shoe size”" in html


def test_the_page_takes_the_same_number_of_queries_for_ten_or_forty_answers(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 10):
        pulse.answer(person, enps=9, comment="ok")
    login(client, personas.vera)
    url = reverse("feedback:results", args=[personas.bakery.slug, pulse.survey.pk])

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"by": "team"})
    for person in pulse.hire("Front", 30):
        pulse.answer(person, enps=7, comment="fine")
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"by": "team"})

    assert len(few) == len(many) <= 15


def test_the_csv_is_for_managers_and_is_audited(client, personas):
    pulse = Pulse(personas.bakery)
    for person in pulse.hire("Kitchen", 6):
        pulse.answer(person, enps=9, comment="Private thoughts")

    for user in (personas.vera, personas.bob):
        assert login(client, user).get(csv_url(pulse.survey)).status_code == 404
    rows = download(login(client, personas.alice), pulse.survey, by="team")

    assert rows[0][:5] == ["question_key", "question", "kind", "measure", "group"]
    enps = next(row for row in rows if row[0] == "enps" and row[3] == "eNPS")
    assert enps[4:7] == ["Everyone", "6", "100"]
    assert not any("Private thoughts" in cell for row in rows for cell in row)
    event = AuditEvent.objects.get(workspace=personas.bakery, action=AuditAction.EXPORT)
    assert event.actor == personas.alice and "aggregated" in event.object_repr


def test_the_csv_neutralises_formulas(client, personas):
    survey = open_survey(
        personas.bakery,
        title="Formula test",
        anonymity=Anonymity.ANONYMOUS,
        questions=[{"kind": "nps", "text": '=HYPERLINK("http://evil.example")', "key": "nps"}],
    )
    question = survey.questions.get()
    for score in (9, 10, 8, 7, 2):
        actions.submit_response(survey, {question: score}, channel=Channel.PUBLIC, now=MONDAY)

    rows = download(login(client, personas.alice), survey)

    questions = {row[1] for row in rows[1:] if row[1] and row[1] != "Respondents"}
    assert questions == {'\'=HYPERLINK("http://evil.example")'}


def test_the_response_rate_counts_links_sent_or_answered(client, personas):
    pulse = Pulse(personas.bakery)
    people = pulse.hire("Kitchen", 8)
    for person in people[:6]:
        pulse.answer(person, enps=9)
    actions.invite(pulse.survey, people, now=MONDAY)  # links made for two, never sent
    login(client, personas.vera)

    r, html = report(client, pulse.survey)

    assert r.response_rate.overall.text == "6 of 6 (100%)"
    assert "Personal links answered out of those sent" in html


def test_a_survey_of_another_business_is_not_found(client, personas):
    pulse = Pulse(personas.garage)
    url = reverse("feedback:results", args=[personas.bakery.slug, pulse.survey.pk])
    assert login(client, personas.alice).get(url).status_code == 404


def test_a_one_off_survey_is_filtered_by_month(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    nps_q = survey.questions.get(key="nps")
    october, november = customers(personas.bakery, 2)
    for person, when in ((october, MONDAY - dt.timedelta(days=10)), (november, MONDAY)):
        actions.submit_response(survey, {nps_q: 9}, channel=Channel.PUBLIC, person=person, now=when)
    login(client, personas.vera)

    r, _ = report(client, survey, period="2026-11")

    assert r.options.period_name == "Month"
    assert [value for value, _ in r.options.period] == ["2026-11", "2026-10"]
    assert r.respondents.n == 1
    assert [n.name for n in r.named] == [november.name]


def test_a_survey_with_no_answers_says_so(client, personas):
    survey = open_survey(personas.bakery, "employee_pulse")
    login(client, personas.vera)

    r, html = report(client, survey)

    assert r.empty and "No responses yet." in html
    assert "Not enough responses" not in html
