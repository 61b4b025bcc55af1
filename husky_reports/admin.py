"""The report catalog is data: admins correct its wording here. The rules that compute who is on
a report stay in rules/, tied to each row by its rule key."""

from __future__ import annotations

from django.contrib import admin

from .models import LookBackWindow, Report, ReportFamily


class LookBackWindowInline(admin.TabularInline):
    model = LookBackWindow
    fields = ("what", "window", "position")
    extra = 0


@admin.register(ReportFamily)
class ReportFamilyAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("name", "family", "rule_key", "exclusions", "icm_indicator", "coming_soon")
    list_filter = ("family", "coming_soon", "icm_indicator")
    search_fields = ("name", "population", "shows", "keywords")
    list_select_related = ("family",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [LookBackWindowInline]
    fieldsets = (
        (None, {"fields": ("family", "name", "slug", "rule_key", "position", "coming_soon")}),
        ("What the presentation says", {"fields": ("header", "population", "shows", "exclusions",
                                           "icm_indicator", "note", "keywords")}),
    )
