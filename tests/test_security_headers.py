"""Every page carries a Content-Security-Policy that allows only Rapport's own scripts and
styles (nothing inline) and refuses frames; only the survey embed and the chat widget may be
framed. The templates hold no inline script, event handler, javascript: address or style
attribute, so that the policy can stay that strict."""

import re
from pathlib import Path

import pytest

from rapport.test import login

ROOT = Path(__file__).resolve().parent.parent / "rapport"
# E-mails are not web pages: mail programs need inline styles and no CSP applies.
EMAIL_TEMPLATES = {"outreach/templates/outreach/digest.html"}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def survey(personas):
    from rapport.feedback import actions
    from rapport.feedback.choices import SurveyStatus

    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def assert_strict(response):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"


def test_a_members_page_refuses_inline_code_and_frames(client, personas):
    assert_strict(login(client, personas.alice).get("/w/alices-bakery/people/"))


def test_the_login_page_refuses_inline_code_and_frames(client, db):
    assert_strict(client.get("/login/"))


def test_the_public_survey_page_refuses_frames(client, survey):
    assert_strict(client.get(f"/s/{survey.public_token}/"))


def test_the_survey_embed_may_be_framed_by_any_site(client, survey):
    response = client.get(f"/s/{survey.public_token}/embed/")
    csp = policy(response)
    assert csp["frame-ancestors"] == ["*"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert "X-Frame-Options" not in response


def test_the_chat_widget_may_be_framed_only_by_the_business_sites(client, personas):
    from rapport.inbox.routing import inbox_settings

    chat = inbox_settings(personas.bakery)
    chat.widget_enabled = True
    chat.widget_origins = "https://alicesbakery.example"
    chat.save()
    response = client.get(f"/chat/{chat.widget_key}/")
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'self'", "https://alicesbakery.example"]
    assert csp["script-src"] == ["'self'"]
    assert "X-Frame-Options" not in response


def test_https_settings_still_apply_to_the_new_pages(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/account/reset/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Content-Security-Policy" in response


def test_the_kept_header_follows_a_changed_policy(client, db, settings):
    # rapport/lib/csp.py builds the usual header once: a new policy must still show.
    assert_strict(client.get("/login/"))
    directives = {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'none'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    response = client.get("/login/")
    assert policy(response)["img-src"] == ["'none'"]
    assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": directives,
        "EXCLUDE_URL_PREFIXES": ["/login/"],
    }
    assert "Content-Security-Policy" not in client.get("/login/")


def test_the_header_is_django_csps_own(rf, db, settings):
    from csp.constants import NONCE
    from csp.exceptions import CSPNonceError
    from csp.middleware import CSPMiddleware as Original
    from django.http import HttpResponse

    from rapport.lib.csp import CSPMiddleware

    def respond(middleware, *, nonce: bool):
        request = rf.get("/login/")
        instance = middleware(lambda request: HttpResponse())
        instance.process_request(request)
        asked = str(request.csp_nonce) if nonce else ""
        return request, asked, instance.process_response(request, HttpResponse())

    _, _, original = respond(Original, nonce=False)
    request, _, kept = respond(CSPMiddleware, nonce=False)
    assert kept["Content-Security-Policy"] == original["Content-Security-Policy"]
    # As with django-csp: a nonce asked for after the header was written is refused.
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
    # A page that uses a nonce gets its own header, with it.
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    _, asked, response = respond(CSPMiddleware, nonce=True)
    assert f"'nonce-{asked}'" in response["Content-Security-Policy"]


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "an inline <script>",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: address"),
    (re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style", re.I), "a <style> element"),
]


def test_no_template_has_inline_code_or_styles():
    found = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in EMAIL_TEMPLATES:
            continue
        text = path.read_text()
        # The embed code shown for copying is text in a <textarea>, not markup of the page.
        text = re.sub(r"<textarea.*?</textarea>", "", text, flags=re.S)
        text = re.sub(r"\{#.*?#\}", "", text)
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{relative}: {what}")
    assert not found, found
