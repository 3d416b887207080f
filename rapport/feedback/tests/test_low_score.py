"""``low_score()`` — the database's reading of a low score — agrees with ``actionable()`` on
every scale and every value, so the inbox and the feedback inbox mean the same thing."""

from rapport.feedback.actions import (
    actionable,
    create_survey,
    low_score,
    set_status,
    submit_response,
)
from rapport.feedback.choices import QuestionKind, SurveyStatus
from rapport.feedback.models import Answer

SCALED = [
    (QuestionKind.NPS, 10),
    (QuestionKind.ENPS, 10),
    (QuestionKind.CSAT, 5),
    (QuestionKind.CES, 7),
    (QuestionKind.LIKERT, 5),
    (QuestionKind.RATING, 5),
    (QuestionKind.RATING, 10),
    (QuestionKind.RATING, 7),
]


def test_the_query_and_the_rule_agree_on_every_value(personas):
    questions = [
        {"kind": kind, "text": f"{kind} of {top}", "scale_max": top, "key": f"q{n}"}
        for n, (kind, top) in enumerate(SCALED)
    ]
    survey = create_survey(personas.bakery, questions=questions, title="Scales")
    set_status(survey, SurveyStatus.OPEN)
    expected = set()
    for question in survey.questions.all():
        low, high = question.scale
        for value in range(low, high + 1):
            clean = {question: value}
            submit_response(survey, clean, channel="public")
            if actionable(survey, clean):
                expected.add((question.pk, value))
    found = set(Answer.objects.filter(low_score()).values_list("question_id", "number"))
    assert found == expected
    assert len(expected) >= 8  # some of every scale
