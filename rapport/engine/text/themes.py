"""Themes: what a business's texts are about, found without labels and named in plain words.

::

    model = discover_themes(texts)          # 30 to hundreds of thousands of texts
    [(t.name, t.size) for t in model.themes]
    # [('refund · card · charged', 25), ('bread · stale · croissants', 25), ...]
    model.assignments[0]                    # the themes of texts[0]: 0, 1 or 2 ids
    # ('t-7f3a2c',)
    later = discover_themes(texts + new_texts, previous=model.themes)  # ids kept
    later.assign(Encoder().encode(["the queue was so long"]))          # texts since then

How: sentence embeddings (``encoder.Encoder``: unit vectors, so a dot product is a cosine)
are clustered by scikit-learn's k-means, its centres scaled back to unit length, fitted on a
seeded sample when there are many texts and then applied to all of them in chunks, so memory
stays flat. The number of themes is chosen
from the data (see ``_choose_k``); clusters whose centres nearly coincide are merged; a text
whose best theme is still far from it, and every text of a theme too small to matter, is left
in no theme ("other") rather than forced into one. Each theme is named by the phrases of
one to three words that are frequent in its texts and rare in the others (a class-based
TF-IDF), after numbers, e-mail addresses, links and ids are removed.

Ids are stable: given the themes of an earlier run, k-means starts from their centres, and
a new theme and an earlier one that are each other's closest, with cosine ≥
``MATCH_SIMILARITY``, are the same theme: it keeps the earlier id and, by default, name.
Earlier themes that found no match are listed in ``ThemeModel.vanished``. The same texts,
embeddings and seed always give the same result.

numpy and scikit-learn: this module imports no Django, and the encoder only when
``embeddings`` are not given.
"""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

from .clean import clean_text

MIN_TEXTS = 30
MAX_THEMES = 30
# Cosine between a text and its theme's centre below which the text is left in no theme.
# all-MiniLM-L6-v2 specific: on Rapport's business messages, texts at 0.35–0.40 from their
# nearest centre were often misfits; on Bitext intents and airline complaints, 0.35, 0.40
# and 0.45 gave the same agreement with the human labels (NMI within 0.004).
MIN_SIMILARITY = 0.4
# A text also gets its second-best theme when that one is at least this close to the best.
SECOND_MARGIN = 0.03
# Two clusters whose centres are this similar are one theme.
MERGE_SIMILARITY = 0.9
# A best silhouette this high means the texts fall into clearly separate groups.
CLEAR_STRUCTURE = 0.2
# A new theme whose centre is this similar to an earlier theme's keeps that theme's id.
MATCH_SIMILARITY = 0.8
# k-means is fitted on at most this many texts, the number of themes chosen on fewer.
FIT_SAMPLE = 5_000
CHOOSE_SAMPLE = 2_000
CHUNK = 8_192
# Phrases are counted in at most this many texts per theme.
PHRASE_SAMPLE = 500
EXAMPLES = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """One theme: ``id`` (stable across runs, e.g. ``t-7f3a2c``), ``name`` (its top phrases
    in plain words), ``phrases`` (most telling first), ``centroid`` (unit vector in the
    encoder's space, as plain floats so it can be stored as JSON), ``size`` (texts whose first
    theme it is) and ``examples`` (indices of its most central texts, most central first)."""

    id: str
    name: str
    phrases: tuple[str, ...]
    centroid: tuple[float, ...]
    size: int
    examples: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ThemeModel:
    """The themes of one collection of texts.

    ``themes`` biggest first; ``assignments[i]`` the ids of text i's themes (empty for an
    empty text or one in no theme; two when its second theme is nearly as close);
    ``unassigned`` how many non-empty texts are in no theme; ``vanished`` the ids of earlier
    themes (``previous``) that matched no theme now; ``reason`` says why there are no themes
    (e.g. "not enough texts: 12 < 30") and is None otherwise; ``threshold`` and ``margin``
    are what ``assign`` uses for texts that arrive later.
    """

    themes: tuple[Theme, ...]
    assignments: tuple[tuple[str, ...], ...]
    unassigned: int = 0
    skipped: int = 0
    vanished: tuple[str, ...] = ()
    reason: str | None = None
    threshold: float = MIN_SIMILARITY
    margin: float = SECOND_MARGIN
    seed: int = 0

    def assign(self, embeddings) -> list[tuple[str, ...]]:
        """The themes of texts that arrived after discovery (see the module function)."""
        return assign(embeddings, self.themes, threshold=self.threshold, margin=self.margin)

    def to_dict(self) -> dict:
        return asdict(self)


def discover_themes(
    texts: Sequence[str],
    embeddings=None,
    *,
    previous: Sequence[Theme] = (),
    keep_names: bool = True,
    min_texts: int = MIN_TEXTS,
    min_size: int | None = None,
    max_themes: int = MAX_THEMES,
    threshold: float = MIN_SIMILARITY,
    margin: float = SECOND_MARGIN,
    seed: int = 0,
) -> ThemeModel:
    """Find the themes of ``texts`` and each text's themes.

    Parameters: ``embeddings``, one row per text (``Encoder().encode(texts)`` when None; rows
    are re-normalised); ``previous``, the themes of an earlier run, whose ids are kept for the
    themes that match them (and their names when ``keep_names``); ``min_texts``, below which
    no themes are looked for; ``min_size``, the fewest texts a theme may have (default: 1% of
    the texts, at least 3); ``max_themes``; ``threshold``, the cosine to a theme's centre a
    text needs to belong to it; ``margin`` for a second theme; ``seed``.

    Empty and non-string texts are skipped (no themes, counted in ``skipped``). Texts are
    read through ``clean.clean_text`` (markup removed, emoji spelled out), as ``analyze``
    reads them; pass embeddings of the cleaned texts for the same result.
    """
    if isinstance(texts, str | bytes):
        raise TypeError("discover_themes() takes a sequence of texts, not a single text")
    n = len(texts)
    keep = [i for i, t in enumerate(texts) if isinstance(t, str) and t.strip()]
    kept_texts = [texts[i] for i in keep]
    base = dict(skipped=n - len(keep), threshold=threshold, margin=margin, seed=seed)
    if len(keep) < min_texts:
        return ThemeModel(
            themes=(),
            assignments=((),) * n,
            unassigned=len(keep),
            reason=f"not enough texts: {len(keep)} < {min_texts}",
            **base,
        )

    if embeddings is None:
        from .encoder import Encoder

        x = Encoder().encode([clean_text(t).text for t in kept_texts])
    else:
        embeddings = np.asarray(embeddings, dtype=np.float32)
        if embeddings.ndim != 2 or len(embeddings) != n:
            raise ValueError(f"embeddings must have one row per text: {embeddings.shape}, {n}")
        x = embeddings[keep] if len(keep) < n else embeddings
    x = _normalise(x)
    m = len(x)
    if min_size is None:
        min_size = max(3, math.ceil(0.01 * m))
    rng = np.random.default_rng(seed)

    fit = x if m <= FIT_SAMPLE else x[np.sort(rng.choice(m, FIT_SAMPLE, replace=False))]
    prev = _previous_centres(previous, x.shape[1])
    k_max = max(1, min(max_themes, round(math.sqrt(m / 2)), m // min_size))
    centres = _kmeans(fit, _choose_k(fit, k_max, rng), rng, init=prev)
    centres = _merge_close(centres, fit, MERGE_SIMILARITY)
    centres, nearest = _prune(x, centres, threshold, min_size)
    if len(centres):
        # The centres were fitted on a sample, before pruning: one Lloyd step on every text
        # makes them the centres of the texts they now hold.
        top, best, _, _ = nearest
        centres = _recentre(x, top, best >= threshold, centres)
        centres, nearest = _prune(x, centres, threshold, min_size)
    if len(centres) == 0:
        return ThemeModel(
            themes=(),
            assignments=((),) * n,
            unassigned=m,
            vanished=tuple(t.id for t in previous),
            reason="no group of similar texts is large enough to be a theme",
            **base,
        )

    top, best, second, best2 = nearest
    member = best >= threshold
    labels = np.where(member, top, -1)
    phrases = _theme_phrases(kept_texts, labels, len(centres), rng)
    ids, names, vanished = _identities(centres, phrases, previous, prev, keep_names, seed)
    keep_arr = np.asarray(keep)
    themes = []
    for c in range(len(centres)):
        members = np.flatnonzero(labels == c)
        central = members[np.argsort(-best[members], kind="stable")[:EXAMPLES]]
        themes.append(
            Theme(
                id=ids[c],
                # No phrase is shared by enough of its texts (very short or varied texts):
                # its most central text says what it is about.
                name=names[c] or _excerpt(kept_texts[central[0]]),
                phrases=phrases[c],
                centroid=tuple(float(v) for v in centres[c]),
                size=int(len(members)),
                examples=tuple(int(i) for i in keep_arr[central]),
            )
        )
    order = sorted(range(len(themes)), key=lambda c: (-themes[c].size, themes[c].id))

    second_ok = member & (best2 >= threshold) & (best2 >= best - margin)
    per_text: list[tuple[str, ...]] = [()] * n
    for j, i in enumerate(keep):
        if member[j]:
            per_text[i] = (ids[top[j]], ids[second[j]]) if second_ok[j] else (ids[top[j]],)
    return ThemeModel(
        themes=tuple(themes[c] for c in order),
        assignments=tuple(per_text),
        unassigned=int((~member).sum()),
        vanished=vanished,
        **base,
    )


def assign(
    embeddings,
    themes: Sequence[Theme],
    *,
    threshold: float = MIN_SIMILARITY,
    margin: float = SECOND_MARGIN,
) -> list[tuple[str, ...]]:
    """Each text's themes, from its embedding: the closest theme when its cosine is at least
    ``threshold``, and the second closest too when that one is also over ``threshold`` and
    within ``margin`` of the first. A text may get no theme. Vectorised, in chunks."""
    x = np.asarray(embeddings, dtype=np.float32)
    if x.size == 0 or not themes:
        return [() for _ in range(len(x) if x.ndim == 2 else int(x.size > 0))]
    x = _normalise(np.atleast_2d(x))
    centres = _normalise(np.array([t.centroid for t in themes], dtype=np.float32))
    ids = [t.id for t in themes]
    top, best, second, best2 = _nearest_two(x, centres)
    out: list[tuple[str, ...]] = []
    for j in range(len(x)):
        if best[j] < threshold:
            out.append(())
        elif len(ids) > 1 and best2[j] >= threshold and best2[j] >= best[j] - margin:
            out.append((ids[top[j]], ids[second[j]]))
        else:
            out.append((ids[top[j]],))
    return out


# --- clustering -------------------------------------------------------------------------


def _normalise(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length; rows that already are (the encoder's) are not copied."""
    x = np.asarray(x, dtype=np.float32)
    # einsum, unlike np.linalg.norm, makes no temporary copy of x.
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))[:, None]
    if len(x) and np.abs(norms - 1.0).max() < 1e-3:
        return x
    return x / np.clip(norms, 1e-12, None)


def _nearest_two(x: np.ndarray, centres: np.ndarray):
    """For each row: its closest centre and cosine, and its second closest and cosine."""
    m, k = len(x), len(centres)
    top = np.zeros(m, dtype=np.int64)
    second = np.zeros(m, dtype=np.int64)
    best = np.full(m, -1.0, dtype=np.float32)
    best2 = np.full(m, -1.0, dtype=np.float32)
    for start in range(0, m, CHUNK):
        sims = x[start : start + CHUNK] @ centres.T
        rows = np.arange(len(sims))
        t = sims.argmax(1)
        top[start : start + CHUNK] = t
        best[start : start + CHUNK] = sims[rows, t]
        if k > 1:
            sims[rows, t] = -np.inf
            s = sims.argmax(1)
            second[start : start + CHUNK] = s
            best2[start : start + CHUNK] = sims[rows, s]
    return top, best, second, best2


def _cluster_sums(x: np.ndarray, labels: np.ndarray, k: int):
    """Per cluster, the sum of its rows and their count (empty clusters sum to zero).

    One masked sum per cluster: a one-hot matrix product is as fast on an idle machine but
    many times slower when BLAS threads compete for busy cores."""
    sums = np.zeros((k, x.shape[1]), dtype=np.float64)
    for c in range(k):
        rows = labels == c
        if rows.any():
            sums[c] = x[rows].sum(0)
    return sums, np.bincount(labels, minlength=k)


def _recentre(x: np.ndarray, top: np.ndarray, member: np.ndarray, old: np.ndarray):
    sums = np.zeros(old.shape, dtype=np.float64)
    for start in range(0, len(x), CHUNK):
        rows = member[start : start + CHUNK]
        sums += _cluster_sums(
            x[start : start + CHUNK][rows], top[start : start + CHUNK][rows], len(old)
        )[0]
    empty = np.linalg.norm(sums, axis=1) < 1e-9
    sums[empty] = old[empty]
    return _normalise(sums)


def _prune(x: np.ndarray, centres: np.ndarray, threshold: float, min_size: int):
    """Drop the clusters that hold fewer than ``min_size`` texts within ``threshold``, and
    repeat, since their texts may then join another cluster or none. Returns the centres
    left and ``_nearest_two`` of every text against them."""
    while True:
        nearest = _nearest_two(x, centres)
        top, best = nearest[0], nearest[1]
        sizes = np.bincount(top[best >= threshold], minlength=len(centres))
        small = sizes < min_size
        if not small.any():
            return centres, nearest
        if small.all():
            if len(centres) == 1:
                return centres[:0], nearest
            small = np.arange(len(centres)) != sizes.argmax()
        centres = centres[~small]


def _previous_centres(previous: Sequence[Theme], width: int) -> np.ndarray | None:
    if not previous:
        return None
    centres = np.array([t.centroid for t in previous], dtype=np.float32)
    if centres.ndim != 2 or centres.shape[1] != width:
        raise ValueError(
            f"previous themes have centres of another size ({centres.shape[-1]}, not {width}):"
            " were they found with another encoder?"
        )
    return _normalise(centres)


def _top_up(x: np.ndarray, start: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``start`` (the previous themes' centres) and up to k − len(start) more, picked by
    k-means++'s rule (a text with probability ∝ its squared chord distance 2 − 2·cos to the
    nearest centre so far). Written out because scikit-learn's ``kmeans_plusplus`` cannot
    begin from given centres."""
    chosen = list(start)
    closest = np.clip(1.0 - (x @ np.array(chosen).T).max(1), 0.0, None)
    while len(chosen) < k:
        total = closest.sum()
        if total <= 1e-9:  # every text sits on a chosen centre: no more distinct groups
            break
        pick = min(int(np.searchsorted(np.cumsum(closest), rng.random() * total)), len(x) - 1)
        chosen.append(x[pick])
        # einsum, not x @ v: OpenBLAS's threaded matrix-vector product is many times slower
        # when its threads compete for busy cores.
        closest = np.minimum(closest, np.clip(1.0 - np.einsum("ij,j->i", x, x[pick]), 0.0, None))
    return np.array(chosen, dtype=np.float32)


def _fit(x: np.ndarray, k: int, rng: np.random.Generator, init=None, tries: int = 1) -> KMeans:
    """scikit-learn's k-means on the unit vectors: the best of ``tries`` k-means++ starts,
    or one start from ``init``. Its seed is drawn from ``rng``, so the same seed gives the
    same clusters; Lloyd's algorithm (scikit-learn's default) is deterministic given it.
    Fewer distinct texts than clusters leaves some clusters doubled (scikit-learn warns);
    ``_merge_close`` then makes them one."""
    model = KMeans(
        n_clusters=k if init is None else len(init),
        init="k-means++" if init is None else init,
        n_init=tries if init is None else 1,
        max_iter=60,
        random_state=int(rng.integers(2**31 - 1)),
    )
    # One thread: scikit-learn's OpenMP and BLAS threads run many times slower when they
    # compete for busy cores (10× on a loaded 2-core machine), and one is fast enough here.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(x)


def _kmeans(x: np.ndarray, k: int, rng: np.random.Generator, init=None, tries: int = 3):
    """Spherical k-means, as k-means on unit vectors with the centres scaled back to unit
    length: the best of ``tries`` k-means++ starts, or one warm start from ``init`` (the
    previous themes' centres, topped up by k-means++) so ids stay put."""
    if init is not None and len(init):
        support = np.bincount((x @ init.T).argmax(1), minlength=len(init))
        start = init[np.argsort(-support, kind="stable")[: min(k, len(init))]]
        return _normalise(_fit(x, k, rng, init=_top_up(x, start, k, rng)).cluster_centers_)
    return _normalise(_fit(x, k, rng, tries=tries).cluster_centers_)


def _choose_k(x: np.ndarray, k_max: int, rng: np.random.Generator) -> int:
    """The number of clusters, by cosine silhouette on a sample (scikit-learn's
    ``silhouette_score``).

    When the texts fall into clearly separate groups (best silhouette ≥ ``CLEAR_STRUCTURE``)
    their number is the number of themes. Free-text feedback rarely does: its silhouette is
    low and nearly flat, and usually peaks at a split in two, which tells an owner nothing;
    then the best k in the finer half of the range is taken.
    """
    if k_max <= 1:
        return 1
    sample = x if len(x) <= CHOOSE_SAMPLE else x[rng.choice(len(x), CHOOSE_SAMPLE, replace=False)]
    distinct = len(np.unique(np.round(sample, 4), axis=0))
    k_max = min(k_max, distinct)
    if k_max <= 1:
        return 1
    candidates = [int(k) for k in np.unique(np.geomspace(2, k_max, 12).round())]
    dist = np.clip(1.0 - sample @ sample.T, 0.0, None)
    np.fill_diagonal(dist, 0.0)  # a text's distance to itself, rounding aside
    scores = {}
    for k in candidates:
        labels = _fit(sample, k, rng).labels_
        found = len(np.unique(labels))
        # scikit-learn refuses fewer than 2 clusters or one per text; the first is the
        # worst split there is, the second scores 0 (every text alone in its cluster).
        if found < 2:
            scores[k] = -1.0
        elif found >= len(sample):
            scores[k] = 0.0
        else:
            with threadpool_limits(limits=1):
                scores[k] = float(silhouette_score(dist, labels, metric="precomputed"))
    best = max(candidates, key=lambda k: (scores[k], -k))
    if scores[best] >= CLEAR_STRUCTURE:
        return best
    finer = [k for k in candidates if k >= k_max / 2] or candidates
    return max(finer, key=lambda k: (scores[k], -k))


def _merge_close(centres: np.ndarray, x: np.ndarray, similarity: float) -> np.ndarray:
    """Merge the closest pair of centres while any pair is at least ``similarity`` alike."""
    weights = np.bincount((x @ centres.T).argmax(1), minlength=len(centres)).astype(np.float64)
    centres = centres.astype(np.float64)
    while len(centres) > 1:
        sims = centres @ centres.T
        np.fill_diagonal(sims, -np.inf)
        i, j = np.unravel_index(int(sims.argmax()), sims.shape)
        if sims[i, j] < similarity:
            break
        merged = centres[i] * max(weights[i], 1) + centres[j] * max(weights[j], 1)
        centres[i] = merged / np.linalg.norm(merged)
        weights[i] += weights[j]
        centres = np.delete(centres, j, axis=0)
        weights = np.delete(weights, j)
    return centres.astype(np.float32)


# --- identities -------------------------------------------------------------------------


def _identities(centres, phrases, previous, prev, keep_names, seed):
    """Ids and names: an earlier theme's when it and a new centre match."""
    k = len(centres)
    ids: list[str | None] = [None] * k
    names = [_name(p) for p in phrases]
    if prev is not None and len(prev):
        # Each other's closest, and close: in loosely clustered feedback every centre can be
        # within MATCH_SIMILARITY of several earlier ones.
        sims = centres @ prev.T
        nearest_prev, nearest_new = sims.argmax(1), sims.argmax(0)
        taken_prev: set[int] = set()
        for c in range(k):
            p = int(nearest_prev[c])
            if nearest_new[p] != c or sims[c, p] < MATCH_SIMILARITY:
                continue
            ids[c] = previous[p].id
            taken_prev.add(p)
            if keep_names and previous[p].name:
                names[c] = previous[p].name
        vanished = tuple(previous[p].id for p in range(len(prev)) if p not in taken_prev)
    else:
        vanished = ()
    taken = {t.id for t in previous}  # a vanished theme's id is never given to a new one
    for c in range(k):
        if ids[c] is None:
            ids[c] = _new_id(centres[c], seed, taken)
            taken.add(ids[c])
    return ids, names, vanished


def _new_id(centre: np.ndarray, seed: int, taken: set[str]) -> str:
    data = np.asarray(centre, dtype=np.float32).round(4).tobytes() + str(seed).encode()
    salt = 0
    while True:
        digest = hashlib.blake2b(data + str(salt).encode(), digest_size=3).hexdigest()
        if f"t-{digest}" not in taken:
            return f"t-{digest}"
        salt += 1


def _name(phrases: Sequence[str]) -> str:
    return " · ".join(phrases[:3])


def _excerpt(text: str, words: int = 8) -> str:
    cut = clean_text(text).text.split()
    return "“" + " ".join(cut[:words]) + ("…" if len(cut) > words else "") + "”"


# --- phrases ----------------------------------------------------------------------------

_STOP_WORDS = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each else even ever every few for from further get gets
    got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
    herself him himself his how how's however i i'd i'll i'm i've if in into is isn't it it's
    its itself just let's like lot me more most much must mustn't my myself need needs no nor
    not now of off on once one only or other ought our ours ourselves out over own please quite
    rather really re same shall shan't she she'd she'll she's should shouldn't since so some
    still such than that that's the their theirs them themselves then there there's these
    they they'd they'll they're they've this those though through thus to too under until up
    upon us very via was wasn't we we'd we'll we're we've were weren't what what's when when's
    where where's whether which while who who's whom why why's will with within without won't
    would wouldn't yet you you'd you'll you're you've your yours yourself yourselves
    dear hi hello hey thank thanks ok okay yes yeah etc lol im ive dont cant wont didnt doesnt
    isnt wasnt u ur pls plz amp
    make makes made want wanted know knew see saw go going went come came tell told say said
    give gave take took put try tried think thought look looked use used way thing things
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

# The only stop words a three-word phrase may have in its middle: "waste of time",
# "value for money", "fish and chips".
_JOINING = frozenset({"of", "and", "for", "in", "on", "with", "at", "to"})
_SCRUB = re.compile(
    r"https?://\S+|www\.\S+"  # links
    r"|\S+@\S+\.\S+"  # e-mail addresses
    r"|[@#]\w+"  # handles (hashtags lose their words too: often brand names)
    r"|\S*\d\S*",  # anything with a digit: order ids, amounts, dates, phone numbers
)
_SEGMENT = re.compile(r"[.,;:!?()\[\]{}\"“”…/|\n\r\t–—-]+")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def text_phrases(text: str, longest: int = 3) -> set[str]:
    """The phrases of one to ``longest`` words a theme may be named by: lower case, never
    starting or ending with a stop word, never crossing punctuation, with numbers, ids,
    e-mail addresses, links and @handles removed."""
    text = _SCRUB.sub(" . ", text.lower().replace("’", "'"))
    found: set[str] = set()
    for segment in _SEGMENT.split(text):
        words = _WORD.findall(segment)
        for size in range(1, longest + 1):
            for i in range(len(words) - size + 1):
                gram = words[i : i + size]
                if gram[0] in STOP_WORDS or gram[-1] in STOP_WORDS:
                    continue
                if size == 3 and gram[1] in STOP_WORDS and gram[1] not in _JOINING:
                    continue
                if size == 1 and len(gram[0]) < 3:
                    continue
                found.add(" ".join(gram))
    return found


def _theme_phrases(texts, labels, k, rng, top: int = 6) -> list[tuple[str, ...]]:
    """Per theme, the phrases most typical of its texts against all texts.

    A class-based TF-IDF on document frequencies: score = p(phrase | theme) · log(lift),
    lift = p(phrase | theme) / p(phrase), so a phrase counts when many of the theme's texts
    use it and the other texts use it less. A longer phrase replaces the shorter ones inside
    it when at least half of their texts use it ("customer service", not "customer" and
    "service"); phrases that overlap one already chosen are skipped.
    """
    groups = [np.flatnonzero(labels == c) for c in range(-1, k)]
    sampled = [
        g if len(g) <= PHRASE_SAMPLE else np.sort(rng.choice(g, PHRASE_SAMPLE, replace=False))
        for g in groups
    ]
    counts = []
    for g in sampled:
        counter: Counter[str] = Counter()
        for i in g:
            counter.update(text_phrases(_readable(texts[i])))
        counts.append(counter)
    total_docs = sum(len(g) for g in sampled)
    overall: Counter[str] = Counter()
    for counter in counts:
        overall.update(counter)
    out = []
    for c in range(k):
        counter, docs = counts[c + 1], len(sampled[c + 1])
        floor = max(2, math.ceil(0.02 * docs))
        frequent = {phrase: df for phrase, df in counter.items() if df >= floor}
        scores = {}
        for phrase, df in frequent.items():
            p = df / docs
            lift = p / (overall[phrase] / total_docs)
            if docs == total_docs:  # a single theme holding every text: nothing to contrast
                scores[phrase] = p
            elif lift > 1.0:
                scores[phrase] = p * math.log(lift)
        for phrase in sorted(scores, key=lambda ph: (-ph.count(" "), ph)):
            if phrase not in scores:  # already taken into a longer phrase
                continue
            words = phrase.split()
            for size in range(1, len(words)):
                for i in range(len(words) - size + 1):
                    inner = " ".join(words[i : i + size])
                    if inner in scores and frequent[phrase] >= 0.5 * frequent[inner]:
                        scores[phrase] = max(scores[phrase], scores.pop(inner))
        ranked = sorted(scores, key=lambda ph: (-scores[ph], ph))
        chosen: list[str] = []
        for phrase in ranked:
            if not any(_overlaps(phrase, other) for other in chosen):
                chosen.append(phrase)
            if len(chosen) == top:
                break
        out.append(tuple(chosen))
    return out


def _readable(text: str) -> str:
    # clean_text is slow next to the phrase search; plain ASCII without markup needs none.
    if text.isascii() and "<" not in text and "&" not in text:
        return text
    return clean_text(text).text


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _overlaps(a: str, b: str) -> bool:
    wa, wb = {_stem(w) for w in a.split()}, {_stem(w) for w in b.split()}
    return wa <= wb or wb <= wa
