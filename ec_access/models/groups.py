"""Employer groups, their products, SL applications and EC identifiers (seed 000).

The seed's hard rules are refused here, not only in forms: "Do NOT add EC Identifiers to Agent
SL applications or pseudo apps, ONLY employers. Only ONE EC per SL application."
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from .. import rules
from ..validators import validate_group_number, validate_sl_app_number

validate_ec_identifier = RegexValidator(
    r"\A[0-9]{5,10}\Z", "An EC identifier is 5 to 10 digits, for example 1177334."
)


class Platform(models.TextChoices):
    MTV = "MTV", "MTV"
    CAS = "CAS", "CAS"


class EmployerGroup(models.Model):
    group_number = models.CharField(
        max_length=8, unique=True, validators=[validate_group_number],
        help_text="The Enterprise Number (Group Number), for example 824751.",
    )
    name = models.CharField(max_length=200)
    platform = models.CharField(max_length=3, choices=Platform)
    ec_number = models.CharField(
        "EC#", max_length=10, blank=True, validators=[validate_ec_identifier],
        help_text="The group's EC identifier as Customer Reporting's BF report prints it.",
    )
    report_platform_code = models.CharField(
        "platform code on the BF report", max_length=4, default="EM",
        help_text="What Customer Reporting prints in the report's Platform column (EM on the EC reporting document's sample report).",
    )
    fin_bus_segment_cd = models.CharField(
        "FIN BUS SEGMENT CD", max_length=4, help_text="Financial business segment code, e.g. T."
    )
    employees_enrolled = models.PositiveIntegerField(default=0)
    portal_registered_on = models.DateField(
        null=True, blank=True, help_text="When the group registered on the Employer Portal."
    )
    is_reregistration = models.BooleanField(
        default=False,
        help_text="A revoke and re-register: not included on the weekly new-group process.",
    )
    mtv_shell = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="cas_groups",
        help_text="For a CAS group: the MTV shell group that houses the group level benefits.",
    )

    class Meta:
        ordering = ["group_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(mtv_shell__isnull=True) | models.Q(platform=Platform.CAS),
                name="ec_group_only_cas_has_mtv_shell",
                violation_error_message="Only a CAS group has an MTV shell.",
            ),
            models.CheckConstraint(
                condition=~models.Q(mtv_shell=models.F("pk")),
                name="ec_group_not_its_own_shell",
                violation_error_message="A group cannot be its own MTV shell.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_number} {self.name}"

    def clean(self) -> None:
        if self.mtv_shell is not None and self.mtv_shell.platform != Platform.MTV:
            raise ValidationError({"mtv_shell": "The shell group must be an MTV group."})


class ProductType(models.TextChoices):
    MEDICAL = "medical", "Medical"
    GO365 = "go365", "Stand-alone Go365 (NIM)"
    DENTAL = "dental", "Dental"
    VISION = "vision", "Vision"
    LIFE = "life", "Life"
    OTHER = "other", "Other"


class Product(models.Model):
    group = models.ForeignKey(EmployerGroup, on_delete=models.CASCADE, related_name="products")
    product_type = models.CharField(max_length=12, choices=ProductType)
    includes_go365 = models.BooleanField(
        "includes Go365", default=True,
        help_text="For medical: the plan carries Go365 (gives the Go365 report functions).",
    )
    active_from = models.DateField()
    active_to = models.DateField(null=True, blank=True, help_text="Empty while active.")

    class Meta:
        ordering = ["group", "product_type", "active_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True)
                | models.Q(active_to__gte=models.F("active_from")),
                name="ec_product_dates_in_order",
                violation_error_message="A product cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group.group_number} {self.get_product_type_display()}"


class BusinessFunction(models.Model):
    """7125, 7126, 6869, 8581: the functions Access Management adds with the EC identifier."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class SLAppKind(models.TextChoices):
    EMPLOYER = "employer", "Employer"
    AGENCY = "agency", "Agency (agent)"
    PSEUDO = "pseudo", "Pseudo"


class SLApplication(models.Model):
    sl_app_number = models.CharField(
        "SL app #", max_length=12, unique=True, validators=[validate_sl_app_number]
    )
    kind = models.CharField(max_length=10, choices=SLAppKind)
    group = models.ForeignKey(
        EmployerGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="sl_apps",
        help_text="The employer group (its primary group number) for an employer SL app.",
    )
    other_groups = models.ManyToManyField(
        EmployerGroup, blank=True, related_name="secondary_sl_apps",
        help_text="More group numbers registered on this same SL app.",
    )
    agent_san = models.CharField("agent SAN", max_length=12, blank=True)
    ec_identifier = models.CharField(
        "EC identifier", max_length=10, blank=True, validators=[validate_ec_identifier],
        help_text="Only ONE EC per SL application, and only on employer SL apps.",
    )
    ec_added_on = models.DateField(null=True, blank=True)
    business_functions = models.ManyToManyField(BusinessFunction, blank=True)

    class Meta:
        ordering = ["sl_app_number"]
        verbose_name = "SL application"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ec_identifier="") | models.Q(kind=SLAppKind.EMPLOYER),
                name="ec_identifier_only_on_employer_sl_app",
                violation_error_message="Do NOT add EC Identifiers to Agent SL applications or "
                "pseudo apps, ONLY employers.",
            ),
            models.CheckConstraint(
                condition=models.Q(group__isnull=False) | ~models.Q(kind=SLAppKind.EMPLOYER),
                name="ec_employer_sl_app_has_group",
                violation_error_message="An employer SL app belongs to an employer group.",
            ),
        ]

    def __str__(self) -> str:
        return f"SL app {self.sl_app_number} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.validate_one_ec()
        super().save(*args, **kwargs)

    def validate_one_ec(self) -> None:
        """ "Only ONE EC per SL application": a second EC never silently replaces the first.
        Removing the EC (an empty value) is allowed."""
        if not (self.pk and self.ec_identifier):
            return
        stored = (
            SLApplication.objects.filter(pk=self.pk).values_list("ec_identifier", flat=True).first()
        )
        if rules.second_ec_refused(stored or "", self.ec_identifier):
            raise ValidationError({
                "ec_identifier": f"SL app {self.sl_app_number} already has EC {stored}. Only ONE "
                "EC per SL application: remove it before adding another."
            })

    def clean(self) -> None:
        self.validate_one_ec()


class PortalUser(models.Model):
    """A user on an SL app (employer or agent staff; never a member)."""

    class AccessRole(models.TextChoices):
        PAA = "paa", "PAA (primary access administrator)"
        SECONDARY = "secondary", "Secondary user"

    class AgentRole(models.TextChoices):
        AOR = "aor", "AOR (agent of record)"
        WA = "wa", "WA (writing agent)"

    sl_app = models.ForeignKey(SLApplication, on_delete=models.CASCADE, related_name="users")
    username = models.CharField(max_length=80, unique=True)
    aka_name = models.CharField("AKA name", max_length=120, blank=True)
    access_role = models.CharField(max_length=10, choices=AccessRole)
    agent_role = models.CharField(max_length=4, choices=AgentRole, blank=True)
    delegated_functions = models.JSONField(
        default=list, blank=True,
        help_text="Functions the PAA assigned on Assign Web Access Rights, e.g. Wellness.",
    )

    class Meta:
        ordering = ["sl_app", "username"]

    def __str__(self) -> str:
        return self.username
