"""The import kinds are named in three places that must agree: the CLI's choices, the
ImportRun model's choices and the registry of kinds."""

import argparse

from rapport.imports import cli
from rapport.imports.choices import ImportKind
from rapport.imports.kinds import KINDS
from rapport.imports.models import ImportRun


def _cli_choices() -> list[str]:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    subparser = parser._subparsers._group_actions[0].choices["import"]
    kind = next(action for action in subparser._actions if action.dest == "kind")
    return list(kind.choices)


def test_the_cli_the_model_and_the_registry_name_the_same_kinds_in_the_same_order():
    registry = list(KINDS)
    assert _cli_choices() == registry
    assert registry == cli.KINDS
    assert [value for value, _ in ImportRun._meta.get_field("kind").choices] == registry
    assert list(ImportKind.values) == registry


def test_each_kind_is_called_by_its_registry_name_and_labelled_as_the_model_labels_it():
    for name, kind in KINDS.items():
        assert kind.name == name
        assert kind.label == ImportKind(name).label


def test_the_cli_help_lists_the_kinds_in_the_registrys_order():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    help_text = parser._subparsers._group_actions[0].choices["import"].format_help()
    assert ", ".join(KINDS) in " ".join(help_text.split())
