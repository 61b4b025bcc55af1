from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def ensure_catalog(**kwargs: Any) -> None:
    """Load the seed's report catalog when the tables are empty: after the first migrate, and
    after a flush (which empties data migrations' rows). Never overwrites admin edits."""
    if apps.get_model("husky_reports", "Report").objects.exists():
        return
    import_module("husky_reports.migrations.0002_seed_catalog").add(apps, None)
    import_module("husky_reports.migrations.0004_catalog_notes_in_plain_words").rewrite(apps, None)


class HuskyReportsConfig(AppConfig):
    name = "husky_reports"
    verbose_name = "HUSKY reports"

    def ready(self) -> None:
        post_migrate.connect(ensure_catalog, sender=self)
        from . import plugins

        plugins.register()  # its links in the "Look up" menu
