"""The only place that speaks HTTP to Noyo: OAuth client credentials and group connections.

Follows Noyo's public fulfillment API. A token comes from the auth endpoint (client ID and
secret as HTTP Basic, ``{"grant_type": "client_credentials"}``) and is cached per process until
shortly before it expires; every call sends ``Authorization: Bearer <token>``. Errors arrive as
JSON ``{"message": ..., "status": ...}``.

Failures are sorted for the callers: ``NoyoUnavailable`` (5xx, 429, timeouts, network: try
again later, keep what we know) and ``NoyoRefused`` (any other 4xx: Noyo said no). Logs name the
method, path and status only, never a header, a body or a credential.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from supportdesk import clock

logger = logging.getLogger(__name__)

API = "/api/v1/group_connections"
# reference/noyo/noyo-authentication.yml: Noyo issues every token at its accounts host.
ACCOUNTS_TOKEN_URL = "https://accounts.noyo.com/auth/public/token"
IN_APP_SANDBOX_PATH = "/noyo/sandbox"


def token_url(base_url: str) -> str:
    """NOYO_TOKEN_URL when set; else the in-app sandbox's own endpoint for a base URL on it
    (it issues its tokens under its own address), and Noyo's accounts host for the real Noyo."""
    if configured := getattr(settings, "NOYO_TOKEN_URL", ""):
        return configured
    base_url = base_url.rstrip("/")
    if base_url.endswith(IN_APP_SANDBOX_PATH):
        return f"{base_url}/auth/public/token"
    return ACCOUNTS_TOKEN_URL
DEFAULT_TIMEOUT_S = 10.0
TOKEN_MARGIN_S = 60.0  # refresh this long before the token expires (less for short tokens)
MAX_RETRY_AFTER_S = 300.0


class NoyoError(Exception):
    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class NoyoUnavailable(NoyoError):
    """Noyo could not answer now (5xx, 429, timeout, network). Worth trying again later."""

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class NoyoRefused(NoyoError):
    """Noyo answered and said no (a 4xx other than 429)."""


class NoyoConflict(NoyoRefused):
    """409: the connection exists already (unique by carrier ID and carrier group ID)."""


@dataclass(frozen=True)
class RemoteConnection:
    id: str
    status: str
    carrier_id: str
    carrier_group_id: str
    group_id: str = ""
    created: int = 0
    modified: int = 0
    group_name: str = ""
    federal_ein: str = ""
    version: str = ""

    @classmethod
    def from_json(cls, data: Any) -> RemoteConnection:
        if not isinstance(data, dict) or not data.get("id") or not data.get("status"):
            raise NoyoError("Noyo sent a group connection without an id or a status.")
        group_data = data.get("group_data") or {}
        return cls(
            id=str(data["id"]),
            status=str(data["status"]),
            carrier_id=str(data.get("carrier_id", "")),
            carrier_group_id=str(group_data.get("carrier_group_id", "")),
            group_id=str(data.get("group_id") or ""),
            created=int(data.get("created") or 0),
            modified=int(data.get("modified") or 0),
            group_name=str(group_data.get("group_name") or ""),
            federal_ein=str(data.get("federal_ein") or ""),
            version=str(data.get("version") or ""),
        )


@dataclass(frozen=True)
class Page:
    connections: list[RemoteConnection]
    offset: int
    page_size: int
    total: int | None  # the spec's meta requires offset, page_num and page_size only

    @property
    def next_offset(self) -> int | None:
        """The next page's offset. Without total_records, a full page means there may be more."""
        following = self.offset + len(self.connections)
        if not self.connections:
            return None
        if self.total is None:
            return following if len(self.connections) >= self.page_size else None
        return following if following < self.total else None


# Tokens are shared by every transport in the process: (token URL, client ID) → (token, expiry
# on the monotonic clock). A lock keeps two threads from fetching at once.
_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    with _tokens_lock:
        _tokens.clear()


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER_S)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a UTC time of unknown origin (RFC 5322)
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, min((when - clock.now()).total_seconds(), MAX_RETRY_AFTER_S))


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, dict) else None
    text = str(message) if message else response.reason_phrase or "no message"
    return f"Noyo answered HTTP {response.status_code}: {text[:300]}"


class NoyoTransport:
    def __init__(self, *, base_url: str, token_url: str, client_id: str, client_secret: str,
                 timeout: float = DEFAULT_TIMEOUT_S,
                 http_transport: httpx.BaseTransport | None = None,
                 event_hooks: dict[str, list[Any]] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token_url = token_url
        self.timeout = timeout
        self._client_id = client_id
        self._client_secret = client_secret
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            headers={"Accept": "application/json", "User-Agent": "SupportDesk noyo_sync"},
            transport=http_transport,
            event_hooks=event_hooks,  # the suite's contract recorder
        )

    @classmethod
    def from_settings(cls, **overrides: Any) -> NoyoTransport:
        base_url = settings.NOYO_BASE_URL.rstrip("/")
        options: dict[str, Any] = {
            "base_url": base_url,
            # Real Noyo issues tokens from another host (accounts.noyo.com/auth/public/token);
            # the in-app sandbox under its own base URL. settings.NOYO_TOKEN_URL says which.
            "client_id": settings.NOYO_CLIENT_ID,
            "client_secret": settings.NOYO_CLIENT_SECRET,
            "timeout": float(getattr(settings, "NOYO_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_S)),
        }
        options.update(overrides)
        options.setdefault("token_url", token_url(options["base_url"]))
        return cls(**options)

    def __repr__(self) -> str:  # never the secret
        return f"<NoyoTransport {self.base_url} client={self._client_id[:4]}…>"

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> NoyoTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- Group connections --------------------------------------------------------------------

    def create_group_connection(self, *, carrier_id: str, group_data: dict[str, str],
                                federal_ein: str = "") -> RemoteConnection:
        """POST a new group's connection. The spec puts federal_ein at the top level of the
        body, beside carrier_id; group_data holds the carrier-specific fields."""
        body: dict[str, Any] = {"carrier_id": carrier_id, "group_data": group_data}
        if federal_ein:
            body["federal_ein"] = federal_ein
        return RemoteConnection.from_json(self._call("POST", API, json=body))

    def list_group_connections(self, *, carrier_id: str | None = None, statuses: tuple[str, ...] = (),
                               carrier_group_id: str | None = None, offset: int = 0,
                               page_size: int = 100) -> Page:
        params: dict[str, str | int] = {"offset": offset, "page_size": page_size}
        if carrier_id:
            params["carrier_id"] = carrier_id
        if statuses:
            params["status"] = ",".join(statuses)
        if carrier_group_id:
            params["carrier_group_id"] = carrier_group_id
        body = self._call("GET", API, params=params)
        if not isinstance(body, dict) or not isinstance(body.get("response"), list):
            raise NoyoError("Noyo sent a list without a response array.")
        meta = body.get("meta") or {}
        return Page(
            connections=[RemoteConnection.from_json(item) for item in body["response"]],
            offset=int(meta.get("offset", offset)),
            page_size=int(meta.get("page_size", page_size)),
            total=int(meta["total_records"]) if meta.get("total_records") is not None else None,
        )

    def get_group_connection(self, connection_id: str) -> RemoteConnection:
        return RemoteConnection.from_json(self._call("GET", f"{API}/{quote(connection_id, safe='')}"))

    def retry_group_connection(self, connection_id: str, *,
                               carrier_group_id: str | None = None) -> RemoteConnection:
        body = {"carrier_group_id": carrier_group_id} if carrier_group_id else {}
        path = f"{API}/{quote(connection_id, safe='')}/retry"
        return RemoteConnection.from_json(self._call("PUT", path, json=body))

    # --- HTTP ---------------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        for attempt in (1, 2):
            token = self._token()
            response = self._send(method, f"{self.base_url}{path}", path,
                                  headers={"Authorization": f"Bearer {token}"}, **kwargs)
            if response.status_code == 401 and attempt == 1:
                self._forget_token()  # expired or revoked early: fetch a new one, once
                continue
            return self._json(response)
        raise AssertionError("unreachable")

    def _send(self, method: str, url: str, path: str, **kwargs: Any) -> httpx.Response:
        started = time.monotonic()
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as error:
            logger.warning("Noyo %s %s: no answer within %.1f s", method, path, self.timeout)
            raise NoyoUnavailable(f"Noyo did not answer within {self.timeout:g} seconds.") from error
        except httpx.TransportError as error:
            logger.warning("Noyo %s %s: %s", method, path, type(error).__name__)
            raise NoyoUnavailable(f"Noyo could not be reached ({type(error).__name__}).") from error
        logger.debug("Noyo %s %s → %s in %.0f ms", method, path, response.status_code,
                    (time.monotonic() - started) * 1000)
        return response

    def _json(self, response: httpx.Response) -> Any:
        status = response.status_code
        if 200 <= status < 300:
            try:
                return response.json()
            except ValueError as error:
                raise NoyoUnavailable("Noyo sent a response that is not JSON.", status=status) from error
        message = _error_message(response)
        if status == 429 or status >= 500:
            raise NoyoUnavailable(message, status=status, retry_after=_retry_after(response))
        if status == 409:
            raise NoyoConflict(message, status=status)
        raise NoyoRefused(message, status=status)

    def _token_key(self) -> tuple[str, str]:
        return (self.token_url, self._client_id)

    def _forget_token(self) -> None:
        with _tokens_lock:
            _tokens.pop(self._token_key(), None)

    def _token(self) -> str:
        with _tokens_lock:
            cached = _tokens.get(self._token_key())
            if cached and cached[1] > time.monotonic():
                return cached[0]
            response = self._send(
                "POST", self.token_url, "(token)", json={"grant_type": "client_credentials"},
                auth=(self._client_id, self._client_secret),
            )
            if response.status_code in (400, 401, 403):
                raise NoyoRefused(
                    f"Noyo refused our client credentials (HTTP {response.status_code}): check "
                    "NOYO_CLIENT_ID and NOYO_CLIENT_SECRET.", status=response.status_code,
                )
            body = self._json(response)
            token = body.get("access_token") if isinstance(body, dict) else None
            if not token:
                raise NoyoUnavailable("Noyo's auth endpoint sent no access token.")
            # Noyo documents expires_in in milliseconds.
            lifetime = float(body.get("expires_in") or 600_000) / 1000
            _tokens[self._token_key()] = (
                str(token), time.monotonic() + lifetime - min(TOKEN_MARGIN_S, lifetime / 10)
            )
            return str(token)
