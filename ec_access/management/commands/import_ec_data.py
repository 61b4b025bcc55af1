"""manage.py import_ec_data PATH [--dry-run]: groups, products, SL apps or users from CSV/XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ec_access.importing import HEADERS, ImportRefused, ec_data_import


class Command(BaseCommand):
    help = (
        "Import one .csv or .xlsx file of EC data; its header row says which kind ("
        + ", ".join(HEADERS)
        + "). Rows are upserted by their natural key. Any bad row refuses the whole file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Check every row and print what would change, then write nothing.",
        )

    def handle(self, *args: Any, path: Path, dry_run: bool, **options: Any) -> None:
        try:
            summary = ec_data_import(path=path, dry_run=dry_run)
        except ImportRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(str(summary))
