"""The demo users have example.com addresses, so SLA reminders are sent, not only logged."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_gives_every_demo_user_an_example_com_address_again_on_reload():
    call_command("load_demo", stdout=open("/dev/null", "w"))
    users = get_user_model().objects.exclude(email="")
    sam = get_user_model().objects.get(first_name="Sam", last_name="Rivera")
    assert sam.email == "sam.rivera@example.com"
    sam.email = ""
    sam.save()

    call_command("load_demo", stdout=open("/dev/null", "w"))

    sam.refresh_from_db()
    assert sam.email == "sam.rivera@example.com"
    assert users.count() == get_user_model().objects.exclude(email="").count()
    assert all(email.endswith("@example.com") for email in users.values_list("email", flat=True))
