"""Admin for employer groups, SL apps and business functions; EC requests are read-only here.

The model's refusals come back as form errors, never as a 500: the DB CheckConstraints are
validated by ModelForm (Model.validate_constraints), and SLApplication.clean() refuses a
second EC ("Only ONE EC per SL application") before save() would.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from supportdesk.admin import ReadOnlyAdminMixin

from .importing import EC_ONLY_ON_EMPLOYER_APPS
from .models import (
    BusinessFunction,
    ECRequest,
    EmployerGroup,
    PortalUser,
    Product,
    SLApplication,
    SLAppKind,
)


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
        # ModelForm's own validation runs SLApplication.clean(), which refuses a second EC on
        # the ec_identifier field ("Only ONE EC per SL application").
        cleaned = super().clean()
        # The DB refuses the EC on agent and pseudo apps; business functions are a M2M, which no
        # CHECK can cover. Seed 000: Access Management "will not add the EC identifier/business
        # functions to a pseudo application".
        kind = cleaned.get("kind")
        if kind and kind != SLAppKind.EMPLOYER and cleaned.get("business_functions"):
            self.add_error("business_functions", EC_ONLY_ON_EMPLOYER_APPS)
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
