"""What Noyo sync adds to the core's pages, registered from apps.py ``ready()``: its links, its
audit actions and objects and its demo data (the core knows no domain app)."""

from __future__ import annotations

from supportdesk import audit, navigation
from supportdesk.demo import DemoRun, register_loader
from supportdesk.navigation import NavEntry
from supportdesk.roles import Role


def load_demo(run: DemoRun) -> str:
    """Needs the EC demo groups, loaded before it (order 20)."""
    from .demo import load_noyo_sync_demo

    return load_noyo_sync_demo(run.today)


def register() -> None:
    specialist = frozenset({Role.SPECIALIST})
    navigation.register(
        NavEntry("Noyo group connections", "noyo_connections",
                 specialist | {Role.SUPERVISOR}, "look_up", order=50),
        NavEntry("Noyo member-change checker", "noyo_member_change_check", specialist,
                 "look_up", order=60),
    )
    audit.register_actions(
        areas={"noyo_connection": "Noyo connections", "noyo_poll": "Noyo polling"},
        actions={
            "noyo_connection.request": "Noyo connection requested",
            "noyo_connection.sent": "Noyo connection sent to Noyo",
            "noyo_connection.refused": "Noyo connection refused by Noyo",
            "noyo_connection.refresh": "Noyo connection checked with Noyo",
            "noyo_connection.retry": "Noyo connection retried",
            "noyo_connection.cancel": "Noyo connection cancelled before it was sent",
            "noyo_poll.changes": "Noyo poll recorded status changes",
        },
        object_pages={
            "noyo_sync.groupconnection": ("Noyo connection", "noyo_connection"),
            "noyo_sync.pollrun": ("Noyo poll", None),
        },
    )
    register_loader("noyo_sync", load_demo, order=40)
