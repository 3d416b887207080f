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


# --- needs a human ------------------------------------------------------------------------

BITEXT_HUMAN_INTENTS = ("complaint", "contact_human_agent")


def load_bitext() -> tuple[list[str], list[int], list[str]]:
    """The Bitext customer-service sample: utterances, 1 for the intents that stand in for
    "needs a human" (``BITEXT_HUMAN_INTENTS``) and 0 for the rest, and each row's intent.

    No licence is stated for this sample: evaluation only, never training data.
    """
    folder = shared_data_dir() / "bitext_customer_service_intents"
    path = folder / "Bitext_Sample_Customer_Service_Training_Dataset.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    texts = [r["utterance"] for r in rows]
    intents = [r["intent"] for r in rows]
    return texts, [int(i in BITEXT_HUMAN_INTENTS) for i in intents], intents


def roc_auc(truth: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve: the chance that a random positive outscores a random
    negative, ties counting half (the Mann-Whitney statistic)."""
    truth = np.asarray(truth, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    positives, negatives = int(truth.sum()), int((~truth).sum())
    if not positives or not negatives:
        raise ValueError("ROC-AUC needs both positives and negatives")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return float((ranks[truth].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def precision_recall_at(
    truth: Sequence[int], scores: Sequence[float], threshold: float
) -> tuple[float, float]:
    """Precision and recall of flagging every score ≥ ``threshold``."""
    truth = np.asarray(truth, dtype=bool)
    flagged = np.asarray(scores, dtype=float) >= threshold
    hits = int((truth & flagged).sum())
    return hits / max(1, int(flagged.sum())), hits / max(1, int(truth.sum()))


def threshold_for_recall(truth: Sequence[int], scores: Sequence[float], recall: float) -> float:
    """The highest threshold whose flags (score ≥ threshold) reach ``recall``."""
    truth = np.asarray(truth, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    positive_scores = np.sort(scores[truth])[::-1]
    needed = max(1, int(np.ceil(recall * len(positive_scores))))
    return float(positive_scores[needed - 1])


def precision_at_recall(truth: Sequence[int], scores: Sequence[float], recall: float) -> float:
    """The precision when the threshold is set just low enough to reach ``recall``."""
    return precision_recall_at(truth, scores, threshold_for_recall(truth, scores, recall))[0]


# --- more evaluation sets (evaluation only, never training data) --------------------------

AMAZON_STARS = {1: "negative", 2: "negative", 3: "neutral", 4: "positive", 5: "positive"}
DAIR_EMOTIONS = ("sadness", "joy", "love", "anger", "fear", "surprise")


def load_amazon_reviews() -> tuple[list[str], list[str]]:
    """Datafiniti's 5,000 Amazon product reviews: each review's body (``reviews.text``, not
    its title) and a sentiment from its stars (``AMAZON_STARS``: 1–2 negative, 3 neutral,
    4–5 positive).

    Licence not verified: evaluation only.
    """
    folder = shared_data_dir() / "amazon_datafiniti_reviews"
    path = folder / "Datafiniti_Amazon_Consumer_Reviews_of_Amazon_Products.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return (
        [r["reviews.text"] for r in rows],
        [AMAZON_STARS[int(float(r["reviews.rating"]))] for r in rows],
    )


def load_dair_emotion(split: str = "test") -> tuple[list[str], list[str]]:
    """dair-ai "emotion" (CARER, Saravia et al. 2018) ``train``, ``val`` or ``test``: short
    tweets and one of ``DAIR_EMOTIONS`` each (``text;label`` lines; blank lines skipped).

    Free for research and education only: evaluation only.
    """
    path = shared_data_dir() / "dair_ai_emotion" / f"{split}.txt"
    texts, labels = [], []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                text, label = line.rstrip("\n").rsplit(";", 1)
                texts.append(text)
                labels.append(label)
    return texts, labels


def load_bitext_flags() -> list[str]:
    """The Bitext sample's language flags, row by row as in :func:`load_bitext` (Bitext's
    letters: ``W`` offensive language, ``Q`` colloquial, ``Z`` typos, …)."""
    folder = shared_data_dir() / "bitext_customer_service_intents"
    path = folder / "Bitext_Sample_Customer_Service_Training_Dataset.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r["flags"] for r in csv.DictReader(f)]
