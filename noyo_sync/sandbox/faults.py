"""Tell the local sandbox to fail: used by tests, the benchmark and ``manage.py noyo_sandbox``."""

from __future__ import annotations

from ..models import SandboxFault, SandboxWebhookFault


def sandbox_fail(kind: str, *, times: int | None = 1, after: int = 0, retry_after: int = 1,
                 delay_seconds: float = 3.0) -> SandboxFault:
    """After ``after`` more requests, the next ``times`` sandbox requests (all of them while
    ``times`` is None) fail with ``kind``: "500", "503" or "429" (with Retry-After), or
    "timeout" (answers after ``delay_seconds``, later than the client waits)."""
    if kind not in SandboxFault.Kind.values:
        raise ValueError(f"Unknown sandbox fault {kind!r}: use one of {', '.join(SandboxFault.Kind.values)}.")
    return SandboxFault.objects.create(kind=kind, remaining=times, after=after, retry_after=retry_after,
                                       delay_seconds=delay_seconds)


def sandbox_recover() -> int:
    """Clear every pending fault, the webhook sender's too; returns how many there were."""
    count, _ = SandboxFault.objects.all().delete()
    webhook_faults, _ = SandboxWebhookFault.objects.all().delete()
    return count + webhook_faults
