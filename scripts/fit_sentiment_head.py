"""Fit the shipped sentiment head on top of the shipped emotion model, and write it beside it.

    python scripts/fit_sentiment_head.py            # writes models/<model>/sentiment_head.json

The emotion model (a MiniLM fine-tuned on GoEmotions, see its MODEL_CARD.md) reads expressed
emotion; its own sentiment head, trained on sentiment derived from GoEmotions' emotions,
calls factual complaints neutral. This head reads the model's outputs — the 384-d text
embedding, the 28 emotion probabilities and the 3 derived-sentiment probabilities — and is a
multinomial logistic regression (numpy only, seeded, deterministic) trained on:

- the project's business messages (AGPL, written for Rapport), split by template: 70% of
  templates to fit, 10% (template % 10 == 1) to choose the settings, 20% (template % 5 == 0)
  only for the final score;
- GoEmotions train (Apache-2.0) with sentiment derived from its emotions, a seeded sample,
  10% of it held out to choose the settings.

Settings (weight of a business message against a GoEmotions one, L2 strength, whether to use
GoEmotions at all) are chosen by the mean of the two held-out macro-F1s — business and
GoEmotions — so the head must work on both kinds of text. The airline tweets and SST-2 are
scored last, for evaluation only (their licences forbid training). Nothing here needs torch.
"""

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.engine.text import evaluation as ev  # noqa: E402
from rapport.engine.text.clean import clean_text  # noqa: E402
from rapport.engine.text.emotions import EMOTIONS, SENTIMENTS, sentiment_of  # noqa: E402
from rapport.engine.text.model import TextModel  # noqa: E402
from scripts.make_business_messages import build_rows  # noqa: E402

SEED = 13


def business_split() -> dict[str, tuple[list[str], np.ndarray]]:
    parts: dict[str, tuple[list, list]] = {"fit": ([], []), "select": ([], []), "dev": ([], [])}
    for row in build_rows():
        t = row["template"]
        part = "dev" if t % 5 == 0 else "select" if t % 10 == 1 else "fit"
        parts[part][0].append(row["text"])
        parts[part][1].append(SENTIMENTS.index(row["sentiment"]))
    return {k: (texts, np.array(labels)) for k, (texts, labels) in parts.items()}


def goemotions_sample(n: int) -> tuple[list[str], np.ndarray]:
    texts, labels = ev.load_goemotions("train")
    out_t, out_y = [], []
    for i in np.random.default_rng(SEED).permutation(len(texts))[:n]:
        s = sentiment_of({EMOTIONS[j] for j in np.flatnonzero(labels[i])})
        if s is not None:
            out_t.append(texts[i])
            out_y.append(SENTIMENTS.index(s))
    return out_t, np.array(out_y)


def fit(x, y, weights, l2, epochs=300, lr=0.5):
    """Full-batch gradient descent on standardised features; returns the folded weights."""
    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / scale
    w, b = np.zeros((z.shape[1], 3)), np.zeros(3)
    onehot = np.eye(3)[y]
    share = weights / weights.sum()
    for _ in range(epochs):
        logits = z @ w + b
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) * share[:, None]
        w -= lr * (z.T @ g + l2 * w)
        b -= lr * g.sum(0)
    # Fold the standardisation in: logits = x @ W + B.
    folded = w / scale[:, None]
    return folded, b - mean @ folded


def macro_f1(y, logits) -> float:
    return ev.macro_f1([SENTIMENTS[i] for i in y], [SENTIMENTS[i] for i in logits.argmax(1)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--goemotions", type=int, default=8000, help="GoEmotions sample size")
    parser.add_argument(
        "--model", type=Path, help="the model folder to fit a head for (default: the shipped one)"
    )
    args = parser.parse_args()

    model = TextModel(args.model)
    print(f"model {model.base_version}", flush=True)

    def features(texts):
        # As analyze() reads them: cleaned first.
        return model.features([clean_text(t).text or " " for t in texts])

    business = business_split()
    go_texts, go_y = goemotions_sample(args.goemotions)
    n_hold = len(go_y) // 10
    x = {k: features(v[0]) for k, v in business.items()}
    y = {k: v[1] for k, v in business.items()}
    go_x = features(go_texts)
    go_fit_x, go_fit_y, go_hold_x, go_hold_y = (
        go_x[n_hold:],
        go_y[n_hold:],
        go_x[:n_hold],
        go_y[:n_hold],
    )
    print(f"features: {sum(len(v) for v in y.values())} business, {len(go_y)} GoEmotions")

    best = None
    for use_go in (False, True):
        for weight in (2.0, 4.0, 10.0, 20.0) if use_go else (1.0,):
            for l2 in (1e-3, 1e-2, 3e-2):
                if use_go:
                    fx = np.vstack([x["fit"], go_fit_x])
                    fy = np.concatenate([y["fit"], go_fit_y])
                    fw = np.concatenate([np.full(len(y["fit"]), weight), np.ones(len(go_fit_y))])
                else:
                    fx, fy, fw = x["fit"], y["fit"], np.ones(len(y["fit"]))
                w, b = fit(fx, fy, fw, l2)
                chosen = (
                    macro_f1(y["select"], x["select"] @ w + b)
                    + macro_f1(go_hold_y, go_hold_x @ w + b)
                ) / 2
                print(f"goemotions={use_go} weight={weight} l2={l2}: select {chosen:.4f}")
                if best is None or chosen > best[0]:
                    best = (chosen, use_go, weight, l2, w, b)
    chosen, use_go, weight, l2, w, b = best

    air_texts, air_truth = ev.load_airline_eval()
    air_logits = features(air_texts) @ w + b
    sst_texts, sst_truth = ev.load_sst2_dev()
    sst_logits = features(sst_texts) @ w + b
    scores = {
        "selection_mean_macro_f1": round(chosen, 4),
        "business_dev_macro_f1": round(macro_f1(y["dev"], x["dev"] @ w + b), 4),
        "goemotions_heldout_macro_f1": round(macro_f1(go_hold_y, go_hold_x @ w + b), 4),
        "airline_eval_macro_f1": round(
            macro_f1(np.array([SENTIMENTS.index(a) for a in air_truth]), air_logits), 4
        ),
        "sst2_dev_accuracy": round(
            float(
                ((sst_logits[:, 2] > sst_logits[:, 0]).astype(int) == np.array(sst_truth)).mean()
            ),
            4,
        ),
    }
    print(f"chosen: goemotions={use_go} weight={weight} l2={l2}; scores {scores}")
    head = {
        "created": datetime.now(UTC).strftime("%Y-%m-%d"),
        "for_model": model.base_version,
        "inputs": "embedding (384), emotion probabilities (28), derived sentiment (3)",
        "training_data": (
            "Rapport business messages, 70% of templates (AGPL-3.0-or-later, written for the "
            "project)" + ("; GoEmotions train sample (Apache-2.0)" if use_go else "")
        ),
        "settings": {"goemotions": use_go, "business_weight": weight, "l2": l2, "seed": SEED},
        "scores": scores,
        "command": "python scripts/fit_sentiment_head.py " + " ".join(sys.argv[1:]),
        "weights": [[round(float(v), 6) for v in row] for row in w],
        "bias": [round(float(v), 6) for v in b],
    }
    path = model.path / "sentiment_head.json"
    path.write_text(json.dumps(head, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
