from .connections import GroupConnection, GroupConnectionEvent, PollRun
from .sandbox import SandboxAccessToken, SandboxFault, SandboxGroupConnection
from .webhooks import NoyoWebhookEvent, SandboxWebhookDelivery, SandboxWebhookFault

__all__ = [
    "GroupConnection", "GroupConnectionEvent", "NoyoWebhookEvent", "PollRun",
    "SandboxAccessToken", "SandboxFault", "SandboxGroupConnection", "SandboxWebhookDelivery",
    "SandboxWebhookFault",
]
