from __future__ import annotations

import os

from django.conf import settings

from supportdesk.celery import app


def test_it_configures_celery_from_the_environment():
    assert os.environ["CELERY_BROKER_URL"] == settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://")
    assert app.conf.timezone == settings.TIME_ZONE


def test_it_reaches_the_redis_broker():
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=3)
        assert connection.connected
