"""The dashboard pages, read as members of each role and as a stranger: what they show after
a refresh, who may change the weights and download the CSV, the anonymity of survey scores
cut by team, and what a page says when it cannot show what was asked."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from rapport.accounts.models import AuditEvent
from rapport.engine.periods import MONTH, QUARTER, window_of
from rapport.feedback.choices import Anonymity, QuestionKind
from rapport.insights.actions import refresh_snapshots
from rapport.insights.models import InsightSettings
from rapport.insights.tests.factories import (
    Bakery,
    answer,
    last_month,
    noon,
    person,
    survey,
    today_of,
)
from rapport.people.choices import Group
from rapport.people.models import Delivery, Team
from rapport.test import login

GROUP_SLUGS = ("customers", "employees", "suppliers", "community")


def url(name, workspace, *args) -> str:
    return reverse(f"insights:{name}", args=[workspace.slug, *args])


def every_page(workspace) -> list[str]:
    return [
        url("overview", workspace),
        *[url("group", workspace, slug) for slug in GROUP_SLUGS],
        url("metric", workspace, "customers", "nps"),
        url("metric", workspace, "employees", "absenteeism"),
        url("metric", workspace, "suppliers", "on_time"),
        url("report", workspace),
        url("weights", workspace),
        url("export", workspace),
    ]


def text_of(html: str) -> str:
    """The words of some HTML, without its charts."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, href_part: str) -> str:
    """The words of the table row whose first link points at ``href_part``."""
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if re.search(rf'<th scope="row"><a href="[^"]*{re.escape(href_part)}', row):
            return text_of(row)
    raise AssertionError(f"no row links to {href_part}")


def csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def shown(page_group, key):
    for _, s in page_group.components:
        if s.key == key:
            return s
    return next(s for s in page_group.extras if s.key == key)


@pytest.fixture
def bakery(personas) -> Bakery:
    found = Bakery(personas)
    refresh_snapshots(found.workspace, full=True)
    return found


def test_every_page_answers_the_owner_after_a_refresh(client, personas, bakery):
    login(client, personas.alice)

    for page in every_page(bakery.workspace):
        assert client.get(page, {"period": bakery.month.label}).status_code == 200, page


def test_the_pages_show_the_refreshed_figures(client, personas, bakery):
    ws, month = bakery.workspace, bakery.month
    login(client, personas.alice)

    overview = client.get(url("overview", ws), {"period": month.label})
    group = client.get(url("group", ws, "customers"), {"period": month.label})
    metric = client.get(url("metric", ws, "customers", "nps"), {"period": month.label})
    csv = client.get(url("export", ws), {"every": "month"})

    assert shown(overview.context["page"].group("customer"), "nps").text == "+17"
    on_time = shown(overview.context["page"].group("supplier"), "on_time")
    assert on_time.result.value == 50.0 and on_time.text == "not enough data"  # 2 deliveries
    assert "Figures as of" in overview.content.decode()
    assert "+17" in row_of(group.content.decode(), "/customers/nps/")
    assert metric.context["current"].text == "+17"
    # Three answers a segment: survey scores hidden; the business's own records shown.
    segments = dict(metric.context["breakdowns"])["segment"]
    assert {r.label: r.text for r in segments} == {"Regulars": "hidden", "Tourists": "hidden"}
    touch = client.get(url("metric", ws, "customers", "human_touch"), {"period": month.label})
    segments = dict(touch.context["breakdowns"])["segment"]
    assert {r.label: r.result.value for r in segments} == {"Regulars": 100.0, "Tourists": 0.0}
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert f"customer,nps,{month.label},{month.start},{month.end},,16.67,6," in csv_text(csv)
    assert AuditEvent.objects.filter(workspace=ws, object_type="dashboard").exists()


def test_a_member_of_another_business_gets_404_everywhere(client, personas, bakery):
    login(client, personas.charlie)

    for page in every_page(bakery.workspace):
        assert client.get(page).status_code == 404, page
    assert client.post(url("weights", bakery.workspace), {"w-customer-nps": "3"}).status_code == 404
    assert client.post(url("refresh", bakery.workspace)).status_code == 404
    assert InsightSettings.objects.get(workspace=bakery.workspace).weights == {}


def test_a_viewer_reads_the_dashboards_but_changes_and_downloads_nothing(client, personas, bakery):
    ws = bakery.workspace
    login(client, personas.vera)

    assert client.get(url("overview", ws)).status_code == 200
    weights = client.get(url("weights", ws))
    assert weights.status_code == 200
    assert "Owners and managers can change the weights." in weights.content.decode()
    assert client.post(url("weights", ws), {"w-customer-nps": "3"}).status_code == 404
    assert InsightSettings.objects.get(workspace=ws).weights == {}
    assert client.get(url("export", ws)).status_code == 404  # managers only
    assert client.post(url("refresh", ws)).status_code == 404
    assert "Download CSV" not in client.get(url("overview", ws)).content.decode()


def test_staff_may_not_download_the_csv_either(client, personas, bakery):
    login(client, personas.bob)

    assert client.get(url("export", bakery.workspace)).status_code == 404


def test_a_negative_weight_is_refused_naming_the_component_and_nothing_is_saved(
    client, personas, bakery
):
    ws = bakery.workspace
    login(client, personas.alice)

    response = client.post(url("weights", ws), {"w-customer-nps": "-1", "g-employee": "abc"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "NPS: a weight lies between 0 and 100, not -1." in html
    assert "Employees: “abc” is not a number." in html
    state = InsightSettings.objects.get(workspace=ws)
    assert (state.weights, state.group_weights) == ({}, {})
    assert not AuditEvent.objects.filter(workspace=ws, object_repr__contains="Index weights")


def test_every_weight_of_a_group_at_zero_is_refused(client, personas, bakery):
    ws = bakery.workspace
    login(client, personas.alice)
    zeros = {f"w-community-{key}": "0" for key in ("participation", "community_rating")}

    response = client.post(url("weights", ws), zeros)

    assert "Community: at least one weight must be above 0" in response.content.decode()
    assert InsightSettings.objects.get(workspace=ws).weights == {}


def test_valid_weights_are_saved_and_audited(client, personas, bakery):
    ws = bakery.workspace
    login(client, personas.alice)

    response = client.post(url("weights", ws), {"w-customer-nps": "2,5", "g-employee": "0.5"})

    assert response.status_code == 302 and response["Location"] == url("weights", ws)
    state = InsightSettings.objects.get(workspace=ws)
    assert state.weights["customer"]["nps"] == 2.5
    assert state.weights["customer"]["csat"] == 1.0  # untouched fields keep their weight
    assert state.group_weights["employee"] == 0.5
    event = AuditEvent.objects.get(workspace=ws, object_repr="Relational Capital Index weights")
    assert event.actor == personas.alice
    assert event.changes["group_weights"][1]["employee"] == 0.5
    assert (
        'id="w-customer-nps" name="w-customer-nps" type="number" min="0" max="100" step="any" value="2.50"'
        in client.get(url("weights", ws)).content.decode()
    )


def quarter_of_last_month(workspace):
    return window_of(last_month(workspace).start, QUARTER)


@pytest.fixture
def teams(personas):
    """An anonymous eNPS survey last month: the Kitchen (6 answers, all 9 or 10), the Front
    (5 answers, all 0) and the Bar (2 answers: 10 and 0)."""
    ws = personas.bakery
    at = noon(ws, last_month(ws).start + dt.timedelta(days=9))
    pulse = survey(ws, QuestionKind.ENPS, audience=Group.EMPLOYEE, anonymity=Anonymity.ANONYMOUS)
    for team, scores in (("Kitchen", (10, 10, 10, 9, 9, 9)), ("Front", (0,) * 5), ("Bar", (10, 0))):
        crew = Team.objects.create(workspace=ws, name=team)
        for i, score in enumerate(scores):
            answer(
                pulse, person(ws, Group.EMPLOYEE, f"{team} Worker{i}", team=crew), score, when=at
            )
    refresh_snapshots(ws, full=True)
    return ws


def test_a_team_with_fewer_answers_than_the_threshold_is_hidden_without_its_size(
    client, personas, teams
):
    ws, month = teams, quarter_of_last_month(teams)
    login(client, personas.alice)

    response = client.get(url("group", ws, "employees"), {"period": month.label, "team": "Bar"})

    enps = shown(response.context["section"], "enps")
    assert enps.hidden.startswith("hidden to protect anonymity") and enps.result is None
    row = row_of(response.content.decode(), "/employees/enps/")
    assert "hidden" in row
    assert not re.search(r"\b2\b", row)  # the Bar's two answers
    metric = client.get(
        url("metric", ws, "employees", "enps"), {"period": month.label, "team": "Bar"}
    )
    assert metric.context["current"].text == "hidden"
    assert metric.context["parts"] == []
    assert "n = 2" not in metric.content.decode()
    assert metric.context["evidence"].items == []
    csv = client.get(url("export", ws), {"every": "quarter", "team": "Bar"})
    line = next(
        x for x in csv_text(csv).splitlines() if x.startswith(f"employee,enps,{month.label}")
    )
    assert line.split(",")[6:8] == ["", ""]  # no value, no n
    assert "hidden to protect anonymity" in line
    # A team big enough, with enough others beside it, is shown.
    kitchen = client.get(url("group", ws, "employees"), {"period": month.label, "team": "Kitchen"})
    assert shown(kitchen.context["section"], "enps").text == "+100"
    # By month, a team's survey scores are not shown at all: a month could be subtracted
    # from its quarter.
    by_month = client.get(
        url("group", ws, "employees"), {"period": last_month(ws).label, "team": "Kitchen"}
    )
    assert "shown by quarter only" in shown(by_month.context["section"], "enps").hidden
    assert "enps" not in kitchen.context["section"].sparklines
    assert "absenteeism" in kitchen.context["section"].sparklines
    chart = client.get(
        url("metric", ws, "employees", "enps"),
        {"period": month.label, "team": "Kitchen", "every": "month"},
    )
    assert chart.context["every"] == "quarter"
    assert [x.text for w, x in chart.context["series"] if w == month] == ["+100"]


def test_the_breakdown_hides_small_teams_and_the_next_smallest_that_would_give_them_away(
    client, personas, teams
):
    ws, month = teams, quarter_of_last_month(teams)
    login(client, personas.alice)

    response = client.get(url("metric", ws, "employees", "enps"), {"period": month.label})

    rows = {r.label: r for r in dict(response.context["breakdowns"])["team"]}
    assert rows["Kitchen"].shown and rows["Kitchen"].text == "+100"
    # The Bar (2) is under the threshold; then everyone (13) minus the Kitchen (6) minus the
    # Front (5) would give it away, so the Front is hidden too.
    assert not rows["Bar"].shown and not rows["Front"].shown
    html = response.content.decode()
    assert "-100" not in text_of(html.split("By team")[1].split("Behind the number")[0])


def test_a_team_hidden_in_the_breakdown_is_not_shown_on_its_own(client, personas, teams):
    ws, month = teams, quarter_of_last_month(teams)
    login(client, personas.alice)

    breakdown = client.get(url("metric", ws, "employees", "enps"), {"period": month.label})
    hidden = [r.label for r in dict(breakdown.context["breakdowns"])["team"] if not r.shown]
    alone = {
        team: client.get(
            url("metric", ws, "employees", "enps"), {"period": month.label, "team": team}
        )
        .context["current"]
        .shown
        for team in hidden
    }

    assert hidden == ["Bar", "Front"]
    assert alone == {"Bar": False, "Front": False}


def test_comments_of_an_anonymous_survey_wait_until_enough_people_wrote_one(client, personas):
    ws = personas.bakery
    at = noon(ws, last_month(ws).start + dt.timedelta(days=9))
    poll = survey(ws, anonymity=Anonymity.ANONYMOUS, comment=True)
    for i, score in enumerate((10, 9, 8, 7, 3, 2)):
        who = person(ws, Group.CUSTOMER, f"Customer Number{i}")
        answer(poll, who, score, when=at, comment=f"Secret remark {i}")
    refresh_snapshots(ws, full=True)
    login(client, personas.alice)
    page = url("metric", ws, "customers", "nps")

    response = client.get(page, {"period": last_month(ws).label})

    html = response.content.decode()
    assert "Secret remark" not in html
    assert "appear once at least 8 people in this group have written one" in html
    evidence = response.context["evidence"]
    assert len(evidence.items) == 6 and {i.note for i in evidence.items} == {"comment withheld"}
    assert not any(i.who or i.person_id for i in evidence.items)

    ws.min_comment_group_size = 6
    ws.save(update_fields=["min_comment_group_size"])
    assert "Secret remark 3" in client.get(page, {"period": last_month(ws).label}).content.decode()


def test_two_filters_at_once_show_one_and_say_why(client, personas, bakery):
    ws = bakery.workspace
    login(client, personas.alice)
    both = {"period": bakery.month.label, "segment": "Regulars", "team": "Kitchen"}

    for page in (
        url("overview", ws),
        url("group", ws, "customers"),
        url("metric", ws, "customers", "nps"),
    ):
        response = client.get(page, both)
        assert response.status_code == 200
        assert "One filter at a time" in response.content.decode(), page
        assert response.context["f"].cut == ("segment", "Regulars")


@pytest.mark.parametrize("period", ["2026-13", "x", "2026-Q5", "2026-W60", "2999-01"])
def test_a_bad_period_gives_a_message_not_an_error(client, personas, bakery, period):
    ws = bakery.workspace
    login(client, personas.alice)

    for page in (
        url("overview", ws),
        url("group", ws, "suppliers"),
        url("metric", ws, "customers", "nps"),
        url("report", ws),
    ):
        response = client.get(page, {"period": period})
        assert response.status_code == 200, page
        problems = " ".join(response.context["f"].problems)
        assert f"showing {response.context['f'].period.title}" in problems
    assert f"“{period}” is not a period" in problems or "has not started" in problems


def test_without_a_period_the_pages_show_the_quarter_the_figures_run_through(
    client, personas, bakery
):
    ws = bakery.workspace
    login(client, personas.alice)
    this_quarter = client.get(url("overview", ws)).context["f"].period
    a_year_ago = this_quarter.start - dt.timedelta(days=365)
    InsightSettings.objects.filter(workspace=ws).update(refreshed_through=a_year_ago)

    earlier = client.get(url("overview", ws)).context["f"].period

    assert this_quarter.start <= today_of(ws) < this_quarter.end
    assert earlier.every == "quarter" and earlier.start <= a_year_ago < earlier.end


def test_a_workspace_never_refreshed_says_so_instead_of_failing(client, personas):
    ws = personas.bakery
    login(client, personas.alice)

    response = client.get(url("overview", ws))

    assert response.status_code == 200
    assert "The figures have not been computed yet" in response.content.decode()
    for page in every_page(ws):
        assert client.get(page).status_code == 200, page
    assert "not been computed yet" in client.get(url("group", ws, "employees")).content.decode()


def test_a_write_after_the_refresh_says_newer_data_is_waiting(client, personas, bakery):
    from rapport.people.actions import record_interaction
    from rapport.people.choices import Channel, Direction

    record_interaction(
        bakery.customers["Gus"],
        occurred_at=bakery.at,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
    )
    login(client, personas.alice)

    html = client.get(url("overview", bakery.workspace)).content.decode()

    assert "newer data is waiting for the next update" in html


def test_an_unknown_group_or_metric_is_404(client, personas, bakery):
    login(client, personas.alice)

    assert client.get(url("group", bakery.workspace, "investors")).status_code == 404
    assert client.get(url("metric", bakery.workspace, "customers", "enps")).status_code == 404


def test_a_metric_page_gives_the_library_definition_and_its_source(client, personas, bakery):
    login(client, personas.alice)

    nps = text_of(client.get(url("metric", bakery.workspace, "customers", "nps")).content.decode())
    on_time = client.get(url("metric", bakery.workspace, "suppliers", "on_time"))

    assert "Definition, source and interval" in nps
    assert "Reichheld 2003" in nps and "Rocks (2016)" in nps
    assert ">>>" not in nps
    assert "Definition, source and interval" in on_time.content.decode()


def test_a_metric_page_words_its_parts_scoring_and_deliveries_for_people(client, personas, bakery):
    ws = bakery.workspace
    Delivery.objects.create(
        workspace=ws,
        supplier=bakery.mill,
        promised_on=bakery.day,
        delivered_on=bakery.day + dt.timedelta(days=1),
        quantity=Decimal("25.000"),
        defective_quantity=Decimal("0.000"),
    )
    login(client, personas.alice)

    page = client.get(url("metric", ws, "suppliers", "on_time"), {"period": bakery.month.label})
    text = text_of(page.content.decode())

    assert ("On time count", "1") in page.context["parts"]
    assert "In the index as “On-time deliveries”: 0% or less → 0, 100% or more → 100." in text
    assert "1 day late" in text and "2 days late" in text
    assert "0 of 25 defective" in text


def test_a_month_that_would_give_away_a_smaller_month_through_its_quarter_is_hidden(
    client, personas
):
    """Last quarter's anonymous eNPS: 6 answers in its first month, 6 in its second, 3 in
    its third. The third month is hidden (3 < 5); the quarter (15) is shown; so one of the
    other months must be hidden too, or the quarter minus them is the third month."""
    ws = personas.bakery
    quarter = window_of(today_of(ws), QUARTER).previous()
    months = [window_of(quarter.start, MONTH)]
    while len(months) < 3:
        months.append(window_of(months[-1].end, MONTH))
    pulse = survey(ws, QuestionKind.ENPS, audience=Group.EMPLOYEE, anonymity=Anonymity.ANONYMOUS)
    for month, scores in zip(months, ((10,) * 6, (9,) * 6, (0,) * 3), strict=True):
        at = noon(ws, month.start + dt.timedelta(days=14))
        for i, score in enumerate(scores):
            answer(pulse, person(ws, Group.EMPLOYEE, f"{month.label} {i}"), score, when=at)
    refresh_snapshots(ws, full=True)
    login(client, personas.alice)

    def enps(period):
        page = client.get(url("group", ws, "employees"), {"period": period.label})
        return shown(page.context["section"], "enps")

    assert enps(quarter).text == "+60"  # (6 + 6 promoters − 3 detractors) of 15
    first, second, third = (enps(m) for m in months)
    assert third.hidden and first.hidden and second.text == "+100"
    assert "fewer than 5 answers be worked out" in first.hidden
    csv = csv_text(client.get(url("export", ws), {"every": "month"}))
    lines = [x for x in csv.splitlines() if x.startswith("employee,enps,")]
    assert [x.split(",")[2] for x in lines if x.split(",")[6]] == [months[1].label]
    # The first month's answers all came in one week: shown, that week would be the month.
    weekly = csv_text(client.get(url("export", ws), {"every": "week"})).splitlines()
    shown_weeks = [
        x.split(",")[3] for x in weekly if x.startswith("employee,enps,") and x.split(",")[6]
    ]
    assert [dt.date.fromisoformat(d).month for d in shown_weeks] == [months[1].start.month]


def test_the_dashboards_say_how_many_messages_are_still_being_read(client, personas, bakery):
    from django_tasks_db.models import DBTaskResult

    from rapport.understanding.tasks import analyze_block, analyze_workspace

    ws = bakery.workspace
    login(client, personas.alice)
    assert "in the background" not in client.get(url("overview", ws)).content.decode()

    analyze_workspace.enqueue(ws.pk)

    for page in (url("overview", ws), url("group", ws, "customers")):
        words = text_of(client.get(page).content.decode())
        assert "Reading 4 messages in the background" in words, page
    DBTaskResult.objects.filter(task_path__endswith="analyze_workspace").update(status="SUCCESSFUL")
    assert "Reading" not in text_of(client.get(url("overview", ws)).content.decode())
    # A big backlog is split into blocks once the first task has run: still being read.
    analyze_block.enqueue(ws.pk, 0)
    assert "Reading 4 messages" in text_of(client.get(url("overview", ws)).content.decode())
    analyze_block.enqueue(ws.pk + 1, 0)  # another business's block says nothing here
    DBTaskResult.objects.filter(args_kwargs__args__0=ws.pk).update(status="SUCCESSFUL")
    assert "Reading" not in text_of(client.get(url("overview", ws)).content.decode())


def test_update_now_queues_this_business_once_and_no_other(client, personas, bakery):
    from django_tasks_db.models import DBTaskResult

    login(client, personas.alice)
    for _ in range(2):
        assert client.post(url("refresh", bakery.workspace)).status_code == 302
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_workspace")
    assert [r.args_kwargs["args"] for r in queued] == [[bakery.workspace.pk]]
    assert not DBTaskResult.objects.filter(task_path__endswith="refresh_all").exists()
