"""A survey's public link as a QR code (for the counter, a receipt, a poster) and as an
``<iframe>`` snippet for the business's website.

Links are absolute, built on ``RAPPORT_PUBLIC_URL``: a printed code must point at the address
respondents can reach, not at whatever host a member happened to use.
"""

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from rapport.feedback.models import Survey


def public_url(path: str) -> str:
    return f"{settings.RAPPORT_PUBLIC_URL}{path}"


def survey_link(survey: Survey) -> str:
    return public_url(reverse("answer:survey", args=[survey.public_token]))


def embed_link(survey: Survey) -> str:
    return public_url(reverse("answer:embed", args=[survey.public_token]))


def _code(survey: Survey):
    # Error correction M survives a smudged or creased print and keeps the code small.
    return segno.make(survey_link(survey), error="m", micro=False)


def qr_png(survey: Survey, *, scale: int = 10) -> bytes:
    """The public link as a PNG, ``scale`` pixels a module, with the standard quiet zone."""
    out = io.BytesIO()
    _code(survey).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(survey: Survey, *, scale: int = 10) -> bytes:
    """The public link as an SVG: sharp at any print size."""
    out = io.BytesIO()
    _code(survey).save(out, kind="svg", scale=scale, border=4, title=survey.title)
    return out.getvalue()


def embed_snippet(survey: Survey) -> str:
    """The HTML to paste into a website to show the survey in place."""
    return format_html(
        '<iframe src="{}" title="{}" loading="lazy" '
        'style="width:100%;max-width:40rem;height:40rem;border:0"></iframe>',
        embed_link(survey),
        survey.title,
    )
