"""Accounts in the admin: for the emergency superuser only (core.admin.EmergencyOnlyAdmin). The security and the audit
administrator do all of it on 用户管理 (accounts.views.users), under the same services.

The authenticator devices: what may be seen and done with a second factor.

django-otp's own admin shows the TOTP secret (the change form, the QR code at `.../config/`) to anyone who may change
a device; with it, the security administrator could sign in as a finance user. Its table is no longer used (the
secrets moved, encrypted, to accounts.AuthenticatorDevice), and its admin is removed. Here a device can only be
looked at (no key, no QR code), and its reset proposed — a second administrator confirms it (an administrator who
could both set a password and remove the authenticator could sign in as the user); the user then enrols a new
authenticator at the next sign-in. Every step is audited, and the reset ends the user's sessions.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthenticatorDevice, RoleGrant, SecondFactorReset
from accounts.services import role_grant_decide, second_factor_reset_decide, second_factor_reset_request
from core.admin import DecisionAdmin, EmergencyOnlyAdmin
from funds.choices import Role

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)

# django-axes' lists (English, and the lockouts are on 用户管理 and in the audit log): the emergency account only.
for _model, _admin_class in [
    (AccessAttempt, axes_admin.AccessAttemptAdmin),
    (AccessLog, axes_admin.AccessLogAdmin),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin),
]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_model, type(_admin_class.__name__, (EmergencyOnlyAdmin, _admin_class), {}))


class RoleAdmin(EmergencyOnlyAdmin, GroupAdmin):
    """The roles are Django groups created by migrations; shown by their Chinese names, changed only by a migration."""

    list_display = ["role", "name"]

    @admin.display(description=_("角色"), ordering="name")
    def role(self, group: Group) -> str:
        return str(Role(group.name).label) if group.name in Role.values else group.name

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


admin.site.unregister(Group)
admin.site.register(Group, RoleAdmin)


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(EmergencyOnlyAdmin, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    actions = ["reset_second_factor"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # nothing of a device is the administrator's to edit; the view shows no secret

    def get_actions(self, request, *args, **kwargs):
        actions = super().get_actions(request, *args, **kwargs)
        actions.pop("delete_selected", None)  # a reset goes through the service (audit, sessions), not a bare delete
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a device goes only through a confirmed reset (below)

    @admin.action(description=_("申请重置所选用户的双因素认证（须另一位管理员确认）"), permissions=["view"])
    def reset_second_factor(self, request, queryset) -> None:
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            try:
                second_factor_reset_request(user=user, acting_user=request.user)
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(
                    request, f"{user}: {' '.join(getattr(exc, 'messages', [str(exc)]))}", level=messages.ERROR
                )
                continue
            self.message_user(
                request,
                _("已申请重置 {user} 的双因素认证，须由另一位安全管理员或审计管理员确认。").format(user=user),
                level=messages.WARNING,
            )


@admin.register(SecondFactorReset)
class SecondFactorResetAdmin(EmergencyOnlyAdmin, DecisionAdmin):
    """Confirming removes the user's authenticators and ends their sessions."""

    list_display = ["user", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["user__username", "user__last_name", "requested_by__username"]
    readonly_fields = [*list_display, "reason"]

    def decide(self, request, obj, *, approve: bool) -> None:
        second_factor_reset_decide(request=obj, approve=approve, acting_user=request.user)


@admin.register(RoleGrant)
class RoleGrantAdmin(EmergencyOnlyAdmin, DecisionAdmin):
    """Roles proposed on a user's page wait here until another administrator confirms (or rejects) them."""

    list_display = ["user", "role", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__username", "user__last_name", "requested_by__username"]
    readonly_fields = [*list_display, "reason"]

    def decide(self, request, obj, *, approve: bool) -> None:
        role_grant_decide(grant=obj, approve=approve, acting_user=request.user)
