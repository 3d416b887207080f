"""The planted stories show up as predictions: the flour mill's next delivery, the cooling
office accounts, the Bakehouse team; and last quarter's replayed predictions are checked."""

from rapport.demo.customers import OFFICE_CATERING
from rapport.demo.staff import BAKEHOUSE
from rapport.demo.tests.conftest import AS_OF
from rapport.predictions import holdout
from rapport.predictions.choices import Subject
from rapport.predictions.models import Forecast


def _current(demo, subject):
    return Forecast.objects.filter(
        workspace=demo, run__current=True, run__subject=subject
    ).select_related("person", "team")


def test_the_flour_mills_next_delivery_is_the_likeliest_to_be_late(demo, db):
    suppliers = sorted(_current(demo, Subject.SUPPLIERS), key=lambda f: -f.risk)
    assert suppliers[0].person.name == "Moulin des Trois Ponts"
    assert "fell from" in suppliers[0].reasons[0]
    assert suppliers[0].risk > 2 * suppliers[-1].risk


def test_the_office_accounts_are_predicted_to_spend_less_than_last_year(demo, db):
    offices = [f for f in _current(demo, Subject.CUSTOMERS) if f.person.segment == OFFICE_CATERING]
    assert len(offices) == 22
    cooling = [f for f in offices if f.expected_value <= 0.8 * f.past_value]
    assert len(cooling) >= 15
    said = [f for f in offices if any("buying less often lately" in r for r in f.reasons)]
    assert len(said) >= 11


def test_the_bakehouse_is_the_team_most_likely_to_lose_someone(demo, db):
    teams = sorted(
        _current(demo, Subject.EMPLOYEES).filter(team__isnull=False), key=lambda f: -(f.risk or 0)
    )
    assert teams[0].team.name == BAKEHOUSE
    assert any("absent" in r for r in teams[0].reasons)
    assert not _current(demo, Subject.EMPLOYEES).filter(person__isnull=False).exists()


def test_last_quarters_predictions_are_replayed_and_checked(demo, db):
    result = holdout.customers(demo, today=AS_OF)
    assert result.run is not None and result.run.replayed
    assert result.enough and result.auc > 0.8 and result.brier < 0.15
