"""Keeping the dashboards' snapshots up to date, and the settings of the index.

``refresh_snapshots`` is what the background task runs: it recomputes the periods whose data
changed since the last run (``mark_dirty``, called on every write that matters) and the ones
that hold today, a quarter of data at a time, then the drivers and the alerts. Pages only
ever read what it wrote.

An incremental refresh does only what can have changed: the periods ending after the
earliest changed day are recomputed whole; those that ended before it, within
``compute.REPLY_HORIZON`` (a reply counts towards the period of the message it answers), only
in their response times (``compute.REPLY_METRICS``); only the snapshots whose figures differ
are rewritten, and the
alerts, which read complete months only, are recomputed only when one of those months or
their basis (the last complete month, the anonymity threshold) changed. Its result is the
same as a full refresh's (a test holds it to that).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.db.models import Min, Q
from django.utils import timezone

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction
from rapport.accounts.models import Membership, Workspace
from rapport.engine import alerts as engine_alerts
from rapport.engine import trends
from rapport.engine.anonymity import complementary
from rapport.engine.capital import CATALOG, DEFAULT_COMPONENTS, GROUP_LABELS, GROUPS
from rapport.engine.drivers import find_drivers
from rapport.engine.metrics import Result
from rapport.engine.periods import MONTH, QUARTER, WEEK, Window, window_of, windows
from rapport.insights import compute, sources
from rapport.insights.models import Finding, InsightSettings, Snapshot
from rapport.lib import collector

# How many months of history the alerts look at, and how many recent ones they test.
ALERT_MONTHS = 12
RECENT_MONTHS = 3
# The earliest day a refresh goes back to, whatever the oldest row says (a typo'd 1901).
OLDEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class RefreshReport:
    since: dt.date | None
    periods: int
    snapshots: int
    alerts: int
    seconds: float


def settings_of(workspace: Workspace) -> InsightSettings:
    found, _ = InsightSettings.objects.get_or_create(workspace=workspace)
    return found


def mark_dirty(workspace_id: int, day: dt.date | dt.datetime | None) -> None:
    """Note that data dated ``day`` changed: the next refresh recomputes from its period on.
    One UPDATE; a business whose snapshots were never built needs nothing (its first refresh
    reads everything)."""
    if day is None or workspace_id is None:
        return
    if isinstance(day, dt.datetime):
        day = day.date()
    # Every stored answer and message comes here: one statement written out, a tenth of
    # what building the same UPDATE with the ORM costs.
    connection = connections[router.db_for_write(InsightSettings)]
    value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_MARK_DIRTY, [value, workspace_id, value])


_MARK_DIRTY = (
    f'UPDATE "{InsightSettings._meta.db_table}" SET "dirty_since" = %s '  # noqa: S608
    'WHERE "workspace_id" = %s AND ("dirty_since" IS NULL OR "dirty_since" > %s)'
)


def _first_day(workspace: Workspace) -> dt.date | None:
    """The earliest local day holding any data the dashboards read."""
    tz = workspace.zone
    candidates = []
    for model, field in sources.DAY_FIELDS:
        day = model.objects.filter(workspace=workspace).aggregate(x=Min(field))["x"]
        if isinstance(day, dt.datetime):
            day = day.astimezone(tz).date()
        if day:
            candidates.append(day)
    return max(OLDEST, min(candidates)) if candidates else None


def _analyzed_since(workspace: Workspace, moment: dt.datetime) -> list[dt.date]:
    """The earliest days of messages and responses analyzed (sentiment, themes) since
    ``moment``: analysis happens after arrival, in the background, and changes the
    sentiment and drivers of the days the texts belong to."""
    from rapport.feedback.models import ResponseReading
    from rapport.understanding.models import InteractionReading

    tz = workspace.zone
    found = []
    # From the readings (an index on their time), not the messages: a refresh reads only
    # what was analysed since, not every message of the business.
    first = InteractionReading.objects.filter(
        workspace=workspace, analysed_at__gt=moment
    ).aggregate(x=Min("interaction__occurred_at"))["x"]
    if first:
        found.append(first.astimezone(tz).date() - dt.timedelta(days=1))
    day = ResponseReading.objects.filter(workspace=workspace, analysed_at__gt=moment).aggregate(
        x=Min("response__submitted_on")
    )["x"]
    if day:
        found.append(day)
    return found


def refresh_snapshots(
    workspace: Workspace, *, full: bool = False, today: dt.date | None = None
) -> RefreshReport:
    """Bring the workspace's snapshots, drivers and alerts up to date.

    full: recompute every period from the first data on (also what happens the first time).
    Otherwise only the periods ending after the earliest changed day, or after the day of
    the last refresh (periods holding "today" change as time passes), are recomputed.
    today: the business's local today (default: now in its time zone); the demo passes its
    own "as of" day.
    """
    started = time.perf_counter()
    state = settings_of(workspace)
    today = today or workspace.today()
    first = _first_day(workspace)
    whole = full or state.refreshed_at is None
    if whole:
        since = first
    else:
        marks = [d for d in (state.dirty_since, state.refreshed_through) if d]
        marks += _analyzed_since(workspace, state.refreshed_at)
        since = max(min(marks), first) if marks and first else first
    # Clear the mark before reading, so that a write during the refresh marks it again.
    InsightSettings.objects.filter(pk=state.pk).update(dirty_since=None)
    periods = written = 0
    changed: set[tuple[str, dt.date]] = set()  # (every, start) of the periods rewritten
    if since is not None:
        since = min(since, today)
        # A period's response times count replies up to REPLY_HORIZON after its end, and
        # while that runs, the time open messages have waited so far.
        stale_from = since if whole else max(since - compute.REPLY_HORIZON, first)
        people = None
        # The people and a quarter's rows are hundreds of thousands of tuples, kept to the
        # end of the quarter: automatic collections would walk them again and again.
        with collector.held_off():
            for quarter in windows(stale_from, today, QUARTER):
                chunk = _chunk(quarter, today)
                # The periods holding a changed day are recomputed whole; the ones that ended
                # before it, within the reply horizon, only in their response times.
                stale = [w for w in chunk if whole or w.end > since]
                replied = [w for w in chunk if not whole and stale_from < w.end <= since]
                if not stale and not replied:
                    continue
                if people is None:
                    people = sources.read_people(workspace)
                read = stale + replied
                begin, last = min(w.start for w in read), max(w.end for w in read)
                data = sources.read(
                    workspace,
                    begin,
                    last,
                    people=people,
                    today=today,
                    buys_from=compute.purchases_from(stale, today),
                    messages_only=not stale,
                )
                results = compute.compute(data, stale, replies_only=replied)
                count, rewritten = _write(
                    workspace, chunk, stale, results, whole=whole, replied=replied
                )
                written += count
                changed |= rewritten
                _write_drivers(workspace, [w for w in stale if w.every != WEEK], data)
                periods += len(stale) + len(replied)
    else:
        with transaction.atomic():
            Snapshot.objects.filter(workspace=workspace).delete()
            Finding.objects.filter(workspace=workspace).delete()
    basis = _alerts_basis(workspace, today)
    month = window_of(today, MONTH).start
    if (
        whole
        or since is None
        or state.alerts_basis != basis
        or any(every == MONTH and start < month for every, start in changed)
    ):
        alerts = _write_alerts(workspace, today)
    else:  # the complete months the alerts read are as they were
        alerts = Finding.objects.filter(workspace=workspace, kind=Finding.Kind.ALERT).count()
    seconds = time.perf_counter() - started
    InsightSettings.objects.filter(pk=state.pk).update(
        refreshed_at=timezone.now(),
        refreshed_through=today,
        refresh_seconds=seconds,
        snapshots_written=written,
        alerts_basis=basis,
    )
    return RefreshReport(since, periods, written, alerts, seconds)


def _alerts_basis(workspace: Workspace, today: dt.date) -> str:
    """What the alerts depend on besides the monthly snapshots: the last complete month and
    the anonymity threshold."""
    last = window_of(today, MONTH).previous()
    return f"{last.label} k={workspace.min_group_size}"


def _chunk(quarter: Window, today: dt.date) -> list[Window]:
    """A quarter, its months and the weeks starting in it, up to today."""
    last = min(quarter.end - dt.timedelta(days=1), today)
    found = [quarter, *windows(quarter.start, last, MONTH)]
    found += [w for w in windows(quarter.start, last, WEEK) if w.start >= quarter.start]
    # The week holding the quarter's first day starts in the quarter before: it was that
    # chunk's, so it is left out here (window_of's Monday decides).
    return found


# The fields of a snapshot that hold its figures: a recomputed snapshot equal in all of them
# to the stored one is left as it is.
FIGURES = ("value", "n", "low", "high", "enough", "minimum", "parts", "withheld")


class _Count:
    """A stored period's answer count, standing in for its Result in ``_withheld``."""

    __slots__ = ("n",)

    def __init__(self, n: int):
        self.n = n


def _write(
    workspace: Workspace,
    chunk: list[Window],
    stale: list[Window],
    results: dict,
    *,
    whole: bool,
    replied: list[Window] = (),
) -> tuple[int, set[tuple[str, dt.date]]]:
    """Store the results of the ``stale`` periods of one quarter's ``chunk``, and of the
    ``replied`` ones their ``compute.REPLY_METRICS``: rewrite the snapshots whose figures
    changed, add the new ones, delete the ones gone; and set the withheld flags over the
    whole chunk (hiding one month can hide another of its quarter).
    Returns (snapshots written, the (every, start) of the periods whose snapshots changed)."""
    now = timezone.now()
    stale_keys = {(w.every, w.start) for w in stale}
    kept = [w for w in chunk if (w.every, w.start) not in stale_keys]
    survey = [m.key for m in compute.METRICS if m.survey]
    counts: dict[tuple, object] = {
        k: r for k, r in results.items() if (k[2].every, k[2].start) in stale_keys
    }
    stored_flags: dict[tuple, tuple[int, bool]] = {}
    if kept:
        # The stored counts of the periods not recomputed, for the withheld flags.
        by_period = {(w.every, w.start): w for w in kept}
        for pk, group, key, every, start, n, flag in Snapshot.objects.filter(
            workspace=workspace,
            start__gte=min(w.start for w in kept),
            start__lt=max(w.end for w in kept),
            dimension="",
            metric__in=survey,
        ).values_list("pk", "group", "metric", "every", "start", "n", "withheld"):
            w = by_period.get((every, start))
            if w is not None:
                counts[(group, key, w, *compute.ALL)] = _Count(n)
                stored_flags[(group, key, every, start)] = (pk, flag)
    withheld = _withheld(counts, workspace.min_group_size)
    rows = [
        Snapshot(
            workspace=workspace,
            group=group,
            metric=key,
            every=w.every,
            start=w.start,
            end=w.end,
            dimension=dim,
            member=member[:100],
            value=_finite(r.value),
            n=r.n,
            low=_finite(r.low),
            high=_finite(r.high),
            enough=bool(r.enough),
            minimum=r.minimum,
            parts=_plain(r.parts),
            withheld=(group, key, w.every, w.start, dim, member) in withheld,
            computed_at=now,
        )
        for (group, key, w, dim, member), r in results.items()
    ]
    flips = {True: [], False: []}
    for (group, key, every, start), (pk, flag) in stored_flags.items():
        should = (group, key, every, start, *compute.ALL) in withheld
        if should != flag:
            flips[should].append(pk)
    changed = set()
    with transaction.atomic():
        for flag, pks in flips.items():
            for i in range(0, len(pks), 500):
                Snapshot.objects.filter(pk__in=pks[i : i + 500]).update(withheld=flag)
        if whole:
            for w in stale:
                Snapshot.objects.filter(workspace=workspace, every=w.every, start=w.start).delete()
            Snapshot.objects.bulk_create(rows, batch_size=2000)
            return len(rows), stale_keys
        stored = {}
        only_replies = Q()
        for group, key in compute.REPLY_METRICS:
            only_replies |= Q(group=group, metric=key)
        for w, which in [(w, Q()) for w in stale] + [(w, only_replies) for w in replied]:
            for pk, group, key, dim, member, *figures in Snapshot.objects.filter(
                which, workspace=workspace, every=w.every, start=w.start
            ).values_list("pk", "group", "metric", "dimension", "member", *FIGURES):
                stored[(group, key, w.every, w.start, dim, member)] = (pk, figures)
        fresh, gone = [], []
        for row in rows:
            key = (row.group, row.metric, row.every, row.start, row.dimension, row.member)
            pk, figures = stored.pop(key, (None, None))
            if figures == [getattr(row, f) for f in FIGURES]:
                continue
            if pk is not None:
                gone.append(pk)
            fresh.append(row)
            changed.add((row.every, row.start))
        gone += [pk for pk, _ in stored.values()]  # cuts that are no more
        changed |= {(every, start) for (_, _, every, start, _, _) in stored}
        for i in range(0, len(gone), 500):
            Snapshot.objects.filter(pk__in=gone[i : i + 500]).delete()
        Snapshot.objects.bulk_create(fresh, batch_size=2000)
    return len(fresh), changed


def _withheld(results: dict, k: int) -> set[tuple]:
    """Whole-business survey scores to hide across periods, as a breakdown hides across
    teams (a cut's survey scores are shown by quarter only, so they need none of this): a
    quarter is its months, so when the hidden months of a series (group, metric) hold between
    1 and k - 1 answers, the quarter minus the shown months would give their score away;
    the smallest shown months are hidden too (``anonymity.complementary``). Weeks likewise
    within the month they start in, and a hidden month's weeks are hidden until they hold
    at least k answers, so that they do not add up to it. ``results`` hold one whole
    quarter. Keys: (group, metric, every, start, dimension, member)."""
    survey = {(m.group, m.key) for m in compute.METRICS if m.survey}
    months: dict[tuple, dict[dt.date, int]] = {}  # (group, key) → {start: n}
    weeks: dict[tuple, dict[dt.date, int]] = {}  # (group, key, month) → {start: n}
    for (group, key, w, dim, member), r in results.items():
        if (group, key) not in survey or (dim, member) != compute.ALL:
            continue
        if w.every == MONTH:
            months.setdefault((group, key), {})[w.start] = r.n
        elif w.every == WEEK:
            month = window_of(w.start, MONTH).start
            weeks.setdefault((group, key, month), {})[w.start] = r.n
    found: set[tuple] = set()
    hidden_months: set[tuple] = set()
    for (group, key), counts in months.items():
        for start in complementary(counts, k):
            found.add((group, key, MONTH, start, *compute.ALL))
            hidden_months.add((group, key, start))
    for series, counts in weeks.items():
        hidden = complementary(counts, k)
        if series in hidden_months:
            shown = sorted((n, s) for s, n in counts.items() if s not in hidden)
            while shown and sum(counts[s] for s in hidden) < k:
                hidden.add(shown.pop(0)[1])
        group, key, _ = series
        found.update((group, key, WEEK, start, *compute.ALL) for start in hidden)
    return found


def _finite(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if x == x and abs(x) != float("inf") else None


def _plain(parts) -> dict:
    out = {}
    for k, v in (parts or {}).items():
        if isinstance(v, bool | int | str) or v is None:
            out[k] = v
        elif isinstance(v, float):
            out[k] = _finite(v)
        else:
            out[k] = str(v)
    return out


def as_result(s: Snapshot) -> Result:
    return Result(s.value, s.n, s.low, s.high, s.enough, s.minimum, dict(s.parts or {}))


# --- drivers ------------------------------------------------------------------------------

# The scores whose drivers are looked for: (group, answer kind in compute, key, engine kind).
DRIVEN = (
    ("customer", "nps", "nps", "nps"),
    ("customer", "csat", "csat", "csat"),
    ("employee", "enps", "enps", "enps"),
)


def _write_drivers(workspace: Workspace, periods: list[Window], data: compute.Data) -> None:
    rows = []
    for w in periods:
        for group, kind, key, engine_kind in DRIVEN:
            answers = [
                (a.number, a.labels)
                for a in data.answers
                if a.group == group and a.kind == kind and w.contains(a.day)
            ]
            if not answers:
                continue
            report = find_drivers(answers, engine_kind)
            rows.append(
                Finding(
                    workspace=workspace,
                    kind=Finding.Kind.DRIVERS,
                    group=group,
                    every=w.every,
                    start=w.start,
                    key=key,
                    sentence=report.summary,
                    payload={
                        "n": report.n,
                        "compared": report.compared,
                        "method": report.method,
                        "effects": [
                            {
                                "label": e.label,
                                "status": e.status,
                                "n_with": e.n_with,
                                "n_without": e.n_without,
                                "with_value": e.with_value,
                                "without_value": e.without_value,
                                "difference": e.difference,
                                "low": e.low,
                                "high": e.high,
                                "p_adjusted": e.p_adjusted,
                                "sentence": e.sentence,
                                "how": e.how,
                            }
                            for e in report.effects
                        ],
                    },
                )
            )
    with transaction.atomic():
        for w in periods:
            Finding.objects.filter(
                workspace=workspace, kind=Finding.Kind.DRIVERS, every=w.every, start=w.start
            ).delete()
        Finding.objects.bulk_create(rows)


# --- alerts -------------------------------------------------------------------------------


def monthly_series(workspace: Workspace, today: dt.date, months: int = ALERT_MONTHS) -> dict:
    """(group, metric, dimension, member) → the Results of the last ``months`` complete
    months, oldest first, gaps as empty Results."""
    last = window_of(today, MONTH).previous()
    wanted = [last]
    while len(wanted) < months:
        wanted.insert(0, wanted[0].previous())
    position = {w.start: i for i, w in enumerate(wanted)}
    series: dict[tuple, list] = {}
    # Plain values rather than model instances: a year of months holds thousands of cuts.
    for group, metric, dim, member, start, *figures in (
        Snapshot.objects.filter(
            workspace=workspace, every=MONTH, start__gte=wanted[0].start, start__lte=last.start
        )
        .order_by()
        .values_list(
            "group",
            "metric",
            "dimension",
            "member",
            "start",
            "value",
            "n",
            "low",
            "high",
            "enough",
            "minimum",
            "parts",
        )
        .iterator(chunk_size=5000)
    ):
        value, n, low, high, enough, minimum, parts = figures
        slots = series.setdefault((group, metric, dim, member), [None] * months)
        slots[position[start]] = Result(value, n, low, high, enough, minimum, dict(parts or {}))
    empty = Result(None, 0, None, None, False, 0, {})
    return {
        k: [
            trends.Period(w.label, w.start, w.end, MONTH, result=r or empty)
            for w, r in zip(wanted, v, strict=True)
        ]
        for k, v in series.items()
    }, wanted


def _subject(group: str, dim: str, member: str) -> str:
    return GROUP_LABELS[group] if not dim else f"{GROUP_LABELS[group]}, {member}"


def _write_alerts(workspace: Workspace, today: dt.date) -> int:
    """Changes (the last three complete months against the three before), steady trends
    over twelve months, and relational decay, per group and per cut; each only when the
    data supports it (trends.compare, trends.trend). Cuts of survey scores are looked at
    only where both sides hold at least the business's anonymity threshold."""
    series, wanted = monthly_series(workspace, today)
    k = workspace.min_group_size
    found: list[engine_alerts.Alert] = []
    for (group, key, dim, member), results in series.items():
        spec = compute.metric(group, key)
        if spec is None:
            continue
        subject = _subject(group, dim, member)
        if spec.kind:
            change = trends.compare_windows(
                results,
                kind=spec.kind,
                name=spec.label,
                recent=RECENT_MONTHS,
                baseline=RECENT_MONTHS,
                signed=key == "sentiment",
                unit=spec.unit,
            )
            if spec.survey and dim and min(change.n_before, change.n_after) < k:
                change = None
            if change is not None:
                alert = engine_alerts.change_alert(
                    change, subject=subject, higher_is_better=spec.higher_is_better
                )
                if alert:
                    found.append(alert)
        if not (spec.survey and dim):
            shape = spec.kind or ("share" if spec.unit == "%" else "mean")
            found_trend = trends.trend(results, kind=shape, name=spec.label, unit=spec.unit)
            alert = engine_alerts.trend_alert(
                found_trend, subject=subject, higher_is_better=spec.higher_is_better
            )
            if alert and not _same_story(alert, found):
                found.append(alert)
    # Relational decay: per group, and per customer segment.
    for group in GROUPS:
        keys = {(d, mm) for (g, _, d, mm) in series if g == group and d in ("", "segment")}
        for dim, member in sorted(keys):
            touch = series.get((group, "human_touch", dim, member))
            if not touch:
                continue
            mood = series.get((group, "sentiment", dim, member))
            kept = series.get((group, "retention", dim, member))
            if mood is None and kept is None:
                continue
            who = _subject(group, dim, member)
            check = engine_alerts.relational_decay(
                who, human_touch=touch, sentiment=mood, retention=kept
            )
            if check.alert:
                found.append(check.alert)
    order = {s: i for i, s in enumerate(reversed(engine_alerts.SEVERITIES))}
    found.sort(key=lambda a: (order.get(a.severity, 9), a.kind != "relational_decay"))
    month = wanted[-1]
    rows = [
        Finding(
            workspace=workspace,
            kind=Finding.Kind.ALERT,
            group=_group_of(a),
            every=MONTH,
            start=month.start,
            key=a.kind[:60],
            severity=a.severity,
            sentence=a.sentence,
            payload={"subject": a.subject, "how": a.how, "numbers": _jsonable(a.numbers)},
        )
        for a in found
    ]
    with transaction.atomic():
        Finding.objects.filter(workspace=workspace, kind=Finding.Kind.ALERT).delete()
        Finding.objects.bulk_create(rows)
    return len(rows)


def _same_story(alert, found) -> bool:
    """A trend that tells the same as a change already found: same subject and metric."""
    name = alert.numbers.get("name")
    return any(a.subject == alert.subject and a.numbers.get("name") == name for a in found)


def _group_of(alert) -> str:
    for group, label in GROUP_LABELS.items():
        if alert.subject.startswith(label):
            return group
    return ""


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


# --- weights ------------------------------------------------------------------------------


def index_weights(workspace: Workspace) -> tuple[dict, dict]:
    """(component weights per group, group weights), defaults filled in."""
    state = settings_of(workspace)
    weights = {
        g: {c.key: float((state.weights.get(g) or {}).get(c.key, c.weight)) for c in comps}
        for g, comps in DEFAULT_COMPONENTS.items()
    }
    groups = {g: float(state.group_weights.get(g, 1.0)) for g in GROUPS}
    return weights, groups


def set_weights(
    membership: Membership, weights: dict[str, dict[str, float]], group_weights: dict[str, float]
) -> InsightSettings:
    """Change the index weights (audited). Raises ValueError naming the group, component
    and reason for an unknown one, a negative weight or a group with every weight 0."""
    for group, given in weights.items():
        if group not in DEFAULT_COMPONENTS:
            raise ValueError(f"unknown group {group!r}")
        known = {c.key for c in DEFAULT_COMPONENTS[group]}
        for key, w in given.items():
            if key not in known or key not in CATALOG:
                raise ValueError(f"{GROUP_LABELS[group]}: {key!r} is not one of its components")
            if w < 0:
                raise ValueError(f"{GROUP_LABELS[group]}, {CATALOG[key].label}: a weight ≥ 0")
        if given and not any(w > 0 for w in given.values()):
            raise ValueError(f"{GROUP_LABELS[group]}: at least one weight must be above 0")
    for group, w in group_weights.items():
        if group not in GROUPS:
            raise ValueError(f"unknown group {group!r}")
        if w < 0:
            raise ValueError(f"{GROUP_LABELS[group]}: a group weight must be ≥ 0")
    if group_weights and not any(w > 0 for w in group_weights.values()):
        raise ValueError("at least one group must weigh more than 0")
    state = settings_of(membership.workspace)
    before = {"weights": state.weights, "group_weights": state.group_weights}
    state.weights = weights
    state.group_weights = group_weights
    state.save(update_fields=["weights", "group_weights"])
    record_audit(
        membership.workspace,
        AuditAction.UPDATE,
        state,
        actor=membership.user,
        changes={
            "weights": [before["weights"], weights],
            "group_weights": [before["group_weights"], group_weights],
        },
        object_repr="Relational Capital Index weights",
    )
    return state
