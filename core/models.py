"""The only model of the shared plumbing: which keys the stored data was written with (see core.keys)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyFingerprint(models.Model):
    name = models.CharField(_("密钥"), max_length=40, unique=True)
    fingerprint = models.CharField(_("指纹"), max_length=16)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("密钥指纹")
        verbose_name_plural = _("密钥指纹")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} {self.fingerprint}"
