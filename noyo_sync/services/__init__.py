"""The only write path for noyo_sync: keyword-only functions, one transaction per write, each
appending the history row for what it did."""

from .connections import (
    ConnectionRefused,
    connection_problems,
    group_connection_cancel,
    group_connection_refresh,
    group_connection_request,
    group_connection_retry,
    group_connection_send,
    record_accepted,
    record_status,
)
from .polling import noyo_health, poll_group_connections

__all__ = [
    "ConnectionRefused", "connection_problems", "group_connection_cancel", "group_connection_refresh",
    "group_connection_request", "group_connection_retry", "group_connection_send",
    "noyo_health", "poll_group_connections", "record_accepted", "record_status",
]
