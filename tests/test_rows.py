"""lib/rows reads what the ORM reads: every field's value converted as Django converts it
(aware datetimes, booleans, JSON, keys), whatever order the query gives the columns in."""

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from rapport.feedback import actions
from rapport.feedback.models import Question, Survey
from rapport.lib.rows import Rows

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def survey(personas):
    survey = actions.create_survey(personas.bakery, blueprint="customer_nps")
    survey.closes_at = timezone.now() + dt.timedelta(days=3)
    survey.ask_contact = False
    survey.save()
    return survey


def test_it_reads_what_the_orm_reads(survey):
    questions = list(survey.questions.all())
    questions[0].options = ["Yes", "No"]
    questions[0].save()
    by_survey = Rows(
        Question,
        f'SELECT * FROM "{Question._meta.db_table}" WHERE "survey_id" = %s ORDER BY "position", "id"',  # noqa: S608
    )
    read = by_survey([survey.pk])
    assert [values(q) for q in read] == [values(q) for q in survey.questions.all()]
    assert read[0].options == ["Yes", "No"] and isinstance(read[0].required, bool)
    assert not read[0]._state.adding and read[0]._state.db == "default"

    (again,) = Rows(Survey, f'SELECT * FROM "{Survey._meta.db_table}" WHERE "id" = %s')(  # noqa: S608
        [survey.pk]
    )
    assert values(again) == values(Survey.objects.get(pk=survey.pk))
    assert again.closes_at.tzinfo is not None and again.ask_contact is False


def test_it_reads_the_columns_in_any_order(survey):
    columns = [f'"{f.column}"' for f in Survey._meta.concrete_fields][::-1]
    reversed_columns = Rows(
        Survey,
        f'SELECT {", ".join(columns)} FROM "{Survey._meta.db_table}" WHERE "id" = %s',  # noqa: S608
    )
    assert model_to_dict(reversed_columns([survey.pk])[0]) == model_to_dict(survey)
    assert values(reversed_columns([survey.pk])[0]) == values(Survey.objects.get(pk=survey.pk))


def test_it_refuses_a_query_without_every_column(survey):
    some = Rows(Survey, f'SELECT "id", "title" FROM "{Survey._meta.db_table}"')  # noqa: S608
    with pytest.raises(ValueError, match="every column"):
        some([])


def test_it_runs_one_query(survey, django_assert_num_queries):
    by_id = Rows(Survey, f'SELECT * FROM "{Survey._meta.db_table}" WHERE "id" = %s')  # noqa: S608
    with django_assert_num_queries(1):
        assert by_id([survey.pk])[0].pk == survey.pk
    assert by_id([survey.pk + 1000]) == []
