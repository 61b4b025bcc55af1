"""The EC demo data: idempotent, and every branch of seed 000 has a group to try it on."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from ec_access import rules
from ec_access.demo import SCENARIOS, load_ec_demo
from ec_access.models import EmployerGroup, PortalUser, Product, SLApplication

pytestmark = pytest.mark.django_db

WEDNESDAY = dt.date(2026, 11, 18)
MONDAY = dt.date(2026, 11, 16)
BLACKOUT = dt.date(2026, 12, 3)


def counts() -> tuple[int, int, int, int]:
    return (EmployerGroup.objects.count(), Product.objects.count(),
            SLApplication.objects.count(), PortalUser.objects.count())


def group(scenario: str) -> EmployerGroup:
    return EmployerGroup.objects.get(group_number=SCENARIOS[scenario])


def facts(group: EmployerGroup) -> list[rules.ProductFacts]:
    return [rules.ProductFacts(p.product_type, p.active_from, p.active_to, p.includes_go365)
            for p in group.products.all()]


def report(group: EmployerGroup, today: dt.date = WEDNESDAY) -> list[str]:
    """What the BF report would list, run with the MTV shell's number for a CAS group."""
    shell = group.mtv_shell or group
    return rules.business_functions_for(facts(shell), shell.employees_enrolled, today)


def codes(sl_app: SLApplication) -> list[str]:
    return sorted(bf.code for bf in sl_app.business_functions.all())


def test_it_gives_the_same_counts_when_loaded_twice():
    load_ec_demo(WEDNESDAY)
    first = counts()
    load_ec_demo(WEDNESDAY)
    assert counts() == first == (14, 13, 13, 9)
    load_ec_demo(BLACKOUT)  # dates move with today; nothing is added
    assert counts() == first


def test_it_passes_the_models_own_validation():
    load_ec_demo(WEDNESDAY)
    for model in (EmployerGroup, Product, SLApplication, PortalUser):
        for instance in model.objects.all():
            instance.full_clean()


def test_it_has_the_seeds_fusion_controls_waiting_for_a_request():
    load_ec_demo(WEDNESDAY)
    fusion = group("request_path")

    assert (fusion.name, fusion.platform, fusion.ec_number, fusion.fin_bus_segment_cd,
            fusion.employees_enrolled) == ("FUSION CONTROLS INC", "MTV", "1177334", "T", 45)
    assert fusion.portal_registered_on == WEDNESDAY - dt.timedelta(days=730)
    assert report(fusion) == ["7125", "7126", "8581"]
    sl_app = fusion.sl_apps.get()
    assert (sl_app.sl_app_number, sl_app.ec_identifier, codes(sl_app)) == ("5550001", "", [])


def test_it_has_a_large_group_whose_secondary_user_lacks_wellness():
    load_ec_demo(WEDNESDAY)
    large = group("large_group_cannot_see")
    sl_app = large.sl_apps.get()

    assert large.employees_enrolled > rules.HSI_EMPLOYEE_THRESHOLD
    assert report(large) == ["7125", "7126", "6869", "8581"]
    assert sl_app.ec_identifier == large.ec_number
    assert rules.missing_on_sl_app(report(large), codes(sl_app)) == []
    secondary = sl_app.users.get(access_role="secondary")
    assert rules.missing_secondary_functions(secondary.delegated_functions) == ["Wellness"]
    assert sl_app.users.filter(access_role="paa").exists()


def test_it_has_an_app_missing_one_business_function():
    load_ec_demo(WEDNESDAY)
    pinecrest = group("bf_missing_on_app")
    sl_app = pinecrest.sl_apps.get()

    assert sl_app.ec_identifier == pinecrest.ec_number
    assert rules.missing_on_sl_app(report(pinecrest), codes(sl_app)) == ["8581"]


def test_it_has_a_cas_group_whose_mtv_shell_holds_the_products():
    load_ec_demo(WEDNESDAY)
    cas = group("cas_with_mtv_shell")

    assert (cas.platform, cas.mtv_shell, cas.ec_number) == ("CAS", group("mtv_shell"), "")
    assert not cas.products.exists()
    assert rules.bf_report_group_number(cas.group_number, cas.platform,
                                        cas.mtv_shell.group_number) == "552310"
    assert cas.mtv_shell.ec_number and report(cas) == ["7125", "7126", "8581"]


def test_it_has_groups_with_blank_or_partial_reports():
    load_ec_demo(WEDNESDAY)

    dental = facts(group("dental_only"))
    assert not rules.eligible_for_ec_reporting(dental, WEDNESDAY)
    assert rules.blank_report_reasons(dental, WEDNESDAY) == [
        "The group has no active Go365 coverage.", "The group has no active medical coverage."
    ]
    assert rules.eligible_for_ec_reporting(facts(group("standalone_go365")), WEDNESDAY)
    assert report(group("standalone_go365")) == ["7125", "7126"]
    no_go365 = group("medical_without_go365")
    assert (no_go365.ec_number, report(no_go365)) == ("", ["8581"])


@pytest.mark.parametrize("today", [WEDNESDAY, MONDAY, MONDAY + dt.timedelta(days=1)])
def test_it_has_a_brand_new_group_and_a_reregistered_one(today):
    load_ec_demo(today)
    new, again = group("brand_new"), group("reregistered")

    assert rules.covered_by_weekly_process(
        new.portal_registered_on, new.is_reregistration, today
    ) is not None
    assert again.is_reregistration and again.portal_registered_on == today - dt.timedelta(days=2)
    assert rules.covered_by_weekly_process(again.portal_registered_on, True, today) is None


def test_it_has_a_group_not_registered_on_the_portal():
    load_ec_demo(WEDNESDAY)
    unregistered = group("not_registered")

    assert unregistered.portal_registered_on is None
    assert not unregistered.sl_apps.exists()


@pytest.mark.parametrize("today", [WEDNESDAY, BLACKOUT])
def test_it_has_a_group_enrolled_after_the_5th(today):
    load_ec_demo(today)
    medical = group("enrollment_wait").products.get()

    assert medical.active_from.day == 6 and medical.active_from <= today
    assert rules.ec_reporting_available_on(medical.active_from) > today


def test_it_has_two_medical_groups_on_one_sl_app():
    load_ec_demo(WEDNESDAY)
    primary, second = group("two_groups_one_app"), group("second_group_on_app")
    sl_app = primary.sl_apps.get()

    assert list(sl_app.other_groups.all()) == [second]
    assert all(rules.has_active_medical(facts(g), WEDNESDAY) for g in (primary, second))
    assert rules.needs_independent_logons([primary.group_number, second.group_number])


def test_it_has_an_agency_app_and_a_pseudo_app_without_an_ec():
    load_ec_demo(WEDNESDAY)
    agency = SLApplication.objects.get(sl_app_number=SCENARIOS["agency_app"])
    pseudo = SLApplication.objects.get(sl_app_number=SCENARIOS["pseudo_app"])

    roles = sorted((u.access_role, u.agent_role) for u in agency.users.all())
    assert roles == [("paa", "aor"), ("secondary", "aor"), ("secondary", "wa")]
    assert (agency.kind, agency.ec_identifier, pseudo.kind, pseudo.ec_identifier) == (
        "agency", "", "pseudo", ""
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SLApplication.objects.filter(pk=pseudo.pk).update(ec_identifier="1177334")


def test_it_is_loaded_by_load_demo(on_day):
    out = StringIO()

    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    assert out.getvalue().count("EC demo: 14 groups, 13 SL apps\n") == 2
