"""Demo Noyo connections for `make run`: one per sandbox status, on the EC demo groups.

Each is requested through the services and held by the local sandbox too (same Noyo ID), so the
poller has something to do: the first poll after start-up sees 824751's connection move from
processing to Noyo review. Idempotent: a carrier group ID already connected is left alone.
Needs ec_access's demo groups and a specialist (load_demo creates both first).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ec_access.interface import employer_group
from supportdesk.roles import Role

from . import rules
from .models import GroupConnection, SandboxGroupConnection
from .services import group_connection_request, record_accepted, record_status
from .transport import RemoteConnection

S = rules.ConnectionStatus

# group number, carrier group ID (its prefix picks the sandbox status), people, our status now
DEMO_CONNECTIONS = (
    ("824751", "989751", 42, S.PROCESSING),  # the poller moves it to Noyo review
    ("735190", "212190", 350, S.CARRIER_AUTHORIZATION),  # 300+: manual review by Humana
    ("641207", "545207", 120, S.ACTION_REQUIRED),  # retry it: the sandbox then completes it
    ("390114", "323114", 15, S.UNABLE_TO_CONNECT),
    ("477560", "100560", 60, S.COMPLETED),
)


def load_noyo_sync_demo(today: dt.date) -> str:
    specialist = (get_user_model().objects.filter(groups__name=Role.SPECIALIST.group_name)
                  .order_by("pk").first())
    if specialist is None:
        return "Noyo demo: skipped (no specialist user yet)."
    created = kept = missing = 0
    submitted = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=2), dt.time(9)))
    for group_number, carrier_group_id, people, ours in DEMO_CONNECTIONS:
        group = employer_group(group_number)
        if group is None:
            missing += 1
            continue
        if GroupConnection.objects.filter(carrier_id=settings.NOYO_CARRIER_ID,
                                          carrier_group_id=carrier_group_id).exists():
            kept += 1
            continue
        with transaction.atomic():
            connection = group_connection_request(
                group=group, carrier_group_id=carrier_group_id, people=people, census_file_sent=True,
                group_number_issued=True, user=specialist, send=False,
            )
            sandbox, _ = SandboxGroupConnection.objects.get_or_create(
                carrier_id=settings.NOYO_CARRIER_ID, carrier_group_id=carrier_group_id,
                defaults={
                    "group_data": {"carrier_group_id": carrier_group_id, "group_name": group.name},
                    "created_at": submitted, "submitted_at": submitted,
                    "processing_at": submitted + dt.timedelta(seconds=2),
                    "settles_at": submitted + dt.timedelta(seconds=8),
                    "final_status": rules.sandbox_resulting_status(carrier_group_id).value,
                },
            )
            connection = record_accepted(
                connection.pk, RemoteConnection(id=str(sandbox.id), status=S.CREATED,
                                                carrier_id=sandbox.carrier_id,
                                                carrier_group_id=carrier_group_id,
                                                group_id=str(sandbox.group_id)),
                "Demo data.", None,
            )
            if ours != S.CREATED:
                record_status(connection, ours, note="Demo data.")
        created += 1
    return (f"Noyo demo: {created} connection(s) created, {kept} already there"
            + (f", {missing} skipped (EC demo group missing)." if missing else "."))
