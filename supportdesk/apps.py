from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SupportdeskConfig(AppConfig):
    name = "supportdesk"
    verbose_name = "SupportDesk cases"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the flow checks)

        # Each app declares its flows in flows.py and registers them on import.
        autodiscover_modules("flows")
