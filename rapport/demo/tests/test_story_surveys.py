"""The surveys carry the stories: the Bakehouse's pulse falls, office catering's NPS falls,
and the anonymous surveys store what real anonymous answers would."""

from datetime import timedelta

from django.db.models import Avg, Count, Q

from rapport.demo.customers import OFFICE_CATERING
from rapport.demo.staff import BAKEHOUSE
from rapport.demo.tests.conftest import AS_OF, HALF_YEAR
from rapport.feedback.choices import FollowUp
from rapport.feedback.models import Answer, Response, Survey
from rapport.people.choices import Group


def test_the_bakehouse_pulse_on_workload_falls_while_other_teams_hold(demo, db):
    rounds = sorted(
        set(
            Response.objects.filter(workspace=demo, survey__blueprint="employee_pulse").values_list(
                "round", flat=True
            )
        )
    )
    early, late = rounds[:8], rounds[-8:]

    def mean(team_filter, chosen):
        return Answer.objects.filter(
            team_filter,
            response__survey__workspace=demo,
            response__round__in=chosen,
            question__topic__in=("workload", "wellbeing"),
        ).aggregate(a=Avg("number"))["a"]

    bakehouse = Q(response__team__name=BAKEHOUSE)
    assert mean(bakehouse, late) <= mean(bakehouse, early) - 0.8
    others = ~bakehouse
    assert abs(mean(others, late) - mean(others, early)) < 0.4


def test_office_catering_nps_turns_negative_in_the_last_months(demo, db):
    answers = Answer.objects.filter(
        response__workspace=demo, question__kind="nps", response__segment=OFFICE_CATERING
    ).aggregate(
        before=Avg("number", filter=Q(response__submitted_on__lt=AS_OF - HALF_YEAR)),
        recent=Avg("number", filter=Q(response__submitted_on__gte=AS_OF - timedelta(days=75))),
    )
    assert answers["recent"] <= answers["before"] - 2


def test_anonymous_demo_answers_keep_no_person_and_only_the_week(demo, db):
    anonymous = Response.objects.filter(workspace=demo, survey__anonymity="anonymous")
    assert anonymous.exists()
    assert not anonymous.filter(person__isnull=False).exclude(survey__kind="suggestions").exists()
    pulse = anonymous.filter(survey__blueprint="employee_pulse")
    assert not pulse.filter(submitted_at__isnull=False).exists()
    assert {d.weekday() for d in pulse.values_list("submitted_on", flat=True)} == {0}
    assert pulse.filter(group=Group.EMPLOYEE, team__isnull=False).count() == pulse.count()


def test_part_of_the_feedback_has_its_loop_closed(demo, db):
    statuses = dict(
        Response.objects.filter(workspace=demo).values_list("status").annotate(n=Count("id"))
    )
    assert statuses[FollowUp.DONE] >= 10 and statuses[FollowUp.NEW] > statuses[FollowUp.DONE]
    done = Response.objects.filter(workspace=demo, status=FollowUp.DONE)
    assert not done.filter(what_we_did="").exists()
    assert not done.filter(acknowledged_at__isnull=True).exists()
    assert Survey.objects.filter(workspace=demo, kind="suggestions").count() == 1
