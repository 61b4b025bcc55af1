"""The authentication backend: Django's ModelBackend with the role lookup in one query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class RoleBackend(ModelBackend):
    """Every view asks whether the user holds a role (a permission, see roles.py), so every
    request reads the user's permissions. ModelBackend reads them in two queries, the user's own
    and their groups'; this reads their union in one. Nothing is cached beyond the request (the
    user object), so a role taken away applies from the next click."""

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            columns = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                names = Permission.objects.values_list(*columns).order_by()
            else:
                names = self._get_user_permissions(user_obj).values_list(*columns).order_by().union(
                    self._get_group_permissions(user_obj).values_list(*columns).order_by()
                )
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in names}
        return user_obj._perm_cache
