"""The admin's sign-in goes through the same throttle as the app's: one count, one lock, for
every door (the throttle lives in the authentication backend)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_cache")]

ADMIN_LOGIN = "/admin/login/?next=/admin/"
APP_LOGIN = "/accounts/login/"
LOCKED = "Too many failed sign-in attempts. Wait 15 minutes, then try again."


@pytest.fixture
def staff(db):
    user = make_user("admin-user", None)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def admin_sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password,
                                     "next": "/admin/"}, REMOTE_ADDR=ip)


def app_sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(APP_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_it_signs_in_to_the_admin_with_the_right_password(client, staff):
    assert admin_signed_in(admin_sign_in(client, "admin-user", PASSWORD))


def test_it_locks_the_admin_after_five_wrong_passwords(client, staff):
    for _ in range(5):
        assert admin_sign_in(client, "admin-user", "wrong").status_code == 200

    response = admin_sign_in(client, "admin-user", PASSWORD)

    assert not admin_signed_in(response)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_counts_the_app_and_the_admin_together(staff):
    for _ in range(3):
        app_sign_in(Client(), "admin-user", "wrong")
    for _ in range(2):
        admin_sign_in(Client(), "admin-user", "wrong")
    assert not admin_signed_in(admin_sign_in(Client(), "admin-user", PASSWORD))
    response = app_sign_in(Client(), "admin-user", PASSWORD)
    assert response.status_code == 200 and LOCKED in response.content.decode()


def test_it_counts_admin_guesses_toward_the_address_limit(client, specialist):
    for n in range(settings.LOGIN_FAILURE_LIMIT_PER_IP):
        admin_sign_in(client, f"guess-{n}", "wrong", ip="10.9.9.9")
    response = app_sign_in(Client(), "specialist", PASSWORD, ip="10.9.9.9")
    assert response.status_code == 200 and LOCKED in response.content.decode()
    assert app_sign_in(Client(), "specialist", PASSWORD, ip="10.9.9.10").status_code == 302


def test_it_throttles_any_caller_of_authenticate(specialist):
    request = RequestFactory().post("/anywhere/", REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        assert authenticate(request, username="specialist", password="wrong") is None
    assert authenticate(request, username="specialist", password=PASSWORD) is None  # locked
    # No request (a script): the username's count still applies.
    assert authenticate(username="specialist", password=PASSWORD) is None
