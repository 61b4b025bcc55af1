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
from . import payloads, results

TOKEN_LIFETIME = dt.timedelta(minutes=10)  # Noyo: "a short-lived access token (valid for ~10 minutes)"

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


def _schedule(row: SandboxGroupConnection, now: dt.datetime, *, processing: bool = False) -> None:
    """Created now, processing a quarter of the way (at once for a retry: Noyo answers a retry
    with processing), settled within the seed's 10 seconds."""
    settle = settle_seconds()
    row.submitted_at = now
    row.processing_at = now if processing else now + dt.timedelta(seconds=settle / 4)
    row.settles_at = now + dt.timedelta(seconds=settle)


def _known_carriers() -> frozenset[str]:
    """The sandbox knows one carrier, its Humana: the configured NOYO_CARRIER_ID."""
    return frozenset({str(settings.NOYO_CARRIER_ID).lower()})


def _conflict(carrier_group_id: str) -> JsonResponse:
    return _error(409, "A group connection already exists for this carrier_id and "
                       f"carrier_group_id {carrier_group_id}.")


def _create(request: HttpRequest) -> HttpResponse:
    try:
        wanted = payloads.read_create(_json_body(request), known_carriers=_known_carriers())
    except payloads.Refusal as refusal:
        return _error(refusal.status, refusal.message)
    now = clock.now()
    row = SandboxGroupConnection(
        carrier_id=wanted.carrier_id, carrier_group_id=wanted.carrier_group_id,
        group_data=wanted.group_data, created_at=now, federal_ein=wanted.federal_ein,
        data_exchange_configuration=wanted.data_exchange_configuration,
        ignore_eligibility=wanted.ignore_eligibility,
        final_status=rules.sandbox_resulting_status(wanted.carrier_group_id).value,
    )
    _schedule(row, now)
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return _conflict(wanted.carrier_group_id)
    return JsonResponse(results.serialize(row, now), status=201)


def _list(request: HttpRequest) -> HttpResponse:
    try:
        query = payloads.read_list_query(request.GET.dict(), organization_id=results.ORGANIZATION_ID)
    except payloads.Refusal as refusal:
        return _error(refusal.status, refusal.message)
    now = clock.now()
    rows = SandboxGroupConnection.objects.with_status(now)
    if query.nothing_matches:
        rows = rows.none()
    if query.carrier_ids:
        rows = rows.filter(carrier_id__in=query.carrier_ids)
    if query.carrier_group_id is not None:
        rows = rows.filter(carrier_group_id=query.carrier_group_id)
    if query.statuses:
        rows = rows.filter(current_status__in=query.statuses)
    if query.ids:
        rows = rows.filter(id__in=query.ids)
    total = rows.count()
    page = list(rows.order_by(*query.order_by)[query.offset: query.offset + query.page_size])
    return JsonResponse({
        "meta": {"offset": query.offset, "page_num": query.offset // query.page_size + 1,
                 "page_size": query.page_size, "total_records": total},
        "response": [results.serialize(row, now) for row in page],
    })


@sandbox_endpoint("GET", "POST")
def connections(request: HttpRequest) -> HttpResponse:
    return _create(request) if request.method == "POST" else _list(request)


def _find(connection_id: str, now: dt.datetime, *, for_update: bool = False) -> SandboxGroupConnection | None:
    key = payloads.parse_uuid(connection_id)
    if key is None:
        return None
    rows = SandboxGroupConnection.objects.with_status(now).filter(id=key)
    return (rows.select_for_update() if for_update else rows).first()


@sandbox_endpoint("GET")
def connection_detail(request: HttpRequest, connection_id: str) -> HttpResponse:
    now = clock.now()
    row = _find(connection_id, now)
    if row is None:
        return _error(404, "Group connection not found.")
    return JsonResponse(results.serialize(row, now))


@sandbox_endpoint("PUT")
def connection_retry(request: HttpRequest, connection_id: str) -> HttpResponse:
    """Retry a connection that needs it, with what the body changes (a new carrier_group_id, an
    EIN). The seed says nothing of retries; the sandbox answers as Noyo's example does (201,
    processing) and lets the retried connection complete (rules.sandbox_resulting_status)."""
    try:
        changes = payloads.read_retry(_json_body(request))
    except payloads.Refusal as refusal:
        return _error(refusal.status, refusal.message)
    now = clock.now()
    with transaction.atomic():
        row = _find(connection_id, now, for_update=True)
        if row is None:
            return _error(404, "Group connection not found.")
        status = results.current_status(row, now)
        if not rules.retry_allowed(status):
            return _error(422, "Only a group connection that is action_required or "
                               f"unable_to_connect can be retried; this one is {status}.")
        if "federal_ein" in changes:
            row.federal_ein = changes.pop("federal_ein")
        row.group_data = {**row.group_data, **changes}
        row.carrier_group_id = row.group_data["carrier_group_id"]
        _schedule(row, now, processing=True)
        row.final_status = rules.ConnectionStatus.COMPLETED.value
        row.retries += 1
        row.version = uuid.uuid4()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return _conflict(row.carrier_group_id)
    return JsonResponse(results.serialize(row, now), status=201)
