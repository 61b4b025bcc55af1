from .connections import GroupConnection, GroupConnectionEvent, PollRun
from .sandbox import SandboxAccessToken, SandboxFault, SandboxGroupConnection

__all__ = [
    "GroupConnection", "GroupConnectionEvent", "PollRun",
    "SandboxAccessToken", "SandboxFault", "SandboxGroupConnection",
]
