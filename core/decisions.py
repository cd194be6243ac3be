"""Deciding a two-person proposal (core.models.TwoPersonDecision): the steps every kind shares. Each service says
what is being decided, adds its own checks between the two steps, and applies the effect."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import DecisionStatus, TwoPersonDecision
from core.scoping import ScopedUser


def decision_lock[D: TwoPersonDecision](
    decision: D, *, acting_user: ScopedUser, already_decided: str, by_proposer: str
) -> D:
    """The proposal, locked (of two deciders acting at once, one decides, the other finds it decided); refused when
    it is no longer pending or when the decider proposed it."""
    locked = type(decision).objects.select_for_update().get(pk=decision.pk)
    if locked.status != DecisionStatus.PENDING:
        raise ValidationError(already_decided)
    if locked.requested_by_id == acting_user.pk:
        raise PermissionDenied(by_proposer)
    return locked


def decision_record(decision: TwoPersonDecision, *, approve: bool, acting_user: ScopedUser) -> None:
    """Record who decided, when, and how (validated, then saved; the database refuses a decision by the proposer)."""
    decision.status = DecisionStatus.APPROVED if approve else DecisionStatus.REJECTED
    decision.decided_by = acting_user
    decision.decided_at = timezone.now()
    decision.full_clean()
    decision.save()
