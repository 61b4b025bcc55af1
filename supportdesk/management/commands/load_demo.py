"""Demo users, one per role, and a few finished cases so every page has something to show."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agent_rsos.demo import load_agent_rsos_demo
from ec_access.demo import load_ec_demo
from ec_access.models import ECRequest, EmployerGroup, SLApplication
from ec_access.queries import employer_sl_app
from ec_access.services import ec_request_create
from noyo_sync.demo import load_noyo_sync_demo
from supportdesk import clock, services
from supportdesk.engine import registry
from supportdesk.models import Case
from supportdesk.roles import Role

DEMO_USERS = (
    # username, password, first name, last name, role
    ("specialist", "specialist-demo", "Sam", "Rivera", Role.SPECIALIST),
    ("access", "access-demo", "Alex", "Morgan", Role.ACCESS_MANAGEMENT),
    ("supervisor", "supervisor-demo", "Pat", "Okafor", Role.SUPERVISOR),
)

# Each demo case is a real walk through the engine: (flow key, [(step key, POST data), ...]).
DEMO_CASES = (
    ("arsos-routing", [("sale_stage", {"choice": "pre_sale"})]),
    (
        "arsos-routing",
        [
            ("sale_stage", {"choice": "post_sale"}),
            ("topic", {"choice": "billing"}),
            ("si_member", {"choice": "existing"}),
            ("si_my_humana_business", {}),
            ("si_result", {"choice": "submitted"}),
        ],
    ),
    ("arsos-routing", [("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "claims"})]),
)


# Groups whose request waits in the queue: the stand-alone Go365 group (expedited) and the
# group whose SL app lacks 8581. The seed's sample 824751 stays free for the request flow.
DEMO_EC_REQUESTS = (("390114", True), ("641207", False))


class Command(BaseCommand):
    help = "Create the demo users (one per role) and a few demo cases. Refused in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo users have known passwords: refused in production.")
        with transaction.atomic():
            users = {role: self._user(name, pw, first, last, role)
                     for name, pw, first, last, role in DEMO_USERS}
            if not Case.objects.exists():
                self._cases(users[Role.SPECIALIST])
            load_ec_demo(clock.today())
            if not ECRequest.objects.exists():
                self._ec_requests(users[Role.SPECIALIST])
            summaries = [
                load_agent_rsos_demo(clock.today()),
                load_noyo_sync_demo(clock.today()),
            ]
        self.stdout.write(
            f"EC demo: {EmployerGroup.objects.count()} groups, "
            f"{SLApplication.objects.count()} SL apps"
        )
        for summary in summaries:
            self.stdout.write(summary)
        self.stdout.write("Demo logins (username / password):")
        for username, password, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {role.group_name:<18} {username} / {password}")

    def _user(self, username: str, password: str, first: str, last: str, role: Role) -> Any:
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

    def _ec_requests(self, specialist: Any) -> None:
        """Two requests waiting in Access Management's queue, one of them expedited."""
        today = clock.today()
        for group_number, expedited in DEMO_EC_REQUESTS:
            group = EmployerGroup.objects.get(group_number=group_number)
            sl_app = employer_sl_app(group)
            ec_request_create(group=group, sl_app=sl_app, expedited=expedited, user=specialist,
                              today=today)

    def _cases(self, specialist: Any) -> None:
        for flow_key, answers in DEMO_CASES:
            flow = registry.get(flow_key)
            if flow is None:
                raise CommandError(f"Demo data needs the flow {flow_key!r}.")
            case = services.case_open(flow=flow, user=specialist)
            for step_key, data in answers:
                result = services.case_answer(
                    case=case, user=specialist, step_key=step_key, data=data
                )
                if not result.ok:
                    raise CommandError(f"Demo answer for {step_key!r} did not validate.")
                case = result.case
