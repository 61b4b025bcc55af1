"""The EC guided flows of seed 000, one module each; importing registers them."""

from . import agent_troubleshooting, employer_access, employer_troubleshooting, not_ec  # noqa: F401
