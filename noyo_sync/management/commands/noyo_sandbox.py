"""Make the local Noyo sandbox fail (or recover), to see an outage on the pages by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...models import SandboxFault, SandboxWebhookFault
from ...sandbox.faults import sandbox_fail, sandbox_recover
from ...sandbox.webhooks import sandbox_webhook_fault

WEBHOOK_FAULTS = {f"webhooks-{kind.replace('_', '-')}": kind for kind in SandboxWebhookFault.Kind.values}


class Command(BaseCommand):
    help = "Tell the local Noyo sandbox to fail its next requests, or to recover."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fault", choices=[*SandboxFault.Kind.values, *WEBHOOK_FAULTS, "recover"])
        parser.add_argument("--times", type=int, default=None,
                            help="How many requests fail (default: all until `recover`).")
        parser.add_argument("--retry-after", type=int, default=5, help="Seconds, for 503 and 429.")

    def handle(self, *args: Any, fault: str, times: int | None, retry_after: int, **options: Any) -> None:
        if fault == "recover":
            self.stdout.write(f"Cleared {sandbox_recover()} sandbox fault(s).")
            return
        if times is not None and times < 1:
            raise CommandError("--times must be 1 or more.")
        if fault in WEBHOOK_FAULTS:  # the next rounds of the webhook sender misbehave
            sandbox_webhook_fault(WEBHOOK_FAULTS[fault], rounds=times or 1)
            self.stdout.write(f"The sandbox's next {times or 1} webhook round(s): "
                              f"{SandboxWebhookFault.Kind(WEBHOOK_FAULTS[fault]).label.lower()}.")
            return
        sandbox_fail(fault, times=times, retry_after=retry_after, delay_seconds=15.0)
        left = "until `noyo_sandbox recover`" if times is None else f"for the next {times} request(s)"
        self.stdout.write(f"The sandbox answers {fault} {left}.")
