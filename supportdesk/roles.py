"""The roles, each a Django group holding one permission that views ask for.

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
    # The EC request queue's permission is declared by the queue's model (ec_access.ECRequest).
    ACCESS_MANAGEMENT = ("Access management", "ec_access.work_ec_queue")
    SUPERVISOR = ("Supervisor", "supportdesk.review_cases")
    # Content owners: edit, preview and publish the words of the flows (flow_content.py).
    FLOW_AUTHOR = ("Flow author", "supportdesk.author_flows")

    def __init__(self, group_name: str, permission: str) -> None:
        self.group_name = group_name
        self.permission = permission

    @property
    def app_label(self) -> str:
        return self.permission.split(".", 1)[0]

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
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.group_name)
        found = Permission.objects.filter(content_type__app_label=role.app_label,
                                          codename=role.codename)
        if not found.exists():
            # The permission's app (ec_access for the queue) may come after this one in
            # post_migrate's order: create its permissions now rather than leave the group
            # without one after a flush.
            create_permissions(apps.get_app_config(role.app_label), verbosity=0)
        if (permission := found.first()) is not None:
            group.permissions.add(permission)
