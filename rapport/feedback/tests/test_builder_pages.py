"""Managers build surveys from templates, edit questions and share them; answers lock what
they were given under."""

from rapport.feedback import actions
from rapport.feedback.choices import SurveyStatus
from rapport.feedback.models import Question, Survey
from rapport.people.actions import create_person
from rapport.test import login


def test_a_manager_creates_a_pulse_from_its_template_and_opens_it(client, personas):
    c = login(client, personas.alice)
    response = c.post("/w/alices-bakery/feedback/new/", {"blueprint": "employee_pulse"})
    survey = Survey.objects.get(workspace=personas.bakery)
    assert response.url == f"/w/alices-bakery/feedback/surveys/{survey.pk}/"
    assert survey.status == SurveyStatus.DRAFT and survey.is_anonymous
    page = c.get(response.url).content.decode()
    assert "How likely are you to recommend working here" in page
    assert f"/s/{survey.public_token}/" in page and "iframe" in page
    c.post(f"/w/alices-bakery/feedback/surveys/{survey.pk}/status/", {"status": "open"})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_staff_see_surveys_but_cannot_create_or_change_them(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    c = login(client, personas.bob)
    assert c.get("/w/alices-bakery/feedback/").status_code == 200
    assert c.post("/w/alices-bakery/feedback/new/", {"blueprint": ""}).status_code == 404
    base = f"/w/alices-bakery/feedback/surveys/{survey.pk}"
    assert c.post(f"{base}/status/", {"status": "open"}).status_code == 404
    assert c.get(f"{base}/edit/").status_code == 404


def test_a_choice_question_needs_two_distinct_choices(client, personas):
    survey = actions.create_survey(personas.bakery, title="Blank")
    c = login(client, personas.alice)
    url = f"/w/alices-bakery/feedback/surveys/{survey.pk}/questions/new/"
    page = c.post(
        url,
        {
            "kind": "single",
            "text": "Which shop?",
            "options_text": "Old Town\n",
            "cadence": "every",
            "scale_max": 5,
        },
    )
    assert "Give at least two choices" in page.content.decode()
    c.post(
        url,
        {
            "kind": "single",
            "text": "Which shop?",
            "options_text": "Old Town\nStation",
            "cadence": "every",
            "scale_max": 5,
        },
    )
    assert Question.objects.get(survey=survey).options == ["Old Town", "Station"]


def test_once_answered_the_anonymity_and_the_question_kinds_are_locked(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    actions.set_status(survey, SurveyStatus.OPEN)
    nps = survey.questions.get(key="nps")
    actions.submit_response(survey, {nps: 7}, channel="public")
    c = login(client, personas.alice)
    base = f"/w/alices-bakery/feedback/surveys/{survey.pk}"
    form = c.get(f"{base}/edit/").context["form"]
    assert form.fields["anonymity"].disabled
    c.post(f"{base}/questions/{nps.pk}/delete/")
    assert Question.objects.filter(pk=nps.pk).exists()
    c.post(
        f"{base}/questions/{nps.pk}/",
        {"kind": "text", "text": "Would you recommend us?", "cadence": "every", "scale_max": 5},
    )
    nps.refresh_from_db()
    assert nps.kind == "nps" and nps.text == "Would you recommend us?"


def test_once_invitations_exist_the_anonymity_is_locked(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="employee_pulse")
    staff = create_person(personas.bakery, group="employee", name="Kim Baker", via="test")
    assert actions.invite(survey, [staff])
    c = login(client, personas.alice)
    url = f"/w/alices-bakery/feedback/surveys/{survey.pk}/edit/"

    form = c.get(url).context["form"]
    sent = {k: v for k, v in form.initial.items() if v is not None}
    c.post(url, {**sent, "anonymity": "named", "title": "Pulse"})

    assert form.fields["anonymity"].disabled
    survey.refresh_from_db()
    assert survey.is_anonymous and survey.title == "Pulse"


def test_once_answered_a_ratings_number_of_stars_is_locked(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="community_perception")
    actions.set_status(survey, SurveyStatus.OPEN)
    rating = survey.questions.get(kind="rating")
    actions.submit_response(survey, {rating: 4}, channel="public")
    c = login(client, personas.alice)

    c.post(
        f"/w/alices-bakery/feedback/surveys/{survey.pk}/questions/{rating.pk}/",
        {"kind": "rating", "text": rating.text, "cadence": "every", "scale_max": 10},
    )

    rating.refresh_from_db()
    assert rating.scale_max == 5


def test_questions_move_up_and_down(client, personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    first, second, third = survey.questions.all()
    login(client, personas.alice).post(
        f"/w/alices-bakery/feedback/surveys/{survey.pk}/questions/{third.pk}/move/",
        {"direction": "up"},
    )
    assert list(survey.questions.values_list("key", flat=True)) == ["nps", "improve", "reason"]


def test_visiting_the_suggestion_box_link_creates_nothing(client, personas):
    for user in (personas.vera, personas.bob, personas.alice):
        page = login(client, user).get("/w/alices-bakery/feedback/suggestions/", follow=True)
        assert page.redirect_chain[-1][0] == "/w/alices-bakery/feedback/"
        assert "There is no suggestion box yet" in page.content.decode()
    assert not Survey.objects.exists()
    for user in (personas.vera, personas.bob):
        assert login(client, user).post("/w/alices-bakery/feedback/suggestions/").status_code == 404
    assert not Survey.objects.exists()
    listing = login(client, personas.alice).get("/w/alices-bakery/feedback/").content.decode()
    assert "Set up the suggestion box" in listing


def test_the_suggestion_box_is_made_once_and_cannot_be_closed(client, personas):
    c = login(client, personas.alice)
    first = c.post("/w/alices-bakery/feedback/suggestions/").url
    assert c.post("/w/alices-bakery/feedback/suggestions/").url == first
    assert c.get("/w/alices-bakery/feedback/suggestions/").url == first
    box = Survey.objects.get(workspace=personas.bakery, kind="suggestions")
    assert box.created_by == personas.alice_member
    assert box.status == SurveyStatus.OPEN
    c.post(f"/w/alices-bakery/feedback/surveys/{box.pk}/status/", {"status": "closed"})
    box.refresh_from_db()
    assert box.status == SurveyStatus.OPEN
