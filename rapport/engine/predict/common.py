"""What the predictive models share: input checks and plain words for spans of time."""

import numpy as np
import pandas as pd

MODEL_VERSION = "predict-2"


def check_columns(frame, columns: list[str]) -> None:
    """A clear error when ``frame`` is not a table or lacks one of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a table (pandas DataFrame), got {type(frame).__name__}")
    for column in columns:
        if column not in frame.columns:
            raise ValueError(
                f"column '{column}' is missing (columns: {', '.join(map(str, frame.columns))})"
            )


def first_bad(mask: pd.Series):
    """The index label (the row) of the first True in ``mask``, or None."""
    flags = np.asarray(mask, dtype=bool)
    return None if not flags.any() else mask.index[int(np.flatnonzero(flags)[0])]


def plain_span(days: float) -> str:
    """'3 days', '5 weeks', '4 months', '2 years'."""
    days = max(float(days), 0)
    if days < 14:
        n, unit = round(days), "day"
    elif days < 70:
        n, unit = round(days / 7), "week"
    elif days < 730:
        n, unit = round(days / 30.44), "month"
    else:
        n, unit = round(days / 365.25, 1), "year"
        n = int(n) if n == int(n) else n
    return f"{n} {unit}" + ("" if n == 1 else "s")
