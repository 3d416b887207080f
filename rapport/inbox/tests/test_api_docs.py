"""The inbox's API routes and `rapport inbox` verbs are each documented (docs/inbox*.md)."""

from pathlib import Path

from rapport.inbox.api import router
from rapport.test import build_parser

DOCS = Path(__file__).resolve().parents[3] / "docs"


def documented() -> str:
    return "\n".join(p.read_text() for p in sorted(DOCS.glob("inbox*.md")))


def test_every_route_is_documented_with_an_example():
    text = documented()
    for path, operations in router.path_operations.items():
        for operation in operations.operations:
            for method in operation.methods:
                route = f"{method} /api{path.replace('{conversation_id}', '{id}')}"
                assert f"### `{route}`" in text, f"{route} is not in docs/inbox-api.md"
    assert text.count("curl ") >= sum(
        len(op.methods) for ops in router.path_operations.values() for op in ops.operations
    )


def test_every_verb_of_rapport_inbox_is_documented():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    verbs = next(a for a in commands["inbox"]._actions if a.dest == "verb").choices
    text = documented()
    assert all(f"rapport inbox {verb}" in text for verb in verbs)
