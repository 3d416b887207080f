"""What followed an item, and the list's effect, over plain rows."""

from datetime import UTC, date, datetime, timedelta

from rapport.engine.outreach import DeliveryRow, ReadingRow
from rapport.engine.outreach_effect import Marked, Share, list_effect, what_followed

AT = datetime(2025, 3, 3, 10, tzinfo=UTC)
TODAY = date(2025, 6, 30)


def reading(days, score):
    return ReadingRow(1, AT + timedelta(days=days), score)


def test_a_cooler_mood_after_is_said_as_down_with_a_true_minus_sign():
    marked = Marked(AT, "customer", readings=(reading(-10, 0.3), reading(5, -0.2)))
    assert "sentiment down from +0.3 to \N{MINUS SIGN}0.2" in what_followed(marked, TODAY).words()


def test_readings_outside_the_windows_do_not_count():
    marked = Marked(
        AT, "customer", readings=(reading(-100, -0.9), reading(-1, 0.1), reading(40, 0.9))
    )
    followed = what_followed(marked, TODAY)
    assert followed.sentiment_before == (0.1,) and followed.sentiment_after == ()


def test_a_purchase_on_the_same_day_is_not_counted_as_after():
    marked = Marked(AT, "customer", purchases=(AT.date(), AT.date() + timedelta(days=57)))
    assert not what_followed(marked, TODAY).bought


def test_a_supplier_has_no_purchase_words_but_its_deliveries():
    rows = (DeliveryRow(1, AT.date() + timedelta(days=3), AT.date() + timedelta(days=3)),)
    words = what_followed(Marked(AT, "supplier", deliveries=rows), TODAY).words()
    assert words == "no reply in 28 days; on time 100% (1 of 1) since"


def test_a_share_of_nine_is_not_enough_data_and_of_ten_has_an_interval():
    assert Share(9, 9).words() == "not enough data (9 items)"
    assert Share(5, 10).words() == "50% (5 of 10; likely 24%–76%)"


def test_equal_shares_are_no_clear_difference():
    replied = [Marked(AT, "customer", next_message_at=AT + timedelta(days=2))] * 5
    silent = [Marked(AT, "customer")] * 5
    effect = list_effect(replied + silent, replied + silent, AT.date() + timedelta(days=60))
    assert effect.replied.words().startswith("No clear difference: +0 points")
    assert effect.bought.done.n == 10 and effect.bought.done.hits == 0
