"""The chat widget's public side, no login: the page shown in the iframe on the business's
website (/chat/<widget key>/) and the small JSON endpoints its script calls.

No cookies and no CSRF token: nobody is logged in, the widget runs in a third-party frame
where browsers withhold cookies, and the visitor's own secret key (sent in the JSON body,
never in a URL that a log would keep) is what opens their conversation. Abuse is held back
by a size limit and rate limits per visitor and per address (``feedback/abuse.py``); a
flooder gets 429 and everyone else goes on.

The chat page may be framed only by the sites the business lists
(``InboxSettings.widget_origins`` → ``Content-Security-Policy: frame-ancestors``); every
other page of Rapport keeps refusing frames (``X-Frame-Options: DENY``).
"""

from __future__ import annotations

import json
import re
from functools import wraps

from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from rapport.feedback import abuse
from rapport.inbox import widget
from rapport.inbox.choices import AWAITING_US, Status
from rapport.inbox.tasks import process_workspace

# (per visitor, per address) for sending (messages, "talk to a person", contact) and for
# polling. Per visitor: more than anyone types, and the widget polls every 2 s at its
# fastest; per address: room for an office or a café whose visitors share one.
RATES = {
    "send": (abuse.Rate(20, 60), abuse.Rate(120, 60)),
    "poll": (abuse.Rate(90, 60), abuse.Rate(1200, 60)),
}
# 5,000 characters, each up to 12 bytes of JSON (an emoji as two \u escapes), and the rest.
MAX_BODY = 64 * 1024
TOO_MANY = "Too many messages at once. Wait a minute, then try again."
_ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?")


def frame_ancestors(origins: str) -> str:
    """The sites allowed to show the chat: the business's list, checked one by one (anything
    that is not a plain origin is left out, so nothing can be slipped into the header)."""
    allowed = [o.rstrip("/") for o in re.split(r"[\s,]+", origins or "")]
    return " ".join(["'self'", *(o for o in allowed if _ORIGIN.fullmatch(o))])


def _settings_or_404(widget_key: str):
    settings = widget.settings_for(widget_key)
    if settings is None:
        raise Http404("No such chat")
    return settings


@require_GET
@xframe_options_exempt
def chat_page(request, widget_key):
    settings = _settings_or_404(widget_key)
    context = {
        "settings": settings,
        "business": settings.workspace.name,
        "notice": widget.notice(settings),
        "max_text": widget.MAX_TEXT,
    }
    response = render(request, "inbox/widget.html", context)
    response["Content-Security-Policy"] = (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
        "img-src 'self'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors {frame_ancestors(settings.widget_origins)}"
    )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _reply(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _problem(text: str, status: int) -> JsonResponse:
    response = _reply({"error": text}, status)
    if status == 429:
        response["Retry-After"] = "60"
    return response


def _widget_call(kind: str = "send"):
    """A JSON call of the widget: POST only, no CSRF cookie (the widget has none), the body
    read and checked by :func:`_read` (the view gets ``settings, payload, visitor``), and a
    database too busy to take the write now (SQLite's one writer under load) answering 503
    with a plain message: the widget keeps the message and sends it again, stored once by its
    id. Never a 500."""

    def decorate(view):
        @csrf_exempt
        @require_POST
        @wraps(view)
        def wrapped(request, widget_key):
            try:
                found = _read(request, widget_key, kind)
                if isinstance(found, JsonResponse):
                    return found
                return view(request, *found)
            except OperationalError:
                response = _problem(
                    "We are busy for a moment; your message will be sent again.", 503
                )
                response["Retry-After"] = "2"
                return response

        return wrapped

    return decorate


def _read(request, widget_key: str, kind: str = "send"):
    """(settings, payload, visitor key) of a widget call, or the JsonResponse that says why
    not (unknown widget: 404)."""
    settings = _settings_or_404(widget_key)
    if abuse.body_too_large(request, MAX_BODY):
        return _problem(f"A message can be at most {widget.MAX_TEXT:,} characters.", 413)
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        payload = None
    if not isinstance(payload, dict):
        return _problem("The chat sent something unreadable; reload the page.", 400)
    visitor = str(payload.get("visitor", ""))
    try:
        hashed = widget.visitor_hash(visitor)
    except widget.WidgetError as error:
        return _problem(str(error), 400)
    per_visitor, per_address = RATES[kind]
    if not abuse.allow(request, f"widget-{kind}:{settings.pk}", per_address) or not abuse.allow(
        request, f"widget-{kind}:{hashed}", per_visitor
    ):
        return _problem(TOO_MANY, 429)
    return settings, payload, visitor


def _message(m, business: str) -> dict:
    return {
        "id": m.pk,
        "client_id": m.client_id,
        "author": m.author,
        "who": widget.author_name(m, business),
        "text": m.text,
        "at": m.at.isoformat(),
        "delivery": m.delivery or "stored",
    }


def _state(c) -> dict:
    if c is None:
        return {"with_person": False, "status": ""}
    with_person = c.status in AWAITING_US and (c.owner_id is not None or c.asked_for_person)
    return {"with_person": with_person or c.status == Status.REPLIED, "status": c.status}


@_widget_call()
def send(request, settings, payload, visitor):
    try:
        message, new = widget.receive(
            settings,
            visitor,
            str(payload.get("client_id", "")),
            payload.get("text"),
            name=payload.get("name", ""),
            email=payload.get("email", ""),
        )
    except widget.WidgetError as error:
        return _problem(str(error), 422)
    if new:
        process_workspace.enqueue(settings.workspace_id)
    body = {"message": _message(message, settings.workspace.name), "new": new}
    return _reply(body, 201 if new else 200)


@_widget_call("poll")
def messages(request, settings, payload, visitor):
    try:
        after = max(0, int(payload.get("after") or 0))
    except (TypeError, ValueError):
        after = 0
    fetched = widget.fetch(settings, visitor, after=after)
    business = settings.workspace.name
    return _reply(
        {
            "messages": [_message(m, business) for m in fetched.messages],
            "notice": widget.notice(settings),
            **_state(fetched.conversation),
        }
    )


@_widget_call()
def ask_for_person(request, settings, payload, visitor):
    try:
        c = widget.ask_for_person(settings, visitor)
    except widget.WidgetError as error:
        return _problem(str(error), 409)
    return _reply({"said": "A person will reply here.", **_state(c)})


@_widget_call()
def contact(request, settings, payload, visitor):
    try:
        widget.set_contact(settings, visitor, payload.get("name", ""), payload.get("email", ""))
    except widget.WidgetError as error:
        return _problem(str(error), 422)
    return _reply({"said": "Thank you. If you leave, we'll reply by e-mail."})
