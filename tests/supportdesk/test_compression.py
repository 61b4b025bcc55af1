"""Pages and static files go out compressed to browsers that accept it (Lighthouse: "enable text
compression"); static files are compressed once, by collectstatic, as `make run` runs it."""

from __future__ import annotations

import gzip
import os
import shutil

import brotli
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_gzips_pages(client, supervisor):
    client.force_login(supervisor)

    response = client.get(reverse("supervisor_cases"), HTTP_ACCEPT_ENCODING="gzip, br")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Case history" in gzip.decompress(response.content)


def test_it_leaves_compressed_downloads_as_they_are(client, supervisor):
    client.force_login(supervisor)
    url = reverse("supervisor_dashboard_export", args=["dispositions", "xlsx"])

    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")

    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and body.startswith(b"PK")  # a zip already
    assert "Content-Encoding" not in response


def test_it_leaves_pages_plain_for_clients_that_do_not_ask(client, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("supervisor_cases"))
    assert "Content-Encoding" not in response and b"Case history" in response.content


def test_it_serves_collected_css_brotli_or_gzip_encoded(settings, tmp_path):
    # The app's stylesheet alone: brotli takes seconds over the vendored Mermaid and the admin's.
    (tmp_path / "source" / "css").mkdir(parents=True)
    shutil.copy(settings.BASE_DIR / "static" / "css" / "app.css", tmp_path / "source" / "css")
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "css" / "app.css.br").is_file()
    client = Client()  # a fresh handler: WhiteNoise reads STATIC_ROOT when it starts

    plain = client.get("/static/css/app.css")
    as_br = client.get("/static/css/app.css", HTTP_ACCEPT_ENCODING="gzip, br")
    as_gzip = client.get("/static/css/app.css", HTTP_ACCEPT_ENCODING="gzip")

    css = b"".join(plain.streaming_content)
    assert "Content-Encoding" not in plain
    assert as_br["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(as_br.streaming_content)) == css
    assert as_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(as_gzip.streaming_content)) == css
    assert len(b"".join(as_br.streaming_content)) < len(css) / 3


def test_it_compresses_again_only_what_collectstatic_copied_anew(settings, tmp_path):
    (tmp_path / "source").mkdir()
    for name in ("a.css", "b.css"):
        (tmp_path / "source" / name).write_text("body { color: #123456; }\n" * 200)
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    copies = {path: path.stat().st_mtime_ns for path in (tmp_path / "static").glob("*.css.*")}
    assert len(copies) == 4  # a and b, each .gz and .br

    changed = tmp_path / "source" / "b.css"
    changed.write_text("main { margin: 0; }\n" * 200)
    later = changed.stat().st_mtime + 5  # collectstatic compares whole seconds
    os.utime(changed, (later, later))
    call_command("collectstatic", interactive=False, verbosity=0)

    rewritten = {path.name for path, mtime in copies.items() if path.stat().st_mtime_ns != mtime}
    assert rewritten == {"b.css.gz", "b.css.br"}
    assert brotli.decompress((tmp_path / "static" / "b.css.br").read_bytes()).startswith(b"main")
