"""Compressed responses (Lighthouse: "enable text compression"): pages gzipped as they go out,
static files compressed once, by collectstatic, and served by WhiteNoise (brotli or gzip).

BREACH (a secret in a compressed page guessed from the page's size): since Django 4.2
GZipMiddleware pads every compressed response with random bytes, and the CSRF token in each
page is masked afresh on every request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from whitenoise import storage

TEXT_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware for text only (HTML, htmx partials, CSV, JSON, SVG). It would
    compress a PDF or an XLSX (a zip) too, spending CPU for a few percent. Static files never
    reach it: WhiteNoise, above it, serves them from their compressed copies."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith(TEXT_TYPES):
            return response
        return super().process_response(request, response)


class CompressedStaticFilesStorage(storage.CompressedStaticFilesStorage):
    """WhiteNoise's storage (collectstatic writes a .gz and a .br copy of each text file) that
    compresses only the files whose copies are missing or older: `make run` collects on every
    start, and brotli spends seconds on the vendored Mermaid alone. (A file too small to gain
    from compression gets no copy, so it is tried again each time; that costs nothing.)"""

    def post_process(self, paths: dict[str, Any], dry_run: bool = False,
                     **options: Any) -> Iterator[tuple[str, str | None, Any]]:
        stale = {path: found for path, found in paths.items() if not self._copies_fresh(path)}
        yield from super().post_process(stale, dry_run=dry_run, **options)

    def _copies_fresh(self, path: str) -> bool:
        source = Path(self.path(path))
        try:
            modified = source.stat().st_mtime
            return all(source.with_name(source.name + suffix).stat().st_mtime >= modified
                       for suffix in (".gz", ".br"))
        except FileNotFoundError:
            return False
