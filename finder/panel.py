"""What the home page's "Start a case" panel shows a specialist: their favourite flows, the
flows they opened cases on most recently, and every flow grouped by caller type, the most used
first; with the search's results when something was typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Max

from supportdesk import clock, flow_content
from supportdesk.engine import CallerType, Flow
from supportdesk.models import Case

from .models import FavouriteFlow
from .search import Match

RECENT_FLOWS = 3
# "Most used" counts everyone's cases over this window: a new specialist sees what the desk
# starts most, and a flow nobody needs any more sinks.
USAGE_WINDOW = dt.timedelta(days=90)


@dataclass(frozen=True)
class FlowRow:
    flow: Flow
    favourite: bool

    @property
    def caller_label(self) -> str:
        return CallerType(self.flow.caller_type).label


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    rows: list[FlowRow]


def favourite_keys(user: User) -> list[str]:
    return list(FavouriteFlow.objects.filter(user=user).values_list("flow_key", flat=True))


def recent_keys(user: User, limit: int = RECENT_FLOWS * 2) -> list[str]:
    """The flows this specialist opened cases on, latest first (their own cases only)."""
    rows = (Case.objects.filter(opened_by=user).values("flow_key")
            .annotate(last=Max("opened_at")).order_by("-last", "flow_key")[:limit])
    return [row["flow_key"] for row in rows]


def usage() -> dict[str, int]:
    since = clock.now() - USAGE_WINDOW
    return dict(Case.objects.filter(opened_at__gte=since).values("flow_key")
                .annotate(cases=Count("pk")).values_list("flow_key", "cases"))


def sections(user: User) -> tuple[list[Section], list[Section]]:
    """The specialist's own lists (favourites, then recently used flows not among them), and
    every flow by caller type, the most used first."""
    flows = flow_content.latest_all()
    favourites = favourite_keys(user)
    starred = set(favourites)
    by_key = {flow.key: flow for flow in flows}

    def rows(keys: list[str]) -> list[FlowRow]:
        return [FlowRow(by_key[key], key in starred) for key in keys if key in by_key]

    yours = [Section("favourites", "Favourites", rows(favourites)),
             Section("recent", "Recently used",
                     rows([key for key in recent_keys(user) if key not in starred])[:RECENT_FLOWS])]
    used = usage()
    groups = []
    for caller_type in CallerType:
        of_type = sorted((flow for flow in flows if flow.caller_type == caller_type),
                         key=lambda flow: (-used.get(flow.key, 0), flow.title))
        if of_type:
            groups.append(Section(caller_type.value, caller_type.label,
                                  rows([flow.key for flow in of_type])))
    return [section for section in yours if section.rows], groups


def panel_context(user: User, *, typed: str = "", matches: list[Match] | None = None,
                  searched: bool = False) -> dict[str, Any]:
    yours, groups = sections(user)
    return {
        "finder_yours": yours,
        "finder_groups": groups,
        "finder_typed": typed,
        "finder_matches": matches or [],
        "finder_searched": searched,
    }
