"""What the sandbox accepts: the create and retry bodies and the list's query, read as Noyo's
OpenAPI (noyo_sync/contract/group_connections.openapi.json) describes them, then narrowed where
Humana's documentation (seed 004) narrows them.

Each reader returns plain values or raises ``Refusal`` with the status and message the sandbox
answers with. Checks run in this order: the body's shape against the spec (422), the carrier it
names (404: the referenced resource does not exist), then Humana's own rules (422), so a
6-digit refusal always comes from the carrier the seed describes.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .. import rules

# The spec's schemas, by property name.
CREATE_FIELDS = frozenset({"carrier_id", "group_data", "federal_ein", "data_exchange_configuration",
                           "ignore_eligibility"})
GROUP_DATA_FIELDS = frozenset({"carrier_group_id", "group_name", "broker_federal_ein", "broker_tin",
                               "employer_email_address"})
RETRY_FIELDS = frozenset({"carrier_group_id", "broker_federal_ein", "broker_tin",
                          "employer_email_address", "federal_ein"})
DATA_EXCHANGE_CONFIGURATIONS = ("api", "edi")

# The sandbox's own limits, where the spec sets none: a name fits on a page, an address in the
# RFC's 254 characters.
GROUP_NAME_MAX = 200
EIN_RE = re.compile(r"^[0-9]{9}$")
# "Format can be either an EIN or SSN": 9 digits, bare or written 12-3456789 / 123-45-6789.
TIN_RE = re.compile(r"^(?:[0-9]{9}|[0-9]{2}-[0-9]{7}|[0-9]{3}-[0-9]{2}-[0-9]{4})$")

SORT_FIELDS = {"created": "created_at", "modified": "current_modified", "status": "current_status",
               "carrier_group_id": "carrier_group_id"}
SORT_DIRECTIONS = ("asc", "desc")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 1000
MAX_OFFSET = 10**9


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _has_nul(value: Any) -> bool:
    """PostgreSQL cannot store a NUL character in text or JSON: refuse it rather than fail."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise Refusal(400, f"The request body must be a JSON object ({what}).")
    if _has_nul(body):
        raise Refusal(422, "The request body must not contain NUL characters.")
    return body


def _refuse_unknown(body: Mapping[str, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(set(body) - known)
    if unknown:
        raise Refusal(422, f"{where} has unknown fields: {', '.join(unknown)}.")


def parse_uuid(value: Any) -> str | None:
    """The canonical form of a UUID string, or None."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _optional_text(body: Mapping[str, Any], name: str, where: str, pattern: re.Pattern[str],
                   rule: str) -> None:
    if name in body:
        value = body[name]
        if not (isinstance(value, str) and pattern.fullmatch(value)):
            raise Refusal(422, f"{where}{name} must be {rule}.")


def _check_party_fields(body: Mapping[str, Any], where: str) -> None:
    """broker_federal_ein, broker_tin, employer_email_address, federal_ein: each optional."""
    _optional_text(body, "broker_federal_ein", where, EIN_RE, "9 digits")
    _optional_text(body, "federal_ein", where, EIN_RE, "9 digits")
    _optional_text(body, "broker_tin", where, TIN_RE,
                   "an EIN or an SSN: 9 digits, or written 12-3456789 or 123-45-6789")
    if "employer_email_address" in body:
        value = body["employer_email_address"]
        try:
            if not isinstance(value, str):
                raise ValidationError("not a string")
            validate_email(value)
        except ValidationError:
            raise Refusal(422, f"{where}employer_email_address must be an email address.") from None


def _carrier_group_id_shape(value: Any, where: str) -> None:
    # The spec: a string of at least one character. Humana's 6 digits come later (humana_rules).
    if not (isinstance(value, str) and value):
        raise Refusal(422, f"{where}carrier_group_id is required: a non-empty string (for Humana, "
                           "a 6-digit string).")


def _humana_carrier_group_id(value: str, where: str) -> None:
    if problem := rules.carrier_group_id_problem(value):
        raise Refusal(422, f"{where}carrier_group_id: {problem}")


@dataclass(frozen=True)
class CreateRequest:
    carrier_id: str
    group_data: dict[str, str]
    federal_ein: str = ""
    data_exchange_configuration: str = ""
    ignore_eligibility: bool | None = None

    @property
    def carrier_group_id(self) -> str:
        return self.group_data["carrier_group_id"]


def read_create(body: Any, *, known_carriers: frozenset[str]) -> CreateRequest:
    """The create body (GroupSetupRequestPublicAPICreateRequest), for one of ``known_carriers``.

    The spec's own example body is taken as far as the spec goes; its carrier_group_id
    "10000000" is then refused by Humana's rule (seed 004: "The format expected is a 6-digit
    string"). We keep that refusal: the carrier of the example is the sandbox's Humana, and the
    6-digit rule is Humana's, so a real Humana connection would be refused the same way."""
    body = _object(body, "a group connection to create")
    _refuse_unknown(body, CREATE_FIELDS, "The request body")
    if "carrier_id" not in body or "group_data" not in body:
        raise Refusal(422, "carrier_id and group_data are required.")
    carrier_id = parse_uuid(body["carrier_id"])
    if carrier_id is None:
        raise Refusal(422, f"carrier_id: unknown carrier {body['carrier_id']!r}: Noyo's carrier IDs "
                           "are UUIDs.")
    group_data = body["group_data"]
    if not isinstance(group_data, dict):
        raise Refusal(422, "group_data must be an object.")
    _refuse_unknown(group_data, GROUP_DATA_FIELDS, "group_data")
    _carrier_group_id_shape(group_data.get("carrier_group_id"), "group_data.")
    name = group_data.get("group_name")
    if not (isinstance(name, str) and name.strip() and len(name) <= GROUP_NAME_MAX):
        raise Refusal(422, f"group_data.group_name is required (1 to {GROUP_NAME_MAX} characters).")
    _check_party_fields(group_data, "group_data.")
    _optional_text(body, "federal_ein", "", EIN_RE, "9 digits")
    configuration = body.get("data_exchange_configuration", "")
    if "data_exchange_configuration" in body and configuration not in DATA_EXCHANGE_CONFIGURATIONS:
        raise Refusal(422, "data_exchange_configuration must be one of: "
                           f"{', '.join(DATA_EXCHANGE_CONFIGURATIONS)}.")
    ignore = body.get("ignore_eligibility")
    if "ignore_eligibility" in body and not isinstance(ignore, bool):
        raise Refusal(422, "ignore_eligibility must be true or false.")

    if carrier_id not in known_carriers:
        raise Refusal(404, f"carrier_id: unknown carrier {carrier_id}: no such carrier exists.")
    _humana_carrier_group_id(group_data["carrier_group_id"], "group_data.")
    return CreateRequest(carrier_id=carrier_id, group_data=dict(group_data),
                         federal_ein=body.get("federal_ein", ""),
                         data_exchange_configuration=configuration, ignore_eligibility=ignore)


def read_retry(body: Any) -> dict[str, str]:
    """The retry body (GroupSetupRequestPublicAPIRetryRequest): every field optional; a new
    carrier_group_id still follows Humana's 6-digit rule."""
    body = _object(body, "what to change for the retry")
    _refuse_unknown(body, RETRY_FIELDS, "The request body")
    if "carrier_group_id" in body:
        _carrier_group_id_shape(body["carrier_group_id"], "")
    _check_party_fields(body, "")
    if "carrier_group_id" in body:
        _humana_carrier_group_id(body["carrier_group_id"], "")
    return dict(body)


@dataclass(frozen=True)
class ListQuery:
    offset: int = 0
    page_size: int = DEFAULT_PAGE_SIZE
    order_by: tuple[str, ...] = ("created_at", "id")
    ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    carrier_ids: tuple[str, ...] = ()
    carrier_group_id: str | None = None
    organization_id: str | None = None
    nothing_matches: bool = False


def _int(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit() and low <= int(raw) <= high):
        raise Refusal(400, f"{name} must be a whole number from {low} to {high}, not {raw!r}.")
    return int(raw)


def _csv(query: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in query.get(name, "").split(",") if part.strip()]


def _uuids(query: Mapping[str, str], name: str) -> tuple[str, ...]:
    values = _csv(query, name)
    parsed = [parse_uuid(value) for value in values]
    if None in parsed:
        raise Refusal(400, f"{name} must be a comma-separated list of UUIDs.")
    return tuple(p for p in parsed if p)


def read_list_query(query: Mapping[str, str], *, organization_id: str) -> ListQuery:
    """The list's query parameters (getGroupConnectionRequestList)."""
    if any("\x00" in key or "\x00" in value for key, value in query.items()):
        raise Refusal(400, "Query parameters must not contain NUL characters.")
    offset = _int(query, "offset", 0, 0, MAX_OFFSET)
    page_size = _int(query, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)

    sort_by = query.get("sort_by") or "created"
    if sort_by not in SORT_FIELDS:
        raise Refusal(400, f"sort_by must be one of: {', '.join(SORT_FIELDS)}; not {sort_by!r}.")
    direction = (query.get("sort_direction") or "asc").lower()
    if direction not in SORT_DIRECTIONS:
        raise Refusal(400, f"sort_direction must be asc or desc, not {query['sort_direction']!r}.")
    sign = "-" if direction == "desc" else ""
    # created then id break ties, in the same direction, so that pages never overlap.
    order_by = tuple(dict.fromkeys(f"{sign}{column}" for column in (SORT_FIELDS[sort_by], "created_at", "id")))

    statuses = _csv(query, "status")
    known = [rules.noyo_status(status) for status in statuses]
    if None in known:
        raise Refusal(400, f"Unknown status in {query['status']!r}: use "
                           f"{', '.join(s.value for s in rules.ConnectionStatus if s not in rules.OURS)}.")
    carrier_ids = _uuids(query, "carrier_id")
    carrier_group_id = query.get("carrier_group_id") or None
    if carrier_group_id is not None and len(carrier_ids) != 1:
        raise Refusal(400, "carrier_group_id must be used with a single carrier_id.")
    organization = query.get("organization_id") or None
    if organization is not None and parse_uuid(organization) is None:
        raise Refusal(400, "organization_id must be a UUID.")
    return ListQuery(
        offset=offset, page_size=page_size, order_by=order_by, ids=_uuids(query, "id"),
        statuses=tuple(s.value for s in known if s), carrier_ids=carrier_ids,
        carrier_group_id=carrier_group_id, organization_id=organization,
        # Every sandbox connection belongs to the one organization, and none waits on a
        # mapping action: another organization, or any requires_mapping_action_from, finds none.
        nothing_matches=(organization is not None and parse_uuid(organization) != organization_id)
        or bool(query.get("requires_mapping_action_from")),
    )
