"""Sections that apps above ``insights`` add to the dashboard, without insights importing them
(the inbox's responsiveness and SLA figures, for one).

An app registers a provider in its ``AppConfig.ready``. A provider is called with the request
of the dashboard's overview and returns a ``Panel`` (or None to add nothing): ``template`` is
included below the index with ``panel`` set to ``context``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)


_providers: list[Callable] = []


def register_dashboard_panel(provider: Callable) -> None:
    if provider not in _providers:
        _providers.append(provider)


def dashboard_panels(request) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(request))]
