"""pytest-xdist workers share one PostgreSQL server and one Redis server (scripts/testenv.py).

PostgreSQL needs nothing from us: pytest-django gives each worker its own test database
(``test_postgres_gw0``, ``test_postgres_gw1``...). Redis does: the broker's queue and the cache (the
login-throttle counters, which tests clear) would be shared, and one worker's tests would read, run
or clear another's. So each worker but the first moves both to Redis databases of its own, in the
settings and in the environment (Celery reads CELERY_BROKER_URL from the environment first, and the
workers, gunicorns and beats that tests start inherit it).

Databases used: gw0 (and a run without xdist) the ones testenv gives (0 broker, 1 cache);
tests/faults/test_real_workers.py 5; tests/production 6 and 7; gwN (N >= 1) 6 + 2N and 7 + 2N, so
gw1 8 and 9 up to gw4 14 and 15, Redis's last. `make test` runs `-n 2 --dist loadfile`: a file's
tests stay on one worker, so a module's fixtures (the production stack) are built once.
"""

from __future__ import annotations

import os
import re

import pytest
from django.conf import settings

REDIS_DATABASES = 16
WORKER = re.compile(r"gw(\d+)")


def worker_number(config: pytest.Config) -> int | None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is None:
        return None
    return int(WORKER.fullmatch(workerinput["workerid"]).group(1))


def _with_database(url: str, database: int) -> str:
    base, sep, last = url.rpartition("/")
    if not (sep and last.isdigit() and base.count("/") >= 2):
        raise pytest.UsageError(f"expected a Redis URL ending in /<database>: {url}")
    return f"{base}/{database}"


def isolate_redis(config: pytest.Config) -> None:
    number = worker_number(config)
    if not number:  # no xdist, or its first worker
        return
    broker_db, cache_db = 6 + 2 * number, 7 + 2 * number
    if cache_db >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"At most {(REDIS_DATABASES - 8) // 2 + 1} xdist workers: each needs two of Redis's "
            f"{REDIS_DATABASES} databases (tests/xdist_workers.py)."
        )
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith("redis://"):
        os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = _with_database(broker, broker_db)
        from supportdesk.celery import app

        app.conf.broker_url = settings.CELERY_BROKER_URL
    cache = os.environ.get("REDIS_URL", "")
    if cache:
        os.environ["REDIS_URL"] = settings.REDIS_URL = _with_database(cache, cache_db)
        settings.CACHES["default"]["LOCATION"] = settings.REDIS_URL
