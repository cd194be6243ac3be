"""The shared plumbing's models: which keys the stored data was written with (core.keys), and the abstract base of
every two-person decision."""

from django.conf import settings
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


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    APPROVED = "approved", _("已确认")
    REJECTED = "rejected", _("已驳回")


class TwoPersonDecision(models.Model):
    """A change one administrator proposes and another confirms (role grants, second-factor resets, organisation
    moves): who asked, when and why, and who decided. Subclasses add what is asked for, and the constraint
    `decided_by_another_person` with their own wording."""

    status = models.CharField(_("状态"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PENDING)
    reason = models.CharField(_("事由"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-pk"]


def decided_by_another_person(message: str) -> models.CheckConstraint:
    """The database's own refusal of a decision by the person who asked (named `<model>_decided_by_another_person`)."""
    return models.CheckConstraint(
        name="%(class)s_decided_by_another_person",
        violation_error_message=message,
        condition=models.Q(decided_by__isnull=True) | ~models.Q(decided_by=models.F("requested_by")),
    )
