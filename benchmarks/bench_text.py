"""Text understanding: the shipped model against VADER and TextBlob, in the same run.

    python benchmarks/bench_text.py            # writes the `text` section of docs/benchmarks.md

Sentiment on the airline tweets (3-class macro-F1 on the fixed seeded 20% split) and SST-2
dev (binary accuracy); emotions on GoEmotions dev (28-label and grouped macro-F1, with the
thresholds shipped in the model, tuned on held-out train); speed in texts/s on this machine.
Needs the data in ../shared/data and the `dev` extra (vaderSentiment, textblob).
"""

import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import write_section  # noqa: E402
from rapport.engine.text import EMOTION_GROUPS, EMOTIONS, analyze  # noqa: E402
from rapport.engine.text import evaluation as ev  # noqa: E402
from rapport.engine.text.analysis import default_model  # noqa: E402
from rapport.engine.text.language import detect_language  # noqa: E402
from rapport.engine.text.runtime import thread_count  # noqa: E402

NEUTRAL_BAND = 0.05  # VADER's documented cut-off on its compound score; the same for TextBlob


def three_way(score: float) -> str:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


def rapport_sentiment(results) -> tuple[list[str], list[float]]:
    # A text marked as another language gets no sentiment; count it as neutral here.
    labels = [r.sentiment.label if r.sentiment else "neutral" for r in results]
    scores = [r.sentiment.score if r.sentiment else 0.0 for r in results]
    return labels, scores


def timed_call(fn, texts):
    start = time.perf_counter()
    out = fn(texts)
    return out, time.perf_counter() - start


def main() -> None:
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()

    def vader_scores(texts):
        return [vader.polarity_scores(t)["compound"] for t in texts]

    def textblob_scores(texts):
        return [TextBlob(t).sentiment.polarity for t in texts]

    import_s = float(
        subprocess.check_output(
            [
                sys.executable,
                "-c",
                "import time; t = time.perf_counter(); import rapport.engine, "
                "rapport.engine.text; print(time.perf_counter() - t)",
            ]
        )
    )
    start = time.perf_counter()
    model = default_model()
    model.predict(["warm up"])
    detect_language("warm up the language detector")
    load_s = time.perf_counter() - start

    air_texts, air_truth = ev.load_airline_eval()
    sst_texts, sst_truth = ev.load_sst2_dev()
    go_texts, go_truth = ev.load_goemotions("dev")

    rows = {}
    timings = {"Rapport (full mode)": [0.0, 0], "VADER": [0.0, 0], "TextBlob": [0.0, 0]}
    for name, fn in (
        ("Rapport (full mode)", analyze),
        ("VADER", vader_scores),
        ("TextBlob", textblob_scores),
    ):
        air, t1 = timed_call(fn, air_texts)
        sst, t2 = timed_call(fn, sst_texts)
        timings[name] = [t1 + t2, len(air_texts) + len(sst_texts)]
        if name.startswith("Rapport"):
            air_labels, _ = rapport_sentiment(air)
            _, sst_scores = rapport_sentiment(sst)
            go, t3 = timed_call(fn, go_texts)
            timings[name][0] += t3
            timings[name][1] += len(go_texts)
            unsupported = sum(not r.language_supported for r in air + sst + go)
            detected = np.array([[e in r.detected_emotions for e in EMOTIONS] for r in go])
            groups = np.array([[g in r.detected_groups for g in EMOTION_GROUPS] for r in go])
            go28 = float(ev.f1_scores(go_truth, detected).mean())
            grouped = float(ev.f1_scores(ev.group_matrix(go_truth, EMOTION_GROUPS), groups).mean())
        else:
            air_labels = [three_way(s) for s in air]
            sst_scores = sst
            go28 = grouped = None
        rows[name] = {
            "airline": ev.macro_f1(air_truth, air_labels),
            "sst2": float(
                np.mean([(s >= 0) == bool(y) for s, y in zip(sst_scores, sst_truth, strict=True)])
            ),
            "go28": go28,
            "grouped": grouped,
        }

    # Throughput on one fixed set, repeated: the airline tweets (short customer messages).
    speed = {}
    for name, fn in (
        ("Rapport (full mode)", analyze),
        ("VADER", vader_scores),
        ("TextBlob", textblob_scores),
    ):
        runs = []
        for _ in range(3):
            _, seconds = timed_call(fn, air_texts)
            runs.append(len(air_texts) / seconds)
        speed[name] = float(np.median(runs))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def fmt(x):
        return "n/a" if x is None else f"{x:.3f}"

    config = model.config
    lines = [
        "## Text understanding",
        "",
        f"`python benchmarks/bench_text.py`: model `{model.version}` (int8 ONNX, "
        f"{(model.path / 'model.onnx').stat().st_size / 1e6:.1f} MB, trained on GoEmotions "
        f"train only), onnxruntime with {thread_count()} threads; VADER and TextBlob in the same "
        f"run. Airline tweets: the fixed 20% split (seed {ev.AIRLINE_SEED}, {len(air_texts):,} "
        f"tweets; evaluation only, CC BY-NC-SA). SST-2: GLUE dev ({len(sst_texts)} sentences; "
        f"score ≥ 0 is positive). GoEmotions: dev ({len(go_texts):,} comments), thresholds tuned "
        "on held-out train. VADER and TextBlob: neutral when |score| < 0.05.",
        "",
        "| measure | Rapport (full mode) | VADER | TextBlob | target |",
        "|---|---:|---:|---:|---:|",
    ]
    names = list(rows)
    for key, label, target in (
        ("airline", "airline tweets, 3-class sentiment macro-F1", "≥ 0.80"),
        ("sst2", "SST-2 dev, binary accuracy", ""),
        ("go28", "GoEmotions dev, 28-label macro-F1", "≥ 0.48"),
        ("grouped", "GoEmotions dev, grouped macro-F1 (10 groups)", "≥ 0.60"),
    ):
        lines.append(
            f"| {label} | " + " | ".join(fmt(rows[n][key]) for n in names) + f" | {target} |"
        )
    lines.append(
        "| texts/s, airline tweets (median of 3 passes) | "
        + " | ".join(f"{speed[n]:,.0f}" for n in names)
        + " | ≥ 300 |"
    )
    total_s, total_n = timings["Rapport (full mode)"]
    lines += [
        "",
        f"- Rapport, all {total_n:,} texts above in one pass each: {total_n / total_s:,.0f} texts/s "
        f"(cleaning, language detection, model); {unsupported} were marked as another language.",
        f"- `import rapport.engine.text`: {import_s * 1000:.0f} ms (fresh interpreter); first "
        f"load of the model, tokenizer and language detector: {load_s:.2f} s (targets 1 s, 2 s).",
        f"- Peak memory of the whole benchmark process: {peak_mb:,.0f} MB.",
        f"- Model trained {config['created']}; its card: "
        f"`rapport/engine/text/models/{config['name']}/MODEL_CARD.md`.",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("text", body)


if __name__ == "__main__":
    main()
