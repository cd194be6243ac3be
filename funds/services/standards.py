from django.db import transaction

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff, snapshot
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.models import PaymentStandard, User


@transaction.atomic
def payment_standard_save(*, standard: PaymentStandard, acting_user: User) -> PaymentStandard:
    """Create or update a payment standard (built by the form, validated again here)."""
    if standard.pk is None:
        ensure_permission(user=acting_user, model=PaymentStandard, action=Action.ADD)
        before = {}
    else:
        ensure_allowed(user=acting_user, obj=standard, action=Action.CHANGE)
        before = snapshot(PaymentStandard.objects.get(pk=standard.pk))
    if standard.organization_id is not None:
        ensure_allowed(user=acting_user, obj=standard.organization, action=Action.VIEW)
    standard.full_clean()
    standard.save()
    action = AuditAction.UPDATE if before else AuditAction.CREATE
    audit_record(action=action, actor=acting_user, obj=standard, changes=diff(before, snapshot(standard)))
    return standard
