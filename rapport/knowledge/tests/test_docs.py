"""docs/knowledge.md names every column an import reads and every `rapport knowledge` verb."""

from pathlib import Path

from rapport.knowledge.transfer import COLUMNS
from rapport.test import build_parser

DOC = (Path(__file__).resolve().parents[3] / "docs" / "knowledge.md").read_text()


def test_every_import_column_is_documented():
    names = [name for synonyms in COLUMNS.values() for name in synonyms if name != "lang"]
    assert [n for n in names if f"`{n}`" not in DOC] == []


def test_every_verb_of_the_command_is_documented():
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    verbs = next(a for a in commands["knowledge"]._actions if a.dest == "verb").choices
    assert [v for v in verbs if f"rapport knowledge {v} " not in DOC] == []
