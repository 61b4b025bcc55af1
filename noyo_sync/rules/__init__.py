"""Seed 004 (Humana: technical documentation for integrating with Humana through Noyo) as plain
functions over plain values. No database, no request, no clock: dates are passed in, and every
rule quotes or cites its seed line. Split in two for size:

- ``connections``: the carrier group ID format, what Noyo does not support, the prerequisites,
  manual review by size, what each connection status means, the sandbox IDs;
- ``member_changes``: retro limits, failed and managed transactions, the other scenarios
  (terminated end dates, Texas SB51, death, termination before the start), the carrier-specific
  validations, and ``check_member_change()`` over all of them;
- ``open_enrollment``: the OE window for a renewal date;
- ``findings``: what the checker reports (a verdict and the seed's words per rule).
"""

from __future__ import annotations

from .connections import *  # noqa: F401,F403
from .findings import *  # noqa: F401,F403
from .member_changes import *  # noqa: F401,F403
from .open_enrollment import *  # noqa: F401,F403
