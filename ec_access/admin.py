"""Admin for employer groups, SL apps and business functions; EC requests are read-only here.

EC identifiers and business functions are read-only too: they reach an SL app only through the
grant service (ec_request_grant), which writes the request's event and the audit entry, and
reach a group only through the audited import. The model's other refusals come back as form
errors, never as a 500: the DB CheckConstraints are validated by ModelForm
(Model.validate_constraints).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from supportdesk.admin import ReadOnlyAdminMixin

from . import rules
from .importing import EC_ONLY_ON_EMPLOYER_APPS
from .models import (
    BusinessFunction,
    ECRequest,
    EmployerGroup,
    PortalUser,
    Product,
    SLApplication,
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
    readonly_fields = ("ec_number",)  # the BF report's, from the audited import
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
        fields = "__all__"  # noqa: DJ007 - the ModelAdmin picks the fields; this form adds clean()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # The EC and business functions are read-only here, so the form does not check their
        # constraint: an app that has them stays an employer app. Seed 000: Access Management
        # "will not add the EC identifier/business functions to a pseudo application".
        kind, sl_app = cleaned.get("kind"), self.instance
        if kind and not rules.ec_identifier_allowed(kind) and sl_app.pk and (
            sl_app.ec_identifier or sl_app.business_functions.exists()
        ):
            self.add_error("kind", EC_ONLY_ON_EMPLOYER_APPS)
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
    # Only the grant service adds these, with its audit entry.
    readonly_fields = ("ec_identifier", "ec_added_on", "business_functions")
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
