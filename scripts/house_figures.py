"""Figures about the shape of the code: import circles, imports running up the layers, the
largest files. Prints a small report; issue 15's closing note quotes it before and after.

    python scripts/house_figures.py
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rapport"
sys.path.insert(0, str(ROOT / "tests"))

from test_import_rule import LAYERS  # noqa: E402


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imports_of(path: Path, name: str):
    """(line, imported module, at module level?) for every import of ours in a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    top = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from package import submodule` names the submodule, not the package's
            # __init__ (a parent package is always loaded first; that is no circle).
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [t for t in submodules if _is_module(t)] or [base]
        for target in targets:
            if target.startswith("rapport"):
                yield node.lineno, target, id(node) in top


def graph(module_level_only: bool):
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        modules[module_name(path)] = path
    edges = defaultdict(set)
    for name, path in modules.items():
        for _, target, top in imports_of(path, name):
            if module_level_only and not top:
                continue
            if target in modules and target != name:
                edges[name].add(target)
    return modules, edges


def cycles(modules, edges):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(modules):
        if v not in index:
            visit(v)
    return found


def imports_running_up():
    """Import statements outside tests from an app (or lib/engine) to a layer at or above it,
    or to a project-level module such as rapport.cli."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2 or parts[0] not in LAYERS or "migrations" in parts:
            continue
        if "tests" in parts:
            continue
        seen = set()
        for lineno, target, _ in imports_of(path, module_name(path)):
            if lineno in seen:
                continue
            seen.add(lineno)
            pieces = target.split(".")
            if len(pieces) < 2 or pieces[1] == parts[0] or target == "rapport.test":
                continue
            if (
                pieces[1] not in LAYERS
                or LAYERS[parts[0]] == 0
                or LAYERS[pieces[1]] >= LAYERS[parts[0]]
            ):
                found.append(f"{path.relative_to(ROOT)}:{lineno} -> {target}")
    return sorted(set(found))


def main():
    for label, level in (("module-level imports", True), ("all imports", False)):
        modules, edges = graph(level)
        found = cycles(modules, edges)
        print(f"import circles ({label}): {len(found)}")
        for component in found:
            print("   ", " <-> ".join(component))
    up = imports_running_up()
    print(f"imports running up the layers (or to project-level modules): {len(up)}")
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
