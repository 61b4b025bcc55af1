from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinderConfig(AppConfig):
    """The flow finder on the home page: search over every registered flow's words, favourite
    and recent flows. It reads only the flow registry, so it knows no domain app."""

    name = "finder"
    verbose_name = "Flow finder"

    def ready(self) -> None:
        from supportdesk.home_panels import HomePanel, register
        from supportdesk.roles import Role

        from .index import rebuild_after_migrate
        from .panel import panel_context

        post_migrate.connect(rebuild_after_migrate, sender=self)
        # The home page's "Start a case" panel, for specialists.
        register(HomePanel(panel_context, frozenset({Role.SPECIALIST}), template="finder/panel.html",
                           slot="specialist", head="finder/head.html"))
