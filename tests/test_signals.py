"""The apps' signal receivers: declared with @receiver in <app>/signals.py, connected once by
the AppConfig.ready() that imports the module."""

from django.db.models.signals import post_delete, post_save

from rapport.feedback import signals as feedback_signals
from rapport.feedback.models import Response
from rapport.insights import signals as insights_signals
from rapport.people.models import Interaction
from rapport.understanding import signals as understanding_signals


def receivers(signal, sender):
    return [r for r in signal._live_receivers(sender)[0]]


def test_arrival_receivers_are_connected_once():
    assert (
        receivers(post_save, Interaction).count(
            understanding_signals.analyze_interaction_on_arrival
        )
        == 1
    )
    assert receivers(post_save, Response).count(feedback_signals.analyze_response_on_arrival) == 1


def test_insights_marks_snapshots_stale_for_every_model_it_knows_the_day_of():
    for model in insights_signals.DAY_OF:
        for signal in (post_save, post_delete):
            assert receivers(signal, model).count(insights_signals.mark_stale) == 1, (
                model.__name__,
                signal,
            )
