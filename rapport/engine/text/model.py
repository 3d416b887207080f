"""The shipped emotion and sentiment model: a fine-tuned MiniLM with two heads, int8 ONNX.

Each model lives in ``models/<name>/`` with ``model.onnx``, ``config.json`` (labels,
thresholds, scores) and ``MODEL_CARD.md``; ``scripts/train_text_models.py`` writes all three.
"""

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .emotions import EMOTIONS, SENTIMENTS
from .runtime import load_session, load_tokenizer, pool_windows, run_sorted, windows

DEFAULT_MODEL = "goemotions-minilm-int8"


def models_dir() -> Path:
    return Path(str(resources.files("rapport.engine.text") / "models"))


@dataclass(frozen=True)
class Predictions:
    """Per text: 28 emotion probabilities and 3 sentiment probabilities (numpy arrays)."""

    emotions: Any  # (n, 28), columns in EMOTIONS order
    sentiment: Any  # (n, 3), columns in SENTIMENTS order
    windows: list[int]  # how many windows each text was read in


class TextModel:
    """Loads one model folder on first use and predicts for batches of cleaned texts.

    Parameters: ``path`` (a model folder; defaults to the shipped one), ``batch_size``
    (windows per ONNX call), ``threads`` (defaults to ``RAPPORT_TEXT_THREADS`` or every core).
    """

    def __init__(self, path: Path | None = None, batch_size: int = 64, threads: int | None = None):
        self.path = Path(path) if path else models_dir() / DEFAULT_MODEL
        self.batch_size = batch_size
        self.threads = threads
        self._loaded = None
        self._lock = threading.Lock()

    @property
    def config(self) -> dict:
        return self._load()[2]

    @property
    def version(self) -> str:
        config = self.config
        return f"{config['name']}@{config['created']}"

    def _load(self):
        with self._lock:
            if self._loaded is None:
                config = json.loads((self.path / "config.json").read_text())
                if (
                    tuple(config["emotions"]) != EMOTIONS
                    or tuple(config["sentiments"]) != SENTIMENTS
                ):
                    raise ValueError(
                        f"{self.path}: labels differ from rapport.engine.text.emotions"
                    )
                session = load_session(self.path / "model.onnx", self.threads)
                self._loaded = (load_tokenizer(), session, config)
        return self._loaded

    def predict(self, texts: Sequence[str]) -> Predictions:
        import numpy as np

        tokenizer, session, config = self._load()
        if not texts:
            empty = np.zeros((0, len(EMOTIONS)), dtype=np.float32)
            return Predictions(empty, np.zeros((0, len(SENTIMENTS)), dtype=np.float32), [])
        pieces, owners = windows(tokenizer, texts, int(config["window"]))

        def feeds(ids, mask):
            return {"input_ids": ids, "attention_mask": mask}

        emotions, sentiment, _ = run_sorted(session, pieces, self.batch_size, feeds)
        counts = np.bincount(np.asarray(owners), minlength=len(texts)).tolist()
        return Predictions(
            emotions=pool_windows(emotions, pieces, owners, len(texts)),
            sentiment=pool_windows(sentiment, pieces, owners, len(texts)),
            windows=counts,
        )
