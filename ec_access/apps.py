from __future__ import annotations

from django.apps import AppConfig


class EcAccessConfig(AppConfig):
    name = "ec_access"
    verbose_name = "EC access"

    def ready(self) -> None:
        from supportdesk.context import register_subject_facts

        from . import plugins
        from .context import group_facts

        # A case about a group shows what the EC records hold on it (the call context panel).
        register_subject_facts(group_facts)
        # Its links, audit actions, dashboard panel and demo data.
        plugins.register()
