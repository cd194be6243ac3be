"""Changes to the organisation tree that change who may see what: re-parenting needs a second person."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.decisions import decision_lock, decision_record
from core.models import DecisionStatus
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.models import Organization, OrganizationMove, User


def _apply(organization: Organization, to_parent: Organization, acting_user: User, detail: str) -> None:
    before = organization.parent
    organization.parent = to_parent
    organization.full_clean()
    organization.save(update_fields=["parent"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=organization,
        detail=detail,
        changes={"parent": [str(before) if before else "", str(to_parent)]},
    )


@transaction.atomic
def organization_move_request(
    *, organization: Organization, to_parent: Organization, acting_user: User, reason: str = ""
) -> OrganizationMove:
    """Propose a new parent. An organisation with no users and no data moves at once; otherwise the move waits for
    another administrator (a system administrator other than the proposer, or the audit administrator)."""
    ensure_permission(user=acting_user, model=OrganizationMove, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=organization, action=Action.CHANGE)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    probe = Organization(pk=organization.pk, parent=to_parent, code=organization.code, kind=organization.kind)
    probe.clean()  # no cycle
    move = OrganizationMove(
        organization=organization,
        from_parent=organization.parent,
        to_parent=to_parent,
        requested_by=acting_user,
        reason=reason.strip(),
    )
    if not organization.holds_users_or_data():
        move.status = DecisionStatus.APPROVED
        move.decided_at = timezone.now()
        move.full_clean()
        move.save()
        _apply(organization, to_parent, acting_user, "moved (no users or data below it)")
        return move
    move.full_clean()
    move.save()
    audit_record(
        action=AuditAction.SUBMIT,
        actor=acting_user,
        obj=organization,
        detail="move proposed: the organisation holds users or data; awaits a second administrator",
        changes={"parent": [str(move.from_parent or ""), str(to_parent)]},
    )
    return move


@transaction.atomic
def organization_move_decide(*, move: OrganizationMove, approve: bool, acting_user: User) -> OrganizationMove:
    ensure_permission(user=acting_user, model=OrganizationMove, action=Action.CHANGE)
    move = decision_lock(
        move,
        acting_user=acting_user,
        already_decided=_("该隶属调整已处理。"),
        by_proposer=_("单位隶属调整须由申请人以外的另一位管理员确认。"),
    )
    organization = Organization.objects.select_for_update().get(pk=move.organization_id)
    if organization.parent_id != move.from_parent_id:
        raise ValidationError(_("该单位的上级单位在申请后已经改变，请重新申请。"))
    decision_record(move, approve=approve, acting_user=acting_user)
    if approve:
        _apply(
            organization,
            move.to_parent,
            acting_user,
            f"move confirmed; proposed by {move.requested_by.get_username()}",
        )
    else:
        audit_record(action=AuditAction.RETURN, actor=acting_user, obj=organization, detail="move rejected")
    return move
