from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key, key_validator

from core.crypto import EncryptedCharField
from core.models import TwoPersonDecision, decided_by_another_person
from core.scoping import RestrictedQuerySet
from funds.choices import Role


class PasswordHistory(models.Model):
    """The hashes of a user's earlier passwords, so the last five cannot be reused."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(_("密码哈希"), max_length=128)
    changed_at = models.DateTimeField(_("修改时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "user__organization"

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["user", "-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class RoleGrant(TwoPersonDecision):
    """A role given to a user, proposed by one administrator and confirmed by another (or by the audit administrator).

    A security administrator alone must not be able to make an accomplice — or a second account of their own — a
    finance user or an auditor: the role takes effect only when a second person confirms it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="role_grants"
    )
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "user__organization"

    class Meta(TwoPersonDecision.Meta):
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [
            decided_by_another_person(_("角色授予须由申请人以外的另一位管理员确认。")),
            models.CheckConstraint(
                name="rolegrant_not_to_oneself",
                violation_error_message=_("不能为自己申请角色。"),
                condition=~models.Q(user=models.F("requested_by")),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="rolegrant_one_pending_per_user",
                violation_error_message=_("该用户已有待确认的角色授予。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.get_role_display()}"


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """A TOTP authenticator whose secret is encrypted at rest like every other secret (core.crypto).

    django-otp's own TOTPDevice keeps the secret as clear hex in its table: anyone with read access to the database
    (a backup, a replica, a DBA) could compute every finance user's codes. This model has the same fields and runs
    django-otp's own TOTP code (the methods are TOTPDevice's, borrowed, not rewritten); only the key's storage
    differs. django-otp finds it like any device (django_otp.devices_for_user).
    """

    key = EncryptedCharField(_("密钥"), default=default_key, validators=[key_validator])
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    bin_key = TOTPDevice.bin_key
    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings

    class Meta(Device.Meta):
        verbose_name = _("身份验证器")
        verbose_name_plural = _("身份验证器")


class SecondFactorReset(TwoPersonDecision):
    """Removing a user's authenticator, proposed by one administrator and confirmed by another.

    An administrator who may both set a user's password and remove their authenticator could sign in as that user
    and enrol a phone of their own. Password resets stay one person's job (the user must change it at once); the
    reset of the second factor needs a second person, so no single administrator can do both.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.PROTECT, related_name="second_factor_resets"
    )

    objects = RestrictedQuerySet.as_manager()
    scope_path = "user__organization"

    class Meta(TwoPersonDecision.Meta):
        verbose_name = _("双因素认证重置")
        verbose_name_plural = _("双因素认证重置")
        constraints = [
            decided_by_another_person(_("双因素认证重置须由申请人以外的另一位管理员确认。")),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="secondfactorreset_one_pending_per_user",
                violation_error_message=_("该用户已有待确认的双因素认证重置。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)
