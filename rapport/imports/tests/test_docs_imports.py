"""docs/imports.md cannot drift from the code."""

import contextlib
import io
import os
from pathlib import Path

import pytest

from rapport.imports.kinds import KINDS
from rapport.test import build_parser

DOC = Path(__file__).resolve().parents[3] / "docs" / "imports.md"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_field_of_every_kind_is_documented(kind):
    text = DOC.read_text(encoding="utf-8")
    missing = [f.name for f in KINDS[kind].fields if f"`{f.name}`" not in text]
    assert not missing, f"docs/imports.md does not name these {kind} fields: {missing}"


def test_the_pasted_help_is_the_current_help(monkeypatch):
    monkeypatch.setitem(os.environ, "COLUMNS", "100")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser().parse_args(["import", "--help"])
    assert out.getvalue().rstrip() in DOC.read_text(encoding="utf-8")
