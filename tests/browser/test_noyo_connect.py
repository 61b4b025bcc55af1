"""A specialist connects a group to Noyo and sees its status change without reloading."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from noyo_sync.models import GroupConnection
from noyo_sync.services import poll_group_connections
from tests.noyo_sync.make import age_sandbox, make_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_connects_a_group_and_watches_the_status_change(live_server, browser, sign_in, specialist,
                                                           settings):
    settings.NOYO_BASE_URL = f"{live_server.url}/noyo/sandbox"
    settings.NOYO_SANDBOX_ENABLED = True
    make_group("824751")
    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}/noyo/connections/")
    page.get_by_role("link", name="Request a connection").click()

    page.get_by_label("Group number", exact=True).fill("824751")
    page.get_by_label("Humana carrier group ID").fill("98910")
    page.get_by_label("People in the group").fill("40")
    page.get_by_role("button", name="Request the connection").click()
    expect(page.locator(".has-error")).to_contain_text("the format expected is a 6-digit string")

    page.get_by_label("Humana carrier group ID").fill("989101")
    page.get_by_role("button", name="Request the connection").click()
    expect(page.locator(".form-errors")).to_contain_text("census file")  # refused, nothing sent
    assert not GroupConnection.objects.exists()

    page.get_by_label("The initial enrollment has been provided to Humana via census file").check()
    page.get_by_label("The group number has been issued by Humana's underwriting team in the welcome letter").check()
    page.get_by_role("button", name="Request the connection").click()

    expect(page.get_by_text("Noyo took the connection request for carrier group ID 989101.")).to_be_visible()
    status = page.locator("#connection-status h2 [data-status]")
    expect(status).to_have_text("Created")
    assert GroupConnection.objects.get().status == "created"

    age_sandbox(10)  # Noyo moves it: 989*** ends in noyo_review within 10 seconds
    assert poll_group_connections(sleep=lambda seconds: None).changed == 1  # what beat runs

    expect(status).to_have_text("Noyo review", timeout=12_000)  # htmx refreshes it in place
    expect(page.locator("#connection-status")).to_contain_text("no action is needed from you")
    expect(page.locator("#connection-status table")).to_contain_text("Poll #")


def test_the_status_arrives_through_noyos_webhook_with_polling_off(live_server, browser, sign_in,
                                                                    specialist, settings):
    """No poll runs: the sandbox sends its signed webhooks, the receiver stores them, a real
    Celery worker applies them, and htmx shows the change in place."""
    from celery.contrib.testing.worker import start_worker

    from noyo_sync.sandbox.webhooks import sandbox_send_webhooks
    from supportdesk.celery import app as celery_app
    from tests.noyo_sync.make import request_connection

    settings.NOYO_BASE_URL = f"{live_server.url}/noyo/sandbox"
    settings.NOYO_SANDBOX_ENABLED = True
    settings.NOYO_SANDBOX_WEBHOOK_URL = f"{live_server.url}/noyo/webhooks/"
    connection = request_connection(specialist, "767101", send=False)
    from noyo_sync.services import group_connection_send

    group_connection_send(connection_id=connection.pk)
    page = sign_in(browser.new_page(), specialist)
    page.goto(f"{live_server.url}/noyo/connections/{connection.pk}/")
    status = page.locator("#connection-status h2 [data-status]")
    expect(status).to_have_text("Created")

    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        age_sandbox(10)  # 767*** settles on waiting_on_carrier
        assert sandbox_send_webhooks() == 3  # created, processing, waiting_on_carrier
        expect(status).to_have_text("Waiting on carrier", timeout=15_000)
    expect(page.locator("#connection-status")).to_contain_text("arrived by Noyo's webhook")
    assert not connection.events.exclude(poll_run=None).exists()  # no poll saw it
