from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.choices import AuditAction
from audit.services import audit_record
from core.permissions import ensure_allowed
from core.scoping import Action
from funds.models import User


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """The user's own new password (validated: length, classes, history, common list); clears the first-login flag."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(action=AuditAction.PASSWORD_CHANGE, actor=user, obj=user)
    return user


@transaction.atomic
def second_factor_confirm(*, device: TOTPDevice, acting_user: User) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action=AuditAction.TWO_FACTOR, actor=acting_user, obj=acting_user, detail="enrolled")
    return device


@transaction.atomic
def second_factor_reset(*, user: User, acting_user: User) -> int:
    """Remove every authenticator of a user (lost phone, suspected copy of the secret); they enrol anew at the next
    sign-in, and their current sessions end so that no session verified with the old device lives on."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    ended = end_sessions(user)
    audit_record(
        action=AuditAction.TWO_FACTOR,
        actor=acting_user,
        obj=user,
        detail=f"second factor reset by an administrator: {removed} devices removed, {ended} sessions ended",
    )
    return removed


@transaction.atomic
def password_reset_by_administrator(*, user: User, acting_user: User) -> User:
    """After an administrator set a user's password: the user must choose their own at the next sign-in (so the
    administrator never knows a password in use), and every session of the user ends."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    ended = end_sessions(user)
    audit_record(
        action=AuditAction.PASSWORD_CHANGE,
        actor=acting_user,
        obj=user,
        detail=f"password set by an administrator: change forced at next sign-in, {ended} sessions ended",
    )
    return user


def end_sessions(user: User) -> int:
    """Delete every stored session of the user (database sessions: the only way to find them is to read them)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Disable an account and end all its sessions at once."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=user,
        detail=f"deactivated; {ended} sessions ended",
        changes={"is_active": ["True", "False"]},
    )
    return user
