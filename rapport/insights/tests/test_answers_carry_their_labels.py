"""Each scored answer a refresh reads carries the labels of its own response's comment (its
themes by name, its emotion groups but neutral), which the drivers compare; an answer
whose response was not read carries none."""

from rapport.feedback.models import ResponseReading
from rapport.insights import sources
from rapport.insights.tests.factories import answer, last_month, noon, person, survey
from rapport.people.choices import Group
from rapport.understanding.models import Theme


def test_each_answer_carries_the_labels_of_its_response(personas):
    ws = personas.bakery
    month = last_month(ws)
    asked = survey(ws, comment=True)
    Theme.objects.create(workspace=ws, key="t-1", name="Waiting times")
    Theme.objects.create(workspace=ws, key="t-2", name="Fresh bread")

    for name, score, themes, groups in (
        ("Dana", 10, ["t-2"], ["joy", "neutral"]),
        ("Eli", 3, ["t-1", "t-9"], ["anger"]),
        ("Fay", 8, None, None),
    ):
        who = person(ws, Group.CUSTOMER, f"{name} Client")
        response = answer(asked, who, score, when=noon(ws, month.start), comment="About it")
        if themes is not None:
            ResponseReading.objects.create(
                workspace=ws,
                response=response,
                model_version="test",
                themes=themes,
                detected_groups=groups,
            )

    data = sources.read(ws, month.start, month.end, today=month.end)

    labels = {a.number: a.labels for a in data.answers if a.kind == "nps"}
    assert labels == {
        10: frozenset({"Fresh bread", "joy"}),
        3: frozenset({"Waiting times", "t-9", "anger"}),  # a theme gone keeps its key
        8: frozenset(),
    }
    responses = {a.number: a.response for a in data.answers}
    assert len(set(responses.values())) == 3
