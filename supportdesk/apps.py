from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class SupportdeskConfig(AppConfig):
    name = "supportdesk"
    verbose_name = "SupportDesk cases"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the flow checks)
        from .flow_content import ensure_first_versions
        from .percentile import register_sqlite_functions
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)
        post_migrate.connect(ensure_first_versions, sender=self)
        # SQLite (make run) lacks percentile_cont: the dashboard's figures need it on every connection.
        connection_created.connect(register_sqlite_functions)

        # Each app declares its flows in flows.py and registers them on import.
        autodiscover_modules("flows")
        register_core_navigation()
        register_core_home_panels()


def register_core_navigation() -> None:
    """The core's own links; the apps add theirs (with orders between) in their ready()."""
    from .navigation import NavEntry, register
    from .roles import Role

    specialist, supervisor = frozenset({Role.SPECIALIST}), frozenset({Role.SUPERVISOR})
    author = frozenset({Role.FLOW_AUTHOR})
    register(
        NavEntry("Flow content", "flow_content", author, order=60),
        NavEntry("Start a case", "home", specialist, order=10),
        NavEntry("My cases", "my_cases", specialist, order=20),
        NavEntry("Dashboard", "supervisor_dashboard", supervisor, order=40),
        NavEntry("Case history", "supervisor_cases", supervisor, order=50),
        NavEntry("Flow maps", "flow_list", specialist | supervisor, "look_up", order=70),
        NavEntry("Audit trail", "supervisor_audit", supervisor, "look_up", order=80),
        # The home page's "Supervision" card.
        NavEntry("Case history and transcripts", "supervisor_cases", supervisor, "supervision",
                 order=10),
        NavEntry("Flow maps", "flow_list", supervisor, "supervision", order=40),
        # Feedback from the floor: the authors' reports, the specialist's own.
        NavEntry("Feedback", "feedback_overview", frozenset({Role.FLOW_AUTHOR}), order=65),
        NavEntry("My reports", "feedback_mine", specialist, "look_up", order=75),
    )


def register_core_home_panels() -> None:
    """The core's own home-page panels: a specialist is told of new answers to their reports."""
    from .feedback import home_notice
    from .home_panels import HomePanel, register
    from .roles import Role

    register(HomePanel(home_notice, frozenset({Role.SPECIALIST}),
                       template="feedback/home_notice.html", slot="specialist"))
