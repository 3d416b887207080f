"""A real browser on a phone-sized screen: a customer scans the QR code at the counter and
answers the visit survey. Debian's Chromium driven by Playwright, against a live server.

The page must fit a 390-pixel-wide screen, work by touch, keep what was typed when an answer
is missing, and load nothing from outside.
"""

import re

import pytest

from tests.browser import local_page, require_chromium

PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

require_chromium()


@pytest.fixture
def survey(personas):
    from rapport.feedback import actions
    from rapport.feedback.choices import SurveyStatus

    survey = actions.create_survey(personas.bakery, blueprint="post_visit_csat")
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


@pytest.fixture
def phone(live_server):
    with local_page(
        live_server.url, viewport=PHONE, device_scale_factor=3, is_mobile=True, has_touch=True
    ) as page:
        yield page


def test_a_customer_answers_the_visit_survey_on_a_phone(phone, live_server, survey):
    from playwright.sync_api import expect

    from rapport.feedback.models import Response

    page = phone
    page.goto(f"{live_server.url}/s/{survey.public_token}/")
    expect(page.get_by_role("heading", name="How was your visit?", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    satisfaction = page.get_by_role("group", name=re.compile("How satisfied"))
    points = satisfaction.get_by_role("radio")
    assert points.count() == 5
    # Each point is a comfortable thumb target, and the row fits the screen.
    for i in range(points.count()):
        box = points.nth(i).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert box["x"] + box["width"] <= PHONE["width"]
    expect(satisfaction.get_by_role("radio", name="5 Very satisfied")).to_be_visible()

    # Write a comment but forget the required question: the comment survives the error.
    comment = page.get_by_label("Anything you would like to tell us?")
    comment.fill("The croissants were perfect, the queue was long.")
    page.get_by_role("group", name="What stood out?").get_by_label("Friendliness").check()
    page.get_by_role("button", name="Send my answers").tap()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need another look")
    satisfaction = page.get_by_role("group", name=re.compile("How satisfied"))
    expect(satisfaction).to_contain_text("This question needs an answer.")
    expect(comment).to_have_value("The croissants were perfect, the queue was long.")
    expect(page.get_by_label("Friendliness")).to_be_checked()
    assert Response.objects.count() == 0

    satisfaction.get_by_role("radio", name="4", exact=True).tap()
    expect(satisfaction.get_by_role("radio", name="4", exact=True)).to_be_checked()
    ease = page.get_by_role("group", name=re.compile("easy to get what I came for"))
    ease.get_by_role("radio", name="6", exact=True).tap()
    page.get_by_role("button", name="Send my answers").tap()

    expect(page.get_by_role("heading", name="Thank you", level=1)).to_be_visible()
    response = Response.objects.get(survey=survey)
    assert response.channel == "public"
    assert {a.question.key: a.value for a in response.answers.all()} == {
        "csat": 4,
        "ces": 6,
        "stood_out": ["Friendliness"],
        "comment": "The croissants were perfect, the queue was long.",
    }
