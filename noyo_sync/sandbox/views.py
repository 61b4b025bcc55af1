"""The sandbox's endpoints: token, create, list, get, retry, in Noyo's shapes.

These views are machine-to-machine, so they are exempt from the house rule that every view states
a role with @role_required: they are marked @login_not_required (no Django session) and instead
ask for the Bearer token the sandbox's own auth endpoint issued to the configured client ID and
secret. They are switched off (404) where NOYO_SANDBOX_ENABLED is false (by default: production).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from supportdesk import clock

from .. import rules
from ..models import SandboxAccessToken, SandboxFault, SandboxGroupConnection

TOKEN_LIFETIME = dt.timedelta(minutes=10)  # Noyo: "a short-lived access token (valid for ~10 minutes)"
ORGANIZATION_ID = "00000000-0000-4000-8000-00000000beef"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000
GROUP_DATA_FIELDS = {"carrier_group_id", "group_name", "federal_ein", "broker_federal_ein"}

View = Callable[..., HttpResponse]


def _error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"message": message, "status": status}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def sandbox_enabled() -> bool:
    return bool(getattr(settings, "NOYO_SANDBOX_ENABLED", not getattr(settings, "PRODUCTION", False)))


def settle_seconds() -> float:
    """How long a sandbox connection takes to reach its resulting status: at most the seed's
    10 seconds ("within 10 seconds of submission")."""
    wanted = float(getattr(settings, "NOYO_SANDBOX_SETTLE_SECONDS", 8))
    return max(0.0, min(wanted, rules.SANDBOX_SETTLE_LIMIT_SECONDS))


def _take_fault() -> SandboxFault | None:
    with transaction.atomic():
        fault = SandboxFault.objects.select_for_update().first()
        if fault is None:
            return None
        if fault.after:
            SandboxFault.objects.filter(pk=fault.pk).update(after=fault.after - 1)
            return None
        if fault.remaining is not None:
            if fault.remaining <= 1:
                SandboxFault.objects.filter(pk=fault.pk).delete()
            else:
                SandboxFault.objects.filter(pk=fault.pk).update(remaining=fault.remaining - 1)
        return fault


def _fault_response(fault: SandboxFault) -> HttpResponse:
    if fault.kind == SandboxFault.Kind.TIMEOUT:
        connection.close()  # hold no database connection while pretending to be slow
        time.sleep(fault.delay_seconds)
        return _error(504, "The sandbox was told to answer too late.")
    if fault.kind in (SandboxFault.Kind.HTTP_503, SandboxFault.Kind.HTTP_429):
        message = "Service unavailable" if fault.kind == SandboxFault.Kind.HTTP_503 else "Too many requests"
        return _error(int(fault.kind), message, Retry_After=str(fault.retry_after))
    return _error(500, "Internal server error")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _bearer_problem(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return "Missing credentials: send Authorization: Bearer <token>."
    token = SandboxAccessToken.objects.filter(token_hash=_hash(header[7:].strip())).first()
    if token is None:
        return "Malformed or unknown token."
    if token.expires_at <= clock.now():
        return "Expired token."
    return None


def sandbox_endpoint(*methods: str, authenticated: bool = True) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_not_required
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not sandbox_enabled():
                return _error(404, "The local Noyo sandbox is switched off here.")
            if request.method not in methods:
                return _error(405, f"Use {' or '.join(methods)}.", Allow=", ".join(methods))
            fault = _take_fault()
            if fault is not None:
                return _fault_response(fault)
            if authenticated and (problem := _bearer_problem(request)):
                return _error(401, problem)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


@sandbox_endpoint("POST", authenticated=False)
def token(request: HttpRequest) -> HttpResponse:
    """Client credentials: the client ID and secret as HTTP Basic, grant_type in the body."""
    try:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        client_id, _, secret = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        scheme = ""
    body = _json_body(request)
    if scheme != "Basic" or not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
        return _error(400, "Send the client ID and secret as HTTP Basic and "
                           '{"grant_type": "client_credentials"}.')
    known = hmac.compare_digest(client_id.encode(), settings.NOYO_CLIENT_ID.encode())
    if not (hmac.compare_digest(secret.encode(), settings.NOYO_CLIENT_SECRET.encode()) and known):
        return _error(401, "Invalid client credentials.")
    now = clock.now()
    SandboxAccessToken.objects.filter(expires_at__lt=now - TOKEN_LIFETIME).delete()
    issued = secrets.token_urlsafe(32)
    SandboxAccessToken.objects.create(token_hash=_hash(issued), client_id=client_id,
                                      expires_at=now + TOKEN_LIFETIME)
    return JsonResponse({
        "access_token": issued,
        "expires_in": int(TOKEN_LIFETIME.total_seconds() * 1000),  # Noyo counts milliseconds
        "token_type": "Bearer",
    })


def _serialize(row: SandboxGroupConnection, now: dt.datetime) -> dict[str, Any]:
    status = getattr(row, "current_status", None) or "created"
    passed = [when for when in (row.processing_at, row.settles_at) if when <= now]
    modified = max([row.submitted_at, *passed])
    return {
        "id": str(row.id),
        "carrier_id": row.carrier_id,
        "created": int(row.created_at.timestamp()),
        "modified": int(modified.timestamp()),
        "group_data": row.group_data,
        "group_id": str(row.group_id),
        "organization_id": ORGANIZATION_ID,
        "request_type": "incremental",
        "status": status,
        "version": str(row.version),
    }


def _schedule(row: SandboxGroupConnection, now: dt.datetime) -> None:
    settle = settle_seconds()
    row.submitted_at = now
    row.processing_at = now + dt.timedelta(seconds=settle / 4)
    row.settles_at = now + dt.timedelta(seconds=settle)


def _group_data_problem(group_data: Any) -> str | None:
    if not isinstance(group_data, dict):
        return "group_data must be an object."
    unknown = sorted(set(group_data) - GROUP_DATA_FIELDS)
    if unknown:
        return f"group_data has unknown fields: {', '.join(unknown)}."
    if problem := rules.carrier_group_id_problem(group_data.get("carrier_group_id")):
        return f"group_data.carrier_group_id: {problem}"
    name = group_data.get("group_name")
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return "group_data.group_name is required (1 to 200 characters)."
    for ein in ("federal_ein", "broker_federal_ein"):
        value = group_data.get(ein)
        if value is not None and not (isinstance(value, str) and value.isdigit() and len(value) == 9):
            return f"group_data.{ein} must be 9 digits."
    return None


def _create(request: HttpRequest) -> HttpResponse:
    body = _json_body(request)
    if not isinstance(body, dict):
        return _error(400, "The request body must be a JSON object.")
    carrier_id = body.get("carrier_id")
    if carrier_id != settings.NOYO_CARRIER_ID:
        return _error(422, f"carrier_id: unknown carrier {carrier_id!r}.")
    group_data = body.get("group_data")
    if problem := _group_data_problem(group_data):
        return _error(422, problem)
    now = clock.now()
    row = SandboxGroupConnection(
        carrier_id=carrier_id, carrier_group_id=group_data["carrier_group_id"],
        group_data=group_data, created_at=now,
        final_status=rules.sandbox_resulting_status(group_data["carrier_group_id"]).value,
    )
    _schedule(row, now)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return _error(409, "A group connection already exists for this carrier_id and "
                           f"carrier_group_id {group_data['carrier_group_id']}.")
    row.current_status = "created"  # type: ignore[attr-defined]
    return JsonResponse(_serialize(row, now), status=201)


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    return int(raw) if raw.isdigit() and low <= int(raw) <= high else None


def _list(request: HttpRequest) -> HttpResponse:
    offset = _int_param(request, "offset", 0, 0, 10**9)
    page_size = _int_param(request, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    if offset is None or page_size is None:
        return _error(400, f"offset must be 0 or more; page_size 1 to {MAX_PAGE_SIZE}.")
    now = clock.now()
    rows = SandboxGroupConnection.objects.with_status(now)
    carrier_ids = [c for c in request.GET.get("carrier_id", "").split(",") if c]
    if carrier_ids:
        rows = rows.filter(carrier_id__in=carrier_ids)
    if carrier_group_id := request.GET.get("carrier_group_id"):
        if len(carrier_ids) != 1:
            return _error(400, "carrier_group_id must be used with a single carrier_id.")
        rows = rows.filter(carrier_group_id=carrier_group_id)
    if statuses := [s for s in request.GET.get("status", "").split(",") if s]:
        known = {rules.noyo_status(s) for s in statuses}
        if None in known:
            return _error(400, f"Unknown status in {request.GET['status']!r}.")
        rows = rows.filter(current_status__in=[s.value for s in known if s])
    if ids := [i for i in request.GET.get("id", "").split(",") if i]:
        try:
            rows = rows.filter(id__in=[uuid.UUID(i) for i in ids])
        except ValueError:
            return _error(400, "id must be a comma-separated list of UUIDs.")
    total = rows.count()
    page = list(rows.order_by("created_at", "id")[offset: offset + page_size])
    return JsonResponse({
        "meta": {"offset": offset, "page_num": offset // page_size + 1, "page_size": page_size,
                 "total_records": total},
        "response": [_serialize(row, now) for row in page],
    })


@sandbox_endpoint("GET", "POST")
def connections(request: HttpRequest) -> HttpResponse:
    return _create(request) if request.method == "POST" else _list(request)


def _find(connection_id: str, now: dt.datetime) -> SandboxGroupConnection | None:
    try:
        key = uuid.UUID(connection_id)
    except ValueError:
        return None
    return SandboxGroupConnection.objects.with_status(now).filter(id=key).first()


@sandbox_endpoint("GET")
def connection_detail(request: HttpRequest, connection_id: str) -> HttpResponse:
    now = clock.now()
    row = _find(connection_id, now)
    if row is None:
        return _error(404, "Group connection not found.")
    return JsonResponse(_serialize(row, now))


@sandbox_endpoint("PUT")
def connection_retry(request: HttpRequest, connection_id: str) -> HttpResponse:
    """Retry a connection that needs it. The seed says nothing of retries; the sandbox lets a
    retried connection go through processing again and complete."""
    body = _json_body(request)
    if not isinstance(body, dict):
        return _error(400, "The request body must be a JSON object.")
    now = clock.now()
    with transaction.atomic():
        row = _find(connection_id, now)
        if row is None:
            return _error(404, "Group connection not found.")
        if not rules.retry_allowed(row.current_status):  # type: ignore[attr-defined]
            return _error(422, "Only a group connection that is action_required or "
                               f"unable_to_connect can be retried; this one is {row.current_status}.")  # type: ignore[attr-defined]
        if "carrier_group_id" in body:
            if problem := rules.carrier_group_id_problem(body["carrier_group_id"]):
                return _error(422, f"carrier_group_id: {problem}")
            row.carrier_group_id = body["carrier_group_id"]
            row.group_data = {**row.group_data, "carrier_group_id": body["carrier_group_id"]}
        _schedule(row, now)
        row.final_status = rules.ConnectionStatus.COMPLETED.value
        row.retries += 1
        row.version = uuid.uuid4()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return _error(409, "A group connection already exists for this carrier_id and carrier_group_id.")
    row.current_status = "created"  # type: ignore[attr-defined]
    return JsonResponse(_serialize(row, now))
