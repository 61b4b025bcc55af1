from __future__ import annotations

from django import template

from .. import rules

register = template.Library()

S = rules.ConnectionStatus
# The stylesheet's badge colours: blue while Noyo works, amber while waiting on someone, red
# when we must act, green when done. Keyed by str: a model field gives the plain value, which a
# StrEnum member equals.
BADGES: dict[str, str] = {
    S.CREATED: "queued", S.PROCESSING: "queued",
    S.NOT_SENT: "claimed", S.NOYO_REVIEW: "claimed", S.WAITING_ON_CARRIER: "claimed",
    S.CARRIER_AUTHORIZATION: "claimed",
    S.ACTION_REQUIRED: "rejected", S.UNABLE_TO_CONNECT: "rejected", S.REFUSED: "rejected",
    S.COMPLETED: "granted", S.CANCELLED: "ended",
}
VERDICT_BADGES: dict[str, str] = {
    rules.Verdict.FAILED: "rejected", rules.Verdict.INVALID: "rejected",
    rules.Verdict.NOT_MADE: "claimed", rules.Verdict.SEND_DIRECTLY: "claimed",
    rules.Verdict.NOTE: "queued",
}


@register.filter
def status_badge(status: str) -> str:
    return f"badge badge-{BADGES.get(status, 'open')}"


@register.filter
def verdict_badge(verdict: str) -> str:
    return f"badge badge-{VERDICT_BADGES.get(verdict, 'open')}"


@register.filter
def verdict_label(verdict: str) -> str:
    return rules.VERDICT_LABELS.get(verdict, verdict)
