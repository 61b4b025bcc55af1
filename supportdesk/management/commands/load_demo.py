"""Demo users, one per role, then the demo data the apps register (supportdesk/demo.py): a few
finished cases, EC records and requests, escalations, Noyo connections, so every page has
something to show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from supportdesk import clock
from supportdesk.demo import DemoRun, loaders
from supportdesk.roles import Role

DEMO_USERS = (
    # username, password, first name, last name, role
    ("specialist", "specialist-demo", "Sam", "Rivera", Role.SPECIALIST),
    ("access", "access-demo", "Alex", "Morgan", Role.ACCESS_MANAGEMENT),
    ("supervisor", "supervisor-demo", "Pat", "Okafor", Role.SUPERVISOR),
    ("author", "author-demo", "Jo", "Lindqvist", Role.FLOW_AUTHOR),
)


class Command(BaseCommand):
    help = "Create the demo users (one per role) and a few demo cases. Refused in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo users have known passwords: refused in production.")
        with transaction.atomic():
            users = {role: self._user(name, pw, first, last, role)
                     for name, pw, first, last, role in DEMO_USERS}
            run = DemoRun(today=clock.today(), users=users)
            summaries = [loader(run) for loader in loaders()]
        for summary in summaries:
            if summary is not None:
                self.stdout.write(summary)
        self.stdout.write("Demo logins (username / password):")
        for username, password, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {role.group_name:<18} {username} / {password}")

    def _user(self, username: str, password: str, first: str, last: str, role: Role) -> User:
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        # An address, so SLA reminders and other e-mail reach the demo users instead of only
        # being logged; set again on every load (example.com never receives mail).
        user.email = f"{first}.{last}@example.com".lower().replace(" ", "")
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role.group_name)])
        return user
