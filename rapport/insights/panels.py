"""Sections that apps above ``insights`` add to the dashboard, without insights importing them
(the inbox's responsiveness and SLA figures, for one).

An app registers a provider in its ``AppConfig.ready``. A provider is called with the request
of the dashboard's overview and returns a ``Panel`` (or None to add nothing): ``template`` is
included below the index with ``panel`` set to ``context``. A provider registered for a group
(``group="employee"``) is called with the request of that group's page instead (the
predictions' team risk on the employees' page, for one).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_providers: list[tuple[str, Callable]] = []


def register_dashboard_panel(provider: Callable, group: str = "") -> None:
    if (group, provider) not in _providers:
        _providers.append((group, provider))


def dashboard_panels(request, group: str = "") -> list[Panel]:
    return [
        panel for where, provider in _providers if where == group and (panel := provider(request))
    ]
