"""EC access writes, one transaction each: requests from cases, the queue, the weekly batch."""

from .batch import BatchRefused, BatchResult, ec_batch_run
from .queue import (
    QueueRefused,
    ec_request_claim,
    ec_request_claim_next,
    ec_request_decision_refusal,
    ec_request_grant,
    ec_request_reject,
    ec_request_release,
)
from .requests import (
    ECRequestRefused,
    ec_request_create,
    ec_request_withdraw,
    request_email_body,
    request_email_subject,
)

__all__ = [
    "BatchRefused", "BatchResult", "ECRequestRefused", "QueueRefused", "ec_batch_run",
    "ec_request_claim", "ec_request_claim_next", "ec_request_create", "ec_request_decision_refusal",
    "ec_request_grant", "ec_request_reject", "ec_request_release", "ec_request_withdraw",
    "request_email_body", "request_email_subject",
]
