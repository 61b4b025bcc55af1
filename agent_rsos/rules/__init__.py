"""Agent RSOS routing rules, from seed 001 (Agent RSOS Customer Service Support 3.0) and
seed 002 (the Agent RSOS support mailbox). Plain functions over plain values.

``routing``: where a request goes (topics, Agent Support, the SOS line, Service Inquiries, lines
of business, the mailbox template); ``mailbox``: the mailbox e-mail filled in; ``sla``: the
response and follow-up clock. Everything is importable from ``agent_rsos.rules`` itself.
"""

from __future__ import annotations

from .mailbox import (  # noqa: F401
    AGENT_SAN_PATTERN,
    MailboxRequest,
    agent_san_problem,
    mailbox_body,
    mailbox_refusal,
    mailbox_subject,
)
from .routing import (  # noqa: F401
    AGENT_SUPPORT_EMAIL,
    AGENT_SUPPORT_PHONE,
    ARSOS_MAILBOX,
    CUSTOMER_SERVICE_INDIVIDUAL,
    CUSTOMER_SERVICE_MEDICARE,
    MAILBOX_BODY_FIELDS,
    MAILBOX_SUBJECT_TEMPLATE,
    NO_DESTINATION,
    OUT_OF_SCOPE,
    PRE_SALE_TOPICS,
    SELF_SERVICE_TOPICS,
    SOS_CANDIDATE_TOPICS,
    SOS_LINE,
    SOS_NOT_TO_CALL,
    SOS_NOT_TO_CALL_TOPICS,
    TOPIC_LABELS,
    LineOfBusiness,
    MemberStatus,
    OutOfScope,
    Route,
    SosCall,
    Topic,
    customer_service_label,
    customer_service_number,
    mailbox_line_of_business,
    mailbox_template,
    out_of_scope,
    route_topic,
    service_inquiry_card,
    sos_line_allowed,
    sos_line_blockers,
    sos_needs_care_now,
    sos_only_needs_the_call,
)
from .sla import (  # noqa: F401
    DUE_POINT_LABELS,
    FOLLOW_UP_BUSINESS_DAYS,
    RESPONSE_BUSINESS_DAYS_READING,
    RESPONSE_TARGET,
    US_FEDERAL_HOLIDAYS,
    DuePoint,
    SlaClock,
    add_business_days,
    business_days_after,
    compliance_rate,
    is_business_day,
    response_due_business_hours_reading,
    sla_clock,
)
