"""Getting a survey to people: personal links by email, one reminder to those who have not
answered, and the rounds of recurring surveys.

Email goes through Django's email backend (SMTP when ``RAPPORT_SMTP_HOST`` is set, the
console otherwise). A personal link is the only way an email ties a person to a survey; for
an anonymous survey the email says so, and the answer itself keeps no link (see models).
"""

import datetime as dt
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from rapport.feedback import actions
from rapport.feedback.choices import Schedule, SurveyStatus
from rapport.feedback.models import Invitation, Survey
from rapport.workers.leases import Busy, held


def public_url(path: str) -> str:
    return f"{settings.RAPPORT_PUBLIC_URL}{path}"


def personal_link(invitation: Invitation) -> str:
    return public_url(f"/a/{invitation.token}/")


def public_link(survey: Survey) -> str:
    return public_url(f"/s/{survey.public_token}/")


@dataclass
class Sent:
    sent: int = 0
    # People with no email address, or who asked not to be contacted.
    skipped: int = 0
    failed: int = 0


def _email(invitation: Invitation, reminder: bool) -> mail.EmailMultiAlternatives:
    survey = invitation.survey
    context = {
        "survey": survey,
        "person": invitation.person,
        "workspace": survey.workspace,
        "link": personal_link(invitation),
        "reminder": reminder,
    }
    subject = ("Reminder: " if reminder else "") + survey.title
    body = render_to_string("feedback/email/invitation.txt", context)
    message = mail.EmailMultiAlternatives(
        subject=f"{subject} · {survey.workspace.name}",
        body=body,
        to=[invitation.person.email],
    )
    return message


def _send(invitations, *, reminder: bool, now) -> Sent:
    result = Sent()
    field = "reminded_at" if reminder else "sent_at"
    with mail.get_connection() as connection:
        for invitation in invitations:
            person = invitation.person
            if not person.email or not person.may_contact:
                result.skipped += 1
                continue
            message = _email(invitation, reminder)
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPException, OSError):
                # One refused address must not stop the others; it is tried again next time.
                result.failed += 1
                continue
            setattr(invitation, field, now)
            invitation.save(update_fields=[field])
            result.sent += 1
    return result


def _send_once(lease: str, invitations, *, reminder: bool, now) -> Sent:
    """``_send`` while holding ``lease``: two workers (or a worker and the web) sending one
    survey's e-mails at once would both read the same unsent invitations. The one that finds
    it held sends nothing; the holder sends them all."""
    try:
        with held(lease):
            return _send(invitations, reminder=reminder, now=now)
    except Busy:
        return Sent()


def send_invitations(survey: Survey, *, now=None) -> Sent:
    """Email every personal link of ``survey`` that has not been sent yet."""
    now = now or timezone.now()
    pending = Invitation.objects.filter(
        survey=survey, sent_at__isnull=True, answered=False
    ).select_related("person", "survey__workspace")
    return _send_once(f"invitations:{survey.pk}", pending, reminder=False, now=now)


def send_reminders(survey: Survey, *, now=None) -> Sent:
    """One reminder per invitation, ``remind_after_days`` after it was sent, to those who have
    not answered. Nobody is reminded twice."""
    now = now or timezone.now()
    due = now - dt.timedelta(days=survey.remind_after_days)
    pending = Invitation.objects.filter(
        survey=survey,
        answered=False,
        sent_at__isnull=False,
        sent_at__lte=due,
        reminded_at__isnull=True,
    ).select_related("person", "survey__workspace")
    if survey.schedule != Schedule.ONCE:
        current = actions.round_of(survey, survey.workspace.today(now))
        pending = pending.filter(round=current)
    return _send_once(f"reminders:{survey.pk}", pending, reminder=True, now=now)


@dataclass
class Tick:
    invited: int = 0
    sent: int = 0
    reminded: int = 0


def run_schedules(*, now=None, workspace=None) -> Tick:
    """For every open survey: start the current round of recurring ones (invite the audience,
    email the links), then send the reminders that are due. Safe to run as often as wanted:
    an invitation or reminder goes out once."""
    now = now or timezone.now()
    tick = Tick()
    surveys = Survey.objects.filter(status=SurveyStatus.OPEN).select_related("workspace")
    if workspace is not None:
        surveys = surveys.filter(workspace=workspace)
    for survey in surveys:
        if not survey.accepts_answers(now):
            continue
        if survey.schedule != Schedule.ONCE:
            with transaction.atomic():
                tick.invited += len(actions.invite(survey, now=now))
            tick.sent += send_invitations(survey, now=now).sent
        tick.reminded += send_reminders(survey, now=now).sent
    return tick
