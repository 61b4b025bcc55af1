from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules


class SupportdeskConfig(AppConfig):
    name = "supportdesk"
    verbose_name = "SupportDesk cases"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the flow checks)
        from .roles import ensure_role_groups

        post_migrate.connect(ensure_role_groups, sender=self)

        # Each app declares its flows in flows.py and registers them on import.
        autodiscover_modules("flows")
