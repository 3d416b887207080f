"""Employees: the chance of leaving within half a year, learned from the business's own past
(``engine.predict.ChurnModel``) and shown by team.

The history is read as *snapshots*: at the start of each quarter of the last three years,
every employee then in post is a row, described by what was known that day (tenure,
absences over the last 90 days and the 90 before, how their messages read, their team's
pulse, workload and eNPS answers), and labelled by whether they left within the horizon
after it. The model fitted on those rows scores everyone in post today.

Privacy: team figures are told only for teams of at least the business's anonymity
threshold; team survey answers enter the model only from periods with at least that many
answers; individual scores are stored only where the business turned them on
(``PredictionSettings.individual_employee_scores``) and are shown to the person's own
manager and the owner, every view audited (``actions.view_individual``).
"""

import datetime as dt
from collections import defaultdict

import numpy as np
import pandas as pd

from rapport.accounts.models import Workspace
from rapport.engine.predict import ChurnModel, attrition
from rapport.feedback.choices import QuestionKind, SurveyKind
from rapport.feedback.models import Answer
from rapport.people.choices import EXIT_KINDS, Direction, EmploymentEventKind, Group
from rapport.people.models import EmploymentEvent, Person
from rapport.understanding.models import InteractionReading

HORIZON_DAYS = 182
PRIOR_VERSION = "attrition-prior-1"
STEP_DAYS = 91
HISTORY_DAYS = 3 * 365
WINDOW = 90

# Each feature, in an owner's words (for the drivers).
WORDS = {
    "tenure_years": "time with the business (years)",
    "absence_days": "days absent over the last 90 days",
    "absence_change": "change in days absent against the 90 days before",
    "mood": "how their messages read (-1 to 1)",
    "team_pulse": "team pulse (1-5)",
    "team_workload": "team's answer on workload (1-5)",
    "team_enps": "team eNPS answers (0-10)",
}


def _employees(workspace: Workspace) -> list[dict]:
    return list(
        Person.objects.filter(workspace=workspace, group=Group.EMPLOYEE)
        .order_by("pk")
        .values("id", "team_id", "start_date", "end_date", "may_analyse")
    )


def _exits(workspace: Workspace, people: list[dict]) -> dict[int, dt.date]:
    """Each leaver's last day: the exit event, else the end date."""
    left = {p["id"]: p["end_date"] for p in people if p["end_date"]}
    for pk, day in EmploymentEvent.objects.filter(
        workspace=workspace, kind__in=EXIT_KINDS
    ).values_list("person_id", "date"):
        left[pk] = min(day, left.get(pk, day))
    return left


def _absences(workspace: Workspace) -> dict[int, list[tuple[dt.date, float]]]:
    found = defaultdict(list)
    for pk, day, days in EmploymentEvent.objects.filter(
        workspace=workspace, kind=EmploymentEventKind.ABSENCE
    ).values_list("person_id", "date", "days"):
        found[pk].append((day, float(days) if days is not None else 1.0))
    return found


def _moods(workspace: Workspace, since: dt.date) -> dict[int, list[tuple[dt.date, float]]]:
    found = defaultdict(list)
    for pk, at, score in InteractionReading.objects.filter(
        workspace=workspace,
        interaction__person__group=Group.EMPLOYEE,
        interaction__person__may_analyse=True,
        interaction__direction=Direction.INBOUND,
        interaction__occurred_at__date__gte=since,
        sentiment_score__isnull=False,
    ).values_list("interaction__person_id", "interaction__occurred_at", "sentiment_score"):
        found[pk].append((at.astimezone(workspace.zone).date(), score))
    return found


def _team_answers(workspace: Workspace, since: dt.date) -> dict[str, dict[int, list[tuple]]]:
    """Survey answers given for a team, by feature and team: (day, response, score)."""
    base = Answer.objects.filter(
        response__workspace=workspace,
        response__team__isnull=False,
        response__submitted_on__gte=since,
        number__isnull=False,
    ).order_by()
    queries = {
        "team_pulse": base.filter(
            response__survey__kind=SurveyKind.PULSE, question__kind=QuestionKind.LIKERT
        ),
        "team_workload": base.filter(
            question__kind=QuestionKind.LIKERT, question__topic="workload"
        ),
        "team_enps": base.filter(question__kind=QuestionKind.ENPS),
    }
    found = {}
    for feature, query in queries.items():
        by_team = defaultdict(list)
        for team, *answer in query.values_list(
            "response__team_id", "response__submitted_on", "response_id", "number"
        ):
            by_team[team].append(tuple(answer))
        found[feature] = by_team
    return found


def _window_mean(rows, start: dt.date, end: dt.date) -> float:
    values = [v for day, v in rows if start < day <= end]
    return float(np.mean(values)) if values else np.nan


def _team_window(answers, start, end, min_group: int) -> float:
    """A team's mean answer over a window, or missing under the anonymity threshold."""
    inside = [(response, score) for day, response, score in answers if start < day <= end]
    responses = {response for response, _ in inside}
    return float(np.mean([score for _, score in inside])) if len(responses) >= min_group else np.nan


def snapshot(people, day, *, absences, moods, answers, min_group) -> pd.DataFrame:
    """One row per employee in post on ``day``, described by what was known then."""
    rows, index = [], []
    start = day - dt.timedelta(days=WINDOW)
    before = start - dt.timedelta(days=WINDOW)
    cache = {}
    for p in people:
        began = p["start_date"]
        if began and began > day:
            continue
        team = p["team_id"]
        if team not in cache:
            cache[team] = {
                feature: _team_window(by_team.get(team, ()), start, day, min_group)
                for feature, by_team in answers.items()
            }
        absent = sum(d for when, d in absences.get(p["id"], ()) if start < when <= day)
        absent_before = sum(d for when, d in absences.get(p["id"], ()) if before < when <= start)
        rows.append(
            {
                "tenure_years": (day - began).days / 365.25 if began else np.nan,
                "absence_days": absent,
                "absence_change": absent - absent_before,
                "mood": _window_mean(moods.get(p["id"], ()), start, day)
                if p["may_analyse"]
                else np.nan,
                **cache[team],
            }
        )
        index.append(p["id"])
    return pd.DataFrame(rows, index=pd.Index(index, name="person_id"))


def forecast(
    workspace: Workspace, as_of: dt.date, *, individual: bool = False
) -> tuple[dict, list[dict]]:
    """The run's fields, and a row per team (and per employee when ``individual``)."""
    people = _employees(workspace)
    left = _exits(workspace, people)
    since = as_of - dt.timedelta(days=HISTORY_DAYS + 2 * WINDOW)
    facts = {
        "absences": _absences(workspace),
        "moods": _moods(workspace, since),
        "answers": _team_answers(workspace, since),
        "min_group": workspace.min_group_size,
    }
    in_post = [p for p in people if p["id"] not in left or left[p["id"]] > as_of]
    team_of = {p["id"]: p["team_id"] or 0 for p in people}
    now = snapshot(in_post, as_of, **facts)
    history, labels = [], []
    day = as_of - dt.timedelta(days=HORIZON_DAYS)
    while day >= as_of - dt.timedelta(days=HISTORY_DAYS):
        then = [p for p in people if p["id"] not in left or left[p["id"]] > day]
        frame = snapshot(then, day, **facts)
        history.append(frame)
        horizon = day + dt.timedelta(days=HORIZON_DAYS)
        labels += [int(pk in left and left[pk] <= horizon) for pk in frame.index]
        day -= dt.timedelta(days=STEP_DAYS)
    X = pd.concat(history) if history else now.iloc[0:0]
    y = np.array(labels)
    summary = {
        "employees": len(now),
        "rows": len(X),
        "leavers": int(y.sum()) if len(y) else 0,
        "horizon_days": HORIZON_DAYS,
        "min_group": workspace.min_group_size,
    }
    departures = sum(
        1 for day in left.values() if as_of - dt.timedelta(days=HISTORY_DAYS) <= day <= as_of
    )
    summary["departures"] = departures
    if now.empty:
        run = {
            "enough": False,
            "message": "Nobody is in post: no employees to predict for.",
            "summary": summary,
            "horizon_days": HORIZON_DAYS,
        }
        return run, []
    rate = attrition.base_rate(summary["leavers"], len(X))
    prior = attrition.prior_logits(now, rate)
    learned = interval = own = None
    model = ChurnModel()
    worded = now.rename(columns=WORDS)
    try:
        model.fit(X.rename(columns=WORDS), y)
        learned = model.predict_proba(worded)[:, 1]
        interval = model.predict_interval(worded)
        own = model.contributions(worded).rename(columns={v: k for k, v in WORDS.items()})
        version = f"{model.version_}+{PRIOR_VERSION}"
    except ValueError as error:
        summary["own_model"] = str(error)[:200]
        version = PRIOR_VERSION
    p, low, high, weight = attrition.blend(prior, learned, departures, learned_interval=interval)
    pushes = attrition.prior_contributions(now) * (1 - weight)
    if own is not None:
        pushes = pushes.add(own * weight, fill_value=0.0)
    summary["own_weight"] = weight
    summary["mean_risk"] = float(np.mean(p))
    used = (
        f"{departures} departure{'s' if departures != 1 else ''} in the last 3 years "
        f"({len(X)} quarterly snapshots); "
        + (
            f"{weight:.0%} from this business's own history, the rest from published research"
            if learned is not None
            else "too few to learn from: from published research only, hence the wide range"
        )
    )
    rows = _team_rows(now, team_of, p, (low, high), pushes, facts["min_group"])
    if individual:
        rows += [
            {
                "person_id": int(pk),
                "risk": float(p[i]),
                "risk_low": float(low[i]),
                "risk_high": float(high[i]),
                "reasons": _own_reasons(now.iloc[i], pushes.iloc[i]),
                "used": used[:300],
            }
            for i, pk in enumerate(now.index)
        ]
    run = {
        "enough": True,
        "used": used[:300],
        "model_version": version,
        "summary": summary,
        "horizon_days": HORIZON_DAYS,
    }
    return run, rows


def _own_reasons(values: pd.Series, pushes: pd.Series, top: int = 3) -> list[str]:
    said = []
    for column in pushes.abs().sort_values(ascending=False).index[:top]:
        if abs(pushes[column]) < 0.05 or pd.isna(values.get(column)):
            continue
        way = "raised" if pushes[column] > 0 else "lowered"
        said.append(f"{WORDS[column]}: {values[column]:.1f} {way} the chance")
    return said or ["nothing stands out: close to the business's usual"]


def _team_rows(now: pd.DataFrame, team_of, p, interval, contributions, min_group) -> list[dict]:
    """A row per team: its size, mean risk and interval when it has at least ``min_group``
    people in post, and its drivers in words (its figures against the whole business)."""
    rows = []
    for team, members in now.groupby(now.index.map(team_of)):
        if not team:
            continue
        n = len(members)
        row = {"team_id": int(team), "n": n, "enough": n >= min_group}
        if n < min_group:
            row["reasons"] = [f"fewer than {min_group} people in post: not shown"]
            rows.append(row)
            continue
        at = now.index.get_indexer(members.index)
        row["reasons"] = _drivers(members, now, contributions.iloc[at])
        row["risk"] = float(np.mean(p[at]))
        row["risk_low"] = float(np.mean(interval[0][at]))
        row["risk_high"] = float(np.mean(interval[1][at]))
        rows.append(row)
    return rows


def _drivers(members: pd.DataFrame, everyone: pd.DataFrame, contributions) -> list[str]:
    """The team's figures that stand out, largest model contribution first."""
    mean = contributions.mean().to_dict()
    pushed = [c for c in WORDS if c in mean]
    order = sorted(pushed, key=lambda c: -mean[c]) + [c for c in WORDS if c not in pushed]
    said = []
    for column in order:
        if column not in members:
            continue
        ours, all_ = members[column].mean(), everyone[column].mean()
        if pd.isna(ours) or pd.isna(all_):
            continue
        said.append(f"{WORDS[column]}: {ours:.1f} (whole business {all_:.1f})")
    return said[:4]
