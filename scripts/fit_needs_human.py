"""Fit the need-for-a-human weights and write rapport/engine/text/assets/needs_human.json.

    python scripts/fit_needs_human.py               # fit, measure, write the JSON
    python scripts/fit_needs_human.py --no-bitext   # skip the Bitext evaluation (faster)

Data: Rapport's own labelled messages (rapport/engine/datasets/business_messages.csv,
AGPL-3.0-or-later like the code, so the weights may ship). Rows from one template share most
of their words, so the split is by template: ``template % 5 != 0`` to fit, ``== 0`` as dev,
never looked at while fitting. Within the fit split, the four folds ``template % 5`` = 1..4
give out-of-fold scores that choose the L2 strength and the threshold (the lowest score that
still keeps out-of-fold recall ≥ RECALL_TARGET). Bitext's customer-service sample (no licence
stated) is scored for evaluation only.

The features are computed by rapport.engine.text.needs_human.signals from what ``analyze``
reads, so rerun this script whenever the model, the patterns or the features change.
Deterministic: plain Newton steps in numpy, no randomness.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.engine.text import analysis, evaluation, needs_human  # noqa: E402
from rapport.engine.text.clean import clean_text  # noqa: E402
from scripts.make_business_messages import build_rows  # noqa: E402

OUT = ROOT / "rapport" / "engine" / "text" / "assets" / "needs_human.json"
RECALL_TARGET = 0.9
DEV_EVERY = 5
L2_GRID = (0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Weights and intercept of an L2-penalised logistic regression (intercept unpenalised),
    by Newton's method: the mean log-loss plus ``l2`` / 2 · |w|²."""
    n, k = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) / n + penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design / n + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta[:-1], float(beta[-1])


def fit_constrained(
    x: np.ndarray, y: np.ndarray, l2: float, nonpositive: np.ndarray
) -> tuple[np.ndarray, float]:
    """:func:`fit_logistic` with the weights marked ``nonpositive`` kept ≤ 0: a feature that
    names no reason may lower a score but never raise it. One that comes out positive is
    dropped (weight 0) and the rest refitted, until none does."""
    free = np.ones(x.shape[1], dtype=bool)
    while True:
        weights = np.zeros(x.shape[1])
        weights[free], intercept = fit_logistic(x[:, free], y, l2)
        wrong = nonpositive & free & (weights > 0)
        if not wrong.any():
            return weights, intercept
        free &= ~wrong


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def predict(x: np.ndarray, weights: np.ndarray, intercept: float) -> np.ndarray:
    return 1 / (1 + np.exp(-(x @ weights + intercept)))


def read(texts: list[str], mode: str, prior_contacts=None):
    """What ``analyze`` reads of each text, and its signals (None where it gives no
    need-for-a-human score: unreadable or unsupported texts)."""
    results = analysis.analyze(texts, mode=mode, pii=False, prior_contacts=prior_contacts)
    found = []
    for text, result in zip(texts, results, strict=True):
        if not (result.ok and result.language_supported):
            found.append(None)
            continue
        found.append(
            needs_human.signals(
                clean_text(text).text,
                sentiment_score=result.sentiment.score if result.sentiment else None,
                emotions=result.emotions or None,
                mode=mode,
            )
        )
    return results, found


def matrix(found, names: list[str]) -> np.ndarray:
    return np.array(
        [[s.values.get(name, 0.0) if s else 0.0 for name in names] for s in found], dtype=float
    )


def fit_mode(mode: str, rows: list[dict], bitext) -> dict:
    texts = [r["text"] for r in rows]
    y = np.array([r["needs_human"] for r in rows], dtype=float)
    template = np.array([r["template"] for r in rows])
    fold = template % DEV_EVERY
    results, found = read(texts, mode)
    usable = np.array([s is not None for s in found])
    names = needs_human.feature_names(mode)
    x = matrix(found, names)
    # The tones name no reason (see needs_human.feature_names): they may only lower a score.
    nonpositive = np.array([name.startswith("tone:") for name in names])
    fit = (fold != 0) & usable
    print(
        f"[{mode}] {int(fit.sum())} rows to fit, {int((~usable).sum())} unreadable or unsupported"
    )

    # Out-of-fold scores on the fit split choose the L2 strength and the threshold.
    best = None
    for l2 in L2_GRID:
        oof = np.zeros(len(rows))
        for k in range(1, DEV_EVERY):
            train, held = fit & (fold != k), fit & (fold == k)
            w, b = fit_constrained(x[train], y[train], l2, nonpositive)
            oof[held] = predict(x[held], w, b)
        loss = log_loss(y[fit], oof[fit])
        print(f"[{mode}] l2={l2}: out-of-fold log-loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, l2, oof)
    _, l2, oof = best
    threshold = evaluation.threshold_for_recall(y[fit], oof[fit], RECALL_TARGET)
    oof_precision, oof_recall = evaluation.precision_recall_at(y[fit], oof[fit], threshold)
    weights, intercept = fit_constrained(x[fit], y[fit], l2, nonpositive)

    spec = {
        "model": next((r.model for r in results if r.model), ""),
        "features": names,
        "weights": [round(float(w), 4) for w in weights],
        "intercept": round(intercept, 4),
        "threshold": round(threshold, 4),
        "l2": l2,
        "fit_out_of_fold": {
            "roc_auc": round(evaluation.roc_auc(y[fit], oof[fit]), 4),
            "precision": round(oof_precision, 4),
            "recall": round(oof_recall, 4),
        },
    }
    scorer = needs_human.NeedsHumanModel(spec)
    assessed = [scorer.assess(s) if s else None for s in found]
    dev = fold == 0
    spec["dev"] = measure(y[dev], [a for a, d in zip(assessed, dev, strict=True) if d], threshold)
    spec["dev"]["per_reason"] = per_reason(
        [r for r, d in zip(rows, dev, strict=True) if d],
        [a for a, d in zip(assessed, dev, strict=True) if d],
    )
    if bitext is not None:
        bitext_texts, bitext_truth, intents = bitext
        _, bitext_found = read(bitext_texts, mode)
        bitext_assessed = [scorer.assess(s) if s else None for s in bitext_found]
        scores = [a.score if a else 0.0 for a in bitext_assessed]
        precision, recall = evaluation.precision_recall_at(bitext_truth, scores, threshold)
        spec["bitext"] = {
            "rows": len(bitext_texts),
            "positives": int(sum(bitext_truth)),
            "roc_auc": round(evaluation.roc_auc(bitext_truth, scores), 4),
            "precision_at_recall_0.8": round(
                evaluation.precision_at_recall(bitext_truth, scores, 0.8), 4
            ),
            "precision_at_threshold": round(precision, 4),
            "recall_at_threshold": round(recall, 4),
            "flagged_share_by_intent": flagged_share(scores, intents, threshold),
        }
    print(
        f"[{mode}] "
        + json.dumps({k: v for k, v in spec.items() if k not in ("features", "weights")})
    )
    return spec


def flagged_share(scores: list[float], groups: list[str], threshold: float) -> dict:
    """Per group (a Bitext intent), the share of its rows that would be flagged."""
    flagged = np.asarray(scores) >= threshold
    groups_array = np.asarray(groups)
    return {
        group: round(float(flagged[groups_array == group].mean()), 3)
        for group in sorted(set(groups))
    }


def measure(truth: np.ndarray, assessed: list, threshold: float) -> dict:
    scores = np.array([a.score if a else 0.0 for a in assessed])
    precision, recall = evaluation.precision_recall_at(truth, scores, threshold)
    return {
        "rows": len(truth),
        "positives": int(truth.sum()),
        "roc_auc": round(evaluation.roc_auc(truth, scores), 4),
        "precision_at_recall_0.8": round(evaluation.precision_at_recall(truth, scores, 0.8), 4),
        "threshold_for_recall_0.8": round(evaluation.threshold_for_recall(truth, scores, 0.8), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "flagged": int((scores >= threshold).sum()),
        "brier": round(float(((scores - truth) ** 2).mean()), 4),
        "mean_score": round(float(scores.mean()), 4),
        "positive_rate": round(float(truth.mean()), 4),
    }


def per_reason(rows: list[dict], assessed: list) -> dict:
    """Per labelled reason: how many dev rows, the share flagged, and the share whose listed
    reasons include the labelled one."""
    out = {}
    for code in needs_human.REASONS:
        mine = [a for r, a in zip(rows, assessed, strict=True) if r["reason"] == code]
        if not mine:
            continue
        flagged = sum(1 for a in mine if a and a.flagged)
        named = sum(1 for a in mine if a and code in {reason.code for reason in a.reasons})
        out[code] = {
            "rows": len(mine),
            "flagged": round(flagged / len(mine), 3),
            "named": round(named / len(mine), 3),
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-bitext", action="store_true", help="skip the Bitext evaluation")
    args = parser.parse_args()
    rows = build_rows()
    bitext = None
    if not args.no_bitext:
        try:
            bitext = evaluation.load_bitext()
        except OSError as error:
            print(f"Bitext not scored: {error}", file=sys.stderr)
    fold = np.array([r["template"] for r in rows]) % DEV_EVERY
    spec = {
        "name": "needs-human-logistic",
        "fitted_by": "scripts/fit_needs_human.py",
        "data": {
            "file": "rapport/engine/datasets/business_messages.csv",
            "rows": len(rows),
            "fit": "templates with template % 5 != 0",
            "dev": "templates with template % 5 == 0",
            "fit_rows": int((fold != 0).sum()),
            "dev_rows": int((fold == 0).sum()),
        },
        "recall_target": RECALL_TARGET,
        "modes": {mode: fit_mode(mode, rows, bitext) for mode in analysis.MODES},
    }
    OUT.write_text(json.dumps(spec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
