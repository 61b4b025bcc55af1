"""`manage.py noyo_poll` run by hand: when the sandbox does not answer, it says where it looked
and how to start it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.noyo_sync.make import request_connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting_request(settings, specialist):
    settings.NOYO_BASE_URL = "http://127.0.0.1:9/noyo/sandbox"  # nothing listens
    settings.NOYO_BACKOFF_SECONDS = 0.01
    return request_connection(specialist, send=False)


def test_it_names_the_address_it_tried_and_suggests_make_run(waiting_request):
    with pytest.raises(CommandError) as failed:
        call_command("noyo_poll")

    message = str(failed.value)
    assert "Noyo unreachable" in message and "Statuses were kept" in message
    assert "Tried Noyo at http://127.0.0.1:9/noyo/sandbox." in message
    assert "`make run`" in message and "var/server.env" in message


def test_it_does_not_suggest_make_run_for_a_real_noyo(waiting_request, settings):
    settings.NOYO_BASE_URL = "http://user:secret@127.0.0.1:9/api"
    with pytest.raises(CommandError) as failed:
        call_command("noyo_poll")

    message = str(failed.value)
    assert "Tried Noyo at http://127.0.0.1:9/api." in message  # without the credentials
    assert "secret" not in message and "make run" not in message
