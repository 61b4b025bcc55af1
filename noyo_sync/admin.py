"""Read-only admin: connections change only through the services (and Noyo), never by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import GroupConnection, GroupConnectionEvent, PollRun, SandboxFault


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GroupConnection)
class GroupConnectionAdmin(ReadOnlyAdmin):
    list_display = ("carrier_group_id", "group", "status", "status_changed_at", "requested_at")
    list_filter = ("status",)
    search_fields = ("carrier_group_id", "group__group_number", "noyo_id")


@admin.register(GroupConnectionEvent)
class GroupConnectionEventAdmin(ReadOnlyAdmin):
    list_display = ("connection", "kind", "previous_status", "status", "seen_at", "poll_run")
    list_filter = ("kind", "status")


@admin.register(PollRun)
class PollRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "trigger", "outcome", "started_at", "pages", "seen", "changed", "sent", "error")
    list_filter = ("outcome", "trigger")


@admin.register(SandboxFault)
class SandboxFaultAdmin(admin.ModelAdmin):
    list_display = ("kind", "remaining", "retry_after", "delay_seconds", "created_at")
