"""Labelled data and scores for measuring the text models, shared by the training script and
the benchmarks so that both read the same splits and count the same way.

The data sets live outside the repository (``../shared/data`` beside the checkout, or the
folder named by ``RAPPORT_SHARED_DATA``); see each folder's PROVENANCE.md for licences.
Only GoEmotions (Apache-2.0) may train shipped weights; the others are for evaluation.
"""

import csv
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .emotions import EMOTIONS, SENTIMENTS

AIRLINE_SEED = 20240
AIRLINE_EVAL_SHARE = 0.2


def shared_data_dir() -> Path:
    """Where the labelled data sets are."""
    if os.environ.get("RAPPORT_SHARED_DATA"):
        return Path(os.environ["RAPPORT_SHARED_DATA"])
    return Path(__file__).resolve().parents[3].parent / "shared" / "data"


def load_goemotions(split: str) -> tuple[list[str], np.ndarray]:
    """GoEmotions ``train`` or ``dev``: texts and a (n, 28) 0/1 label matrix."""
    path = shared_data_dir() / "goemotions" / f"{split}.tsv"
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            texts.append(row[0])
            y = np.zeros(len(EMOTIONS), dtype=np.float32)
            y[[int(i) for i in row[1].split(",")]] = 1.0
            labels.append(y)
    return texts, np.stack(labels)


def load_airline_eval() -> tuple[list[str], list[str]]:
    """The fixed, seeded 20% evaluation split of the airline tweets: texts and sentiments.

    CC BY-NC-SA: evaluation only, never training data for shipped weights.
    """
    path = shared_data_dir() / "twitter_airline_sentiment" / "Tweets.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(r["text"], r["airline_sentiment"]) for r in csv.DictReader(f)]
    order = np.random.default_rng(AIRLINE_SEED).permutation(len(rows))
    keep = order[: round(len(rows) * AIRLINE_EVAL_SHARE)]
    return [rows[i][0] for i in keep], [rows[i][1] for i in keep]


def load_sst2_dev() -> tuple[list[str], list[int]]:
    """SST-2 (GLUE dev): sentences and 0 (negative) / 1 (positive)."""
    path = shared_data_dir() / "sst2_glue_dev" / "dev.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    key = "sentence" if "sentence" in rows[0] else "text"
    return [r[key] for r in rows], [int(r["label"]) for r in rows]


def f1_scores(truth: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Per-column F1 of two (n, k) 0/1 matrices (0 where a column has no positives at all)."""
    truth, predicted = truth.astype(bool), predicted.astype(bool)
    tp = (truth & predicted).sum(0)
    denominator = truth.sum(0) + predicted.sum(0)
    return np.where(denominator > 0, 2 * tp / np.maximum(denominator, 1), 0.0)


def macro_f1(truth: Sequence[str], predicted: Sequence[str], labels=SENTIMENTS) -> float:
    """Macro-F1 of single-label predictions over ``labels``."""
    t = np.array([[x == label for label in labels] for x in truth])
    p = np.array([[x == label for label in labels] for x in predicted])
    return float(f1_scores(t, p).mean())


def best_thresholds(truth: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Per column, the threshold on ``scores`` that maximises F1 on this data."""
    grid = np.round(np.arange(0.02, 0.96, 0.01), 2)
    best = np.full(truth.shape[1], 0.5)
    for j in range(truth.shape[1]):
        f1 = [f1_scores(truth[:, [j]], scores[:, [j]] >= t)[0] for t in grid]
        best[j] = grid[int(np.argmax(f1))]
    return best


def group_matrix(matrix: np.ndarray, groups: dict[str, tuple[str, ...]]) -> np.ndarray:
    """Collapse a (n, 28) label or score matrix to (n, groups): the max over each group."""
    index = {e: i for i, e in enumerate(EMOTIONS)}
    return np.stack(
        [matrix[:, [index[e] for e in members]].max(1) for members in groups.values()], axis=1
    )
