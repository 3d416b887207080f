"""Running a BERT-style ONNX model on CPU: tokenising into windows, batches of windows of
one length, thread settings. Shared by the sentence encoder and the emotion/sentiment model.

onnxruntime, tokenizers and numpy are imported only when a model is first loaded, so that
``import rapport.engine`` stays fast.
"""

import os
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

THREADS_ENV = "RAPPORT_TEXT_THREADS"
CLS, SEP = 101, 102


def tokenizer_path() -> Path:
    """The WordPiece tokenizer of all-MiniLM-L6-v2 (see assets/TOKENIZER.md for its origin)."""
    return Path(str(resources.files("rapport.engine.text") / "assets" / "tokenizer.json"))


def thread_count() -> int:
    """Threads for one model: RAPPORT_TEXT_THREADS, else every core of the machine."""
    value = os.environ.get(THREADS_ENV, "").strip()
    if value:
        try:
            return max(1, int(value))
        except ValueError:
            raise ValueError(f"{THREADS_ENV} must be a whole number, not {value!r}") from None
    return os.cpu_count() or 1


def load_tokenizer(path: Path | None = None):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(path or tokenizer_path()))
    # The file ships with fixed padding and truncation at 128; we window long texts instead.
    tok.no_padding()
    tok.no_truncation()
    return tok


def load_session(path: Path, threads: int | None = None):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads or thread_count()
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Idle threads sleep instead of spinning between calls: spinning burns the cores that
    # the personal-data reader (spaCy, one thread) and the rest of the process need next.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


# The most windows one text is read in: at the shipped window of 128 tokens, about 9,000 words.
MAX_WINDOWS = 96


def windows(tokenizer, texts: Sequence[str], window: int) -> tuple[list[list[int]], list[int]]:
    """Token ids in windows of at most ``window`` tokens, and the text each window belongs to.

    A text longer than one window is cut into consecutive windows, each framed with
    [CLS] … [SEP], so nothing is dropped, up to :data:`MAX_WINDOWS` windows; a longer
    text is read in that many windows spread evenly over it. The caller
    averages the windows' outputs.
    """
    pieces: list[list[int]] = []
    owners: list[int] = []
    inner = window - 2
    for i, encoding in enumerate(tokenizer.encode_batch(list(texts), add_special_tokens=False)):
        ids = encoding.ids
        starts = range(0, max(len(ids), 1), inner)
        if len(starts) > MAX_WINDOWS:
            # A very long text (a pasted document): windows spread evenly from its start to
            # its end, so reading it costs what a long letter costs.
            step = (len(starts) - 1) / (MAX_WINDOWS - 1)
            starts = [starts[round(k * step)] for k in range(MAX_WINDOWS)]
        for start in starts:
            pieces.append([CLS, *ids[start : start + inner], SEP])
            owners.append(i)
    return pieces, owners


def run_sorted(
    session,
    pieces: list[list[int]],
    batch_size: int,
    feeds: Callable[[Any, Any], dict[str, Any]],
    transform: Callable[[list[Any], Any], list[Any]] | None = None,
) -> list[Any]:
    """Run ``session`` over ``pieces`` in batches of windows of the same length: no padding,
    so no work is spent on it and, with a model quantised per token
    (``scripts/quantise_per_token.py``), each window's outputs are bit-for-bit those it gets
    read alone, whatever else is read with it.

    ``transform(outputs, mask)`` may reduce each batch's outputs to fixed-size rows (e.g.
    pool token states). Returns each output as an array in the original order of ``pieces``.
    """
    import numpy as np

    lengths = [len(p) for p in pieces]
    order = np.argsort(lengths, kind="stable")
    batches: list[Any] = []
    start = 0
    while start < len(order):
        width = lengths[order[start]]
        end = start
        while end < len(order) and end - start < batch_size and lengths[order[end]] == width:
            end += 1
        batches.append(order[start:end])
        start = end
    results: list[Any] = []
    for idx in batches:
        ids = np.array([pieces[i] for i in idx], dtype=np.int64)
        mask = np.ones_like(ids)
        outputs = session.run(None, feeds(ids, mask))
        if transform is not None:
            outputs = transform(outputs, mask)
        if not results:
            results = [np.zeros((len(pieces), *o.shape[1:]), dtype=o.dtype) for o in outputs]
        for result, output in zip(results, outputs, strict=True):
            result[idx] = output
    return results


def pool_windows(values, pieces: list[list[int]], owners: list[int], n_texts: int):
    """Average per-window rows into per-text rows, weighting each window by its tokens."""
    import numpy as np

    weights = np.array([len(p) - 2 for p in pieces], dtype=np.float32).clip(min=1)
    owners_arr = np.asarray(owners)
    out = np.zeros((n_texts, values.shape[1]), dtype=np.float32)
    np.add.at(out, owners_arr, values * weights[:, None])
    total = np.zeros(n_texts, dtype=np.float32)
    np.add.at(total, owners_arr, weights)
    return out / total.clip(min=1e-6)[:, None]
