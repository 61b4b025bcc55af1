"""What EC access adds to the core's pages, registered from apps.py ``ready()``: its links, the
case subject fields (group and SL app), its audit actions and objects, its dashboard panel and
its demo data (the core knows no domain app)."""

from __future__ import annotations

from supportdesk import audit, dashboard_panels, home_panels, navigation, subjects
from supportdesk.demo import DemoRun, register_loader
from supportdesk.home_panels import HomePanel
from supportdesk.navigation import NavEntry
from supportdesk.roles import Role

# Groups whose request waits in the queue: the stand-alone Go365 group (expedited) and the
# group whose SL app lacks 8581. The seed's sample 824751 stays free for the request flow.
DEMO_EC_REQUESTS = (("390114", True), ("641207", False))


def load_demo(run: DemoRun) -> str:
    """The EC demo records, then two requests waiting in Access Management's queue."""
    from .demo import load_ec_demo
    from .models import ECRequest, EmployerGroup, SLApplication
    from .queries import employer_sl_app
    from .services import ec_request_create

    load_ec_demo(run.today)
    if not ECRequest.objects.exists():
        specialist = run.users[Role.SPECIALIST]
        for group_number, expedited in DEMO_EC_REQUESTS:
            group = EmployerGroup.objects.get(group_number=group_number)
            sl_app = employer_sl_app(group)
            if sl_app is None:
                raise RuntimeError(f"The EC demo group {group_number} has no SL app.")
            ec_request_create(group=group, sl_app=sl_app, expedited=expedited,
                              user=specialist, today=run.today)
    return (f"EC demo: {EmployerGroup.objects.count()} groups, "
            f"{SLApplication.objects.count()} SL apps")


def register() -> None:
    from . import dashboard
    from .subjects import GROUP_NUMBER, SL_APP_NUMBER

    subjects.register_subject_fields(GROUP_NUMBER, SL_APP_NUMBER)
    everyone = frozenset(Role)
    queue = frozenset({Role.ACCESS_MANAGEMENT, Role.SUPERVISOR})
    navigation.register(
        NavEntry("EC queue", "ec_queue", queue, order=70),
        NavEntry("EC Business Function report", "ec_bf_report_lookup", everyone, "look_up", order=10),
        NavEntry("EC weekly batch runs", "ec_batches", queue, "look_up", order=20),
    )
    audit.register_actions(
        areas={"ec_request": "EC requests", "ec_batch": "EC weekly batch", "ec_data": "EC data"},
        actions={
            "ec_request.create": "EC request queued",
            "ec_request.claim": "EC request claimed",
            "ec_request.release": "EC request released",
            "ec_request.grant": "EC request granted",
            "ec_request.withdraw": "EC request withdrawn by its specialist",
            "ec_request.reject": "EC request rejected",
            "ec_batch.run": "EC weekly batch run",
            "ec_data.import": "EC data imported",
        },
        object_pages={
            "ec_access.ecrequest": ("EC request", "ec_request"),
            "ec_access.ecbatchrun": ("EC batch run", None),
        },
    )
    # The home page: two buttons on the supervisor's card, and Access Management's own card.
    navigation.register(
        NavEntry("EC request queue", "ec_queue", frozenset({Role.SUPERVISOR}), "supervision", order=20),
        NavEntry("Weekly batch runs", "ec_batches", frozenset({Role.SUPERVISOR}), "supervision",
                 order=30),
    )
    home_panels.register(HomePanel(home_panels.no_context, frozenset({Role.ACCESS_MANAGEMENT}),
                                   template="ec_access/home_panel.html"))
    dashboard_panels.register_panel(dashboard.PANEL)
    register_loader("ec_access", load_demo, order=20)
