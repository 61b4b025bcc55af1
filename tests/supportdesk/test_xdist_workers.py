"""Each pytest-xdist worker has the broker and the cache in Redis databases of its own
(tests/xdist_workers.py); the settings, the environment and the Celery app agree on them."""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache

from supportdesk.celery import app

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the run has no Redis")


def expected_databases(request) -> tuple[int, int] | None:
    workerinput = getattr(request.config, "workerinput", None)
    number = int(workerinput["workerid"][2:]) if workerinput else 0
    return (6 + 2 * number, 7 + 2 * number) if number else None


def test_the_settings_the_environment_and_celery_name_the_same_broker(request):
    assert settings.CELERY_BROKER_URL == os.environ["CELERY_BROKER_URL"] == app.conf.broker_url
    assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL == os.environ["REDIS_URL"]
    databases = expected_databases(request)
    if databases is not None:
        assert settings.CELERY_BROKER_URL.endswith(f"/{databases[0]}")
        assert settings.REDIS_URL.endswith(f"/{databases[1]}")
    assert settings.CELERY_BROKER_URL.rsplit("/", 1)[1] != settings.REDIS_URL.rsplit("/", 1)[1]


def test_the_cache_writes_to_the_workers_own_database():
    key = f"xdist-{uuid.uuid4().hex}"
    cache.set(key, "here", 30)
    try:
        own = redis.Redis.from_url(settings.REDIS_URL)
        assert any(own.scan_iter(match=f"*{key}"))
    finally:
        cache.delete(key)
