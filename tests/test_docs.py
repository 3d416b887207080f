"""Docs that cannot drift: every setting and every CLI command is documented."""

import re
from pathlib import Path

from rapport.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_read_from_the_environment_is_documented():
    settings_source = (ROOT / "rapport" / "settings.py").read_text()
    documented = (ROOT / "docs" / "settings.md").read_text()
    names = set(re.findall(r'env\w*\(\s*"(RAPPORT_[A-Z_]+)"', settings_source))
    assert names, "no settings found: did the env readers change?"
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"undocumented settings in docs/settings.md: {missing}"


def test_every_cli_command_is_documented():
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    documented = (ROOT / "docs" / "cli.md").read_text()
    # An alias (`reanalyse` for `reanalyze`) is the same parser: documented under its command.
    first_names = {}
    for name, sub in commands.items():
        first_names.setdefault(id(sub), name)
    missing = sorted(c for c in first_names.values() if f"## rapport {c}" not in documented)
    assert not missing, f"undocumented commands in docs/cli.md: {missing}"


def test_the_cli_reference_shows_the_current_help_output():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "cli.md").read_text() == module.render(), (
        "docs/cli.md is stale: run python scripts/gen_cli_docs.py"
    )


def test_readme_gives_the_test_command_that_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert re.search(r"^make test$", ci, re.M)
