"""The supervisor dashboard's panels from the apps, and the tables they export: the core knows
no domain app.

An app registers a panel in its ``AppConfig.ready()``: a template and a callable that takes the
dashboard's period and returns the template's context (read there as ``panel``). The dashboard
renders the core's figures, then each panel in ``order``. The tables a panel exports go in
``TABLES``, beside the core's own, under the names its template's export links use.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .insights import Period

Rows = Callable[[Period], list[tuple[Any, ...]]]
Table = tuple[tuple[str, ...], Rows]


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[Period], dict[str, Any]]
    order: int = 100
    tables: Mapping[str, Table] = field(default_factory=dict)


# Every exportable table: name → (columns, rows(period)). The dashboard adds the core's.
TABLES: dict[str, Table] = {}

_panels: dict[str, Panel] = {}


def register_tables(tables: Mapping[str, Table]) -> None:
    for name, table in tables.items():
        if TABLES.get(name, table) != table:
            raise ValueError(f"The dashboard already exports a table {name!r}.")
        TABLES[name] = table


def register_panel(panel: Panel) -> Panel:
    """Add a panel and its tables (once: ready() may run twice in tests)."""
    known = _panels.get(panel.key)
    if known is not None and known != panel:
        raise ValueError(f"The dashboard already has a panel {panel.key!r}.")
    register_tables(panel.tables)
    _panels[panel.key] = panel
    return panel


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda p: p.order)


@dataclass(frozen=True)
class Shown:
    """A panel as one dashboard page renders it."""

    template: str
    context: dict[str, Any]


def render_panels(period: Period) -> list[Shown]:
    return [Shown(panel.template, panel.context(period)) for panel in panels()]
