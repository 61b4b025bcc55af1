"""docker-compose.yml and the README name every variable production requires."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_it_sets_every_required_variable_in_the_compose_file():
    compose = (ROOT / "docker-compose.yml").read_text()
    keys = set(re.findall(r"^\s{4}([A-Z_]+):", compose, flags=re.MULTILINE))
    required = (*settings.REQUIRED_IN_PRODUCTION, *settings.NOYO_REQUIRED_IN_PRODUCTION)
    missing = [name for name in required if name not in keys]
    assert not missing, f"docker-compose.yml lacks {missing}"
    assert "W008" in compose  # why its SECURE_SSL_REDIRECT=false draws a deploy-check warning


def test_it_documents_every_required_variable_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("## Layout", 1)[0]
    required = (*settings.REQUIRED_IN_PRODUCTION, *settings.NOYO_REQUIRED_IN_PRODUCTION)
    missing = [name for name in required if f"`{name}`" not in table]
    assert not missing, f"README's configuration table lacks {missing}"
