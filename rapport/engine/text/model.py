"""The shipped emotion and sentiment model: a fine-tuned MiniLM with two heads, int8 ONNX,
and a sentiment head on top of it.

Each model lives in ``models/<name>/`` with ``model.onnx``, ``config.json`` (labels,
thresholds, scores) and ``MODEL_CARD.md``; ``scripts/train_text_models.py`` writes all three.
``sentiment_head.json``, when present, replaces the ONNX file's own sentiment output: a
linear layer over the model's outputs (embedding, emotions, derived sentiment) trained on
labelled business messages by ``scripts/fit_sentiment_head.py``.
"""

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from . import needs_human
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
    def base_version(self) -> str:
        """The ONNX model's name and date."""
        config = self.config
        return f"{config['name']}@{config['created']}"

    @property
    def version(self) -> str:
        """The ONNX model and, when there is one, the sentiment head.

        The head is named by its date and the start of its file's SHA-256, so a head refitted
        on the same day is still a new version and makes the old readings stale.
        """
        head = self._load()[3]
        return self.base_version + (
            f"+sentiment@{head['created']}.{head['digest']}" if head else ""
        )

    @property
    def readings_version(self) -> str:
        """What readings store: :attr:`version`, how the ONNX file quantises activations
        when its config says (``per-token``: ``scripts/quantise_per_token.py``) and the
        need-for-a-human rules and weights (``needs_human.version()``), so a change to any
        of them makes old readings stale."""
        activations = self.config.get("activations")
        return "+".join(filter(None, (self.version, activations, needs_human.version())))

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
                head_path = self.path / "sentiment_head.json"
                head = None
                if head_path.exists():
                    import numpy as np

                    raw = head_path.read_bytes()
                    head = json.loads(raw)
                    head["digest"] = hashlib.sha256(raw).hexdigest()[:8]
                    head["W"] = np.asarray(head["weights"], dtype=np.float32)
                    head["b"] = np.asarray(head["bias"], dtype=np.float32)
                self._loaded = (load_tokenizer(), session, config, head)
        return self._loaded

    def _outputs(self, texts: Sequence[str]):
        """Per text: emotion probabilities, derived sentiment probabilities and the
        embedding, each averaged over the text's windows; and the window counts."""
        import numpy as np

        tokenizer, session, config, _ = self._load()
        pieces, owners = windows(tokenizer, texts, int(config["window"]))

        def feeds(ids, mask):
            return {"input_ids": ids, "attention_mask": mask}

        emotions, sentiment, embedding = run_sorted(session, pieces, self.batch_size, feeds)
        n = len(texts)
        counts = np.bincount(np.asarray(owners), minlength=n).tolist()
        return (
            pool_windows(emotions, pieces, owners, n),
            pool_windows(sentiment, pieces, owners, n),
            pool_windows(embedding, pieces, owners, n),
            counts,
        )

    def features(self, texts: Sequence[str]):
        """What the sentiment head reads, per cleaned text: embedding (384), emotions (28),
        derived sentiment (3)."""
        import numpy as np

        emotions, sentiment, embedding, _ = self._outputs(texts)
        return np.hstack([embedding, emotions, sentiment]).astype(np.float32)

    def predict(self, texts: Sequence[str]) -> Predictions:
        import numpy as np

        head = self._load()[3]
        if not texts:
            empty = np.zeros((0, len(EMOTIONS)), dtype=np.float32)
            return Predictions(empty, np.zeros((0, len(SENTIMENTS)), dtype=np.float32), [])
        emotions, sentiment, embedding, counts = self._outputs(texts)
        if head is not None:
            # Products summed in one fixed order per row: a BLAS matrix product takes
            # another path for one row than for many, which moved the last bit.
            features = np.hstack([embedding, emotions, sentiment])
            logits = (features[:, :, None] * head["W"][None]).sum(1) + head["b"]
            logits -= logits.max(1, keepdims=True)
            sentiment = np.exp(logits)
            sentiment /= sentiment.sum(1, keepdims=True)
        return Predictions(emotions=emotions, sentiment=sentiment, windows=counts)
