"""Admin: escalations are read here, never written (services.py is the only write path).

The member's name, ID and the summary are left out on purpose: the admin is not the owner's or
a supervisor's page, and its search and filters would put values in URLs.
"""

from __future__ import annotations

from django.contrib import admin

from supportdesk.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline

from .models import Escalation, EscalationEvent, SlaReminder

ESCALATION_FIELDS = (
    "case", "owner", "line_of_business", "status", "topic", "created_at", "sent_at",
    "acknowledged_at", "responded_at", "last_update_at", "closed_at", "escalated_to",
    "response_due_at", "follow_up_due_at", "next_due_kind", "next_due_at", "follow_ups_missed",
)


class EscalationEventInline(ReadOnlyTabularInline):
    model = EscalationEvent
    fields = ("occurred_at", "recorded_at", "kind", "user", "note")


class SlaReminderInline(ReadOnlyTabularInline):
    model = SlaReminder
    fields = ("due_point", "due_at", "recipient", "sent_at")


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "owner", "case", "status", "sent_at", "next_due_at",
                    "follow_ups_missed")
    list_filter = ("status", "line_of_business", "next_due_kind")
    list_select_related = ("owner", "case")
    date_hierarchy = "sent_at"
    fields = ESCALATION_FIELDS
    readonly_fields = ESCALATION_FIELDS
    inlines = [EscalationEventInline, SlaReminderInline]
