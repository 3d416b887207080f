"""Rapport's own labelled data sets, written for the project (AGPL-3.0-or-later), shipped with
the library.

- ``business_messages.csv`` (``BUSINESS_MESSAGES``, card ``BUSINESS_MESSAGES.md``): small-business
  messages labelled with sentiment and whether a person needs to step in, and why.
- ``pii_messages.jsonl`` (``PII_MESSAGES``, card ``PII_MESSAGES.md``): messages with their
  personal data marked as character spans.
- ``faq_examples.csv`` (``FAQ_EXAMPLES``, card ``FAQ_EXAMPLES.md``): small FAQs of three
  invented businesses with questions for each entry and questions none answers.

All are written by generators outside the library, ``scripts/make_business_messages.py``,
``scripts/make_pii_messages.py`` and ``scripts/make_faq_examples.py``; tests check that the files and their generators agree.

    from rapport.engine.datasets import load_business_messages
    rows = load_business_messages()
    rows[0]["text"], rows[0]["needs_human"]   # ('Our new online ordering portal …', 0)
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUSINESS_MESSAGES = HERE / "business_messages.csv"
PII_MESSAGES = HERE / "pii_messages.jsonl"
FAQ_EXAMPLES = HERE / "faq_examples.csv"

__all__ = [
    "BUSINESS_MESSAGES",
    "FAQ_EXAMPLES",
    "PII_MESSAGES",
    "load_business_messages",
    "load_faq_examples",
    "load_pii_messages",
]


def load_business_messages(path: Path | None = None) -> list[dict]:
    """The rows of the business messages, in file order, as dicts of ``id``, ``text``,
    ``sentiment`` (negative, neutral, positive), ``needs_human`` (0 or 1), ``reason`` ("" when
    no person is needed), ``group`` and ``channel``."""
    with open(path or BUSINESS_MESSAGES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["needs_human"] = int(row["needs_human"])
    return rows


def load_pii_messages(path: Path | None = None) -> list[dict]:
    """The rows of a PII evaluation file (JSON lines), by default the project's own: dicts
    with ``id``, ``text`` and ``spans`` (``start``, ``end``, ``kind``)."""
    with open(path or PII_MESSAGES, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_faq_examples(path: Path | None = None) -> list[dict]:
    """The rows of the FAQ examples, in file order, as dicts of ``business``, ``entry`` (""
    for a question no entry answers), ``answer`` and ``text``."""
    with open(path or FAQ_EXAMPLES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
