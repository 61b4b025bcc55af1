from __future__ import annotations

from django.apps import AppConfig


class NoyoSyncConfig(AppConfig):
    name = "noyo_sync"
    verbose_name = "Noyo sync"

    def ready(self) -> None:
        from . import plugins

        # Its links, audit actions and demo data.
        plugins.register()
