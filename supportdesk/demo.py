"""Demo data loaders, which the apps register: ``load_demo`` runs them and knows no domain app.

An app registers a loader in its ``AppConfig.ready()``. ``load_demo`` creates the demo users,
then runs every loader in ``order`` inside one transaction, and prints each loader's summary
line (None prints nothing) once the transaction has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User

from .roles import Role


@dataclass(frozen=True)
class DemoRun:
    """What a loader gets: the day the demo is loaded for and the demo user of each role."""

    today: dt.date
    users: Mapping[Role, User]


Loader = Callable[[DemoRun], "str | None"]

_loaders: dict[str, tuple[int, Loader]] = {}


def register_loader(name: str, loader: Loader, order: int) -> None:
    """Add a loader under ``name`` (once: ready() may run twice in tests)."""
    known = _loaders.get(name)
    if known is not None and known != (order, loader):
        raise ValueError(f"A demo loader {name!r} is already registered.")
    _loaders[name] = (order, loader)


def loaders() -> list[Loader]:
    return [loader for _order, loader in sorted(_loaders.values(), key=lambda item: item[0])]
