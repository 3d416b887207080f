"""A delivery is learned from with its supplier's record as it stood a quarter before it was
due, as it will be when predicting ahead of time."""

import pandas as pd

from rapport.engine.predict import delivery


def test_the_last_quarter_is_not_yet_in_the_record():
    due = pd.to_datetime(["2026-01-01", "2026-02-01", "2026-06-01", "2026-06-02"])
    frame = pd.DataFrame({"supplier": "mill", "_due": due, "_late": [1, 1, 0, 0]})
    history = delivery._history(frame, overall=0.5, lag_days=90)
    shrink = delivery.SHRINK
    # The first two see nothing; those due in June see both January and February (late).
    assert history["supplier_late_share"].tolist()[:2] == [0.5, 0.5]
    assert history["supplier_late_share"].iloc[2] == (2 + shrink * 0.5) / (2 + shrink)
    # Without the lag each row sees every earlier row.
    fresh = delivery._history(frame, overall=0.5, lag_days=0)
    assert fresh["supplier_late_share"].iloc[1] == (1 + shrink * 0.5) / (1 + shrink)
