"""Text understanding: every figure issue 3 asks for, with VADER and TextBlob in the same run.

    python benchmarks/bench_text.py            # writes the `text` section of docs/benchmarks.md
    python benchmarks/bench_text.py --quick    # 300 texts a set; prints, writes nothing
    python benchmarks/bench_text.py --baseline DIR  # speed rows of another checkout too

- Sentiment (Rapport full mode, Rapport lexicon mode, VADER, TextBlob): airline tweets
  (3-class macro-F1 on the fixed seeded 20% split), SST-2 dev (binary accuracy), Amazon
  reviews (stars → 3 classes, macro-F1), the project's business messages (dev templates).
- Emotions: GoEmotions dev (28-label and grouped macro-F1 with the thresholds shipped in the
  model) and dair-ai test (6 classes, argmax over the six matching groups).
- Need for a human: ROC-AUC and precision at 80% recall of ``needs_human.score`` on Bitext
  (complaint + contact_human_agent against the rest) and the business messages' dev
  templates, with VADER's negated compound as a naive baseline.
- PII: precision, recall and F1 per kind on ``datasets/pii_messages.jsonl``.
- Themes: NMI and purity of ``discover_themes`` against Bitext's intents.
- Speed: texts/s and peak memory per mode, each in a fresh interpreter
  (``--speed-worker MODE``); import, model load and PII engine load times.

Needs the data in ../shared/data and the `dev` extra (vaderSentiment, textblob). About
5 minutes on 2 idle cores; many times that when another job is using them.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import write_section  # noqa: E402
from rapport.engine.text import EMOTION_GROUPS, EMOTIONS, analyze  # noqa: E402
from rapport.engine.text import evaluation as ev  # noqa: E402
from rapport.engine.text.analysis import VADER_CUTOFF, default_model  # noqa: E402
from rapport.engine.text.runtime import thread_count  # noqa: E402
from scripts.make_business_messages import build_rows  # noqa: E402

SEED = 20251  # every subsample below
QUICK_SIZE = 300
BITEXT_SIZE = 3_000
SPEED_SIZE = 5_000  # half airline tweets, half Bitext utterances
QUICK_SPEED_SIZE = 600
RECALL = 0.8
SPEED_MODES = ("lexicon-no-pii", "lexicon", "full-no-pii", "full", "vader", "textblob")
SPEED_LABELS = {
    "lexicon-no-pii": "Rapport lexicon mode, `pii=False`",
    "lexicon": "Rapport lexicon mode (PII on, the default)",
    "full-no-pii": "Rapport full mode, `pii=False`",
    "full": "Rapport full mode (PII on, the default)",
    "vader": "VADER alone",
    "textblob": "TextBlob alone",
}
SYSTEMS = ("Rapport full", "Rapport lexicon", "VADER", "TextBlob")


# --- small helpers ---------------------------------------------------------------------


def subsample(n_total: int, n: int | None) -> np.ndarray:
    """A fixed seeded sample of ``n`` row indices (all rows when ``n`` is None or larger)."""
    if n is None or n >= n_total:
        return np.arange(n_total)
    return np.sort(np.random.default_rng(SEED).permutation(n_total)[:n])


def pick(items, index) -> list:
    return [items[i] for i in index]


def three_way(score: float) -> str:
    """VADER's documented cut-off on its compound score; the same for TextBlob's polarity."""
    if score >= VADER_CUTOFF:
        return "positive"
    if score <= -VADER_CUTOFF:
        return "negative"
    return "neutral"


def accuracy(truth, predicted) -> float:
    return float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)]))


def nmi_and_purity(truth: list[str], clusters: list[str]) -> tuple[float, float]:
    """Normalised mutual information (arithmetic-mean normalisation, scikit-learn's default)
    and purity (the share of texts in their cluster's most common class)."""
    _, t = np.unique(truth, return_inverse=True)
    _, c = np.unique(clusters, return_inverse=True)
    joint = np.zeros((c.max() + 1, t.max() + 1))
    np.add.at(joint, (c, t), 1)
    p = joint / joint.sum()
    pc, pt = p.sum(1), p.sum(0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pc, pt)[nz])).sum())

    def entropy(q):
        q = q[q > 0]
        return float(-(q * np.log(q)).sum())

    denominator = (entropy(pc) + entropy(pt)) / 2
    return (mi / denominator if denominator else 1.0), float(joint.max(1).sum() / joint.sum())


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def busy_note(loads: list[float]) -> str:
    """A warning when other work was using the cores while this ran (load averages)."""
    cores = os.cpu_count() or 1
    worst = max(loads)
    if worst < 0.5 * cores:
        return ""
    return (
        f"- **The machine was busy**: 1-minute load average up to {worst:.1f} on {cores} cores "
        "while this ran, so every speed figure here is pessimistic."
    )


def fresh_python(code: str) -> str:
    return subprocess.check_output([sys.executable, "-c", code], text=True).strip()


def target(value: float | None, goal: float, *, at_least: bool = True, text: str = "") -> str:
    """The target cell: the goal and whether this run met it."""
    if value is None:
        return text
    met = value >= goal if at_least else value < goal
    return f"{text} — {'met' if met else '**missed**'}"


def fmt(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


# --- the systems ------------------------------------------------------------------------


class Systems:
    """Rapport in both modes, VADER and TextBlob, each timed over every text it reads."""

    def __init__(self):
        from textblob import TextBlob
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
        self._vader = lambda texts: [vader.polarity_scores(t)["compound"] for t in texts]
        self._textblob = lambda texts: [TextBlob(t).sentiment.polarity for t in texts]
        self.seconds = dict.fromkeys(SYSTEMS, 0.0)
        self.texts = dict.fromkeys(SYSTEMS, 0)
        self.unsupported = 0

    def timed(self, name, fn, texts):
        start = time.perf_counter()
        out = fn(texts)
        self.seconds[name] += time.perf_counter() - start
        self.texts[name] += len(texts)
        return out

    def read(self, texts: list[str]) -> dict:
        """Every system's reading of ``texts``: Rapport's TextAnalysis lists (PII off: it
        changes no score here and has its own section), VADER's and TextBlob's scores."""
        full = self.timed("Rapport full", lambda t: analyze(t, pii=False), texts)
        lexicon = self.timed(
            "Rapport lexicon", lambda t: analyze(t, mode="lexicon", pii=False), texts
        )
        self.unsupported += sum(not r.language_supported for r in full)
        return {
            "Rapport full": full,
            "Rapport lexicon": lexicon,
            "VADER": self.timed("VADER", self._vader, texts),
            "TextBlob": self.timed("TextBlob", self._textblob, texts),
        }


def sentiment_labels(readings: dict) -> dict[str, list[str]]:
    # A text Rapport marks as another language gets no sentiment: counted as neutral here.
    return {
        name: [r.sentiment.label if r.sentiment else "neutral" for r in out]
        if name.startswith("Rapport")
        else [three_way(s) for s in out]
        for name, out in readings.items()
    }


def sentiment_scores(readings: dict) -> dict[str, list[float]]:
    return {
        name: [r.sentiment.score if r.sentiment else 0.0 for r in out]
        if name.startswith("Rapport")
        else list(out)
        for name, out in readings.items()
    }


def human_scores(readings: dict) -> dict[str, tuple[list[float], list[bool] | None]]:
    """The need-for-a-human score of each system, and Rapport's own flags."""
    out = {}
    for name in ("Rapport full", "Rapport lexicon"):
        nh = [r.needs_human for r in readings[name]]
        out[name] = ([h.score if h else 0.0 for h in nh], [bool(h and h.flagged) for h in nh])
    out["VADER (−compound)"] = ([-s for s in readings["VADER"]], None)
    return out


def human_figures(truth: list[int], readings: dict) -> dict[str, dict]:
    figures = {}
    for name, (scores, flags) in human_scores(readings).items():
        row = {
            "auc": ev.roc_auc(truth, scores),
            "p_at_r": ev.precision_at_recall(truth, scores, RECALL),
            "flagged": None,
        }
        if flags is not None:
            row["flagged"] = ev.precision_recall_at(truth, [float(f) for f in flags], 0.5)
        figures[name] = row
    return figures


# --- the areas --------------------------------------------------------------------------


def measure_quality(systems: Systems, n: int | None) -> dict:
    """Sentiment, emotions and need for a human on every labelled set."""
    found: dict = {"sizes": {}, "sentiment": {}, "human": {}}

    def sentiment_set(key, texts, truth):
        labels = sentiment_labels(systems.read(texts))
        found["sentiment"][key] = {name: ev.macro_f1(truth, labels[name]) for name in labels}
        found["sizes"][key] = len(texts)

    texts, truth = ev.load_airline_eval()
    index = subsample(len(texts), n)
    sentiment_set("airline", pick(texts, index), pick(truth, index))

    texts, truth = ev.load_sst2_dev()
    index = subsample(len(texts), n)
    scores = sentiment_scores(systems.read(pick(texts, index)))
    truth = pick(truth, index)
    found["sentiment"]["sst2"] = {
        # Binary: score ≥ 0 is positive, for every system.
        name: accuracy(truth, [int(s >= 0) for s in scores[name]])
        for name in scores
    }
    found["sizes"]["sst2"] = len(index)

    texts, truth = ev.load_amazon_reviews()
    index = subsample(len(texts), n)
    truth = pick(truth, index)
    sentiment_set("amazon", pick(texts, index), truth)
    found["amazon_counts"] = {
        label: truth.count(label) for label in ("negative", "neutral", "positive")
    }

    # The project's own messages: only the dev templates (template % 5 == 0), which no
    # shipped weights were fitted on. Small (about 300 rows), so never subsampled.
    rows = [r for r in build_rows() if r["template"] % 5 == 0]
    texts = [r["text"] for r in rows]
    readings = systems.read(texts)
    labels = sentiment_labels(readings)
    found["sentiment"]["business"] = {
        name: ev.macro_f1([r["sentiment"] for r in rows], labels[name]) for name in labels
    }
    found["sizes"]["business"] = len(rows)
    truth = [int(r["needs_human"]) for r in rows]
    found["human"]["business"] = human_figures(truth, readings)
    found["business_positives"] = sum(truth)

    # Emotions: Rapport full mode only (the others have none).
    texts, truth = ev.load_goemotions("dev")
    index = subsample(len(texts), n)
    truth = truth[index]
    go = systems.timed("Rapport full", lambda t: analyze(t, pii=False), pick(texts, index))
    detected = np.array([[e in r.detected_emotions for e in EMOTIONS] for r in go])
    groups = np.array([[g in r.detected_groups for g in EMOTION_GROUPS] for r in go])
    found["go28"] = float(ev.f1_scores(truth, detected).mean())
    found["grouped"] = float(ev.f1_scores(ev.group_matrix(truth, EMOTION_GROUPS), groups).mean())
    found["sizes"]["goemotions"] = len(index)

    texts, truth = ev.load_dair_emotion("test")
    index = subsample(len(texts), n)
    truth = pick(truth, index)
    dair = systems.timed("Rapport full", lambda t: analyze(t, pii=False), pick(texts, index))
    # The six dair-ai labels are six of Rapport's groups, under the same names. A text read
    # as another language has no emotions and counts as wrong.
    predicted = [
        max(ev.DAIR_EMOTIONS, key=r.emotion_groups.get) if r.emotion_groups else "(none)"
        for r in dair
    ]
    found["dair_f1"] = ev.macro_f1(truth, predicted, labels=ev.DAIR_EMOTIONS)
    found["dair_accuracy"] = accuracy(truth, predicted)
    found["sizes"]["dair"] = len(index)
    return found


def load_bitext_sample(n: int) -> dict:
    texts, human, intents = ev.load_bitext()
    flags = ev.load_bitext_flags()
    index = subsample(len(texts), n)
    return {
        "texts": pick(texts, index),
        "human": pick(human, index),
        "intents": pick(intents, index),
        "offensive": [int("W" in f) for f in pick(flags, index)],
        "total": len(texts),
    }


def measure_bitext(systems: Systems, bitext: dict) -> dict:
    readings = systems.read(bitext["texts"])
    toxicity = {
        name: ev.roc_auc(
            bitext["offensive"], [r.toxicity.score if r.toxicity else 0.0 for r in readings[name]]
        )
        for name in ("Rapport full", "Rapport lexicon")
    }
    return {"human": human_figures(bitext["human"], readings), "toxicity_auc": toxicity}


def measure_pii() -> dict:
    from rapport.engine.text.pii_eval import evaluate_pii, load_pii_messages

    rows = load_pii_messages()
    start = time.perf_counter()
    result = evaluate_pii(rows)
    result["seconds"] = time.perf_counter() - start
    return result


def measure_themes(bitext: dict) -> dict:
    from rapport.engine.text.clean import clean_text
    from rapport.engine.text.encoder import Encoder
    from rapport.engine.text.themes import discover_themes

    encoder = Encoder()
    encoder.encode(["warm up"])
    texts = bitext["texts"]
    start = time.perf_counter()
    embeddings = encoder.encode([clean_text(t).text for t in texts])
    encode_s = time.perf_counter() - start
    start = time.perf_counter()
    model = discover_themes(texts, embeddings, seed=0)
    discover_s = time.perf_counter() - start
    first = [a[0] if a else "(no theme)" for a in model.assignments]
    nmi_all, purity_all = nmi_and_purity(bitext["intents"], first)
    inside = [i for i, a in enumerate(model.assignments) if a]
    nmi_in, purity_in = (
        nmi_and_purity(pick(bitext["intents"], inside), pick(first, inside))
        if inside
        else (0.0, 0.0)
    )
    return {
        "texts": len(texts),
        "intents": len(set(bitext["intents"])),
        "themes": len(model.themes),
        "unassigned": model.unassigned,
        "nmi_all": nmi_all,
        "purity_all": purity_all,
        "nmi_in": nmi_in,
        "purity_in": purity_in,
        "encode_s": encode_s,
        "discover_s": discover_s,
        "examples": [t.name for t in model.themes[:5]],
    }


# --- speed, each mode in its own interpreter -------------------------------------------


def speed_texts(n: int) -> list[str]:
    airline, _ = ev.load_airline_eval()
    bitext, _, _ = ev.load_bitext()
    texts = pick(airline, subsample(len(airline), n // 2)) + pick(
        bitext, subsample(len(bitext), n - n // 2)
    )
    return pick(texts, np.random.default_rng(SEED).permutation(len(texts)))


def speed_worker(mode: str, quick: bool) -> None:
    """Read the fixed speed set once in ``mode`` and print texts/s and peak RSS as JSON."""
    texts = speed_texts(QUICK_SPEED_SIZE if quick else SPEED_SIZE)
    if mode == "vader":
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()

        def run(batch):
            return [vader.polarity_scores(t) for t in batch]
    elif mode == "textblob":
        from textblob import TextBlob

        def run(batch):
            return [TextBlob(t).sentiment for t in batch]
    else:
        settings = {
            "lexicon-no-pii": {"mode": "lexicon", "pii": False},
            "lexicon": {"mode": "lexicon", "pii": True},
            "full-no-pii": {"mode": "full", "pii": False},
            "full": {"mode": "full", "pii": True},
        }[mode]

        def run(batch):
            return analyze(batch, **settings)

    run(["Warm up: call Ann on 555-0100, the order was late."])  # loads every model
    start = time.perf_counter()
    run(texts)
    seconds = time.perf_counter() - start
    print(json.dumps({"texts": len(texts), "per_s": len(texts) / seconds, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """This process's peak resident memory. Linux's ``ru_maxrss`` survives exec, so a child
    of a big parent reports the parent's peak; ``VmHWM`` is the process's own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# Modes also read by the baseline checkout, when one is given, right after this one's.
BASELINE_MODES = ("lexicon", "full-no-pii", "full")


def measure_speed(quick: bool, baseline: Path | None = None) -> dict:
    found = {}
    for mode in SPEED_MODES:
        scripts = [("", Path(__file__))]
        if baseline and mode in BASELINE_MODES:
            scripts.append(("baseline ", baseline / "benchmarks" / "bench_text.py"))
        for prefix, script in scripts:
            command = [sys.executable, str(script), "--speed-worker", mode] + (
                ["--quick"] if quick else []
            )
            output = subprocess.check_output(command, text=True).splitlines()[-1]
            found[prefix + mode] = json.loads(output)
    imports = [
        float(
            fresh_python(
                "import time; t = time.perf_counter(); import rapport.engine, "
                "rapport.engine.text; print(time.perf_counter() - t)"
            )
        )
        for _ in range(3)
    ]
    found["import_s"] = float(np.median(imports))
    found["pii_load_s"] = float(
        fresh_python(
            "import time; from rapport.engine.text.pii import find_pii; "
            "t = time.perf_counter(); find_pii(['Call Ann on 555-0100']); "
            "print(time.perf_counter() - t)"
        )
    )
    return found


def needs_human_model() -> str:
    """The model whose readings the shipped full-mode need-for-a-human weights were fit on."""
    from rapport.engine.text.needs_human import weights_path

    return json.loads(weights_path().read_text(encoding="utf-8"))["modes"]["full"]["model"]


# --- the report -------------------------------------------------------------------------


def report(
    *,
    quick,
    model,
    load_s,
    quality,
    bitext,
    bitext_figures,
    pii,
    themes,
    speed,
    systems,
    total_s,
    loads,
) -> str:
    config = model.config
    sizes = quality["sizes"]
    sentiment = quality["sentiment"]
    counts = quality["amazon_counts"]
    lines = [
        "## Text understanding" + (" (quick run: NOT for publication)" if quick else ""),
        "",
        f"`python benchmarks/bench_text.py{' --quick' if quick else ''}` "
        f"({total_s / 60:.1f} minutes here). Model `{model.version}` (int8 ONNX, "
        f"{(model.path / 'model.onnx').stat().st_size / 1e6:.1f} MB; trained on "
        f"{config.get('training_data', 'see its card')}; card: "
        f"`rapport/engine/text/models/{config['name']}/MODEL_CARD.md`). onnxruntime with "
        f"{thread_count()} threads. VADER {version('vaderSentiment')} and TextBlob "
        f"{version('textblob')} read the same texts in the same run; they and Rapport's "
        f"lexicon mode (VADER's compound, after Rapport's cleaning) call a text neutral when "
        f"|score| < {VADER_CUTOFF}. Rapport reads with `pii=False` for the quality figures "
        "(PII changes no score; it has its own table). "
        "GPU: not measured (no GPU machine this session).",
        "",
        "Data, all for evaluation only: airline tweets (CC BY-NC-SA), Bitext customer-service "
        "sample (no licence stated), Amazon reviews by Datafiniti (licence not verified), "
        "dair-ai emotion (research and education only), SST-2 and GoEmotions dev; the "
        "business and PII messages are the project's own (AGPL)."
        + (f" Quick run: at most {QUICK_SIZE} texts per set." if quick else ""),
        "",
        "### Sentiment",
        "",
        "| set | measure | " + " | ".join(SYSTEMS) + " | target |",
        "|---|---|" + "---:|" * (len(SYSTEMS) + 1),
    ]
    for key, label, measure, goal in (
        (
            "airline",
            f"airline tweets, seeded 20% split ({sizes['airline']:,})",
            "3-class macro-F1",
            0.80,
        ),
        ("sst2", f"SST-2 dev ({sizes['sst2']:,})", "binary accuracy", None),
        ("amazon", f"Amazon reviews ({sizes['amazon']:,})", "3-class macro-F1", None),
        (
            "business",
            f"business messages, dev templates ({sizes['business']:,})",
            "3-class macro-F1",
            None,
        ),
    ):
        cells = " | ".join(fmt(sentiment[key][s]) for s in SYSTEMS)
        goal_cell = (
            target(sentiment[key]["Rapport full"], goal, text=f"≥ {goal:.2f}") if goal else ""
        )
        lines.append(f"| {label} | {measure} | {cells} | {goal_cell} |")
    lines += [
        "",
        f"- SST-2: positive when the score is ≥ 0. Amazon: the review body only (titles such as "
        f'"Great tablet" restate the stars), stars 1–2 negative, 3 neutral, 4–5 positive: '
        f"{counts['negative']:,} negative, {counts['neutral']:,} neutral, "
        f"{counts['positive']:,} positive ({sizes['amazon']:,} of the 5,000 reviews).",
        "- Business messages: the templates with `template % 5 == 0` of "
        "`scripts/make_business_messages.build_rows()`. Rapport's need-for-a-human weights"
        + (
            " and its sentiment model were"
            if "business" in str(config.get("training_data", "")).lower()
            else " were"
        )
        + " fitted on the other templates of this set, which share its style and "
        "vocabulary, so these figures flatter Rapport.",
        f"- {systems.unsupported} texts were read as another language by Rapport full mode (no "
        "sentiment: counted as neutral).",
        "",
        "### Emotions (Rapport full mode; VADER and TextBlob have none)",
        "",
        "| set | measure | Rapport full | target |",
        "|---|---|---:|---:|",
        f"| GoEmotions dev ({sizes['goemotions']:,}) | 28-label macro-F1, shipped thresholds | "
        f"{fmt(quality['go28'])} | {target(quality['go28'], 0.48, text='≥ 0.48')} |",
        f"| GoEmotions dev | grouped macro-F1 (10 groups), shipped thresholds | "
        f"{fmt(quality['grouped'])} | {target(quality['grouped'], 0.60, text='≥ 0.60')} |",
        f"| dair-ai test ({sizes['dair']:,}) | 6-class macro-F1 | {fmt(quality['dair_f1'])} | |",
        f"| dair-ai test | accuracy | {fmt(quality['dair_accuracy'])} | |",
        "",
        "- dair-ai: its six labels are six of Rapport's groups under the same names (sadness, "
        "joy, love, anger, fear, surprise); the prediction is the argmax of `emotion_groups` "
        "over those six only (the other four groups are ignored), so no threshold is involved. "
        "Its labels come from hashtags (distant supervision), not annotators.",
        "",
        "### Need for a human",
        "",
        "| set | measure | Rapport full | Rapport lexicon | VADER (−compound) |",
        "|---|---|---:|---:|---:|",
    ]
    human_sets = (
        (
            f"Bitext ({len(bitext['texts']):,} of {bitext['total']:,}; "
            f"{sum(bitext['human'])} positive)",
            bitext_figures["human"],
        ),
        (
            f"business dev ({sizes['business']}; {quality['business_positives']} positive)",
            quality["human"]["business"],
        ),
    )
    names = ("Rapport full", "Rapport lexicon", "VADER (−compound)")
    for label, figures in human_sets:
        lines.append(
            f"| {label} | ROC-AUC | " + " | ".join(fmt(figures[x]["auc"]) for x in names) + " |"
        )
        lines.append(
            f"| | precision at {RECALL:.0%} recall | "
            + " | ".join(fmt(figures[x]["p_at_r"]) for x in names)
            + " |"
        )
        lines.append(
            "| | precision / recall of `flagged` | "
            + " | ".join(
                "n/a"
                if figures[x]["flagged"] is None
                else "{:.3f} / {:.3f}".format(*figures[x]["flagged"])
                for x in names
            )
            + " |"
        )
    tox = bitext_figures["toxicity_auc"]
    lines.append("")
    fitted_with = needs_human_model()
    if fitted_with != model.version:
        lines.append(
            f"- **Warning**: the full-mode need-for-a-human weights were fitted on the "
            f"readings of `{fitted_with}`, not of the model measured here; refit them "
            "(`scripts/fit_needs_human.py`)."
        )
    lines += [
        f"- Bitext: `complaint` and `contact_human_agent` against the "
        f"{len(set(bitext['intents'])) - 2} other intents, a proxy only: its utterances are "
        'synthetic and calm requests ("how do I file a complaint", "I want to speak with '
        f'an agent"). A fixed seeded sample (seed {SEED}).',
        f"- Toxicity, the same Bitext rows: ROC-AUC of `toxicity.score` against Bitext's "
        f'"offensive language" flag ({sum(bitext["offensive"])} rows, mostly "damn"): '
        f"{fmt(tox['Rapport full'])} full mode, {fmt(tox['Rapport lexicon'])} lexicon mode.",
        "",
        "### Personal data (PII)",
        "",
        "On `rapport/engine/datasets/pii_messages.jsonl`, the project's own set, written with "
        "the recognisers in view: these figures are optimistic. Exact: same start, end and "
        "kind; overlap: same kind, at least one character in common.",
        "",
    ]
    from rapport.engine.text.pii_eval import markdown as pii_markdown

    lines += [
        pii_markdown(pii).rstrip(),
        "",
        "### Themes",
        "",
        f"`discover_themes` (default settings, seed 0) on {themes['texts']:,} Bitext "
        f"utterances (the same sample) against their {themes['intents']} intents; "
        "embeddings from the sentence encoder.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| themes found | {themes['themes']} |",
        f"| texts in no theme | {themes['unassigned']:,} "
        f"({themes['unassigned'] / themes['texts']:.0%}) |",
        f'| NMI, all texts ("no theme" as one cluster) | {fmt(themes["nmi_all"])} |',
        f"| purity, all texts | {fmt(themes['purity_all'])} |",
        f"| NMI, texts in a theme | {fmt(themes['nmi_in'])} |",
        f"| purity, texts in a theme | {fmt(themes['purity_in'])} |",
        f"| time to embed (s) | {themes['encode_s']:.1f} |",
        f"| time to discover, given embeddings (s) | {themes['discover_s']:.1f} |",
        "",
        "Largest themes: " + "; ".join(f'"{name}"' for name in themes["examples"]) + ".",
        "",
        "### Speed",
        "",
        f"{speed['lexicon']['texts']:,} texts (half airline tweets, half Bitext utterances, "
        f"seeded), read once after a warm-up, each row in a fresh interpreter so that its "
        f"peak memory (VmHWM, numpy and the data loaders included) is its own; "
        f"{thread_count()} onnxruntime threads on this machine's {os.cpu_count()} cores.",
        "",
        "| what | texts/s | peak memory (MB) | target |",
        "|---|---:|---:|---:|",
    ]
    for mode in SPEED_MODES:
        for prefix in ("", "baseline "):
            if prefix + mode not in speed:
                continue
            figures = speed[prefix + mode]
            goal = ""
            if not prefix and mode == "full-no-pii":
                goal = target(figures["per_s"], 300, text="≥ 300 on 2 cores")
            elif not prefix and mode == "full":
                goal = target(figures["per_s"], 400, text="≥ 400 on 2 cores")
            label = SPEED_LABELS[mode] + (f", baseline (`{speed['baseline']}`)" if prefix else "")
            per_s, peak = f"{figures['per_s']:,.0f}", f"{figures['peak_mb']:,.0f}"
            lines.append(f"| {label} | {per_s} | {peak} | {goal} |")
    total = {
        name: systems.texts[name] / systems.seconds[name]
        for name in SYSTEMS
        if systems.seconds[name]
    }
    lines += [
        "",
        "| start-up | seconds | target |",
        "|---|---:|---:|",
        f"| `import rapport.engine.text`, fresh interpreter (median of 3) | "
        f"{speed['import_s']:.3f} | "
        f"{target(speed['import_s'], 1.0, at_least=False, text='< 1 s')} |",
        f"| first model load (model, tokenizer, language detector) | {load_s:.2f} | "
        f"{target(load_s, 2.0, at_least=False, text='< 2 s')} |",
        "| PII engine first load (spaCy + Presidio), fresh interpreter | "
        f"{speed['pii_load_s']:.2f} | |",
        "",
        "- Over every quality set above, one pass each (PII off): "
        + ", ".join(f"{name} {total[name]:,.0f} texts/s" for name in total)
        + f" ({systems.texts['Rapport full']:,} texts for Rapport full mode). "
        f"PII evaluation: {pii['messages']} messages in {pii['seconds']:.1f} s, engine load "
        "included.",
        "- The machine is shared (another job may be running), so speed is noisy; compare the "
        "rows with each other rather than across runs.",
    ]
    if note := busy_note(loads):
        lines.append(note)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small subsets; print only")
    parser.add_argument("--speed-worker", choices=SPEED_MODES, help=argparse.SUPPRESS)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (git archive REV | tar -x -C DIR) whose speed is read right "
        "after this one's, mode by mode, in the same run",
    )
    args = parser.parse_args(argv)
    if args.speed_worker:
        speed_worker(args.speed_worker, args.quick)
        return 0

    began = time.perf_counter()
    loads = [os.getloadavg()[0]]
    start = time.perf_counter()
    model = default_model()
    model.predict(["warm up"])
    from rapport.engine.text.language import detect_language

    detect_language("warm up the language detector")
    load_s = time.perf_counter() - start

    n = QUICK_SIZE if args.quick else None
    systems = Systems()
    log("sentiment and emotions")
    quality = measure_quality(systems, n)
    log("need for a human and toxicity on Bitext")
    bitext = load_bitext_sample(QUICK_SIZE if args.quick else BITEXT_SIZE)
    bitext_figures = measure_bitext(systems, bitext)
    log("PII")
    pii = measure_pii()
    log("themes")
    themes = measure_themes(bitext)
    log("speed, one fresh interpreter per mode")
    loads.append(os.getloadavg()[0])
    speed = measure_speed(args.quick, args.baseline)
    if args.baseline:
        speed["baseline"] = args.baseline.name
    loads.append(os.getloadavg()[0])
    body = report(
        quick=args.quick,
        model=model,
        load_s=load_s,
        quality=quality,
        bitext=bitext,
        bitext_figures=bitext_figures,
        pii=pii,
        themes=themes,
        speed=speed,
        systems=systems,
        total_s=time.perf_counter() - began,
        loads=loads,
    )
    print(body)
    if not args.quick:
        write_section("text", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
