"""The authentication backend: Django's ModelBackend with the role lookup in one cheap query."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router


@functools.cache
def _permissions_sql() -> str:
    """A user's own permissions and their groups', as (app_label, codename) rows. Written out
    rather than built by the ORM: the ORM's union of two joined querysets costs more to compile
    than the query costs to run, on every request. Names come from the models' metadata."""
    user_model = get_user_model()
    own = user_model._meta.get_field("user_permissions").remote_field.through._meta
    member = user_model._meta.get_field("groups").remote_field.through._meta
    granted = Group._meta.get_field("permissions").remote_field.through._meta
    permission, content_type = Permission._meta, ContentType._meta
    return (
        f"SELECT ct.app_label, p.codename FROM {permission.db_table} p"
        f" JOIN {content_type.db_table} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN ("
        f"SELECT {own.get_field('permission').column} FROM {own.db_table}"
        f" WHERE {own.get_field('user').column} = %s"
        f" UNION SELECT g.{granted.get_field('permission').column} FROM {granted.db_table} g"
        f" JOIN {member.db_table} m ON m.{member.get_field('group').column}"
        f" = g.{granted.get_field('group').column}"
        f" WHERE m.{member.get_field('user').column} = %s)"
    )


class RoleBackend(ModelBackend):
    """Every view asks whether the user holds a role (a permission, see roles.py), so every
    request reads the user's permissions. ModelBackend reads them in two queries, the user's own
    and their groups'; this reads both in one. Nothing is cached beyond the request (the user
    object), so a role taken away applies from the next click."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list("content_type__app_label", "codename")
            else:
                with connections[router.db_for_read(Permission)].cursor() as cursor:
                    cursor.execute(_permissions_sql(), [user_obj.pk, user_obj.pk])
                    rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in rows}
        return user_obj._perm_cache
