"""The authenticator devices in the admin: what the security administrator may see and do with a second factor.

django-otp's own admin shows the TOTP secret (the change form, the QR code at `.../config/`) to anyone who may change
a device; with it, the security administrator could sign in as a finance user. Its table is no longer used (the
secrets moved, encrypted, to accounts.AuthenticatorDevice), and its admin is removed. Here a device can only be
looked at (no key, no QR code) or deleted — which resets the second factor: the user enrols a new authenticator at
the next sign-in. Every reset is audited and ends the user's sessions.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuthenticatorDevice, RoleGrant, RoleGrantStatus
from accounts.services import role_grant_decide, second_factor_reset
from core.admin import RestrictedAdmin

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(AuthenticatorDevice)
class AuthenticatorDeviceAdmin(admin.ModelAdmin):
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

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a reset goes through the service (audit, sessions), not a bare delete
        return actions

    def delete_model(self, request, obj: TOTPDevice) -> None:
        second_factor_reset(user=obj.user, acting_user=request.user)

    def delete_queryset(self, request, queryset) -> None:
        with transaction.atomic():
            for user in {device.user for device in queryset.select_related("user")}:
                second_factor_reset(user=user, acting_user=request.user)

    @admin.action(description=_("重置所选用户的双因素认证（下次登录时重新绑定）"), permissions=["delete"])
    def reset_second_factor(self, request, queryset) -> None:
        self.delete_queryset(request, queryset)
        self.message_user(request, _("已重置双因素认证，相关用户的会话已结束。"))


@admin.register(RoleGrant)
class RoleGrantAdmin(RestrictedAdmin):
    """Roles proposed on a user's page wait here until another administrator confirms (or rejects) them."""

    list_display = ["user", "role", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__username", "user__last_name", "requested_by__username"]
    readonly_fields = [*list_display, "reason"]
    actions = ["confirm_grants", "reject_grants"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # proposed from the user's page (a role chosen there), never typed in here

    def has_change_permission(self, request, obj=None) -> bool:
        # The list's actions need the change permission; a grant's own page only reads.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _decide(self, request, queryset, *, approve: bool) -> None:
        done, refused = 0, []
        for grant in queryset.filter(status=RoleGrantStatus.PENDING):
            try:
                role_grant_decide(grant=grant, approve=approve, acting_user=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"{grant}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        if done:
            self.message_user(request, _("已处理 {n} 项角色授予。").format(n=done))
        for message in refused:
            self.message_user(request, message, level=messages.ERROR)

    @admin.action(description=_("确认所选角色授予"), permissions=["change"])
    def confirm_grants(self, request, queryset) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("驳回所选角色授予"), permissions=["change"])
    def reject_grants(self, request, queryset) -> None:
        self._decide(request, queryset, approve=False)
