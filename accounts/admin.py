"""The authenticator devices in the admin: what the security administrator may see and do with a second factor.

django-otp's own admin shows the TOTP secret (the change form, the QR code at `.../config/`) to anyone who may change
a device; with it, the security administrator could sign in as a finance user. Here a device can only be looked at
(no key, no QR code) or deleted — which resets the second factor: the user enrols a new authenticator at the next
sign-in. Every reset is audited and ends the user's sessions.
"""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import second_factor_reset

if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
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
