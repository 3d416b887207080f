"""Imports flow one way: lib and engine import nothing of ours; each app imports only apps
below it in LAYERS. See docs/architecture.md."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "rapport"

LAYERS = {
    "lib": 0,
    "engine": 0,
    # The task workers' shared state (heartbeats, leases, clock ticks): any app may use it,
    # and it uses no app.
    "workers": 0.5,
    "accounts": 1,
    "people": 2,
    "understanding": 3,
    "feedback": 4,
    "intake": 5,
    "insights": 6,
    "knowledge": 7,
    "inbox": 8,
    "predictions": 9,
    "outreach": 10,
    "privacy": 11,
    "imports": 12,
    "demo": 13,
}
# Project-level modules any app may use: the test personas. (The `rapport` command's shared
# helpers live in lib/commands.py and accounts/scope.py; no app imports rapport.cli.)
SHARED = {"rapport.test"}


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_apps_only_import_from_layers_below_them():
    problems = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in LAYERS or "migrations" in parts:
            continue
        layer = LAYERS[parts[0]]
        for lineno, module in imported_modules(path):
            if not module.startswith("rapport.") or module in SHARED:
                continue
            target = module.split(".")[1]
            if target == parts[0]:
                continue
            if target not in LAYERS:
                problems.append(
                    f"{path.relative_to(ROOT)}:{lineno} imports project module {module}"
                )
            elif layer == 0 or LAYERS[target] >= layer:
                problems.append(
                    f"{path.relative_to(ROOT)}:{lineno} imports {module} (against the flow)"
                )
    assert not problems, "\n".join(problems)


def test_every_app_is_in_the_layer_list():
    apps = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps - {"templates", "static"} <= set(LAYERS), apps - set(LAYERS)
