from __future__ import annotations

from django.apps import AppConfig


class AgentRsosConfig(AppConfig):
    name = "agent_rsos"
    verbose_name = "Agent RSOS"

    def ready(self) -> None:
        from . import plugins

        # Its links, audit actions, dashboard panel and demo data.
        plugins.register()
