from axes.utils import reset as axes_reset
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthenticatorDevice, RoleGrant, SecondFactorReset
from accounts.passwords import one_time_password
from audit.choices import AuditAction
from audit.services import audit_record
from core.decisions import decision_lock, decision_record
from core.models import DecisionStatus
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import OrganizationKind, Role
from funds.models import Organization, User


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
def second_factor_confirm(*, device: AuthenticatorDevice, acting_user: User) -> AuthenticatorDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(action=AuditAction.TWO_FACTOR, actor=acting_user, obj=acting_user, detail="enrolled")
    return device


def _remove_second_factor(user: User, acting_user: User, detail: str) -> int:
    removed, _by_model = AuthenticatorDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()  # django-otp's own table: empty since the secrets moved
    ended = end_sessions(user)
    audit_record(
        action=AuditAction.TWO_FACTOR,
        actor=acting_user,
        obj=user,
        detail=f"second factor reset ({detail}): {removed} devices removed, {ended} sessions ended",
    )
    return removed


@transaction.atomic
def second_factor_reset_request(*, user: User, acting_user: User, reason: str = "") -> SecondFactorReset:
    """Propose removing a user's authenticators (lost phone, suspected copy of the secret). Another administrator
    confirms it: whoever can set the user's password must not also be able to take over their second factor."""
    ensure_permission(user=acting_user, model=SecondFactorReset, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    if user.pk == acting_user.pk:
        raise PermissionDenied(_("不能为自己申请重置双因素认证。"))
    request = SecondFactorReset(user=user, requested_by=acting_user, reason=reason.strip())
    request.full_clean()
    request.save()
    audit_record(action=AuditAction.SUBMIT, actor=acting_user, obj=user, detail="second factor reset proposed")
    return request


@transaction.atomic
def second_factor_reset_decide(*, request: SecondFactorReset, approve: bool, acting_user: User) -> SecondFactorReset:
    """Confirm (the devices are removed, the user's sessions end; they enrol anew at the next sign-in) or reject."""
    ensure_permission(user=acting_user, model=SecondFactorReset, action=Action.CHANGE)
    request = decision_lock(
        request,
        acting_user=acting_user,
        already_decided=_("该申请已处理。"),
        by_proposer=_("双因素认证重置须由申请人以外的另一位管理员确认。"),
    )
    if request.user_id == acting_user.pk:
        raise PermissionDenied(_("不能确认重置自己的双因素认证。"))
    decision_record(request, approve=approve, acting_user=acting_user)
    if approve:
        _remove_second_factor(
            request.user, acting_user, f"proposed by {request.requested_by.get_username()}, confirmed"
        )
    else:
        audit_record(
            action=AuditAction.RETURN, actor=acting_user, obj=request.user, detail="second factor reset rejected"
        )
    return request


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


def _not_oneself(user: User, acting_user: User, message: str) -> None:
    if user.pk == acting_user.pk:
        raise PermissionDenied(message)


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User, reason: str = "") -> User:
    """Disable an account and end all its sessions at once (the account and its history stay: the log names it)."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    _not_oneself(user, acting_user, _("不能停用自己的账号。"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_sessions(user)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=user,
        detail=f"deactivated; {ended} sessions ended" + (f"; reason: {reason.strip()}" if reason.strip() else ""),
        changes={"is_active": ["True", "False"]},
    )
    return user


@transaction.atomic
def user_activate(*, user: User, acting_user: User, reason: str = "") -> User:
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    _not_oneself(user, acting_user, _("不能启用自己的账号。"))
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=user,
        detail="activated" + (f"; reason: {reason.strip()}" if reason.strip() else ""),
        changes={"is_active": ["False", "True"]},
    )
    return user


@transaction.atomic
def password_reset_one_time(*, user: User, acting_user: User) -> str:
    """A new one-time password for a user who forgot theirs: shown once to the administrator, who hands it over;
    the user must replace it at the next sign-in (password_reset_by_administrator)."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    _not_oneself(user, acting_user, _("不能在这里重置自己的密码，请使用“修改密码”。"))
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    password_reset_by_administrator(user=user, acting_user=acting_user)
    return password


@transaction.atomic
def user_unlock(*, user: User, acting_user: User) -> int:
    """Lift a lockout (django-axes: five failed sign-ins lock the user name for 30 minutes) before it runs out."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    removed = axes_reset(username=user.get_username())
    audit_record(
        action=AuditAction.UPDATE, actor=acting_user, obj=user, detail=f"lockout lifted: {removed} attempts cleared"
    )
    return removed


# Roles whose holder reaches money, personal data or the log: given only with a second person's confirmation.
CONFIRMED_ROLES = frozenset({Role.FINANCE, Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles that sit at the federation: their holders see every organisation (finance, audit) or administer the whole
# system, or (业务部门) draft the federation's targets. Given to a prefecture's account they would quietly mean "that
# prefecture only".
FEDERATION_ROLES = CONFIRMED_ROLES | {Role.DEPARTMENT}
ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


def _needs_confirmation(user: User, role: Role) -> bool:
    """A role waits for a second administrator when it reaches money, personal data or the log — and so does an
    operator's role at an organisation with sub-units (the federation's own operator would see every prefecture's
    rosters and payments)."""
    return role in CONFIRMED_ROLES or user.organization.children.exists()


def _check_role_fits(user: User, role: Role) -> None:
    if role in FEDERATION_ROLES and user.organization.kind != OrganizationKind.FEDERATION:
        raise ValidationError(
            {
                "organization": _("“{role}”须属于自治区总工会本级；地州、产业工会的账号只能担任单位经办人。").format(
                    role=role.label
                )
            }
        )


@transaction.atomic
def user_update(
    *,
    user: User,
    acting_user: User,
    organization: Organization,
    last_name: str = "",
    first_name: str = "",
    email: str = "",
) -> User:
    """Correct an account's name, e-mail or organisation. A new organisation changes whose data the user sees: it must
    fit the role, lie within the administrator's scope, and the user's sessions end."""
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    _not_oneself(user, acting_user, _("不能在这里修改自己的账号。"))
    if not Organization.objects.restrict(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("您无权把账号调整到该单位。"))
    before = {"last_name": user.last_name, "first_name": user.first_name, "email": user.email}
    before["organization"] = user.organization.short_name if user.organization_id else ""
    moved = user.organization_id != organization.pk
    if moved and user.role is not None and organization.children.exists() and not acting_user.is_superuser:
        # Its role was given for the old organisation; at one with sub-units it would reach all of theirs at once.
        raise ValidationError(
            {
                "organization": _(
                    "“{org}”有下级单位，调整过去后该账号可看到所有下级单位的数据：请为其新建账号，角色由另一位管理员确认。"
                ).format(org=organization.short_name)
            }
        )
    user.last_name, user.first_name, user.email = last_name.strip(), first_name.strip(), email.strip()
    user.organization = organization
    user.full_clean(exclude=["password"])
    if user.role is not None:
        _check_role_fits(user, user.role)
    user.save(update_fields=["last_name", "first_name", "email", "organization"])
    after = {"last_name": user.last_name, "first_name": user.first_name, "email": user.email}
    after["organization"] = organization.short_name
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    ended = end_sessions(user) if moved else 0
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=user,
        detail="account details corrected" + (f"; organisation changed, {ended} sessions ended" if moved else ""),
        changes=changes or None,
    )
    return user


@transaction.atomic
def user_create(
    *,
    username: str,
    organization: Organization,
    role: Role,
    acting_user: User,
    last_name: str = "",
    first_name: str = "",
    email: str = "",
    reason: str = "",
) -> tuple[User, str, RoleGrant]:
    """A new account with a one-time password (returned once, to be handed over; changed at the first sign-in) and
    its one role — at once for an operator, after a second administrator's confirmation for the others."""
    ensure_permission(user=acting_user, model=User, action=Action.ADD)
    if not Organization.objects.restrict(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("您无权为该单位创建账号。"))
    password = one_time_password()
    user = User(
        username=username.strip(),
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        email=email.strip(),
        organization=organization,
        must_change_password=True,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    _check_role_fits(user, role)
    user.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        obj=user,
        detail="account created with a one-time password",
        changes={"organization": ["", organization.short_name]},
    )
    grant = role_grant_request(user=user, role=role, acting_user=acting_user, reason=reason)
    return user, password, grant


def _apply_role(user: User, role: Role) -> None:
    # One role per user: the confirmed role replaces whatever role the user had. The administrators keep reference
    # data and decisions in the Django admin (数据维护); nobody else needs it.
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    staff = role in ADMINISTRATOR_ROLES
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def role_grant_request(*, user: User, role: Role, acting_user: User, reason: str = "") -> RoleGrant:
    """Propose a role for a user (the maker). An operator role at an organisation without sub-units takes effect at
    once; the others wait for a second administrator."""
    ensure_permission(user=acting_user, model=RoleGrant, action=Action.ADD)
    ensure_allowed(user=acting_user, obj=user, action=Action.CHANGE)
    if user.pk == acting_user.pk:
        raise PermissionDenied(_("不能为自己申请角色。"))
    _check_role_fits(user, role)
    grant = RoleGrant(user=user, role=role, requested_by=acting_user, reason=reason.strip())
    if not _needs_confirmation(user, role):
        grant.status, grant.decided_by, grant.decided_at = DecisionStatus.APPROVED, None, timezone.now()
    grant.full_clean()
    grant.save()
    if grant.status == DecisionStatus.APPROVED:
        _apply_role(user, role)
    audit_record(
        action=AuditAction.SUBMIT if grant.status == DecisionStatus.PENDING else AuditAction.UPDATE,
        actor=acting_user,
        obj=user,
        detail=f"role {role}: {'awaits confirmation' if grant.status == DecisionStatus.PENDING else 'granted'}",
        changes={"role": ["", str(role)]},
    )
    return grant


@transaction.atomic
def role_grant_decide(*, grant: RoleGrant, approve: bool, acting_user: User) -> RoleGrant:
    """Confirm or reject a proposed role (the checker: another administrator than the one who proposed it)."""
    ensure_permission(user=acting_user, model=RoleGrant, action=Action.CHANGE)
    grant = decision_lock(
        grant,
        acting_user=acting_user,
        already_decided=_("该角色授予已处理。"),
        by_proposer=_("角色授予须由申请人以外的另一位管理员确认。"),
    )
    if grant.user_id == acting_user.pk:
        raise PermissionDenied(_("不能确认给自己的角色。"))
    if approve:
        _check_role_fits(grant.user, Role(grant.role))  # the account may have moved since it was proposed
    decision_record(grant, approve=approve, acting_user=acting_user)
    if approve:
        _apply_role(grant.user, Role(grant.role))
        ended = end_sessions(grant.user)  # the new rights (and second-factor rule) apply from a fresh sign-in
    else:
        ended = 0
    audit_record(
        action=AuditAction.APPROVE if approve else AuditAction.RETURN,
        actor=acting_user,
        obj=grant.user,
        detail=f"role {grant.role} {'confirmed' if approve else 'rejected'}; requested by "
        f"{grant.requested_by.get_username()}; {ended} sessions ended",
        changes={"role": ["", grant.role]} if approve else None,
    )
    return grant
