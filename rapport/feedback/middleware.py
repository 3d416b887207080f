"""Sessions, sign-in and flash messages stay out of the answering pages.

A respondent's pages (``public_urls.py``: /s/, /a/, /r/) need no login and no session: the
link is the credential. Django's session, authentication and message middleware still did
their work on every one of these requests, a fair part of what a busy survey costs the
server. These subclasses pass the answering pages by, so those requests carry no
``request.session``, ``request.user`` or messages, and no page kept for everyone
(``shown_pages.py``) can depend on who is signed in. Every other page is served exactly as
by Django's own middleware. CSRF, the security headers, frames and the CSP are untouched.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware

from rapport.feedback.public_urls import PREFIXES


def answering(request) -> bool:
    return request.path_info.startswith(PREFIXES)


class _OutsideAnswers:
    """A Django middleware's request and response steps, skipped on the answering pages."""

    def process_request(self, request):
        if not answering(request):
            super().process_request(request)

    def process_response(self, request, response):
        step = getattr(super(), "process_response", None)  # sign-in has no response step
        if step is None or answering(request):
            return response
        return step(request, response)


class SessionOutsideAnswers(_OutsideAnswers, SessionMiddleware):
    pass


class AuthenticationOutsideAnswers(_OutsideAnswers, AuthenticationMiddleware):
    pass


class MessagesOutsideAnswers(_OutsideAnswers, MessageMiddleware):
    pass
