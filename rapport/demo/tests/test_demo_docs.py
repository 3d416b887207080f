import contextlib
import io
from pathlib import Path

from rapport.test import build_parser

DOCS = Path(__file__).resolve().parents[3] / "docs" / "demo.md"


def test_the_docs_show_the_current_help_output(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        build_parser().parse_args(["demo", "--help"])
    assert out.getvalue().rstrip() in DOCS.read_text(), (
        "paste `COLUMNS=100 rapport demo --help` into docs/demo.md"
    )
