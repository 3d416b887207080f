"""Making, storing and reading predictions.

``refresh`` fits each subject's model on the business's data as of today and stores the run
whole or not at all; the clock calls ``refresh_due`` (nightly, and after the data changed: an
import, the API, a page). A run made in a quarter with no earlier live run is kept as that
quarter's *checkpoint* for the hold-out; other superseded runs are deleted.
"""

import datetime as dt
import math
import time

from django.db import transaction
from django.db.models import Count, Max

from rapport.accounts.audit import record_audit
from rapport.accounts.choices import AuditAction, Role
from rapport.accounts.models import Workspace
from rapport.engine.periods import QUARTER, window_of
from rapport.people.models import Delivery, EmploymentEvent, Person, Purchase
from rapport.predictions import customers, employees, suppliers
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast, PredictionRun, PredictionSettings
from rapport.understanding.models import InteractionReading

FORECAST_FIELDS = {f.name for f in Forecast._meta.get_fields()} - {"id", "run", "workspace"}


def prediction_settings(workspace: Workspace) -> PredictionSettings:
    found, _ = PredictionSettings.objects.get_or_create(workspace=workspace)
    return found


def set_individual_scores(workspace: Workspace, enabled: bool, *, actor=None) -> None:
    """Turn individual employee scores on or off (owner only, audited). Turning them off
    deletes the stored ones at once."""
    settings = prediction_settings(workspace)
    if settings.individual_employee_scores == enabled:
        return
    with transaction.atomic():
        record_audit(
            workspace,
            AuditAction.UPDATE,
            settings,
            actor=actor,
            object_repr="prediction settings",
            changes={"individual_employee_scores": [not enabled, enabled]},
        )
        settings.individual_employee_scores = enabled
        settings.save(update_fields=["individual_employee_scores"])
        if not enabled:
            Forecast.objects.filter(workspace=workspace, person__group="employee").delete()
    refresh(workspace, [Subject.EMPLOYEES])


def _make(workspace: Workspace, subject: str, as_of: dt.date) -> tuple[dict, list[dict]]:
    if subject == Subject.CUSTOMERS:
        return customers.forecast(workspace, as_of)
    if subject == Subject.SUPPLIERS:
        return suppliers.forecast(workspace, as_of)
    individual = prediction_settings(workspace).individual_employee_scores
    return employees.forecast(workspace, as_of, individual=individual)


def _stored(value):
    """A missing number (NaN) is stored as no number: PostgreSQL would keep NaN itself."""
    return None if isinstance(value, float) and math.isnan(value) else value


def _store(workspace, subject, as_of, run_fields, rows, *, seconds, replayed=False):
    quarter = window_of(as_of, QUARTER).start
    # A person who does not allow analysis (may_analyse off) gets no score of their own.
    declined = set(
        Person.objects.filter(workspace=workspace, may_analyse=False).values_list("pk", flat=True)
    )
    rows = [row for row in rows if row.get("person_id") not in declined]
    with transaction.atomic():
        checkpoint = (
            not replayed
            and not PredictionRun.objects.filter(
                workspace=workspace, subject=subject, replayed=False, as_of__gte=quarter
            ).exists()
        )
        summary = {**run_fields.get("summary", {}), "checkpoint": checkpoint}
        run = PredictionRun.objects.create(
            workspace=workspace,
            subject=subject,
            as_of=as_of,
            horizon_days=run_fields.get("horizon_days", 0),
            replayed=replayed,
            enough=run_fields.get("enough", False),
            message=run_fields.get("message", "")[:300],
            used=run_fields.get("used", "")[:300],
            model_version=run_fields.get("model_version", "")[:60],
            summary=summary,
            seconds=seconds,
        )
        Forecast.objects.bulk_create(
            [
                Forecast(
                    run=run,
                    workspace=workspace,
                    **{
                        k: _stored(v)
                        for k, v in row.items()
                        if k in FORECAST_FIELDS or k.endswith("_id")
                    },
                )
                for row in rows
            ],
            batch_size=500,
        )
        if not replayed:
            old = PredictionRun.objects.filter(workspace=workspace, subject=subject, current=True)
            old.update(current=False)
            run.current = True
            run.save(update_fields=["current"])
            # Superseded runs go, except each quarter's checkpoint and replayed hold-outs.
            PredictionRun.objects.filter(
                workspace=workspace, subject=subject, current=False, replayed=False
            ).exclude(summary__checkpoint=True).delete()
    return run


def refresh(workspace: Workspace, subjects=tuple(Subject.values), *, as_of=None) -> list:
    """Fit and store each subject's predictions as of ``as_of`` (default today)."""
    as_of = as_of or workspace.today()
    runs = []
    for subject in subjects:
        started = time.perf_counter()
        fields, rows = _make(workspace, subject, as_of)
        runs.append(
            _store(workspace, subject, as_of, fields, rows, seconds=time.perf_counter() - started)
        )
    if any(r.subject == Subject.CUSTOMERS and r.enough for r in runs):
        holdout_run(workspace, as_of, make=True)
    settings = prediction_settings(workspace)
    settings.fingerprint = fingerprint(workspace)
    settings.save(update_fields=["fingerprint"])
    return runs


def replay(workspace: Workspace, subject: str, as_of: dt.date) -> PredictionRun:
    """A prediction made now from the data up to ``as_of`` only: how the model would have
    done had it run then (the hold-out before a quarter of live runs exists)."""
    started = time.perf_counter()
    fields, rows = _make(workspace, subject, as_of)
    with transaction.atomic():
        PredictionRun.objects.filter(
            workspace=workspace, subject=subject, replayed=True, as_of=as_of
        ).delete()
        return _store(
            workspace,
            subject,
            as_of,
            fields,
            rows,
            seconds=time.perf_counter() - started,
            replayed=True,
        )


def holdout_run(workspace: Workspace, today: dt.date, *, make: bool) -> PredictionRun | None:
    """The customers' run to check now: made a quarter ago (a live one first), replayed
    from the data up to then when there is none and ``make`` is set."""
    latest = today - dt.timedelta(days=91)
    found = (
        PredictionRun.objects.filter(
            workspace=workspace,
            subject=Subject.CUSTOMERS,
            as_of__lte=latest,
            as_of__gt=latest - dt.timedelta(days=91),
            enough=True,
        )
        .order_by("replayed", "-as_of")
        .first()
    )
    if found is None and make:
        found = replay(workspace, Subject.CUSTOMERS, latest)
    return found


def fingerprint(workspace: Workspace) -> dict:
    """Counts and newest ids of what the models read: any write changes one of them."""
    found = {}
    for name, model in (
        ("purchases", Purchase),
        ("deliveries", Delivery),
        ("employment", EmploymentEvent),
        ("people", Person),
        ("readings", InteractionReading),
    ):
        figures = model.objects.filter(workspace=workspace).aggregate(n=Count("pk"), top=Max("pk"))
        found[name] = [figures["n"], figures["top"]]
    # Delivery dates change without a new row (a delivery arriving): their newest day counts.
    last = Delivery.objects.filter(workspace=workspace).aggregate(d=Max("delivered_on"))["d"]
    found["delivered"] = last.isoformat() if last else None
    return found


def due(workspace: Workspace) -> bool:
    """Nightly (no current run made today) or after the data changed."""
    today = workspace.today()
    made = PredictionRun.objects.filter(workspace=workspace, current=True).aggregate(
        day=Max("as_of"), runs=Count("pk")
    )
    if made["runs"] < len(Subject.values) or made["day"] != today:
        return True
    return prediction_settings(workspace).fingerprint != fingerprint(workspace)


def refresh_due(workspace: Workspace) -> bool:
    if not due(workspace):
        return False
    refresh(workspace)
    return True


def current_run(workspace: Workspace, subject: str) -> PredictionRun | None:
    return (
        PredictionRun.objects.filter(workspace=workspace, subject=subject, current=True)
        .order_by("-made_at")
        .first()
    )


def forecast_of(person: Person) -> Forecast | None:
    return (
        Forecast.objects.filter(person=person, run__current=True)
        .select_related("run")
        .order_by("-run__made_at")
        .first()
    )


def may_see_individual(membership, person: Person) -> bool:
    """An employee's own score: only the owner and the person's own manager, and only where
    the business turned individual scores on."""
    if not prediction_settings(membership.workspace).individual_employee_scores:
        return False
    if membership.role == Role.OWNER:
        return True
    manager = person.manager
    email = (membership.user.email or "").strip().lower()
    return bool(manager and email and (manager.email or "").strip().lower() == email)


def view_individual(membership, person: Person) -> Forecast | None:
    """An employee's own score for the owner or their manager; every view audited."""
    if not may_see_individual(membership, person):
        return None
    found = forecast_of(person)
    if found is not None:
        record_audit(
            membership.workspace,
            AuditAction.VIEW,
            person,
            actor=membership.user,
            object_repr=f"attrition score of {person.name}"[:200],
        )
    return found
