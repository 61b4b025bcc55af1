"""Demo employer groups, products, SL apps and portal users: one for every branch a specialist
meets in seed 000 (Enterprise Customer (EC) Reporting – Go365 Reports).

Idempotent: everything is upserted by its natural key, so running it again (on any day) leaves
one copy. Dates are worked out from ``today`` so that each scenario stays what it says it is.
"""

from __future__ import annotations

import datetime as dt

from .models import (
    BusinessFunction,
    EmployerGroup,
    Platform,
    PortalUser,
    Product,
    ProductType,
    SLAppKind,
    SLApplication,
)
from .rules import GO365_ACTIVITY, GO365_MEMBER_ENGAGEMENT, HSI, MEMBERSHIP_SNAPSHOT

GO365 = (GO365_MEMBER_ENGAGEMENT, GO365_ACTIVITY)
PAA = PortalUser.AccessRole.PAA
SECONDARY = PortalUser.AccessRole.SECONDARY
AOR = PortalUser.AgentRole.AOR
WA = PortalUser.AgentRole.WA

# Scenario → group number (or SL app number for the agent-side ones), for flows and tests.
SCENARIOS = {
    "request_path": "824751",  # seed's FUSION CONTROLS INC: EC not yet on the SL app
    "large_group_cannot_see": "735190",  # EC + all BFs on the app; secondary lacks Wellness
    "bf_missing_on_app": "641207",  # EC on the app, 8581 missing
    "cas_with_mtv_shell": "552311",  # its shell 552310 holds the products and the EC#
    "mtv_shell": "552310",
    "dental_only": "418802",  # not eligible: blank report
    "standalone_go365": "390114",  # NIM without medical: 7125, 7126
    "medical_without_go365": "477560",  # EC# blank
    "brand_new": "903311",  # weekly process will grant access
    "reregistered": "615028",  # not on the weekly report
    "not_registered": "702245",
    "enrollment_wait": "836604",  # medical started after the 5th
    "two_groups_one_app": "258140",  # with 258141 on the same SL app
    "second_group_on_app": "258141",
    "agency_app": "5550012",
    "pseudo_app": "5550013",
}

ENROLLED_LONG_AGO_YEARS = 3
FULL_SECONDARY_ACCESS = [
    "Activity Report Vitality",
    "Contribution Manager Report Vitality",
    "Grp Medical Membership Snapshot",
    "Wellness",
]


def load_ec_demo(today: dt.date) -> None:
    long_ago = dt.date(today.year - ENROLLED_LONG_AGO_YEARS, 1, 1)
    two_years_ago = today - dt.timedelta(days=730)
    three_years_ago = today - dt.timedelta(days=3 * 365)
    two_days_ago = today - dt.timedelta(days=2)

    # Seed 000's sample BF report: 1177334 824751 FUSION CONTROLS INC EM T 7125, 7126, 8581.
    _group("824751", "FUSION CONTROLS INC", ec="1177334", employees=45, registered=two_years_ago)
    _product("824751", ProductType.MEDICAL, long_ago)
    _sl_app("5550001", group="824751")
    _user("5550001", "fusioncontrols.paa", "Dana Whitfield", PAA)

    # Over 100 employees (HSI 6869 too); everything granted, yet a secondary user cannot see
    # the reports: the PAA never delegated "Wellness".
    _group("735190", "HARBORVIEW LOGISTICS LLC", ec="1183620", employees=240,
           registered=three_years_ago)
    _product("735190", ProductType.MEDICAL, long_ago)
    _sl_app("5550002", group="735190", ec="1183620", ec_added_on=three_years_ago,
            functions=(*GO365, HSI, MEMBERSHIP_SNAPSHOT))
    _user("5550002", "harborview.paa", "Marcus Lee", PAA)
    _user("5550002", "harborview.benefits", "Priya Natarajan", SECONDARY,
          delegated=[f for f in FULL_SECONDARY_ACCESS if f != "Wellness"])

    # The EC is on the app but Access Management left out 8581.
    _group("641207", "PINECREST MACHINING CO", ec="1190455", employees=60,
           registered=three_years_ago)
    _product("641207", ProductType.MEDICAL, long_ago)
    _sl_app("5550003", group="641207", ec="1190455", ec_added_on=two_years_ago, functions=GO365)
    _user("5550003", "pinecrest.paa", "Tom Alvarez", PAA)

    # "When a CAS group has an MTV shell the EC identifiers are always going to be pulled with
    # the MTV group ID": the benefits and the EC# sit on the shell, the membership in CAS.
    _group("552310", "BRIGHTWATER FOODS INC", ec="1201877", employees=0, registered=None)
    _product("552310", ProductType.MEDICAL, long_ago)
    _group("552311", "BRIGHTWATER FOODS INC", ec="", employees=38, registered=two_years_ago,
           platform=Platform.CAS, shell="552310")
    _sl_app("5550004", group="552311")
    _user("5550004", "brightwater.paa", "Elena Rossi", PAA)

    # Not eligible: no active medical, no Go365. The BF report is blank.
    _group("418802", "MAPLE RIDGE ACADEMY", ec="", employees=30, registered=two_years_ago)
    _product("418802", ProductType.DENTAL, long_ago)
    _sl_app("5550005", group="418802")

    # Stand-alone Go365 (NIM) without medical: eligible, 7125 and 7126 only.
    _group("390114", "CEDAR POINT CREDIT UNION", ec="1195502", employees=22,
           registered=two_years_ago)
    _product("390114", ProductType.GO365, long_ago)
    _sl_app("5550006", group="390114")

    # Medical whose plan carries no Go365, and no EC# on Customer Reporting's side.
    _group("477560", "REDSTONE PLUMBING SUPPLY", ec="", employees=18, registered=two_years_ago)
    _product("477560", ProductType.MEDICAL, long_ago, includes_go365=False)
    _sl_app("5550007", group="477560")

    # Brand new: the weekly process will grant access. Re-registered: it will not.
    _group("903311", "SUMMIT TRAIL OUTFITTERS", ec="1214470", employees=12,
           registered=_before_next_weekly_run(today))
    _product("903311", ProductType.MEDICAL, today.replace(day=1))
    _sl_app("5550008", group="903311")
    _group("615028", "GRANITE STATE ROOFING", ec="1211093", employees=27,
           registered=two_days_ago, reregistered=True)
    _product("615028", ProductType.MEDICAL, long_ago)
    _sl_app("5550009", group="615028")

    # Never registered on the Employer Portal: no SL app at all.
    _group("702245", "OAKHURST VETERINARY CLINIC", ec="1208816", employees=9, registered=None)
    _product("702245", ProductType.MEDICAL, long_ago)

    # "If a group was enrolled after the 5th of the month they will need to wait until the
    # following month for EC reporting to be available."
    enrolled_on = _enrolled_after_the_5th(today)
    _group("836604", "BLUE HERON DESIGN STUDIO", ec="1216032", employees=14,
           registered=enrolled_on)
    _product("836604", ProductType.MEDICAL, enrolled_on)
    _sl_app("5550010", group="836604")

    # Two group numbers on one SL app, each with medical: EC reports show for one group only,
    # so each needs its own registration and logon.
    _group("258140", "TIDEWATER MARINE SERVICES", ec="1187001", employees=55,
           registered=three_years_ago)
    _product("258140", ProductType.MEDICAL, long_ago)
    _group("258141", "TIDEWATER MARINE SERVICES", ec="1187002", employees=31,
           registered=three_years_ago)
    _product("258141", ProductType.MEDICAL, long_ago)
    _sl_app("5550011", group="258140", ec="1187001", ec_added_on=three_years_ago,
            functions=(*GO365, MEMBERSHIP_SNAPSHOT), other_groups=["258141"])
    _user("5550011", "tidewater.paa", "Grace Kim", PAA)

    # Agent side: only the AOR sees the reports; the WA does not. The pseudo app must never
    # get an EC (the DB refuses it).
    _sl_app("5550012", kind=SLAppKind.AGENCY, agent_san="8801234")
    _user("5550012", "agency.aor.paa", "Jordan Blake", PAA, agent_role=AOR)
    _user("5550012", "agency.wa", "Casey Moore", SECONDARY, agent_role=WA)
    _user("5550012", "agency.aor.assistant", "Riley Chen", SECONDARY, agent_role=AOR)
    _sl_app("5550013", kind=SLAppKind.PSEUDO, agent_san="8801234")


def _before_next_weekly_run(today: dt.date) -> dt.date:
    """Two days ago, unless that was before this week's Monday: the weekly process runs on
    Mondays, so a group registered last weekend has already been through it."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return max(today - dt.timedelta(days=2), this_monday)


def _enrolled_after_the_5th(today: dt.date) -> dt.date:
    """The 6th of this month, or of last month during the 1st–5th blackout: either way EC
    reporting is not available yet."""
    if today.day > 5:
        return today.replace(day=6)
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=6)


def _group(number: str, name: str, *, ec: str, employees: int, registered: dt.date | None,
           platform: str = Platform.MTV, shell: str | None = None,
           reregistered: bool = False) -> EmployerGroup:
    group, _ = EmployerGroup.objects.update_or_create(
        group_number=number,
        defaults={
            "name": name,
            "platform": platform,
            "ec_number": ec,
            "fin_bus_segment_cd": "T",
            "employees_enrolled": employees,
            "portal_registered_on": registered,
            "is_reregistration": reregistered,
            "mtv_shell": EmployerGroup.objects.get(group_number=shell) if shell else None,
        },
    )
    return group


def _product(number: str, product_type: str, active_from: dt.date, *,
             includes_go365: bool = True) -> None:
    # Keyed by group and type, not by active_from: the dates move with ``today``, and a demo
    # group has one product of each type.
    Product.objects.update_or_create(
        group=EmployerGroup.objects.get(group_number=number), product_type=product_type,
        defaults={"active_from": active_from, "active_to": None, "includes_go365": includes_go365},
    )


def _sl_app(number: str, *, kind: str = SLAppKind.EMPLOYER, group: str | None = None,
            agent_san: str = "", ec: str = "", ec_added_on: dt.date | None = None,
            functions: tuple[str, ...] = (), other_groups: list[str] | None = None) -> None:
    sl_app, _ = SLApplication.objects.update_or_create(
        sl_app_number=number,
        defaults={
            "kind": kind,
            "group": EmployerGroup.objects.get(group_number=group) if group else None,
            "agent_san": agent_san,
            "ec_identifier": ec,
            "ec_added_on": ec_added_on,
        },
    )
    sl_app.business_functions.set(BusinessFunction.objects.filter(code__in=functions))
    sl_app.other_groups.set(EmployerGroup.objects.filter(group_number__in=other_groups or []))


def _user(sl_app_number: str, username: str, aka_name: str, access_role: str, *,
          agent_role: str = "", delegated: list[str] | None = None) -> None:
    PortalUser.objects.update_or_create(
        username=username,
        defaults={
            "sl_app": SLApplication.objects.get(sl_app_number=sl_app_number),
            "aka_name": aka_name,
            "access_role": access_role,
            "agent_role": agent_role,
            "delegated_functions": delegated or [],
        },
    )
