"""Admin: cases are read here, never written. Every write goes through services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .accounts import ThrottledAdminAuthenticationForm
from .models import AuditEntry, Case, CaseEvent

# The admin's sign-in page says why a locked account is refused (the backend refuses it anyway).
admin.site.login_form = ThrottledAdminAuthenticationForm


class ReadOnlyAdminMixin:
    """The one read-only admin, for every app: what changes only through a service (which writes
    its audit entry) is shown here, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A history shown under its subject: its ``fields``, every one read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return tuple(str(name) for name in self.fields or ())  # flat names: no grouped fields here


class CaseEventInline(ReadOnlyTabularInline):
    model = CaseEvent
    fields = ("seq", "created_at", "kind", "step_key", "answer", "user")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "flow_title", "opened_by", "opened_at", "status", "disposition")
    list_filter = ("status", "disposition", "flow_key", "caller_type")
    search_fields = ("subject",)  # the group and SL app numbers it names (subjects.py)
    date_hierarchy = "opened_at"
    list_select_related = ("opened_by",)
    inlines = [CaseEventInline]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("supportdesk.review_cases") or super().has_view_permission(
            request, obj
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only, like the trail itself: the model, its queryset and a trigger refuse edits."""

    list_display = ("created_at", "user", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_id")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    actions = None  # not even the bulk "delete selected"

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("supportdesk.review_cases") or super().has_view_permission(
            request, obj
        )
