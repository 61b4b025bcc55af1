"""Read-only admin: connections change only through the services (and Noyo), never by hand."""

from __future__ import annotations

from django.contrib import admin

from supportdesk.admin import ReadOnlyAdminMixin

from .models import GroupConnection, GroupConnectionEvent, PollRun, SandboxFault


@admin.register(GroupConnection)
class GroupConnectionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("carrier_group_id", "group", "status", "status_changed_at", "requested_at")
    list_filter = ("status",)
    search_fields = ("carrier_group_id", "group__group_number", "noyo_id")


@admin.register(GroupConnectionEvent)
class GroupConnectionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("connection", "kind", "previous_status", "status", "seen_at", "poll_run")
    list_filter = ("kind", "status")


@admin.register(PollRun)
class PollRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "trigger", "outcome", "started_at", "pages", "seen", "changed", "sent", "error")
    list_filter = ("outcome", "trigger")


@admin.register(SandboxFault)
class SandboxFaultAdmin(admin.ModelAdmin):
    list_display = ("kind", "remaining", "retry_after", "delay_seconds", "created_at")
