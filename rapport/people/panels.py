"""Sections that apps above ``people`` add to the person page, and sortable columns they add
to the directory, without people importing them.

An app registers a provider in its ``AppConfig.ready``. A provider is called with the request,
the person and the timeline entries on the page; it may set attributes on the entries and
returns a ``Panel`` (or None to add nothing). ``template`` is included in the "at a glance"
area with ``context``; ``entry_template``, if set, is included in every timeline entry with
the entry as ``i``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str = ""
    context: dict = field(default_factory=dict)
    entry_template: str = ""


_providers: list[Callable] = []


def register_person_panel(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def person_panels(request, person, entries) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(request, person, entries))]


@dataclass(frozen=True)
class Column:
    """A directory column from an app above: ``annotate(queryset, request)`` returns the
    people with an attribute named ``key`` (None where there is nothing to show), which the
    directory sorts by (``?sort=key`` or ``?sort=-key``, blanks last); ``template`` renders
    a cell with ``p`` (the person)."""

    key: str
    label: str
    annotate: Callable
    template: str


_columns: list[Column] = []


def register_directory_column(column: Column) -> None:
    if column.key not in {c.key for c in _columns}:
        _columns.append(column)


def directory_columns() -> list[Column]:
    return list(_columns)
