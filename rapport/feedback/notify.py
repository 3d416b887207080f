"""Telling respondents: replies and "what we did", by email or in their private conversation.

Who can be reached, and how, follows what the respondent allowed:

- an anonymous respondent (no person, no email) is never emailed: what the business writes
  is posted in the conversation they read through their private link (``/r/<token>/``);
- an identified respondent who allowed contact (``Response.may_contact``, and the person's
  own ``may_contact`` still on) is emailed at the person's address, or at the one they left
  on a public page (``contact_email``: typed, never matched to a person);
- anyone else is not told, and the member is told why.

Email goes through Django's email backend (SMTP when ``RAPPORT_SMTP_HOST`` is set, the console
otherwise). A refused address raises ``NotifyError`` and nothing is marked as told.
"""

import smtplib
from dataclasses import dataclass

from django.core import mail
from django.db import transaction
from django.utils import timezone

from rapport.accounts.models import Membership
from rapport.feedback import actions
from rapport.feedback.choices import FollowUp
from rapport.feedback.models import FollowUpMessage, Response


class NotifyError(Exception):
    """The respondent could not be told; the message says why, for the member."""


def is_anonymous(response: Response) -> bool:
    """No way to know who wrote it: an anonymous survey's answer that kept no name or email."""
    return response.survey.is_anonymous and response.anonymous


def email_address(response: Response) -> str:
    """Where the respondent allowed to be emailed, or "" (always "" when anonymous)."""
    if is_anonymous(response) or not response.may_contact:
        return ""
    if response.person_id is not None:
        person = response.person
        return person.email if person.may_contact else ""
    return response.contact_email


def has_conversation(response: Response) -> bool:
    """The respondent holds a private link to read and answer the conversation."""
    return bool(response.reply_token_hash)


def reachable(response: Response) -> bool:
    return bool(email_address(response)) or has_conversation(response)


def _send(response: Response, subject: str, body: str, reply_to: str = "") -> None:
    message = mail.EmailMessage(
        subject=f"{subject} · {response.workspace.name}",
        body=body,
        to=[email_address(response)],
        reply_to=[reply_to] if reply_to else None,
    )
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        raise NotifyError(f"the email could not be sent ({error.__class__.__name__})") from None


def _how_to_answer(response: Response, member: Membership | None) -> str:
    if has_conversation(response):
        # Only the hash of the private link is kept, so the link itself cannot be repeated.
        return "You can answer through the private link you were given when you sent it."
    if member is not None and member.user.email:
        return "You can answer by replying to this email."
    return ""


def _day(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _greeting(response: Response) -> str:
    name = response.person.name if response.person_id else response.contact_name
    return f"Hello {name}," if name else "Hello,"


def email_reply(response: Response, message: FollowUpMessage) -> bool:
    """Email a member's reply to an identified respondent who allowed contact.

    Returns False (and sends nothing) when they cannot be emailed; raises ``NotifyError``
    when the email is refused."""
    if not email_address(response):
        return False
    member = message.member
    who = member.user.name if member is not None and member.user.name else "We"
    lines = [
        _greeting(response),
        "",
        f"{who} at {response.workspace.name} wrote about the feedback you sent on "
        f"{_day(response.submitted_on)} ({response.survey.title}):",
        "",
        message.text,
        "",
        _how_to_answer(response, member),
    ]
    _send(
        response,
        "About your feedback",
        "\n".join(lines).strip() + "\n",
        reply_to=member.user.email if member is not None and not has_conversation(response) else "",
    )
    return True


@dataclass
class Told:
    emailed: bool
    posted: bool


def tell_respondent(response: Response, member: Membership | None = None, *, now=None) -> Told:
    """Tell the respondent what changed, once the item is done with "what we did".

    The text is kept in the conversation (an anonymous respondent reads it there, through
    their private link); a respondent who allowed contact is also emailed. ``told_at`` is
    set. Raises ``NotifyError`` when the loop is not closed or they cannot be reached."""
    if response.status != FollowUp.DONE or not response.what_we_did.strip():
        raise NotifyError("close the loop first: mark it done and say what was done")
    address = email_address(response)
    if not address and not has_conversation(response):
        raise NotifyError(
            "they did not leave a way to be reached (no permission to contact them, "
            "and no private conversation link)"
        )
    now = now or timezone.now()
    member = member or response.owner
    if address:
        lines = [
            _greeting(response),
            "",
            f"Thank you for the feedback you sent on {_day(response.submitted_on)} "
            f"({response.survey.title}). Here is what we did:",
            "",
            response.what_we_did,
            "",
            f"— {response.workspace.name}",
        ]
        _send(response, "What we did with your feedback", "\n".join(lines) + "\n")
    with transaction.atomic():
        actions.reply(response, member, response.what_we_did, now=now)
        response.told_at = now
        response.save(update_fields=["told_at"])
    return Told(emailed=bool(address), posted=has_conversation(response))
