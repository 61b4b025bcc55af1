"""The authentication backend: Django's ModelBackend, with a user's roles loaded with the user."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import connections, models, router
from django.db.models.expressions import RawSQL
from django.db.models.options import Options
from django.http import HttpRequest

from .throttle import LoginThrottle

GRANTED = "granted_permission_ids"  # the annotation get_user adds on PostgreSQL


def _through(model: type[models.Model], name: str) -> Options[Any]:
    """The metadata of the table behind the many-to-many field ``name`` of ``model``."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.ManyToManyField):
        raise TypeError(f"{model.__name__}.{name} is not a many-to-many field")
    through = field.remote_field.through
    if through is None:  # Django sets it when the models are loaded
        raise TypeError(f"{model.__name__}.{name} has no through model yet")
    return through._meta


def _column(meta: Options[Any], name: str) -> str:
    field = meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{meta.label}.{name} is not a concrete field")
    return field.column


@functools.cache
def _granted_sql(user_id: str) -> str:
    """The ids of a user's own permissions and of their groups' permissions (two index scans,
    no join to the permission and content-type tables: _permission_names names them), for the
    user whose id is the SQL expression ``user_id``. Names come from the models' metadata."""
    user_model = get_user_model()
    own = _through(user_model, "user_permissions")
    member = _through(user_model, "groups")
    granted = _through(Group, "permissions")
    return (
        f"SELECT {_column(own, 'permission')} FROM {own.db_table}"
        f" WHERE {_column(own, 'user')} = {user_id}"
        f" UNION SELECT g.{_column(granted, 'permission')} FROM {granted.db_table} g"
        f" JOIN {member.db_table} m ON m.{_column(member, 'group')}"
        f" = g.{_column(granted, 'group')}"
        f" WHERE m.{_column(member, 'user')} = {user_id}"
    )


_names: dict[int, str] = {}


def _permission_names(ids: set[int]) -> set[str]:
    """'app_label.codename' for each permission id. A permission's name does not change while
    the app runs (migrate makes permissions), so the names are read once per process, and again
    when an id is new to it (a permission added since)."""
    if not ids <= _names.keys():
        rows = Permission.objects.values_list("pk", "content_type__app_label", "codename")
        _names.update({pk: f"{app_label}.{codename}" for pk, app_label, codename in rows})
    return {_names[pk] for pk in ids if pk in _names}


class RoleBackend(ModelBackend):
    """Sign-in is throttled here (accounts.LoginThrottle), for every door.

    Every view asks whether the user holds a role (a permission, see roles.py), so every
    request needs the user's permissions. ModelBackend reads them in two more queries, joining
    four tables each; on PostgreSQL this reads their ids in the query that loads the user
    (an ARRAY subquery), elsewhere in one light query. Nothing is kept between requests: a role
    taken away applies from the next click. Worth it on bench/wizard.py (2 CPUs shared with
    other test runs; 13 runs with it, 12 with plain ModelBackend, interleaved): median 63.0
    req/s against 46.8 (+35 %), wizard/bare 0.46 against 0.385 (+19 %), an htmx step two
    statements fewer (9 against 11 then)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        """Every sign-in, whatever its form, counts here: the app's page, the admin's page and
        any other caller of authenticate(). A locked username or address is refused even with
        the right password (PermissionDenied stops Django trying other backends)."""
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        throttle = LoginThrottle(request, str(name or ""))
        if throttle.is_locked():
            raise PermissionDenied("sign-in locked after repeated failures")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            throttle.failed()
        else:
            throttle.succeeded()
        return user

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        users = user_model._default_manager.all()
        if connections[router.db_for_read(user_model)].vendor == "postgresql":
            outer_id = f'"{user_model._meta.db_table}"."{user_model._meta.pk.column}"'
            users = users.annotate(**{GRANTED: RawSQL(f"ARRAY({_granted_sql(outer_id)})", ())})
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                ids = set(Permission.objects.values_list("pk", flat=True))
            elif getattr(user_obj, GRANTED, None) is not None:
                ids = set(getattr(user_obj, GRANTED))
            else:
                with connections[router.db_for_read(Permission)].cursor() as cursor:
                    cursor.execute(_granted_sql("%s"), [user_obj.pk, user_obj.pk])
                    ids = {pk for (pk,) in cursor.fetchall()}
            user_obj._perm_cache = _permission_names(ids)
        return user_obj._perm_cache
