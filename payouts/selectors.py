"""Reads of the bank's part of paying, for a user (scoped) — the reconciliation is summed by the database."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from core.money import ZERO
from payouts.choices import FollowUp, LineOutcome
from payouts.models import BankBatch, BankBatchLine


@dataclass(frozen=True)
class Figure:
    count: int
    amount: Decimal


@dataclass(frozen=True)
class Reconciliation:
    """One batch to the cent: sent = succeeded + failed + awaiting the bank; failed = re-issued + recovered + open."""

    sent: Figure
    succeeded: Figure
    failed: Figure
    pending: Figure
    reissued: Figure
    recovered: Figure
    open: Figure

    @property
    def balanced(self) -> bool:
        outcome = self.succeeded.amount + self.failed.amount + self.pending.amount
        follow_up = self.reissued.amount + self.recovered.amount + self.open.amount
        counts = self.succeeded.count + self.failed.count + self.pending.count
        return (
            self.sent.amount == outcome
            and self.sent.count == counts
            and self.failed.amount == follow_up
            and self.failed.count == self.reissued.count + self.recovered.count + self.open.count
        )


PARTS = {
    "sent": Q(),
    "succeeded": Q(outcome=LineOutcome.SUCCEEDED),
    "failed": Q(outcome=LineOutcome.FAILED),
    "pending": Q(outcome=LineOutcome.PENDING),
    "reissued": Q(follow_up=FollowUp.REISSUED),
    "recovered": Q(follow_up=FollowUp.RECOVERED),
    "open": Q(follow_up=FollowUp.OPEN),
}


def reconciliation(lines) -> Reconciliation:
    """The figures of any set of lines (one batch's, or every batch a user may see)."""
    aggregates = {}
    for name, condition in PARTS.items():
        aggregates[f"{name}_n"] = Count("pk", filter=condition)
        aggregates[f"{name}_a"] = Sum("amount", filter=condition)
    row = lines.aggregate(**aggregates)
    return Reconciliation(**{name: Figure(row[f"{name}_n"], row[f"{name}_a"] or ZERO) for name in PARTS})


def batch_reconciliation(batch: BankBatch) -> Reconciliation:
    return reconciliation(BankBatchLine.objects.filter(batch=batch))
