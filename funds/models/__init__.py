from funds.models.allocation import AllocationLine, AllocationPlan
from funds.models.budget import Appropriation, AppropriationLine, DepartmentBudgetLine, FundsReceipt
from funds.models.disbursements import Disbursement, DisbursementReversal, ImportBatch, PaymentReversalRequest
from funds.models.organizations import Organization, OrganizationMove, User
from funds.models.programs import FiscalYear, PaymentKind, Program
from funds.models.standards import PaymentStandard
from funds.models.summary import PaymentSummary

__all__ = [
    "AllocationLine",
    "AllocationPlan",
    "Appropriation",
    "AppropriationLine",
    "DepartmentBudgetLine",
    "Disbursement",
    "DisbursementReversal",
    "FiscalYear",
    "FundsReceipt",
    "ImportBatch",
    "Organization",
    "OrganizationMove",
    "PaymentKind",
    "PaymentReversalRequest",
    "PaymentStandard",
    "PaymentSummary",
    "Program",
    "User",
]
