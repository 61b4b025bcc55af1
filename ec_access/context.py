"""What the EC records hold on a case's group, for the call context panel on its page: the
group's name, SL app, platform, products, employees and registration, as we hold them today,
so the specialist can confirm them with the caller. Registered in ``EcAccessConfig.ready()``.

Two queries: the group with its shell and its SL app (by subqueries), then its products.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.formats import date_format

from supportdesk.context import Fact, Subject, SubjectFacts

from .models import EmployerGroup, Product, ProductType, SLAppKind, SLApplication

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

HEADING = "EC records"


class _SLAppFacts(TypedDict):
    """What _group() annotates: the SL app's number, kind and EC identifier (None without one)."""

    sl_app: str | None
    sl_app_kind: str | None
    sl_app_ec: str | None


def _sl_apps(subject: Subject) -> QuerySet[SLApplication]:
    """The SL app the case names, else the group's employer SL app (the first, as the flows
    take it: queries.employer_sl_app)."""
    if subject.get("sl_app_number"):
        return SLApplication.objects.filter(sl_app_number=subject.get("sl_app_number"))
    return SLApplication.objects.filter(group=OuterRef("pk"), kind=SLAppKind.EMPLOYER).order_by("pk")


def _group(subject: Subject) -> WithAnnotations[EmployerGroup, _SLAppFacts] | None:
    sl_apps = _sl_apps(subject)
    return (
        EmployerGroup.objects.filter(group_number=subject.get("group_number"))
        .select_related("mtv_shell")
        .annotate(
            sl_app=Subquery(sl_apps.values("sl_app_number")[:1]),
            sl_app_kind=Subquery(sl_apps.values("kind")[:1]),
            sl_app_ec=Subquery(sl_apps.values("ec_identifier")[:1]),
        )
        .prefetch_related("products")
        .first()
    )


def group_facts(subject: Subject) -> SubjectFacts | None:
    """The panel's EC facts, or a line saying the group is not in the EC records; None for a
    case about no group."""
    if not subject.get("group_number"):
        return None
    group = _group(subject)
    if group is None:
        return SubjectFacts(HEADING, note=f"Group {subject.get('group_number')} is not in the EC "
                            "records: confirm the number with the caller.")
    return SubjectFacts(HEADING, facts=(
        Fact("Group", f"{group.group_number} {group.name}"),
        Fact("SL app", _sl_app_text(group, subject)),
        Fact("Platform", _platform_text(group)),
        Fact("Products", _products_text(group, subject)),
        Fact("Employees", f"{group.employees_enrolled:,} enrolled"),
        Fact("Registration", _registration_text(group)),
    ))


def _sl_app_text(group: WithAnnotations[EmployerGroup, _SLAppFacts], subject: Subject) -> str:
    if not group.sl_app or group.sl_app_kind is None:  # no SL app row: all three are None
        if subject.get("sl_app_number"):
            return f"{subject.get('sl_app_number')}: not in the EC records"
        return "No employer SL app on record"
    kind = SLAppKind(group.sl_app_kind).label
    ec = f"EC {group.sl_app_ec}" if group.sl_app_ec else "no EC identifier"
    return f"{group.sl_app} · {kind} · {ec}"


def _platform_text(group: EmployerGroup) -> str:
    if group.mtv_shell is not None:
        return f"{group.platform} (group benefits on MTV shell {group.mtv_shell.group_number})"
    return group.platform


def _product_name(product: Product) -> str:
    if product.product_type == ProductType.MEDICAL:
        return "Medical with Go365" if product.includes_go365 else "Medical without Go365"
    return ProductType(product.product_type).label


def _products_text(group: EmployerGroup, subject: Subject) -> str:
    """The products active today, then those starting later (with their start date), medical
    first (in ProductType's order)."""
    today = subject.today
    active, upcoming = [], []
    order = list(ProductType.values)
    products = sorted(group.products.all(), key=lambda p: (order.index(p.product_type), p.active_from))
    for product in products:
        if product.active_to is not None and product.active_to < today:
            continue  # ended
        if product.active_from <= today:
            active.append(_product_name(product))
        else:
            upcoming.append(f"{_product_name(product)} from {date_format(product.active_from)}")
    shown = list(dict.fromkeys(active)) or ["None active today"]
    return ", ".join([*shown, *upcoming])


def _registration_text(group: EmployerGroup) -> str:
    if group.portal_registered_on is None:
        return "Not registered on the Employer Portal"
    again = " (a re-registration)" if group.is_reregistration else ""
    return f"Employer Portal since {date_format(group.portal_registered_on)}{again}"
