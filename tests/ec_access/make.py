"""make_* helpers for EC data, with defaults (djangoproject.com factory style)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any

from django.utils import timezone

from ec_access.models import (
    BusinessFunction,
    ECRequest,
    ECRequestEvent,
    EmployerGroup,
    Product,
    SLApplication,
)

_numbers = count(1)


def today() -> dt.date:
    return timezone.localdate()


def make_group(group_number: str | None = None, **fields: Any) -> EmployerGroup:
    fields.setdefault("name", "FUSION CONTROLS INC")
    fields.setdefault("platform", "MTV")
    fields.setdefault("ec_number", "1177334")
    fields.setdefault("fin_bus_segment_cd", "T")
    fields.setdefault("employees_enrolled", 45)
    fields.setdefault("portal_registered_on", dt.date(2024, 3, 4))
    return EmployerGroup.objects.create(
        group_number=group_number or f"{700000 + next(_numbers)}", **fields
    )


def make_product(group: EmployerGroup, product_type: str = "medical", **fields: Any) -> Product:
    fields.setdefault("active_from", dt.date(2024, 1, 1))
    return Product.objects.create(group=group, product_type=product_type, **fields)


def make_sl_app(group: EmployerGroup | None, kind: str = "employer", *, functions: tuple[str, ...] = (),
                **fields: Any) -> SLApplication:
    sl_app = SLApplication.objects.create(
        sl_app_number=fields.pop("sl_app_number", f"{5600000 + next(_numbers)}"),
        kind=kind, group=group, **fields,
    )
    sl_app.business_functions.set(BusinessFunction.objects.filter(code__in=functions))
    return sl_app


def make_eligible_group(**fields: Any) -> tuple[EmployerGroup, SLApplication]:
    """The seed's sample: a medical group with Go365, registered long ago, EC not on its app."""
    group = make_group(**fields)
    make_product(group, "medical")
    return group, make_sl_app(group)


def make_request(group: EmployerGroup | None = None, sl_app: SLApplication | None = None,
                 **fields: Any) -> ECRequest:
    if group is None:
        group, sl_app = make_eligible_group()
    fields.setdefault("source", "specialist")
    fields.setdefault("ec_identifier", group.ec_number or "1177334")
    fields.setdefault("business_functions", ["7125", "7126", "8581"])
    request = ECRequest.objects.create(group=group, sl_app=sl_app, **fields)
    ECRequestEvent.objects.create(request=request, kind="created")
    return request
