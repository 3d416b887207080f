"""The project's own labelled business messages: file shape, labels, documented counts.

Standard library and pytest only; no Django.
"""

import csv
import importlib.util
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

DATASETS = Path(__file__).resolve().parents[1] / "datasets"
CSV_PATH = DATASETS / "business_messages.csv"
# The generator is a script outside the library; the tests check the file still matches it.
SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "make_business_messages.py"
DOC = DATASETS / "BUSINESS_MESSAGES.md"

HEADER = ["id", "text", "sentiment", "needs_human", "reason", "group", "channel"]
SENTIMENTS = {"negative", "neutral", "positive"}
REASONS = {
    "anger",
    "fear_or_safety",
    "threat_to_leave",
    "money",
    "legal",
    "health",
    "repeated_contact",
    "distress",
    "complex_request",
}
GROUPS = {"customer", "employee", "supplier", "community"}
CHANNELS = {"email", "chat", "review", "social", "phone", "survey", "ticket"}


@pytest.fixture(scope="module")
def table():
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, values, strict=True)) for values in reader]
    return header, rows


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("make_business_messages", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _doc_section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_header(table):
    header, _ = table
    assert header == HEADER


def test_every_label_is_allowed(table):
    _, rows = table
    for row in rows:
        assert row["sentiment"] in SENTIMENTS, row
        assert row["needs_human"] in {"0", "1"}, row
        assert row["group"] in GROUPS, row
        assert row["channel"] in CHANNELS, row
        assert row["reason"] == "" or row["reason"] in REASONS, row
        assert row["text"].strip() == row["text"] and row["text"], row


def test_reason_is_empty_exactly_when_no_human_is_needed(table):
    _, rows = table
    for row in rows:
        assert (row["reason"] == "") == (row["needs_human"] == "0"), row


def test_ids_and_texts_are_unique(table):
    _, rows = table
    ids = [row["id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"bm-\d{4}", i) for i in ids)
    texts = [row["text"] for row in rows]
    assert len(set(texts)) == len(texts)


def test_size_and_balance(table):
    _, rows = table
    assert len(rows) >= 1200
    sentiments = Counter(row["sentiment"] for row in rows)
    for label in SENTIMENTS:
        assert sentiments[label] / len(rows) >= 0.25, sentiments
    human = sum(row["needs_human"] == "1" for row in rows) / len(rows)
    assert 0.18 <= human <= 0.32
    assert {row["group"] for row in rows} == GROUPS
    assert {row["channel"] for row in rows} == CHANNELS
    assert {row["reason"] for row in rows} - {""} == REASONS


def test_documented_counts_match_the_file(table):
    _, rows = table
    section = _doc_section("Counts")
    documented = {}
    by_group = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in {"total", *HEADER} and cells[2].isdigit():
            documented[(cells[0], cells[1])] = int(cells[2])
        elif len(cells) == 5 and cells[0] in GROUPS:
            by_group[cells[0]] = [int(cell) for cell in cells[1:]]

    expected = {("total", "all"): len(rows)}
    for column in ("sentiment", "needs_human", "reason", "group", "channel"):
        for value, count in Counter(row[column] for row in rows).items():
            if value:
                expected[(column, value)] = count
    assert documented == expected

    expected_by_group = {}
    for group in GROUPS:
        mine = [row for row in rows if row["group"] == group]
        sentiments = Counter(row["sentiment"] for row in mine)
        human = sum(row["needs_human"] == "1" for row in mine)
        expected_by_group[group] = [
            sentiments["negative"],
            sentiments["neutral"],
            sentiments["positive"],
            human,
        ]
    assert by_group == expected_by_group


def test_documented_shape_matches_the_script(table, script):
    _, rows = table
    built = script.build_rows()
    templates = script.load_templates()
    per_template = Counter(row["template"] for row in built)
    sarcastic = sum(row["sarcasm"] for row in built)
    words = sorted(len(row["text"].split()) for row in rows)
    section = _doc_section("Counts")
    assert f"{len(templates)} templates" in section
    assert f"at most {max(per_template.values())} rows per template" in section
    assert f"{sarcastic} rows ({sarcastic / len(built):.1%})" in section
    assert f"from {words[0]} to {words[-1]} words (median {words[len(words) // 2]})" in section
    intro = DOC.read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert f"{len(rows):,} short messages" in intro


def test_templates_are_many_and_each_gives_few_rows(script):
    templates = script.load_templates()
    assert len(templates) >= 400
    assert len({t["text"] for t in templates}) == len(templates)
    per_template = Counter(row["template"] for row in script.build_rows())
    assert max(per_template.values()) <= 5


def test_script_reproduces_the_file(tmp_path):
    out = tmp_path / "business_messages.csv"
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, timeout=120)
    assert out.read_bytes() == CSV_PATH.read_bytes()


def test_documented_examples_match_the_file(table):
    _, rows = table
    by_id = {row["id"]: row for row in rows}
    section = _doc_section("Label guide")
    examples = 0
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"bm-\d{4}", cells[0]):
            row = by_id[cells[0]]
            assert [row["text"], row["sentiment"], row["needs_human"], row["reason"]] == cells[1:5]
            examples += 1
    assert examples >= 10


def test_the_loader_gives_the_files_rows(table, script):
    from rapport.engine.datasets import BUSINESS_MESSAGES, load_business_messages

    _, rows = table
    loaded = load_business_messages()
    assert BUSINESS_MESSAGES == CSV_PATH
    assert [row["text"] for row in loaded] == [row["text"] for row in rows]
    assert [row["text"] for row in loaded] == [row["text"] for row in script.build_rows()]
    assert {row["needs_human"] for row in loaded} == {0, 1}
    assert loaded[0] == {**rows[0], "needs_human": int(rows[0]["needs_human"])}
