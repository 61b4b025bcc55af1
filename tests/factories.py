"""Small make_* helpers with defaults (djangoproject.com's checklists/tests/factory.py style)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from supportdesk import flow_content, services
from supportdesk.models import Case
from supportdesk.roles import Role

PASSWORD = "a-long-test-password"


def make_user(username: str, role: Role | None, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.group_name))
    return user


def make_case(user: Any, flow_key: str = "arsos-routing", answers: list[tuple[str, dict]] = (),
              **subject: str) -> Case:
    """Open a case and walk it with ``answers`` [(step key, POST data)], through the services."""
    case = services.case_open(flow=flow_content.latest(flow_key), user=user, subject=subject)
    for step_key, data in answers:
        result = services.case_answer(case=case, user=user, step_key=step_key, data=data)
        assert result.ok, result.form.errors if result.form else "refused"
        case = result.case
    return case
