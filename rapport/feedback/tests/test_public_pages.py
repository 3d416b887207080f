"""The pages respondents use: a public link, its website version, a personal link, the
conversation about an answer, and the suggestion box. No login anywhere."""

import re

import pytest
from django.core.cache import cache

from rapport.feedback import actions, qr, shown_pages
from rapport.feedback.choices import LANGUAGES, Anonymity, Author, Channel, SurveyStatus
from rapport.feedback.models import FollowUpMessage, Invitation, Response, Survey, token_hash
from rapport.feedback.phrases import PHRASES, phrases_for
from rapport.people.actions import create_person
from rapport.people.models import Person
from rapport.test import login


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counts and submission keys live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def open_survey(workspace, blueprint, **settings):
    survey = actions.create_survey(workspace, blueprint=blueprint, **settings)
    actions.set_status(survey, SurveyStatus.OPEN)
    return survey


def q(survey, key):
    return survey.questions.get(key=key)


def field(survey, key):
    return f"q{q(survey, key).pk}"


def submission(page) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)


def answer(client, url, data):
    """Load the form, as a respondent does, then send it with its submission key."""
    return client.post(url, {"submission": submission(client.get(url)), **data})


# --- the public link ----------------------------------------------------------------------


def test_the_public_link_shows_the_questions_accessibly_with_nothing_from_outside(client, personas):
    survey = open_survey(personas.bakery, "post_visit_csat")
    page = client.get(f"/s/{survey.public_token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    # A fieldset and legend per choice question and one for the contact consent; the text
    # question has its own label.
    assert html.count("<fieldset") == 4 and html.count("<legend") == 4
    csat = field(survey, "csat")
    assert len(re.findall(rf'type="radio" name="{csat}" value="[1-5]"', html)) == 5
    assert "Very dissatisfied" in html and "Very satisfied" in html
    stood_out = field(survey, "stood_out")
    assert html.count(f'type="checkbox" id="{stood_out}-') == 6
    comment = field(survey, "comment")
    assert f'<label class="legend" for="{comment}-input">' in html
    assert f'<textarea id="{comment}-input" name="{comment}"' in html
    assert 'maxlength="5000"' in html
    # No script, one stylesheet, nothing loaded from another host.
    assert "<script" not in html
    assert re.findall(r"<link[^>]*>", html) == [
        '<link rel="stylesheet" href="/static/rapport/answer.css">'
    ]
    assert not re.search(r'(src|href)="https?://', html)
    assert client.get("/static/rapport/answer.css").status_code == 200
    # The respondent page is not the members' page.
    assert "Log out" not in html and "Skip to content" not in html


def test_an_nps_question_has_eleven_points_with_named_ends(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    html = client.get(f"/s/{survey.public_token}/").content.decode()
    nps = field(survey, "nps")
    assert re.findall(rf'name="{nps}" value="(\d+)"', html) == [str(n) for n in range(11)]
    assert '<span class="visually-hidden"> Not at all likely</span>' in html
    assert '<span class="visually-hidden"> Extremely likely</span>' in html


def test_a_public_answer_is_stored_and_the_reply_link_is_shown_once(client, personas):
    survey = open_survey(personas.bakery, "customer_nps", anonymity=Anonymity.CONFIDENTIAL)
    url = f"/s/{survey.public_token}/"
    page = answer(client, url, {field(survey, "nps"): "9", field(survey, "reason"): "Warm bread"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Thank you" in html and "Keep this link" in html
    token = re.search(r'href="http://testserver/r/([^/"]+)/"', html).group(1)
    response = Response.objects.get(survey=survey)
    assert response.channel == Channel.PUBLIC and response.person is None
    assert {a.question.key: a.value for a in response.answers.all()} == {
        "nps": 9,
        "reason": "Warm bread",
    }
    # Only the link's hash is kept, and the page that shows it is never cached.
    assert response.reply_token_hash == token_hash(token) and token not in str(vars(response))
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/r/{token}/").status_code == 200


def test_a_busy_link_sends_the_kept_page_with_a_new_key_and_a_new_reply_link_each_time(
    client, personas, django_assert_num_queries
):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200 and submission(first) != submission(again)
    assert first.content.decode().replace(submission(first), "") == again.content.decode().replace(
        submission(again), ""
    )
    links = []
    for _ in range(2):
        page = answer(client, url, {field(survey, "nps"): "10"})
        html = page.content.decode()
        assert "Thank you" in html and page["Cache-Control"] == "no-store"
        links.append(re.search(r'href="http://testserver/r/([^/"]+)/"', html).group(1))
    assert links[0] != links[1]
    for token in links:  # each respondent's link leads to their own answer
        assert Response.objects.get(reply_token_hash=token_hash(token)).survey == survey
        assert client.get(f"/r/{token}/").status_code == 200
    assert shown_pages.SLOT not in html


def test_an_answer_is_checked_against_the_survey_as_it_is_now_not_the_kept_page(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    key = submission(client.get(url))
    # Closed in another process: this one's kept page does not know yet (no signal here).
    Survey.objects.filter(pk=survey.pk).update(status=SurveyStatus.CLOSED)
    assert submission(client.get(url))  # still the kept form, for a moment
    page = client.post(url, {"submission": key, field(survey, "nps"): "8"})
    assert "This survey is closed" in page.content.decode()
    assert Response.objects.count() == 0


def test_an_edit_in_this_process_shows_on_the_public_page_at_once(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    client.get(url)
    question = q(survey, "reason")
    question.text = "What one thing would you change?"
    question.save()
    assert "What one thing would you change?" in client.get(url).content.decode()
    survey.title = "Tell the bakery"
    survey.save()
    assert "Tell the bakery" in client.get(url).content.decode()
    personas.bakery.name = "Alice's Bakehouse"
    personas.bakery.save()
    assert "Alice&#x27;s Bakehouse" in client.get(url).content.decode()
    actions.set_status(survey, SurveyStatus.CLOSED)
    assert "This survey is closed" in client.get(url).content.decode()


def test_the_business_thanks_in_its_own_words(client, personas):
    survey = open_survey(personas.bakery, "customer_nps", thanks="Merci, see you Saturday!")
    page = answer(client, f"/s/{survey.public_token}/", {field(survey, "nps"): "10"})
    assert "Merci, see you Saturday!" in page.content.decode()


def test_errors_come_back_beside_each_question_with_the_answers_kept(client, personas):
    survey = open_survey(personas.bakery, "post_visit_csat")
    url = f"/s/{survey.public_token}/"
    page = answer(
        client,
        url,
        {
            field(survey, "ces"): "4",
            field(survey, "stood_out"): ["Speed", "Parking"],
            field(survey, "comment"): "The queue was long <b>today</b>",
        },
    )
    assert page.status_code == 422
    html = page.content.decode()
    assert 'role="alert"' in html
    csat, ces, stood = field(survey, "csat"), field(survey, "ces"), field(survey, "stood_out")
    assert f'<p class="field-error" id="{csat}-error">This question needs an answer.</p>' in html
    assert f'id="{stood}-error">&#x27;Parking&#x27; is not one of the choices' in html
    assert f'name="{ces}" value="4" checked' in html
    assert re.search(rf'name="{stood}" value="Speed" checked', html)
    assert "The queue was long &lt;b&gt;today&lt;/b&gt;</textarea>" in html
    assert f'<a href="#{csat}">' in html  # the summary links to the question
    assert Response.objects.count() == 0


def test_a_form_with_no_answer_at_all_says_so(client, personas):
    survey = open_survey(personas.bakery, "community_perception")
    survey.questions.update(required=False)
    page = answer(client, f"/s/{survey.public_token}/", {})
    assert page.status_code == 422
    assert "Please answer at least one question." in page.content.decode()


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.CLOSED])
def test_a_survey_not_taking_answers_shows_a_polite_page(client, personas, status):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, status)
    url = f"/s/{survey.public_token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "This survey is closed" in page.content.decode()
    assert client.post(url, {field(survey, "nps"): "8"}).status_code == 200
    assert Response.objects.count() == 0


def test_a_survey_without_a_public_link_is_not_found(client, personas):
    survey = open_survey(personas.bakery, "customer_nps", public_link=False)
    assert client.get(f"/s/{survey.public_token}/").status_code == 404
    assert client.get(f"/s/{survey.public_token}/embed/").status_code == 404
    assert client.get("/s/no-such-token/").status_code == 404


def test_the_website_version_can_be_framed_and_is_counted_as_the_website(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    assert client.get(f"/s/{survey.public_token}/")["X-Frame-Options"] == "DENY"
    url = f"/s/{survey.public_token}/embed/"
    page = client.get(url)
    assert page.status_code == 200 and "X-Frame-Options" not in page
    assert 'class="answer embed"' in page.content.decode()
    done = answer(client, url, {field(survey, "nps"): "7"})
    assert done.status_code == 200 and "X-Frame-Options" not in done
    assert Response.objects.get().channel == Channel.EMBED


def test_a_double_click_is_stored_once_but_two_people_with_the_same_answers_count_twice(
    client, personas
):
    survey = open_survey(personas.bakery, "customer_nps", anonymity=Anonymity.ANONYMOUS)
    url = f"/s/{survey.public_token}/"
    form = {"submission": submission(client.get(url)), field(survey, "nps"): "10"}
    assert client.post(url, form).status_code == 200
    again = client.post(url, form)
    assert again.status_code == 200
    assert "We already have your answers" in again.content.decode()
    assert Response.objects.count() == 1
    # Another customer who also gives a 10 and says nothing is another answer.
    assert answer(client, url, {field(survey, "nps"): "10"}).status_code == 200
    assert Response.objects.count() == 2


def test_a_form_sent_without_its_key_falls_back_to_the_answers_fingerprint(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    data = {field(survey, "nps"): "3", field(survey, "reason"): "Cold coffee"}
    assert client.post(url, data).status_code == 200
    again = client.post(url, data)
    assert "We already have your answers" in again.content.decode()
    assert Response.objects.count() == 1


def test_a_public_respondent_may_leave_an_email_to_hear_what_changed(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    assert "May we tell you what changed?" in client.get(url).content.decode()
    missing = answer(client, url, {field(survey, "nps"): "6", "may_contact": "yes"})
    assert missing.status_code == 422
    assert "Please give your email" in missing.content.decode()
    assert Response.objects.count() == 0
    done = answer(
        client, url, {field(survey, "nps"): "6", "may_contact": "yes", "email": "ann@example.com"}
    )
    assert done.status_code == 200
    response = Response.objects.get()
    assert response.may_contact and response.contact_email == "ann@example.com"


def test_an_email_without_consent_is_not_kept(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    url = f"/s/{survey.public_token}/"
    answer(client, url, {field(survey, "nps"): "6", "email": "ann@example.com"})
    response = Response.objects.get()
    assert not response.may_contact and response.contact_email == ""


def test_an_anonymous_survey_asks_for_no_contact(client, personas):
    survey = open_survey(personas.bakery, "community_perception")
    assert survey.is_anonymous
    html = client.get(f"/s/{survey.public_token}/").content.decode()
    assert "May we tell you what changed?" not in html and 'name="email"' not in html


# --- personal links -----------------------------------------------------------------------


def test_a_personal_link_answers_once_for_its_person(client, personas):
    survey = open_survey(personas.bakery, "supplier_check")
    mill = create_person(personas.bakery, group="supplier", name="Mill", email="m@example.com")
    (invitation,) = actions.invite(survey, [mill])
    url = f"/a/{invitation.token}/"
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    html = page.content.decode()
    assert 'name="email"' not in html  # the person is known: consent only
    done = answer(client, url, {field(survey, "nps"): "8", "may_contact": "yes"})
    assert done.status_code == 200
    response = Response.objects.get()
    assert response.person == mill and response.channel == Channel.PERSONAL
    assert response.may_contact and response.contact_email == ""
    invitation.refresh_from_db()
    assert invitation.answered
    for used in (client.get(url), client.post(url, {field(survey, "nps"): "2"})):
        assert "You have already answered, thank you." in used.content.decode()
    assert Response.objects.count() == 1
    assert client.get("/a/not-a-token/").status_code == 404


def test_an_anonymous_surveys_personal_link_says_the_answer_is_not_linked(client, personas):
    survey = open_survey(personas.bakery, "employee_pulse")
    bea = create_person(personas.bakery, group="employee", name="Bea", email="bea@example.com")
    (invitation,) = actions.invite(survey, [bea])
    url = f"/a/{invitation.token}/"
    html = client.get(url).content.decode()
    assert "your answer will not be linked to you" in html
    better = next(
        x for x in actions.questions_for_round(survey, invitation.round) if x.key == "better"
    )
    done = answer(client, url, {f"q{better.pk}": "More hands on Saturday"})
    assert done.status_code == 200
    response = Response.objects.get()
    assert response.person is None and response.submitted_at is None
    assert response.group == "employee"
    assert Invitation.objects.get().answered


def test_a_personal_link_to_a_closed_survey_shows_the_closed_page(client, personas):
    survey = open_survey(personas.bakery, "supplier_check")
    mill = create_person(personas.bakery, group="supplier", name="Mill", email="m@example.com")
    (invitation,) = actions.invite(survey, [mill])
    actions.set_status(survey, SurveyStatus.CLOSED)
    assert "This survey is closed" in client.get(f"/a/{invitation.token}/").content.decode()


# --- the conversation ---------------------------------------------------------------------


def test_the_respondent_reads_replies_and_writes_back_through_their_link(client, personas):
    survey = open_survey(personas.bakery, "community_perception")
    submitted = actions.submit_response(
        survey, {q(survey, "rating"): 2, q(survey, "ideas"): "Less noise at 5am"}, channel="public"
    )
    url = f"/r/{submitted.reply_token}/"
    assert "No reply yet" in client.get(url).content.decode()
    actions.reply(submitted.response, personas.bob_member, "Sorry! We moved the deliveries.")
    page = client.get(url)
    html = page.content.decode()
    assert "Sorry! We moved the deliveries." in html and "From Alice&#x27;s Bakery" in html
    assert "Less noise at 5am" in html  # their own answers, for context
    assert page["Referrer-Policy"] == "no-referrer"
    assert FollowUpMessage.objects.get(author=Author.BUSINESS).read_by_respondent

    sent = client.post(url, {"message": "Thank you, much better now."})
    assert sent.status_code == 302 and sent["Location"] == url + "?sent=1"
    mine = FollowUpMessage.objects.get(author=Author.RESPONDENT)
    assert mine.text == "Thank you, much better now." and mine.sent_at is None  # anonymous
    assert "Your message was sent." in client.get(sent["Location"]).content.decode()

    empty = client.post(url, {"message": "   "})
    assert empty.status_code == 422 and "The message is empty." in empty.content.decode()
    assert FollowUpMessage.objects.count() == 2


def test_an_unknown_conversation_link_is_not_found(client, db):
    assert client.get("/r/made-up-token/").status_code == 404
    assert client.post("/r/made-up-token/", {"message": "hi"}).status_code == 404


# --- the suggestion box -------------------------------------------------------------------


def test_a_named_suggestion_keeps_the_name_and_email_as_typed_and_adds_no_one(client, personas):
    box = actions.suggestion_box(personas.bakery)
    url = f"/s/{box.public_token}/"
    html = client.get(url).content.decode()
    assert "leave empty to stay anonymous" in html and "May we tell you" not in html
    done = answer(
        client,
        url,
        {
            field(box, "writer"): "A member of staff",
            field(box, "suggestion"): "A second oven timer",
            "name": "Sam Baker",
            "email": "sam@example.com",
        },
    )
    assert done.status_code == 200
    response = Response.objects.get()
    assert response.person is None and response.may_contact
    assert response.contact_email == "sam@example.com" and response.contact_name == "Sam Baker"
    assert response.submitted_at is not None  # named: no longer anonymous
    assert not Person.objects.exists()


def test_a_typed_email_never_posts_as_the_person_who_owns_it(client, personas):
    ann = create_person(personas.bakery, group="customer", name="Ann", email="Ann@Example.com")
    box = actions.suggestion_box(personas.bakery)
    answer(
        client,
        f"/s/{box.public_token}/",
        {
            field(box, "writer"): "A neighbour",
            field(box, "suggestion"): "Fire the manager",
            "name": "Ann",
            "email": "ann@example.com",
        },
    )
    response = Response.objects.get()
    assert response.person is None and response.contact_email == "ann@example.com"
    assert not ann.responses.exists()
    assert list(Person.objects.all()) == [ann]


def test_a_public_surveys_contact_email_links_to_no_one(client, personas):
    dana = create_person(personas.bakery, group="customer", name="Dana", email="dana@example.com")
    survey = open_survey(personas.bakery, "customer_nps")
    answer(
        client,
        f"/s/{survey.public_token}/",
        {field(survey, "nps"): "1", "may_contact": "yes", "email": "dana@example.com"},
    )
    response = Response.objects.get()
    assert response.person is None and response.contact_email == "dana@example.com"
    assert not dana.responses.exists() and Person.objects.count() == 1


def test_a_named_suggestion_is_answered_at_the_email_typed(client, personas, mailoutbox):
    box = actions.suggestion_box(personas.bakery)
    answer(
        client,
        f"/s/{box.public_token}/",
        {field(box, "suggestion"): "Oat milk, please", "name": "Sam", "email": "sam@example.com"},
    )
    item = Response.objects.get()
    login(client, personas.bob)

    page = client.get(f"/w/alices-bakery/feedback/inbox/{item.pk}/").content.decode()
    client.post(
        f"/w/alices-bakery/feedback/inbox/{item.pk}/reply/", {"text": "We stock it from Monday."}
    )

    assert "Sam (sam@example.com)" in page
    assert "typed on a public page and are not verified" in page
    [email] = mailoutbox
    assert email.to == ["sam@example.com"] and email.body.startswith("Hello Sam,")
    assert "We stock it from Monday." in email.body


def test_a_suggestion_left_unnamed_stays_anonymous(client, personas):
    box = actions.suggestion_box(personas.bakery)
    done = answer(client, f"/s/{box.public_token}/", {field(box, "suggestion"): "More seats"})
    assert "Keep this link" in done.content.decode()
    response = Response.objects.get()
    assert response.person is None and response.contact_email == ""
    assert not Person.objects.exists()


def test_a_name_without_an_email_asks_for_one_and_adds_no_one(client, personas):
    box = actions.suggestion_box(personas.bakery)
    url = f"/s/{box.public_token}/"
    page = answer(client, url, {field(box, "suggestion"): "Music", "name": "Sam"})
    assert page.status_code == 422
    html = page.content.decode()
    assert "Please add your email too" in html and 'value="Sam"' in html
    bad = answer(client, url, {field(box, "suggestion"): "Music", "email": "not-an-email"})
    assert "This email address does not look right." in bad.content.decode()
    assert 'value="not-an-email"' in bad.content.decode()
    assert not Response.objects.exists() and not Person.objects.exists()


def test_a_named_suggestion_that_fails_adds_no_one(client, personas):
    box = actions.suggestion_box(personas.bakery)
    page = answer(client, f"/s/{box.public_token}/", {"name": "Sam", "email": "sam@example.com"})
    assert page.status_code == 422  # the suggestion itself is required
    assert not Person.objects.exists()


# --- words in the survey's language -------------------------------------------------------


def test_every_language_has_every_phrase():
    english = set(PHRASES["en"])
    for code, _name in LANGUAGES:
        assert code in PHRASES, f"no phrases for {code}"
    for code, words in PHRASES.items():
        assert set(words) == english, f"{code}: missing {english - set(words)}"
        for key, text in words.items():
            assert text.strip(), f"{code}.{key} is empty"
            assert set(re.findall(r"{(\w+)}", text)) == set(
                re.findall(r"{(\w+)}", PHRASES["en"][key])
            ), f"{code}.{key} has other placeholders than English"


def test_the_page_speaks_the_surveys_language(client, personas):
    survey = open_survey(personas.bakery, "customer_nps", language="fr")
    html = client.get(f"/s/{survey.public_token}/").content.decode()
    assert '<html lang="fr">' in html
    assert "Envoyer mes réponses" in html and "Pas du tout probable" in html
    page = answer(client, f"/s/{survey.public_token}/", {field(survey, "nps"): "11"})
    # The reason is in French, even though the check behind it is shared.
    assert "Choisissez l&#x27;une des réponses proposées." in page.content.decode()
    assert phrases_for("fr-BE")["send"] == "Envoyer mes réponses"


def test_an_unknown_language_falls_back_to_english(client, personas):
    survey = open_survey(personas.bakery, "customer_nps", language="tlh")
    html = client.get(f"/s/{survey.public_token}/").content.decode()
    assert '<html lang="tlh">' in html and "Send my answers" in html


# --- QR codes and the website snippet -----------------------------------------------------


def test_staff_get_the_public_link_as_a_qr_code(client, personas):
    survey = open_survey(personas.bakery, "customer_nps")
    base = f"/w/alices-bakery/feedback/surveys/{survey.pk}"
    login(client, personas.bob)
    png = client.get(f"{base}/qr.png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get(f"{base}/qr.svg?download")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert svg["Content-Disposition"].startswith("attachment")
    login(client, personas.vera)
    assert client.get(f"{base}/qr.png").status_code == 404  # viewers do not hand links out
    login(client, personas.charlie)
    assert client.get(f"{base}/qr.svg").status_code == 404


def test_the_qr_code_holds_the_public_link(personas, settings):
    settings.RAPPORT_PUBLIC_URL = "https://feedback.example.com"
    survey = open_survey(personas.bakery, "customer_nps", title='Tell "us" <now>')
    assert qr.survey_link(survey) == f"https://feedback.example.com/s/{survey.public_token}/"
    assert qr.qr_svg(survey).startswith(b"<?xml")
    snippet = qr.embed_snippet(survey)
    assert f'src="https://feedback.example.com/s/{survey.public_token}/embed/"' in snippet
    assert 'title="Tell &quot;us&quot; &lt;now&gt;"' in snippet
