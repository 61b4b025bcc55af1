"""The three roles, each a Django group holding one permission that views ask for.

Views state the role they need with ``@role_required(...)``; the check itself is a plain
permission test, so a superuser passes and a role can later gain users without code.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase


class Role(enum.Enum):
    SPECIALIST = ("Web specialist", "supportdesk.work_cases")
    ACCESS_MANAGEMENT = ("Access management", "supportdesk.work_ec_queue")
    SUPERVISOR = ("Supervisor", "supportdesk.review_cases")

    def __init__(self, group_name: str, permission: str) -> None:
        self.group_name = group_name
        self.permission = permission

    @property
    def codename(self) -> str:
        return self.permission.split(".", 1)[1]


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return bool(user.is_authenticated and user.has_perm(role.permission))


View = Callable[..., HttpResponseBase]


class RoleRequired(PermissionDenied):
    """Refused for want of one of ``roles``: the 403 page names them."""

    def __init__(self, roles: tuple[Role, ...]) -> None:
        super().__init__("Needs the role " + " or ".join(role.group_name for role in roles))
        self.roles = roles


def role_required(*roles: Role) -> Callable[[View], View]:
    """Allow the view to users holding any of ``roles``; everyone else gets 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not any(user_has_role(request.user, role) for role in roles):
                raise RoleRequired(roles)
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles  # type: ignore[attr-defined]  # a function attribute, read by the URL tests
        return wrapped

    return decorator


def ensure_role_groups(**kwargs: Any) -> None:
    """Give every role its group and permission. Runs after each migrate (post_migrate), so the
    groups come back after a flush too, e.g. between transactional tests."""
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        permission = Permission.objects.filter(
            content_type__app_label="supportdesk", codename=role.codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
