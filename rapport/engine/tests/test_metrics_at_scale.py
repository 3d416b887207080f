"""A million rows go through a metric in one pass, with the same answer as a small sample
repeated: the metrics never build anything quadratic."""

from datetime import UTC, date, datetime, timedelta

import pytest

from rapport.engine.metrics import human_touch_share, repeat_purchase_rate, responsiveness

MILLION = 1_000_000


def test_a_million_purchases():
    first = date(2025, 1, 1)
    # 250,000 customers, four purchases each, spread over the year
    purchases = [(i % 250_000, first + timedelta(days=i % 365)) for i in range(MILLION)]
    result = repeat_purchase_rate(purchases, first, date(2026, 1, 1))
    assert result.n == 250_000 and result.value == 100
    assert result.parts["purchases"] == MILLION


def test_a_million_messages_and_interactions():
    start = datetime(2025, 1, 1, tzinfo=UTC)
    hour = timedelta(hours=1)
    messages = [(start, start + (i % 5) * hour) for i in range(MILLION)]  # 0–4 h, evenly
    result = responsiveness(messages)
    assert result.value == 2 and (result.low, result.high) == (2, 2) and result.enough
    assert result.parts["coverage"] == pytest.approx(0.95, abs=0.001)
    touched = human_touch_share(["person", "automation", None, "person"] * (MILLION // 4))
    assert result.n == MILLION and touched.n == 750_000
    assert touched.value == pytest.approx(200 / 3)
