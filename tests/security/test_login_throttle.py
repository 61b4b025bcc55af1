"""Signing in is throttled after repeated failures: by username, and separately by client
address; the refusal never tells whether a username exists."""

from __future__ import annotations

import logging
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils.html import escape

from supportdesk.accounts import LoginView, client_ip
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

URL = "/accounts/login/"
LOCKED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."
INVALID = ("Please enter a correct username and password. Note that both fields may be "
           "case-sensitive.")


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def errors(response) -> list[str]:
    return list(response.context["form"].non_field_errors()) if response.context else []


def test_it_uses_the_throttled_login_view_and_redis():
    assert resolve(URL).func.view_class is LoginView
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_WINDOW, settings.LOGIN_LOCKOUT) == (
        5, 15 * 60, 15 * 60)


def test_it_refuses_even_the_right_password_after_five_failures(client, specialist):
    for _ in range(5):
        response = sign_in(client, "specialist", "wrong")
        assert errors(response) == [INVALID]

    response = sign_in(client, "specialist", PASSWORD)

    assert response.status_code == 200 and not signed_in(response)
    assert errors(response) == [LOCKED]
    assert escape(LOCKED) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_allows_four_failures_then_the_right_password(client, specialist):
    for _ in range(4):
        sign_in(client, "specialist", "wrong")
    assert signed_in(sign_in(client, "specialist", PASSWORD))


def test_it_says_the_same_for_a_username_that_does_not_exist(specialist):
    known, unknown = Client(), Client()
    for _ in range(5):
        a = sign_in(known, "specialist", "wrong", ip="10.0.0.1")
        b = sign_in(unknown, "nobody-by-that-name", "wrong", ip="10.0.0.2")
        assert errors(a) == errors(b) == [INVALID]
    a = sign_in(known, "specialist", "wrong", ip="10.0.0.1")
    b = sign_in(unknown, "nobody-by-that-name", "wrong", ip="10.0.0.2")
    assert errors(a) == errors(b) == [LOCKED]
    assert a.status_code == b.status_code == 200


def test_it_counts_a_username_whatever_its_case_or_spaces(client, specialist):
    for name in ("specialist", "Specialist", " SPECIALIST ", "specialist", "sPecialist"):
        sign_in(client, name, "wrong")
    assert errors(sign_in(client, "specialist", PASSWORD)) == [LOCKED]


def test_it_locks_the_username_from_every_address(specialist):
    for n in range(5):
        sign_in(Client(), "specialist", "wrong", ip=f"10.0.1.{n}")
    assert errors(sign_in(Client(), "specialist", PASSWORD, ip="10.0.2.1")) == [LOCKED]


def test_it_throttles_one_address_guessing_many_usernames(client, specialist, supervisor):
    limit = settings.LOGIN_FAILURE_LIMIT_PER_IP
    for n in range(limit):
        sign_in(client, f"guess-{n}", "wrong", ip="10.9.9.9")

    assert errors(sign_in(client, "specialist", PASSWORD, ip="10.9.9.9")) == [LOCKED]
    assert signed_in(sign_in(Client(), "supervisor", PASSWORD, ip="10.9.9.10"))  # elsewhere: fine


def test_it_clears_the_count_after_a_good_password(specialist):
    for _ in range(4):
        sign_in(Client(), "specialist", "wrong")
    assert signed_in(sign_in(Client(), "specialist", PASSWORD))
    for _ in range(4):
        sign_in(Client(), "specialist", "wrong")
    assert signed_in(sign_in(Client(), "specialist", PASSWORD))  # 8 failures, never 5 in a row


def test_it_does_not_count_an_empty_password_as_a_success(client, specialist):
    for _ in range(4):
        sign_in(client, "specialist", "wrong")
    sign_in(client, "specialist", "")  # a field error, not a sign-in: must not clear the count
    sign_in(client, "specialist", "wrong")
    assert errors(sign_in(client, "specialist", PASSWORD)) == [LOCKED]


def test_it_lifts_the_lock_after_the_lockout(client, specialist, settings):
    settings.LOGIN_LOCKOUT = 1
    for _ in range(5):
        sign_in(client, "specialist", "wrong")
    assert errors(sign_in(client, "specialist", PASSWORD)) == [
        "Too many failed sign-in attempts. Wait 1 minute, then try again."]
    time.sleep(1.2)
    assert signed_in(sign_in(client, "specialist", PASSWORD))


def test_it_forgets_failures_older_than_the_window(client, specialist, settings):
    settings.LOGIN_FAILURE_WINDOW = 1
    for _ in range(4):
        sign_in(client, "specialist", "wrong")
    time.sleep(1.2)
    sign_in(client, "specialist", "wrong")
    assert signed_in(sign_in(client, "specialist", PASSWORD))


def test_it_keeps_usernames_and_addresses_out_of_the_cache_keys(client, specialist):
    for _ in range(5):
        sign_in(client, "specialist", "wrong", ip="10.7.7.7")
    keys = [key.decode() for key in cache._cache.get_client().keys("*")]
    assert keys and all("specialist" not in key and "10.7.7.7" not in key for key in keys)


def test_it_logs_a_lock_without_the_username(client, specialist, caplog):
    caplog.set_level(logging.WARNING, logger="supportdesk.throttle")
    for _ in range(5):
        sign_in(client, "specialist", "wrong")
    assert "locked" in caplog.text
    assert "specialist" not in caplog.text


def test_it_still_signs_people_in_when_redis_is_down(client, specialist, settings, caplog):
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    caplog.set_level(logging.ERROR, logger="supportdesk.throttle")

    assert errors(sign_in(client, "specialist", "wrong")) == [INVALID]
    assert signed_in(sign_in(client, "specialist", PASSWORD))
    assert "cache unreachable" in caplog.text


@pytest.mark.parametrize(("proxies", "forwarded", "remote", "expected"), [
    (0, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # no proxy: the header is anyone's to forge
    (1, "203.0.113.9", "10.0.0.1", "203.0.113.9"),
    (1, "198.51.100.1, 203.0.113.9", "10.0.0.1", "203.0.113.9"),  # the left part is forgeable
    (2, "198.51.100.1, 203.0.113.9", "10.0.0.1", "198.51.100.1"),
    (2, "203.0.113.9", "10.0.0.1", "10.0.0.1"),  # fewer hops than proxies: do not trust it
])
def test_it_reads_the_client_address_behind_trusted_proxies_only(settings, proxies, forwarded,
                                                                 remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(URL, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
