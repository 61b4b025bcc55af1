"""The EC admin opens for a superuser, shows the models' refusals as form errors, and writes no EC
identifier or business function: only the grant service does, with its audit entry."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ec_access.demo import load_ec_demo
from ec_access.models import BusinessFunction, ECRequest, EmployerGroup, SLApplication
from supportdesk.models import AuditEntry

pytestmark = pytest.mark.django_db

MODELS = ("employergroup", "slapplication", "businessfunction", "ecrequest")


@pytest.fixture
def demo():
    load_ec_demo(dt.date(2026, 11, 18))
    fusion = SLApplication.objects.get(sl_app_number="5550001")
    ECRequest.objects.create(source="specialist", group=fusion.group, sl_app=fusion,
                             ec_identifier="1177334", business_functions=["7125", "7126", "8581"])


def sl_app_form_data(sl_app: SLApplication, **changes: object) -> dict[str, object]:
    users = list(sl_app.users.all())
    data: dict[str, object] = {
        "sl_app_number": sl_app.sl_app_number,
        "kind": sl_app.kind,
        "group": sl_app.group_id or "",
        "other_groups": [g.pk for g in sl_app.other_groups.all()],
        "agent_san": sl_app.agent_san,
        "ec_identifier": sl_app.ec_identifier,
        "ec_added_on": sl_app.ec_added_on.isoformat() if sl_app.ec_added_on else "",
        "business_functions": [bf.pk for bf in sl_app.business_functions.all()],
        "users-TOTAL_FORMS": len(users),
        "users-INITIAL_FORMS": len(users),
        "users-MIN_NUM_FORMS": 0,
        "users-MAX_NUM_FORMS": 1000,
    }
    for i, user in enumerate(users):
        data |= {f"users-{i}-id": user.pk, f"users-{i}-sl_app": sl_app.pk,
                 f"users-{i}-username": user.username, f"users-{i}-aka_name": user.aka_name,
                 f"users-{i}-access_role": user.access_role,
                 f"users-{i}-agent_role": user.agent_role,
                 f"users-{i}-delegated_functions": json.dumps(user.delegated_functions)}
    return data | changes


@pytest.mark.parametrize("model", MODELS)
def test_it_opens_each_changelist(admin_client, demo, model):
    response = admin_client.get(reverse(f"admin:ec_access_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(("model", "query"), [
    ("employergroup", "q=824751"), ("employergroup", "platform__exact=CAS"),
    ("employergroup", "is_reregistration__exact=1"), ("slapplication", "q=5550002"),
    ("slapplication", "kind__exact=pseudo"), ("slapplication", "q=1183620"),
    ("ecrequest", "state__exact=queued&source__exact=specialist&expedited__exact=0"),
])
def test_it_searches_and_filters(admin_client, demo, model, query):
    response = admin_client.get(f"{reverse(f'admin:ec_access_{model}_changelist')}?{query}")

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", MODELS)
def test_it_opens_each_change_form(admin_client, demo, model):
    instance = {
        "employergroup": lambda: EmployerGroup.objects.get(group_number="552311"),
        "slapplication": lambda: SLApplication.objects.get(sl_app_number="5550002"),
        "businessfunction": lambda: BusinessFunction.objects.get(code="8581"),
        "ecrequest": lambda: ECRequest.objects.get(),
    }[model]()

    response = admin_client.get(reverse(f"admin:ec_access_{model}_change", args=[instance.pk]))

    assert response.status_code == 200


def test_it_keeps_ec_requests_read_only(admin_client, demo):
    ec_request = ECRequest.objects.get()
    change_url = reverse("admin:ec_access_ecrequest_change", args=[ec_request.pk])

    assert admin_client.get(reverse("admin:ec_access_ecrequest_add")).status_code == 403
    assert admin_client.post(change_url, {"state": "granted"}).status_code == 403
    assert admin_client.post(
        reverse("admin:ec_access_ecrequest_delete", args=[ec_request.pk]), {"post": "yes"}
    ).status_code == 403
    ec_request.refresh_from_db()
    assert ec_request.state == "queued"


def test_it_adds_no_ec_to_an_sl_app_without_one(admin_client, demo):
    # Only the grant service adds an EC and business functions, with its audit entry.
    sl_app = SLApplication.objects.get(sl_app_number="5550001")
    functions = BusinessFunction.objects.filter(code__in=["7125", "7126", "8581"])

    response = admin_client.post(
        reverse("admin:ec_access_slapplication_change", args=[sl_app.pk]),
        sl_app_form_data(sl_app, ec_identifier="1177334", ec_added_on="2026-11-18",
                         business_functions=[bf.pk for bf in functions], agent_san="CHANGED"),
    )

    assert response.status_code == 302
    sl_app.refresh_from_db()
    assert (sl_app.ec_identifier, sl_app.ec_added_on, sl_app.agent_san) == ("", None, "CHANGED")
    assert not sl_app.business_functions.exists()
    assert not AuditEntry.objects.filter(object_id=str(sl_app.pk)).exists()


def test_it_replaces_no_ec_and_removes_no_business_functions(admin_client, demo):
    sl_app = SLApplication.objects.get(sl_app_number="5550001")
    SLApplication.objects.filter(pk=sl_app.pk).update(ec_identifier="1177334")
    sl_app.business_functions.set(BusinessFunction.objects.filter(code="7125"))
    sl_app.refresh_from_db()

    response = admin_client.post(
        reverse("admin:ec_access_slapplication_change", args=[sl_app.pk]),
        sl_app_form_data(sl_app, ec_identifier="1999999", business_functions=[]),
    )

    assert response.status_code == 302
    sl_app.refresh_from_db()
    assert sl_app.ec_identifier == "1177334"
    assert list(sl_app.business_functions.values_list("code", flat=True)) == ["7125"]


@pytest.mark.parametrize("number", ["5550013", "5550012"])  # pseudo, agency
def test_it_adds_no_ec_to_a_pseudo_or_agency_app(admin_client, demo, number):
    sl_app = SLApplication.objects.get(sl_app_number=number)

    response = admin_client.post(
        reverse("admin:ec_access_slapplication_change", args=[sl_app.pk]),
        sl_app_form_data(sl_app, ec_identifier="1177334",
                         business_functions=[BusinessFunction.objects.get(code="7125").pk]),
    )

    assert response.status_code == 302
    sl_app.refresh_from_db()
    assert sl_app.ec_identifier == "" and not sl_app.business_functions.exists()


def test_it_keeps_an_app_with_an_ec_an_employer_app(admin_client, demo):
    sl_app = SLApplication.objects.get(sl_app_number="5550001")
    SLApplication.objects.filter(pk=sl_app.pk).update(ec_identifier="1177334")
    sl_app.refresh_from_db()

    response = admin_client.post(
        reverse("admin:ec_access_slapplication_change", args=[sl_app.pk]),
        sl_app_form_data(sl_app, kind="pseudo", group=""),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kind"] == [
        "Do NOT add EC Identifiers to Agent SL applications or pseudo apps, ONLY employers."
    ]
    sl_app.refresh_from_db()
    assert sl_app.kind == "employer"


def test_it_changes_no_ec_number_on_a_group(admin_client, demo):
    group = EmployerGroup.objects.get(group_number="418802")
    before = group.ec_number
    data = {
        "group_number": group.group_number, "name": "RENAMED", "platform": group.platform,
        "ec_number": "1999999", "report_platform_code": group.report_platform_code,
        "fin_bus_segment_cd": group.fin_bus_segment_cd,
        "employees_enrolled": group.employees_enrolled,
        "portal_registered_on": group.portal_registered_on.isoformat(), "mtv_shell": "",
        "products-TOTAL_FORMS": 0, "products-INITIAL_FORMS": 0,
        "products-MIN_NUM_FORMS": 0, "products-MAX_NUM_FORMS": 1000,
    }

    response = admin_client.post(
        reverse("admin:ec_access_employergroup_change", args=[group.pk]), data
    )

    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.ec_number) == ("RENAMED", before)


def test_it_shows_a_product_ending_before_it_starts_as_a_form_error(admin_client, demo):
    group = EmployerGroup.objects.get(group_number="418802")
    product = group.products.get()
    data = {
        "group_number": group.group_number, "name": group.name, "platform": group.platform,
        "ec_number": group.ec_number, "report_platform_code": group.report_platform_code,
        "fin_bus_segment_cd": group.fin_bus_segment_cd,
        "employees_enrolled": group.employees_enrolled,
        "portal_registered_on": group.portal_registered_on.isoformat(),
        "mtv_shell": "",
        "products-TOTAL_FORMS": 1, "products-INITIAL_FORMS": 1,
        "products-MIN_NUM_FORMS": 0, "products-MAX_NUM_FORMS": 1000,
        "products-0-id": product.pk, "products-0-group": group.pk,
        "products-0-product_type": "dental", "products-0-active_from": "2025-02-01",
        "products-0-active_to": "2025-01-31",
    }

    response = admin_client.post(
        reverse("admin:ec_access_employergroup_change", args=[group.pk]), data
    )

    assert response.status_code == 200
    assert "A product cannot end before it starts." in response.content.decode()
    product.refresh_from_db()
    assert product.active_to is None
