from .groups import (
    BusinessFunction,
    EmployerGroup,
    Platform,
    PortalUser,
    Product,
    ProductType,
    SLAppKind,
    SLApplication,
    validate_ec_identifier,
)
from .queue import ECBatchLine, ECBatchRun, ECRequest, ECRequestAction, ECRequestEvent, RejectReason

__all__ = [
    "BusinessFunction", "ECBatchLine", "ECBatchRun", "ECRequest", "ECRequestAction", "ECRequestEvent",
    "EmployerGroup", "Platform", "PortalUser", "Product", "ProductType", "RejectReason",
    "SLApplication", "SLAppKind", "validate_ec_identifier",
]
