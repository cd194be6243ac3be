from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet


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
