"""Reads that turn our EC data into the plain values the rules take."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from . import rules
from .models import (
    BusinessFunction,
    ECRequest,
    EmployerGroup,
    Platform,
    SLAppKind,
    SLApplication,
)


def product_facts(group: EmployerGroup) -> list[rules.ProductFacts]:
    return [
        rules.ProductFacts(p.product_type, p.active_from, p.active_to, p.includes_go365)
        for p in group.products.all()
    ]


def report_group(group: EmployerGroup) -> EmployerGroup:
    """The group the BF report is run for: the MTV shell of a CAS group, else the group."""
    shell = group.mtv_shell
    number = rules.bf_report_group_number(
        group.group_number, group.platform, shell.group_number if shell is not None else None,
    )
    return shell if shell is not None and number != group.group_number else group


@dataclass(frozen=True)
class BFReport:
    """Seed 000's "BUSINESS FUNCTION ASSIGNMENT FOR ONLINE REPORTS", computed from our data."""

    group: EmployerGroup  # the group asked about
    run_for: EmployerGroup  # the group the report is run for (MTV shell rule)
    business_functions: list[str]
    blank_reasons: list[str] = field(default_factory=list)  # only when no business functions
    run_on: dt.date | None = None
    lacks: list[str] = field(default_factory=list)  # functions it does not show, and why
    send_blockers: list[str] = field(default_factory=list)  # not blank, yet not to be sent

    @property
    def is_blank(self) -> bool:
        """Seed 000: "If the report does not display any numbers under the business functions
        section, there are no identifiers or business functions to be added"."""
        return not self.business_functions

    @property
    def sendable(self) -> bool:
        """What may go to Access Management: "DO NOT send blank reports", nor one without an EC#
        (there is no EC# for them to add)."""
        return not (self.is_blank or self.send_blockers)

    @property
    def ec_number(self) -> str:
        return self.run_for.ec_number

    @property
    def platform_code(self) -> str:
        return self.run_for.report_platform_code


def bf_report(group: EmployerGroup, today: dt.date) -> BFReport:
    run_for = report_group(group)
    products = product_facts(run_for)
    codes = rules.business_functions_for(products, run_for.employees_enrolled, today)
    if not codes:
        return BFReport(group, run_for, codes, rules.blank_report_reasons(products, today), today)
    blockers = []
    if not run_for.ec_number:
        blockers.append(
            "Customer Reporting has no EC# for this group: data may be incorrect on customer "
            f"reporting end. Contact {rules.CUSTOMER_REPORTING}."
        )
    return BFReport(group, run_for, codes, [], today,
                    lacks=rules.functions_not_on_report(products, today), send_blockers=blockers)


def employer_sl_app(group: EmployerGroup) -> SLApplication | None:
    return (
        SLApplication.objects.filter(group=group, kind=SLAppKind.EMPLOYER)
        .prefetch_related("business_functions", "other_groups")
        .order_by("pk")
        .first()
    )


def sl_app_business_functions(sl_app: SLApplication) -> list[str]:
    return sorted(bf.code for bf in sl_app.business_functions.all())


def case_requests(case: Any) -> QuerySet[ECRequest]:
    """The EC requests a case queued and has not withdrawn, the latest first."""
    return (ECRequest.objects.filter(case=case).exclude(state=ECRequest.State.WITHDRAWN)
            .order_by("-pk"))


def open_request(sl_app: SLApplication) -> ECRequest | None:
    return sl_app.ec_requests.filter(
        state__in=[ECRequest.State.QUEUED, ECRequest.State.CLAIMED]
    ).first()


def enrolled_on(group: EmployerGroup, today: dt.date) -> dt.date | None:
    """When the group's current EC-giving coverage began: its earliest active medical or
    stand-alone Go365 product. Our reading of the seed's "enrolled" (see rules)."""
    starts = [
        p.active_from
        for p in product_facts(report_group(group))
        if p.product_type in {"medical", "go365"} and p.active_on(today)
    ]
    return min(starts) if starts else None


def groups_needing_own_logon(sl_app: SLApplication, today: dt.date) -> list[EmployerGroup]:
    """Group numbers on one SL app that each have a medical or Go365 (NIM) product."""
    groups = [sl_app.group, *sl_app.other_groups.all()] if sl_app.group is not None else []
    return [
        g for g in groups if rules.eligible_for_ec_reporting(product_facts(report_group(g)), today)
    ]


def is_cas_with_shell(group: EmployerGroup) -> bool:
    return group.platform == Platform.CAS and group.mtv_shell_id is not None


@dataclass(frozen=True)
class QueueCounts:
    """What "Claim next" would draw from: the queued requests, and how many are expedited."""

    waiting: int
    expedited: int


def queue_counts() -> QueueCounts:
    # Waiting: free to claim, so "Claim next" is offered only while one is.
    counts = ECRequest.objects.filter(state__in=ECRequest.TRANSITIONS["claim"]).aggregate(
        waiting=Count("pk"), expedited=Count("pk", filter=Q(expedited=True))
    )
    return QueueCounts(counts["waiting"], counts["expedited"])


@dataclass(frozen=True)
class GrantFunction:
    code: str
    name: str
    on_app: bool  # already on the SL app: the grant leaves it as it is


@dataclass(frozen=True)
class GrantPreview:
    """What a grant of ``request`` will write to its SL app, read before asking to confirm."""

    request: ECRequest
    functions: list[GrantFunction]
    other_ec: str  # another EC already on the app: the grant will be refused (ONE EC per app)

    @property
    def ec_on_app(self) -> bool:
        return self.request.sl_app.ec_identifier == self.request.ec_identifier


def grant_preview(request: ECRequest) -> GrantPreview:
    sl_app = request.sl_app
    names = dict(
        BusinessFunction.objects.filter(code__in=request.business_functions)
        .values_list("code", "name")
    )
    on_app = set(sl_app_business_functions(sl_app))
    functions = [GrantFunction(code, names.get(code, ""), code in on_app)
                 for code in request.business_functions]
    other_ec = sl_app.ec_identifier if sl_app.ec_identifier not in ("", request.ec_identifier) else ""
    return GrantPreview(request, functions, other_ec)
