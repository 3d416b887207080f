"""How well ``find_pii`` finds labelled personal data: span-level precision, recall and F1.

    python -m rapport.engine.text.pii_eval            # on datasets/pii_messages.jsonl

Rows are dicts with ``text`` and ``spans`` (``start``, ``end``, ``kind``), as in
``rapport/engine/datasets/pii_messages.jsonl``. Two ways of counting a found span as right:

- *exact*: same start, end and kind as a labelled span;
- *overlap*: same kind and at least one character in common with a labelled span that no
  other found span has matched yet (what redaction needs: the data is covered).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

# PII_MESSAGES and load_pii_messages lived here first and are still imported from here.
from ..datasets import PII_MESSAGES as PII_MESSAGES
from ..datasets import load_pii_messages as load_pii_messages
from .pii import PII_KINDS, PiiSpan, find_pii


def evaluate_pii(
    rows: Sequence[dict], predictions: Sequence[Sequence[PiiSpan]] | None = None
) -> dict:
    """Precision, recall and F1 per kind and overall, for exact and overlap matching.

    ``predictions`` (one list of spans per row) defaults to ``find_pii`` on the rows' texts.
    Returns ``{"exact": {kind: scores, ..., "overall": scores}, "overlap": {...},
    "messages": n, "messages_without_pii": m, "false_alarms": k}`` where scores are
    ``{"precision", "recall", "f1", "tp", "fp", "fn"}`` and ``false_alarms`` counts the
    messages with no labelled data in which something was found.
    """
    if predictions is None:
        predictions = find_pii([row["text"] for row in rows])
    if len(predictions) != len(rows):
        raise ValueError(f"{len(predictions)} predictions for {len(rows)} rows")
    result: dict = {"messages": len(rows)}
    for mode in ("exact", "overlap"):
        tallies = {kind: [0, 0, 0] for kind in PII_KINDS}  # tp, fp, fn
        for row, found in zip(rows, predictions, strict=True):
            gold = [(s["start"], s["end"], s["kind"]) for s in row["spans"]]
            guessed = [(s.start, s.end, s.kind) for s in found]
            for kind in PII_KINDS:
                g = [s for s in gold if s[2] == kind]
                p = [s for s in guessed if s[2] == kind]
                tp = _matches(g, p, exact=mode == "exact")
                tally = tallies.setdefault(kind, [0, 0, 0])
                tally[0] += tp
                tally[1] += len(p) - tp
                tally[2] += len(g) - tp
        scores = {kind: _scores(*tally) for kind, tally in tallies.items()}
        scores["overall"] = _scores(*(sum(t[i] for t in tallies.values()) for i in range(3)))
        result[mode] = scores
    empty = [i for i, row in enumerate(rows) if not row["spans"]]
    result["messages_without_pii"] = len(empty)
    result["false_alarms"] = sum(bool(predictions[i]) for i in empty)
    return result


def _matches(gold: list[tuple], guessed: list[tuple], *, exact: bool) -> int:
    if exact:
        return len(set(gold) & set(guessed))
    free = sorted(gold)
    hits = 0
    for start, end, _ in sorted(guessed):
        for index, (g_start, g_end, _) in enumerate(free):
            if start < g_end and g_start < end:
                del free[index]
                hits += 1
                break
    return hits


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def markdown(result: dict) -> str:
    """The figures as a Markdown table: one row per kind, exact and overlap side by side."""
    lines = [
        "| kind | labelled | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for kind in (*PII_KINDS, "overall"):
        exact, overlap = result["exact"][kind], result["overlap"][kind]
        labelled = exact["tp"] + exact["fn"]
        cells = [kind, str(labelled)]
        for scores in (exact, overlap):
            cells += [f"{scores[name]:.3f}" for name in ("precision", "recall", "f1")]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        f"{result['messages']} messages; {result['false_alarms']} of the "
        f"{result['messages_without_pii']} with no personal data had something flagged."
    )
    return "\n".join(lines) + "\n"


def main(argv: Iterable[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    rows = load_pii_messages(Path(args[0]) if args else None)
    sys.stdout.write(markdown(evaluate_pii(rows)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
