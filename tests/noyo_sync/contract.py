"""Noyo's published spec as the suite's contract: every request our client sends and every answer
it gets (from the in-app sandbox, or a test's stub) is validated against the vendored OpenAPI
(noyo_sync/contract/group_connections.openapi.json) with openapi-core.

``recording()`` gives httpx event hooks that keep each exchange; ``check(exchange)`` raises the
spec's complaint about one. The token endpoint is not in the Fulfillment spec (Noyo documents it
apart, reference/noyo-authentication.yml), so exchanges with it are checked by its own tests.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[2] / "noyo_sync" / "contract" / "group_connections.openapi.json"
API_PREFIX = "/api/v1/group_connections"


@cache
def spec() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


@dataclass
class _Request:
    """An httpx request as openapi-core reads one, at the spec's own server."""

    request: httpx.Request
    # openapi-core writes the path's variables into it: one object for the whole validation.
    parameters: RequestParameters = field(init=False)

    def __post_init__(self) -> None:
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(self.request.url.params.multi_items())),
            header=Headers(list(self.request.headers.items())),
        )

    @property
    def host_url(self) -> str:
        return "https://fulfillment.noyo.com"

    @property
    def path(self) -> str:
        path = urlsplit(str(self.request.url)).path
        return path[path.index(API_PREFIX):]

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "application/json").split(";")[0]

    @property
    def body(self) -> bytes | None:
        return self.request.content or None


@dataclass
class _Response:
    response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def content_type(self) -> str:
        return self.response.headers.get("content-type", "application/json").split(";")[0]

    @property
    def headers(self) -> Headers:
        return Headers(list(self.response.headers.items()))

    @property
    def data(self) -> bytes:
        return self.response.content


def is_api(request: httpx.Request) -> bool:
    return API_PREFIX in urlsplit(str(request.url)).path


def check_request(request: httpx.Request) -> None:
    spec().validate_request(_Request(request))


def check_response(request: httpx.Request, response: httpx.Response) -> None:
    """A 2xx answer must match its operation's schema; errors follow Noyo's error body."""
    if response.status_code < 300:
        spec().validate_response(_Request(request), _Response(response))
        return
    body = json.loads(response.content or b"{}")
    assert isinstance(body.get("message"), str) and body.get("status") == response.status_code, body


@dataclass
class Recorder:
    """httpx event hooks that keep every exchange with the group-connection API."""

    exchanges: list[tuple[httpx.Request, httpx.Response]] = field(default_factory=list)

    def hooks(self) -> dict[str, list]:
        return {"response": [self._keep]}

    def _keep(self, response: httpx.Response) -> None:
        if is_api(response.request):
            response.read()
            self.exchanges.append((response.request, response))

    def check_all(self) -> int:
        """Validate every exchange kept; the number checked (a test asserts it is not 0)."""
        for request, response in self.exchanges:
            check_request(request)
            check_response(request, response)
        return len(self.exchanges)
