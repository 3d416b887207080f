"""Figures about the shape of the code: import circles, imports running up the layers, the
largest files. Prints a small report; issue 15's closing note quotes it before and after.

    python scripts/house_figures.py

It counts with the functions of the tests that hold the rules (tests/test_import_rule.py,
tests/test_no_import_circles.py), so the figures and the tests cannot disagree.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rapport"
sys.path.insert(0, str(ROOT / "tests"))

from test_import_rule import LAYERS  # noqa: E402
from test_no_import_circles import circles, import_graph, imported, module_name  # noqa: E402


def imports_running_up() -> list[str]:
    """Modules outside tests that import a layer at or above their own (or, from lib and
    engine, any app), or a project-level module such as rapport.cli."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in LAYERS or {"migrations", "tests"} & set(parts):
            continue
        for target in sorted(imported(path, module_name(path))):
            pieces = target.split(".")
            if pieces[0] != "rapport" or len(pieces) < 2 or pieces[1] == parts[0]:
                continue
            if target == "rapport.test":
                continue
            layer = LAYERS.get(pieces[1])
            if layer is None or LAYERS[parts[0]] == 0 or layer >= LAYERS[parts[0]]:
                found.append(f"{path.relative_to(ROOT)} -> {target}")
    return found


def main():
    found = circles(import_graph())
    print(f"import circles (every import, inside functions too): {len(found)}")
    for component in found:
        print("   ", " <-> ".join(sorted(component)))
    up = imports_running_up()
    print(f"modules importing up the layers (or a project-level module): {len(up)}")
    for line in up:
        print("   ", line)
    sizes = sorted(
        (
            (len(path.read_text().splitlines()), path.relative_to(ROOT))
            for path in PACKAGE.rglob("*.py")
            if "migrations" not in path.parts and "tests" not in path.parts
        ),
        reverse=True,
    )
    print("largest files (lines, tests and migrations aside):")
    for lines, path in sizes[:8]:
        print(f"    {lines:5d} {path}")


if __name__ == "__main__":
    main()
