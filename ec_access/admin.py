"""Admin for employer groups, SL apps and business functions; EC requests are read-only here.

The model's refusals come back as form errors, never as a 500: the DB CheckConstraints are
validated by ModelForm (Model.validate_constraints), and SLApplicationAdminForm runs the
"Only ONE EC per SL application" check that SLApplication.save() would raise.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from supportdesk.admin import ReadOnlyAdminMixin

from . import rules
from .models import BusinessFunction, ECRequest, EmployerGroup, PortalUser, Product, SLApplication


class ProductInline(admin.TabularInline):
    model = Product
    fields = ("product_type", "includes_go365", "active_from", "active_to")
    extra = 0


@admin.register(EmployerGroup)
class EmployerGroupAdmin(admin.ModelAdmin):
    list_display = (
        "group_number", "name", "platform", "ec_number", "employees_enrolled",
        "portal_registered_on", "is_reregistration", "mtv_shell",
    )
    list_filter = ("platform", "is_reregistration")
    search_fields = ("group_number", "name")
    list_select_related = ("mtv_shell",)
    autocomplete_fields = ("mtv_shell",)
    inlines = [ProductInline]


@admin.register(BusinessFunction)
class BusinessFunctionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class PortalUserInline(admin.TabularInline):
    model = PortalUser
    fields = ("username", "aka_name", "access_role", "agent_role", "delegated_functions")
    extra = 0


class SLApplicationAdminForm(forms.ModelForm):
    class Meta:
        model = SLApplication
        fields = "__all__"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        ec_identifier = cleaned.get("ec_identifier")
        if self.instance.pk and ec_identifier:
            # The same check as SLApplication.save(), made before it so the admin shows the
            # refusal on the field instead of failing on save. Removing the EC stays allowed.
            stored = (
                SLApplication.objects.filter(pk=self.instance.pk)
                .values_list("ec_identifier", flat=True)
                .first()
            )
            if stored and rules.second_ec_refused(stored, ec_identifier):
                sl_app_number = cleaned.get("sl_app_number") or self.instance.sl_app_number
                self.add_error(
                    "ec_identifier",
                    f"SL app {sl_app_number} already has EC {stored}. Only ONE EC per SL "
                    "application: remove it before adding another.",
                )
        return cleaned


@admin.register(SLApplication)
class SLApplicationAdmin(admin.ModelAdmin):
    form = SLApplicationAdminForm
    list_display = ("sl_app_number", "kind", "group", "ec_identifier", "ec_added_on",
                    "business_function_codes")
    list_filter = ("kind",)
    search_fields = ("sl_app_number", "ec_identifier", "group__group_number")
    list_select_related = ("group",)
    autocomplete_fields = ("group", "other_groups")
    filter_horizontal = ("business_functions",)
    inlines = [PortalUserInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SLApplication]:
        return super().get_queryset(request).prefetch_related("business_functions")

    @admin.display(description="business functions")
    def business_function_codes(self, sl_app: SLApplication) -> str:
        return ", ".join(bf.code for bf in sl_app.business_functions.all())


@admin.register(ECRequest)
class ECRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Requests change state only through the EC queue's services, never here."""

    list_display = ("pk", "group", "sl_app", "ec_identifier", "business_functions", "state",
                    "source", "expedited", "created_at")
    list_filter = ("state", "source", "expedited")
    search_fields = ("group__group_number", "sl_app__sl_app_number", "ec_identifier")
    list_select_related = ("group", "sl_app")
    date_hierarchy = "created_at"
